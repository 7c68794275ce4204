//! Learning a site's chrome from a corpus: its documents read as cleaning reads them, grouped
//! by site and counted in parallel (`inputs`), and what a learned profile removes from the
//! documents it was learned from (`measure`). The counting and the choice of rules are
//! [`crate::text::learn`]'s.

mod inputs;
mod measure;

pub use inputs::{count_inputs, Counting};
pub use measure::{measure_profile, word_count};
