//! Arbitrary bytes through decoding and cleaning with every rule set and the detector: no panic,
//! a second clean changes nothing, and every kept line is a line of the normalised input.
#![no_main]

// Each target uses its own part of the shared checks.
#[allow(dead_code)]
#[path = "../../tests/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(failure) = invariants::check_cleaning(bytes) {
        panic!("{failure}");
    }
});
