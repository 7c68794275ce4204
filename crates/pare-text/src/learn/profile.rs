//! Counts turned into a profile: which groups are sites, which lines become rules, with which
//! action, and the evidence each rule carries.
//!
//! Learning must never cut an article away, so it learns only on evidence: a group's documents
//! must share a site's template (several lines in most of them; a folder of unrelated pages,
//! or records with no site, share none) before anything is learned from them, and a line must
//! stand on the same side of the body in nearly every document it is in to cut. Anything less
//! is at most a `drop` of that line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::rules::{Action, GroupSpec, KeyedBy, RuleFile, RuleSpec};
use crate::site::UNGROUPED;

use super::counts::{Counts, GroupCounts, LineCount};

/// Lines a site's template gives most of its pages: a group needs this many lines that stand in
/// more than half of its documents before anything is learned from it. Menus, footers and headings
/// of one site are many; generic lines that unrelated sites share ("Home") are few, and rarer.
const TEMPLATE_LINES: usize = 3;

/// A cut needs its line on the same side of the body, in a document with running text, in 9
/// of every 10 documents the line is in.
const CUT_CONSISTENCY: (u64, u64) = (9, 10);

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

/// What applying a profile to the documents it was learned from removes: the figures its
/// header and each rule's evidence give (measured by the `pare` crate, which reads the documents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measured {
    /// By group name.
    pub groups: BTreeMap<String, GroupMeasure>,
}

