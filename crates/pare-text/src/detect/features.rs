//! Line features for the body detector: what a line looks like on its own, in its block (run
//! of non-blank lines) and among its neighbours.
//!
//! Every feature is scaled to roughly 0..1 so one set of weights fits every document size.

use rustc_hash::FxHashMap as HashMap;

use super::language::Stopwords;
use super::line::{ends_like_sentence, line_stats, LineStats};

/// Names of the features, in vector order; the model's weights follow the same order.
pub const FEATURE_NAMES: &[&str] = &[
    "bias",
    "log_chars",
    "log_words",
    "terminal_punctuation",
    "stopword_density",
    "no_stopword_list",
    "inner_punctuation",
    "title_case",
    "digits",
    "bullet",
    "link_like",
    "separators",
    "repeated",
    "all_caps",
    "copyright",
    "position",
    "middle",
    "block_log_lines",
    "block_log_mean_chars",
    "block_terminal",
    "text_density_around",
    "previous_is_text",
    "next_is_text",
    "distance_to_text",
    "in_main_run",
    "short",
    "ends_with_colon",
    "starts_lowercase",
    "chrome_words",
    "link_share",
    "paragraph",
];

/// Number of features.
pub const FEATURES: usize = FEATURE_NAMES.len();

/// Index of `block_log_lines`.
pub const BLOCK_LOG_LINES: usize = 17;

/// How many lines the block of a line holds (lines with no blank line between them), from its
/// features.
pub fn block_lines(features: &Features) -> usize {
    log_unscaled(features[BLOCK_LOG_LINES], BLOCK_LINES_SCALE)
}

/// How many words a line has, from its features.
pub fn words(features: &Features) -> usize {
    log_unscaled(features[LOG_WORDS], WORDS_SCALE)
}

/// Index of `log_words`.
pub const LOG_WORDS: usize = 2;
/// Index of `terminal_punctuation`.
pub const TERMINAL: usize = 3;
/// Index of `link_like`.
pub const LINK_LIKE: usize = 10;
/// Index of `separators`.
pub const SEPARATORS: usize = 11;
/// Index of `repeated`.
pub const REPEATED: usize = 12;
/// Index of `copyright`.
pub const COPYRIGHT: usize = 14;
/// Index of `chrome_words`.
pub const CHROME_WORDS: usize = 28;
/// Index of `link_share`, the first of the markup features ([`super::markup`]): zero for text
/// read from a plain file.
pub const LINK_SHARE: usize = 29;
/// Index of `paragraph`.
pub const PARAGRAPH: usize = 30;

/// One feature vector.
pub type Features = [f32; FEATURES];

/// How many non-blank lines on each side count as the neighbourhood.
const WINDOW: usize = 3;

/// The scale of `log_words`.
pub const WORDS_SCALE: f32 = 5.0;
/// The scale of `block_log_lines`.
pub const BLOCK_LINES_SCALE: f32 = 4.0;

/// A count as a feature: `ln(1 + value) / scale`, about 0..1 for the counts a line has.
pub fn log_scaled(value: usize, scale: f32) -> f32 {
    ((1 + value) as f32).ln() / scale
}

/// The count a [`log_scaled`] feature was made from.
fn log_unscaled(feature: f32, scale: f32) -> usize {
    ((feature * scale).exp() - 1.0).round() as usize
}

/// A line of a hard-wrapped paragraph that the next line continues: it does not end a
/// sentence, and the next line starts in lower case or this one ends mid-clause.
fn continues_on_next(line: &str, next: &str) -> bool {
    !line.is_empty()
        && !next.is_empty()
        && !ends_like_sentence(line)
        && (next.chars().next().is_some_and(char::is_lowercase) || line.ends_with([',', ';', '-', '–']))
}

/// Joins the lines of hard-wrapped paragraphs, so that text wrapped at a fixed width is judged
/// paragraph by paragraph like text with one paragraph per line. Returns the joined lines
/// (blank lines kept as empty strings) and, for each, the indices of the lines it joins.
pub fn join_wrapped<'a>(lines: &[&'a str]) -> (Vec<std::borrow::Cow<'a, str>>, Vec<std::ops::Range<usize>>) {
    let mut members: Vec<std::ops::Range<usize>> = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let continues = index > 0 && continues_on_next(lines[index - 1], line);
        match members.last_mut() {
            Some(group) if continues => group.end = index + 1,
            _ => members.push(index..index + 1),
        }
    }
    let joined = (members.iter())
        .map(|group| match &lines[group.clone()] {
            [line] => std::borrow::Cow::Borrowed(*line),
            wrapped => std::borrow::Cow::Owned(wrapped.join(" ")),
        })
        .collect();
    (joined, members)
}

