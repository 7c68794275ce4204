//! The generic body detector: for sites no rule knows, decide from the text alone which lines
//! are the article body.
//!
//! Each line gets a feature vector ([`features`]): its length, sentence punctuation,
//! stopword density in the document's language ([`language`]), words of site chrome
//! (from `text::phrases`), capitalisation, link- and menu-like marks, its block, its neighbours and
//! whether it lies in the document's main run of text. Boosted trees ([`trees`], with the
//! weights in [`model`], trained by `examples/train_detector.rs`) turn the vector into a body
//! probability, and a logistic second stage revises it from the probabilities around the line
//! (among them how the line's own run of text compares with the best one, and how far it lies
//! from it). The body span is the run of lines with the most body-like text: inside it, lines
//! below the mode's threshold go; outside it, lines below [`OUTSIDE_SPAN_FACTOR`] times the
//! threshold, so that an article the span missed still stays when it reads as body.
//!
//! A page read from HTML brings what its markup says of each line ([`markup`]: the share of its
//! text in links, whether it is a paragraph): then the lines are
//! judged by the markup model ([`markup_model`]), trained the same way on the same sources read
//! from their HTML, which weighs those markup features beside the others.
//!
//! Then the article is made whole: sentences between kept lines and right after them, runs of
//! short plain lines between two kept parts (a list, an ingredient list, a subheading) and the
//! headline are kept. A heading below the article that opens reader comments ("34 responses to
//! …", "Leave a Reply") or a box about the author ("About the author") ends the body: those read
//! like the article, and only their heading tells them apart. Removals carry the rule name
//! `detect` and a reason naming what decided: where the line stands, the score it had against
//! the score it needed there, and the features that weighed most against it, or the section it
//! belongs to. A document that has text is never emptied: if nothing passes, it is left as the
//! rules made it.

mod closing;
pub mod features;
pub mod language;
pub mod line;
pub mod markup;
pub mod markup_model;
mod mode;
pub mod model;
pub mod trees;

use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::strip::Document;
use closing::{removed_headings, Sections};
use features::{
    context_features, document_features_with, is_sentence, join_wrapped, ContextFeatures, Features, LineMemo,
    FEATURES,
};
use language::LanguageMemo;
use markup::LineMarkup;
pub use mode::{DetectMode, UnknownDetectMode, OUTSIDE_SPAN_FACTOR};
use trees::Forest;

/// A document needs at least this many clearly non-body lines for the detector to act...
const MIN_CHROME_LINES: usize = 2;
/// ...and they must be at least this share (in percent) of its lines...
const MIN_CHROME_PERCENT: usize = 10;
/// ...where a line is clearly not body below this share of the threshold (and not a sentence).
const CLEARLY_CHROME_SHARE: f32 = 0.5;
/// The same share for the markup model, which sees pages readability has mostly cleaned and
/// scores what is left higher: at half the threshold it left too little clearly chrome and the
/// page alone. Measured leave-one-source-out against 0.5: mean 0.916 against 0.915; rechecked
/// once the page's title no longer reached the detector, newspaper4k fell from 0.956 to 0.943
/// without it (BENCHMARKS.md).
const MARKUP_CLEARLY_CHROME_SHARE: f32 = 0.75;

/// Outside the body span, a line stays only in a block of at most this many lines (lines with
/// no blank line between them): paragraphs of a missed article stand apart, while teasers and
/// link lists out there come as long blocks of lines. Chosen on held-out pages: it gives back
/// most of the precision that keeping lines outside the span cost, and no article.
pub const OUTSIDE_SPAN_MAX_BLOCK: usize = 4;

/// Rule name recorded for lines the detector removes.
pub const RULE_NAME: &str = "detect";

/// What the detector's passes over one document share: its language and its lines' measures.
/// A new one for each document.
#[derive(Debug, Default)]
pub struct PassMemo {
    language: LanguageMemo,
    lines: LineMemo,
}

/// Both stages of the detector's model.
#[derive(Debug, Clone)]
pub struct Model {
    /// First stage: boosted trees over a line's own features.
    pub line: Forest,
    /// Second stage: first-stage probabilities of the line and its neighbours.
    pub context: ContextFeatures,
    /// The mean features of body lines, against which removals are explained.
    pub reference: Features,
}

impl Model {
    /// The shipped model for text ([`model`]).
    pub fn shipped() -> Model {
        Model {
            line: model::FOREST,
            context: model::CONTEXT_WEIGHTS,
            reference: model::REFERENCE,
        }
    }

    /// The shipped model for lines read with their markup ([`markup_model`]).
    pub fn shipped_markup() -> Model {
        Model {
            line: markup_model::FOREST,
            context: markup_model::CONTEXT_WEIGHTS,
            reference: markup_model::REFERENCE,
        }
    }

    /// First-stage body probability of one line's features.
    pub fn line_probability(&self, features: &Features) -> f32 {
        1.0 / (1.0 + (-self.line.log_odds(features)).exp())
    }

    /// Final body probabilities of a document's non-blank lines (as numbered by
    /// [`features::document_features`]), with the second-stage features that produced them.
    pub fn score(&self, lines: &[(usize, Features)]) -> Vec<(f32, ContextFeatures)> {
        let first: Vec<f32> = (lines.iter())
            .map(|(_, features)| self.line_probability(features))
            .collect();
        (context_features(lines, &first).into_iter())
            .map(|context| (logistic(&self.context, &context), context))
            .collect()
    }
}

