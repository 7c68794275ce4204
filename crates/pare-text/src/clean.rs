//! The cleaning function itself: normalise, then strip by rules. This is the library's entry
//! point for other Rust programs; it never touches files and never prints.

use std::ops::Range;
use std::sync::Arc;

use crate::detect::markup::LineMarkup;
use crate::detect::PassMemo;
use crate::detect::{DetectMode, Detector};
use crate::html::{self, HtmlText};
use crate::normalize::normalize;
use crate::rules::RuleSet;
use crate::strip::{strip_document, PassedOver, Removal, RemovalKind};

/// Cleans documents with one compiled rule set. Build it once and share it across threads.
///
/// ```
/// let cleaner = pare_text::Cleaner::new(pare_text::RuleSet::default_rules());
/// let cleaned = cleaner.clean("Share\r\nThe body of the story.\u{A0}\r\n\r\n\r\nAdvertisement\r\n");
/// assert_eq!(cleaned.text(), "The body of the story.\n");
/// let rules: Vec<&str> = cleaned.removals().iter().map(|r| &*r.rule).collect();
/// assert_eq!(rules, ["share-buttons", "advertisement"]);
/// ```
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: RuleSet,
    detector: Option<Detector>,
    /// Whether the detector says why it removes each line (see [`Cleaner::with_reasons`]).
    reasons: bool,
    /// Per group (site): the cleaner's rules followed by the group's own.
    groups: std::collections::HashMap<String, RuleSet>,
    /// How many passes of the rules and the detector a document gets at most.
    max_passes: usize,
}

/// A fingerprint of the cleaning code (every file of the `pare-text` crate), made when it is built.
pub const CODE_FINGERPRINT: &str = env!("PARE_TEXT_FINGERPRINT");

/// How many passes of the rules and the detector a document gets at most. Real pages settle
/// in two or three; a document that would peel a line or two per pass for longer stops here,
/// so that cleaning time stays linear in a document's size.
pub const MAX_PASSES: usize = 12;

impl Cleaner {
    /// A cleaner that applies `rules` after normalisation, without the body detector.
    pub fn new(rules: RuleSet) -> Cleaner {
        Cleaner {
            rules,
            detector: None,
            reasons: true,
            groups: Default::default(),
            max_passes: MAX_PASSES,
        }
    }

    /// Runs the body detector in `mode` after the rules.
    pub fn with_detect(self, mode: DetectMode) -> Cleaner {
        self.with_detector(Detector::new(mode))
    }

    /// Runs the given body detector (or none) after the rules.
    pub fn with_detector(mut self, detector: Option<Detector>) -> Cleaner {
        self.detector = detector;
        self
    }

    /// Whether each line the body detector removes carries its reason in words (the default),
    /// as ledgers and annotated diffs show; without, cleaning is a little faster and the
    /// detector's removals have no reason. The output text is the same either way.
    pub fn with_reasons(mut self, reasons: bool) -> Cleaner {
        self.reasons = reasons;
        self
    }

    /// Adds a profile: its common rules apply to every document, its group rules to the
    /// documents of that group (see [`Cleaner::clean_in`]). Fails when the rules together are
    /// too large to compile.
    pub fn with_profile(
        mut self,
        profile: crate::rules::Profile,
    ) -> Result<Cleaner, crate::rules::RuleError> {
        self.rules.extend(profile.common)?;
        for (name, rules) in profile.groups {
            let mut combined = self.rules.clone();
            combined.extend(rules)?;
            self.groups.insert(name, combined);
        }
        Ok(self)
    }

