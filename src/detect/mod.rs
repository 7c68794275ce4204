//! The generic body detector: for sites no rule knows, decide from the text alone which lines
//! are the article body.
//!
//! Each line gets a feature vector ([`features`]): its length, sentence punctuation,
//! stopword density in the document's language ([`language`]), capitalisation, link- and
//! menu-like marks, its block, its neighbours and whether it lies in the document's main run
//! of text. A logistic model ([`model`], trained by `examples/train_detector.rs`) turns the
//! vector into a body probability; lines below the mode's threshold are removed with the rule
//! name `detect` and a reason naming the features that weighed most against them. A document
//! that has text is never emptied: if nothing passes, its most body-like line stays.

pub mod features;
pub mod language;
pub mod model;

use std::sync::Arc;

use crate::strip::Document;
use features::{
    context_features, document_features_in, join_wrapped, ContextFeatures, Features, FEATURES, FEATURE_NAMES,
};
use language::LanguageMemo;

/// A document needs at least this many clearly non-body lines for the detector to act...
const MIN_CHROME_LINES: usize = 2;
/// ...and they must be at least this share (in percent) of its lines.
const MIN_CHROME_PERCENT: usize = 10;

/// Rule name recorded for lines the detector removes.
pub const RULE_NAME: &str = "detect";

/// How much the detector removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetectMode {
    /// The detector does not run.
    Off,
    /// Removes only lines that are clearly not body.
    Conservative,
    /// The balance chosen on the benchmark.
    #[default]
    Standard,
    /// Removes more; some body lines may go.
    Aggressive,
}

impl DetectMode {
    /// The minimum body probability a line needs to stay.
    pub fn threshold(self) -> Option<f32> {
        match self {
            DetectMode::Off => None,
            DetectMode::Conservative => Some(model::THRESHOLD * 0.5),
            DetectMode::Standard => Some(model::THRESHOLD),
            DetectMode::Aggressive => Some((model::THRESHOLD + 1.0) / 2.0),
        }
    }
}

/// The weights of both stages of the detector's model.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    /// First stage: a line's own features.
    pub line: Features,
    /// Second stage: first-stage probabilities of the line and its neighbours.
    pub context: ContextFeatures,
    /// The mean features of body lines, against which removals are explained.
    pub reference: Features,
}

/// A body detector: model weights and the probability a line needs to stay.
#[derive(Debug, Clone)]
pub struct Detector {
    model: Model,
    threshold: f32,
    rule: Arc<str>,
}

fn logistic(weights: &[f32], features: &[f32]) -> f32 {
    let z: f32 = weights.iter().zip(features).map(|(w, x)| w * x).sum();
    1.0 / (1.0 + (-z).exp())
}

impl Detector {
    /// The shipped model at the given mode's threshold; `None` for [`DetectMode::Off`].
    pub fn new(mode: DetectMode) -> Option<Detector> {
        let model = Model {
            line: model::WEIGHTS,
            context: model::CONTEXT_WEIGHTS,
            reference: model::REFERENCE,
        };
        Some(Detector::with_model(model, mode.threshold()?))
    }

    /// A detector with explicit weights and threshold.
    pub fn with_model(model: Model, threshold: f32) -> Detector {
        Detector {
            model,
            threshold,
            rule: Arc::from(RULE_NAME),
        }
    }

    /// First-stage body probability of one line's features.
    pub fn line_probability(&self, features: &Features) -> f32 {
        logistic(&self.model.line, features)
    }

    /// Final body probabilities of a document's non-blank lines (as numbered by
    /// [`document_features`]), with the second-stage features that produced them.
    pub fn score(&self, lines: &[(usize, Features)]) -> Vec<(f32, ContextFeatures)> {
        let first: Vec<f32> = lines
            .iter()
            .map(|(_, features)| self.line_probability(features))
            .collect();
        context_features(lines, &first)
            .into_iter()
            .map(|context| (logistic(&self.model.context, &context), context))
            .collect()
    }

