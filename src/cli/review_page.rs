//! `--report-html`: one self-contained page to review a run. A summary (inputs, records,
//! bytes, lines removed per rule and per reason, the documents that lost the most), then each
//! sampled document line by line, removed lines struck through with their rule and reason;
//! filters by rule and reason, a search, and jumps between documents. Styles and script are
//! inlined: the page makes no request, so it works from `file://` and offline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use pare::run::report::Report;
use pare::run::review::{ReviewDocument, ReviewLine, ReviewSample, BY_HASH, LOST_MOST};

const STYLE: &str = include_str!("review_page/style.css");
const SCRIPT: &str = include_str!("review_page/script.js");

/// Separates the rules (and reasons) a document's `data-` attribute lists: a character no rule
/// name or reason holds.
const LIST_SEPARATOR: char = '\u{1f}';

/// The review page of a run: its `report`, the documents `sample` kept, and where the full
/// ledger is (as a link from the page), if one was written.
pub(super) fn render(report: &Report, sample: &ReviewSample, ledger: Option<&str>) -> String {
    let documents = sample.documents();
    let rules: BTreeSet<&str> = (documents.iter())
        .flat_map(|document| document.lines.iter().filter_map(|line| line.rule.as_deref()))
        .chain(report.lines_removed.keys().map(String::as_str))
        .collect();
    let reasons: BTreeSet<&str> = (sample.reasons.keys().map(String::as_str))
        .chain(
            documents
                .iter()
                .flat_map(|document| (document.lines.iter()).filter_map(|line| line.reason_class.as_deref())),
        )
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "pare review: " (count(documents.len() as u64, "document")) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "pare review" }
                    p.meta { (run_line(report)) }
                }
                main {
                    (summary(report, sample, &documents, ledger))
                }
                nav #controls {
                    label { "Rule " (choice("rule", "every rule", &rules)) }
                    label { "Reason " (choice("reason", "every reason", &reasons)) }
                    label { "Search " input #search type="search" placeholder="text in a document"; }
                    button #previous type="button" title="previous document (k)" { "↑ Previous" }
                    button #next type="button" title="next document (j)" { "↓ Next" }
                    output #status { "Showing " (documents.len()) " of " (documents.len()) " documents" }
                }
                main #documents {
                    @for (index, document) in documents.iter().enumerate() {
                        (document_section(index, document, index < sample.lost_most_count()))
                    }
                    @if documents.is_empty() {
                        p.note { "Cleaning removed nothing from any document: there is nothing to review." }
                    }
                }
                footer { "Made by pare " (report.version.as_str()) "." }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// Which pare, when, and for how long.
fn run_line(report: &Report) -> String {
    let mut line = format!("pare {}", report.version.as_str());
    if let Some(started) = &report.started {
        line.push_str(&format!(" · started {started}"));
    }
    if let Some(seconds) = report.elapsed_seconds {
        line.push_str(&format!(" · took {seconds:.1} s"));
    }
    if report.interrupted {
        line.push_str(" · interrupted: this covers the inputs finished before the signal");
    }
    line
}

