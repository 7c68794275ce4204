//! Sharing work between workers: which inputs, and which bytes of a JSONL file, a worker takes.

/// Worker `index` (0-based) of `count` workers sharing some work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This worker, from 0.
    pub index: usize,
    /// How many workers share the work.
    pub count: usize,
}

/// Text that is not a shard `K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected K/N with 1 <= K <= N, got `{0}`")]
pub struct BadShard(pub String);

impl std::str::FromStr for Shard {
    type Err = BadShard;

    /// Parses `K/N`, 1-based: `1/4` is the first of four workers.
    fn from_str(text: &str) -> Result<Shard, BadShard> {
        let parse = |part: Option<&str>| part.and_then(|p| p.trim().parse::<usize>().ok());
        let mut parts = text.splitn(2, '/');
        match (parse(parts.next()), parse(parts.next())) {
            (Some(k), Some(n)) if (1..=n).contains(&k) => Ok(Shard {
                index: k - 1,
                count: n,
            }),
            _ => Err(BadShard(text.to_string())),
        }
    }
}

impl Shard {
    /// Whether item `position` of an ordered list belongs to this worker.
    pub fn takes(&self, position: usize) -> bool {
        position % self.count == self.index
    }

    /// This worker's byte range of a file of `len` bytes; a line belongs to the range its first
    /// byte falls in.
    pub fn byte_range(&self, len: u64) -> std::ops::Range<u64> {
        let at = |k: usize| (u128::from(len) * k as u128 / self.count as u128) as u64;
        at(self.index)..at(self.index + 1)
    }
}
