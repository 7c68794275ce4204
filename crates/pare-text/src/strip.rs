//! Applying a [`RuleSet`] to a normalised document: which lines go, and why.
//!
//! The order is fixed and every step only removes:
//!
//! 1. `cut_after` / `cut_before` rules, in rule order, each narrowing the kept range: a
//!    `cut_after` marker (its first match) goes with everything after it, a `cut_before` marker
//!    (its last match) with everything before it. A match that would take every line of
//!    running text in the range with it (running text no `drop` rule removes), leaving none,
//!    is passed over: a marker met above the article (in a menu, say) does not cut the
//!    article away. A learned rule (from a profile) is held to more: its match is passed over
//!    where it would take most of the article (the document's longest run of running text),
//!    and the document says so ([`PassedOver`]).
//! 2. `drop` rules with scope `any` remove every matching line in the range.
//! 3. Edge rules (`head`, `tail`, `edge`) peel lines from the top and bottom of the range while
//!    each line is blank, already removed, or matched by such a rule.
//! 4. `strip_suffix` rules remove end marks from the last remaining line; if what is left of it
//!    is empty or is itself chrome, it goes too and the bottom edge is peeled again.
//!
//! Each step leaves nothing for a second run to find, so stripping is idempotent.

use std::ops::Range;
use std::sync::Arc;

use crate::detect::line::is_running_text;
use crate::rules::{Action, RuleSet};

/// Why a piece of the normalised text was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// 1-based line number in the normalised text.
    pub line: usize,
    /// Byte range of the removed text in the normalised text (a whole line, or an end mark).
    pub span: Range<usize>,
    /// Name of the rule that removed it.
    pub rule: Arc<str>,
    /// Whether a whole line or only its end went.
    pub kind: RemovalKind,
    /// Why, beyond the rule's name (the body detector explains each decision).
    pub reason: Option<String>,
}

/// A learned cut that was not made in a document, because it would have taken most of its
/// article: the document keeps its text, and says which rule was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver {
    /// 1-based line number of the marker the rule matched, in the normalised text.
    pub line: usize,
    /// Byte range of that line in the normalised text.
    pub span: Range<usize>,
    /// Name of the rule.
    pub rule: Arc<str>,
    /// Why, in words.
    pub reason: String,
}

/// The extent of a [`Removal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalKind {
    /// The whole line was removed.
    Line,
    /// An end mark was cut off the end of the line; the rest of the line stays.
    Suffix,
}

impl RemovalKind {
    /// How the ledger (and the Python module) name it: `line` or `suffix`.
    pub fn name(self) -> &'static str {
        match self {
            RemovalKind::Line => "line",
            RemovalKind::Suffix => "suffix",
        }
    }
}

/// One line of the document being stripped.
struct Line {
    start: usize,
    /// End of the kept text; moves left when an end mark is stripped.
    end: usize,
    /// Rules whose pattern matches the line: a range into `Stripper::hits`.
    hits: Range<usize>,
    removed_by: Option<usize>,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.start == self.end
    }
}

/// Running-text lines this close (non-blank lines that are not running text between them)
/// belong to one run of text: a subheading or an advertisement marker does not split an
/// article, while the names, dates and "Reply" links between comments do split a thread.
const RUN_GAP: usize = 1;

/// Which lines are running text that stays (no `drop` rule matches it), counted so any range
/// can be asked about at once: a cut marker is not taken where it would remove every such line
/// the document has, nor, for a learned rule, most of the words of its article: its longest
/// run of running text (a comment thread is many short runs; an article is one long one).
struct RunningText {
    /// Such lines before each line (one more entry than lines).
    before: Vec<usize>,
    /// Words of the article's lines before each line.
    article_words_before: Vec<usize>,
}