    /// Whether a profile gave rules for any group.
    pub fn has_groups(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Whether the site (group) a document is said to be of can change how it is cleaned: a
    /// profile gave rules for some site, or a built-in profile recognises its site by host.
    pub fn site_matters(&self) -> bool {
        self.has_groups() || self.rules.recognises_hosts()
    }

    /// Whether a profile gave rules for the group `name`.
    pub fn has_group(&self, name: &str) -> bool {
        self.groups.contains_key(name)
    }

    /// The names of the groups a profile gave rules for, sorted.
    pub fn group_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.groups.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    /// The rules this cleaner applies.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Everything that decides this cleaner's output, for fingerprints of what produced an
    /// output: rules, group rules, detector, and a fingerprint of the cleaning code itself
    /// (its phrase lists and model included), which changes with any change to it.
    pub fn description(&self) -> String {
        let groups: std::collections::BTreeMap<_, _> = self.groups.iter().collect();
        format!(
            "{} {:?} {groups:?} {:?} {}",
            CODE_FINGERPRINT,
            self.rules.rules(),
            self.detector,
            self.max_passes
        )
    }

    /// Gives each document at most `passes` passes of the rules and the detector (at least
    /// one); [`MAX_PASSES`] by default.
    pub fn with_max_passes(mut self, passes: usize) -> Cleaner {
        self.max_passes = passes.max(1);
        self
    }

    /// Cleans one document.
    pub fn clean(&self, text: &str) -> Cleaned {
        self.clean_in(text, None)
    }

    /// Cleans the text of an HTML page ([`read_html`](crate::html::read_html)) of
    /// `group`: the lines its markup places outside the article go first (rule
    /// [`html::RULE_NAME`], the region as the reason), then the rest is cleaned as
    /// [`Cleaner::clean_in`] cleans any text, except that the detector also knows what the markup
    /// says of each line ([`Cleaner::clean_marked`]). The rules and the detector so see the page
    /// as its output reads.
    pub fn clean_page(&self, page: &HtmlText, group: Option<&str>) -> Cleaned {
        let normalized = normalize(&page.text);
        let mut document = strip_document(&RuleSet::empty(), &normalized);
        let markup = (page.markup.len() == document.line_count()).then_some(&page.markup[..]);
        if page.regions.len() != document.line_count() || page.regions.iter().all(Option::is_none) {
            return self.clean_marked(&page.text, group, markup);
        }
        let rule: Arc<str> = Arc::from(html::RULE_NAME);
        for (index, region) in page.regions.iter().enumerate() {
            if let Some(region) = region {
                document.remove(index, rule.clone(), Some(region.reason()));
            }
        }
        let (rest, mut removals, origins) = document.finish_mapped();
        let rest_markup = markup.map(|markup| markup_by_origin(markup, &origins));
        let cleaned = self.clean_marked(&rest, group, rest_markup.as_deref());
        if cleaned.normalized != rest {
            // The rest is normalised as it is (an output of `strip`); never otherwise.
            return self.clean_marked(&page.text, group, markup);
        }
        let original_starts = line_starts(&normalized);
        let map = LineMap::new(&origins, &original_starts, &rest, normalized.len());
        removals.extend(
            cleaned
                .removals
                .into_iter()
                .filter_map(|removal| map.removal(removal)),
        );
        let mut passed_over = cleaned.passed_over;
        for passed in &mut passed_over {
            if let Some((line, span)) = map.place(passed.line, passed.span.clone()) {
                (passed.line, passed.span) = (line, span);
            }
        }
        drop_end_marks_of_removed_lines(&mut removals);
        removals.sort_by_key(|removal| (removal.line, removal.span.start));
        Cleaned {
            normalized,
            text: cleaned.text,
            removals,
            passed_over,
        }
    }

    /// Cleans one document of `group` (a site), with that group's rules when there are some.
    pub fn clean_in(&self, text: &str, group: Option<&str>) -> Cleaned {
        self.clean_marked(text, group, None)
    }

    /// Like [`Cleaner::clean_in`], with what a page's markup says of each line of `text` (as
    /// numbered once normalised) given to the detector; markup for another number of lines is
    /// not used.
    pub fn clean_marked(&self, text: &str, group: Option<&str>, markup: Option<&[LineMarkup]>) -> Cleaned {
        let rules = group
            .and_then(|group| self.groups.get(group))
            .unwrap_or(&self.rules);
        let normalized = normalize(text);
        let rules = rules.for_document(&normalized, group);
        let mut document = strip_document(rules, &normalized);
        let passed_over = document.take_passed_over();
        let Some(detector) = &self.detector else {
            let finished = document.finish();
            return Cleaned::new(normalized, finished, passed_over);
        };
        let before = document.removal_count();
        let markup = markup.filter(|markup| markup.len() == document.line_count());
        let mut memo = PassMemo::default();
        detector.apply_explained(&mut document, &mut memo, self.reasons, markup);
        if document.removal_count() == before {
            let finished = document.finish();
            return Cleaned::new(normalized, finished, passed_over);
        }
        // The detector judges lines by their neighbours, so removing some can change its view
        // of the rest. Passes repeat on their own output until one changes nothing, which
        // makes cleaning idempotent: cleaning the output again finds nothing to remove. Real
        // pages settle in two or three passes; odd ones peel a line or two per pass for longer,
        // and stop at `max_passes` with what the last pass left (then a second cleaning may
        // find a little more to remove).
        let (mut text, mut removals, mut origins) = document.finish_mapped();
        let original_starts = line_starts(&normalized);
        for _ in 1..self.max_passes {
            let mut document = strip_document(rules, &text);
            let pass_markup = markup.map(|markup| markup_by_origin(markup, &origins));
            detector.apply_explained(&mut document, &mut memo, self.reasons, pass_markup.as_deref());
            if document.removal_count() == 0 {
                break;
            }
            let (next_text, next_removals, next_origins) = document.finish_mapped();
            let map = LineMap::new(&origins, &original_starts, &text, normalized.len());
            removals.extend(
                next_removals
                    .into_iter()
                    .filter_map(|removal| map.removal(removal)),
            );
            origins = next_origins
                .iter()
                .map(|line| line.and_then(|line| origins[line]))
                .collect();
            text = next_text;
        }
        drop_end_marks_of_removed_lines(&mut removals);
        removals.sort_by_key(|removal| (removal.line, removal.span.start));
        // A cut passed over at first may be made in a later pass, once the detector has taken
        // text it would have cut: then it was not passed over.
        let made = |passed: &PassedOver| {
            (removals.iter()).any(|removal| removal.line == passed.line && removal.rule == passed.rule)
        };
        let passed_over = passed_over.into_iter().filter(|passed| !made(passed)).collect();
        Cleaned {
            normalized,
            text,
            removals,
            passed_over,
        }
    }
}

/// The markup of each line of a pass's text, from the `markup` of the lines they come from
/// (`origins`); a line that comes from none (a blank line standing for several) has none.
fn markup_by_origin(markup: &[LineMarkup], origins: &[Option<usize>]) -> Vec<LineMarkup> {
    (origins.iter())
        .map(|line| line.map_or_else(LineMarkup::default, |line| markup[line]))
        .collect()
}

/// Where the lines of a later pass's text stand in the original normalised text.
struct LineMap<'a> {
    /// Per line of the pass's text: its line in the original, if it has one.
    origins: &'a [Option<usize>],
    /// Where each line of the original starts.
    original_starts: &'a [usize],
    /// Where each line of the pass's text starts.
    pass_starts: Vec<usize>,
    /// The original's length in bytes.
    len: usize,
}

