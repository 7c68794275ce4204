//! `pare eval`: scores sets of cleaned texts against gold bodies or snippet annotations, and
//! prints one summary line per set (or JSON), the worst documents when asked.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anyhow::Context;
use serde_json::json;

use pare::eval::{load_snippets, load_texts};
use pare::text::score::{
    score_document, score_missing, score_snippets, summarize, summarize_snippets, SnippetScore, Snippets,
};

use super::args::EvalArgs;
use super::Exit;

/// How many of the worst documents a failed `pare eval --min-f1` names.
const WORST_SHOWN: usize = 5;

/// One set of predictions, scored: what is printed for it.
struct Scored {
    summary: serde_json::Value,
    documents: serde_json::Value,
    /// The summary line, after the set's path.
    line: String,
    /// The lines `--per-doc` adds, worst document first.
    per_doc: Vec<String>,
    /// Why the set fails `--min-f1`, if it does.
    below: Option<String>,
}

impl Scored {
    fn new(
        summary: impl serde::Serialize,
        documents: &impl serde::Serialize,
        line: String,
        per_doc: Vec<String>,
        below: Option<String>,
    ) -> anyhow::Result<Scored> {
        Ok(Scored {
            summary: serde_json::to_value(summary)?,
            documents: serde_json::to_value(documents)?,
            line,
            per_doc,
            below,
        })
    }
}

/// `pare eval`.
pub(super) fn evaluate(args: EvalArgs) -> anyhow::Result<Exit> {
    if let Some(annotations) = &args.snippets {
        let pages = load_snippets(annotations)?;
        anyhow::ensure!(
            !pages.is_empty(),
            "no annotated pages in {}",
            annotations.display()
        );
        return report_each(&args, "annotated pages", &pages, |predictions| {
            score_snippet_set(&args, &pages, predictions)
        });
    }
    let gold_dir = (args.gold.as_deref()).context("give --gold DIR or --snippets FILE")?;
    let gold = load_texts(gold_dir, &args.id_field, &args.field)?;
    anyhow::ensure!(
        !gold.is_empty(),
        "no gold bodies (*.txt) in {}",
        gold_dir.display()
    );
    report_each(&args, "gold documents", &gold, |predictions| {
        score_gold_set(&args, &gold, predictions)
    })
}

/// Scores and prints each set of predictions named on the command line against `truth`.
fn report_each<T>(
    args: &EvalArgs,
    what: &str,
    truth: &BTreeMap<String, T>,
    score: impl Fn(&BTreeMap<String, String>) -> anyhow::Result<Scored>,
) -> anyhow::Result<Exit> {
    let mut results = Vec::new();
    let mut below = false;
    let mut unmatched = false;
    let mut out = io::stdout().lock();
    for path in &args.predictions {
        let predictions = load_texts(path, &args.id_field, &args.field)?;
        let missing = truth.keys().filter(|id| !predictions.contains_key(*id)).count();
        if missing == truth.len() {
            // Nothing to score: a gate must not pass on a set that was never compared.
            unmatched = true;
            eprintln!(
                "pare: error: {}: no prediction matches any of the {} {what} (expected ids such as {}; found {})",
                path.display(),
                truth.len(),
                first_ids(truth.keys()),
                if predictions.is_empty() {
                    "none".to_string()
                } else {
                    first_ids(predictions.keys())
                }
            );
            continue;
        }
        if missing > 0 {
            eprintln!(
                "pare: warning: {}: no prediction for {missing} {what}; scored as empty",
                path.display()
            );
        }
        let scored = score(&predictions)?;
        if let Some(why) = &scored.below {
            below = true;
            eprintln!("pare: error: {}: {why}", path.display());
        }
        if args.json {
            let documents = args.per_doc.then_some(scored.documents);
            results.push(json!({"predictions": path, "summary": scored.summary, "documents": documents}));
            continue;
        }
        writeln!(out, "{}: {}", path.display(), scored.line)?;
        if args.per_doc {
            for line in &scored.per_doc {
                writeln!(out, "{line}")?;
            }
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    }
    Ok(if unmatched {
        Exit::Error
    } else if below {
        Exit::WouldChange
    } else {
        Exit::Success
    })
}

/// The first few of `ids`, quoted, for a message.
fn first_ids<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let shown: Vec<String> = ids.take(3).map(|id| format!("{id:?}")).collect();
    shown.join(", ")
}