impl RunningText {
    fn new(stripper: &Stripper) -> RunningText {
        let rules = stripper.rules.rules();
        let mut before = Vec::with_capacity(stripper.lines.len() + 1);
        before.push(0);
        // Each line's run (running-text lines only) and words, and each run's words.
        let mut runs: Vec<usize> = Vec::new();
        let mut line_runs = Vec::with_capacity(stripper.lines.len());
        let mut gap = usize::MAX;
        for (index, line) in stripper.lines.iter().enumerate() {
            let dropped =
                (stripper.line_hits(index).iter()).any(|&rule| rules[rule].action() == Action::Drop);
            let text = &stripper.text[line.start..line.end];
            let running = !dropped && is_running_text(text);
            before.push(before.last().copied().unwrap_or(0) + usize::from(running));
            if !running {
                gap = gap.saturating_add(usize::from(!line.is_blank()));
                line_runs.push(None);
                continue;
            }
            if gap > RUN_GAP {
                runs.push(0);
            }
            gap = 0;
            let words = text.split(' ').count();
            *runs.last_mut().expect("a run was started") += words;
            line_runs.push(Some((runs.len() - 1, words)));
        }
        let article = (0..runs.len()).max_by_key(|&run| (runs[run], std::cmp::Reverse(run)));
        let mut article_words_before = Vec::with_capacity(line_runs.len() + 1);
        article_words_before.push(0);
        for line in line_runs {
            let words = match line {
                Some((run, words)) if Some(run) == article => words,
                _ => 0,
            };
            article_words_before.push(article_words_before.last().copied().unwrap_or(0) + words);
        }
        RunningText {
            before,
            article_words_before,
        }
    }

    fn count(&self, lines: Range<usize>) -> usize {
        self.before[lines.end] - self.before[lines.start]
    }

    fn article_words(&self, lines: Range<usize>) -> usize {
        self.article_words_before[lines.end] - self.article_words_before[lines.start]
    }

    /// Why a learned cut of `cut` may not be made: it would take most of the article.
    fn takes_most(&self, cut: Range<usize>) -> Option<String> {
        let taken = self.article_words(cut);
        let article = self.article_words(0..self.before.len() - 1);
        (taken * 2 > article).then(|| {
            format!(
                "a learned cut here would take {taken} of the {article} words of the document's \
                 longest run of text"
            )
        })
    }

    /// Whether cutting `cut` and keeping `kept` keeps some running text, or there was none in
    /// `cut` to lose.
    fn keeps_some(&self, kept: Range<usize>, cut: Range<usize>) -> bool {
        self.count(kept) > 0 || self.count(cut) == 0
    }
}

struct Stripper<'r, 'a> {
    rules: &'r RuleSet,
    text: &'a str,
    lines: Vec<Line>,
    hits: Vec<usize>,
    removals: Vec<Removal>,
    passed_over: Vec<PassedOver>,
}

/// Strips `normalized` (output of [`crate::normalize()`]) by `rules`, returning the kept text and
/// the removals in line order.
pub fn strip(rules: &RuleSet, normalized: &str) -> (String, Vec<Removal>) {
    strip_document(rules, normalized).finish()
}

/// Like [`strip`], but leaves the document open for later stages to remove more lines.
pub fn strip_document<'a>(rules: &RuleSet, normalized: &'a str) -> Document<'a> {
    let mut stripper = Stripper::new(rules, normalized);
    if !rules.rules().is_empty() {
        let range = stripper.apply_cuts();
        stripper.apply_anywhere_drops(range.clone());
        stripper.peel_head(range.clone());
        stripper.strip_end_marks(range);
    }
    stripper.finish()
}

impl<'r, 'a> Stripper<'r, 'a> {
    fn new(rules: &'r RuleSet, text: &'a str) -> Stripper<'r, 'a> {
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        let mut hits = Vec::new();
        let mut start = 0;
        // The lines' ends: each newline, and the end of a text that does not end in one.
        let unterminated = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(unterminated) {
            let line = &text[start..end];
            let first_hit = hits.len();
            if !line.is_empty() && !rules.rules().is_empty() {
                rules.matching_rules(line, &mut hits);
            }
            lines.push(Line {
                start,
                end,
                hits: first_hit..hits.len(),
                removed_by: None,
            });
            start = end + 1;
        }
        Stripper {
            rules,
            text,
            lines,
            hits,
            removals: Vec::new(),
            passed_over: Vec::new(),
        }
    }

    fn line_hits(&self, index: usize) -> &[usize] {
        &self.hits[self.lines[index].hits.clone()]
    }

    fn is_kept(&self, index: usize) -> bool {
        self.lines[index].removed_by.is_none()
    }

    fn remove(&mut self, index: usize, rule: usize) {
        let line = &mut self.lines[index];
        if line.removed_by.is_none() {
            line.removed_by = Some(rule);
        }
    }