impl<'a> LineMap<'a> {
    fn new(origins: &'a [Option<usize>], original_starts: &'a [usize], pass_text: &str, len: usize) -> Self {
        LineMap {
            origins,
            original_starts,
            pass_starts: line_starts(pass_text),
            len,
        }
    }

    /// Line `line` (from 1) of the pass's text and a byte range on it, as the line and range
    /// they are in the original; `None` for a line with no origin.
    fn place(&self, line: usize, span: Range<usize>) -> Option<(usize, Range<usize>)> {
        let origin = (*self.origins.get(line - 1)?)?;
        let shift = self.original_starts[origin] as isize - self.pass_starts[line - 1] as isize;
        let rebase = |offset: usize| (offset as isize + shift) as usize;
        Some((origin + 1, rebase(span.start)..rebase(span.end)))
    }

    /// A removal made in the pass, numbered and placed in the original.
    fn removal(&self, mut removal: Removal) -> Option<Removal> {
        (removal.line, removal.span) = self.place(removal.line, removal.span.clone())?;
        if removal.kind == RemovalKind::Line {
            // The whole line, with any end mark an earlier pass cut from it.
            removal.span.end = (self.original_starts.get(removal.line)).map_or(self.len, |next| next - 1);
        }
        Some(removal)
    }
}

