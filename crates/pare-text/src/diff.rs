//! Unified diffs of what cleaning would change, each removed line annotated with the rule that
//! removed it.

use std::collections::HashMap;
use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use crate::clean::Cleaned;
use crate::normalize::normalize_line;
use crate::strip::{Removal, RemovalKind};

/// Lines of context around each change.
const CONTEXT_LINES: usize = 3;

/// A unified diff from `original` (the input as read) to the cleaned text, or `None` when
/// nothing changes. With `annotate`, removed lines that a rule took out end with
/// `\t# rule: NAME`, followed by the reason in parentheses where the rule gives one (the body
/// detector does), and lose a carriage return before it; without, the diff is a plain patch
/// that `patch` and `git apply` accept.
pub fn unified_diff(name: &str, original: &str, cleaned: &Cleaned, annotate: bool) -> Option<String> {
    if original == cleaned.text() {
        return None;
    }
    let rule_of_line = rule_by_removed_line(cleaned);
    let diff = TextDiff::from_lines(original, cleaned.text());
    let mut out = String::new();
    // An absolute path keeps one slash after the prefix: `a/srv/x.txt`, not `a//srv/x.txt`.
    let path = name.strip_prefix('/').unwrap_or(name);
    let _ = writeln!(out, "--- a/{path}\n+++ b/{path}");
    for hunk in diff.unified_diff().context_radius(CONTEXT_LINES).iter_hunks() {
        let _ = writeln!(out, "{}", hunk.header());
        for change in hunk.iter_changes() {
            let line = change.value();
            let line = line.strip_suffix('\n').unwrap_or(line);
            let sign = match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            out.push(sign);
            let removal = (annotate && change.tag() == ChangeTag::Delete)
                .then(|| rule_of_line.get(normalize_line(line).as_str()))
                .flatten();
            match removal {
                Some(removal) => {
                    // A carriage return before the note would send a terminal's cursor back
                    // over the line.
                    out.push_str(line.strip_suffix('\r').unwrap_or(line));
                    let _ = write!(out, "\t# rule: {}", removal.rule);
                    if let Some(reason) = &removal.reason {
                        let _ = write!(out, " ({reason})");
                    }
                }
                None => out.push_str(line),
            }
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    Some(out)
}

/// Maps the normalised text of each line a rule touched to the removal.
fn rule_by_removed_line(cleaned: &Cleaned) -> HashMap<&str, &Removal> {
    let normalized = cleaned.normalized();
    cleaned
        .removals()
        .iter()
        .map(|removal| {
            let line = match removal.kind {
                RemovalKind::Line => &normalized[removal.span.clone()],
                RemovalKind::Suffix => {
                    let start = normalized[..removal.span.start].rfind('\n').map_or(0, |n| n + 1);
                    let end = normalized[removal.span.end..]
                        .find('\n')
                        .map_or(normalized.len(), |n| removal.span.end + n);
                    &normalized[start..end]
                }
            };
            (line, removal)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, RuleSet};

    #[test]
    fn removed_lines_name_their_rule() {
        let cleaner = Cleaner::new(RuleSet::default_rules());
        let original = "Body text.\nAdvertisement\n";
        let diff = unified_diff("x.txt", original, &cleaner.clean(original), true).unwrap();
        assert!(diff.starts_with("--- a/x.txt\n+++ b/x.txt\n@@ "), "{diff}");
        assert!(diff.contains("-Advertisement\t# rule: advertisement\n"), "{diff}");
        assert!(diff.contains(" Body text.\n"), "{diff}");
    }

    #[test]
    fn whitespace_only_changes_show_without_a_rule() {
        let cleaner = Cleaner::new(RuleSet::empty());
        let original = "Body  text.";
        let diff = unified_diff("x.txt", original, &cleaner.clean(original), true).unwrap();
        assert!(
            diff.contains("-Body  text.\n\\ No newline at end of file\n+Body text.\n"),
            "{diff}"
        );
    }

    #[test]
    fn notes_follow_the_line_without_its_carriage_return_and_plain_diffs_keep_it() {
        let cleaner = Cleaner::new(RuleSet::default_rules());
        let original = "Body text.\r\nAdvertisement\r\n";
        let cleaned = cleaner.clean(original);
        let diff = unified_diff("/srv/x.txt", original, &cleaned, true).unwrap();
        assert!(diff.starts_with("--- a/srv/x.txt\n+++ b/srv/x.txt\n"), "{diff}");
        assert!(
            diff.contains("-Advertisement\t# rule: advertisement\n"),
            "{diff:?}"
        );
        let plain = unified_diff("/srv/x.txt", original, &cleaned, false).unwrap();
        assert!(plain.contains("-Advertisement\r\n"), "{plain:?}");
        assert!(!plain.contains("# rule"), "{plain}");
    }

    #[test]
    fn unchanged_text_has_no_diff() {
        let cleaner = Cleaner::new(RuleSet::default_rules());
        assert!(unified_diff("x", "Body.\n", &cleaner.clean("Body.\n"), true).is_none());
    }
}
