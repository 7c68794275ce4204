//! Arbitrary bytes as one JSONL record: parsing never panics, and a record whose text is
//! cleaned and spliced back is valid JSON in which every other field is unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pare::detect::DetectMode;
use pare::jsonl::Record;
use pare::{Cleaner, RuleSet};
use serde_json::Value;

const FIELD: &str = "text";

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::new(RuleSet::default_rules()).with_detect(DetectMode::Standard))
}

/// The record as a JSON value with the cleaned field taken out (at the top level only).
fn without_field(line: &[u8]) -> Option<Value> {
    let mut value: Value = serde_json::from_slice(line).ok()?;
    value.as_object_mut()?.remove(FIELD);
    Some(value)
}

fuzz_target!(|line: &[u8]| {
    let Ok(record) = Record::parse(line, FIELD) else {
        return;
    };
    let cleaned = cleaner().clean(&record.text);
    let mut spliced = Vec::new();
    record.splice_into(cleaned.text(), &mut spliced);

    let again = Record::parse(&spliced, FIELD).expect("a spliced record parses");
    assert_eq!(again.text, cleaned.text(), "the field holds the cleaned text");
    assert_eq!(again.id, record.id, "the id is unchanged");
    assert_eq!(again.url, record.url, "the url is unchanged");
    assert_eq!(
        without_field(&spliced),
        without_field(line),
        "other fields are unchanged"
    );
});
