//! What the detector measures on a line alone: its length (a character of a script written
//! without spaces counting as three, a Hangul syllable as two), words, sentence end, stopword share, punctuation, case,
//! and marks of chrome (bullets, links, separators, copyright). Also the one definition of
//! running text. A line is measured in one pass over its bytes (see `Scan`).

use super::language::{char_width, is_unspaced, lower_into, Stopwords};

/// A line long and sentence-like enough to be taken as running text when judging neighbours.
const TEXT_LINE_CHARS: usize = 60;
/// What is measured on a line alone.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LineStats {
    pub(super) chars: usize,
    pub(super) words: usize,
    pub(super) terminal: bool,
    pub(super) stopword_density: f32,
    /// Share of the words that are words of site chrome (see `text::phrases`).
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
    let width: usize = (line.chars()).map(char_width).sum();
    width >= TEXT_LINE_CHARS && ends_like_sentence(line)
}

/// Ends like a sentence: terminal punctuation, possibly followed by closing quotes or brackets.
pub(super) fn ends_like_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '」', '』', '）', '*']);
    // Full stops of other scripts: Devanagari's danda and double danda, Khmer's khan and
    // bariyoosan, Myanmar's section mark, Armenian's and Ethiopic's full stops.
    trimmed.ends_with([
        '.', '!', '?', '。', '！', '？', '…', ';', '؟', '।', '۔', '॥', '។', '៕', '။', '։', '።',
    ]) || ends_like_unmarked_sentence(trimmed)
}

/// Thai and Lao mark no sentence end: a space parts sentences and clauses. A line there ends
/// like a sentence when it is long enough to be running text and holds more than one clause.
fn ends_like_unmarked_sentence(line: &str) -> bool {
    let is_thai_or_lao = |c: char| matches!(c as u32, 0x0E00..=0x0EFF);
    line.chars().next_back().is_some_and(is_thai_or_lao)
        && line.trim().contains(' ')
        && line.chars().map(char_width).sum::<usize>() >= TEXT_LINE_CHARS
}

pub(super) fn line_stats(line: &str, stopwords: &Stopwords) -> LineStats {
    let stats = LineStats {
        terminal: ends_like_sentence(line),
        bullet: line.starts_with(['*', '•', '·', '-', '–', '►', '▪', '»', '>']) || line.starts_with("| "),
        ends_with_colon: line.ends_with(':'),
        starts_lowercase: line.chars().next().is_some_and(char::is_lowercase),
        ..LineStats::default()
    };
    let Scan {
        mut stats,
        chars,
        words,
        ..
    } = Scan::of(line, stopwords, stats);
    stats.all_caps = chars.letters >= 2 && chars.uppercase == chars.letters && chars.letters > chars.wide;
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

/// Letter counts of a line.
#[derive(Default)]
struct CharCounts {
    letters: usize,
    uppercase: usize,
    /// Characters of scripts written without spaces.
    wide: usize,
    /// Wide characters that are stopwords of their own (`Stopwords::per_char`).
    wide_stopwords: usize,
}

/// Word counts of a line (words of scripts written without spaces are not counted here).
#[derive(Default)]
struct WordCounts {
    words: usize,
    capitalised: usize,
    stopwords: usize,
    chrome: usize,
}

/// The word being read by [`Scan::of`]: where it starts, its first and last letter or digit
/// (none while `first > last`), and what kinds of byte it holds.
#[derive(Clone, Copy)]
struct WordSpan {
    start: usize,
    first: usize,
    last: usize,
    uppercase: bool,
    non_ascii: bool,
}

impl WordSpan {
    fn at(start: usize) -> WordSpan {
        WordSpan {
            start,
            first: usize::MAX,
            last: 0,
            uppercase: false,
            non_ascii: false,
        }
    }

    fn alphanumeric_at(&mut self, at: usize) {
        self.first = self.first.min(at);
        self.last = at;
    }
}

/// One pass over a line's bytes, word by word (words are split at spaces): its length, digits,
/// inner punctuation and marks go to `stats`, its letters to `chars`, its words to `words`.
/// ASCII is read byte by byte; only a word holding other characters is decoded.
struct Scan<'a> {
    line: &'a str,
    stopwords: &'a Stopwords,
    stats: LineStats,
    chars: CharCounts,
    words: WordCounts,
    /// A word in lower case, when it was not.
    lowered: String,
}

