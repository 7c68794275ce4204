//! The sections that close an article: reader comments, a box about the author, other stories'
//! teasers. Each opens with a heading alone on its line; below the article it ends the body,
//! however much the section reads like the article. Also a box of other stories' teasers above
//! the article, under a heading of its own; and `Sections`, which cuts all of these and says why
//! each of their lines went.

use std::sync::LazyLock;

use regex::RegexSet;

use super::features::{self, is_sentence, Features};
use crate::per_thread::PerThread;
use crate::phrases::alternation;
use crate::strip::Document;

/// The heading patterns, each of every language's phrases (`text::phrases`), in one set: a line
/// is searched once for all of them. In this order:
/// - headings that open a reader-comment section, alone on their line: "34 responses to “…”",
///   "6 thoughts on “…”", "Leave a Reply". Bare counts ("12 comments") and buttons ("View
///   comments") are not among them: they also stand under bylines and teasers;
/// - "About" and a person's name ("Sobre Carlos Nadalim", "About Jane Doe"), which could also be
///   a subheading inside an article, so it closes the article only with little kept below it
///   (no German: every noun is capitalised there);
/// - headings of the box about the author ("About the author", "Über den Autor"; a bare
///   "Author" is not one: it also labels the byline);
/// - headings of other stories' teasers ("Related articles", "Lesen Sie auch");
/// - headings of a box of other stories above an article, besides the previous ones ("Breaking
///   News", "Eilmeldung").
static HEADINGS: LazyLock<PerThread<RegexSet>> = LazyLock::new(|| {
    let name = r"\p{Lu}\p{Ll}+( \p{Lu}\p{Ll}+){1,2}";
    PerThread::new(
        RegexSet::new([
            format!("(?i)^{}$", alternation(|p| &p.comment_headings)),
            format!(r"^{} {name}\s*:?$", alternation(|p| &p.about_name_headings)),
            format!(r"(?i)^{}\s*:?$", alternation(|p| &p.author_box_headings)),
            format!(r"(?i)^{}\s*:?$", alternation(|p| &p.related_headings)),
            format!(r"(?i)^{}\s*:?$", alternation(|p| &p.teasers_above_headings)),
        ])
        .expect("the heading patterns compile"),
    )
});

/// The longest line taken for a heading ("34 responses to “…”" quotes a whole title); longer
/// lines are paragraphs, and are not matched against every heading pattern.
const HEADING_MAX_BYTES: usize = 300;

/// Which heading patterns `line` matches, in the order of [`HEADINGS`]. None for a line too
/// long to be a heading.
fn headings(line: &str) -> [bool; 5] {
    let mut matched = [false; 5];
    // Most lines are no heading: finding that out allocates nothing, listing matches does.
    let set = HEADINGS.get();
    if line.len() <= HEADING_MAX_BYTES && set.is_match(line) {
        set.matches_read_at(&mut matched, line, 0);
    }
    matched
}

/// How many lines the block under a heading of other stories must hold to be taken for their
/// teasers when it stands above the article.
const TEASERS_MIN_LINES: usize = 3;

/// What closes an article: a section below it that reads like the article but is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClosingSection {
    /// Reader comments: sentences about the article.
    Comments,
    /// A box about the author: sentences about a person.
    AuthorBox,
    /// Teasers of other stories: headlines and their first sentences.
    Related,
}

impl ClosingSection {
    /// The section whose heading `line` is, if it is one, and whether the heading could as
    /// well stand inside the article (other stories, "About" and a name), so that it closes the
    /// article only when little is kept below.
    fn of_heading(line: &str) -> Option<(ClosingSection, bool)> {
        let [comments, about_name, author_box, related, _] = headings(line);
        if comments {
            Some((ClosingSection::Comments, false))
        } else if about_name {
            Some((ClosingSection::AuthorBox, true))
        } else if author_box {
            Some((ClosingSection::AuthorBox, false))
        } else if related {
            Some((ClosingSection::Related, true))
        } else {
            None
        }
    }

