//! Language identification and stopword lists for the body detector, from maintained crates
//! (`whatlang` to identify, `stop-words` for the lists).

use rustc_hash::FxHashMap as HashMap;

use std::sync::OnceLock;

use crate::phrases;

/// How much text is given to language identification: enough to be sure, little enough to be
/// cheap on huge documents.
const SAMPLE_CHARS: usize = 160;

/// The stopwords of a document's language, if it has a list.
#[derive(Debug, Clone, Copy)]
pub struct Stopwords {
    /// The language's bit in the word index ([`word_index`]).
    bit: Option<u128>,
    /// True for text mostly in scripts written without spaces (Chinese, Japanese, Thai, Khmer,
    /// Myanmar...; see `is_unspaced`): stopwords are then counted per character.
    pub per_char: bool,
}

impl Stopwords {
    /// Identifies the language of `lines` (a sample of the longest) and returns its list.
    pub fn for_lines(lines: &[&str]) -> Stopwords {
        Stopwords::for_sample(&sample_of(lines))
    }

    fn for_sample(sample: &str) -> Stopwords {
        let lang = by_stopword_vote(sample).or_else(|| whatlang::detect(sample).map(|info| info.lang()));
        Stopwords {
            bit: lang.and_then(language_bit),
            per_char: mostly_unspaced(sample),
        }
    }

    /// Whether `other` is the same list.
    pub(super) fn same_as(&self, other: &Stopwords) -> bool {
        self.bit == other.bit && self.per_char == other.per_char
    }

    /// True when a list is known for the language.
    pub fn is_known(&self) -> bool {
        self.bit.is_some()
    }

    /// Whether `word` (already lower-cased) is a stopword.
    pub fn contains(&self, word: &str) -> bool {
        self.look_up(word.as_bytes()).0
    }

    /// Whether `word` (already lower-cased) is a stopword, and whether it is a word of site
    /// chrome (see `text::phrases`): one look-up for both.
    pub(super) fn look_up(&self, word: &[u8]) -> (bool, bool) {
        let bits = word_index().1.get(word).copied().unwrap_or(0);
        (
            self.bit.is_some_and(|bit| bits & bit != 0),
            bits & CHROME_BIT != 0,
        )
    }
}

/// The text language identification reads: the longest lines, up to [`SAMPLE_CHARS`] bytes
/// (the last one cut there), so that identification costs the same on every document.
fn sample_of(lines: &[&str]) -> String {
    // Most documents have a line that fills the sample alone: the first of the longest.
    if let Some(longest) = lines.iter().min_by_key(|line| std::cmp::Reverse(line.len())) {
        if longest.len() >= SAMPLE_CHARS {
            return cut_line(longest, SAMPLE_CHARS);
        }
    }
    let mut by_length: Vec<&&str> = lines.iter().collect();
    by_length.sort_by_key(|line| std::cmp::Reverse(line.len()));
    let mut sample = String::new();
    for line in by_length {
        let room = SAMPLE_CHARS.saturating_sub(sample.len());
        if room == 0 {
            break;
        }
        sample.push_str(&cut_line(line, room));
    }
    sample
}

/// A line with its newline, cut to at most `room` bytes at a character boundary.
fn cut_line(line: &str, room: usize) -> String {
    let end = (0..=room.min(line.len()))
        .rev()
        .find(|&end| line.is_char_boundary(end))
        .unwrap_or(0);
    format!("{}\n", &line[..end])
}

