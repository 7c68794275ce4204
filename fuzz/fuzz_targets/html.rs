//! Arbitrary bytes read as an HTML page and cleaned: no panic, text that is normalised and
//! cleans to a selection of its lines, and a second clean changes nothing.
#![no_main]

// Each target uses its own part of the shared checks.
#[allow(dead_code)]
#[path = "../../tests/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    if let Err(failure) = invariants::check_html(bytes) {
        panic!("{failure}");
    }
});
