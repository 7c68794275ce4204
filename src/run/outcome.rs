//! What happened to one input: its [`Outcome`], record counts, removed lines, ledger lines.

use rustc_hash::FxHashMap as HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use crate::input::list::Input;
use crate::run::failure::{Failure, RecordIssue};
use crate::run::review::ReviewSample;
use crate::text::clean::Cleaned;
use crate::text::strip::RemovalKind;

/// Record counts of a JSONL input.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordCounts {
    /// Lines read, blank lines excluded.
    pub seen: u64,
    /// Records whose text cleaning changed.
    pub cleaned: u64,
    /// Records already clean.
    pub unchanged: u64,
    /// Lines that were not usable records.
    pub bad: u64,
    /// Records dropped by `--drop-empty`.
    pub dropped_empty: u64,
    /// Records dropped by `--min-words`.
    pub dropped_short: u64,
    /// Bad lines dropped by `--on-bad-record drop`.
    pub dropped_bad: u64,
}

impl RecordCounts {
    /// Adds another input's counts.
    pub fn add(&mut self, other: &RecordCounts) {
        self.seen += other.seen;
        self.cleaned += other.cleaned;
        self.unchanged += other.unchanged;
        self.bad += other.bad;
        self.dropped_empty += other.dropped_empty;
        self.dropped_short += other.dropped_short;
        self.dropped_bad += other.dropped_bad;
    }
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Cleaning changed the text.
    Changed,
    /// The run was stopped (by a signal) while this input was being cleaned: nothing was
    /// written for it, and it is not counted as done.
    Stopped,
    /// The text was already clean.
    Unchanged,
    /// The input was not processed, for the reason given (binary data).
    Skipped(String),
    /// The output already holds this input cleaned under the same settings; nothing was done.
    UpToDate,
    /// The input could not be processed; the message says why. No output was written for it.
    Failed(Failure),
}

/// The result of processing one input.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The input's display name.
    pub name: String,
    /// What happened.
    pub status: Status,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes of cleaned text (written, or that would be written).
    pub bytes_out: u64,
    /// True when the cleaned text is empty although the input was not.
    pub left_empty: bool,
    /// Bytes destined for standard output: cleaned text or a diff.
    pub stdout: Option<Vec<u8>>,
    /// Record counts, for JSONL inputs.
    pub records: Option<RecordCounts>,
    /// Problems with single records; the input itself went on.
    pub record_errors: Vec<RecordIssue>,
    /// Things the user should know that are not errors (standard input that looks like JSON
    /// lines cleaned as text).
    pub warnings: Vec<String>,
    /// Removal ledger lines (JSON), when asked for.
    pub ledger: Vec<String>,
    /// The lines removed, counted per rule and text: the report's `lines_removed` and
    /// `top_removed_lines` are made from these.
    pub removed_lines: RemovedLines,
    /// The changed documents kept for review, and removals counted by reason (only when
    /// [`Options::review`](crate::run::options::Options::review)).
    pub review: ReviewSample,
    /// The output's manifest key and the hash of the input bytes, when the output manifest is
    /// kept (`--skip-unchanged`).
    pub manifest_entry: Option<(String, String)>,
    /// Standard output was closed by its reader while this input was written to it: the run
    /// ends quietly.
    pub output_closed: bool,
}

impl Outcome {
    pub(crate) fn new(input: &Input) -> Outcome {
        Outcome {
            name: input.display_name(),
            status: Status::Unchanged,
            bytes_in: 0,
            bytes_out: 0,
            left_empty: false,
            stdout: None,
            records: None,
            record_errors: Vec::new(),
            warnings: Vec::new(),
            ledger: Vec::new(),
            removed_lines: RemovedLines::default(),
            review: ReviewSample::default(),
            manifest_entry: None,
            output_closed: false,
        }
    }
}

/// Counts each whole line removed from `cleaned` in `removed`, under its rule, with its text
/// when `texts`, and each learned cut passed over.
pub(crate) fn collect_removed_lines(removed: &mut RemovedLines, cleaned: &Cleaned, texts: bool) {
    let lines = cleaned
        .removals()
        .iter()
        .filter(|removal| removal.kind == RemovalKind::Line);
    for removal in lines {
        removed.add(&removal.rule, texts.then(|| cleaned.removed_text(removal)));
    }
    for passed in cleaned.passed_over() {
        *removed.passed_over.entry(passed.rule.clone()).or_default() += 1;
    }
}

