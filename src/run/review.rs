//! Documents kept for a person to review (`--report-html`): each changed document's lines with
//! what was removed and why, for a bounded sample of a run's documents. The sample is the
//! documents that lost the most words and others chosen by a hash of their names, so it is the
//! same whatever the thread count or the order documents finish in, and its size is bounded
//! whatever the size of the run. Removals are also counted by reason over every document.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::text::clean::Cleaned;
use crate::text::strip::RemovalKind;

/// How many of the documents that lost the most words are kept.
pub const LOST_MOST: usize = 50;

/// How many other changed documents are shown, chosen by a hash of their names.
pub const BY_HASH: usize = 150;

/// How many documents with the smallest hashes are kept: enough that [`BY_HASH`] of them are
/// not among those that lost the most.
const HASH_KEPT: usize = LOST_MOST + BY_HASH;

/// How much of a document's text is kept; the lines past it are counted, not shown.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// The reason class of removals made by a rule (the detector says more of its own).
pub const BY_A_RULE: &str = "a rule";

/// One line of a reviewed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    /// The text that stays (all of the line, unless it was removed).
    pub kept: String,
    /// The text that went: the whole line, an end mark, or nothing.
    pub removed: String,
    /// The rule that removed it, or the learned cut passed over at it.
    pub rule: Option<Arc<str>>,
    /// Why, as the ledger says it.
    pub reason: Option<String>,
    /// The class of the reason, for filtering: the detector's reason up to its first comma or
    /// colon, or [`BY_A_RULE`].
    pub reason_class: Option<String>,
    /// Whether this line is a learned cut's marker that was passed over (nothing removed).
    pub passed_over: bool,
}

/// One document, as the review page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDocument {
    /// Its name: the input's, and for a JSONL record its line and `id`.
    pub name: String,
    /// Words of the normalised text, before removals.
    pub words_before: usize,
    /// Words of the cleaned text.
    pub words_after: usize,
    /// Its lines, up to [`MAX_DOCUMENT_BYTES`].
    pub lines: Vec<ReviewLine>,
    /// Lines past [`MAX_DOCUMENT_BYTES`], not kept.
    pub lines_not_shown: usize,
}

impl ReviewDocument {
    /// Words lost to cleaning.
    pub fn words_lost(&self) -> usize {
        self.words_before.saturating_sub(self.words_after)
    }
}

/// The documents kept for review out of all those offered, and counts over all of them.
#[derive(Debug, Clone, Default)]
pub struct ReviewSample {
    /// Changed documents offered.
    pub changed: u64,
    /// Whole lines removed per reason class, over every document offered.
    pub reasons: BTreeMap<String, u64>,
    /// The documents that lost the most words, most first, each with its name's hash. A
    /// document in both lists is shared, not copied.
    lost_most: Vec<(u64, Arc<ReviewDocument>)>,
    /// The documents with the smallest name hashes, each with its hash.
    by_hash: Vec<(u64, Arc<ReviewDocument>)>,
}

impl ReviewSample {
    /// Offers a cleaned document: counts its removals, and keeps it if it is among the
    /// documents sampled so far. A document nothing was removed from is not kept.
    pub fn offer(&mut self, name: impl FnOnce() -> String, cleaned: &Cleaned) {
        if cleaned.removals().is_empty() && cleaned.passed_over().is_empty() {
            return;
        }
        self.changed += 1;
        // Whole lines, as the report counts lines removed; an end mark cut off a line is shown,
        // not counted.
        for removal in cleaned
            .removals()
            .iter()
            .filter(|removal| removal.kind == RemovalKind::Line)
        {
            *self
                .reasons
                .entry(reason_class(removal.reason.as_deref()))
                .or_default() += 1;
        }
        let words_before = cleaned.normalized().split_whitespace().count();
        let words_after = cleaned.text().split_whitespace().count();
        let lost = words_before.saturating_sub(words_after);
        let name = name();
        let hash = name_hash(&name);
        if !self.takes_lost(lost, &name) && !self.takes_hash(hash, &name) {
            return;
        }
        let document = document(name, words_before, words_after, cleaned);
        self.keep(hash, Arc::new(document));
    }

    /// Adds another sample (of other documents) to this one.
    pub fn merge(&mut self, other: ReviewSample) {
        self.changed += other.changed;
        for (class, count) in other.reasons {
            *self.reasons.entry(class).or_default() += count;
        }
        for (hash, document) in other.lost_most.into_iter().chain(other.by_hash) {
            self.keep(hash, document);
        }
    }

    /// The documents to show: those that lost the most words (most first), then [`BY_HASH`]
    /// others with the smallest name hashes, by name.
    pub fn documents(&self) -> Vec<&ReviewDocument> {
        let mut others: Vec<&ReviewDocument> = (self.by_hash.iter())
            .map(|(_, document)| &**document)
            .filter(|document| !self.lost_most.iter().any(|(_, lost)| lost.name == document.name))
            .take(BY_HASH)
            .collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        (self.lost_most.iter().map(|(_, document)| &**document))
            .chain(others)
            .collect()
    }