    /// The section in the words of a removal's reason.
    pub(super) fn what(self) -> &'static str {
        match self {
            ClosingSection::Comments => "reader comments",
            ClosingSection::AuthorBox => "the box about the author",
            ClosingSection::Related => "other stories",
        }
    }
}

/// The text the detector cuts as whole sections rather than line by line: a box of other
/// stories' teasers above the article, and the sections that close it.
pub(super) struct Sections<'a> {
    /// The teasers' lines and their heading.
    teasers: Option<(std::ops::Range<usize>, &'a str)>,
    /// Where the closing section starts, what it is and its heading.
    closing: Option<(usize, ClosingSection, &'a str)>,
}

impl<'a> Sections<'a> {
    /// Finds the sections (see [`teasers_above`] and [`closing_section`]) and takes their lines
    /// out of `keep`; teasers above the article only with `doubtful_headings`.
    pub(super) fn cut(
        lines: &[&'a str],
        removed_headings: &[(usize, &'a str)],
        features: &[(usize, Features)],
        keep: &mut [bool],
        doubtful_headings: bool,
    ) -> Sections<'a> {
        // A heading of other stories might label the article itself: a conservative run keeps
        // what is under it.
        let teasers = teasers_above(lines, features, keep).filter(|_| doubtful_headings);
        if let Some((block, _)) = &teasers {
            keep[block.clone()].fill(false);
        }
        let closing = closing_section(lines, removed_headings, features, keep, doubtful_headings);
        if let Some((start, ..)) = closing {
            keep[start..].fill(false);
        }
        Sections { teasers, closing }
    }

    /// Why line `i` went, if a section took it.
    pub(super) fn reason(&self, i: usize) -> Option<String> {
        if let Some((block, heading)) = &self.teasers {
            if block.contains(&i) {
                return Some(format!("other stories, under “{heading}” above the article"));
            }
        }
        let (_, section, heading) = self.closing.filter(|(start, ..)| i >= *start)?;
        Some(format!("{}, from “{heading}”", section.what()))
    }
}

/// How many kept full sentences must stand above a closing section's heading: a comment count
/// beside the byline comes before the article, not after it.
const SENTENCES_BEFORE_CLOSING: usize = 3;

/// A heading that may stand inside an article ([`ClosingSection::of_heading`]) closes it only
/// when what is kept below it is less than this fraction (its inverse) of what is kept above.
const KEPT_SHARE_BELOW: usize = 2;

/// The closing-section headings among the lines of `document` the rules removed, each with the
/// line of `features` it stood above (`indices` are the kept lines' numbers in the document,
/// `members` the kept lines of each paragraph).
pub(super) fn removed_headings<'a>(
    document: &Document<'a>,
    indices: &[usize],
    members: &[std::ops::Range<usize>],
    features: &[(usize, Features)],
) -> Vec<(usize, &'a str)> {
    (0..document.line_count())
        .filter_map(|index| {
            let heading = document.removed_line(index)?;
            ClosingSection::of_heading(heading)?;
            let next_kept = indices.partition_point(|&kept| kept < index);
            let at = (features.iter()).position(|(paragraph, _)| members[*paragraph].start >= next_kept)?;
            Some((at, heading))
        })
        .collect()
}

/// Where the article's closing section starts: the first heading of reader comments, an author
/// box or other stories with some of the article's sentences kept above it (a heading that may
/// also stand inside an article only with `doubtful_headings`, and little kept below it). Kept
/// lines are headings where they stand; `removed_headings` are headings the rules removed, each
/// with the line it stood above. Returns where the section starts, what it is and its heading.
fn closing_section<'a>(
    lines: &[&'a str],
    removed_headings: &[(usize, &'a str)],
    features: &[(usize, Features)],
    keep: &[bool],
    doubtful_headings: bool,
) -> Option<(usize, ClosingSection, &'a str)> {
    let kept_words = |range: std::ops::Range<usize>| -> usize {
        (range.filter(|&i| keep[i]))
            .map(|i| features::words(&features[i].1))
            .sum()
    };
    // A heading whose section starts at line `start` and whose text below starts at `below`,
    // with `sentences_above` kept above it.
    let closes_at = |start: usize, below: usize, heading: &'a str, sentences_above: usize| {
        if sentences_above < SENTENCES_BEFORE_CLOSING {
            return None;
        }
        let (section, doubtful) = ClosingSection::of_heading(heading)?;
        // A box of links to other stories inside the article, with more of the article below
        // it, does not close it; nor does a subheading about a person.
        if doubtful
            && (!doubtful_headings
                || kept_words(below..features.len()) * KEPT_SHARE_BELOW > kept_words(0..start))
        {
            return None;
        }
        Some((start, section, heading))
    };
    let mut sentences_above = 0;
    (0..features.len()).find_map(|i| {
        let removed = (removed_headings.iter())
            .filter(|(at, _)| *at == i)
            .find_map(|(_, heading)| closes_at(i, i, heading, sentences_above));
        if removed.is_some() {
            return removed;
        }
        if keep[i] && is_sentence(&features[i].1) {
            sentences_above += 1;
        }
        closes_at(i, i + 1, lines[features[i].0], sentences_above)
    })
}

/// Whether `line` is a heading of other stories that may stand above an article.
fn heads_teasers_above(line: &str) -> bool {
    let [_, _, _, related, teasers_above] = headings(line);
    related || teasers_above
}

/// A box of other stories' teasers above the article: a heading of other stories, then a block
/// of at least [`TEASERS_MIN_LINES`] lines with no blank line between them, some of it kept,
/// with the article's sentences below it. Returns the heading's and the block's lines, and the
/// heading. (Headings the rules removed are not looked at here: counting them cost a snippet
/// page two of its three must-keep phrases and gained nothing.)
fn teasers_above<'a>(
    lines: &[&'a str],
    features: &[(usize, Features)],
    keep: &[bool],
) -> Option<(std::ops::Range<usize>, &'a str)> {
    (0..features.len()).find_map(|heading_at| {
        let heading = lines[features[heading_at].0];
        if !heads_teasers_above(heading) {
            return None;
        }
        let start = heading_at + 1;
        let end = (start + 1..features.len())
            .find(|&i| features[i].0 != features[i - 1].0 + 1)
            .unwrap_or(features.len());
        let sentences_below = (end..features.len())
            .filter(|&i| keep[i] && is_sentence(&features[i].1))
            .count();
        (end.saturating_sub(start) >= TEASERS_MIN_LINES
            && keep[start.min(end)..end].contains(&true)
            && sentences_below >= SENTENCES_BEFORE_CLOSING)
            .then_some((heading_at..end, heading))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrases::all;

    #[test]
    fn every_language_s_headings_are_matched_as_their_kind() {
        // Every phrase written out in full (no pattern syntax), in every language file.
        let literal = |phrase: &&&str| phrase.chars().all(|c| c.is_alphabetic() || " '".contains(c));
        let kinds: [(usize, Vec<&str>); 4] = [
            (0, all(|p| &p.comment_headings)),
            (2, all(|p| &p.author_box_headings)),
            (3, all(|p| &p.related_headings)),
            (4, all(|p| &p.teasers_above_headings)),
        ];
        let mut checked = 0;
        for (kind, phrases) in kinds {
            for phrase in phrases.iter().filter(literal) {
                assert!(headings(phrase)[kind], "{phrase}");
                assert!(
                    headings(&format!("{}:", phrase.to_uppercase()))[kind] || kind == 0,
                    "{phrase}"
                );
                checked += 1;
            }
        }
        assert!(checked > 30, "{checked} phrases");
        assert!(headings("Sobre Carlos Nadalim")[1] && !headings("Über Carlos Nadalim")[1]);
    }
}
