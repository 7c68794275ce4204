//! Language identification and stopword lists for the body detector, from maintained crates
//! (`whatlang` to identify, `stop-words` for the lists).

use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// How much text is given to language identification: enough to be sure, little enough to be
/// cheap on huge documents.
const SAMPLE_CHARS: usize = 160;

/// The stopwords of a document's language, if it has a list.
#[derive(Debug, Clone, Copy)]
pub struct Stopwords {
    words: Option<&'static HashSet<&'static str>>,
    /// True for scripts written without spaces (Chinese, Japanese, Thai...): stopwords are then
    /// counted per character.
    pub per_char: bool,
}

impl Stopwords {
    /// Identifies the language of `lines` (a sample of the longest) and returns its list.
    pub fn for_lines(lines: &[&str]) -> Stopwords {
        Stopwords::for_sample(&sample_of(lines))
    }

    fn for_sample(sample: &str) -> Stopwords {
        let Some(info) = whatlang::detect(sample) else {
            return Stopwords {
                words: None,
                per_char: false,
            };
        };
        let code = info.lang().code();
        Stopwords {
            words: stopword_set(info.lang()),
            per_char: matches!(code, "cmn" | "jpn" | "tha" | "khm" | "mya"),
        }
    }

    /// True when a list is known for the language.
    pub fn is_known(&self) -> bool {
        self.words.is_some()
    }

    /// Whether `word` (already lower-cased) is a stopword.
    pub fn contains(&self, word: &str) -> bool {
        self.words.is_some_and(|words| words.contains(word))
    }
}

/// The text language identification reads: the longest lines, up to [`SAMPLE_CHARS`].
fn sample_of(lines: &[&str]) -> String {
    let mut by_length: Vec<&&str> = lines.iter().collect();
    by_length.sort_by_key(|line| std::cmp::Reverse(line.len()));
    let mut sample = String::new();
    for line in by_length {
        if sample.len() >= SAMPLE_CHARS {
            break;
        }
        sample.push_str(line);
        sample.push('\n');
    }
    sample
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

/// The stopword set of one language, built on first use (most runs meet only a few
/// languages, and building every list would cost more than cleaning a small file).
fn stopword_set(lang: whatlang::Lang) -> Option<&'static HashSet<&'static str>> {
    static SETS: OnceLock<Vec<OnceLock<Option<HashSet<&'static str>>>>> = OnceLock::new();
    let all = whatlang::Lang::all();
    let sets = SETS.get_or_init(|| all.iter().map(|_| OnceLock::new()).collect());
    let index = all.iter().position(|known| *known == lang)?;
    sets[index]
        .get_or_init(|| {
            let two_letter = list_code(lang)?;
            Some(
                stop_words::lookup(two_letter)?
                    .iter()
                    .copied()
                    .collect::<HashSet<&'static str>>(),
            )
        })
        .as_ref()
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
    fn persian_and_bokmal_find_their_lists() {
        assert!(stopword_set(whatlang::Lang::Pes).is_some_and(|words| words.contains("این")));
        assert!(stopword_set(whatlang::Lang::Nob).is_some_and(|words| words.contains("og")));
    }
}