    /// Removes the lines of `document` that do not look like body text. `language` remembers
    /// the language identified by an earlier pass over the same document; pass a new
    /// [`LanguageMemo`] the first time.
    pub fn apply(&self, document: &mut Document<'_>, language: &mut LanguageMemo) {
        // The detector sees the document as its output would read: removed lines are gone, not
        // blank, so a second run over the output sees exactly the same lines.
        let (indices, lines): (Vec<usize>, Vec<&str>) = (0..document.line_count())
            .filter_map(|index| Some((index, document.kept_line(index)?)))
            .unzip();
        let (paragraphs, members) = join_wrapped(&lines);
        let paragraph_texts: Vec<&str> = paragraphs.iter().map(|text| text.as_ref()).collect();
        let non_blank: Vec<&str> = paragraph_texts
            .iter()
            .copied()
            .filter(|line| !line.is_empty())
            .collect();
        let stopwords = language.stopwords_for(&non_blank);
        let features = document_features_in(&paragraph_texts, &stopwords);
        if features.is_empty() {
            return;
        }
        let scored = self.score(&features);
        let mut keep: Vec<bool> = scored.iter().map(|(p, _)| *p >= self.threshold).collect();
        let clearly_chrome = (features.iter().zip(&scored))
            .filter(|((_, f), (p, _))| *p < self.threshold / 2.0 && !is_sentence(f))
            .count();
        if clearly_chrome < MIN_CHROME_LINES || clearly_chrome * 100 < scored.len() * MIN_CHROME_PERCENT {
            // Too little that is clearly chrome: the document is already clean, or too short
            // to judge. Leaving it alone also makes a second run over clean output a no-op.
            return;
        }
        if !keep.contains(&true) {
            // Nothing looks like a body: the document is too short or too unusual to judge, so
            // it is left as the rules made it rather than emptied.
            return;
        }
        fill_body_gaps(&features, &scored, self.threshold, &mut keep);
        extend_body_end(&features, &scored, self.threshold, &mut keep);
        keep_headline(&paragraph_texts, &features, &mut keep);
        for (((index, line_features), (probability, context)), kept) in features.iter().zip(&scored).zip(keep)
        {
            if !kept {
                let reason = self.explain(*probability, line_features, context);
                for line in &members[*index] {
                    document.remove(indices[*line], self.rule.clone(), Some(reason.clone()));
                }
            }
        }
    }

    /// "body score 0.12 < 0.50, before the body: log_chars, title_case": where the line stands
    /// and the two line features that set it furthest apart from a typical body line.
    fn explain(&self, probability: f32, line: &Features, context: &ContextFeatures) -> String {
        let mut pulls: Vec<(f32, &str)> = (1..FEATURES)
            .map(|j| {
                (
                    self.model.line[j] * (line[j] - self.model.reference[j]),
                    FEATURE_NAMES[j],
                )
            })
            .filter(|(pull, _)| *pull < 0.0)
            .collect();
        pulls.sort_by(|a, b| a.0.total_cmp(&b.0));
        let names: Vec<&str> = pulls.iter().take(2).map(|(_, name)| *name).collect();
        let place = if context[features::BEFORE_SPAN] > 0.5 {
            ", before the body"
        } else if context[features::AFTER_SPAN] > 0.5 {
            ", after the body"
        } else {
            ""
        };
        format!(
            "body score {probability:.2} < {:.2}{place}: {}",
            self.threshold,
            names.join(", ")
        )
    }
}

/// A full sentence: ends like one and has at least four words.
fn is_sentence(features: &Features) -> bool {
    features[features::TERMINAL] > 0.5 && features[features::LOG_WORDS] >= (5.0f32).ln() / 5.0
}

/// Keeps full sentences between two kept lines unless they are clearly chrome.
fn fill_body_gaps(
    features: &[(usize, Features)],
    scored: &[(f32, ContextFeatures)],
    threshold: f32,
    keep: &mut [bool],
) {
    let (Some(first), Some(last)) = (keep.iter().position(|k| *k), keep.iter().rposition(|k| *k)) else {
        return;
    };
    for i in first..last {
        if !keep[i] && is_sentence(&features[i].1) && scored[i].0 >= threshold / 2.0 {
            keep[i] = true;
        }
    }
}

