//! Work in batches: items are gathered up to a batch's limits, mapped in parallel on the
//! current rayon pool, and their results handed on in the order the items came. Output then
//! does not depend on the number of threads, and memory is bounded by the batch, not the
//! input. Text inputs, JSONL records and documents being learned from all go this way.

use rayon::prelude::*;

/// Items waiting to be mapped together.
#[derive(Debug)]
pub struct Batches<T> {
    items: Vec<T>,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

impl<T: Sync> Batches<T> {
    /// Batches of at most `max_items` items; a batch is also full once it holds `max_bytes`.
    pub fn new(max_items: usize, max_bytes: usize) -> Batches<T> {
        Batches {
            items: Vec::with_capacity(max_items),
            bytes: 0,
            max_items,
            max_bytes,
        }
    }

    /// Adds an item of `bytes` bytes; says whether the batch is now full.
    pub fn push(&mut self, item: T, bytes: usize) -> bool {
        self.items.push(item);
        self.bytes += bytes;
        self.is_full()
    }

    /// Whether the batch should be mapped before more items are added.
    pub fn is_full(&self) -> bool {
        self.items.len() >= self.max_items || self.bytes >= self.max_bytes
    }

    /// The bytes of the items waiting.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Maps the waiting items in parallel and returns the results in the items' order,
    /// leaving the batch empty.
    ///
    /// Each item is a task of its own. Left to split work as it sees fit, rayon hands a thread
    /// long runs of items that no other thread can take from it, so near the end of a batch
    /// one thread would work through a run while the others wait.
    pub fn map<U: Send>(&mut self, f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
        let results = self.items.par_iter().with_max_len(1).map(f).collect();
        self.clear();
        results
    }

    /// Maps runs of `chunk` consecutive items in parallel (the last run may be shorter), each
    /// run a task of its own as in [`Batches::map`], and returns one result per run, in the
    /// items' order, leaving the batch empty.
    pub fn map_chunks<U: Send>(&mut self, chunk: usize, f: impl Fn(&[T]) -> U + Sync + Send) -> Vec<U> {
        let results = self.items.par_chunks(chunk).with_max_len(1).map(f).collect();
        self.clear();
        results
    }

    fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_and_a_batch_fills_by_count_or_bytes() {
        let mut batches = Batches::new(3, 10);
        assert!(!batches.push(1, 4));
        assert!(batches.push(2, 6), "10 bytes fill it");
        assert_eq!(batches.bytes(), 10);
        assert_eq!(batches.map(|n| n * 10), vec![10, 20]);
        assert!(!batches.is_full());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let mut order = Vec::new();
        for n in 0..100 {
            if batches.push(n, 0) {
                order.extend(pool.install(|| batches.map(|n| *n)));
            }
        }
        order.extend(batches.map(|n| *n));
        assert_eq!(order, (0..100).collect::<Vec<_>>());
        for n in 0..5 {
            batches.push(n, 0);
        }
        let runs = pool.install(|| batches.map_chunks(2, |run| run.to_vec()));
        assert_eq!(runs, [vec![0, 1], vec![2, 3], vec![4]]);
        assert!(!batches.is_full());
    }

    #[test]
    fn while_one_item_is_slow_the_other_threads_take_every_other_item() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::{Duration, Instant};

        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let fill = || {
            let mut batches = Batches::new(64, usize::MAX);
            for n in 0..64 {
                batches.push(n, 0);
            }
            batches
        };
        // The first item waits for all the others: it can only see them done if none of them
        // is queued behind it on its own thread.
        let done = AtomicUsize::new(0);
        let item = |n: usize| {
            if n > 0 {
                done.fetch_add(1, Ordering::SeqCst);
                return true;
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            while done.load(Ordering::SeqCst) < 63 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            done.load(Ordering::SeqCst) == 63
        };
        let mapped = pool.install(|| fill().map(|&n| item(n)));
        assert!(mapped[0], "items");
        done.store(0, Ordering::SeqCst);
        let mapped = pool.install(|| fill().map_chunks(1, |run| item(run[0])));
        assert!(mapped[0], "runs of items");
    }
}
