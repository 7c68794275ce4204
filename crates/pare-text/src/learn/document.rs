//! One document made ready for counting: normalised, split into its distinct lines, each with
//! where it stood (head or tail, before or after all running text, after the article) and how
//! many words a cut there would remove. The costly part of counting, done in parallel.

use crate::detect::line::is_running_text;
use crate::normalize::normalize;

/// Where a line stood in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Position {
    /// Which of the `Position::*` bits hold.
    pub(super) bits: u8,
    /// Words from the line to the end of the document.
    pub(super) words_below: u32,
}

impl Position {
    /// In the first third of the document's lines.
    pub(super) const HEAD: u8 = 1;
    /// In the last third.
    pub(super) const TAIL: u8 = 2;
    /// No running text anywhere after it.
    pub(super) const NOTHING_AFTER: u8 = 4;
    /// No running text anywhere before it.
    pub(super) const NOTHING_BEFORE: u8 = 8;
    /// After the article (see [`after_article`]).
    pub(super) const AFTER_ARTICLE: u8 = 16;
    /// In a document where an article was found (see [`after_article`]).
    pub(super) const WITH_ARTICLE: u8 = 32;
    /// Before the body: no running text before it, and some after it.
    pub(super) const BEFORE_BODY: u8 = 64;
    /// After the body: some running text before it and none after it, or after the article.
    pub(super) const AFTER_BODY: u8 = 128;

    pub(super) fn has(self, bit: u8) -> bool {
        self.bits & bit != 0
    }
}

/// One line of a prepared document: what [`super::Counts`] records about it.
pub(super) struct PreparedLine {
    pub(super) key: u64,
    pub(super) text: String,
    pub(super) position: Position,
}

/// A document normalised, split into distinct lines and hashed: the costly part of counting,
/// done in parallel before the counts are updated in order ([`super::Counts::add_prepared`]).
pub struct PreparedDocument {
    pub(super) group: String,
    pub(super) id: String,
    pub(super) hash: u64,
    pub(super) words: u64,
    pub(super) lines: Vec<PreparedLine>,
}

impl PreparedDocument {
    /// The document `id` of the group (site) `group`, with the text `text`, made ready.
    pub fn new(group: &str, id: &str, text: &str) -> PreparedDocument {
        let normalized = normalize(text);
        let lines: Vec<&str> = normalized.lines().filter(|line| !line.is_empty()).collect();
        let running: Vec<bool> = lines.iter().map(|line| is_running_text(line)).collect();
        let last_text = running.iter().rposition(|&running| running);
        let first_text = running.iter().position(|&running| running);
        let words: Vec<u32> = lines.iter().map(|line| line.split(' ').count() as u32).collect();
        let (after_article, with_article) = after_article(&running, &words);
        let mut words_below = words.clone();
        for index in (0..words.len().saturating_sub(1)).rev() {
            words_below[index] = words_below[index].saturating_add(words_below[index + 1]);
        }
        let mut met = std::collections::HashSet::new();
        let prepared = (lines.iter().enumerate())
            .filter(|(_, line)| met.insert(**line))
            .map(|(index, line)| {
                let bits = [
                    (index * 3 < lines.len(), Position::HEAD),
                    (index * 3 >= lines.len() * 2, Position::TAIL),
                    (last_text.is_none_or(|at| at < index), Position::NOTHING_AFTER),
                    (first_text.is_none_or(|at| at > index), Position::NOTHING_BEFORE),
                    (after_article[index], Position::AFTER_ARTICLE),
                    (with_article, Position::WITH_ARTICLE),
                    (first_text.is_some_and(|at| at > index), Position::BEFORE_BODY),
                    (
                        last_text.is_some_and(|at| at < index) || after_article[index],
                        Position::AFTER_BODY,
                    ),
                ];
                let bits = (bits.iter()).fold(0, |all, &(holds, bit)| if holds { all | bit } else { all });
                PreparedLine {
                    key: text_key(line),
                    text: line.to_string(),
                    position: Position {
                        bits,
                        words_below: words_below[index],
                    },
                }
            })
            .collect();
        PreparedDocument {
            group: group.to_string(),
            id: id.to_string(),
            hash: text_key(&normalized),
            words: words.iter().map(|&count| u64::from(count)).sum(),
            lines: prepared,
        }
    }
}

/// Running-text lines this close (lines not running text between them) belong to one run of
/// text: a subheading or an advertisement marker does not split an article.
const RUN_GAP: usize = 1;

/// What counts as an article in [`article_within`].
struct Article {
    /// Running-text lines a run needs at least ...
    lines: usize,
    /// ... and this share of the words of the document's longest run.
    share: f64,
    /// The share of the running words scanned that the biggest such run must hold.
    holds: f64,
}

/// Above a line, an article is a run with a third of the words of the document's longest run
/// (a short post may be one paragraph).
const ARTICLE_ABOVE: Article = Article {
    lines: 1,
    share: 1.0 / 3.0,
    holds: 0.0,
};

