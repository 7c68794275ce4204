//! pare pares scraped article text down to the article body.
//!
//! The crate is built in layers; each imports only from the layers before it:
//!
//! - [`text`]: one document's text: normalisation, rules, the body detector, the
//!   [`Cleaner`]; no input or output. It is the crate `pare_text`, which builds without this
//!   crate's file walking, compression, temporary files and progress display;
//! - [`input`]: finding, reading and decoding inputs, JSONL lines and records;
//! - [`output`]: where cleaned text goes, the checks before a run, safe writing, the manifest;
//! - [`run`]: the parallel driver over many inputs, their outcomes and the report;
//! - [`learn`]: counting lines across a corpus into a learned profile;
//! - [`eval`]: scoring cleaned text against gold bodies or must-keep and must-drop phrases.
//!
//! ```
//! use pare::{Cleaner, RuleSet};
//!
//! let cleaner = Cleaner::new(RuleSet::default_rules());
//! let cleaned = cleaner.clean("This article is more than 2 years old\nHeadline\n\nBody.\nAdvertisement\n");
//! assert_eq!(cleaned.text(), "Headline\n\nBody.\n");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod eval;
pub mod input;
pub mod learn;
pub mod output;
pub mod run;

/// One document's text: the `pare_text` crate.
pub use pare_text as text;

pub use text::clean::{Cleaned, Cleaner};
pub use text::normalize::normalize;
pub use text::rules::RuleSet;
pub use text::strip::{Removal, RemovalKind};
