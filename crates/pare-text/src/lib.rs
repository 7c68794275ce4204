//! One scraped document's text pared down to the article body, with no file input or output:
//! normalisation, rule files and site profiles, applying rules, the body detector, an HTML
//! page read into text, and the [`Cleaner`] that chains them; a unified diff of what cleaning
//! removed.
//!
//! Nothing here reads or writes a file, walks a folder or decompresses: the `pare` crate (the
//! command line and its parallel driver) and the Python module both build on this one.
//!
//! ```
//! use pare_text::{Cleaner, RuleSet};
//!
//! let cleaner = Cleaner::new(RuleSet::default_rules());
//! let cleaned = cleaner.clean("This article is more than 2 years old\nHeadline\n\nBody.\nAdvertisement\n");
//! assert_eq!(cleaned.text(), "Headline\n\nBody.\n");
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod clean;
pub mod detect;
pub mod diff;
pub mod html;
pub mod learn;
pub mod normalize;
pub(crate) mod per_thread;
pub mod phrases;
pub mod recognise;
pub mod record;
pub mod rule_file;
pub mod rules;
pub mod score;
pub mod settings;
pub mod site;
pub mod strip;

pub use clean::{Cleaned, Cleaner};
pub use normalize::normalize;
pub use rules::RuleSet;
pub use strip::{Removal, RemovalKind};
