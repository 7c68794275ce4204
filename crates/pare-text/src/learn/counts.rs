//! Counting repeated lines per group of documents (a site): [`Counts`] gathers in how many
//! documents each normalised line appears and where, merges by addition, and is what
//! [`Counts::profile`] turns into rules.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::document::{Position, PreparedDocument};

/// How many sample document ids each learned rule cites.
const SAMPLES: usize = 3;

/// What is known about one line within one group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LineCount {
    /// The line; left out of compact counts while the line has been seen in one document only
    /// (any later sighting brings it back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Box<str>>,
    /// Documents it appears in.
    pub docs: u32,
    /// ... in their first third.
    pub head: u32,
    /// ... in their last third.
    pub tail: u32,
    /// ... with no running text anywhere after it.
    pub nothing_after: u32,
    /// ... with no running text anywhere before it.
    pub nothing_before: u32,
    /// ... after the article: not itself running text, with the article above it and only
    /// shorter runs of text (comments, a bio, excerpts) below it.
    #[serde(default)]
    pub after_article: u32,
    /// ... in documents where an article was found at all.
    #[serde(default)]
    pub with_article: u32,
    /// ... before all running text of a document that has some (counts written before this
    /// was kept have none, and so learn no cut).
    #[serde(default)]
    pub before_body: u32,
    /// ... after all running text of a document that has some, or after its article.
    #[serde(default)]
    pub after_body: u32,
    /// Words from the line to the end of its documents, summed: what cutting there removes.
    #[serde(default)]
    pub words_below: u64,
    /// A few documents it appears in (the smallest ids, sorted, so merging is deterministic).
    pub samples: Vec<Box<str>>,
}

impl LineCount {
    /// Counts one more document that has the line at `position`.
    fn add(&mut self, position: Position) {
        self.docs += 1;
        self.head += u32::from(position.has(Position::HEAD));
        self.tail += u32::from(position.has(Position::TAIL));
        self.nothing_after += u32::from(position.has(Position::NOTHING_AFTER));
        self.nothing_before += u32::from(position.has(Position::NOTHING_BEFORE));
        self.after_article += u32::from(position.has(Position::AFTER_ARTICLE));
        self.with_article += u32::from(position.has(Position::WITH_ARTICLE));
        self.before_body += u32::from(position.has(Position::BEFORE_BODY));
        self.after_body += u32::from(position.has(Position::AFTER_BODY));
        self.words_below += u64::from(position.words_below);
    }

    /// Takes back one document that had the line at `position`.
    fn take_back(&mut self, position: Position) {
        self.docs -= 1;
        self.head -= u32::from(position.has(Position::HEAD));
        self.tail -= u32::from(position.has(Position::TAIL));
        self.nothing_after -= u32::from(position.has(Position::NOTHING_AFTER));
        self.nothing_before -= u32::from(position.has(Position::NOTHING_BEFORE));
        self.after_article -= u32::from(position.has(Position::AFTER_ARTICLE));
        self.with_article -= u32::from(position.has(Position::WITH_ARTICLE));
        self.before_body -= u32::from(position.has(Position::BEFORE_BODY));
        self.after_body -= u32::from(position.has(Position::AFTER_BODY));
        self.words_below -= u64::from(position.words_below);
    }

    /// Adds the counts of the same line made elsewhere.
    fn absorb(&mut self, other: LineCount) {
        if self.text.is_none() {
            self.text = other.text;
        }
        self.docs += other.docs;
        self.head += other.head;
        self.tail += other.tail;
        self.nothing_after += other.nothing_after;
        self.nothing_before += other.nothing_before;
        self.after_article += other.after_article;
        self.with_article += other.with_article;
        self.before_body += other.before_body;
        self.after_body += other.after_body;
        self.words_below += other.words_below;
        self.add_samples(other.samples);
    }

    fn add_samples(&mut self, ids: impl IntoIterator<Item = Box<str>>) {
        self.samples.extend(ids);
        self.samples.sort_unstable();
        self.samples.dedup();
        self.samples.truncate(SAMPLES);
        // Most lines are seen once: keep their entry small.
        self.samples.shrink_to_fit();
    }
}