/// A body detector: its models and the probabilities lines need to stay.
#[derive(Debug, Clone)]
pub struct Detector {
    model: Model,
    /// The model for lines whose page's markup is known, if not `model`.
    markup_model: Option<Model>,
    threshold: f32,
    outside_span_threshold: f32,
    /// Whether a heading that may also stand inside an article (other stories, "About" and a
    /// name) can close it; not in conservative mode.
    closes_on_doubtful_headings: bool,
    rule: Arc<str>,
}

fn logistic(weights: &[f32], features: &[f32]) -> f32 {
    let z: f32 = weights.iter().zip(features).map(|(w, x)| w * x).sum();
    1.0 / (1.0 + (-z).exp())
}

impl Detector {
    /// The shipped models (for text, and for lines with their markup) at the given mode's
    /// threshold; `None` for [`DetectMode::Off`].
    pub fn new(mode: DetectMode) -> Option<Detector> {
        let mut detector = Detector::with_model(Model::shipped(), mode.threshold()?)
            .with_markup_model(Model::shipped_markup());
        detector.closes_on_doubtful_headings = mode != DetectMode::Conservative;
        Some(detector.keeping_outside_span(mode.outside_span_threshold()?))
    }

    /// A detector with an explicit model and threshold; outside the body span a line needs
    /// [`OUTSIDE_SPAN_FACTOR`] times the threshold.
    pub fn with_model(model: Model, threshold: f32) -> Detector {
        Detector {
            model,
            markup_model: None,
            threshold,
            outside_span_threshold: threshold * OUTSIDE_SPAN_FACTOR,
            closes_on_doubtful_headings: true,
            rule: Arc::from(RULE_NAME),
        }
    }

    /// Keeps lines outside the body span whose probability reaches `threshold`.
    pub fn keeping_outside_span(mut self, threshold: f32) -> Detector {
        self.outside_span_threshold = threshold;
        self
    }

    /// Judges lines whose page's markup is known by `model` (trained on lines with their
    /// markup features).
    pub fn with_markup_model(mut self, model: Model) -> Detector {
        self.markup_model = Some(model);
        self
    }

    /// First-stage body probability of one line's features.
    pub fn line_probability(&self, features: &Features) -> f32 {
        self.model.line_probability(features)
    }

    /// Final body probabilities of a document's non-blank lines (as numbered by
    /// [`features::document_features`]), with the second-stage features that produced them.
    pub fn score(&self, lines: &[(usize, Features)]) -> Vec<(f32, ContextFeatures)> {
        self.model.score(lines)
    }

    /// Removes the lines of `document` that do not look like body text. `memo` carries what an
    /// earlier pass over the same document found (its language, its lines' measures); pass a
    /// new [`PassMemo`] the first time.
    pub fn apply(&self, document: &mut Document<'_>, memo: &mut PassMemo) {
        self.apply_explained(document, memo, true, None);
    }

    /// Like [`Detector::apply`]; with `reasons` false, the removals carry no reason (saying why
    /// costs time nobody spends when no one reads it). `markup`, per line of `document`, is
    /// what a page's markup says of it: then the markup model judges the lines, if there is one.
    pub fn apply_explained(
        &self,
        document: &mut Document<'_>,
        memo: &mut PassMemo,
        reasons: bool,
        markup: Option<&[LineMarkup]>,
    ) {
        // The detector sees the document as its output would read: removed lines are gone, not
        // blank, so a second run over the output sees exactly the same lines.
        let (indices, lines) = kept_lines(document);
        let (paragraphs, members) = join_wrapped(&lines);
        let paragraph_texts: Vec<&str> = paragraphs.iter().map(|text| text.as_ref()).collect();
        let mut non_blank: Vec<&str> = Vec::with_capacity(paragraph_texts.len());
        non_blank.extend(paragraph_texts.iter().copied().filter(|line| !line.is_empty()));
        let stopwords = memo.language.stopwords_for(&non_blank);
        let mut features = document_features_with(&paragraph_texts, &stopwords, &mut memo.lines);
        if features.is_empty() {
            return;
        }
        let markup_model = markup.and_then(|markup| {
            self.markup_model_for(&mut features, |paragraph| {
                markup[indices[members[paragraph].start]]
            })
        });
        let (model, clearly_chrome_share) = match markup_model {
            Some(model) => (model, MARKUP_CLEARLY_CHROME_SHARE),
            None => (&self.model, CLEARLY_CHROME_SHARE),
        };
        let scored = model.score(&features);
        // An article's body is one stretch of the page: outside the body span a line needs far
        // more than its own look to stay (related stories and reader comments are written in
        // sentences too); the headline is put back below.
        let in_list_outside = long_blocks_outside_span(&features, &scored);
        let mut keep: Vec<bool> = (scored.iter().zip(&in_list_outside))
            .map(|((p, context), in_list)| *p >= self.threshold_for(context) && !in_list)
            .collect();
        let clearly_chrome = (features.iter().zip(&scored))
            .filter(|((_, f), (p, _))| *p < self.threshold * clearly_chrome_share && !is_sentence(f))
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
        keep_lists_in_body(&features, &scored, self.threshold, &mut keep);
        // Headings the rules removed still mark where a closing section starts.
        let removed_headings = removed_headings(document, &indices, &members, &features);
        let sections = Sections::cut(
            &paragraph_texts,
            &removed_headings,
            &features,
            &mut keep,
            self.closes_on_doubtful_headings,
        );
        keep_headline(&paragraph_texts, &features, &mut keep);
        for (i, (((index, line_features), (probability, context)), kept)) in
            features.iter().zip(&scored).zip(keep).enumerate()
        {
            if !kept {
                let reason = reasons.then(|| {
                    (sections.reason(i)).unwrap_or_else(|| {
                        self.explain(model, *probability, line_features, context, in_list_outside[i])
                    })
                });
                for line in members[*index].clone() {
                    document.remove(indices[line], self.rule.clone(), reason.clone());
                }
            }
        }
    }