/// `word` in lower case, in `lowered` (emptied first): an ASCII word byte by byte, any other
/// through Unicode's case tables. Words are looked up in the word index in lower case.
pub(super) fn lower_into(word: &str, lowered: &mut String) {
    lowered.clear();
    if word.is_ascii() {
        lowered.push_str(word);
        lowered.make_ascii_lowercase();
    } else {
        lowered.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Whether `c` belongs to a script written without spaces between words (Chinese, Japanese,
/// Thai, Lao, Khmer, Myanmar): such a character carries about a word's worth of text. Korean
/// is written with spaces, so its words are words like any other (see [`char_width`]).
pub(super) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        // Kana, CJK ideographs (with extension A and compatibility ideographs).
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        // Thai and Lao.
        | 0x0E00..=0x0EFF
        // Myanmar, with its extensions.
        | 0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F
        // Khmer, with its symbols.
        | 0x1780..=0x17FF | 0x19E0..=0x19FF)
}

/// How much `c` counts toward a line's length, in letters of an alphabet: three for a
/// character of a script without spaces (about a word), two for a Hangul syllable (a block of
/// two or three letters), one for anything else.
pub(super) fn char_width(c: char) -> usize {
    if is_unspaced(c) {
        3
    } else if matches!(c as u32, 0xAC00..=0xD7AF) {
        2
    } else {
        1
    }
}

/// Whether a sample is written mostly in scripts without spaces: its stopwords are then
/// counted per character. Decided by the same characters the line measures count as such.
fn mostly_unspaced(sample: &str) -> bool {
    let (mut unspaced, mut letters) = (0usize, 0usize);
    for c in sample.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        unspaced += usize::from(is_unspaced(c));
    }
    unspaced * 2 > letters
}

/// Stopword hits a language needs, and its lead over the next, to be taken without the
/// trigram identifier.
const VOTE_MIN_HITS: u32 = 3;

/// When the plain vote is unclear, the shared votes (see [`by_stopword_vote`]) a language
/// needs, and how many times the next language's it must have, to be taken.
const VOTE_MIN_SHARES: f32 = 2.0;
const VOTE_SHARES_LEAD: f32 = 3.0;

/// The language whose stopwords the sample's words are, when the vote is clear: most text in
/// a language with spaces holds many of its own stopwords and few of any other's. `None`
/// (the trigram identifier decides) for text without clear winner, or in a script written
/// without spaces.
fn by_stopword_vote(sample: &str) -> Option<whatlang::Lang> {
    let (langs, by_word) = word_index();
    if sample.chars().any(is_unspaced) {
        return None;
    }
    let mut hits = vec![0u32; langs.len()];
    // The same hits, each word's vote shared among the languages that list it: "a" or "in"
    // says little, "the" or "und" much.
    let mut shares = vec![0f32; langs.len()];
    let mut lowered = String::new();
    for word in sample
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        lower_into(word, &mut lowered);
        let mask = by_word
            .get(lowered.as_bytes())
            .map_or(0, |bits| bits & !CHROME_BIT);
        if mask != 0 {
            let share = 1.0 / mask.count_ones() as f32;
            let mut mask = mask;
            while mask != 0 {
                let lang = mask.trailing_zeros() as usize;
                hits[lang] += 1;
                shares[lang] += share;
                mask &= mask - 1;
            }
        }
    }
    let ((best, first), (_, second)) = top_two(&hits);
    if first >= VOTE_MIN_HITS && first >= 2 * second.max(1) {
        return Some(langs[best]);
    }
    let ((best, first), (_, second)) = top_two(&shares);
    (first >= VOTE_MIN_SHARES && first >= VOTE_SHARES_LEAD * second).then(|| langs[best])
}

/// The index and count of the language with most votes (the first of them on a tie), and the
/// most votes of any other.
fn top_two<T: Copy + PartialOrd + Default>(votes: &[T]) -> ((usize, T), (usize, T)) {
    let (mut best, mut second) = (0, T::default());
    for (index, &count) in votes.iter().enumerate().skip(1) {
        if count > votes[best] {
            if votes[best] > second {
                second = votes[best];
            }
            best = index;
        } else if count > second {
            second = count;
        }
    }
    ((best, votes.get(best).copied().unwrap_or_default()), (0, second))
}

/// The bit of the word index that marks a word of site chrome.
const CHROME_BIT: u128 = 1 << 127;

