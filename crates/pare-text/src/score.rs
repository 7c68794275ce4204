//! Scoring cleaned text against hand-cleaned gold bodies with word 4-gram shingles, or against
//! must-keep and must-drop phrases. Only the metric: reading the texts and annotations it
//! scores is the `pare` crate's.
//!
//! Tokens are maximal runs of word characters; each text becomes the multiset of its
//! consecutive 4-token windows (a text of one to three tokens gives one shorter window). Per
//! document, matched windows are true positives; the rest of each side are false positives or
//! false negatives. Precision is averaged over documents whose prediction has a window, recall
//! over documents whose gold body has one, and F1 is the harmonic mean of the two averages.
//! Strict precision also counts an empty prediction for a non-empty gold body as 0.
//!
//! The snippet metric ([`score_snippets`]) needs no gold body, only a few phrases per page that
//! a clean article must hold (`with`) and must not (`without`): whitespace-normalised, a phrase
//! found in the output is a true positive (`with`) or a false positive (`without`); counts are
//! summed over all pages. A page that keeps none of its `with` phrases lost its whole article.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

/// Number of tokens in a shingle.
pub const SHINGLE: usize = 4;

/// The word tokens of a text, as the metric counts them.
pub fn tokens(text: &str) -> Vec<&str> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(r"[\p{Alphabetic}\p{Nd}_]+").expect("valid regex"));
    word.find_iter(text).map(|m| m.as_str()).collect()
}

/// The word shingles of a token sequence with their counts: each run of [`SHINGLE`] tokens, or
/// the whole sequence when it is shorter.
pub fn shingles<'a>(tokens: &'a [&'a str]) -> HashMap<&'a [&'a str], u32> {
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    if tokens.len() < SHINGLE {
        counts.insert(tokens, 1);
        return counts;
    }
    for window in tokens.windows(SHINGLE) {
        *counts.entry(window).or_insert(0) += 1;
    }
    counts
}

/// The score of one predicted document against its gold body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DocScore {
    /// The document's key.
    pub id: String,
    /// Matched shingles.
    pub true_positives: u64,
    /// Predicted shingles beyond the gold count.
    pub false_positives: u64,
    /// Gold shingles beyond the predicted count.
    pub false_negatives: u64,
    /// Precision, when the prediction has a shingle.
    pub precision: Option<f64>,
    /// Recall, when the gold body has a shingle.
    pub recall: Option<f64>,
    /// Harmonic mean of this document's precision and recall (0 when either is missing).
    pub f1: f64,
    /// The prediction's token sequence equals the gold's.
    pub exact: bool,
    /// There was no prediction for this document (scored as empty).
    pub missing: bool,
}

/// Scores a document with no prediction at all: as an empty one, marked missing.
pub fn score_missing(id: &str, gold: &str) -> DocScore {
    DocScore {
        missing: true,
        ..score_document(id, "", gold)
    }
}

/// Scores one prediction against one gold body.
pub fn score_document(id: &str, predicted: &str, gold: &str) -> DocScore {
    let predicted_tokens = tokens(predicted);
    let gold_tokens = tokens(gold);
    let predicted_shingles = shingles(&predicted_tokens);
    let gold_shingles = shingles(&gold_tokens);
    let predicted_total: u64 = predicted_shingles.values().map(|&n| u64::from(n)).sum();
    let gold_total: u64 = gold_shingles.values().map(|&n| u64::from(n)).sum();
    let true_positives: u64 = predicted_shingles
        .iter()
        .map(|(shingle, &n)| u64::from(n.min(gold_shingles.get(shingle).copied().unwrap_or(0))))
        .sum();
    let ratio = |part: u64, whole: u64| (whole > 0).then(|| part as f64 / whole as f64);
    let precision = ratio(true_positives, predicted_total);
    let recall = ratio(true_positives, gold_total);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => 2.0 * p * r / (p + r),
        _ => 0.0,
    };
    DocScore {
        id: id.to_string(),
        true_positives,
        false_positives: predicted_total - true_positives,
        false_negatives: gold_total - true_positives,
        precision,
        recall,
        f1,
        exact: predicted_tokens == gold_tokens,
        missing: false,
    }
}

