//! The article readability finds on a page, as evidence about the page's lines. Readability is
//! the algorithm of Firefox's reader view (here the `dom_smoothie` crate): it scores the page's
//! blocks by their text, commas and links, and their class and id names, and keeps the best
//! block with its like neighbours. A line of the page's text that does not occur in that
//! article stands outside it; a line that does is in the article whatever its tags said. Lines are compared without their white space, which the two
//! readings of a page lay out differently.
//!
//! On the six training sources' pages this raised the mean strict F1 from HTML from 0.898 to
//! 0.914, lowering none (BENCHMARKS.md); readability alone scores higher still, but its output
//! is not the page's lines, and pare's are what the ledger explains.

use aho_corasick::AhoCorasick;
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

/// The shortest article taken as evidence, in bytes of text other than white space: a shorter
/// one is readability finding no article.
const MIN_ARTICLE_BYTES: usize = 300;

/// The shortest line taken for the headline when the title holds it, in bytes other than white
/// space.
const MIN_HEADLINE_BYTES: usize = 10;

/// Pages with more elements than this are not given to readability, whose work grows faster
/// than the page (20,000 elements took half a second, 360,000 minutes). The largest of the 2,425 pages pare
/// is measured on has about 10,000.
const MAX_ARTICLE_ELEMENTS: usize = 12_000;

/// Pages nested deeper than this are not given to readability, whose walks recurse.
pub(super) const MAX_ARTICLE_DEPTH: usize = 1_000;

/// Per line of `text` (the page's text read from `page`, parsed): whether it stands outside the article
/// readability finds in `page`. `None` when readability finds no article, or one that leaves out
/// the page's longest line. The first `kept` lines (the page's title) and blank lines are never
/// outside, nor is a line the title holds (readability leaves the headline out of its article
/// when the title repeats it).
pub(super) fn lines_outside(page: Document, text: &str, kept: usize) -> Option<Vec<bool>> {
    let article = article_text(page)?;
    let lines: Vec<String> = text.lines().map(squeeze).collect();
    // The finder's patterns are the non-empty lines, by their line numbers here.
    let numbers: Vec<usize> = (0..lines.len())
        .filter(|&index| !lines[index].is_empty())
        .collect();
    let finder = AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(numbers.iter().map(|&index| &lines[index]))
        .ok()?;
    let mut inside = vec![false; lines.len()];
    for hit in finder.find_overlapping_iter(&article) {
        inside[numbers[hit.pattern().as_usize()]] = true;
    }
    // The page's longest line is taken for a line of its article: when readability's article
    // leaves it out, readability has found some other block, and says nothing.
    let longest = (numbers.iter().copied().filter(|&index| index >= kept))
        .max_by_key(|&index| (lines[index].len(), std::cmp::Reverse(index)));
    if longest.is_some_and(|index| !inside[index]) {
        return None;
    }
    // The title holds the headline, and often the site's name too: the headline is the longest
    // line it holds.
    let title: &str = if kept > 0 { &lines[0] } else { "" };
    let held = |line: &&String| line.len() >= MIN_HEADLINE_BYTES && title.contains(line.as_str());
    let longest_held = lines.iter().skip(kept).filter(held).max_by_key(|line| line.len());
    let headline = |line: &String| Some(line) == longest_held;
    let outside = (lines.iter().enumerate())
        .map(|(index, line)| index >= kept && !line.is_empty() && !inside[index] && !headline(line));
    Some(outside.collect())
}

/// The text of the article readability finds in `page`, without white space, or `None` when it
/// finds none (or fails).
fn article_text(page: Document) -> Option<String> {
    let config = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: MAX_ARTICLE_ELEMENTS,
        ..Config::default()
    };
    let parse = || {
        let mut readability = Readability::with_document(page, None, Some(config)).ok()?;
        readability
            .parse()
            .ok()
            .map(|article| squeeze(&article.text_content))
    };
    // A fault in readability costs the page its evidence, never the page.
    let article = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).ok()??;
    (article.len() >= MIN_ARTICLE_BYTES).then_some(article)
}

/// `text` without its white space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}