/// Counts for one group of documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct GroupCounts {
    /// Distinct documents counted (duplicates are counted once).
    pub docs: u64,
    /// Words in those documents.
    pub words: u64,
    /// Content hashes of the documents counted, so a duplicate is never counted twice, even
    /// when it is met on another machine.
    pub seen: BTreeSet<u64>,
    /// Lines keyed by a 64-bit hash of their text (in compact counts, those seen in two
    /// documents or more).
    pub lines: BTreeMap<u64, LineCount>,
    /// Mergeable counts: what each document added, by its content hash, so that a document
    /// counted in two parts is counted once when they are merged.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents: BTreeMap<u64, DocumentLines>,
    /// Compact counts: lines seen in one document so far, without their text.
    #[serde(skip)]
    singles: rustc_hash::FxHashMap<u64, Single>,
    /// Compact counts: the id of every document counted, which `singles` point into.
    #[serde(skip)]
    ids: Vec<Box<str>>,
}

impl GroupCounts {
    /// A line compact counts have seen in one document, seen again: from now on it is counted
    /// in full (it may be chrome), starting with that first document. Says whether there was
    /// such a line.
    fn promote_single(&mut self, key: u64) -> bool {
        let Some(first) = self.singles.remove(&key) else {
            return false;
        };
        let mut entry = LineCount::default();
        entry.add(first.position);
        entry.add_samples([self.ids[first.document as usize].clone()]);
        self.lines.insert(key, entry);
        true
    }
}

/// What one document added to its group's counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentLines {
    /// Its id (a line's samples may name it).
    pub id: Box<str>,
    /// Its words.
    pub words: u64,
    /// Its distinct lines: key and where the line stood (bits: head, tail, nothing after,
    /// nothing before, after the article).
    pub lines: Vec<(u64, u8)>,
    /// For each of `lines`, the words from it to the end of the document (absent from counts
    /// written before it was kept: taken as 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words_below: Vec<u32>,
}

impl DocumentLines {
    /// Each line's key and position.
    fn positions(&self) -> impl Iterator<Item = (u64, Position)> + '_ {
        (self.lines.iter().enumerate()).map(|(index, &(key, bits))| {
            let words_below = self.words_below.get(index).copied().unwrap_or(0);
            (key, Position { bits, words_below })
        })
    }
}

impl GroupCounts {
    /// Takes back what one document added (it was counted elsewhere too).
    fn remove_document(&mut self, document: &DocumentLines) {
        self.docs -= 1;
        self.words -= document.words;
        for (key, position) in document.positions() {
            let Some(line) = self.lines.get_mut(&key) else {
                continue;
            };
            line.take_back(position);
            line.samples.retain(|id| *id != document.id);
            if line.docs == 0 {
                self.lines.remove(&key);
            }
        }
    }
}

/// A line seen in one document so far: a few bytes instead of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Single {
    document: u32,
    position: Position,
}

/// Counts for a whole corpus, by group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    /// Groups by name.
    pub groups: BTreeMap<String, GroupCounts>,
    /// Compact counts keep lines seen in one document only as a 64-bit key and a few flags,
    /// without their text: most lines of a corpus are body lines seen once, so this is most of
    /// the memory. Compact counts are for learning on one machine; counts meant for `merge`
    /// are made without it.
    #[serde(skip)]
    pub compact: bool,
}

impl Counts {
    /// Counts one document of `group`.
    pub fn add_document(&mut self, group: &str, id: &str, text: &str) {
        self.add_prepared(PreparedDocument::new(group, id, text));
    }

    /// Counts a document prepared (normalised, split, hashed) elsewhere, maybe on another
    /// thread. In compact counts, a line's text is kept from its second document on.
    pub fn add_prepared(&mut self, document: PreparedDocument) {
        let counts = self.groups.entry(document.group).or_default();
        if !counts.seen.insert(document.hash) {
            return; // A duplicate document teaches nothing new.
        }
        counts.docs += 1;
        counts.words += document.words;
        let id: Box<str> = Box::from(document.id.as_str());
        if self.compact {
            counts.ids.push(id.clone());
        } else {
            let lines = (document.lines.iter())
                .map(|line| (line.key, line.position.bits))
                .collect();
            let words_below = (document.lines.iter())
                .map(|line| line.position.words_below)
                .collect();
            counts.documents.insert(
                document.hash,
                DocumentLines {
                    id: id.clone(),
                    words: document.words,
                    lines,
                    words_below,
                },
            );
        }
        for line in document.lines {
            if self.compact && !counts.lines.contains_key(&line.key) && !counts.promote_single(line.key) {
                let single = Single {
                    document: (counts.ids.len() - 1) as u32,
                    position: line.position,
                };
                counts.singles.insert(line.key, single);
                continue;
            }
            let entry = counts.lines.entry(line.key).or_default();
            if entry.text.is_none() {
                entry.text = Some(line.text.into_boxed_str());
            }
            entry.add(line.position);
            entry.add_samples([id.clone()]);
        }
    }

