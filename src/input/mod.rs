//! Inputs, as bytes: finding them (paths and directory walks) and listing them compactly,
//! reading them under a size
//! limit, decompressing and decoding them, the lines of a JSONL input and the text field of
//! one record, and a worker's share of them.
//!
//! Nothing here knows how text is cleaned.

pub mod compress;
pub mod decode;
pub mod discover;
pub mod jsonl;
pub mod lines;
pub mod list;
pub mod reading;
pub mod shard;
