//! The TOML rule-file format: what a rule file and a profile may hold ([`RuleFile`],
//! [`RuleSpec`], [`GroupSpec`]), reading and parsing them, and the errors they can give
//! ([`RuleError`]). Compiling rules is [`crate::rules`]'s job.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::recognise::RecogniseSpec;

/// What a rule does with the lines it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Remove the matching line.
    #[default]
    Drop,
    /// Remove the first matching line and everything after it.
    CutAfter,
    /// Remove the last matching line and everything before it.
    CutBefore,
    /// Remove `suffix` from the end of the last remaining line.
    StripSuffix,
}

/// Where in a document a `drop` rule may remove lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Anywhere.
    #[default]
    Any,
    /// Only at the top edge: every line above the match is blank or removed too.
    Head,
    /// Only at the bottom edge: every line below the match is blank or removed too.
    Tail,
    /// At either edge.
    Edge,
}

impl Scope {
    pub(crate) fn allows_head(self) -> bool {
        matches!(self, Scope::Any | Scope::Head | Scope::Edge)
    }

    pub(crate) fn allows_tail(self) -> bool {
        matches!(self, Scope::Any | Scope::Tail | Scope::Edge)
    }
}

/// One `[[rule]]` table as written in a rule file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The rule's name, as the ledger and report show it.
    pub name: String,
    /// What the rule does (`drop` unless given).
    #[serde(default, skip_serializing_if = "is_default")]
    pub action: Action,
    /// The whole line it matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The start of the lines it matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// A regular expression whole lines must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The text `strip_suffix` removes from the last line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
    /// Match without regard to case.
    #[serde(default, skip_serializing_if = "is_default")]
    pub ignore_case: bool,
    /// Where a `drop` rule may remove lines.
    #[serde(default, skip_serializing_if = "is_default")]
    pub scope: Scope,
    /// Why the rule exists (learned profiles say how often the line was seen); not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// How a profile's groups name the documents they are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyedBy {
    /// The host of a JSONL record's `url`.
    Host,
    /// A text file's folder.
    Folder,
}

/// A whole rule file.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// How the groups are keyed (profiles `pare learn` writes say so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyed_by: Option<KeyedBy>,
    /// What the rules are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rules for every document.
    #[serde(default, rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
    /// Rules for the documents of one group (site) each.
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSpec>,
    /// How a built-in profile recognises its site's pages (built-in profiles only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognise: Option<RecogniseSpec>,
}

/// A `[[group]]` of a profile: rules for the documents of one site.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// The group's name: a site's host or folder.
    pub name: String,
    /// How many documents the group was learned from; not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<u64>,
    /// The group's rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// A function that turns a message into an error of `kind` about `origin`.
pub(crate) fn rule_error(origin: &str, kind: RuleErrorKind) -> impl Fn(String) -> RuleError + '_ {
    move |message| RuleError {
        origin: origin.to_string(),
        kind,
        message,
    }
}

/// Reads a rule or profile file; returns its name for messages and its text.
pub(crate) fn read_source(path: &Path) -> Result<(String, String), RuleError> {
    let origin = path.display().to_string();
    let source = (std::fs::read_to_string(path))
        .map_err(|err| rule_error(&origin, RuleErrorKind::Unreadable)(err.to_string()))?;
    Ok((origin, source))
}

pub(crate) fn parse_source(origin: &str, source: &str) -> Result<RuleFile, RuleError> {
    toml::from_str(source)
        .map_err(|err| rule_error(origin, RuleErrorKind::Syntax)(toml_error_message(&err, source)))
}

/// Parses a user's rule file or profile: as [`parse_source`], but a `[recognise]` table is
/// refused, since only built-in profiles recognise their site's pages.
pub(crate) fn parse_user_source(origin: &str, source: &str) -> Result<RuleFile, RuleError> {
    let file = parse_source(origin, source)?;
    if file.recognise.is_some() {
        return Err(rule_error(origin, RuleErrorKind::Invalid)(
            "[recognise] is for built-in profiles only".to_string(),
        ));
    }
    Ok(file)
}

/// A TOML error in `source` on one line, as every other message: `line 3, column 10: invalid
/// string`.
pub fn toml_error_message(err: &toml::de::Error, source: &str) -> String {
    let message = (err.message().lines())
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let Some(span) = err.span() else {
        return message;
    };
    let before = &source.as_bytes()[..span.start.min(source.len())];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |at| at + 1);
    let column = 1 + String::from_utf8_lossy(&before[line_start..]).chars().count();
    format!("line {line}, column {column}: {message}")
}

/// A rule file could not be used. The message names the rule where one is at fault.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct RuleError {
    /// Where the rules came from: a path, or `profile NAME`.
    pub origin: String,
    /// What kind of fault it is.
    pub kind: RuleErrorKind,
    /// What is wrong.
    pub message: String,
}

/// The kinds of [`RuleError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleErrorKind {
    /// The file could not be read.
    Unreadable,
    /// The file is not valid TOML, or not in the rule format.
    Syntax,
    /// A rule, or the file's make-up, is wrong: a rule defined twice, a bad pattern or regex,
    /// sections where they do not belong.
    Invalid,
    /// No built-in profile has the name.
    UnknownProfile,
    /// Each set of rules is fine, but their regexes together are too large to compile.
    TooLargeTogether,
}
