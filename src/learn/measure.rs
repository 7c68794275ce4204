//! What a learned profile removes from the documents it was learned from, found by applying
//! it: the figures its header and each rule's evidence give, so that they are what a run with
//! the profile does, not a guess from the counts.

use crate::input::list::InputList;
use crate::input::reading::Reading;
use crate::text::rules::{Profile, RuleError};
use crate::text::strip::RemovalKind;
use crate::{Cleaner, RuleSet};

use super::inputs::{map_documents, Document};
use crate::text::learn::{GroupMeasure, Measured};

/// What one document lost to its group's rules.
struct DocumentMeasure {
    group: String,
    words: u64,
    /// By rule name, the words of the lines it removed.
    removed: Vec<(String, u64)>,
}

/// Applies `profile`'s rules alone (no default rules, no detector) to the documents of
/// `inputs`, each with its group's rules as learning grouped it, and sums what they remove per
/// group and per rule. Documents of groups the profile has no rules for are not counted.
pub fn measure_profile(
    profile: &Profile,
    inputs: &InputList,
    reading: &Reading,
) -> Result<Measured, RuleError> {
    let cleaner = Cleaner::new(RuleSet::empty()).with_profile(profile.clone())?;
    let measure = |(group, _, text): &Document| {
        if !cleaner.has_group(group) {
            return None;
        }
        let cleaned = cleaner.clean_in(text, Some(group));
        let removed = (cleaned.removals().iter())
            .filter(|removal| removal.kind == RemovalKind::Line)
            .map(|removal| {
                (
                    removal.rule.to_string(),
                    word_count(cleaned.removed_text(removal)),
                )
            })
            .collect();
        Some(DocumentMeasure {
            group: group.clone(),
            words: word_count(cleaned.normalized()),
            removed,
        })
    };
    let mut measured = Measured::default();
    let mut add = |document: Option<DocumentMeasure>| {
        let Some(document) = document else { return };
        let group = measured
            .groups
            .entry(document.group)
            .or_insert_with(GroupMeasure::default);
        group.documents += 1;
        group.words += document.words;
        group.touched += u64::from(!document.removed.is_empty());
        let mut rules_here: Vec<&str> = Vec::new();
        for (rule, words) in &document.removed {
            group.removed_words += words;
            let entry = group.rules.entry(rule.clone()).or_default();
            if !rules_here.contains(&rule.as_str()) {
                rules_here.push(rule);
                entry.0 += 1;
            }
            entry.1 += words;
        }
    };
    map_documents(inputs, reading, measure, &mut add, &mut |_| {});
    Ok(measured)
}

/// Words as the measure counts them: runs of characters between white space.
pub fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}
