//! Learning a site's chrome from the corpus itself: lines that repeat across many documents of
//! one site are chrome, body text is not. [`Counts`] gathers, per group of documents (a site),
//! in how many documents each normalised line appears and where; counts from several machines
//! merge by addition; [`Counts::profile`] turns them into rules in the ordinary rule-file
//! format, each with its evidence, for a person to review and keep.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::input::decode::{too_large, Bounded};
use crate::input::discover::Input;
use crate::input::jsonl::Record;
use crate::input::lines::{record_content, Lines};
use crate::input::reading::{read_input, GroupBy, Reading, UNGROUPED};
use crate::run::batches::Batches;
use crate::text::detect::line::is_running_text;
use crate::text::normalize::normalize;
use crate::text::rules::{Action, GroupSpec, RuleFile, RuleSpec};

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
    /// A few documents it appears in (the smallest ids, sorted, so merging is deterministic).
    pub samples: Vec<Box<str>>,
}

impl LineCount {
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
        let mut entry = LineCount {
            docs: 1,
            head: u32::from(first.head),
            tail: u32::from(first.tail),
            nothing_after: u32::from(first.nothing_after),
            nothing_before: u32::from(first.nothing_before),
            ..LineCount::default()
        };
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
    /// nothing before).
    pub lines: Vec<(u64, u8)>,
}

impl GroupCounts {
    /// Takes back what one document added (it was counted elsewhere too).
    fn remove_document(&mut self, document: &DocumentLines) {
        self.docs -= 1;
        self.words -= document.words;
        for (key, flags) in &document.lines {
            let Some(line) = self.lines.get_mut(key) else {
                continue;
            };
            line.docs -= 1;
            line.head -= u32::from(flags & 1 != 0);
            line.tail -= u32::from(flags & 2 != 0);
            line.nothing_after -= u32::from(flags & 4 != 0);
            line.nothing_before -= u32::from(flags & 8 != 0);
            line.samples.retain(|id| *id != document.id);
            if line.docs == 0 {
                self.lines.remove(key);
            }
        }
    }
}

/// A line seen in one document so far: 16 bytes instead of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Single {
    document: u32,
    head: bool,
    tail: bool,
    nothing_after: bool,
    nothing_before: bool,
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

/// A 64-bit hash of a line or document, stable across machines and releases (blake3).
fn text_key(text: &str) -> u64 {
    let bytes = blake3::hash(text.as_bytes());
    u64::from_le_bytes(bytes.as_bytes()[..8].try_into().expect("a hash has 32 bytes"))
}

impl Counts {
    /// Counts one document of `group`.
    pub fn add_document(&mut self, group: &str, id: &str, text: &str) {
        self.add_prepared(PreparedDocument::new(group, id, text));
    }