/// The languages with a stopword list and, by their bytes, the words the detector looks up.
type WordIndex = (Vec<whatlang::Lang>, HashMap<&'static [u8], u128>);

/// The languages with a stopword list (at most 127), and the words the detector looks up: for
/// each, the languages whose stopword lists have it (bits, in that order) and [`CHROME_BIT`]
/// for a word of site chrome.
fn word_index() -> &'static WordIndex {
    static INDEX: OnceLock<WordIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let langs: Vec<whatlang::Lang> = (whatlang::Lang::all().iter().copied())
            .filter(|lang| stopword_list(*lang).is_some())
            .take(127)
            .collect();
        let mut by_word: HashMap<&'static [u8], u128> = HashMap::default();
        for (bit, lang) in langs.iter().enumerate() {
            for word in stopword_list(*lang).into_iter().flatten() {
                *by_word.entry(word.as_bytes()).or_default() |= 1u128 << bit;
            }
        }
        for word in phrases::all(|phrases| &phrases.chrome_words) {
            *by_word.entry(word.as_bytes()).or_default() |= CHROME_BIT;
        }
        (langs, by_word)
    })
}

/// The bit of `lang` in the word index, if it has a stopword list.
fn language_bit(lang: whatlang::Lang) -> Option<u128> {
    let position = word_index().0.iter().position(|known| *known == lang)?;
    Some(1u128 << position)
}

/// The language of a document across the detector's passes over it. Identification is the
/// costliest step, so it runs again only when a pass changed the sample it reads; running it
/// on exactly the lines a fresh run would see is what keeps cleaning idempotent.
#[derive(Debug, Default)]
pub struct LanguageMemo {
    sample: String,
    stopwords: Option<Stopwords>,
}

impl LanguageMemo {
    /// The stopwords for a document made of `lines`.
    pub fn stopwords_for(&mut self, lines: &[&str]) -> Stopwords {
        let sample = sample_of(lines);
        match self.stopwords {
            Some(stopwords) if sample == self.sample => stopwords,
            _ => {
                let stopwords = Stopwords::for_sample(&sample);
                self.sample = sample;
                self.stopwords = Some(stopwords);
                stopwords
            }
        }
    }
}

/// The code under which the stopword lists file `lang`: its ISO 639-1 code, or that of the
/// macrolanguage it belongs to, where the lists know only that one.
fn list_code(lang: whatlang::Lang) -> Option<&'static str> {
    match lang {
        whatlang::Lang::Cmn => Some("zh"),
        whatlang::Lang::Pes => Some("fa"),
        whatlang::Lang::Nob => Some("no"),
        _ => isolang::Language::from_639_3(lang.code())?.to_639_1(),
    }
}

