//! pare pares scraped article text down to the article body.
//!
//! The pipeline, one module per stage:
//!
//! - [`discover`]: command-line paths and directory trees to a sorted list of inputs;
//! - [`decode`]: bytes to text (UTF-8, BOM, binary sniffing);
//! - [`normalize`](mod@normalize): whitespace and Unicode normalisation;
//! - [`rules`]: the rule-file format, built-in profiles, compiled rule sets;
//! - [`strip`]: applying a rule set to a normalised document;
//! - [`clean`]: the [`Cleaner`] that chains normalisation and stripping;
//! - [`outputs`]: checks, before any work, that no output is shared, is an input, or is not
//!   pare's own;
//! - [`pipeline`]: the parallel driver over many inputs;
//! - [`write`](mod@write): outputs that never replace what is not pare's own: streams written through,
//!   files replaced atomically;
//! - [`diff`]: unified diffs annotated with rule names;
//! - [`report`]: the run report.
//!
//! ```
//! use pare::{Cleaner, RuleSet};
//!
//! let cleaner = Cleaner::new(RuleSet::default_rules());
//! let cleaned = cleaner.clean("This article is more than 2 years old\nHeadline\n\nBody. ®\nMore about\n");
//! assert_eq!(cleaned.text(), "Headline\n\nBody.\n");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod clean;
pub mod compress;
pub mod decode;
pub mod detect;
pub mod diff;
pub mod discover;
pub mod eval;
pub mod jsonl;
pub mod learn;
pub mod manifest;
pub mod normalize;
pub mod outputs;
pub mod pipeline;
pub mod records;
pub mod report;
pub mod rules;
pub mod strip;
pub mod write;

pub use clean::{Cleaned, Cleaner};
pub use normalize::normalize;
pub use rules::RuleSet;
pub use strip::{Removal, RemovalKind};