/// Feature vectors for the non-blank lines of a document, given as `(line index, text)` with
/// blank lines present as empty strings (they separate blocks). Returns one vector per
/// non-blank line, in order.
pub fn document_features(lines: &[&str]) -> Vec<(usize, Features)> {
    let non_blank: Vec<&str> = lines.iter().copied().filter(|line| !line.is_empty()).collect();
    document_features_in(lines, &Stopwords::for_lines(&non_blank))
}

/// Like [`document_features`], with the document's language already identified.
pub fn document_features_in(lines: &[&str], stopwords: &Stopwords) -> Vec<(usize, Features)> {
    document_features_with(lines, stopwords, &mut LineMemo::default())
}

/// The line measures of a document's previous detector pass, for the next: a pass removes a
/// few lines and would otherwise measure all the others again. A line's measures depend only
/// on its text and the stopwords, so reusing them changes nothing.
#[derive(Debug, Default)]
pub struct LineMemo {
    stopwords: Option<Stopwords>,
    /// The previous pass's lines, one after the other.
    text: String,
    lines: Vec<(std::ops::Range<usize>, LineStats)>,
}

impl LineMemo {
    /// The measures of `lines` (in order): those the previous pass measured under the same
    /// stopwords are taken from it, the others measured now. Remembers these for the next.
    fn measure(&mut self, lines: &[&str], stopwords: &Stopwords) -> Vec<LineStats> {
        // Measures taken under other stopwords are of no use.
        let reusable = if self.stopwords.is_some_and(|known| known.same_as(stopwords)) {
            self.lines.len()
        } else {
            0
        };
        let mut next = 0;
        let mut stats = Vec::with_capacity(lines.len());
        for line in lines {
            // The lines that remain come in the same order as before.
            let found = (next..reusable).find(|&at| &self.text[self.lines[at].0.clone()] == *line);
            match found {
                Some(at) => {
                    stats.push(self.lines[at].1);
                    next = at + 1;
                }
                None => stats.push(line_stats(line, stopwords)),
            }
        }
        self.stopwords = Some(*stopwords);
        self.text.clear();
        self.text.reserve(lines.iter().map(|line| line.len()).sum());
        self.lines.clear();
        self.lines.reserve(lines.len());
        for (line, measured) in lines.iter().zip(&stats) {
            let start = self.text.len();
            self.text.push_str(line);
            self.lines.push((start..self.text.len(), *measured));
        }
        stats
    }
}

/// Like [`document_features_in`], reusing the measures of lines an earlier pass over the same
/// document measured.
pub fn document_features_with(
    lines: &[&str],
    stopwords: &Stopwords,
    memo: &mut LineMemo,
) -> Vec<(usize, Features)> {
    let mut non_blank: Vec<(usize, &str)> = Vec::with_capacity(lines.len());
    non_blank.extend((lines.iter().copied().enumerate()).filter(|(_, line)| !line.is_empty()));
    if non_blank.is_empty() {
        return Vec::new();
    }
    let texts: Vec<&str> = non_blank.iter().map(|(_, line)| *line).collect();
    let stats = memo.measure(&texts, stopwords);

    let repeated = repeated_lines(&texts);

    let blocks = Blocks::new(&non_blank, &stats);

    let is_text: Vec<bool> = stats.iter().map(LineStats::is_text).collect();
    let main_run = main_text_run(&stats);
    let distance = distance_to_text(&is_text);
    let n = non_blank.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = &stats[i];
        let lo = i.saturating_sub(WINDOW);
        let hi = (i + WINDOW + 1).min(n);
        let (text_chars, all_chars) = (lo..hi).filter(|&j| j != i).fold((0usize, 0usize), |(t, a), j| {
            (
                t + if is_text[j] { stats[j].chars } else { 0 },
                a + stats[j].chars,
            )
        });
        let position = if n > 1 { i as f32 / (n - 1) as f32 } else { 0.5 };
        let block = blocks.of_line[i];
        let features: Features = [
            1.0,
            log_scaled(s.chars, 6.0),
            log_scaled(s.words, WORDS_SCALE),
            f32::from(u8::from(s.terminal)),
            s.stopword_density,
            f32::from(u8::from(!stopwords.is_known())),
            (s.inner_punctuation as f32 / (s.words.max(1) as f32) * 5.0).min(1.0),
            s.title_case,
            (s.digits as f32 / s.chars.max(1) as f32).min(1.0),
            f32::from(u8::from(s.bullet)),
            f32::from(u8::from(s.link_like)),
            f32::from(u8::from(s.separators)),
            f32::from(u8::from(repeated[i])),
            f32::from(u8::from(s.all_caps)),
            f32::from(u8::from(s.copyright)),
            position,
            4.0 * position * (1.0 - position),
            log_scaled(blocks.lines[block], BLOCK_LINES_SCALE),
            log_scaled(blocks.chars[block] / blocks.lines[block].max(1), 6.0),
            f32::from(u8::from(blocks.terminal[block])),
            if all_chars > 0 {
                text_chars as f32 / all_chars as f32
            } else {
                0.0
            },
            f32::from(u8::from(i > 0 && is_text[i - 1])),
            f32::from(u8::from(i + 1 < n && is_text[i + 1])),
            log_scaled(distance[i], 4.0),
            f32::from(u8::from(main_run.contains(&i))),
            f32::from(u8::from(s.words <= 3)),
            f32::from(u8::from(s.ends_with_colon)),
            f32::from(u8::from(s.starts_lowercase)),
            s.chrome_density,
            // The markup features: set by the detector when the page's markup is known.
            0.0,
            0.0,
        ];
        out.push((non_blank[i].0, features));
    }
    out
}

