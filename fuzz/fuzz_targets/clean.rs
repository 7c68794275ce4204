//! Arbitrary bytes through decoding and cleaning with every rule set and the detector: no panic,
//! a second clean changes nothing, and every kept line is a line of the normalised input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pare::decode::{decode, Decoded};
use pare::detect::DetectMode;
use pare::{normalize, Cleaner, RuleSet};

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut rules = RuleSet::default_rules();
        for (name, _) in pare::rules::builtin_profiles() {
            rules.extend(RuleSet::builtin(name).expect("built-in profiles compile"));
        }
        Cleaner::new(rules).with_detect(DetectMode::Standard)
    })
}

/// Every output line is a normalised input line, in order; the last may be a prefix of one
/// (an end mark stripped from it).
fn is_selection_of(output: &str, normalized: &str) -> bool {
    let mut input = normalized.lines().filter(|line| !line.is_empty());
    let kept: Vec<&str> = output.lines().filter(|line| !line.is_empty()).collect();
    kept.iter().enumerate().all(|(index, kept_line)| {
        let last = index + 1 == kept.len();
        input.any(|line| line == *kept_line || (last && line.starts_with(kept_line)))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let strict = decode(bytes, false);
    let Ok(Decoded::Text(text)) = decode(bytes, true) else {
        return;
    };
    if let Ok(Decoded::Text(strict)) = strict {
        assert_eq!(strict, text, "lossy and strict decoding agree on valid input");
    }
    let normalized = normalize(&text);
    assert_eq!(normalize(&normalized), normalized, "normalising is idempotent");

    let once = cleaner().clean(&text);
    assert!(
        is_selection_of(once.text(), once.normalized()),
        "output invents nothing"
    );
    for removal in once.removals() {
        let removed = once.removed_text(removal);
        assert!(!removed.is_empty() && !removed.contains('\n'));
    }
    let twice = cleaner().clean(once.text());
    assert_eq!(twice.text(), once.text(), "cleaning is idempotent");
});
