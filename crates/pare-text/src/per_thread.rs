//! A value of which each thread uses a copy of its own.
//!
//! A regex (or regex set) of the regex crate keeps its search caches in a pool, and hands a
//! cache out without a lock only to the first thread that searched with it: any other thread
//! takes a lock to check one out and another to give it back, search after search. Rules and
//! heading patterns are searched on every line, so each thread searches with its own copy. A
//! copy shares the compiled program and has a pool of its own, whose first user its thread is.

use std::fmt;

use thread_local::ThreadLocal;

/// A value cloned once for each thread that asks for it.
pub struct PerThread<T: Send> {
    original: T,
    copies: ThreadLocal<T>,
}

impl<T: Clone + Send> PerThread<T> {
    /// Copies of `original`, one for each thread that asks.
    pub fn new(original: T) -> PerThread<T> {
        PerThread {
            original,
            copies: ThreadLocal::new(),
        }
    }

    /// This thread's copy, made on its first call.
    pub fn get(&self) -> &T {
        self.copies.get_or(|| self.original.clone())
    }
}

impl<T: Clone + Send> Clone for PerThread<T> {
    fn clone(&self) -> PerThread<T> {
        PerThread::new(self.original.clone())
    }
}

impl<T: Send + fmt::Debug> fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.original.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_thread_gets_a_copy_of_its_own_and_keeps_it() {
        let shared = PerThread::new(vec![1, 2, 3]);
        let here = shared.get() as *const Vec<i32>;
        assert_eq!(
            shared.get() as *const Vec<i32>,
            here,
            "the same copy on the same thread"
        );
        assert_eq!(*shared.get(), [1, 2, 3]);
        let there = std::thread::scope(|scope| {
            scope
                .spawn(|| (shared.get() as *const Vec<i32> as usize, shared.get().clone()))
                .join()
                .unwrap()
        });
        assert_ne!(there.0, here as usize, "another thread gets another copy");
        assert_eq!(there.1, [1, 2, 3]);
        assert_ne!(
            shared.clone().get() as *const Vec<i32>,
            here,
            "a clone makes copies of its own"
        );
    }
}