/// For each line, whether another line has the same text: each line's text is hashed once.
fn repeated_lines(texts: &[&str]) -> Vec<bool> {
    let mut first_of: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(texts.len(), Default::default());
    let mut copies = vec![0usize; texts.len()];
    let firsts: Vec<usize> = (texts.iter().enumerate())
        .map(|(i, text)| {
            let first = *first_of.entry(text).or_insert(i);
            copies[first] += 1;
            first
        })
        .collect();
    firsts.iter().map(|&first| copies[first] > 1).collect()
}

/// Blocks: runs of non-blank lines with no blank line between them.
struct Blocks {
    /// The block of each non-blank line.
    of_line: Vec<usize>,
    /// Lines per block.
    lines: Vec<usize>,
    /// Characters per block.
    chars: Vec<usize>,
    /// Whether the block's last line ends like a sentence.
    terminal: Vec<bool>,
}

impl Blocks {
    /// The blocks of the non-blank lines (with their line numbers) and their stats.
    fn new(non_blank: &[(usize, &str)], stats: &[LineStats]) -> Blocks {
        let mut of_line = vec![0usize; non_blank.len()];
        for i in 1..non_blank.len() {
            let adjacent = non_blank[i].0 == non_blank[i - 1].0 + 1;
            of_line[i] = of_line[i - 1] + usize::from(!adjacent);
        }
        let count = of_line.last().map_or(0, |b| b + 1);
        let mut blocks = Blocks {
            of_line,
            lines: vec![0; count],
            chars: vec![0; count],
            terminal: vec![false; count],
        };
        for (i, s) in stats.iter().enumerate() {
            let block = blocks.of_line[i];
            blocks.lines[block] += 1;
            blocks.chars[block] += s.chars;
            blocks.terminal[block] = s.terminal;
        }
        blocks
    }
}

/// The run of lines with the most running text, where every other line costs a little: the
/// classic maximum-sum segment over per-line scores.
fn main_text_run(stats: &[LineStats]) -> std::ops::Range<usize> {
    let score = |s: &LineStats| -> i64 {
        if s.is_text() {
            s.chars.min(600) as i64
        } else {
            -(s.chars.min(60) as i64) - 20
        }
    };
    let (mut best, mut best_range) = (i64::MIN, 0..0);
    let (mut sum, mut start) = (0i64, 0usize);
    for (i, s) in stats.iter().enumerate() {
        if sum <= 0 {
            sum = 0;
            start = i;
        }
        sum += score(s);
        if sum > best {
            best = sum;
            best_range = start..i + 1;
        }
    }
    best_range
}

/// For each line, how many lines away the nearest line of running text is (0 for itself).
fn distance_to_text(is_text: &[bool]) -> Vec<usize> {
    let n = is_text.len();
    let mut distance = vec![n; n];
    let mut last = None;
    for i in 0..n {
        if is_text[i] {
            last = Some(i);
        }
        if let Some(at) = last {
            distance[i] = i - at;
        }
    }
    last = None;
    for i in (0..n).rev() {
        if is_text[i] {
            last = Some(i);
        }
        if let Some(at) = last {
            distance[i] = distance[i].min(at - i);
        }
    }
    distance
}