    /// Counts a document prepared (normalised, split, hashed) elsewhere, maybe on another
    /// thread. In compact counts, a line's text is kept from its second document on.
    fn add_prepared(&mut self, document: PreparedDocument) {
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
                .map(|line| {
                    let flags = u8::from(line.head)
                        | u8::from(line.tail) << 1
                        | u8::from(line.nothing_after) << 2
                        | u8::from(line.nothing_before) << 3;
                    (line.key, flags)
                })
                .collect();
            let words = document.words;
            counts.documents.insert(
                document.hash,
                DocumentLines {
                    id: id.clone(),
                    words,
                    lines,
                },
            );
        }
        for line in document.lines {
            if self.compact && !counts.lines.contains_key(&line.key) && !counts.promote_single(line.key) {
                let single = Single {
                    document: (counts.ids.len() - 1) as u32,
                    head: line.head,
                    tail: line.tail,
                    nothing_after: line.nothing_after,
                    nothing_before: line.nothing_before,
                };
                counts.singles.insert(line.key, single);
                continue;
            }
            let entry = counts.lines.entry(line.key).or_default();
            if entry.text.is_none() {
                entry.text = Some(line.text.into_boxed_str());
            }
            entry.docs += 1;
            entry.head += u32::from(line.head);
            entry.tail += u32::from(line.tail);
            entry.nothing_after += u32::from(line.nothing_after);
            entry.nothing_before += u32::from(line.nothing_before);
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
                let entry = ours.lines.entry(key).or_default();
                if entry.text.is_none() {
                    entry.text = line.text;
                }
                entry.docs += line.docs;
                entry.head += line.head;
                entry.tail += line.tail;
                entry.nothing_after += line.nothing_after;
                entry.nothing_before += line.nothing_before;
                entry.add_samples(line.samples);
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

/// One line of a prepared document: what [`Counts`] records about it.
struct PreparedLine {
    key: u64,
    text: String,
    head: bool,
    tail: bool,
    nothing_after: bool,
    nothing_before: bool,
}

/// A document normalised, split into distinct lines and hashed: the costly part of counting,
/// done in parallel before the counts are updated in order.
struct PreparedDocument {
    group: String,
    id: String,
    hash: u64,
    words: u64,
    lines: Vec<PreparedLine>,
}

impl PreparedDocument {
    fn new(group: &str, id: &str, text: &str) -> PreparedDocument {
        let normalized = normalize(text);
        let lines: Vec<&str> = normalized.lines().filter(|line| !line.is_empty()).collect();
        let last_text = lines.iter().rposition(|line| is_running_text(line));
        let first_text = lines.iter().position(|line| is_running_text(line));
        let mut met = std::collections::HashSet::new();
        let prepared = (lines.iter().enumerate())
            .filter(|(_, line)| met.insert(**line))
            .map(|(index, line)| PreparedLine {
                key: text_key(line),
                text: line.to_string(),
                head: index * 3 < lines.len(),
                tail: index * 3 >= lines.len() * 2,
                nothing_after: last_text.is_none_or(|at| at < index),
                nothing_before: first_text.is_none_or(|at| at > index),
            })
            .collect();
        PreparedDocument {
            group: group.to_string(),
            id: id.to_string(),
            hash: text_key(&normalized),
            words: lines.iter().map(|line| line.split(' ').count() as u64).sum(),
            lines: prepared,
        }
    }
}

/// When a line becomes a rule.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Share of a group's documents a line must appear in.
    pub min_share: f64,
    /// Documents a group needs before anything is learned from it.
    pub min_docs: u64,
    /// Share of removed words above which a group is flagged as suspicious.
    pub flag_share: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            min_share: 0.3,
            min_docs: 5,
            flag_share: 0.5,
        }
    }
}

/// What a profile learned from its counts, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LearnedSummary {
    /// Documents counted.
    pub documents: u64,
    /// Groups (sites) counted.
    pub groups: usize,
    /// Groups with enough documents to learn from.
    pub groups_learned: usize,
    /// The most documents any group has.
    pub largest_group: u64,
    /// Rules learned, over all groups.
    pub rules: usize,
}

/// A line chosen as a rule, before it is written out.
struct Learned<'a> {
    line: &'a LineCount,
    text: &'a str,
    action: Action,
    share: f64,
}

impl Counts {
    /// How many documents, groups and rules the profile of these counts holds.
    pub fn summary(&self, thresholds: Thresholds) -> LearnedSummary {
        let mut summary = LearnedSummary {
            groups: self.groups.len(),
            ..LearnedSummary::default()
        };
        for group in self.groups.values() {
            summary.documents += group.docs;
            summary.largest_group = summary.largest_group.max(group.docs);
            if group.docs >= thresholds.min_docs {
                summary.groups_learned += 1;
                summary.rules += group.learned(thresholds.min_share).len();
            }
        }
        summary
    }

    /// The learned profile in the rule-file format: one `[[group]]` per group with enough
    /// documents, its rules in the order they apply, each with its evidence. Deterministic.
    pub fn profile(&self, thresholds: Thresholds) -> String {
        let mut out = String::from(
            "# Learned by `pare learn`: lines that repeat across a site's documents.\n\
             # Review before use; every rule says how often it was seen and where.\n\n",
        );
        for (name, group) in &self.groups {
            if group.docs < thresholds.min_docs {
                let _ = writeln!(out, "# {name}: {} documents, too few to learn from\n", group.docs);
                continue;
            }
            let learned = group.learned(thresholds.min_share);
            let removed_words: u64 = (learned.iter())
                .map(|rule| u64::from(rule.line.docs) * rule.text.split(' ').count() as u64)
                .sum();
            let removed_share = removed_words as f64 / group.words.max(1) as f64;
            let _ = writeln!(
                out,
                "# {name}: learned lines make up {:.0}% of this group's words.",
                removed_share * 100.0
            );
            if removed_share > thresholds.flag_share {
                let _ = writeln!(
                    out,
                    "# WARNING: that is suspiciously high; check that these rules do not remove body text."
                );
            }
            let rules = (learned.iter().enumerate())
                .map(|(index, rule)| rule.spec(&format!("{name}/{}", index + 1), group.docs))
                .collect();
            let file = RuleFile {
                groups: vec![GroupSpec {
                    name: name.clone(),
                    documents: Some(group.docs),
                    rules,
                }],
                ..RuleFile::default()
            };
            out.push_str(&toml::to_string(&file).expect("a rule file serialises"));
            out.push('\n');
        }
        out
    }
}

