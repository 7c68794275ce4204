//! One document's text, with no input or output: normalisation, rule files and profiles,
//! applying rules, the body detector, and the [`Cleaner`](clean::Cleaner) that chains them; a
//! unified diff of what cleaning removed.
//!
//! Nothing here reads or writes a file; everything above builds on it.

pub mod clean;
pub mod detect;
pub mod diff;
pub mod html;
pub mod normalize;
pub(crate) mod per_thread;
pub mod phrases;
pub mod recognise;
pub mod rule_file;
pub mod rules;
pub mod settings;
pub mod strip;