    /// How many of the kept documents are among those that lost the most.
    pub fn lost_most_count(&self) -> usize {
        self.lost_most.len()
    }

    /// Whether a document that lost `lost` words ranks among those that lost the most.
    fn takes_lost(&self, lost: usize, name: &str) -> bool {
        self.lost_most.len() < LOST_MOST
            || self
                .lost_most
                .last()
                .is_some_and(|(_, last)| lost_rank(lost, name) < lost_rank(last.words_lost(), &last.name))
    }

    /// Whether a document whose name hashes to `hash` ranks among the smallest hashes.
    fn takes_hash(&self, hash: u64, name: &str) -> bool {
        self.by_hash.len() < HASH_KEPT
            || self
                .by_hash
                .last()
                .is_some_and(|(last, kept)| (hash, name) < (*last, kept.name.as_str()))
    }

    /// Keeps `document` where it ranks, dropping what falls out of each list. Ties are broken
    /// by name, so the sample does not depend on the order documents come in.
    fn keep(&mut self, hash: u64, document: Arc<ReviewDocument>) {
        let name = document.name.as_str();
        if self.takes_hash(hash, name) && !self.by_hash.iter().any(|(_, kept)| kept.name == name) {
            let at =
                (self.by_hash).partition_point(|(kept, other)| (*kept, other.name.as_str()) < (hash, name));
            self.by_hash.insert(at, (hash, Arc::clone(&document)));
            self.by_hash.truncate(HASH_KEPT);
        }
        let lost = document.words_lost();
        let name = document.name.as_str();
        if self.takes_lost(lost, name) && !self.lost_most.iter().any(|(_, kept)| kept.name == name) {
            let rank = lost_rank(lost, name);
            let at =
                (self.lost_most).partition_point(|(_, kept)| lost_rank(kept.words_lost(), &kept.name) < rank);
            self.lost_most.insert(at, (hash, document));
            self.lost_most.truncate(LOST_MOST);
        }
    }
}

/// Where a document ranks among those that lost the most: more words lost first, then by name.
fn lost_rank(lost: usize, name: &str) -> (std::cmp::Reverse<usize>, &str) {
    (std::cmp::Reverse(lost), name)
}

/// The class of a removal's reason: the detector's reason up to its first comma or colon
/// ("other stories", "before the body span"), or [`BY_A_RULE`].
pub fn reason_class(reason: Option<&str>) -> String {
    match reason {
        None => BY_A_RULE.to_string(),
        Some(reason) => {
            let end = reason.find([',', ':']).unwrap_or(reason.len());
            reason[..end].trim().to_string()
        }
    }
}