    /// The first `drop` rule among `hits` whose scope `allows`.
    fn first_drop(&self, hits: &[usize], allows: impl Fn(crate::rules::Scope) -> bool) -> Option<usize> {
        let rules = self.rules.rules();
        hits.iter()
            .copied()
            .find(|&rule| rules[rule].action() == Action::Drop && allows(rules[rule].scope()))
    }

    fn apply_cuts(&mut self) -> Range<usize> {
        let mut range = 0..self.lines.len();
        let mut running = None;
        for (rule, spec) in self.rules.rules().iter().enumerate() {
            let has_hit = |index: &usize| self.line_hits(*index).contains(&rule);
            let is_cut = matches!(spec.action(), Action::CutAfter | Action::CutBefore);
            if !is_cut || !range.clone().any(|index| has_hit(&index)) {
                continue;
            }
            // Measured once, and only on a page where some cut marker matches.
            let running = running.get_or_insert_with(|| RunningText::new(self));
            // Each match, nearest the edge it cuts towards last: the part it would keep, and
            // the part it would cut.
            let sides: Vec<(usize, Range<usize>, Range<usize>)> = match spec.action() {
                Action::CutAfter => (range.clone().filter(has_hit))
                    .map(|at| (at, range.start..at, at..range.end))
                    .collect(),
                Action::CutBefore => (range.clone().rev().filter(has_hit))
                    .map(|at| (at, at + 1..range.end, range.start..at + 1))
                    .collect(),
                Action::Drop | Action::StripSuffix => continue,
            };
            let mut passed_over = None;
            let chosen = sides.into_iter().find(|(at, kept, cut)| {
                if !running.keeps_some(kept.clone(), cut.clone()) {
                    return false;
                }
                let Some(why) = spec
                    .is_learned()
                    .then(|| running.takes_most(cut.clone()))
                    .flatten()
                else {
                    return true;
                };
                passed_over.get_or_insert((*at, why));
                false
            });
            match chosen {
                Some((_, kept, cut)) => {
                    cut.clone().for_each(|index| self.remove(index, rule));
                    range = kept;
                }
                None => {
                    if let Some((at, reason)) = passed_over {
                        let line = &self.lines[at];
                        self.passed_over.push(PassedOver {
                            line: at + 1,
                            span: line.start..line.end,
                            rule: spec.name().clone(),
                            reason,
                        });
                    }
                }
            }
        }
        range
    }

    fn apply_anywhere_drops(&mut self, range: Range<usize>) {
        for index in range {
            let hits = self.line_hits(index);
            if let Some(rule) = self.first_drop(hits, |scope| scope == crate::rules::Scope::Any) {
                self.remove(index, rule);
            }
        }
    }

    /// Removes lines from the top of `range` while they are blank, removed or head chrome.
    fn peel_head(&mut self, range: Range<usize>) {
        for index in range {
            if self.lines[index].is_blank() || !self.is_kept(index) {
                continue;
            }
            match self.first_drop(self.line_hits(index), |scope| scope.allows_head()) {
                Some(rule) => self.remove(index, rule),
                None => break,
            }
        }
    }

    /// Removes lines from the bottom of `range` while they are blank, removed or tail chrome;
    /// returns the last line that stays, if any.
    fn peel_tail(&mut self, range: Range<usize>) -> Option<usize> {
        for index in range.rev() {
            if self.lines[index].is_blank() || !self.is_kept(index) {
                continue;
            }
            match self.first_drop(self.line_hits(index), |scope| scope.allows_tail()) {
                Some(rule) => self.remove(index, rule),
                None => return Some(index),
            }
        }
        None
    }