/// Names of the second-stage features, computed from first-stage probabilities of a line and
/// its neighbours.
pub const CONTEXT_NAMES: &[&str] = &[
    "bias",
    "logit",
    "neighbours_1",
    "neighbours_3",
    "block_mean",
    "in_body_span",
    "previous",
    "next",
    "before_span",
    "after_span",
    "log_chars",
    "short",
    "terminal_punctuation",
    "run_share",
    "log_span_distance",
];

/// Index of `before_span` among the second-stage features.
pub const BEFORE_SPAN: usize = 8;
/// Index of `after_span` among the second-stage features.
pub const AFTER_SPAN: usize = 9;

/// Number of second-stage features.
pub const CONTEXT_FEATURES: usize = CONTEXT_NAMES.len();

/// One second-stage feature vector.
pub type ContextFeatures = [f32; CONTEXT_FEATURES];

/// Second-stage features for the non-blank lines of a document, given each line's first-stage
/// features (from [`document_features`]) and body probability.
pub fn context_features(lines: &[(usize, Features)], probabilities: &[f32]) -> Vec<ContextFeatures> {
    let n = lines.len();
    let mean = |range: std::ops::Range<usize>, skip: usize| {
        let (sum, count) = range
            .filter(|&j| j != skip)
            .fold((0.0f32, 0usize), |(s, c), j| (s + probabilities[j], c + 1));
        if count == 0 {
            0.5
        } else {
            sum / count as f32
        }
    };
    // Blocks, as in the first stage: runs of lines with no blank line between them.
    let mut block_start = vec![0usize; n];
    for i in 1..n {
        block_start[i] = if lines[i].0 == lines[i - 1].0 + 1 {
            block_start[i - 1]
        } else {
            i
        };
    }
    let mut block_end = vec![n; n];
    for i in (0..n.saturating_sub(1)).rev() {
        block_end[i] = if block_start[i + 1] == block_start[i] {
            block_end[i + 1]
        } else {
            i + 1
        };
    }
    // Sum of probabilities per block, so each line's block mean costs O(1).
    let mut block_sum = vec![0.0f32; n];
    for i in 0..n {
        block_sum[block_start[i]] += probabilities[i];
    }
    let runs = text_runs(lines, probabilities);
    let span = runs.best.clone();
    (0..n)
        .map(|i| {
            let p = probabilities[i].clamp(1e-4, 1.0 - 1e-4);
            let previous = if i > 0 { probabilities[i - 1] } else { 0.0 };
            let next = if i + 1 < n { probabilities[i + 1] } else { 0.0 };
            let block = block_start[i]..block_end[i];
            let features = &lines[i].1;
            [
                1.0,
                (p / (1.0 - p)).ln() / 4.0,
                mean(i.saturating_sub(1)..(i + 2).min(n), i),
                mean(i.saturating_sub(3)..(i + 4).min(n), i),
                if block.len() > 1 {
                    (block_sum[block.start] - probabilities[i]) / (block.len() - 1) as f32
                } else {
                    p
                },
                f32::from(u8::from(span.contains(&i))),
                previous,
                next,
                f32::from(u8::from(i < span.start)),
                f32::from(u8::from(i >= span.end)),
                features[1],
                features[25],
                features[3],
                runs.share[i],
                (1.0 + span_distance(&span, i) as f32).ln() / 4.0,
            ]
        })
        .collect()
}

/// Lines between a line and the body span (0 inside it).
fn span_distance(span: &std::ops::Range<usize>, i: usize) -> usize {
    if i < span.start {
        span.start - i
    } else if i >= span.end {
        i + 1 - span.end
    } else {
        0
    }
}

/// The runs of body-like text of a document: each maximal stretch whose length-weighted body
/// probabilities stay above one half, cut where its running sum peaks.
struct TextRuns {
    /// The run with the most body-like text: the body span.
    best: std::ops::Range<usize>,
    /// Per line: the mass of the run it lies in, as a share of the best run's (0 outside runs).
    share: Vec<f32>,
}

fn text_runs(lines: &[(usize, Features)], probabilities: &[f32]) -> TextRuns {
    let n = probabilities.len();
    let mut runs: Vec<(std::ops::Range<usize>, f32)> = Vec::new();
    let (mut sum, mut start, mut peak, mut peak_end) = (0.0f32, 0usize, 0.0f32, 0usize);
    for (i, p) in probabilities.iter().enumerate() {
        if sum <= 0.0 {
            if peak > 0.0 {
                runs.push((start..peak_end, peak));
            }
            (sum, start, peak, peak_end) = (0.0, i, 0.0, i);
        }
        sum += (p - 0.5) * (1.0 + lines[i].1[1] * 6.0);
        if sum > peak {
            (peak, peak_end) = (sum, i + 1);
        }
    }
    if peak > 0.0 {
        runs.push((start..peak_end, peak));
    }
    let best_mass = runs.iter().map(|(_, mass)| *mass).fold(0.0f32, f32::max);
    let best = (runs.iter())
        .find(|(_, mass)| *mass == best_mass)
        .map_or(0..0, |(range, _)| range.clone());
    let mut share = vec![0.0f32; n];
    for (range, mass) in &runs {
        for line in range.clone() {
            share[line] = mass / best_mass;
        }
    }
    TextRuns { best, share }
}