/// Scores over a set of documents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Documents scored.
    pub documents: usize,
    /// Mean precision over documents with a non-empty prediction.
    pub precision: f64,
    /// Mean recall over documents with a non-empty gold body.
    pub recall: f64,
    /// Harmonic mean of `precision` and `recall`.
    pub f1: f64,
    /// Mean precision counting empty predictions for non-empty gold bodies as 0.
    pub strict_precision: f64,
    /// Harmonic mean of `strict_precision` and `recall`.
    pub strict_f1: f64,
    /// Share of documents whose token sequence equals the gold's.
    pub accuracy: f64,
    /// Documents with an empty prediction but a non-empty gold body (missing ones not counted).
    pub emptied: usize,
    /// Documents with no prediction at all (scored as empty).
    pub missing: usize,
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), v| (sum + v, count + 1));
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

fn harmonic(a: f64, b: f64) -> f64 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

/// Aggregates per-document scores.
pub fn summarize(scores: &[DocScore]) -> Summary {
    let precision = mean(scores.iter().filter_map(|s| s.precision));
    let recall = mean(scores.iter().filter_map(|s| s.recall));
    let emptied = (scores.iter())
        .filter(|s| !s.missing && s.precision.is_none() && s.recall.is_some())
        .count();
    let strict_precision = mean(scores.iter().filter_map(|s| match (s.precision, s.recall) {
        (Some(p), _) => Some(p),
        (None, Some(_)) => Some(0.0),
        (None, None) => None,
    }));
    Summary {
        documents: scores.len(),
        precision,
        recall,
        f1: harmonic(precision, recall),
        strict_precision,
        strict_f1: harmonic(strict_precision, recall),
        accuracy: mean(scores.iter().map(|s| if s.exact { 1.0 } else { 0.0 })),
        emptied,
        missing: scores.iter().filter(|s| s.missing).count(),
    }
}

/// The phrases one page's clean text must hold (`with`) and must not (`without`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Snippets {
    /// Phrases of the article.
    #[serde(default)]
    pub with: Vec<String>,
    /// Phrases of the page's chrome.
    #[serde(default)]
    pub without: Vec<String>,
}

/// Runs of whitespace as one space, trimmed: how snippets and outputs are compared.
pub fn collapse_whitespace(text: &str) -> String {
    // The benchmark's own normaliser counts the ASCII separators 0x1C-0x1F as whitespace too.
    let space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    text.split(space)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How one page's output fares against its snippets.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SnippetScore {
    /// The page's key.
    pub id: String,
    /// `with` phrases of the page.
    pub with: usize,
    /// `with` phrases found in the output.
    pub with_found: usize,
    /// `without` phrases of the page.
    pub without: usize,
    /// `without` phrases found in the output.
    pub without_found: usize,
}

impl SnippetScore {
    /// The page has an article and the output kept none of it.
    pub fn lost_all(&self) -> bool {
        self.with > 0 && self.with_found == 0
    }
}

/// Scores one page's output against its snippets.
pub fn score_snippets(id: &str, predicted: &str, snippets: &Snippets) -> SnippetScore {
    let text = collapse_whitespace(predicted);
    let found = |phrases: &[String]| {
        phrases
            .iter()
            .filter(|phrase| text.contains(&collapse_whitespace(phrase)))
            .count()
    };
    SnippetScore {
        id: id.to_string(),
        with: snippets.with.len(),
        with_found: found(&snippets.with),
        without: snippets.without.len(),
        without_found: found(&snippets.without),
    }
}

/// Snippet scores summed over pages.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SnippetSummary {
    /// Pages scored.
    pub documents: usize,
    /// `with` phrases found / (found `with` + found `without`).
    pub precision: f64,
    /// `with` phrases found / all `with` phrases.
    pub recall: f64,
    /// Harmonic mean of `precision` and `recall`.
    pub f1: f64,
    /// (found `with` + absent `without`) / all phrases.
    pub accuracy: f64,
    /// Pages whose output kept none of their `with` phrases.
    pub lost_all: usize,
}