impl GroupCounts {
    /// The lines seen in at least `min_share` of the group's documents, as rules in the order
    /// they apply.
    fn learned(&self, min_share: f64) -> Vec<Learned<'_>> {
        let mut learned: Vec<Learned> = (self.lines.values())
            .filter_map(|line| {
                let share = f64::from(line.docs) / self.docs as f64;
                let text = line.text.as_deref()?;
                if share < min_share {
                    return None;
                }
                // A line after all the running text in most of its documents marks where the
                // chrome below the body starts; one before all of it, where the body starts. A
                // line with neither, or both (pages with no running text), is only dropped.
                let mostly = |count: u32| u64::from(count) * 10 >= u64::from(line.docs) * 9;
                let action = match (mostly(line.nothing_after), mostly(line.nothing_before)) {
                    (true, false) => Action::CutAfter,
                    (false, true) => Action::CutBefore,
                    _ => Action::Drop,
                };
                Some(Learned {
                    line,
                    text,
                    action,
                    share,
                })
            })
            .collect();
        learned.sort_by(|a, b| (action_order(a.action), a.text).cmp(&(action_order(b.action), b.text)));
        learned
    }
}

/// The order learned rules are written in: cuts after, cuts before, drops.
fn action_order(action: Action) -> u8 {
    match action {
        Action::CutAfter => 0,
        Action::CutBefore => 1,
        _ => 2,
    }
}

impl Learned<'_> {
    /// The rule, named `name`, with its evidence from a group of `docs` documents.
    fn spec(&self, name: &str, docs: u64) -> RuleSpec {
        let line = self.line;
        let position = if line.head * 2 > line.docs {
            "head"
        } else if line.tail * 2 > line.docs {
            "tail"
        } else {
            "body"
        };
        let samples: Vec<&str> = line.samples.iter().map(AsRef::as_ref).collect();
        let evidence = format!(
            "in {} of {docs} documents ({:.0}%), mostly {position}; e.g. {}",
            line.docs,
            self.share * 100.0,
            samples.join(", ")
        );
        RuleSpec {
            name: name.to_string(),
            action: self.action,
            line: Some(self.text.to_string()),
            evidence: Some(evidence),
            ..RuleSpec::default()
        }
    }
}

/// What counting says as it goes, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// This many more bytes of an input were read (decompressed, for a compressed input).
    Read(u64),
    /// An input was finished.
    InputDone,
}

/// Reads `inputs` and counts their documents by group (`reading.group_by`; by default text
/// files by the first folder under the directory they were found in, JSONL records by the host
/// of their `url`). Documents are prepared in parallel, in batches, and counted in input order,
/// so memory is bounded by the counts and one batch, and the counts do not depend on the thread
/// count. With `mergeable`, the counts keep every line's text so they can be merged with counts
/// made elsewhere; otherwise they are compact (see [`Counts::compact`]). Returns the counts and
/// the inputs (or records) that could not be read, with the reason. `watch` hears of each
/// document read and each input finished.
pub fn count_inputs(
    inputs: &[Input],
    reading: &Reading,
    mergeable: bool,
    watch: &mut dyn FnMut(Counting),
) -> (Counts, Vec<(String, String)>) {
    const BATCH: usize = 512;
    let mut counts = Counts {
        compact: !mergeable,
        ..Counts::default()
    };
    let mut errors = Vec::new();
    let mut batches = Batches::new(BATCH, usize::MAX);
    let prepare = |(group, id, text): &(String, String, String)| PreparedDocument::new(group, id, text);
    for input in inputs {
        let visit = &mut |group: &str, id: &str, text: &str| {
            if batches.push((group.to_string(), id.to_string(), text.to_string()), 0) {
                batches
                    .map(prepare)
                    .into_iter()
                    .for_each(|document| counts.add_prepared(document));
            }
        };
        let result = for_each_document(input, reading, visit, &mut |bytes| watch(Counting::Read(bytes)));
        match result {
            Ok(record_errors) => errors.extend(record_errors),
            Err(err) => errors.push((input.display_name(), err)),
        }
        watch(Counting::InputDone);
    }
    batches
        .map(prepare)
        .into_iter()
        .for_each(|document| counts.add_prepared(document));
    (counts, errors)
}

