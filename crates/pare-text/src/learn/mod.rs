//! Learning a site's chrome from the corpus itself: lines that repeat across many documents of
//! one site are chrome, body text is not. [`Counts`] gathers, per group of documents (a site),
//! in how many documents each normalised line appears and where; counts from several machines
//! merge by addition; [`Counts::profile`] turns them into rules in the ordinary rule-file
//! format, each with its evidence, for a person to review and keep. A line that stands after
//! the article in most documents (a comments heading, "About the author") marks where the chrome
//! below starts even when each document has text of its own below it.
//!
//! Only the counting and the choice of rules: reading a corpus's documents, and measuring what
//! a profile removes from them, is the `pare` crate's.

mod counts;
mod document;
mod profile;

pub use counts::{Counts, DocumentLines, GroupCounts, LineCount};
pub use document::PreparedDocument;
pub use profile::{GroupMeasure, LearnedSummary, Measured, Thresholds};
