//! Counts turned into a profile: which lines become rules, with which action, and the evidence
//! each rule carries.

use std::fmt::Write as _;

use crate::text::rules::{Action, GroupSpec, RuleFile, RuleSpec};

use super::{Counts, GroupCounts, LineCount};

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
            let removed_share = removed_words(&learned) as f64 / group.words.max(1) as f64;
            let _ = writeln!(
                out,
                "# {name}: learned rules remove about {:.0}% of this group's words.",
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
                // line after the article in most of the documents where an article was found
                // (and it was, in most), with only short runs of text below it (comments, a
                // bio, related posts), also marks where the chrome below starts. Any other
                // line, or one both before and after all running text (pages with none), is
                // only dropped.
                let mostly_of = |count: u32, of: u32| u64::from(count) * 10 >= u64::from(of) * 9;
                let mostly = |count: u32| mostly_of(count, line.docs);
                let after_article =
                    line.with_article * 2 >= line.docs && mostly_of(line.after_article, line.with_article);
                let action = match (mostly(line.nothing_after), mostly(line.nothing_before)) {
                    (true, false) => Action::CutAfter,
                    (false, true) => Action::CutBefore,
                    (false, false) if after_article => Action::CutAfter,
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
        // A section heading below the article has text after it: say why it still cuts.
        let after_article = if self.action == Action::CutAfter && line.nothing_after < line.after_article {
            format!(
                ", after the article in {} of the {} with one",
                line.after_article, line.with_article
            )
        } else {
            String::new()
        };
        let evidence = format!(
            "in {} of {docs} documents ({:.0}%), mostly {position}{after_article}; e.g. {}",
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