/// An end mark cut in one pass from a line that a later pass removed is part of that line's
/// removal, as it is when both happen in one pass.
fn drop_end_marks_of_removed_lines(removals: &mut Vec<Removal>) {
    let cut_lines: Vec<usize> = (removals.iter())
        .filter(|removal| removal.kind == RemovalKind::Suffix)
        .map(|removal| removal.line)
        .collect();
    if cut_lines.is_empty() {
        return;
    }
    let removed_whole: Vec<usize> = (removals.iter())
        .filter(|removal| removal.kind == RemovalKind::Line && cut_lines.contains(&removal.line))
        .map(|removal| removal.line)
        .collect();
    removals.retain(|removal| removal.kind == RemovalKind::Line || !removed_whole.contains(&removal.line));
}

/// Byte offset of the start of each line.
fn line_starts(text: &str) -> Vec<usize> {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut starts = Vec::with_capacity(newlines.clone().count() + 1);
    starts.push(0);
    starts.extend(newlines.map(|at| at + 1));
    starts
}

/// The result of cleaning one document.
#[derive(Debug, Clone)]
pub struct Cleaned {
    normalized: String,
    text: String,
    removals: Vec<Removal>,
    passed_over: Vec<PassedOver>,
}

impl Cleaned {
    fn new(
        normalized: String,
        (text, removals): (String, Vec<Removal>),
        passed_over: Vec<PassedOver>,
    ) -> Cleaned {
        Cleaned {
            normalized,
            text,
            removals,
            passed_over,
        }
    }

    /// The clean text: normalised, chrome removed, ending in one newline (or empty).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Consumes the result, returning the clean text.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The input after normalisation only; removal spans point into it.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// What was removed and by which rule, in line order.
    pub fn removals(&self) -> &[Removal] {
        &self.removals
    }

    /// The learned cuts not made in this document because they would have taken most of its
    /// running text, in line order.
    pub fn passed_over(&self) -> &[PassedOver] {
        &self.passed_over
    }