/// One JSON line of the removal ledger per removal of `cleaned`.
pub(crate) fn ledger_lines(
    name: &str,
    record: Option<(&str, u64, Option<&str>)>,
    cleaned: &Cleaned,
    out: &mut Vec<String>,
) {
    // Where the line is: its input, and for a JSONL input the record.
    let located = || {
        let mut entry = serde_json::Map::new();
        entry.insert("path".into(), name.into());
        if let Some((key, position, id)) = record {
            entry.insert(key.into(), position.into());
            if let Some(id) = id {
                entry.insert("id".into(), id.into());
            }
        }
        entry
    };
    for removal in cleaned.removals() {
        let mut entry = located();
        entry.insert("line".into(), removal.line.into());
        entry.insert("start".into(), removal.span.start.into());
        entry.insert("end".into(), removal.span.end.into());
        entry.insert("rule".into(), removal.rule.to_string().into());
        if let Some(reason) = &removal.reason {
            entry.insert("reason".into(), reason.clone().into());
        }
        entry.insert("kind".into(), removal.kind.name().into());
        entry.insert("text".into(), cleaned.removed_text(removal).into());
        out.push(serde_json::Value::Object(entry).to_string());
    }
    // A learned cut that was not made: the marker line it matched stays, and the line says
    // why (`kind` "passed_over"), so that nothing a learned rule left alone goes unexplained.
    for passed in cleaned.passed_over() {
        let mut entry = located();
        entry.insert("line".into(), passed.line.into());
        entry.insert("start".into(), passed.span.start.into());
        entry.insert("end".into(), passed.span.end.into());
        entry.insert("rule".into(), passed.rule.to_string().into());
        entry.insert("reason".into(), passed.reason.clone().into());
        entry.insert("kind".into(), "passed_over".into());
        entry.insert("text".into(), cleaned.normalized()[passed.span.clone()].into());
        out.push(serde_json::Value::Object(entry).to_string());
    }
}

/// Writes an outcome's standard-output bytes, if any.
pub fn write_stdout(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    match &outcome.stdout {
        Some(bytes) => out.write_all(bytes),
        None => Ok(()),
    }
}

/// How many distinct removed lines are counted per rule; past this, new texts are not tracked
/// (their lines still count in `lines_removed`), which bounds memory whatever the input size.
const DISTINCT_LINES_PER_RULE: usize = 10_000;

/// Lines removed, per rule, and how often each text was removed: what `lines_removed` and
/// `top_removed_lines` are made from. Kept per input while it is cleaned and merged into the
/// report; at most 10,000 texts are tracked per rule.
#[derive(Debug, Default, Clone)]
pub struct RemovedLines {
    per_rule: HashMap<Arc<str>, RuleLines>,
    /// Documents in which each learned cut was passed over.
    passed_over: HashMap<Arc<str>, u64>,
}

#[derive(Debug, Default, Clone)]
struct RuleLines {
    total: u64,
    texts: HashMap<String, u64>,
}

impl RuleLines {
    fn count_text(&mut self, text: &str, count: u64) {
        if let Some(seen) = self.texts.get_mut(text) {
            *seen += count;
        } else if self.texts.len() < DISTINCT_LINES_PER_RULE {
            self.texts.insert(text.to_string(), count);
        }
    }
}

impl RemovedLines {
    /// Counts one line `rule` removed, and its text if given.
    pub fn add(&mut self, rule: &Arc<str>, text: Option<&str>) {
        let lines = self.per_rule.entry(rule.clone()).or_default();
        lines.total += 1;
        if let Some(text) = text {
            lines.count_text(text, 1);
        }
    }

    /// Each rule with the number of lines it removed and the tracked texts with their counts.
    pub fn per_rule(&self) -> impl Iterator<Item = (&str, u64, impl Iterator<Item = (&str, u64)>)> {
        self.per_rule.iter().map(|(rule, lines)| {
            let texts = lines.texts.iter().map(|(text, count)| (text.as_str(), *count));
            (&**rule, lines.total, texts)
        })
    }

    /// Each learned rule passed over somewhere, with the number of documents.
    pub fn passed_over(&self) -> impl Iterator<Item = (&str, u64)> {
        self.passed_over.iter().map(|(rule, count)| (&**rule, *count))
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &RemovedLines) {
        for (rule, count) in &other.passed_over {
            *self.passed_over.entry(rule.clone()).or_default() += count;
        }
        for (rule, lines) in &other.per_rule {
            let mine = self.per_rule.entry(rule.clone()).or_default();
            mine.total += lines.total;
            for (text, count) in &lines.texts {
                mine.count_text(text, *count);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_lines_keep_a_bounded_number_of_texts_and_count_every_line() {
        let rule: Arc<str> = Arc::from("detect");
        let mut removed = RemovedLines::default();
        for i in 0..DISTINCT_LINES_PER_RULE + 500 {
            removed.add(&rule, Some(&format!("teaser {i}")));
        }
        removed.add(&rule, Some("teaser 0"));
        let mut merged = RemovedLines::default();
        merged.merge(&removed);
        merged.merge(&removed);
        let lines = &merged.per_rule[&rule];
        assert_eq!(lines.texts.len(), DISTINCT_LINES_PER_RULE);
        assert_eq!(lines.total, 2 * (DISTINCT_LINES_PER_RULE as u64 + 501));
        assert_eq!(lines.texts["teaser 0"], 4);
    }

    #[test]
    fn removed_lines_are_counted_by_rule_with_their_texts_only_when_asked() {
        let cleaner = crate::Cleaner::new(crate::RuleSet::default_rules());
        let cleaned = cleaner.clean("Share\nThe body of the story.\nShare\n");
        let (mut counted, mut with_texts) = (RemovedLines::default(), RemovedLines::default());
        collect_removed_lines(&mut counted, &cleaned, false);
        collect_removed_lines(&mut with_texts, &cleaned, true);
        let share = |removed: &RemovedLines| removed.per_rule["share-buttons"].clone();
        assert_eq!((share(&counted).total, share(&counted).texts.len()), (2, 0));
        assert_eq!(share(&with_texts).total, 2);
        assert_eq!(share(&with_texts).texts["Share"], 2);
    }
}