impl<'a> Scan<'a> {
    fn of(line: &'a str, stopwords: &'a Stopwords, stats: LineStats) -> Scan<'a> {
        let mut scan = Scan {
            line,
            stopwords,
            stats,
            chars: CharCounts::default(),
            words: WordCounts::default(),
            lowered: String::new(),
        };
        let bytes = line.as_bytes();
        let mut word = WordSpan::at(0);
        // Counted in locals, which stay in registers.
        let (mut letters, mut uppercase, mut digits, mut non_ascii_bytes) = (0, 0, 0, 0);
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'a'..=b'z' => {
                    // A run of lower-case letters, the commonest bytes, in one go.
                    let run = (bytes[at..].iter())
                        .position(|byte| !byte.is_ascii_lowercase())
                        .unwrap_or(bytes.len() - at);
                    letters += run;
                    word.alphanumeric_at(at);
                    word.alphanumeric_at(at + run - 1);
                    // "www." ends a run of lower-case letters.
                    let end = at + run;
                    scan.stats.link_like |= bytes[at..end].ends_with(b"www") && bytes.get(end) == Some(&b'.');
                    at = end;
                    continue;
                }
                b' ' => {
                    scan.count_word(word, at);
                    word = WordSpan::at(at + 1);
                    scan.stats.separators |= bytes[at..].starts_with(b" | ");
                }
                b'A'..=b'Z' => {
                    letters += 1;
                    uppercase += 1;
                    word.uppercase = true;
                    word.alphanumeric_at(at);
                }
                b'0'..=b'9' => {
                    digits += 1;
                    word.alphanumeric_at(at);
                }
                b',' | b';' => scan.stats.inner_punctuation += 1,
                b':' => scan.stats.link_like |= bytes[at..].starts_with(b"://"),
                b'@' => scan.stats.link_like = true,
                b'.' => scan.stats.link_like |= bytes[at..].starts_with(b".com"),
                b'(' => {
                    scan.stats.copyright |=
                        bytes[at..].starts_with(b"(c)") || bytes[at..].starts_with(b"(C)");
                }
                0x80.. => {
                    word.non_ascii = true;
                    non_ascii_bytes += 1;
                    mark_non_ascii(&bytes[at..], at > 0 && bytes[at - 1] == b' ', &mut scan.stats);
                }
                _ => {}
            }
            at += 1;
        }
        scan.count_word(word, bytes.len());
        scan.chars.letters += letters;
        scan.chars.uppercase += uppercase;
        scan.stats.digits += digits;
        // Every ASCII byte is a character; the others were counted word by word.
        scan.stats.chars += bytes.len() - non_ascii_bytes;
        scan
    }

    /// Counts the word `word` began, ending before `end`: a word, its capital, whether it is a
    /// stopword or a word of chrome.
    fn count_word(&mut self, word: WordSpan, end: usize) {
        if word.non_ascii {
            self.count_wide_word(&self.line[word.start..end]);
            return;
        }
        if word.first > word.last {
            return;
        }
        let text = &self.line[word.first..=word.last];
        self.words.words += 1;
        self.words.capitalised += usize::from(word.uppercase && text.as_bytes()[0].is_ascii_uppercase());
        let mut buffer = [0u8; 32];
        let (stopword, chrome) = if !word.uppercase {
            // Already lower case: looked up as it is, without a copy.
            self.stopwords.look_up(text.as_bytes())
        } else if let Some(short) = buffer.get_mut(..text.len()) {
            // Lowered on the stack: most words are short.
            short.copy_from_slice(text.as_bytes());
            short.make_ascii_lowercase();
            self.stopwords.look_up(short)
        } else {
            lower_into(text, &mut self.lowered);
            self.stopwords.look_up(self.lowered.as_bytes())
        };
        self.words.stopwords += usize::from(stopword);
        self.words.chrome += usize::from(chrome);
    }

    /// [`Scan::count_word`] for a word with characters outside ASCII, which also counts those
    /// characters (its ASCII bytes are counted already).
    fn count_wide_word(&mut self, text: &str) {
        let mut buffer = [0u8; 4];
        for c in text.chars().filter(|c| !c.is_ascii()) {
            // A character of a script written without spaces carries about a word's worth of
            // text, and a Hangul syllable two or three letters: they count for more.
            self.stats.chars += char_width(c);
            if matches!(c, '，' | '、' | '；' | '،') {
                self.stats.inner_punctuation += 1;
            }
            if c.is_alphabetic() {
                self.chars.letters += 1;
                self.chars.uppercase += usize::from(c.is_uppercase());
            }
            if is_unspaced(c) {
                self.chars.wide += 1;
                if self.stopwords.per_char && self.stopwords.contains(c.encode_utf8(&mut buffer)) {
                    self.chars.wide_stopwords += 1;
                }
            }
        }
        let word = text.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() || word.chars().all(is_unspaced) {
            return;
        }
        self.words.words += 1;
        self.words.capitalised += usize::from(word.chars().next().is_some_and(char::is_uppercase));
        lower_into(word, &mut self.lowered);
        let (stopword, chrome) = self.stopwords.look_up(self.lowered.as_bytes());
        self.words.stopwords += usize::from(stopword);
        self.words.chrome += usize::from(chrome);
    }
}