    /// The text a removal took out.
    pub fn removed_text(&self, removal: &Removal) -> &str {
        &self.normalized[removal.span.clone()]
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn an_end_mark_on_a_line_removed_whole_goes_with_that_line() {
        let removal = |line, kind| Removal {
            line,
            span: 0..1,
            rule: Arc::from("rule"),
            kind,
            reason: None,
        };
        let mut removals = vec![
            removal(3, RemovalKind::Suffix),
            removal(3, RemovalKind::Line),
            removal(5, RemovalKind::Suffix),
            removal(4, RemovalKind::Line),
        ];
        drop_end_marks_of_removed_lines(&mut removals);
        let left: Vec<(usize, RemovalKind)> = removals
            .iter()
            .map(|removal| (removal.line, removal.kind))
            .collect();
        assert_eq!(
            left,
            [
                (3, RemovalKind::Line),
                (5, RemovalKind::Suffix),
                (4, RemovalKind::Line)
            ]
        );
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;
    use crate::html::read_html;

    #[test]
    fn a_page_s_title_and_navigation_go_first_with_their_regions_as_the_reasons() {
        let page = read_html(
            b"<title>Gazette</title><nav><a>Weather</a></nav>\
              <p>The council closed the old bridge on Monday after engineers found cracks.</p>",
        )
        .unwrap();
        let cleaned = Cleaner::new(RuleSet::default_rules()).clean_page(&page, None);
        assert_eq!(
            cleaned.text(),
            "The council closed the old bridge on Monday after engineers found cracks.\n"
        );
        let removals: Vec<_> = (cleaned.removals().iter())
            .map(|removal| (removal.line, &*removal.rule, removal.reason.clone()))
            .collect();
        assert_eq!(
            removals,
            [
                (1, html::RULE_NAME, Some(html::Region::Title.reason())),
                (3, html::RULE_NAME, Some(html::Region::Navigation.reason()))
            ]
        );
    }
}

#[cfg(test)]
mod fingerprint_tests {
    use super::*;

    #[test]
    fn a_cleaners_description_carries_the_fingerprint_of_the_cleaning_code() {
        assert_eq!(CODE_FINGERPRINT.len(), 16);
        assert!(CODE_FINGERPRINT.bytes().all(|b| b.is_ascii_hexdigit()));
        let description = Cleaner::new(RuleSet::default_rules()).description();
        assert!(description.starts_with(CODE_FINGERPRINT), "{description}");
    }
}

#[cfg(test)]
mod pass_cap_tests {
    use super::*;
    use crate::detect::DetectMode;

    fn cleaner() -> Cleaner {
        Cleaner::new(RuleSet::default_rules()).with_detect(DetectMode::Standard)
    }

    /// How many passes `text` takes to settle (up to `limit`).
    fn passes(text: &str, limit: usize) -> usize {
        let full = cleaner().clean(text);
        (1..limit)
            .find(|&passes| cleaner().with_max_passes(passes).clean(text).text() == full.text())
            .unwrap_or(limit)
    }

    /// The first of a deterministic series of pages (menu lines, paragraphs, short lines after
    /// them) that takes at least three passes to settle. Searched for rather than written
    /// down, so that the test does not hang on the detector's weights of the day.
    fn a_page_that_takes_three_passes() -> String {
        const SHORT: [&str; 10] = [
            "Home",
            "News",
            "Read more",
            "Photo: Jane Doe",
            "Monday 3 May",
            "12 comments",
            "Weather today: rain, 12C",
            "Tags: council, bridge",
            "Subscribe",
            "A short note.",
        ];
        const SENTENCE: &str = "The council closed the old bridge on Monday after engineers found cracks in \
                                two of its piers, and repairs will take most of the summer.";
        let mut state: u64 = 7;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        for _ in 0..5000 {
            let mut lines: Vec<String> = (0..next(6))
                .map(|_| SHORT[next(SHORT.len())].to_string())
                .collect();
            for part in 0..1 + next(4) {
                lines.push(format!("{SENTENCE} Part {part}."));
            }
            for _ in 0..next(10) {
                let line = match next(3) {
                    0 => format!("{SENTENCE} More."),
                    _ => SHORT[next(SHORT.len())].to_string(),
                };
                lines.push(line);
            }
            let text = lines.join("\n") + "\n";
            if passes(&text, MAX_PASSES) >= 3 {
                return text;
            }
        }
        panic!("no page of the series takes three passes");
    }

    #[test]
    fn a_document_stops_at_the_pass_cap_with_what_its_last_pass_left() {
        let text = a_page_that_takes_three_passes();
        let full = cleaner().clean(&text);
        let capped = cleaner().with_max_passes(2).clean(&text);
        assert_ne!(capped.text(), full.text(), "{text}");
        assert!(capped.removals().len() < full.removals().len());
        // What the cap left is still the input's lines, each removal explained, and a second
        // cleaning finds the rest: the cap trades idempotence for bounded work.
        let input_lines: Vec<&str> = text.lines().collect();
        assert!(capped
            .text()
            .lines()
            .all(|line| line.is_empty() || input_lines.contains(&line)));
        assert!(!cleaner().clean(capped.text()).removals().is_empty());
        // Under the default cap the page settles and cleaning is idempotent.
        assert!(passes(&text, MAX_PASSES) < MAX_PASSES);
        assert!(cleaner().clean(full.text()).removals().is_empty());
    }
}
