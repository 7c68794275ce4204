//! Outputs: where cleaned text goes, the checks made before any input is read (no output
//! shared, none an input, an output folder pare's own), writing that never replaces what is
//! not pare's own, and the manifest of finished outputs.
//!
//! Builds on [`input`](crate::input) only.

pub mod checks;
pub mod destination;
pub mod manifest;
pub mod write;
