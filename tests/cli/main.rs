//! Integration tests: drive the built `pare` binary in temporary directories.

mod clean;
mod config;
mod eval;
mod extremes;
mod faults;
mod fixtures;
mod html;
mod jsonl;
mod learn;
mod learn_safety;
mod recognise;
mod resume;
mod review_page;
mod safety;
mod signals;
mod support;
#[path = "../support/synth.rs"]
mod synth;