    /// The markup model, if there is one, with the markup features of `features` (a
    /// document's lines) set from `markup` of each line's number.
    fn markup_model_for(
        &self,
        features: &mut [(usize, Features)],
        markup: impl Fn(usize) -> LineMarkup,
    ) -> Option<&Model> {
        let model = self.markup_model.as_ref()?;
        for (line, line_features) in features.iter_mut() {
            markup(*line).set_features(line_features);
        }
        Some(model)
    }

    /// The probability a line needs to stay where it stands: more outside the body span.
    fn threshold_for(&self, context: &ContextFeatures) -> f32 {
        if outside_span(context) {
            self.outside_span_threshold
        } else {
            self.threshold
        }
    }

    /// "after the body span: body score 0.62 < 0.84 (short, Many Capitalised Words)": where the line
    /// stands, the score it needed there, and the two line features that set it furthest apart
    /// from a typical body line.
    fn explain(
        &self,
        model: &Model,
        probability: f32,
        line: &Features,
        context: &ContextFeatures,
        in_list: bool,
    ) -> String {
        let credits = model.line.credits(line);
        let mut pulls: Vec<(f32, &str)> = (1..FEATURES)
            .map(|j| {
                let (below, above) = FEATURE_WORDS[j];
                let phrase = if line[j] < model.reference[j] {
                    below
                } else {
                    above
                };
                (credits[j], phrase)
            })
            .filter(|(pull, phrase)| *pull < 0.0 && !phrase.is_empty())
            .collect();
        pulls.sort_by(|a, b| a.0.total_cmp(&b.0));
        let names: Vec<&str> = pulls.iter().take(2).map(|(_, phrase)| *phrase).collect();
        let place = if context[features::BEFORE_SPAN] > 0.5 {
            "before the body span"
        } else if context[features::AFTER_SPAN] > 0.5 {
            "after the body span"
        } else {
            "in the body span"
        };
        if probability >= self.threshold_for(context) && in_list {
            return format!(
                "{place}, in a block of {} lines without a break (a list of links or teasers)",
                features::block_lines(line)
            );
        }
        format!(
            "{place}: body score {probability:.2} < {:.2} ({})",
            self.threshold_for(context),
            names.join(", ")
        )
    }
}

/// What a line feature says of a line, in words: when it is below a typical body line's value,
/// and when above (in `FEATURE_NAMES` order; empty where it tells nothing on its own).
const FEATURE_WORDS: [(&str, &str); FEATURES] = [
    ("", ""),
    ("short", "long"),
    ("few words", "many words"),
    ("no sentence ending", "ends like a sentence"),
    ("few common words of its language", "many common words"),
    ("language unknown", "language unknown"),
    ("little punctuation inside", "much punctuation inside"),
    ("few capitalised words", "Many Capitalised Words"),
    ("few digits", "many digits"),
    ("", "starts like a list item"),
    ("", "looks like a link"),
    ("", "separators such as | or ·"),
    ("", "repeated on the page"),
    ("", "ALL CAPITALS"),
    ("", "a copyright line"),
    ("near the top", "near the bottom"),
    ("at the edge of the page", "in the middle of the page"),
    ("in a short block", "in a long block of lines"),
    ("among short lines", "among long lines"),
    (
        "its block ends without a sentence",
        "its block ends with a sentence",
    ),
    ("little running text around", "much running text around"),
    ("no running text before", "running text before"),
    ("no running text after", "running text after"),
    ("close to running text", "far from running text"),
    ("outside the main run of text", "in the main run of text"),
    ("more than three words", "three words or fewer"),
    ("", "ends with a colon"),
    ("", "starts in lower case"),
    ("", "words of site chrome (cookies, comments, sharing…)"),
    ("", "mostly link text"),
    ("not a paragraph", ""),
];

/// The lines of `document` that are kept, with their numbers.
fn kept_lines<'a>(document: &Document<'a>) -> (Vec<usize>, Vec<&'a str>) {
    let mut indices = Vec::with_capacity(document.line_count());
    let mut lines = Vec::with_capacity(document.line_count());
    for index in 0..document.line_count() {
        if let Some(line) = document.kept_line(index) {
            indices.push(index);
            lines.push(line);
        }
    }
    (indices, lines)
}

