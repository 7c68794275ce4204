//! The run report: counts, bytes, removals per rule, documents left empty and every error, as
//! JSON for machines and as a one-paragraph summary for people.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::lines::Position;
use crate::run::outcome::{Outcome, RemovedLines, Status};

/// Counts of inputs by what happened to them.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FileCounts {
    /// Inputs taken for cleaning.
    pub seen: u64,
    /// Inputs whose text cleaning changed.
    pub cleaned: u64,
    /// Inputs that were already clean.
    pub unchanged: u64,
    /// Inputs skipped (binary).
    pub skipped: u64,
    /// Inputs whose output was already up to date (`--skip-unchanged`).
    pub up_to_date: u64,
    /// Inputs that failed; each has an entry in `errors`.
    pub failed: u64,
    /// Files found in directories but not taken by the file selection.
    pub not_taken: u64,
    /// The first hundred of them, by path (`not_taken` counts them all).
    pub not_taken_named: Vec<String>,
}

/// Byte totals over the inputs that were read.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct ByteCounts {
    /// Bytes read.
    pub input: u64,
    /// Bytes of cleaned text.
    pub output: u64,
}

/// One problem, tied to the path it concerns.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PathMessage {
    /// The input (or `<stdin>`).
    pub path: String,
    /// The line of a JSONL input the message is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The byte offset of that line, in a byte-range shard, where line numbers are not known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// What went wrong, or why it was skipped.
    pub message: String,
}
/// How many of the most removed lines per rule the report lists.
const TOP_LINES_PER_RULE: usize = 10;

/// One of the lines a rule removed most often.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopLine {
    /// The removed line.
    pub text: String,
    /// How many times it was removed.
    pub count: u64,
}

/// The version of pare, as a report says it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Version(&'static str);

impl Version {
    /// The version, as text.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Default for Version {
    fn default() -> Version {
        Version(env!("CARGO_PKG_VERSION"))
    }
}

/// Everything a run did, in a stable order (paths sorted), whatever the thread count.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    /// The version of pare that made it.
    pub version: Version,
    /// When the run started (RFC 3339, UTC), as the caller says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// How long it took, in seconds, as the caller says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_seconds: Option<f64>,
    /// The settings in effect (after any configuration file and the flags): each with its
    /// `value` and `source`.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub settings: serde_json::Map<String, serde_json::Value>,
    /// Input counts.
    pub files: FileCounts,
    /// Byte totals.
    pub bytes: ByteCounts,
    /// JSONL record counts (all zero when no JSONL input was read).
    pub records: crate::run::outcome::RecordCounts,
    /// Lines removed, per rule name (filled in by [`Report::finish`]).
    pub lines_removed: BTreeMap<String, u64>,
    /// The lines each rule removed most often: where to look for false positives.
    pub top_removed_lines: BTreeMap<String, Vec<TopLine>>,
    /// Learned cuts not made because they would have taken most of a document's running
    /// text: documents per rule (the ledger names each, with the reason).
    pub cuts_passed_over: BTreeMap<String, u64>,
    #[serde(skip)]
    removed: RemovedLines,
    /// Inputs whose cleaned text is empty.
    pub left_empty: Vec<String>,
    /// Inputs skipped, with the reason.
    pub skipped: Vec<PathMessage>,
    /// Inputs that failed, with the error.
    pub errors: Vec<PathMessage>,
    /// Inputs that cleaning changed (or, under `--check` and `--diff`, would change); empty in
    /// a report made [`Report::counting_only`].
    pub changed: Vec<String>,
    /// Changed inputs are counted, not named.
    #[serde(skip)]
    counting_only: bool,
    /// The run was stopped by a signal: the report covers the inputs finished before it.
    pub interrupted: bool,
}

impl Report {
    /// A report that counts changed inputs without naming them, for a run whose report is
    /// only summed up: memory then does not grow with the number of inputs.
    pub fn counting_only() -> Report {
        Report {
            counting_only: true,
            ..Report::default()
        }
    }