    /// Adds counts made elsewhere (another machine, another part of the corpus). A document
    /// counted on both sides is counted once, when the other side says what it added (counts
    /// written by `--counts-out` do).
    pub fn merge(&mut self, other: Counts) {
        for (name, mut theirs) in other.groups {
            let ours = self.groups.entry(name).or_default();
            for (hash, document) in std::mem::take(&mut theirs.documents) {
                if ours.seen.contains(&hash) {
                    theirs.remove_document(&document);
                    theirs.seen.remove(&hash);
                } else if !self.compact {
                    ours.documents.insert(hash, document);
                }
            }
            ours.docs += theirs.docs;
            ours.words += theirs.words;
            ours.seen.extend(theirs.seen);
            for (key, line) in theirs.lines {
                // A line compact counts saw once here, without its text, is now seen again.
                ours.promote_single(key);
                ours.lines.entry(key).or_default().absorb(line);
            }
        }
    }

    /// Drops lines seen in a single document: they can never become rules, and they are most
    /// of the memory.
    pub fn prune(&mut self) {
        for group in self.groups.values_mut() {
            group.lines.retain(|_, line| line.docs > 1 && line.text.is_some());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::Thresholds;

    fn page(menu: &str, body: &str, teaser: &str) -> String {
        format!(
            "Site Name\n{menu}\n\nHeadline: {teaser}\n\n{body}\n\n{body} Again.\n\n{body} More.\n\n\
             Read next\n{teaser}\n\nContact us\n"
        )
    }

    const BODY: &str = "This is a long sentence of body text that goes on for a good many words indeed.";

    #[test]
    fn frequent_lines_become_rules_with_evidence() {
        let mut counts = Counts::default();
        for i in 0..10 {
            let body = format!("{BODY} Number {i}.");
            counts.add_document(
                "site",
                &format!("{i:02}"),
                &page("News", &body, &format!("Teaser {i}")),
            );
        }
        let profile = counts.profile(Thresholds::default(), None, None);
        assert!(profile.contains("line = \"Read next\""), "{profile}");
        assert!(
            profile.contains("action = \"cut_after\"\nline = \"Read next\""),
            "{profile}"
        );
        assert!(
            profile.contains("action = \"cut_before\"\nline = \"News\""),
            "{profile}"
        );
        assert!(
            profile.contains("evidence = \"in 10 of 10 documents (100%), mostly tail; e.g. 00, 01, 02\""),
            "{profile}"
        );
        assert!(!profile.contains("Teaser"), "{profile}");
        assert!(!profile.contains("Number"), "{profile}");
    }

    #[test]
    fn a_cut_needs_its_line_on_one_side_of_a_body_found_in_nearly_every_document() {
        let mut counts = Counts::default();
        for i in 0..10 {
            // Half the pages are galleries with no running text: a line above nothing is no
            // evidence of where a body starts.
            let middle = if i % 2 == 0 {
                format!("{BODY} Number {i}.\n\n{BODY} Again {i}.")
            } else {
                format!("Photo {i}\nPhoto {i} b")
            };
            let text = format!("Site Name\nMenu\nSponsored\n{middle}\nContact us\n");
            counts.add_document("site", &format!("{i:02}"), &text);
        }
        let profile = counts.profile(Thresholds::default(), None, None);
        let sponsored = (profile.split("[[group.rule]]"))
            .find(|rule| rule.contains("line = \"Sponsored\""))
            .expect("a rule for the line");
        assert!(!sponsored.contains("action"), "only dropped: {sponsored}");
    }

    #[test]
    fn a_group_whose_documents_are_mostly_shared_lines_is_flagged() {
        let mut counts = Counts::default();
        for i in 0..10 {
            let text = format!("Menu\nHome\nNews\nSport\nWeather\nContact\nAbout\nItem {i}\n");
            counts.add_document("site", &i.to_string(), &text);
        }
        let profile = counts.profile(Thresholds::default(), None, None);
        assert!(
            profile.contains("# WARNING: that is suspiciously high"),
            "{profile}"
        );
    }

    #[test]
    fn a_heading_after_the_article_cuts_and_the_text_it_cuts_counts_as_removed() {
        let mut counts = Counts::default();
        for i in 0..10 {
            let comments: String = (0..6)
                .map(|c| format!("Reader {c}\n{i} May\nComment {c} on post {i}: I read this one twice and then again today.\nReply\n"))
                .collect();
            let text = format!(
                "Site\n\nPost {i}, where the first paragraph of the article says what it is about.\n\
                 Post {i}, and the second paragraph of the article says a little more about it.\n\
                 Comments\n{comments}"
            );
            counts.add_document("site", &i.to_string(), &text);
        }
        let profile = counts.profile(Thresholds::default(), None, None);
        assert!(
            profile.contains(
                "action = \"cut_after\"\nline = \"Comments\"\nevidence = \"in 10 of 10 documents (100%), \
                 mostly head, after the article in 10 of the 10 with one;"
            ),
            "{profile}"
        );
        // The comments below the heading are most of the site's words.
        assert!(
            profile.contains("# WARNING: that is suspiciously high"),
            "{profile}"
        );
    }

    #[test]
    fn compact_counts_learn_the_same_profile() {
        let mut full = Counts::default();
        let mut compact = Counts {
            compact: true,
            ..Counts::default()
        };
        for i in 0..12 {
            let text = page(
                if i % 2 == 0 { "News" } else { "Sport" },
                &format!("{BODY} {i}."),
                &format!("T {i}"),
            );
            full.add_document("site", &format!("{i:02}"), &text);
            compact.add_document("site", &format!("{i:02}"), &text);
        }
        assert_eq!(
            compact.profile(Thresholds::default(), None, None),
            full.profile(Thresholds::default(), None, None)
        );
        assert!(compact.groups["site"].lines.len() < full.groups["site"].lines.len());
    }

    #[test]
    fn duplicate_documents_teach_nothing() {
        let mut counts = Counts::default();
        for i in 0..10 {
            counts.add_document("site", &i.to_string(), &page("News", BODY, "Same teaser"));
        }
        assert_eq!(counts.groups["site"].docs, 1);
        assert!(counts
            .profile(Thresholds::default(), None, None)
            .contains("too few to learn from"));
    }

    #[test]
    fn merged_counts_equal_counts_made_in_one_go() {
        let docs: Vec<String> = (0..20)
            .map(|i| page("News", &format!("{BODY} {i}."), &format!("T {i}")))
            .collect();
        let mut whole = Counts::default();
        let (mut left, mut right) = (Counts::default(), Counts::default());
        for (i, doc) in docs.iter().enumerate() {
            whole.add_document("site", &format!("{i:02}"), doc);
            let part = if i % 3 == 0 { &mut left } else { &mut right };
            part.add_document("site", &format!("{i:02}"), doc);
        }
        left.merge(right);
        assert_eq!(left, whole);
        assert_eq!(
            left.profile(Thresholds::default(), None, None),
            whole.profile(Thresholds::default(), None, None)
        );
    }

    #[test]
    fn a_line_compact_counts_saw_once_is_kept_when_merged_with_another_sighting() {
        let mut here = Counts {
            compact: true,
            ..Counts::default()
        };
        let mut there = Counts::default();
        for i in 0..6 {
            let body = format!("{BODY} {i}.");
            let (counts, rare) = if i < 3 {
                (&mut here, "Rare line here")
            } else {
                (&mut there, "Rare line here")
            };
            let text = if i == 0 || i == 3 {
                format!("{rare}\n{body}\n")
            } else {
                format!("{body}\n")
            };
            counts.add_document("site", &format!("{i}"), &text);
        }
        here.merge(there);
        here.prune();
        let rare = here.groups["site"]
            .lines
            .values()
            .find(|line| line.text.as_deref() == Some("Rare line here"));
        assert_eq!(rare.map(|line| line.docs), Some(2), "seen once on each side");
    }
}