/// For each line, whether it lies outside the body span in a block too long to be an
/// article's paragraph (see [`OUTSIDE_SPAN_MAX_BLOCK`]). A block that holds part of the span is
/// the article's own, however long: on a page without blank lines every line is in one block.
fn long_blocks_outside_span(features: &[(usize, Features)], scored: &[(f32, ContextFeatures)]) -> Vec<bool> {
    let mut block = vec![0usize; features.len()];
    for i in 1..features.len() {
        block[i] = block[i - 1] + usize::from(features[i].0 != features[i - 1].0 + 1);
    }
    let mut holds_span = vec![false; block.last().map_or(0, |last| last + 1)];
    for (i, (_, context)) in scored.iter().enumerate() {
        holds_span[block[i]] |= !outside_span(context);
    }
    (features.iter().zip(scored).zip(&block))
        .map(|(((_, line), (_, context)), block)| {
            outside_span(context)
                && !holds_span[*block]
                && features::block_lines(line) > OUTSIDE_SPAN_MAX_BLOCK
        })
        .collect()
}

/// Whether the line lies before or after the body span (the run of lines with the most
/// body-like text, found from first-stage probabilities).
fn outside_span(context: &ContextFeatures) -> bool {
    context[features::BEFORE_SPAN] > 0.5 || context[features::AFTER_SPAN] > 0.5
}

/// Whether a line carries no mark of chrome: no link (by its look, or from its page's markup
/// by its text being mostly inside links), no separators, no copyright sign.
fn is_plain(features: &Features) -> bool {
    features[features::LINK_LIKE] < 0.5
        && features[features::LINK_SHARE] < 0.5
        && features[features::SEPARATORS] < 0.5
        && features[features::COPYRIGHT] < 0.5
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

/// The longest run of short lines between two parts of the body kept as the article's own list.
const LIST_MAX_LINES: usize = 15;
/// The share of the threshold every line of such a run needs: below it a line is clearly not
/// body. Chosen on held-out pages.
const LIST_MIN_SHARE: f32 = 0.3;

/// Keeps runs of short plain lines between two kept parts of the body: an ingredient list, the
/// items of a bulleted list, a table's rows. A run holding a link, separators, a copyright mark,
/// words of site chrome or a clearly non-body line is left as it is.
fn keep_lists_in_body(
    features: &[(usize, Features)],
    scored: &[(f32, ContextFeatures)],
    threshold: f32,
    keep: &mut [bool],
) {
    let plain = |i: usize| {
        let f = &features[i].1;
        is_plain(f) && f[features::CHROME_WORDS] == 0.0 && scored[i].0 >= threshold * LIST_MIN_SHARE
    };
    let mut i = 0;
    while i < keep.len() {
        if keep[i] {
            i += 1;
            continue;
        }
        let end = (i..keep.len()).find(|&j| keep[j]).unwrap_or(keep.len());
        // A single line is a subheading; in a longer run most lines must be items of a few
        // words, not single-word buttons.
        let items =
            end - i == 1 || 2 * (i..end).filter(|&j| features::words(&features[j].1) >= 2).count() > end - i;
        if i > 0 && end < keep.len() && end - i <= LIST_MAX_LINES && items && (i..end).all(plain) {
            keep[i..end].fill(true);
        }
        i = end;
    }
}

/// How far above the body a headline no title line repeats is looked for, in non-blank lines.
const HEADLINE_ABOVE: usize = 3;

/// A byline: "By Martha Keane", "Von Anna Berg", "Por Ana Gil", "Par Jean Roy".
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(by|von|por|par|di|door|autor:?|author:?)\s").expect("the byline pattern compiles")
});
/// How many words such a headline has.
const HEADLINE_WORDS: std::ops::RangeInclusive<usize> = 4..=20;

/// How far above the body the headline is looked for, in non-blank lines.
const HEADLINE_REACH: usize = 12;