/// Word 4-gram scores of one set against the gold bodies.
fn score_gold_set(
    args: &EvalArgs,
    gold: &BTreeMap<String, String>,
    predictions: &BTreeMap<String, String>,
) -> anyhow::Result<Scored> {
    let mut scores: Vec<_> = (gold.iter())
        .map(|(id, body)| match predictions.get(id) {
            Some(predicted) => score_document(id, predicted, body),
            None => score_missing(id, body),
        })
        .collect();
    let summary = summarize(&scores);
    scores.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.id.cmp(&b.id)));
    let below = args.min_f1.filter(|min| summary.strict_f1 < *min).map(|min| {
        let worst: Vec<String> = (scores.iter().take(WORST_SHOWN))
            .map(|score| format!("{} ({:.3})", score.id, score.f1))
            .collect();
        format!(
            "strict F1 {:.3} is below --min-f1 {min}; worst documents: {}",
            summary.strict_f1,
            worst.join(", ")
        )
    });
    let line = format!(
        "{} docs  F1 {:.3}  strict F1 {:.3}  precision {:.3}  strict precision {:.3}  recall {:.3}  accuracy {:.3}  emptied {}  missing {}",
        summary.documents,
        summary.f1,
        summary.strict_f1,
        summary.precision,
        summary.strict_precision,
        summary.recall,
        summary.accuracy,
        summary.emptied,
        summary.missing
    );
    let show = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
    let per_doc = std::iter::once("  F1     precision  recall  document (worst first)".to_string())
        .chain(scores.iter().map(|score| {
            format!(
                "  {:.3}  {:<9}  {:<6}  {}",
                score.f1,
                show(score.precision),
                show(score.recall),
                score.id
            )
        }))
        .collect();
    Scored::new(summary, &scores, line, per_doc, below)
}

/// Snippet scores of one set: the phrases its pages must and must not hold.
fn score_snippet_set(
    args: &EvalArgs,
    pages: &BTreeMap<String, Snippets>,
    predictions: &BTreeMap<String, String>,
) -> anyhow::Result<Scored> {
    let mut scores: Vec<_> = (pages.iter())
        .map(|(id, snippets)| score_snippets(id, predictions.get(id).map_or("", String::as_str), snippets))
        .collect();
    let summary = summarize_snippets(&scores);
    // Worst first: pages that lost their article, then by share of `with` phrases kept.
    let kept = |s: &SnippetScore| s.with_found as f64 / s.with.max(1) as f64;
    scores.sort_by(|a, b| kept(a).total_cmp(&kept(b)).then_with(|| a.id.cmp(&b.id)));
    let below = args.min_f1.filter(|min| summary.f1 < *min).map(|min| {
        let worst: Vec<String> = (scores.iter().take(WORST_SHOWN))
            .map(|score| format!("{} ({}/{} kept)", score.id, score.with_found, score.with))
            .collect();
        format!(
            "F1 {:.3} is below --min-f1 {min}; worst pages: {}",
            summary.f1,
            worst.join(", ")
        )
    });
    let line = format!(
        "{} pages  F1 {:.3}  precision {:.3}  recall {:.3}  accuracy {:.3}  lost every with-snippet {}",
        summary.documents, summary.f1, summary.precision, summary.recall, summary.accuracy, summary.lost_all
    );
    let per_doc = (scores.iter())
        .map(|score| {
            format!(
                "  with {}/{}  without {}/{}  {}",
                score.with_found, score.with, score.without_found, score.without, score.id
            )
        })
        .collect();
    Scored::new(summary, &scores, line, per_doc, below)
}