/// Calls `visit(group, id, text)` for each document of `input`, read as cleaning reads it
/// (the same limits), and `read(bytes)` as its bytes are read; returns the records that could
/// not be read.
fn for_each_document(
    input: &Input,
    reading: &Reading,
    visit: &mut dyn FnMut(&str, &str, &str),
    read: &mut dyn FnMut(u64),
) -> Result<Vec<(String, String)>, String> {
    let Input::File { path, relative } = input else {
        return Err("standard input cannot be learned from; name files or directories".to_string());
    };
    let mut errors = Vec::new();
    if reading.format.is_jsonl(input) {
        let mut lines = Lines::open(input, None).map_err(|err| err.to_string())?;
        let mut line = Vec::new();
        while let Some((position, bounded)) = lines
            .next_line(&mut line, reading.max_doc_bytes)
            .map_err(|err| err.to_string())?
        {
            read(line.len() as u64);
            if bounded == Bounded::TooLarge {
                // Skipped as cleaning skips it: a bad record, never held whole.
                let rest = lines
                    .rest_of_line(&mut std::io::sink())
                    .map_err(|err| err.to_string())?;
                read(rest);
                let message = too_large(reading.max_doc_bytes);
                errors.push((format!("{}:{position}", input.display_name()), message));
                continue;
            }
            let Some(content) = record_content(&line) else {
                continue;
            };
            match Record::parse(content, &reading.field) {
                Ok(record) => {
                    let group = reading.group_by.group(input, || record.host());
                    let id = record
                        .id
                        .clone()
                        .unwrap_or_else(|| format!("{}:{}", path.display(), position.value()));
                    visit(&group, &id, &record.text);
                }
                Err(err) => errors.push((format!("{}:{position}", input.display_name()), err.to_string())),
            }
        }
        return Ok(errors);
    }
    let bytes = read_input(input, reading.max_doc_bytes).map_err(|err| err.to_string())?;
    read(bytes.len() as u64);
    let group = text_file_group(input, reading.group_by);
    visit(
        &group,
        &relative.display().to_string(),
        &String::from_utf8_lossy(&bytes),
    );
    Ok(errors)
}

/// The site a text file is learned for: its first folder under the folder given, or, for a
/// file directly in that folder (or named directly), the name of the folder it is in. So
/// learning each site's folder on its own (`pare learn scraped/gazette`) names the group after
/// the site, and merging such counts keeps the sites apart; applying the profile finds the
/// group by that folder name (`run::document::file_group`).
fn text_file_group(input: &Input, group_by: GroupBy) -> String {
    let group = group_by.group(input, || None);
    if group != UNGROUPED || !matches!(group_by, GroupBy::Auto | GroupBy::Dir) {
        return group;
    }
    let Input::File { path, .. } = input else {
        return group;
    };
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
    (full.parent().and_then(|folder| folder.file_name()))
        .map_or(group, |name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let profile = counts.profile(Thresholds::default());
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
    fn a_group_whose_documents_are_mostly_shared_lines_is_flagged() {
        let mut counts = Counts::default();
        for i in 0..10 {
            let text = format!("Menu\nHome\nNews\nSport\nWeather\nContact\nAbout\nItem {i}\n");
            counts.add_document("site", &i.to_string(), &text);
        }
        let profile = counts.profile(Thresholds::default());
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
            compact.profile(Thresholds::default()),
            full.profile(Thresholds::default())
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
            .profile(Thresholds::default())
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
            left.profile(Thresholds::default()),
            whole.profile(Thresholds::default())
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