/// What one group's learned rules remove from its documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupMeasure {
    /// Documents of the group.
    pub documents: u64,
    /// Their words.
    pub words: u64,
    /// Documents the rules removed anything from.
    pub touched: u64,
    /// Words the rules removed.
    pub removed_words: u64,
    /// By rule name: documents it removed lines from, and the words of those lines.
    pub rules: BTreeMap<String, (u64, u64)>,
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
        for (name, group) in &self.groups {
            summary.documents += group.docs;
            summary.largest_group = summary.largest_group.max(group.docs);
            if group.docs >= thresholds.min_docs && name != UNGROUPED && group.template().is_ok() {
                summary.groups_learned += 1;
                summary.rules += group.learned(thresholds.min_share).len();
            }
        }
        summary
    }

    /// The groups with enough documents that learn nothing, each with why: not a site (its
    /// documents have none, or share no site's template).
    pub fn not_sites(&self, thresholds: Thresholds) -> Vec<(String, String)> {
        (self.groups.iter())
            .filter(|(_, group)| group.docs >= thresholds.min_docs)
            .filter_map(|(name, group)| {
                let why = if name == UNGROUPED {
                    "its documents have no site (records without a URL host are not grouped)".to_string()
                } else {
                    format!("not one site's pages: {}", group.template().err()?)
                };
                Some((name.clone(), why))
            })
            .collect()
    }

    /// The learned profile in the rule-file format: how its groups are keyed, then one
    /// `[[group]]` per group with enough documents, its rules in the order they apply, each
    /// with its evidence. With `measured` (the profile applied to the documents it was learned
    /// from), the header of each group and each rule's evidence say what it removes there;
    /// without, the header gives an estimate from the counts. Deterministic.
    pub fn profile(
        &self,
        thresholds: Thresholds,
        keyed_by: Option<KeyedBy>,
        measured: Option<&Measured>,
    ) -> String {
        let mut out = String::from(
            "# Learned by `pare learn`: lines that repeat across a site's documents.\n\
             # Review before use; every rule says how often it was seen and where.\n\n",
        );
        if keyed_by.is_some() {
            let keys = RuleFile {
                keyed_by,
                ..RuleFile::default()
            };
            out.push_str(&toml::to_string(&keys).expect("a rule file serialises"));
            out.push('\n');
        }
        for (name, group) in &self.groups {
            if group.docs < thresholds.min_docs {
                let _ = writeln!(out, "# {name}: {} documents, too few to learn from\n", group.docs);
                continue;
            }
            if name == UNGROUPED {
                let _ = writeln!(
                    out,
                    "# {name}: {} documents without a site (no URL host); nothing is learned from them\n",
                    group.docs
                );
                continue;
            }
            if let Err(why) = group.template() {
                let _ = writeln!(
                    out,
                    "# {name}: not one site's pages: {why}; nothing is learned from it\n"
                );
                continue;
            }
            let learned = group.learned(thresholds.min_share);
            let measure = measured.and_then(|measured| measured.groups.get(name));
            write_removed_share(&mut out, name, group, &learned, measure, thresholds);
            let rules = (learned.iter().enumerate())
                .map(|(index, rule)| {
                    let rule_name = format!("{name}/{}", index + 1);
                    let removes =
                        measure.map(|measure| measure.rules.get(&rule_name).copied().unwrap_or_default());
                    rule.spec(&rule_name, group.docs, removes)
                })
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

/// The line of a group's header that says how much of its words its rules remove: measured,
/// or estimated from the counts; and a warning when that is more than `thresholds` allow.
fn write_removed_share(
    out: &mut String,
    name: &str,
    group: &GroupCounts,
    learned: &[Learned],
    measure: Option<&GroupMeasure>,
    thresholds: Thresholds,
) {
    let removed_share = match measure {
        Some(measure) => {
            let share = measure.removed_words as f64 / measure.words.max(1) as f64;
            let _ = writeln!(
                out,
                "# {name}: applied to the {} documents learned from, these rules remove {:.1}% of \
                 their words ({} of {}) and touch {} of them.",
                measure.documents,
                share * 100.0,
                measure.removed_words,
                measure.words,
                measure.touched
            );
            share
        }
        None => {
            let share = removed_words(learned) as f64 / group.words.max(1) as f64;
            let _ = writeln!(
                out,
                "# {name}: learned rules remove about {:.0}% of this group's words (estimated from \
                 the counts).",
                share * 100.0
            );
            share
        }
    };
    if removed_share > thresholds.flag_share {
        let _ = writeln!(
            out,
            "# WARNING: that is suspiciously high; check that these rules do not remove body text."
        );
    }
}

impl GroupCounts {
    /// Whether the group's documents share a site's template: at least [`TEMPLATE_LINES`]
    /// lines, each in more than half of them. Otherwise, why not.
    fn template(&self) -> Result<(), String> {
        let common = (self.lines.values())
            .filter(|line| line.text.is_some() && u64::from(line.docs) * 2 > self.docs)
            .count();
        if common >= TEMPLATE_LINES {
            return Ok(());
        }
        let most = (self.lines.values())
            .filter_map(|line| Some((line.docs, line.text.as_deref()?)))
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)));
        let most = most.map_or(String::new(), |(docs, text)| {
            format!("; the most shared, {text:?}, is in {docs} of {}", self.docs)
        });
        Err(format!(
            "{common} line(s) stand in more than half of its {} documents, where one site's pages \
             share at least {TEMPLATE_LINES}{most}",
            self.docs
        ))
    }

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
                // A line after the body in nearly all of its documents (after all running text,
                // or after the article with only short runs of text below it: comments, a bio,
                // related posts) marks where the chrome below starts; one before all running
                // text, where the body starts. Each document counted there has running text, so
                // a page with none is no evidence. Any other line is only dropped.
                let (part, whole) = CUT_CONSISTENCY;
                let nearly = |count: u32| u64::from(count) * whole >= u64::from(line.docs) * part;
                let action = match (nearly(line.after_body), nearly(line.before_body)) {
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

/// About how many words `learned` rules remove from their group: each dropped line's words
/// where it appears, and for the cuts below, the words from the marker down of the marker that
/// removes most (the markers of one site mostly cut the same text).
fn removed_words(learned: &[Learned]) -> u64 {
    let line_words = |rule: &Learned| u64::from(rule.line.docs) * rule.text.split(' ').count() as u64;
    let dropped: u64 = (learned.iter())
        .filter(|rule| rule.action != Action::CutAfter)
        .map(line_words)
        .sum();
    let cut = (learned.iter())
        .filter(|rule| rule.action == Action::CutAfter)
        .map(|rule| rule.line.words_below.max(line_words(rule)))
        .max()
        .unwrap_or(0);
    dropped + cut
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
    /// The rule, named `name`, with its evidence from a group of `docs` documents, and what it
    /// removes from them (documents, words) when that was measured.
    fn spec(&self, name: &str, docs: u64, removes: Option<(u64, u64)>) -> RuleSpec {
        let line = self.line;
        let position = if line.head * 2 > line.docs {
            "head"
        } else if line.tail * 2 > line.docs {
            "tail"
        } else {
            "body"
        };
        let samples: Vec<&str> = line.samples.iter().map(AsRef::as_ref).collect();
        // A section heading below the article has text after it: say why it still cuts.
        let after_article = if self.action == Action::CutAfter && line.nothing_after < line.after_article {
            format!(
                ", after the article in {} of the {} with one",
                line.after_article, line.with_article
            )
        } else {
            String::new()
        };
        let removes = removes.map_or(String::new(), |(documents, words)| {
            format!("; removes {words} words from {documents} documents")
        });
        let evidence = format!(
            "in {} of {docs} documents ({:.0}%), mostly {position}{after_article}; e.g. {}{removes}",
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