/// The figures of the run, the removals by rule and by reason, and the documents that lost the
/// most.
fn summary(
    report: &Report,
    sample: &ReviewSample,
    documents: &[&ReviewDocument],
    ledger: Option<&str>,
) -> Markup {
    let lost_most = &documents[..sample.lost_most_count()];
    html! {
        section #summary {
            h2 { "Summary" }
            div.columns {
                table.figures {
                    caption { "The run" }
                    @for (name, value) in figures(report, sample) {
                        tr { th { (name) } td.count { (thousands(value)) } }
                    }
                }
                (counts_table("rule", "Lines removed by rule", &report.lines_removed))
                (counts_table("reason", "Lines removed by reason", &sample.reasons))
            }
            @if !lost_most.is_empty() {
                h3 { "Documents that lost the most" }
                ol #lost-most {
                    @for (index, document) in lost_most.iter().enumerate() {
                        li { a href={ "#doc-" (index) } { (document.name) } " — " (word_change(document)) }
                    }
                }
            }
            p.note #sample {
                (sample_note(sample, documents.len()))
                " "
                @match ledger {
                    Some(ledger) => { "Every removal of the run is in the ledger: " a href=(ledger) { (ledger) } "." }
                    None => { "Give --ledger FILE as well to keep every removal of the run." }
                }
            }
            @if !report.settings.is_empty() {
                details {
                    summary { "Settings" }
                    table {
                        @for (key, setting) in &report.settings {
                            tr { th { (key) } td { (setting["value"].to_string()) } td.note { (setting["source"].as_str().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
    }
}

/// The run's figures that are not zero (inputs and lines removed always).
fn figures(report: &Report, sample: &ReviewSample) -> Vec<(&'static str, u64)> {
    let (files, records) = (&report.files, &report.records);
    let dropped = records.dropped_empty + records.dropped_short + records.dropped_bad;
    [
        ("inputs", files.seen),
        ("cleaned", files.cleaned),
        ("unchanged", files.unchanged),
        ("up to date", files.up_to_date),
        ("skipped", files.skipped),
        ("failed", files.failed),
        ("not taken", files.not_taken),
        ("records", records.seen),
        ("records cleaned", records.cleaned),
        ("bad records", records.bad),
        ("records dropped", dropped),
        ("bytes in", report.bytes.input),
        ("bytes out", report.bytes.output),
        ("lines removed", report.lines_removed.values().sum()),
        ("documents changed", sample.changed),
    ]
    .into_iter()
    .filter(|(name, value)| *value > 0 || matches!(*name, "inputs" | "lines removed"))
    .collect()
}

/// Lines removed per rule or per reason (`filter`), each a button that filters the documents
/// by it.
fn counts_table(filter: &str, caption: &str, counts: &BTreeMap<String, u64>) -> Markup {
    html! {
        table id={ "by-" (filter) } {
            caption { (caption) }
            @for (value, lines) in counts {
                tr {
                    td { button.pick type="button" data-select=(filter) data-value=(value) { (value) } }
                    td.count { (thousands(*lines)) }
                }
            }
        }
    }
}

/// What part of the changed documents the page shows.
fn sample_note(sample: &ReviewSample, shown: usize) -> String {
    if shown as u64 == sample.changed {
        return format!("This page shows every changed document ({shown}).");
    }
    format!(
        "This page shows {shown} of the {} changed documents: the {} that lost the most words and \
         up to {} others, chosen by a hash of their names.",
        thousands(sample.changed),
        sample.lost_most_count().min(LOST_MOST),
        BY_HASH
    )
}

/// One document, line by line.
fn document_section(index: usize, document: &ReviewDocument, lost_most: bool) -> Markup {
    let join = |values: BTreeSet<&str>| {
        let separator = LIST_SEPARATOR.to_string();
        values.into_iter().collect::<Vec<_>>().join(&separator)
    };
    let rules = join(
        document
            .lines
            .iter()
            .filter_map(|line| line.rule.as_deref())
            .collect(),
    );
    let reasons = join(
        document
            .lines
            .iter()
            .filter_map(|line| line.reason_class.as_deref())
            .collect(),
    );
    let id = format!("doc-{index}");
    html! {
        article.doc id=(id) data-rules=(rules) data-reasons=(reasons) {
            h2 {
                a href={ "#" (id) } { (document.name) }
                @if lost_most { span.badge { "lost the most" } }
            }
            p.words { (word_change(document)) }
            div.text {
                @for line in &document.lines {
                    (line_markup(line))
                }
            }
            @if document.lines_not_shown > 0 {
                p.more { "… " (count(document.lines_not_shown as u64, "more line")) " not shown" }
            }
        }
    }
}

/// One line: kept as it is, struck through when removed, marked when a learned cut was passed
/// over at it; each removal with its rule and reason.
fn line_markup(line: &ReviewLine) -> Markup {
    let rule = line.rule.as_deref().unwrap_or("");
    let reason = line.reason_class.as_deref().unwrap_or("");
    let why = match (&line.reason, line.passed_over) {
        (Some(reason), true) => format!("{rule}: passed over, {reason}"),
        (Some(reason), false) => format!("{rule}: {reason}"),
        (None, _) => rule.to_string(),
    };
    html! {
        @if line.rule.is_none() {
            div.line { (line.kept) }
        } @else if line.passed_over {
            div.line.passed data-rule=(rule) data-reason=(reason) { (line.kept) span.why { (why) } }
        } @else if line.kept.is_empty() {
            div.line.removed data-rule=(rule) data-reason=(reason) { del { (line.removed) } span.why { (why) } }
        } @else {
            div.line.suffix data-rule=(rule) data-reason=(reason) { (line.kept) del { (line.removed) } span.why { (why) } }
        }
    }
}

/// A `<select>` of `values`, with an entry for all of them.
fn choice(id: &str, all: &str, values: &BTreeSet<&str>) -> Markup {
    html! {
        select id=(id) {
            option value="" { (all) }
            @for value in values {
                option value=(value) { (value) }
            }
        }
    }
}

/// "1,200 words → 800 (−400)".
fn word_change(document: &ReviewDocument) -> String {
    format!(
        "{} → {} (−{})",
        count(document.words_before as u64, "word"),
        thousands(document.words_after as u64),
        thousands(document.words_lost() as u64)
    )
}

/// `n` with its noun, plural when it is not 1.
fn count(n: u64, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `n` with commas between groups of three digits.
fn thousands(n: u64) -> String {
    indicatif::HumanCount(n).to_string()
}

/// How the page links to the ledger at `ledger`, written with the page at `page`: by its
/// name when both are in one folder, else by its full path as a `file://` address.
pub(super) fn ledger_link(page: &Path, ledger: &Path) -> Option<String> {
    if ledger == Path::new("-") {
        return None;
    }
    if page.parent() == ledger.parent() {
        return ledger.file_name().map(|name| name.to_string_lossy().into_owned());
    }
    let full = std::path::absolute(ledger).ok()?;
    url::Url::from_file_path(full).ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn the_ledger_is_linked_by_name_beside_the_page_and_by_file_address_elsewhere() {
        assert_eq!(
            ledger_link(Path::new("out/review.html"), Path::new("out/l.jsonl")).as_deref(),
            Some("l.jsonl")
        );
        let elsewhere = ledger_link(Path::new("review.html"), Path::new("/srv/runs/l.jsonl")).unwrap();
        assert_eq!(elsewhere, "file:///srv/runs/l.jsonl");
        assert_eq!(ledger_link(Path::new("review.html"), Path::new("-")), None);
    }
}
