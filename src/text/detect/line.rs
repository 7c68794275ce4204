//! What the detector measures on a line alone: its length (a character of a script written
//! without spaces counting as three), words, sentence end, stopword share, punctuation, case,
//! and marks of chrome (bullets, links, separators, copyright). Also the one definition of
//! running text.

use std::sync::LazyLock;

use super::language::{is_wide, Stopwords};
use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// A line long and sentence-like enough to be taken as running text when judging neighbours.
const TEXT_LINE_CHARS: usize = 60;
/// How much a character of a script written without spaces counts toward a line's length.
const WIDE_CHAR_WIDTH: usize = 3;
/// What is measured on a line alone.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LineStats {
    pub(super) chars: usize,
    pub(super) words: usize,
    pub(super) terminal: bool,
    pub(super) stopword_density: f32,
    /// Share of the words that are words of site chrome ([`super::vocabulary`]).
    pub(super) chrome_density: f32,
    pub(super) inner_punctuation: usize,
    pub(super) title_case: f32,
    pub(super) digits: usize,
    pub(super) bullet: bool,
    pub(super) link_like: bool,
    pub(super) separators: bool,
    pub(super) all_caps: bool,
    pub(super) copyright: bool,
    pub(super) ends_with_colon: bool,
    pub(super) starts_lowercase: bool,
}

impl LineStats {
    /// [`is_running_text`], from the line's stats.
    pub(super) fn is_text(&self) -> bool {
        self.chars >= TEXT_LINE_CHARS && self.terminal
    }
}

/// Whether a line is running text: it ends like a sentence and is at least 60 characters
/// long, a character of a script written without spaces counting as three. The detector's
/// neighbourhood features and the learner's "before and after the article" both use it.
pub fn is_running_text(line: &str) -> bool {
    let width: usize = (line.chars())
        .map(|c| if is_wide(c) { WIDE_CHAR_WIDTH } else { 1 })
        .sum();
    width >= TEXT_LINE_CHARS && ends_like_sentence(line)
}

/// Ends like a sentence: terminal punctuation, possibly followed by closing quotes or brackets.
pub(super) fn ends_like_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '」', '』', '）', '*']);
    trimmed.ends_with(['.', '!', '?', '。', '！', '？', '…', ';', '؟', '।', '۔'])
}

pub(super) fn line_stats(line: &str, stopwords: &Stopwords) -> LineStats {
    let mut stats = LineStats {
        terminal: ends_like_sentence(line),
        bullet: line.starts_with(['*', '•', '·', '-', '–', '►', '▪', '»', '>']) || line.starts_with("| "),
        ends_with_colon: line.ends_with(':'),
        starts_lowercase: line.chars().next().is_some_and(char::is_lowercase),
        ..LineStats::default()
    };
    mark(line, &mut stats);
    let chars = count_chars(line, stopwords, &mut stats);
    stats.all_caps = chars.letters >= 2 && chars.uppercase == chars.letters && chars.letters > chars.wide;
    let words = count_words(line, stopwords);
    // Scripts without spaces: about two characters a word.
    stats.words = words.words + chars.wide / 2;
    stats.title_case = if words.words > 0 {
        words.capitalised as f32 / words.words as f32
    } else {
        0.0
    };
    stats.chrome_density = if words.words > 0 {
        words.chrome as f32 / words.words as f32
    } else {
        0.0
    };
    stats.stopword_density = if stopwords.per_char && chars.wide > 0 {
        chars.wide_stopwords as f32 / chars.wide as f32
    } else if words.words > 0 {
        words.stopwords as f32 / words.words as f32
    } else {
        0.0
    };
    stats
}

/// The marks of links, separators and copyright a line can carry, by what they say of it.
const MARKS: [(&str, Mark); 11] = [
    ("://", Mark::Link),
    ("www.", Mark::Link),
    ("@", Mark::Link),
    (".com", Mark::Link),
    (" | ", Mark::Separator),
    ("›", Mark::Separator),
    (" » ", Mark::Separator),
    (" • ", Mark::Separator),
    ("©", Mark::Copyright),
    ("(c)", Mark::Copyright),
    ("(C)", Mark::Copyright),
];

#[derive(Clone, Copy)]
enum Mark {
    Link,
    Separator,
    Copyright,
}

/// Sets the link, separator and copyright flags of `stats` from one pass over `line`. Marks
/// of two kinds never share a character, so no mark hides another kind's.
fn mark(line: &str, stats: &mut LineStats) {
    static FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(MARKS.iter().map(|(mark, _)| mark))
            .expect("the marks build an automaton")
    });
    for found in FINDER.find_iter(line) {
        match MARKS[found.pattern().as_usize()].1 {
            Mark::Link => stats.link_like = true,
            Mark::Separator => stats.separators = true,
            Mark::Copyright => stats.copyright = true,
        }
        if stats.link_like && stats.separators && stats.copyright {
            return;
        }
    }
}

