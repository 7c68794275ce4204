#![doc = include_str!("../README.md")]
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