/// The stopword list of one language, if the lists have it.
fn stopword_list(lang: whatlang::Lang) -> Option<&'static [&'static str]> {
    stop_words::lookup(list_code(lang)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_english_and_knows_its_stopwords() {
        let stopwords = Stopwords::for_lines(&["The council said that it would meet on Tuesday to discuss the plans for the new bridge over the river."]);
        assert!(stopwords.is_known());
        assert!(stopwords.contains("the"));
        assert!(!stopwords.contains("bridge"));
    }

    #[test]
    fn chinese_counts_stopwords_per_character() {
        let stopwords = Stopwords::for_lines(&[
            "县图书馆负责人表示，学生在网上提交借阅申请后，工作人员当天即可完成配送。",
        ]);
        assert!(stopwords.per_char);
        assert!(stopwords.is_known(), "Mandarin's list is filed under Chinese");
        assert!(stopwords.contains("的"));
    }

    #[test]
    fn korean_is_read_word_by_word_and_khmer_and_myanmar_character_by_character() {
        let korean = Stopwords::for_lines(&[
            "시립도서관은 다음 달부터 평일 개관 시간을 밤 열 시까지 연장한다고 밝혔다. 또한 어린이 자료실도 함께 운영한다.",
        ]);
        assert!(korean.is_known() && korean.contains("또한"), "Korean has a list");
        assert!(!korean.per_char, "Korean is written with spaces");
        let khmer = Stopwords::for_lines(&["ក្រសួងអប់រំបានប្រកាសថាសាលារៀនទាំងអស់នឹងបើកឡើងវិញនៅខែក្រោយ។"]);
        let myanmar = Stopwords::for_lines(&["ပညာရေးဝန်ကြီးဌာနကကျောင်းများကိုလာမည့်လတွင်ပြန်လည်ဖွင့်မည်ဟုကြေညာခဲ့သည်။"]);
        assert!(khmer.per_char && myanmar.per_char);
        // The characters counted per character are the ones the line measures count so.
        for c in ['ក', 'ပ', 'ก', 'ລ', '東', 'の'] {
            assert!(is_unspaced(c) && char_width(c) == 3, "{c}");
        }
        assert!(!is_unspaced('한') && char_width('한') == 2);
        assert!(!is_unspaced('д') && char_width('д') == 1);
    }

    #[test]
    fn the_sample_is_the_longest_lines_cut_at_the_sample_size() {
        let long = "Der Stadtrat hat am Dienstag den Plan für die neue Brücke über den Fluss beschlossen. "
            .repeat(20);
        let sample = sample_of(&["Menü", &long, "Über uns"]);
        assert_eq!(sample.len(), SAMPLE_CHARS + 1, "one line, cut, and its newline");
        assert!(long.starts_with(sample.trim_end()));
        // Cut at a character boundary: `ü` is two bytes.
        let umlauts = "ü".repeat(SAMPLE_CHARS);
        assert_eq!(
            sample_of(&[&umlauts]),
            format!("{}\n", "ü".repeat(SAMPLE_CHARS / 2))
        );
        let short = sample_of(&["Eins.", "Zwei drei."]);
        assert_eq!(short, "Zwei drei.\nEins.\n");
    }

    #[test]
    fn a_clear_stopword_vote_names_the_language_without_trigrams() {
        let german = "Der Stadtrat hat am Dienstag den Plan für die neue Brücke beschlossen, und die Bürger sind froh.";
        assert_eq!(by_stopword_vote(german), Some(whatlang::Lang::Deu));
        let english = "The council said that it would meet on Tuesday to discuss the plans for the bridge.";
        assert_eq!(by_stopword_vote(english), Some(whatlang::Lang::Eng));
        // Too few stopwords to tell, or a script without spaces: the trigram identifier decides.
        assert_eq!(by_stopword_vote("Menu Home Sport Weather"), None);
        assert_eq!(
            by_stopword_vote("县图书馆负责人表示，学生在网上提交借阅申请后。"),
            None
        );
    }

    #[test]
    fn chrome_words_are_known_in_several_languages_and_article_words_are_not() {
        let is_chrome_word = |word: &str| Stopwords::for_lines(&[]).look_up(word.as_bytes()).1;
        for word in [
            "cookies",
            "newsletter",
            "datenschutz",
            "suscríbete",
            "commentaires",
            "udostępnij",
        ] {
            assert!(is_chrome_word(word), "{word}");
        }
        for word in ["harbour", "council", "stadtrat", "lentils", "data", "the"] {
            assert!(!is_chrome_word(word), "{word}");
        }
        assert!(phrases::all(|phrases| &phrases.chrome_words)
            .iter()
            .all(|word| is_chrome_word(word)));
    }

    #[test]
    fn persian_and_bokmal_find_their_lists() {
        assert!(stopword_list(whatlang::Lang::Pes).is_some_and(|words| words.contains(&"این")));
        assert!(stopword_list(whatlang::Lang::Nob).is_some_and(|words| words.contains(&"og")));
    }

    #[test]
    fn words_many_languages_list_weigh_less_in_the_vote() {
        // Plenty of "a", "in" and "on", which Portuguese, Spanish and others list too: the
        // plain count is unclear, the shared votes are not.
        let sample = "The council approved a scheme to plant ten thousand trees in a close vote. \
                      The harbour authority postponed a programme of free concerts in a statement on Friday";
        assert_eq!(by_stopword_vote(sample), Some(whatlang::Lang::Eng));
        // A sample with no clear winner either way still goes to the trigram identifier.
        assert_eq!(by_stopword_vote("a a a"), None);
    }
}