/// A full sentence: ends like one and has at least four words.
pub(crate) fn is_sentence(features: &Features) -> bool {
    features[TERMINAL] > 0.5 && words(features) >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_pass_reuses_measures_only_under_the_same_stopwords() {
        let lines = [
            "Der Rat hat den Plan für die neue Brücke über den Fluss am Dienstag beschlossen.",
            "Menü",
            "Die Bürger sagten, sie hätten lange auf die Änderung gewartet und seien froh.",
        ];
        let german = Stopwords::for_lines(&lines);
        let english =
            Stopwords::for_lines(&["The council met on Tuesday to approve the plan for the bridge."]);
        let mut memo = LineMemo::default();
        let fresh = |stopwords: &Stopwords| -> Vec<f32> {
            lines
                .iter()
                .map(|line| line_stats(line, stopwords).stopword_density)
                .collect()
        };
        let density =
            |stats: Vec<LineStats>| -> Vec<f32> { stats.iter().map(|s| s.stopword_density).collect() };
        assert_eq!(density(memo.measure(&lines, &german)), fresh(&german));
        // A later pass without the middle line: the others come from the memo, unchanged.
        let kept = [lines[0], lines[2]];
        assert_eq!(
            density(memo.measure(&kept, &german)),
            vec![fresh(&german)[0], fresh(&german)[2]]
        );
        // Under other stopwords, measured again.
        assert_eq!(
            density(memo.measure(&kept, &english)),
            vec![fresh(&english)[0], fresh(&english)[2]]
        );
        assert_ne!(fresh(&german)[0], fresh(&english)[0]);
    }

    #[test]
    fn a_line_is_repeated_when_another_has_its_text() {
        let texts = ["Share", "The council met.", "Share", "Menu", "Share"];
        assert_eq!(repeated_lines(&texts), [true, false, true, false, true]);
    }

    #[test]
    fn named_indices_point_at_their_features() {
        let at = |name: &str| FEATURE_NAMES.iter().position(|n| *n == name).unwrap();
        assert_eq!(
            [
                LOG_WORDS,
                TERMINAL,
                LINK_LIKE,
                SEPARATORS,
                COPYRIGHT,
                BLOCK_LOG_LINES
            ],
            [
                at("log_words"),
                at("terminal_punctuation"),
                at("link_like"),
                at("separators"),
                at("copyright"),
                at("block_log_lines")
            ]
        );
    }

    #[test]
    fn one_vector_per_non_blank_line_with_matching_names() {
        let lines = [
            "Home",
            "",
            "A long sentence of body text that goes on for a while, as body text does.",
            "",
        ];
        let features = document_features(&lines);
        assert_eq!(features.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(FEATURE_NAMES.len(), features[0].1.len());
        assert!(features.iter().all(|(_, f)| f.iter().all(|v| v.is_finite())));
    }

    #[test]
    fn wrapped_paragraphs_are_joined_and_menus_are_not() {
        let lines = [
            "The council said that it would meet",
            "on Tuesday, and that the",
            "plan would go ahead.",
            "Home",
            "News",
            "",
        ];
        let (joined, members) = join_wrapped(&lines);
        assert_eq!(
            joined[0],
            "The council said that it would meet on Tuesday, and that the plan would go ahead."
        );
        assert_eq!(members, [0..3, 3..4, 4..5, 5..6]);
    }

    #[test]
    fn sentences_and_menus_differ() {
        let menu = line_stats("Home | World | Sport", &Stopwords::for_lines(&[]));
        assert!(menu.separators && !menu.terminal && menu.title_case == 1.0);
        assert!(ends_like_sentence("He said “yes.”"));
    }

    #[test]
    fn main_run_spans_the_running_text() {
        let text = "This is a sentence of running text that is long enough to count as body text.";
        let lines = [
            "Menu", "Home", text, "Ad", text, text, "Footer", "Links", "More", "Links",
        ];
        let stats: Vec<LineStats> = lines
            .iter()
            .map(|l| line_stats(l, &Stopwords::for_lines(&[])))
            .collect();
        assert_eq!(main_text_run(&stats), 2..6);
    }
}