/// Keeps the headline (and standfirst) above the body where they can be told from chrome:
/// when at most two lines stand above the body, they are the headline and standfirst; further
/// down a page, the headline is the line above the body that the page's title line repeats.
fn keep_headline(lines: &[&str], features: &[(usize, Features)], keep: &mut [bool]) {
    let Some(first_body) = keep.iter().position(|k| *k) else {
        return;
    };
    let plain = |i: usize| is_plain(&features[i].1);
    if first_body <= 2 {
        for (i, kept) in keep.iter_mut().enumerate().take(first_body) {
            *kept |= plain(i);
        }
        return;
    }
    let title = lines[features[0].0];
    let repeats_title = |i: usize| {
        plain(i)
            && (3..=30).contains(&features::words(&features[i].1))
            && title.contains(lines[features[i].0])
    };
    if repeats_title(first_body) {
        // The body starts with the headline already.
        return;
    }
    let headline = (first_body.saturating_sub(HEADLINE_REACH).max(1)..first_body)
        .rev()
        .find(|&i| repeats_title(i));
    // Without a title line to repeat it, the headline is a plain line of a few words, not a
    // sentence and not chrome, right above the body (a byline may stand between).
    let headline = headline.or_else(|| {
        (first_body.saturating_sub(HEADLINE_ABOVE)..first_body)
            .rev()
            .find(|&i| {
                let f = &features[i].1;
                plain(i)
                    && !BYLINE.is_match(lines[features[i].0])
                    && HEADLINE_WORDS.contains(&features::words(f))
                    && f[features::TERMINAL] < 0.5
                    && f[features::CHROME_WORDS] == 0.0
                    && f[features::REPEATED] < 0.5
            })
    });
    if let Some(i) = headline {
        keep[i] = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, RuleSet};

    #[test]
    fn modes_are_named_alike_by_their_name_and_by_serde() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Holder {
            detect: DetectMode,
        }
        for mode in DetectMode::ALL {
            assert_eq!(mode.name().parse::<DetectMode>(), Ok(mode));
            let written = toml::to_string(&Holder { detect: mode }).unwrap();
            assert_eq!(written, format!("detect = \"{}\"\n", mode.name()));
            assert_eq!(toml::from_str::<Holder>(&written).unwrap().detect, mode);
        }
        assert!("Standard".parse::<DetectMode>().is_err());
        assert!(toml::from_str::<Holder>("detect = \"strong\"").is_err());
    }

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
        let reason = removal.reason.as_deref().unwrap();
        assert!(
            reason.starts_with("before the body span: body score 0."),
            "{reason}"
        );
        // In words, not feature names: a menu item is short.
        assert!(reason.contains("short"), "{reason}");
        for removal in cleaned.removals() {
            let reason = removal.reason.as_deref().unwrap();
            assert!(!reason.contains('_'), "{reason}");
        }
    }

    #[test]
    fn without_reasons_the_same_lines_go_unexplained() {
        let page =
            format!("Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\nAbout us | Contact | Privacy\nTerms\n");
        let explained = detect(&page);
        let quiet = Cleaner::new(RuleSet::empty())
            .with_detect(DetectMode::Standard)
            .with_reasons(false)
            .clean(&page);
        assert_eq!(quiet.text(), explained.text());
        let lines = |cleaned: &crate::Cleaned| cleaned.removals().iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(&quiet), lines(&explained));
        assert!(quiet.removals().iter().all(|removal| removal.reason.is_none()));
        assert!(explained
            .removals()
            .iter()
            .all(|removal| removal.reason.is_some()));
    }

    /// The reason given for removing the line that starts with `prefix`.
    fn reason_for<'a>(cleaned: &'a crate::Cleaned, prefix: &str) -> &'a str {
        let removal = (cleaned.removals().iter())
            .find(|removal| cleaned.normalized()[removal.span.clone()].starts_with(prefix))
            .unwrap_or_else(|| panic!("no removal of {prefix:?}"));
        removal.reason.as_deref().unwrap_or_default()
    }

    /// A page whose body is followed by a menu and then two teasers for other stories, written
    /// in full sentences that look like body on their own.
    fn page_with_teasers() -> String {
        format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\n\
             Harbours\nEnergy\nTransport\nOpinion\nLetters\nPodcasts\nVideo\nPuzzles\nObituaries\nWeather\n\n\
             The city library will extend its opening hours on weekends from next month, the council said, after a \
             survey found that most of its readers, young and old, wanted to visit on Sundays. The change will cost \
             about forty thousand pounds a year, which the council says it can find in the existing budget.\n\n\
             A new cycle lane along the river path opened on Monday after two years of delays, and the council \
             expects it to halve the number of cars on the bridge. Residents who had campaigned for the lane, and \
             for a safer crossing at the school, said they were delighted that it was finally open.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        )
    }

    #[test]
    fn sentences_outside_the_body_span_need_a_higher_score() {
        let page = page_with_teasers();
        let aggressive = Cleaner::new(RuleSet::empty())
            .with_detect(DetectMode::Aggressive)
            .clean(&page);
        assert_eq!(aggressive.text(), BODY);
        let reason = reason_for(&aggressive, "The city library");
        assert!(reason.starts_with("after the body span: body score"), "{reason}");
        // Held to the threshold of the span, they would stay in every mode.
        let threshold = DetectMode::Aggressive.threshold().unwrap();
        let detector = Detector::new(DetectMode::Aggressive)
            .unwrap()
            .keeping_outside_span(threshold);
        let cleaned = Cleaner::new(RuleSet::empty())
            .with_detector(Some(detector))
            .clean(&page);
        assert!(cleaned.text().contains("The city library"), "{}", cleaned.text());
    }

    #[test]
    fn outside_the_span_only_short_blocks_can_stay() {
        let line = |lines: usize| {
            let mut features = [0.0f32; FEATURES];
            features[features::BLOCK_LOG_LINES] = features::log_scaled(lines, features::BLOCK_LINES_SCALE);
            features
        };
        let at = |before: bool, after: bool| {
            let mut context = [0.0f32; features::CONTEXT_FEATURES];
            context[features::BEFORE_SPAN] = f32::from(u8::from(before));
            context[features::AFTER_SPAN] = f32::from(u8::from(after));
            context
        };
        assert_eq!(features::block_lines(&line(6)), 6);
        // Blocks, by line numbers: 5 lines before the span; 12 lines, the first 6 in the span
        // and the rest after it; then after the span, 4 lines, and 12 lines.
        let blocks: [(std::ops::Range<usize>, usize); 4] =
            [(0..5, 5), (6..18, 12), (19..23, 4), (24..36, 12)];
        let mut features = Vec::new();
        let mut scored = Vec::new();
        for (lines, size) in blocks {
            for number in lines {
                features.push((number, line(size)));
                scored.push((0.95, at(number < 5, number >= 12)));
            }
        }
        let flagged: Vec<usize> = (long_blocks_outside_span(&features, &scored).into_iter())
            .zip(&features)
            .filter(|(flag, _)| *flag)
            .map(|(_, (number, _))| *number)
            .collect();
        let expected: Vec<usize> = (0..5).chain(24..36).collect();
        assert_eq!(flagged, expected, "the span's own block and short blocks stay");
        // The reason names the block when it decided, and the score when that did.
        let detector = Detector::new(DetectMode::Standard).unwrap();
        let after = at(false, true);
        let reason = detector.explain(&detector.model, 0.95, &line(6), &after, true);
        assert!(
            reason.starts_with("after the body span, in a block of 6 lines"),
            "{reason}"
        );
        let reason = detector.explain(&detector.model, 0.2, &line(6), &after, false);
        let needed = DetectMode::Standard.outside_span_threshold().unwrap();
        assert!(
            reason.starts_with(&format!("after the body span: body score 0.20 < {needed:.2}")),
            "{reason}"
        );
    }

    /// A short article, then a menu, then a longer block of prose that is not the article (an
    /// author's biography): the body span takes the longer block.
    fn page_with_a_longer_block_below() -> String {
        let short = "The harbour authority has approved plans for a floating solar farm on the disused north basin, the first on a working port.\n\n\
            Engineers chose the basin because it has been closed to shipping for decades and is sheltered from storms.\n";
        format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{short}\n\
             Share\nTweet\nEmail\nPrint\nSave\nFollow\nTopics\nHarbours\nEnergy\nMost read\nWeather\nSport\nJobs\n\
             Puzzles\nPodcasts\nEvents\n\n\
             Jane Doe has written about ports and shipping for twenty years, first for a trade weekly and then for \
             this paper, where she covers the harbour, the fishing fleet and the ferries. She lives by the sea with \
             her two children and a dog, and she sails whenever the weather lets her.\n\n\
             Before that she worked as a deckhand on a cargo ship that sailed between the northern ports, which is \
             where she learned most of what she knows about the sea, the weather and the people who work on it.\n\n\
             She has won several prizes for her reporting, among them one for a series on the closing of the old \
             shipyard and what it meant for the families who had worked there for generations.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        )
    }

    #[test]
    fn an_article_outside_the_body_span_is_kept_when_it_reads_as_body() {
        let page = page_with_a_longer_block_below();
        let cleaned = detect(&page);
        assert!(
            cleaned.text().contains("floating solar farm"),
            "{}",
            cleaned.text()
        );
        assert!(
            cleaned.text().contains("sheltered from storms"),
            "{}",
            cleaned.text()
        );
        // Removing every line outside the span throws the article away.
        let strict = Detector::new(DetectMode::Standard)
            .unwrap()
            .keeping_outside_span(f32::INFINITY);
        let cleaned = Cleaner::new(RuleSet::empty())
            .with_detector(Some(strict))
            .clean(&page);
        assert!(
            !cleaned.text().contains("floating solar farm"),
            "{}",
            cleaned.text()
        );
    }

    #[test]
    fn judged_by_the_threshold_alone_the_teasers_would_stay() {
        let threshold = DetectMode::Standard.threshold().unwrap();
        let detector = Detector::new(DetectMode::Standard)
            .unwrap()
            .keeping_outside_span(threshold);
        let cleaned = Cleaner::new(RuleSet::empty())
            .with_detector(Some(detector))
            .clean(&page_with_teasers());
        assert!(cleaned.text().starts_with(BODY), "{}", cleaned.text());
        assert!(cleaned.text().contains("The city library"), "{}", cleaned.text());
    }

    /// A page whose body is followed by a reader-comment thread written in full sentences.
    fn page_with_comments(heading: &str) -> String {
        format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\n{heading}\n\n\
             harbourwatcher says:\n\nThis is exactly the kind of project the port has needed for years, and I hope it works.\n\n\
             jmc1987 says:\n\nI would rather they spent the money on dredging the south channel, which is a real hazard.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        )
    }

    #[test]
    fn reader_comments_go_from_their_heading_on() {
        let cleaned = detect(&page_with_comments(
            "2 responses to “Floating solar farm approved”",
        ));
        assert_eq!(cleaned.text(), BODY);
        let reason = reason_for(&cleaned, "2 responses to");
        assert!(reason.starts_with("reader comments"), "{reason}");
    }

    #[test]
    fn without_a_comment_heading_no_line_goes_as_a_comment() {
        let cleaned = detect(&page_with_comments("Floating solar farm approved"));
        let reasons: Vec<&str> = (cleaned.removals().iter())
            .filter_map(|removal| removal.reason.as_deref())
            .collect();
        assert!(!reasons.is_empty());
        assert!(
            reasons
                .iter()
                .all(|reason| !reason.starts_with("reader comments")),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_comment_heading_above_the_article_cuts_nothing() {
        let page = format!("Home\nNews\nSport\nWeather\nJobs\n\nLeave a comment\n\n{BODY}\nAbout us | Contact | Privacy\nTerms\nCareers\n");
        assert_eq!(detect(&page).text(), BODY);
    }

    /// The page's body followed by `heading` and two teasers of other stories, each a headline
    /// and a sentence that reads like body.
    fn page_with_related(heading: &str) -> String {
        format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\n{heading}\n\n\
             Ferry timetable to change in May\n\nThe operator says the winter crossings will leave half an hour earlier from next month.\n\n\
             Lifeboat crew rescue stranded walkers\n\nTwo walkers cut off by the tide were brought ashore by the lifeboat late on Sunday.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        )
    }

    #[test]
    fn other_stories_go_from_their_heading_on() {
        for heading in ["Related stories", "Lesen Sie auch:", "Te puede interesar"] {
            let cleaned = detect(&page_with_related(heading));
            assert_eq!(cleaned.text(), BODY, "{heading}");
            let reason = reason_for(&cleaned, "The operator says");
            assert!(reason.starts_with("other stories, from"), "{heading}: {reason}");
        }
    }

    #[test]
    fn conservative_mode_is_not_closed_by_a_heading_of_other_stories() {
        // A longer article, so that the teasers are little beside it.
        let page = page_with_related("Related stories").replace(
            "weather permitting.\n",
            "weather permitting.\n\n\
             The authority will publish the full plans for consultation at the end of the month.\n\n\
             It expects the first panels to be in the water by the end of the summer, if the consultation goes well.\n\n\
             Fishermen who use the neighbouring basin have asked for a buffer zone, which the plans include.\n",
        );
        let standard = detect(&page);
        assert!(reason_for(&standard, "The operator says").starts_with("other stories"));
        let cleaned = Cleaner::new(RuleSet::empty())
            .with_detect(DetectMode::Conservative)
            .clean(&page);
        let removal = (cleaned.removals().iter())
            .find(|removal| cleaned.normalized()[removal.span.clone()].starts_with("The operator says"));
        assert!(
            removal.is_none_or(|removal| !removal
                .reason
                .as_deref()
                .unwrap_or_default()
                .starts_with("other stories")),
            "{removal:?}"
        );
    }

    #[test]
    fn a_heading_the_rules_removed_still_closes_the_article() {
        // The default rules drop "Related stories" before the detector runs.
        let cleaned = Cleaner::new(RuleSet::default_rules())
            .with_detect(DetectMode::Standard)
            .clean(&page_with_related("Related stories"));
        assert_eq!(cleaned.text(), BODY);
        let reason = reason_for(&cleaned, "The operator says");
        assert_eq!(reason, "other stories, from “Related stories”");
    }

    #[test]
    fn a_box_of_other_stories_inside_the_article_cuts_nothing_below_it() {
        let (top, rest) = BODY.split_at(
            BODY.find("Construction")
                .expect("the body has a fourth paragraph"),
        );
        let page = format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{top}Read more\n\n{rest}\n\
             The authority will publish the full plans for consultation at the end of the month.\n\n\
             It expects the first panels to be in the water by the end of the summer.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        );
        let cleaned = detect(&page);
        assert!(cleaned.text().contains(rest.trim_end()), "{}", cleaned.text());
        assert!(cleaned.text().contains("first panels"), "{}", cleaned.text());
    }

    #[test]
    fn about_and_a_name_below_the_article_is_an_author_box() {
        let page = format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\nAbout Jane Marsh\n\n\
             Jane Marsh has covered the harbour and its industries for the paper since 2015, and sails at weekends.\n\n\
             About us | Contact | Privacy\nTerms\nCareers\n"
        );
        let cleaned = detect(&page);
        assert_eq!(cleaned.text(), BODY);
        let reason = reason_for(&cleaned, "Jane Marsh has covered");
        assert!(reason.starts_with("the box about the author"), "{reason}");
    }

    /// Four teasers of other stories, one per line with no blank line between them: a headline
    /// run into the story's first sentence.
    const TEASERS: &str = "Council approves the new harbour budget after a long night of debate KELSBY: Councillors voted on Tuesday to approve the port's budget for the next three years.\n\
        Ferry timetable changes for the winter months announced KELSBY: The island ferry will run four times a day from November, the operator said on Monday.\n\
        Lifeboat crew rescue two walkers cut off by the tide KELSBY: Two walkers were brought ashore on Sunday evening after being stranded on the sandbank.\n\
        Old lighthouse to open as a museum next summer KELSBY: The trust that owns the lighthouse has raised the money to restore the lamp room and the stairs.\n";

    #[test]
    fn teasers_under_a_heading_of_other_stories_above_the_article_go() {
        let page = format!(
            "Home\nNews\nSport\nWeather\nJobs\n\nBreaking News\n\n{TEASERS}\n{BODY}\nAbout us | Contact | Privacy\nTerms\nCareers\n"
        );
        let cleaned = detect(&page);
        assert_eq!(cleaned.text(), BODY);
        let reason = reason_for(&cleaned, "Ferry timetable changes");
        assert_eq!(reason, "other stories, under “Breaking News” above the article");
        // A conservative run keeps them: the heading might have labelled the article.
        let conservative = Cleaner::new(RuleSet::empty())
            .with_detect(DetectMode::Conservative)
            .clean(&page);
        assert!(conservative.text().contains("Ferry timetable changes"));
        // With no article below them, the lines under the heading are the page's text.
        let alone = format!("Home\nNews\nSport\nWeather\nJobs\n\nBreaking News\n\n{TEASERS}\nAbout us | Contact | Privacy\nTerms\nCareers\n");
        assert!(detect(&alone).text().contains("Ferry timetable changes"));
    }

    #[test]
    fn comment_buttons_and_bare_counts_inside_the_article_cut_nothing() {
        for button in ["View comments", "12 comments"] {
            let page = format!(
                "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\n{button}\n\n\
                 The authority will publish the full plans for consultation at the end of the month.\n\n\
                 About us | Contact | Privacy\nTerms\nCareers\n"
            );
            let cleaned = detect(&page);
            assert!(cleaned.text().starts_with(BODY), "{button}: {}", cleaned.text());
            let reasons: Vec<&str> = (cleaned.removals().iter())
                .filter_map(|removal| removal.reason.as_deref())
                .collect();
            assert!(
                reasons
                    .iter()
                    .all(|reason| !reason.starts_with("reader comments")),
                "{button}: {reasons:?}"
            );
        }
    }

    /// Features of a line of `words` words, ending like a sentence or not, numbered `number`.
    fn line_of(number: usize, words: usize, sentence: bool) -> (usize, Features) {
        let mut features = [0.0f32; FEATURES];
        features[features::LOG_WORDS] = features::log_scaled(words, features::WORDS_SCALE);
        features[features::TERMINAL] = f32::from(u8::from(sentence));
        (number, features)
    }

    fn scores(probabilities: &[f32]) -> Vec<(f32, ContextFeatures)> {
        (probabilities.iter())
            .map(|p| (*p, [0.0; features::CONTEXT_FEATURES]))
            .collect()
    }

    #[test]
    fn short_plain_lines_between_two_parts_of_the_body_are_kept_as_a_list() {
        let features: Vec<(usize, Features)> = [(20, true), (3, false), (2, false), (1, false), (20, true)]
            .iter()
            .enumerate()
            .map(|(number, (words, sentence))| line_of(number, *words, *sentence))
            .collect();
        let probabilities = [0.9, 0.4, 0.3, 0.3, 0.9];
        let mut keep = vec![true, false, false, false, true];
        keep_lists_in_body(&features, &scores(&probabilities), 0.7, &mut keep);
        assert_eq!(keep, [true; 5]);
        // Not below the body, not with a link among them, not clearly chrome.
        let mut keep = vec![true, false, false, false, false];
        keep_lists_in_body(&features, &scores(&probabilities), 0.7, &mut keep);
        assert_eq!(keep, [true, false, false, false, false]);
        let mut linked = features.clone();
        linked[2].1[features::LINK_LIKE] = 1.0;
        let mut keep = vec![true, false, false, false, true];
        keep_lists_in_body(&linked, &scores(&probabilities), 0.7, &mut keep);
        assert_eq!(keep, [true, false, false, false, true]);
        let mut keep = vec![true, false, false, false, true];
        keep_lists_in_body(&features, &scores(&[0.9, 0.4, 0.1, 0.3, 0.9]), 0.7, &mut keep);
        assert_eq!(keep, [true, false, false, false, true]);
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

    /// The shipped model with one more tree, which all but rules out a line whose text is
    /// mostly inside links.
    fn model_against_links() -> Model {
        let mut model = Detector::new(DetectMode::Standard).unwrap().model;
        // Splits hold the log-odds expected where they stand, which explanations credit.
        let never = (0, f32::INFINITY, 0.0);
        let linked = (0, f32::INFINITY, -20.0);
        let split = (features::LINK_SHARE as u8, 0.5, 0.0);
        let mut leaves = [0.0; trees::LEAVES];
        leaves[trees::LEAVES / 2] = -20.0;
        let against_links = trees::tree([split, never, linked, never, never, linked, never], leaves);
        model.line.trees.to_mut().push(against_links);
        model
    }

    #[test]
    fn every_mode_that_detects_has_the_shipped_markup_model_and_off_has_none() {
        for mode in DetectMode::ALL {
            let detector = Detector::new(mode);
            if mode == DetectMode::Off {
                assert!(detector.is_none());
                continue;
            }
            let markup_model = detector.unwrap().markup_model.expect("a markup model");
            assert_eq!(markup_model.line, markup_model::FOREST, "{mode}");
            assert_ne!(markup_model.line, model::FOREST, "{mode}");
        }
    }

    #[test]
    fn the_markup_model_judges_lines_by_their_markup_when_the_page_has_some() {
        let link =
            "Read the council's full report on the closure of the bridge and what the repairs will cost.";
        let page = format!(
            "Home\nNews\nSport\nWeather\nJobs\n\n{BODY}\n{link}\n\nAbout us | Contact | Privacy\nTerms\n"
        );
        let markup: Vec<LineMarkup> = (crate::normalize(&page).lines())
            .map(|line| LineMarkup {
                link_share: if line == link { 1.0 } else { 0.0 },
                ..LineMarkup::default()
            })
            .collect();
        let mut text_model_only = Detector::new(DetectMode::Standard).unwrap();
        text_model_only.markup_model = None;
        let text_only = Cleaner::new(RuleSet::empty()).with_detector(Some(text_model_only.clone()));
        let with_markup_model = Cleaner::new(RuleSet::empty())
            .with_detector(Some(text_model_only.with_markup_model(model_against_links())));
        // The text alone reads as a sentence of the article.
        assert!(text_only.clean(&page).text().contains(link));
        // Without a markup model, the markup is not used; without markup, the markup model is not.
        assert!(text_only
            .clean_marked(&page, None, Some(&markup))
            .text()
            .contains(link));
        assert!(with_markup_model.clean(&page).text().contains(link));
        let cleaned = with_markup_model.clean_marked(&page, None, Some(&markup));
        assert!(!cleaned.text().contains(link), "{}", cleaned.text());
        assert!(cleaned.text().contains(BODY.lines().next().unwrap()));
        let reason = reason_for(&cleaned, "Read the council");
        assert!(reason.contains("mostly link text"), "{reason}");
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
