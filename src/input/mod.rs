//! Inputs, as bytes: finding them (paths and directory walks) and listing them compactly,
//! reading them under a size limit, decompressing and decoding them, the lines of a JSONL
//! input, and a worker's share of them. A record's fields are read by
//! [`crate::text::record`].
//!
//! Nothing here knows how text is cleaned.

pub mod compress;
pub mod decode;
pub mod discover;
pub mod lines;
pub mod list;
pub mod reading;
pub mod shard;
