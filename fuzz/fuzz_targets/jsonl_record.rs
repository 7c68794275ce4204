//! Arbitrary bytes as one JSONL record: parsing never panics, and a record whose text is
//! cleaned and spliced back is valid JSON in which every other field is unchanged.
#![no_main]

// Each target uses its own part of the shared checks.
#[allow(dead_code)]
#[path = "../../tests/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|line: &[u8]| {
    if let Err(failure) = invariants::check_record(line) {
        panic!("{failure}");
    }
});