/// The marks written outside ASCII, at the start of `rest` (`after_space` when a space comes
/// before it): "›", " » " and " • " (separators), "©".
fn mark_non_ascii(rest: &[u8], after_space: bool, stats: &mut LineStats) {
    let spaced =
        |mark: &str| after_space && rest.starts_with(mark.as_bytes()) && rest.get(mark.len()) == Some(&b' ');
    if rest.starts_with("›".as_bytes()) || spaced("»") || spaced("•") {
        stats.separators = true;
    } else if rest.starts_with("©".as_bytes()) {
        stats.copyright = true;
    }
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
    fn links_separators_and_copyright_are_marked_wherever_they_stand() {
        let stopwords = Stopwords::for_lines(&[]);
        let marks = |line: &str| {
            let stats = line_stats(line, &stopwords);
            (stats.link_like, stats.separators, stats.copyright)
        };
        for link in [
            "see https://example.org",
            "www.example",
            "mail me@here",
            "Example.com today",
        ] {
            assert_eq!(marks(link), (true, false, false), "{link}");
        }
        for separator in [
            "Home | News",
            "Home › News",
            "Home » News",
            "Home • News",
            "Bücher › Romane",
        ] {
            assert_eq!(marks(separator), (false, true, false), "{separator}");
        }
        for copyright in ["© 2024 Example", "(c) 2024", "Copyright (C) Example"] {
            assert_eq!(marks(copyright), (false, false, true), "{copyright}");
        }
        for plain in [
            "a|b",
            "Home »News",
            "Home •News",
            "so (cf. above)",
            "ww.a",
            "a: b",
            "dot.co",
            "Ünter",
        ] {
            assert_eq!(marks(plain), (false, false, false), "{plain}");
        }
        assert_eq!(marks("© www.a | b"), (true, true, true));
    }

    #[test]
    fn words_and_letters_are_counted_in_ascii_and_beyond() {
        let stopwords =
            Stopwords::for_lines(&["Der Hund und die Katze sind in dem Haus, aber nicht mit dem Mann."]);
        let stats = line_stats("Über die Brücke, sagte DER Mann: 1984 (ja).", &stopwords);
        assert_eq!(
            (stats.words, stats.chars, stats.digits, stats.inner_punctuation),
            (8, 43, 4, 1)
        );
        // Words are looked up in lower case ("Über", "DER"); "Über", "Brücke", "DER" and "Mann"
        // are capitalised.
        let is_stopword = |word: &str| stopwords.contains(word);
        let listed = ["über", "die", "brücke", "sagte", "der", "mann", "1984", "ja"].map(is_stopword);
        let share = listed.iter().filter(|listed| **listed).count() as f32 / 8.0;
        assert!(listed[0] && listed[1] && listed[4] && !listed[2]);
        assert_eq!((stats.stopword_density, stats.title_case), (share, 4.0 / 8.0));
        let wide = line_stats(
            "東京の天気",
            &Stopwords::for_lines(&["東京の天気は晴れです。今日はとても暑いので、水を飲みましょう。"]),
        );
        assert_eq!((wide.chars, wide.words), (15, 2));
        // Korean is written with spaces: its words are counted and looked up like any others.
        let korean = Stopwords::for_lines(&[
            "시립도서관은 다음 달부터 평일 개관 시간을 밤 열 시까지 연장한다고 밝혔다. 또한 어린이 자료실도 함께 운영한다.",
        ]);
        let stats = line_stats("또한 어린이 자료실도 운영한다.", &korean);
        assert_eq!((stats.words, stats.chars), (4, 2 * 13 + 3 + 1));
        assert_eq!(stats.stopword_density, 0.25, "또한 is a stopword");
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
        // Scripts with full stops of their own: Khmer, Myanmar.
        assert!(is_running_text(&format!("{}។", "ក".repeat(20))));
        assert!(is_running_text(&format!("{}။", "က".repeat(20))));
        // Thai marks no sentence end: a long line of more than one clause ends like a sentence.
        let clause = "ตลาดน้ำเก่าแก่ของอำเภอกลับมาเปิด";
        assert!(is_running_text(&format!("{clause} {clause}")));
        assert!(!is_running_text(&format!("{clause}{clause}")), "one clause");
        assert!(!ends_like_sentence("ตลาดน้ำ เปิด"), "too short");
    }
}