    fn strip_end_marks(&mut self, range: Range<usize>) {
        let suffix_rules: Vec<usize> = (self.rules.rules().iter().enumerate())
            .filter(|(_, rule)| rule.action() == Action::StripSuffix)
            .map(|(index, _)| index)
            .collect();
        let mut rematch = Vec::new();
        'lines: while let Some(last) = self.peel_tail(range.clone()) {
            loop {
                let line = &self.lines[last];
                let kept = &self.text[line.start..line.end];
                let Some((rule, suffix)) = suffix_rules.iter().find_map(|&rule| {
                    let suffix = self.rules.rules()[rule].suffix()?;
                    kept.ends_with(suffix).then_some((rule, suffix))
                }) else {
                    return;
                };
                let new_end = line.start + kept[..kept.len() - suffix.len()].trim_end().len();
                self.removals.push(Removal {
                    line: last + 1,
                    span: new_end..line.end,
                    rule: self.rules.rules()[rule].name().clone(),
                    kind: RemovalKind::Suffix,
                    reason: None,
                });
                self.lines[last].end = new_end;
                let kept = &self.text[self.lines[last].start..new_end];
                if kept.is_empty() {
                    self.remove(last, rule);
                    continue 'lines;
                }
                // What is left may itself be chrome; a second run would see it as such.
                rematch.clear();
                self.rules.matching_rules(kept, &mut rematch);
                let rules = self.rules.rules();
                if let Some(&chrome) = rematch
                    .iter()
                    .find(|&&rule| rules[rule].action() != Action::StripSuffix)
                {
                    let first = match rules[chrome].action() {
                        Action::CutBefore => range.start,
                        _ => last,
                    };
                    (first..=last).for_each(|index| self.remove(index, chrome));
                    continue 'lines;
                }
            }
        }
    }

    fn finish(mut self) -> Document<'a> {
        let rules = self.rules.rules();
        // An end mark stripped from a line that went anyway is part of that line's removal.
        let lines = &self.lines;
        self.removals
            .retain(|removal| lines[removal.line - 1].removed_by.is_none());
        let mut document = Document {
            text: self.text,
            lines: (self.lines.iter())
                .map(|line| DocumentLine {
                    start: line.start,
                    end: line.end,
                    kept: true,
                })
                .collect(),
            removals: self.removals,
            passed_over: self.passed_over,
        };
        for (index, line) in self.lines.iter().enumerate() {
            if let Some(rule) = line.removed_by {
                document.remove(index, rules[rule].name().clone(), None);
            }
        }
        document
    }
}

/// A normalised document part-way through cleaning: which lines are still kept, and every
/// removal so far. Later stages (the body detector) remove more lines; [`Document::finish`]
/// assembles the clean text.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    text: &'a str,
    lines: Vec<DocumentLine>,
    removals: Vec<Removal>,
    passed_over: Vec<PassedOver>,
}

#[derive(Debug, Clone)]
struct DocumentLine {
    start: usize,
    /// End of the kept text (before an end mark that was stripped).
    end: usize,
    kept: bool,
}