/// A stable hash of a document's name, for the sample.
fn name_hash(name: &str) -> u64 {
    let hash = blake3::hash(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// The lines of a cleaned document with their removals.
fn document(name: String, words_before: usize, words_after: usize, cleaned: &Cleaned) -> ReviewDocument {
    let text = cleaned.normalized();
    let mut lines = Vec::new();
    let mut shown_bytes = 0;
    let mut lines_not_shown = 0;
    let mut removals: Vec<_> = cleaned.removals().iter().collect();
    removals.sort_by_key(|removal| removal.line);
    let mut removals = removals.into_iter().peekable();
    let mut passed: Vec<_> = cleaned.passed_over().iter().collect();
    passed.sort_by_key(|passed| passed.line);
    let mut passed = passed.into_iter().peekable();
    let mut start = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let end = start + line.len();
        start += raw.len();
        let removal = removals.next_if(|removal| removal.line == number);
        let passed_over = passed.next_if(|passed| passed.line == number);
        if shown_bytes >= MAX_DOCUMENT_BYTES {
            lines_not_shown += 1;
            continue;
        }
        shown_bytes += line.len();
        let review = match (removal, passed_over) {
            (Some(removal), _) => {
                let cut = (removal.kind == RemovalKind::Suffix)
                    .then(|| removal.span.start.saturating_sub(end - line.len()))
                    .filter(|&at| line.is_char_boundary(at))
                    .unwrap_or(0);
                ReviewLine {
                    kept: line[..cut].to_string(),
                    removed: line[cut..].to_string(),
                    rule: Some(removal.rule.clone()),
                    reason: removal.reason.clone(),
                    reason_class: Some(reason_class(removal.reason.as_deref())),
                    passed_over: false,
                }
            }
            (None, Some(passed)) => ReviewLine {
                kept: line.to_string(),
                removed: String::new(),
                rule: Some(passed.rule.clone()),
                reason: Some(passed.reason.clone()),
                reason_class: Some("learned cut passed over".to_string()),
                passed_over: true,
            },
            (None, None) => ReviewLine {
                kept: line.to_string(),
                removed: String::new(),
                rule: None,
                reason: None,
                reason_class: None,
                passed_over: false,
            },
        };
        lines.push(review);
    }
    ReviewDocument {
        name,
        words_before,
        words_after,
        lines,
        lines_not_shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::clean::Cleaner;

    fn cleaned(text: &str) -> Cleaned {
        Cleaner::new(crate::text::rules::RuleSet::default_rules()).clean(text)
    }

    fn article(words: usize) -> String {
        let body: Vec<String> = (0..words / 8)
            .map(|i| format!("Sentence {i} of the story tells what the council did today."))
            .collect();
        // More chrome in some pages than in others, so that pages lose different amounts.
        let ads = "Advertisement\n".repeat(words % 5);
        format!("Skip to content\n{ads}{}\nShare this article\n", body.join(" "))
    }

    #[test]
    fn a_document_shows_each_line_with_what_removed_it() {
        let mut sample = ReviewSample::default();
        sample.offer(|| "a.txt".to_string(), &cleaned(&article(40)));
        let documents = sample.documents();
        let lines = &documents[0].lines;
        assert_eq!(lines[0].removed, "Skip to content");
        assert_eq!(lines[0].kept, "");
        assert_eq!(lines[0].rule.as_deref(), Some("skip-link"));
        assert_eq!(lines[0].reason_class.as_deref(), Some(BY_A_RULE));
        assert!(lines[1].removed.is_empty() && lines[1].kept.starts_with("Sentence 0"));
        assert_eq!(lines[2].rule.as_deref(), Some("share-buttons"));
        assert_eq!(sample.reasons[BY_A_RULE], 2);
        assert_eq!(documents[0].words_before - documents[0].words_after, 6);
    }

    #[test]
    fn an_unchanged_document_is_not_kept() {
        let mut sample = ReviewSample::default();
        sample.offer(
            || "a.txt".to_string(),
            &cleaned("One plain sentence of a body.\n"),
        );
        assert_eq!((sample.changed, sample.documents().len()), (0, 0));
    }

    #[test]
    fn the_sample_is_bounded_and_the_same_in_any_order_or_split() {
        let pages: Vec<(String, Cleaned)> = (0..400)
            .map(|i| (format!("page-{i}.txt"), cleaned(&article(8 + i % 37))))
            .collect();
        let mut forwards = ReviewSample::default();
        for (name, page) in &pages {
            forwards.offer(|| name.clone(), page);
        }
        let (mut first, mut second) = (ReviewSample::default(), ReviewSample::default());
        for (i, (name, page)) in pages.iter().enumerate().rev() {
            let half = if i % 3 == 0 { &mut first } else { &mut second };
            half.offer(|| name.clone(), page);
        }
        second.merge(first);
        let names = |sample: &ReviewSample| -> Vec<String> {
            sample
                .documents()
                .iter()
                .map(|document| document.name.clone())
                .collect()
        };
        assert_eq!(names(&forwards), names(&second));
        assert_eq!(forwards.changed, 400);
        assert_eq!(forwards.documents().len(), LOST_MOST + BY_HASH);
        // The documents that lost the most come first, most first.
        let lost: Vec<usize> = forwards.documents()[..LOST_MOST]
            .iter()
            .map(|d| d.words_lost())
            .collect();
        assert!(lost.windows(2).all(|pair| pair[0] >= pair[1]), "{lost:?}");
        let most = pages.iter().map(|(_, page)| {
            page.normalized().split_whitespace().count() - page.text().split_whitespace().count()
        });
        assert_eq!(lost[0], most.max().unwrap());
    }

    #[test]
    fn a_long_document_is_cut_short_and_says_how_much_is_not_shown() {
        let line = "A line of the body that goes on for a while, as body lines do.\n";
        let text = format!("Skip to content\n{}", line.repeat(5000));
        let mut sample = ReviewSample::default();
        sample.offer(|| "long.txt".to_string(), &cleaned(&text));
        let document = sample.documents()[0];
        let shown: usize = document
            .lines
            .iter()
            .map(|line| line.kept.len() + line.removed.len())
            .sum();
        assert!(shown <= MAX_DOCUMENT_BYTES + line.len(), "{shown}");
        assert_eq!(document.lines.len() + document.lines_not_shown, 5001);
        assert!(document.lines_not_shown > 0);
    }

    #[test]
    fn reason_classes_are_the_reasons_first_phrase() {
        assert_eq!(
            reason_class(Some("other stories, from “Most read”")),
            "other stories"
        );
        assert_eq!(
            reason_class(Some("before the body span: body score 0.05 < 0.88")),
            "before the body span"
        );
        assert_eq!(reason_class(None), BY_A_RULE);
    }
}