/// Letter counts of a line, from one pass over its characters.
#[derive(Default)]
struct CharCounts {
    letters: usize,
    uppercase: usize,
    /// Characters of scripts written without spaces.
    wide: usize,
    /// Wide characters that are stopwords of their own (`Stopwords::per_char`).
    wide_stopwords: usize,
}

/// Counts the characters of `line`, adding its length, digits and inner punctuation to `stats`.
fn count_chars(line: &str, stopwords: &Stopwords, stats: &mut LineStats) -> CharCounts {
    let mut counts = CharCounts::default();
    if line.is_ascii() {
        // The common case, byte by byte: no decoding, no Unicode tables.
        for byte in line.bytes() {
            match byte {
                b'0'..=b'9' => stats.digits += 1,
                b',' | b';' => stats.inner_punctuation += 1,
                b'A'..=b'Z' => {
                    counts.letters += 1;
                    counts.uppercase += 1;
                }
                b'a'..=b'z' => counts.letters += 1,
                _ => {}
            }
        }
        stats.chars += line.len();
        return counts;
    }
    let mut buffer = [0u8; 4];
    for c in line.chars() {
        if c.is_ascii() {
            // The common case, without Unicode table lookups.
            stats.chars += 1;
            if c.is_ascii_digit() {
                stats.digits += 1;
            } else if c == ',' || c == ';' {
                stats.inner_punctuation += 1;
            } else if c.is_ascii_alphabetic() {
                counts.letters += 1;
                counts.uppercase += usize::from(c.is_ascii_uppercase());
            }
            continue;
        }
        // A character of a script written without spaces carries about a word's worth of
        // text, so it counts as three toward the line's length.
        stats.chars += if is_wide(c) { WIDE_CHAR_WIDTH } else { 1 };
        if matches!(c, '，' | '、' | '；' | '،') {
            stats.inner_punctuation += 1;
        }
        if c.is_alphabetic() {
            counts.letters += 1;
            counts.uppercase += usize::from(c.is_uppercase());
        }
        if is_wide(c) {
            counts.wide += 1;
            if stopwords.per_char && stopwords.contains(c.encode_utf8(&mut buffer)) {
                counts.wide_stopwords += 1;
            }
        }
    }
    counts
}

/// Word counts of a line (words of scripts written without spaces are not counted here).
#[derive(Default)]
struct WordCounts {
    words: usize,
    capitalised: usize,
    stopwords: usize,
    chrome: usize,
}

fn count_words(line: &str, stopwords: &Stopwords) -> WordCounts {
    let mut counts = WordCounts::default();
    let mut lowered = String::new();
    for word in line.split(' ') {
        if word.is_ascii() {
            // The common case, without Unicode table lookups.
            let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if word.is_empty() {
                continue;
            }
            counts.words += 1;
            counts.capitalised += usize::from(word.as_bytes()[0].is_ascii_uppercase());
            if !word.bytes().any(|byte| byte.is_ascii_uppercase()) {
                // Already lower case: looked up as it is, without a copy.
                let (stopword, chrome) = stopwords.look_up(word);
                counts.stopwords += usize::from(stopword);
                counts.chrome += usize::from(chrome);
                continue;
            }
            lowered.clear();
            lowered.push_str(word);
            lowered.make_ascii_lowercase();
        } else {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() || word.chars().all(is_wide) {
                continue;
            }
            counts.words += 1;
            counts.capitalised += usize::from(word.chars().next().is_some_and(char::is_uppercase));
            lowered.clear();
            lowered.extend(word.chars().flat_map(char::to_lowercase));
        }
        let (stopword, chrome) = stopwords.look_up(&lowered);
        counts.stopwords += usize::from(stopword);
        counts.chrome += usize::from(chrome);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chrome_share_counts_words_of_site_chrome_in_any_case() {
        let stopwords = Stopwords::for_lines(&["The cat sat on the mat and the dog lay by the door."]);
        let consent = line_stats("We use Cookies to improve your experience. Accept?", &stopwords);
        assert_eq!(consent.chrome_density, 2.0 / 8.0);
        let article = line_stats("The council voted to keep the ferry running.", &stopwords);
        assert_eq!(article.chrome_density, 0.0);
    }

    #[test]
    fn running_text_is_a_long_line_that_ends_like_a_sentence() {
        let sixty = format!("{}.", "a".repeat(59));
        assert!(is_running_text(&sixty));
        assert!(!is_running_text(&sixty[1..]), "59 characters");
        assert!(!is_running_text(&sixty.replace('.', "b")), "no sentence end");
        assert!(
            is_running_text(&format!("\"{sixty}\"")),
            "a quote after the full stop"
        );
        // A character written without spaces weighs three.
        assert!(is_running_text(&format!("{}。", "東".repeat(20))));
        assert!(!is_running_text(&format!("{}。", "東".repeat(19))));
    }
}