impl<'a> Document<'a> {
    /// Number of lines in the normalised text, blank ones included.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The kept text of line `index` (0-based), or `None` once the line is removed.
    pub fn kept_line(&self, index: usize) -> Option<&'a str> {
        let line = &self.lines[index];
        line.kept.then(|| &self.text[line.start..line.end])
    }

    /// The text of line `index` (0-based) if an earlier stage removed it.
    pub fn removed_line(&self, index: usize) -> Option<&'a str> {
        let line = &self.lines[index];
        (!line.kept).then(|| &self.text[line.start..line.end])
    }

    /// Removes a whole line, recording `rule` (and why, if given) as the cause. Removing a blank
    /// or already removed line records nothing.
    pub fn remove(&mut self, index: usize, rule: Arc<str>, reason: Option<String>) {
        let line = &mut self.lines[index];
        if !line.kept {
            return;
        }
        line.kept = false;
        let full_end = memchr::memchr(b'\n', &self.text.as_bytes()[line.start..])
            .map_or(self.text.len(), |n| line.start + n);
        if full_end > line.start {
            self.removals.push(Removal {
                line: index + 1,
                span: line.start..full_end,
                rule,
                kind: RemovalKind::Line,
                reason,
            });
        }
    }

    /// The learned cuts passed over in this document, taking them out of it.
    pub fn take_passed_over(&mut self) -> Vec<PassedOver> {
        std::mem::take(&mut self.passed_over)
    }

    /// Number of removals recorded so far.
    pub fn removal_count(&self) -> usize {
        self.removals.len()
    }

    /// The clean text (kept lines, blank runs collapsed, one final newline) and the removals in
    /// line order.
    pub fn finish(self) -> (String, Vec<Removal>) {
        let (text, removals, _) = self.finish_mapped();
        (text, removals)
    }

    /// Like [`Document::finish`], also mapping each line of the clean text to the index of the
    /// line it came from (`None` for blank lines).
    pub fn finish_mapped(mut self) -> (String, Vec<Removal>, Vec<Option<usize>>) {
        let mut out = String::with_capacity(self.text.len());
        let mut origins = Vec::with_capacity(self.lines.len());
        let mut pending_blank = false;
        for (index, line) in self.lines.iter().enumerate().filter(|(_, line)| line.kept) {
            if line.start == line.end {
                pending_blank = !out.is_empty();
                continue;
            }
            if pending_blank {
                out.push('\n');
                origins.push(None);
                pending_blank = false;
            }
            out.push_str(&self.text[line.start..line.end]);
            out.push('\n');
            origins.push(Some(index));
        }
        // An end mark stripped from a line that went anyway is part of that line's removal.
        let lines = &self.lines;
        self.removals
            .retain(|removal| removal.kind == RemovalKind::Line || lines[removal.line - 1].kept);
        self.removals
            .sort_by_key(|removal| (removal.line, removal.span.start));
        (out, self.removals, origins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(source: &str) -> RuleSet {
        RuleSet::from_toml("test", source).unwrap()
    }

    fn kept(rules: &RuleSet, text: &str) -> String {
        strip(rules, text).0
    }

    #[test]
    fn drop_removes_every_matching_line_and_closes_the_gap() {
        let rules = rules("[[rule]]\nname = \"share\"\nline = \"Share\"\n");
        assert_eq!(kept(&rules, "a\n\nShare\n\nb\nShare\n"), "a\n\nb\n");
    }

    #[test]
    fn cut_after_takes_the_first_marker_and_everything_below() {
        let rules = rules("[[rule]]\nname = \"more\"\naction = \"cut_after\"\nline = \"More\"\n");
        let (text, removals) = strip(&rules, "a\nMore\nb\nMore\nc\n");
        assert_eq!(text, "a\n");
        let lines: Vec<usize> = removals.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(removals.iter().all(|r| &*r.rule == "more"));
    }

    #[test]
    fn cut_before_takes_the_last_marker_and_everything_above() {
        let rules = rules("[[rule]]\nname = \"start\"\naction = \"cut_before\"\nline = \"Start\"\n");
        assert_eq!(kept(&rules, "menu\nStart\nx\nStart\nbody\n"), "body\n");
    }

    #[test]
    fn a_learned_cut_is_passed_over_where_it_would_take_most_of_the_article() {
        let source = "[[rule]]\nname = \"c\"\naction = \"cut_after\"\nline = \"Comments\"\n";
        let learned = rules(source).learned();
        let article = "The council met on Tuesday and approved the plan for the new bridge.";
        let comment = "I live by the river and I think the bridge is a fine idea for us.";
        // Below the article, a thread of short comments longer than the article: cut.
        let thread: String = (0..6)
            .map(|i| format!("Reader {i}\n3 May\n{comment}\nReply\n"))
            .collect();
        let page = format!("{article}\n{article}\nComments\n{thread}");
        let mut document = strip_document(&learned, &page);
        assert!(document.take_passed_over().is_empty());
        assert_eq!(document.finish().0, format!("{article}\n{article}\n"));
        // Above most of the article (a link in a short lead), not cut, and said so.
        let page = format!("{article}\nComments\n{article}\n{article}\n{article}\n");
        let mut document = strip_document(&learned, &page);
        let passed = document.take_passed_over();
        assert_eq!((passed.len(), passed[0].line, &*passed[0].rule), (1, 2, "c"));
        assert!(
            passed[0].reason.contains("would take 39 of the 52 words"),
            "{}",
            passed[0].reason
        );
        assert_eq!(document.finish().0, page);
        // The same rule written by hand is made as written.
        assert_eq!(strip(&rules(source), &page).0, format!("{article}\n"));
    }

    #[test]
    fn a_cut_never_takes_all_the_running_text_with_it() {
        let text = "It was a long day at the harbour, and the boats came in late again.";
        let after = rules("[[rule]]\nname = \"c\"\naction = \"cut_after\"\nline = \"Comments\"\n");
        // The marker in the menu is passed over; the one below the article is taken.
        let page = format!("Menu\nComments\n{text}\n{text} Yes.\nComments\nA reader wrote in.\n");
        assert_eq!(
            kept(&after, &page),
            format!("Menu\nComments\n{text}\n{text} Yes.\n")
        );
        // With no marker below the article, nothing is cut.
        let page = format!("Comments\n{text}\n");
        assert_eq!(kept(&after, &page), page);
        // A page with no running text at all is cut as before.
        assert_eq!(kept(&after, "Menu\nComments\nNo comments yet.\n"), "Menu\n");
        let before = rules("[[rule]]\nname = \"s\"\naction = \"cut_before\"\nline = \"Start\"\n");
        let page = format!("Start\n{text}\nStart\n");
        assert_eq!(kept(&before, &page), format!("{text}\nStart\n"));
        let page = format!("{text}\nStart\n");
        assert_eq!(kept(&before, &page), page);
    }

    #[test]
    fn head_rules_only_peel_from_the_top() {
        let rules = rules("[[rule]]\nname = \"menu\"\nline = \"Menu\"\nscope = \"head\"\n");
        assert_eq!(kept(&rules, "Menu\n\nMenu\nTitle\nMenu\n"), "Title\nMenu\n");
    }

    #[test]
    fn tail_rules_only_peel_from_the_bottom() {
        let rules = rules("[[rule]]\nname = \"f\"\nline = \"Footer\"\nscope = \"tail\"\n");
        assert_eq!(kept(&rules, "Footer\nbody\nFooter\n\nFooter\n"), "Footer\nbody\n");
    }

    #[test]
    fn anywhere_matches_do_not_stop_peeling() {
        let rules = rules(
            "[[rule]]\nname = \"h\"\nline = \"Home\"\nscope = \"head\"\n[[rule]]\nname = \"ad\"\nline = \"Ad\"\n",
        );
        assert_eq!(kept(&rules, "Home\nAd\nHome\nTitle\n"), "Title\n");
    }

    #[test]
    fn end_mark_is_stripped_from_the_last_remaining_line() {
        let rules = rules(
            "[[rule]]\nname = \"end\"\naction = \"strip_suffix\"\nsuffix = \" ®\"\n\
             [[rule]]\nname = \"t\"\nline = \"Tags\"\nscope = \"tail\"\n",
        );
        let (text, removals) = strip(&rules, "Brand ® rules\nLast words. ®\nTags\n");
        assert_eq!(text, "Brand ® rules\nLast words.\n");
        let end = removals.iter().find(|r| r.kind == RemovalKind::Suffix).unwrap();
        assert_eq!((end.line, &*end.rule), (2, "end"));
        assert_eq!(&"Brand ® rules\nLast words. ®\nTags\n"[end.span.clone()], " ®");
    }

    #[test]
    fn a_line_that_is_only_an_end_mark_goes_and_the_one_above_is_stripped() {
        let rules = rules("[[rule]]\nname = \"end\"\naction = \"strip_suffix\"\nsuffix = \"®\"\n");
        assert_eq!(kept(&rules, "Body ®\n®\n"), "Body\n");
    }

    #[test]
    fn stripping_is_idempotent_when_a_stripped_line_becomes_chrome() {
        let rules = rules(
            "[[rule]]\nname = \"end\"\naction = \"strip_suffix\"\nsuffix = \" ®\"\n\
             [[rule]]\nname = \"s\"\nline = \"Share\"\nscope = \"head\"\n",
        );
        let once = kept(&rules, "Body\nShare ®\n");
        assert_eq!(once, "Body\n");
        assert_eq!(kept(&rules, &once), once);
    }

    #[test]
    fn a_stripped_line_that_becomes_a_cut_marker_goes() {
        let rules = rules(
            "[[rule]]\nname = \"end\"\naction = \"strip_suffix\"\nsuffix = \" ®\"\n\
             [[rule]]\nname = \"cut\"\naction = \"cut_after\"\nline = \"Related\"\n",
        );
        assert_eq!(kept(&rules, "Body\nRelated ®\n"), "Body\n");
        let rules_before = rules_with_cut_before();
        assert_eq!(kept(&rules_before, "Body\nStart ®\n"), "");
    }

    fn rules_with_cut_before() -> RuleSet {
        rules(
            "[[rule]]\nname = \"end\"\naction = \"strip_suffix\"\nsuffix = \" ®\"\n\
             [[rule]]\nname = \"cut\"\naction = \"cut_before\"\nline = \"Start\"\n",
        )
    }

    #[test]
    fn removals_point_at_the_removed_text() {
        let rules = rules("[[rule]]\nname = \"s\"\nline = \"Share\"\n");
        let text = "Body\n\nShare\n";
        let (_, removals) = strip(&rules, text);
        assert_eq!(removals.len(), 1);
        assert_eq!(&text[removals[0].span.clone()], "Share");
        assert_eq!(removals[0].line, 3);
    }
}