/// Below a line, the article goes on when a run of two running-text lines or more has half the
/// words of the longest run and holds half the running words below: a comment, a bio or a
/// related post's excerpt is short beside the article, and one long comment among several does
/// not make an article.
const ARTICLE_BELOW: Article = Article {
    lines: 2,
    share: 0.5,
    holds: 0.5,
};

/// Which of a document's lines stand after the article (`running` says which lines are running
/// text, `words` how many words each has): a line not itself running text with an article above
/// it ([`ARTICLE_ABOVE`]) and none going on below it ([`ARTICLE_BELOW`]), the line splitting any
/// run it sits in. Runs are running-text lines no more than [`RUN_GAP`] lines apart. So a
/// heading above comments, an author's bio or related posts' excerpts is after the article; a
/// subheading or an advertisement with more of the article below it is not. Also says whether
/// the document has an article at all.
fn after_article(running: &[bool], words: &[u32]) -> (Vec<bool>, bool) {
    let longest = longest_run_words(running, words);
    let lines = || {
        running
            .iter()
            .zip(words)
            .map(|(&running, &words)| (running, words))
    };
    let above = article_within(lines(), longest, &ARTICLE_ABOVE);
    let below = article_within(lines().rev(), longest, &ARTICLE_BELOW);
    let after = (0..running.len())
        .map(|index| above[index] && !below[running.len() - 1 - index] && !running[index])
        .collect();
    (after, above[running.len()])
}

/// Words in the document's longest run of text.
fn longest_run_words(running: &[bool], words: &[u32]) -> u64 {
    let mut runs = RunScan::default();
    (running.iter().zip(words))
        .map(|(&running, &words)| runs.step(running, words))
        .max()
        .unwrap_or(0)
}

/// For each line, in the order given, whether the lines before it hold an `article`; then
/// whether all of them do.
fn article_within(lines: impl Iterator<Item = (bool, u32)>, longest: u64, article: &Article) -> Vec<bool> {
    let mut runs = RunScan::default();
    let mut biggest = 0;
    let mut all_words = 0;
    let holds =
        |biggest: u64, all_words: u64| biggest > 0 && biggest as f64 >= all_words as f64 * article.holds;
    let mut before: Vec<bool> = lines
        .map(|(running, words)| {
            let before = holds(biggest, all_words);
            runs.step(running, words);
            if running {
                all_words += u64::from(words);
            }
            if runs.lines >= article.lines && runs.words as f64 >= longest as f64 * article.share {
                biggest = biggest.max(runs.words);
            }
            before
        })
        .collect();
    before.push(holds(biggest, all_words));
    before
}

/// The run of text a scan over lines is in.
#[derive(Default)]
struct RunScan {
    /// Running-text lines in the current run, and their words.
    lines: usize,
    words: u64,
    /// Lines since the run's last running-text line.
    gap: usize,
}

impl RunScan {
    /// Takes in the next line; returns the words of the run so far.
    fn step(&mut self, running: bool, words: u32) -> u64 {
        if !running {
            self.gap += 1;
            return self.words;
        }
        if self.gap > RUN_GAP {
            self.lines = 0;
            self.words = 0;
        }
        self.gap = 0;
        self.lines += 1;
        self.words += u64::from(words);
        self.words
    }
}

/// A 64-bit hash of a line or document, stable across machines and releases (blake3).
fn text_key(text: &str) -> u64 {
    let bytes = blake3::hash(text.as_bytes());
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("a hash has 32 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines described by letters (`T` running text of 10 words, `t` of 3 words, `-` a short
    /// line), and which of them are after the article, as `^`.
    fn after_article_of(lines: &str) -> String {
        let running: Vec<bool> = lines.chars().map(|c| c != '-').collect();
        let words: Vec<u32> = lines.chars().map(|c| if c == 'T' { 10 } else { 3 }).collect();
        (after_article(&running, &words).0.iter())
            .map(|&after| if after { '^' } else { ' ' })
            .collect()
    }

    #[test]
    fn lines_below_the_last_main_run_are_after_the_article() {
        // An article split by a subheading, then a comment section of single comments.
        assert_eq!(after_article_of("--TT-TT---t--t-"), "       ^^^ ^^ ^");
        // A heading between the article and a bio is after the article; one with more of the
        // article below it is not.
        assert_eq!(after_article_of("TTT-TTT-t--"), "       ^ ^^");
        // Two short lines split the article: its second half is still a main run.
        assert_eq!(after_article_of("TTT--TT--t"), "       ^^ ");
        // A comment of two paragraphs is no main run beside a long article.
        assert_eq!(after_article_of("TTTTTT---tt-"), "      ^^^  ^");
        // A lone paragraph is an article (a short post); no running text is none.
        assert_eq!(after_article_of("--T--"), "   ^^");
        assert_eq!(after_article_of("----"), "    ");
        let has_article = |running: &[bool]| after_article(running, &vec![10; running.len()]).1;
        assert!(has_article(&[false, true, true]));
        assert!(has_article(&[true, true, false]));
        assert!(has_article(&[true, true]));
        assert!(has_article(&[false, true]));
        assert!(!has_article(&[false, false]));
    }
}