/// Sums snippet scores over pages.
pub fn summarize_snippets(scores: &[SnippetScore]) -> SnippetSummary {
    let sum = |field: fn(&SnippetScore) -> usize| scores.iter().map(field).sum::<usize>() as f64;
    let (with, tp, without, fp) = (
        sum(|s| s.with),
        sum(|s| s.with_found),
        sum(|s| s.without),
        sum(|s| s.without_found),
    );
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, with);
    SnippetSummary {
        documents: scores.len(),
        precision,
        recall,
        f1: ratio(2.0 * precision * recall, precision + recall),
        accuracy: ratio(tp + without - fp, with + without),
        lost_all: scores.iter().filter(|score| score.lost_all()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_match_as_whitespace_normalised_substrings() {
        let snippets = Snippets {
            with: vec!["first  sentence".into(), "second\nline".into(), "gone".into()],
            without: vec!["Menu".into(), "Footer".into()],
        };
        let score = score_snippets(
            "k",
            "Menu\nThe first sentence.\n\nA second\u{a0}line here.\n",
            &snippets,
        );
        assert_eq!((score.with_found, score.without_found), (2, 1));
        assert!(!score.lost_all());
        let empty = score_snippets("e", "", &snippets);
        assert!(empty.lost_all());
        let summary = summarize_snippets(&[score, empty]);
        assert_eq!(summary.lost_all, 1);
        assert!((summary.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((summary.recall - 2.0 / 6.0).abs() < 1e-9);
        // (2 found + 1 absent, then 0 found + 2 absent) of 10 phrases.
        assert!((summary.accuracy - 5.0 / 10.0).abs() < 1e-9);
    }

    #[test]
    fn identical_texts_score_one_whatever_the_layout() {
        let score = score_document("a", "One two, three four five!", "One two\n\nthree four — five");
        assert_eq!(
            (score.precision, score.recall, score.f1),
            (Some(1.0), Some(1.0), 1.0)
        );
        assert!(score.exact);
    }

    #[test]
    fn extra_and_missing_windows_count_against_each_side() {
        // gold: a b c d e → windows abcd, bcde; prediction adds f → abcd, bcde, cdef.
        let score = score_document("a", "a b c d e f", "a b c d e");
        assert_eq!(
            (score.true_positives, score.false_positives, score.false_negatives),
            (2, 1, 0)
        );
        let score = score_document("a", "a b c d", "a b c d e");
        assert_eq!(
            (score.true_positives, score.false_positives, score.false_negatives),
            (1, 0, 1)
        );
    }

    #[test]
    fn windows_are_a_multiset() {
        let score = score_document("a", "x y z w x y z w", "x y z w");
        assert_eq!(score.true_positives, 1);
        assert_eq!(score.false_positives, 4);
    }

    #[test]
    fn short_texts_give_one_shorter_window() {
        let score = score_document("a", "hello world", "hello world");
        assert_eq!(score.true_positives, 1);
        assert_eq!(score_document("a", "hello", "hello world").true_positives, 0);
    }

    #[test]
    fn empty_predictions_only_lower_strict_precision() {
        let scores = vec![
            score_document("a", "a b c d", "a b c d"),
            score_document("b", "", "e f g h"),
        ];
        let summary = summarize(&scores);
        assert_eq!(summary.precision, 1.0);
        assert_eq!(summary.recall, 0.5);
        assert_eq!(summary.strict_precision, 0.5);
        assert_eq!(summary.emptied, 1);
        assert!((summary.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(summary.strict_f1, 0.5);
        assert_eq!(summary.accuracy, 0.5);
    }

    #[test]
    fn tokens_are_unicode_words() {
        assert_eq!(tokens("L'été — 2024_x, 東京!"), ["L", "été", "2024_x", "東京"]);
    }
}
