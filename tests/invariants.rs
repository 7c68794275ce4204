//! What cleaning must satisfy for every input, shared by the property tests
//! (`tests/properties.rs`) and the fuzz targets (`fuzz/`), which include this file.

use std::sync::OnceLock;

use pare::decode::{decode, Decoded};
use pare::detect::DetectMode;
use pare::jsonl::Record;
use pare::{Cleaner, RuleSet};

/// Default rules plus every built-in profile and the body detector, built once.
pub fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut rules = RuleSet::default_rules();
        for (name, _) in pare::rules::builtin_profiles() {
            rules
                .extend(RuleSet::builtin(name).expect("built-in profiles compile"))
                .expect("built-in profiles compile together");
        }
        Cleaner::new(rules).with_detect(DetectMode::Standard)
    })
}

/// True when every output line is a normalised input line, in order; the last output line may
/// instead be a prefix of one (an end mark was stripped from it).
pub fn is_selection_of(output: &str, normalized: &str) -> bool {
    let mut input = normalized.lines().filter(|line| !line.is_empty());
    let kept: Vec<&str> = output.lines().filter(|line| !line.is_empty()).collect();
    kept.iter().enumerate().all(|(index, kept_line)| {
        let last = index + 1 == kept.len();
        input.any(|line| line == *kept_line || (last && line.starts_with(kept_line)))
    })
}

/// Fails with `message` unless `condition` holds.
fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

/// Any bytes, decoded lossily and cleaned: lossy and strict decoding agree on valid UTF-8,
/// normalising is idempotent, the output invents nothing, every removal points at removed text
/// of one line, and cleaning the output again changes nothing.
pub fn check_cleaning(bytes: &[u8]) -> Result<(), String> {
    let strict = decode(bytes, false);
    let Ok(Decoded::Text(text)) = decode(bytes, true) else {
        return Ok(());
    };
    if let Ok(Decoded::Text(strict)) = strict {
        ensure(strict == text, || "lossy and strict decoding differ".into())?;
    }
    let normalized = pare::normalize(&text);
    ensure(pare::normalize(&normalized) == normalized, || {
        format!("normalising twice changes {normalized:?}")
    })?;
    let once = cleaner().clean(&text);
    ensure(is_selection_of(once.text(), once.normalized()), || {
        format!("{:?} is not a selection of {:?}", once.text(), once.normalized())
    })?;
    for removal in once.removals() {
        let removed = once.removed_text(removal);
        ensure(!removed.is_empty() && !removed.contains('\n'), || {
            format!("removal {removal:?} points at {removed:?}")
        })?;
    }
    let twice = cleaner().clean(once.text());
    ensure(twice.text() == once.text() && twice.removals().is_empty(), || {
        format!("cleaning {:?} again gives {:?}", once.text(), twice.text())
    })
}

/// The record as JSON with the cleaned field taken out (at the top level only).
fn without_text(line: &[u8]) -> Option<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_slice(line).ok()?;
    value.as_object_mut()?.remove("text");
    Some(value)
}

/// Any bytes as one JSONL record: parsing never panics, and a record whose text is cleaned and
/// spliced back parses again, holds the cleaned text, and keeps every other field as it was.
pub fn check_record(line: &[u8]) -> Result<(), String> {
    let Ok(record) = Record::parse(line, "text") else {
        return Ok(());
    };
    let cleaned = cleaner().clean(&record.text);
    let mut spliced = Vec::new();
    record.splice_into(cleaned.text(), &mut spliced);
    let again = Record::parse(&spliced, "text").map_err(|err| format!("spliced record: {err}"))?;
    ensure(again.text == cleaned.text(), || {
        "the text is not the cleaned text".into()
    })?;
    ensure(again.id == record.id && again.url == record.url, || {
        "the id or url changed".into()
    })?;
    ensure(without_text(&spliced) == without_text(line), || {
        format!("other fields changed: {}", String::from_utf8_lossy(&spliced))
    })
}