/// Keeps the full sentences that directly follow the last kept line while they are not
/// clearly chrome: an article's closing lines score low only for being last.
fn extend_body_end(
    features: &[(usize, Features)],
    scored: &[(f32, ContextFeatures)],
    threshold: f32,
    keep: &mut [bool],
) {
    let Some(last) = keep.iter().rposition(|k| *k) else {
        return;
    };
    for i in last + 1..keep.len() {
        if !is_sentence(&features[i].1) || scored[i].0 < threshold / 3.0 {
            break;
        }
        keep[i] = true;
    }
}

/// How far above the body the headline is looked for, in non-blank lines.
const HEADLINE_REACH: usize = 12;

/// Keeps the headline (and standfirst) above the body where they can be told from chrome:
/// when at most two lines stand above the body, they are the headline and standfirst; further
/// down a page, the headline is the line above the body that the page's title line repeats.
fn keep_headline(lines: &[&str], features: &[(usize, Features)], keep: &mut [bool]) {
    let Some(first_body) = keep.iter().position(|k| *k) else {
        return;
    };
    let plain = |i: usize| {
        let f = &features[i].1;
        f[features::LINK_LIKE] < 0.5 && f[features::SEPARATORS] < 0.5 && f[features::COPYRIGHT] < 0.5
    };
    if first_body <= 2 {
        for (i, kept) in keep.iter_mut().enumerate().take(first_body) {
            *kept |= plain(i);
        }
        return;
    }
    let title = lines[features[0].0];
    let words = |i: usize| ((features[i].1[features::LOG_WORDS] * 5.0).exp() - 1.0).round() as usize;
    let headline = (first_body.saturating_sub(HEADLINE_REACH).max(1)..first_body)
        .rev()
        .find(|&i| plain(i) && (3..=30).contains(&words(i)) && title.contains(lines[features[i].0]));
    if let Some(i) = headline {
        keep[i] = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, RuleSet};

    fn detect(text: &str) -> crate::Cleaned {
        Cleaner::new(RuleSet::empty())
            .with_detect(DetectMode::Standard)
            .clean(text)
    }

    const BODY: &str = "The harbour authority has approved plans for a floating solar farm on the disused north basin, the first on a working port.\n\n\
        The array of panels will sit on pontoons anchored to the basin floor and should supply a fifth of the port's power.\n\n\
        Engineers chose the basin because it has been closed to shipping for decades and is sheltered from storms.\n\n\
        Construction is due to start in the spring and should take about five months, weather permitting.\n";

    #[test]
    fn menus_and_footers_around_a_body_go_with_a_reason() {
        let page = format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\nAbout us | Contact | Privacy\nTerms\nCareers\n"
        );
        let cleaned = detect(&page);
        assert_eq!(cleaned.text(), BODY);
        let removal = &cleaned.removals()[0];
        assert_eq!(&*removal.rule, RULE_NAME);
        assert!(
            removal.reason.as_deref().unwrap().starts_with("body score 0."),
            "{removal:?}"
        );
    }

    #[test]
    fn clean_text_and_short_documents_are_left_alone() {
        assert_eq!(detect(BODY).text(), BODY);
        assert_eq!(
            detect("A headline\n\nOne short line.\n").text(),
            "A headline\n\nOne short line.\n"
        );
    }

    #[test]
    fn a_page_with_no_body_is_never_emptied() {
        let menu = "Home\nNews\nSport\nWeather\nJobs\nLogin\nSearch\nMore\n";
        assert!(!detect(menu).text().is_empty());
    }

    #[test]
    fn off_means_no_detector() {
        assert!(Detector::new(DetectMode::Off).is_none());
        let thresholds: Vec<f32> = [
            DetectMode::Conservative,
            DetectMode::Standard,
            DetectMode::Aggressive,
        ]
        .iter()
        .map(|mode| mode.threshold().unwrap())
        .collect();
        assert!(thresholds[0] < thresholds[1] && thresholds[1] < thresholds[2]);
    }
}