    /// Adds one input's outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        if outcome.status == Status::Stopped {
            // Not done: a resumed run does it, and reports it then.
            self.interrupted = true;
            return;
        }
        self.files.seen += 1;
        self.bytes.input += outcome.bytes_in;
        self.bytes.output += outcome.bytes_out;
        match &outcome.status {
            Status::Changed => {
                self.files.cleaned += 1;
                if !self.counting_only {
                    self.changed.push(outcome.name.clone());
                }
            }
            Status::Unchanged => self.files.unchanged += 1,
            Status::UpToDate => self.files.up_to_date += 1,
            Status::Skipped(reason) => {
                self.files.skipped += 1;
                self.skipped.push(path_message(&outcome.name, reason));
            }
            Status::Failed(failure) => self.add_error(&outcome.name, &failure.to_string()),
            Status::Stopped => {}
        }
        if let Some(records) = &outcome.records {
            self.records.add(records);
        }
        for issue in &outcome.record_errors {
            let (line, offset) = match issue.position {
                Position::Line(line) => (Some(line as u64), None),
                Position::Byte(offset) => (None, Some(offset)),
            };
            self.errors.push(PathMessage {
                line,
                offset,
                ..path_message(&outcome.name, &issue.message)
            });
        }
        self.removed.merge(&outcome.removed_lines);
        if outcome.left_empty {
            self.left_empty.push(outcome.name.clone());
        }
    }

    /// Records a failure that belongs to no single cleaned input (a path that could not be
    /// walked) or to one that failed.
    pub fn add_error(&mut self, path: &str, message: &str) {
        self.files.failed += 1;
        self.errors.push(path_message(path, message));
    }

    /// Fills in the per-rule figures (`lines_removed`, `top_removed_lines`) from the lines
    /// counted so far, and sorts the per-path lists so the report does not depend on
    /// scheduling.
    pub fn finish(&mut self) {
        for (rule, documents) in self.removed.passed_over() {
            self.cuts_passed_over.insert(rule.to_string(), documents);
        }
        for (rule, total, texts) in self.removed.per_rule() {
            self.lines_removed.insert(rule.to_string(), total);
            let mut top: Vec<TopLine> = texts
                .map(|(text, count)| TopLine {
                    text: text.to_string(),
                    count,
                })
                .collect();
            top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
            top.truncate(TOP_LINES_PER_RULE);
            self.top_removed_lines.insert(rule.to_string(), top);
        }
        self.left_empty.sort();
        self.changed.sort();
        self.skipped.sort();
        self.errors.sort();
    }

    /// Total lines removed by all rules.
    pub fn total_lines_removed(&self) -> u64 {
        self.lines_removed.values().sum()
    }

    /// The report as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a report always serialises");
        json.push('\n');
        json
    }

    /// A one-line summary for people. `dry_run` (`--check`, `--diff`): nothing was written, so
    /// inputs that cleaning changes are said to be ones that would change.
    pub fn summary(&self, dry_run: bool) -> String {
        let files = &self.files;
        let mut line = format!(
            "{} {}: {} {}, {} unchanged",
            files.seen,
            plural(files.seen, "file"),
            files.cleaned,
            if dry_run { "would change" } else { "cleaned" },
            files.unchanged
        );
        for (count, what) in [
            (files.up_to_date, "skipped as up to date"),
            (files.skipped, "skipped"),
            (files.failed, "failed"),
        ] {
            if count > 0 {
                line.push_str(&format!(", {count} {what}"));
            }
        }
        if files.not_taken > 0 {
            line.push_str(&format!(" ({} not taken)", files.not_taken));
        }
        line.push_str(&format!(
            "; {} in, {} out; {} {} removed",
            human_bytes(self.bytes.input),
            human_bytes(self.bytes.output),
            self.total_lines_removed(),
            plural(self.total_lines_removed(), "line")
        ));
        if !self.left_empty.is_empty() {
            line.push_str(&format!("; {} left empty", self.left_empty.len()));
        }
        let passed_over: u64 = self.cuts_passed_over.values().sum();
        if passed_over > 0 {
            line.push_str(&format!(
                "; {passed_over} learned {} passed over where {} would take most of the text",
                plural(passed_over, "cut"),
                if passed_over == 1 { "it" } else { "they" }
            ));
        }
        let records = &self.records;
        if records.seen > 0 {
            line.push_str(&format!(
                "; {} {}: {} {}, {} unchanged",
                records.seen,
                plural(records.seen, "record"),
                records.cleaned,
                if dry_run { "would change" } else { "cleaned" },
                records.unchanged
            ));
            for (count, what) in [
                (records.bad, "bad"),
                (records.dropped_empty, "dropped empty"),
                (records.dropped_short, "dropped short"),
                (records.dropped_bad, "bad dropped"),
            ] {
                if count > 0 {
                    line.push_str(&format!(", {count} {what}"));
                }
            }
        }
        line
    }
}

fn path_message(path: &str, message: &str) -> PathMessage {
    PathMessage {
        path: path.to_string(),
        line: None,
        offset: None,
        message: message.to_string(),
    }
}

fn plural(count: u64, word: &str) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn human_bytes(bytes: u64) -> String {
    indicatif::HumanBytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn outcome(name: &str, status: Status) -> Outcome {
        let mut outcome = Outcome::new(&crate::input::list::Input::Stdin);
        outcome.name = name.to_string();
        outcome.status = status;
        outcome.bytes_in = 10;
        outcome.bytes_out = 4;
        let share: Arc<str> = Arc::from("share");
        outcome.removed_lines.add(&share, Some("Share"));
        outcome.removed_lines.add(&share, Some("Share"));
        outcome
    }

    #[test]
    fn counts_and_sorts_everything() {
        let mut report = Report::default();
        report.add(&outcome(
            "b",
            Status::Failed(crate::run::failure::Failure::Internal),
        ));
        report.add(&outcome(
            "a",
            Status::Failed(crate::run::failure::Failure::Internal),
        ));
        report.add(&outcome("c", Status::Changed));
        report.add(&outcome("d", Status::Skipped("binary".into())));
        report.finish();
        assert_eq!(report.files.seen, 4);
        assert_eq!(
            (report.files.cleaned, report.files.failed, report.files.skipped),
            (1, 2, 1)
        );
        assert_eq!(report.errors[0].path, "a");
        assert_eq!(report.lines_removed["share"], 8);
        assert_eq!(report.bytes.input, 40);
        assert!(report
            .summary(false)
            .starts_with("4 files: 1 cleaned, 0 unchanged, 1 skipped, 2 failed;"));
        assert!(report
            .summary(true)
            .starts_with("4 files: 1 would change, 0 unchanged"));
        assert_eq!(report.changed, ["c"]);
    }

    #[test]
    fn a_report_counting_only_names_no_changed_input() {
        let mut report = Report::counting_only();
        report.add(&outcome("c", Status::Changed));
        report.finish();
        assert_eq!(report.files.cleaned, 1);
        assert!(report.changed.is_empty());
    }
}
