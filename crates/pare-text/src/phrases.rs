//! The phrases of site chrome, one data file per language (`phrases/<language>.toml`): the
//! words chrome is written in, and the headings and notes that open the sections closing an
//! article. Adding a language is adding its file: the build lists every file here, and each is
//! read once, when first needed. The detector's word look-up (`detect::language`) and headings
//! (`detect::closing`) are built from them.

use std::sync::LazyLock;

use serde::Deserialize;

/// Every phrase file, by language: `(language, contents)`, sorted by language.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/phrase_files.rs"));

/// One language's phrases. Patterns are regular expressions matched against a whole line, in
/// any case unless said.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    /// Words that mean chrome on their own, in lower case.
    #[serde(default)]
    pub chrome_words: Vec<String>,
    /// Headings that open reader comments ("Leave a reply").
    #[serde(default)]
    pub comment_headings: Vec<String>,
    /// Headings of a box about the author ("About the author").
    #[serde(default)]
    pub author_box_headings: Vec<String>,
    /// What stands before a person's name as the heading of a box about them ("About"), in
    /// the case it is written in.
    #[serde(default)]
    pub about_name_headings: Vec<String>,
    /// Headings of other stories' teasers ("Related articles").
    #[serde(default)]
    pub related_headings: Vec<String>,
    /// Headings of a box of other stories above an article ("Breaking news").
    #[serde(default)]
    pub teasers_above_headings: Vec<String>,
}

/// Every language's phrases, read once.
static LANGUAGES: LazyLock<Vec<(&'static str, Phrases)>> = LazyLock::new(|| {
    (FILES.iter())
        .map(|(language, text)| {
            let phrases = toml::from_str(text)
                .unwrap_or_else(|err| panic!("the built-in phrase file {language}.toml is invalid: {err}"));
            (*language, phrases)
        })
        .collect()
});

/// The phrases of one concern in every language, in the order of the languages.
pub fn all(concern: impl Fn(&Phrases) -> &Vec<String>) -> Vec<&'static str> {
    (LANGUAGES.iter())
        .flat_map(|(_, phrases)| concern(phrases).iter().map(String::as_str))
        .collect()
}

/// The patterns of one concern in every language as one alternation: `(a|b|c)`.
pub fn alternation(concern: impl Fn(&Phrases) -> &Vec<String>) -> String {
    format!("({})", all(concern).join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_parses_and_gives_words_and_headings() {
        let languages: Vec<&str> = LANGUAGES.iter().map(|(language, _)| *language).collect();
        assert_eq!(languages, ["de", "en", "es", "fr", "it", "nl", "pl", "pt"]);
        for (language, phrases) in LANGUAGES.iter() {
            assert!(!phrases.chrome_words.is_empty(), "{language}: no chrome words");
            let headings = [
                &phrases.comment_headings,
                &phrases.author_box_headings,
                &phrases.related_headings,
                &phrases.teasers_above_headings,
            ];
            assert!(
                headings.iter().any(|list| !list.is_empty()),
                "{language}: no headings"
            );
            for pattern in headings.iter().copied().flatten() {
                regex::Regex::new(pattern).unwrap_or_else(|err| panic!("{language}: {pattern}: {err}"));
            }
        }
    }

    #[test]
    fn no_list_holds_a_phrase_twice() {
        for (language, phrases) in LANGUAGES.iter() {
            let lists = [
                ("chrome_words", &phrases.chrome_words),
                ("comment_headings", &phrases.comment_headings),
                ("author_box_headings", &phrases.author_box_headings),
                ("related_headings", &phrases.related_headings),
                ("teasers_above_headings", &phrases.teasers_above_headings),
            ];
            for (name, list) in lists {
                let mut seen = std::collections::HashSet::new();
                for phrase in list.iter() {
                    assert!(
                        seen.insert(phrase.to_lowercase()),
                        "{language}: {name} holds {phrase:?} twice"
                    );
                }
            }
        }
    }

    #[test]
    fn a_misspelt_key_is_an_error_not_a_silent_gap() {
        let err = toml::from_str::<Phrases>("related_heading = ['lies auch']").unwrap_err();
        assert!(
            err.to_string().contains("unknown field `related_heading`"),
            "{err}"
        );
    }
}
