//! Chrome rules: built-in profiles, site profiles, and the compiled [`RuleSet`] (the file
//! format they are read from is [`crate::rule_file`]'s, re-exported here).
//!
//! A rule file is an ordered list of named rules. Each rule matches *whole normalised lines*
//! (by exact text, prefix or regex) and says what to do with a match: drop the line, cut
//! everything after it, cut everything before it, or (for `strip_suffix`) remove an end mark
//! from the last remaining line. Applying a rule set to a document is [`crate::strip`]'s job.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexSet};

use crate::per_thread::PerThread;
use crate::recognise::Signature;
use crate::rule_file::{parse_source, parse_user_source, read_source, rule_error};
pub use crate::rule_file::{
    toml_error_message, Action, GroupSpec, KeyedBy, RuleError, RuleErrorKind, RuleFile, RuleSpec, Scope,
};

/// A profile: rules for all documents, and rules for the documents of each group (site), as
/// `pare learn` writes them.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Rules for every document.
    pub common: RuleSet,
    /// Rules by group name.
    pub groups: std::collections::BTreeMap<String, RuleSet>,
    /// How the groups are keyed, when the profile says.
    pub keyed_by: Option<KeyedBy>,
}

impl Profile {
    /// Reads a profile file.
    pub fn from_file(path: &Path) -> Result<Profile, RuleError> {
        let (origin, source) = read_source(path)?;
        Profile::from_toml(&origin, &source)
    }

    /// Parses a profile; `origin` names the source in errors.
    pub fn from_toml(origin: &str, source: &str) -> Result<Profile, RuleError> {
        let error = rule_error(origin, RuleErrorKind::Invalid);
        let file = parse_user_source(origin, source)?;
        let common = RuleSet::from_specs(file.rules).map_err(&error)?.learned();
        let mut groups = std::collections::BTreeMap::new();
        for group in file.groups {
            let rules = RuleSet::from_specs(group.rules)
                .map_err(|message| error(format!("group '{}': {message}", group.name)))?
                .learned();
            if groups.insert(group.name.clone(), rules).is_some() {
                return Err(error(format!("group '{}' is defined twice", group.name)));
            }
        }
        Ok(Profile {
            common,
            groups,
            keyed_by: file.keyed_by,
        })
    }
}

/// How a rule recognises a line.
#[derive(Debug, Clone)]
enum Pattern {
    Exact(String),
    Prefix(String),
    Regex(String),
}

/// A rule after validation. Read-only view for reports and listings.
#[derive(Debug, Clone)]
pub struct Rule {
    name: Arc<str>,
    /// Learned from a corpus (a profile's rules): a cut is passed over in a document where it
    /// would take most of the running text.
    learned: bool,
    action: Action,
    scope: Scope,
    ignore_case: bool,
    pattern: Option<Pattern>,
    suffix: Option<String>,
}

impl Rule {
    /// The rule's name, as reported in diffs, ledgers and reports.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// What the rule does.
    pub fn action(&self) -> Action {
        self.action
    }

    /// Where the rule applies.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Whether the rule came from a profile, learned from a corpus (see [`RuleSet::learned`]).
    pub fn is_learned(&self) -> bool {
        self.learned
    }

    pub(crate) fn suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    fn from_spec(spec: RuleSpec) -> Result<Rule, String> {
        let fail = |what: &str| Err(format!("rule '{}': {what}", spec.name));
        if spec.name.trim().is_empty() {
            return Err("a rule has an empty name".to_string());
        }
        let mut patterns = Vec::new();
        if let Some(line) = &spec.line {
            patterns.push(Pattern::Exact(line.clone()));
        }
        if let Some(prefix) = &spec.prefix {
            patterns.push(Pattern::Prefix(prefix.clone()));
        }
        if let Some(regex) = &spec.regex {
            patterns.push(Pattern::Regex(regex.clone()));
        }
        if patterns.len() > 1 {
            return fail("give only one of `line`, `prefix` and `regex`");
        }
        let pattern = patterns.pop();
        match (spec.action, &pattern, &spec.suffix) {
            (Action::StripSuffix, None, Some(suffix)) if !suffix.trim().is_empty() => {}
            (Action::StripSuffix, _, _) => {
                return fail("`strip_suffix` takes a non-blank `suffix` and no line pattern")
            }
            (_, _, Some(_)) => return fail("`suffix` goes only with action = \"strip_suffix\""),
            (_, None, None) => return fail("give one of `line`, `prefix` or `regex`"),
            _ => {}
        }
        if spec.scope != Scope::Any && spec.action != Action::Drop {
            return fail("`scope` applies only to action = \"drop\"");
        }
        match &pattern {
            Some(Pattern::Exact(text) | Pattern::Prefix(text)) if text.trim().is_empty() => {
                return fail("the pattern is empty");
            }
            Some(Pattern::Regex(source)) => {
                if let Err(err) = Regex::new(&anchored(source, spec.ignore_case)) {
                    // Said of the pattern as written, not of the anchored one compiled.
                    let err = Regex::new(source).err().unwrap_or(err).to_string();
                    // The regex crate draws the pattern over several lines; its last says why.
                    let why = err.lines().last().unwrap_or_default().trim();
                    let why = why.strip_prefix("error: ").unwrap_or(why);
                    return fail(&format!("bad regex {source:?}: {why}"));
                }
            }
            _ => {}
        }
        // Lines are compared after normalisation, so patterns are normalised the same way.
        let pattern = pattern.map(|pattern| match pattern {
            Pattern::Exact(text) => Pattern::Exact(crate::normalize::normalize_line(&text)),
            Pattern::Prefix(text) => Pattern::Prefix(crate::normalize::normalize_line(&text)),
            regex => regex,
        });
        Ok(Rule {
            name: Arc::from(spec.name.as_str()),
            learned: false,
            action: spec.action,
            scope: spec.scope,
            ignore_case: spec.ignore_case,
            pattern,
            suffix: spec.suffix,
        })
    }
}

fn anchored(source: &str, ignore_case: bool) -> String {
    let flags = if ignore_case { "(?i)" } else { "" };
    format!("{flags}^(?:{source})$")
}

/// Built-in rule sets, compiled into the binary. `default` is on unless disabled.
const BUILTIN_PROFILES: &[(&str, &str)] = &[
    ("default", include_str!("profiles/default.toml")),
    ("apnews", include_str!("profiles/apnews.toml")),
    ("bbc", include_str!("profiles/bbc.toml")),
    ("guardian", include_str!("profiles/guardian.toml")),
    ("theregister", include_str!("profiles/theregister.toml")),
];

/// A built-in profile that recognises its site's pages, with its rules.
#[derive(Debug)]
pub struct Recogniser {
    /// The profile's name.
    pub name: &'static str,
    /// What tells its site's pages.
    pub signature: Signature,
    /// The profile's own rules.
    pub rules: RuleSet,
}

/// Every built-in profile with a `[recognise]` table, compiled once.
pub fn builtin_recognisers() -> &'static [Arc<Recogniser>] {
    static RECOGNISERS: std::sync::LazyLock<Vec<Arc<Recogniser>>> = std::sync::LazyLock::new(|| {
        (BUILTIN_PROFILES.iter())
            .filter_map(|(name, source)| {
                // Each file read once: its [recognise] table, then its rules.
                let file = parse_source(&format!("profile {name}"), source)
                    .expect("the built-in profiles are valid");
                let spec = file.recognise?;
                Some(Arc::new(Recogniser {
                    name,
                    signature: Signature::new(&spec),
                    rules: RuleSet::from_builtin_specs(name, file.rules)
                        .expect("the built-in profiles are valid"),
                }))
            })
            .collect()
    });
    &RECOGNISERS
}

/// Name and one-line description of each built-in profile, in name order after `default`.
pub fn builtin_profiles() -> Vec<(&'static str, String)> {
    BUILTIN_PROFILES
        .iter()
        .map(|(name, source)| {
            let description = toml::from_str::<RuleFile>(source)
                .ok()
                .and_then(|file| file.description)
                .unwrap_or_default();
            (*name, description)
        })
        .collect()
}

/// An ordered list of rules, compiled for matching whole lines fast.
///
/// ```
/// let rules = pare_text::RuleSet::from_toml("inline", r#"
/// [[rule]]
/// name = "share"
/// line = "Share this"
/// "#).unwrap();
/// assert_eq!(rules.rules().len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    matcher: LineMatcher,
    /// The built-in profiles whose rules this set holds.
    profiles: Vec<String>,
    /// Built-in profiles that recognise their site's pages, for the documents they recognise
    /// (only the default rules have them).
    recognisers: Vec<Recognised>,
}

/// A built-in profile that recognises its pages, and this rule set with the profile's rules
/// added after its own, made when a document first needs it.
#[derive(Debug, Clone)]
struct Recognised {
    by: Arc<Recogniser>,
    with_its_rules: OnceLock<Option<Arc<RuleSet>>>,
}

impl Recognised {
    fn new(by: &Arc<Recogniser>) -> Recognised {
        Recognised {
            by: Arc::clone(by),
            with_its_rules: OnceLock::new(),
        }
    }
}

impl RuleSet {
    /// An empty rule set: cleaning with it only normalises.
    pub fn empty() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in rules for chrome common across news sites, and the built-in site profiles
    /// that recognise their own pages (see [`crate::recognise`]).
    pub fn default_rules() -> RuleSet {
        let mut rules = RuleSet::builtin("default").expect("the built-in default rules are valid");
        rules.recognisers = builtin_recognisers().iter().map(Recognised::new).collect();
        rules
    }

    /// A built-in profile by name (see [`builtin_profiles`]).
    pub fn builtin(name: &str) -> Result<RuleSet, RuleError> {
        let Some((_, source)) = BUILTIN_PROFILES.iter().find(|(known, _)| *known == name) else {
            let known: Vec<&str> = BUILTIN_PROFILES.iter().map(|(name, _)| *name).collect();
            return Err(RuleError {
                origin: format!("profile {name}"),
                kind: RuleErrorKind::UnknownProfile,
                message: format!("no such built-in profile (known: {})", known.join(", ")),
            });
        };
        let origin = format!("profile {name}");
        RuleSet::from_builtin_specs(name, parse_source(&origin, source)?.rules)
    }

    /// The compiled rules of the built-in profile `name`, marked as that profile's.
    fn from_builtin_specs(name: &str, specs: Vec<RuleSpec>) -> Result<RuleSet, RuleError> {
        let origin = format!("profile {name}");
        let mut rules = RuleSet::from_specs(specs).map_err(rule_error(&origin, RuleErrorKind::Invalid))?;
        rules.profiles = vec![name.to_string()];
        Ok(rules)
    }

    /// Reads a user rule file.
    pub fn from_file(path: &Path) -> Result<RuleSet, RuleError> {
        let (origin, source) = read_source(path)?;
        RuleSet::from_toml(&origin, &source)
    }

    /// Parses rules in the TOML rule-file format; `origin` names the source in errors.
    pub fn from_toml(origin: &str, source: &str) -> Result<RuleSet, RuleError> {
        let error = rule_error(origin, RuleErrorKind::Invalid);
        let file = parse_user_source(origin, source)?;
        if !file.groups.is_empty() {
            return Err(error(
                "has [[group]] sections: load it with --profile-file".to_string(),
            ));
        }
        RuleSet::from_specs(file.rules).map_err(error)
    }

    fn from_specs(specs: Vec<RuleSpec>) -> Result<RuleSet, String> {
        let mut seen = std::collections::HashSet::new();
        let mut rules = Vec::with_capacity(specs.len());
        for spec in specs {
            if !seen.insert(spec.name.clone()) {
                return Err(format!("rule '{}' is defined twice", spec.name));
            }
            rules.push(Rule::from_spec(spec)?);
        }
        RuleSet::from_rules(rules)
    }

    fn from_rules(rules: Vec<Rule>) -> Result<RuleSet, String> {
        let matcher = LineMatcher::new(&rules)?;
        Ok(RuleSet {
            rules,
            matcher,
            ..RuleSet::default()
        })
    }

    /// Appends another rule set's rules after this one's. Fails, leaving this set as it was,
    /// when the regexes of both together are too large to compile.
    pub fn extend(&mut self, other: RuleSet) -> Result<(), RuleError> {
        let rules: Vec<Rule> = self.rules.iter().chain(&other.rules).cloned().collect();
        let mut extended = RuleSet::from_rules(rules).map_err(rule_error(
            "rules added to the earlier ones",
            RuleErrorKind::TooLargeTogether,
        ))?;
        extended.profiles = self.profiles.iter().chain(&other.profiles).cloned().collect();
        // A profile given by name is applied to every document, so it need not be recognised.
        extended.recognisers = (self.recognisers.iter())
            .filter(|recognised| !extended.profiles.iter().any(|name| name == recognised.by.name))
            .map(|recognised| Recognised::new(&recognised.by))
            .collect();
        *self = extended;
        Ok(())
    }

    /// Whether a built-in profile among these rules recognises its site's pages by host.
    pub fn recognises_hosts(&self) -> bool {
        (self.recognisers.iter()).any(|recognised| recognised.by.signature.has_hosts())
    }

    /// The rules for one document of `group` with the (normalised) `text`: these, with the
    /// rules of a built-in profile that recognises the document's site added after them.
    pub(crate) fn for_document(&self, text: &str, group: Option<&str>) -> &RuleSet {
        for recognised in &self.recognisers {
            if !recognised.by.signature.recognises(text, group) {
                continue;
            }
            let with_its_rules = recognised.with_its_rules.get_or_init(|| {
                let mut rules = RuleSet {
                    recognisers: Vec::new(),
                    ..self.clone()
                };
                rules
                    .extend(recognised.by.rules.clone())
                    .ok()
                    .map(|()| Arc::new(rules))
            });
            if let Some(rules) = with_its_rules {
                return rules;
            }
        }
        self
    }

    /// The same rules, marked as learned from a corpus: where one of their cuts would take most
    /// of a document's running text, it is passed over in that document (see
    /// [`crate::strip`]).
    pub fn learned(mut self) -> RuleSet {
        self.rules.iter_mut().for_each(|rule| rule.learned = true);
        self
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Appends to `out` the indices of all line-matching rules that match `line`, in rule order.
    pub(crate) fn matching_rules(&self, line: &str, out: &mut Vec<usize>) {
        self.matcher.matching(line, out);
    }
}

/// Every line pattern of a rule set, compiled into lookups that cost about one hash and one
/// regex-set scan per line.
#[derive(Debug, Clone, Default)]
struct LineMatcher {
    exact: HashMap<String, Vec<usize>>,
    exact_folded: HashMap<String, Vec<usize>>,
    longest_exact: usize,
    prefixes: Vec<(String, bool, usize)>,
    regexes: Option<PerThread<RegexSet>>,
    regex_rules: Vec<usize>,
}

impl LineMatcher {
    fn new(rules: &[Rule]) -> Result<LineMatcher, String> {
        let mut matcher = LineMatcher::default();
        let mut regex_sources = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            match &rule.pattern {
                Some(Pattern::Exact(text)) => {
                    matcher.longest_exact = matcher.longest_exact.max(text.len());
                    let (map, key) = if rule.ignore_case {
                        (&mut matcher.exact_folded, text.to_lowercase())
                    } else {
                        (&mut matcher.exact, text.clone())
                    };
                    map.entry(key).or_default().push(index);
                }
                Some(Pattern::Prefix(text)) => {
                    let text = if rule.ignore_case {
                        text.to_lowercase()
                    } else {
                        text.clone()
                    };
                    matcher.prefixes.push((text, rule.ignore_case, index));
                }
                Some(Pattern::Regex(source)) => {
                    regex_sources.push(anchored(source, rule.ignore_case));
                    matcher.regex_rules.push(index);
                }
                None => {}
            }
        }
        if !regex_sources.is_empty() {
            // Each regex compiled on its own; together they may still pass the size limit.
            let set = RegexSet::new(&regex_sources).map_err(|err| {
                format!("the regexes together are too large to compile; use fewer or simpler ones ({err})")
            })?;
            matcher.regexes = Some(PerThread::new(set));
        }
        Ok(matcher)
    }

    fn matching(&self, line: &str, out: &mut Vec<usize>) {
        let start = out.len();
        // Lower-casing can change a string's length, so the cheap length filter allows for it.
        if line.len() <= self.longest_exact * 2 {
            if let Some(indices) = self.exact.get(line) {
                out.extend_from_slice(indices);
            }
            if !self.exact_folded.is_empty() {
                if let Some(indices) = self.exact_folded.get(&line.to_lowercase()) {
                    out.extend_from_slice(indices);
                }
            }
        }
        for (prefix, ignore_case, index) in &self.prefixes {
            let found = if *ignore_case {
                starts_with_ignore_case(line, prefix)
            } else {
                line.starts_with(prefix.as_str())
            };
            if found {
                out.push(*index);
            }
        }
        // Most lines match no regex: finding that out allocates nothing, listing matches does.
        if let Some(set) = self
            .regexes
            .as_ref()
            .map(PerThread::get)
            .filter(|set| set.is_match(line))
        {
            out.extend(set.matches(line).iter().map(|i| self.regex_rules[i]));
        }
        out[start..].sort_unstable();
    }
}

/// `line` starts with `lowered_prefix` when compared case-insensitively.
fn starts_with_ignore_case(line: &str, lowered_prefix: &str) -> bool {
    let mut line_chars = line.chars().flat_map(char::to_lowercase);
    lowered_prefix.chars().all(|c| line_chars.next() == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fault_of_a_rule_file_has_its_kind() {
        let kind = |result: Result<RuleSet, RuleError>| result.unwrap_err().kind;
        let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-rules.toml");
        assert_eq!(kind(RuleSet::from_file(&missing)), RuleErrorKind::Unreadable);
        assert_eq!(kind(RuleSet::from_toml("t", "[[rule]\n")), RuleErrorKind::Syntax);
        assert_eq!(
            kind(RuleSet::from_toml("t", "[[rule]]\nname = \"x\"\nsize = 3\n")),
            RuleErrorKind::Syntax
        );
        let twice = "[[rule]]\nname = \"x\"\nline = \"a\"\n[[rule]]\nname = \"x\"\nline = \"b\"\n";
        assert_eq!(kind(RuleSet::from_toml("t", twice)), RuleErrorKind::Invalid);
        assert_eq!(
            kind(RuleSet::from_toml("t", "[[rule]]\nname = \"x\"\nregex = \"(\"\n")),
            RuleErrorKind::Invalid
        );
        assert_eq!(
            kind(RuleSet::builtin("nosuchsite")),
            RuleErrorKind::UnknownProfile
        );
        // Each half compiles alone; together they pass the regex set's size limit.
        let half = |from: usize| -> String {
            (from..from + 2)
                .map(|i| format!("[[rule]]\nname = \"r{i}\"\nregex = '\\w{{40}}x{i}\\w{{40}}'\n"))
                .collect()
        };
        let mut rules = RuleSet::from_toml("first", &half(0)).unwrap();
        let second = RuleSet::from_toml("second", &half(2)).unwrap();
        assert_eq!(
            rules.extend(second).unwrap_err().kind,
            RuleErrorKind::TooLargeTogether
        );
        assert_eq!(rules.rules().len(), 2, "the set is left as it was");
        let error = RuleSet::builtin("nosuchsite").unwrap_err();
        assert_eq!(error.origin, "profile nosuchsite");
        assert!(
            error
                .to_string()
                .starts_with("profile nosuchsite: no such built-in profile"),
            "{error}"
        );
    }

    #[test]
    fn the_default_rules_hold_no_sites_own_lines_and_each_site_recognises_its_pages() {
        let defaults = RuleSet::builtin("default").unwrap();
        let patterns = |rules: &RuleSet| -> Vec<String> {
            (rules.rules.iter())
                .filter_map(|rule| match &rule.pattern {
                    Some(Pattern::Exact(text) | Pattern::Prefix(text)) => Some(text.to_lowercase()),
                    _ => rule.suffix.clone(),
                })
                .collect()
        };
        let default_patterns = patterns(&defaults);
        for (name, _) in BUILTIN_PROFILES.iter().filter(|(name, _)| *name != "default") {
            let site = RuleSet::builtin(name).unwrap();
            for rule in &site.rules {
                assert!(
                    defaults.rules.iter().all(|default| default.name != rule.name),
                    "{name}'s rule {} is among the defaults",
                    rule.name
                );
            }
            for pattern in patterns(&site) {
                assert!(
                    !default_patterns.contains(&pattern),
                    "{name}'s line {pattern:?} is among the defaults"
                );
            }
            assert!(
                builtin_recognisers()
                    .iter()
                    .any(|recogniser| recogniser.name == *name),
                "{name} says how its pages are recognised"
            );
        }
    }

    #[test]
    fn a_profile_named_outright_is_not_recognised_again() {
        let mut rules = RuleSet::default_rules();
        assert!(rules.recognises_hosts());
        let page = "Body.\nTIP US OFF\nSend us news\n";
        assert!(
            std::ptr::eq(rules.for_document("Body.\n", None), &rules),
            "an ordinary page"
        );
        let recognised = rules.for_document(page, None);
        assert!(recognised
            .rules
            .iter()
            .any(|rule| &*rule.name == "register-tip-off"));
        assert!(recognised.recognisers.is_empty(), "recognised once, not again");
        rules.extend(RuleSet::builtin("theregister").unwrap()).unwrap();
        assert!(rules
            .recognisers
            .iter()
            .all(|recognised| recognised.by.name != "theregister"));
        assert!(std::ptr::eq(rules.for_document(page, None), &rules));
    }

    fn matches(rules: &RuleSet, line: &str) -> Vec<usize> {
        let mut out = Vec::new();
        rules.matching_rules(line, &mut out);
        out
    }

    #[test]
    fn every_builtin_profile_parses() {
        for (name, _) in builtin_profiles() {
            RuleSet::builtin(name).unwrap();
        }
    }

    #[test]
    fn patterns_match_whole_lines_only() {
        let rules = RuleSet::from_toml(
            "t",
            r#"
            [[rule]]
            name = "exact"
            line = "More about"
            [[rule]]
            name = "regex"
            regex = 'Share on \w+'
            [[rule]]
            name = "prefix"
            prefix = "Photo:"
            ignore_case = true
            "#,
        )
        .unwrap();
        assert_eq!(matches(&rules, "More about"), [0]);
        assert!(matches(&rules, "More about the plan").is_empty());
        assert!(matches(&rules, "Read More about").is_empty());
        assert_eq!(matches(&rules, "Share on Facebook"), [1]);
        assert!(matches(&rules, "Share on Facebook now").is_empty());
        assert_eq!(matches(&rules, "PHOTO: Getty"), [2]);
        assert!(matches(&rules, "A photo: Getty").is_empty());
    }

    #[test]
    fn read_also_links_go_in_several_languages_and_sentences_stay() {
        let rules = RuleSet::default_rules();
        let named = |line: &str| -> Vec<String> {
            matches(&rules, line)
                .into_iter()
                .map(|index| rules.rules()[index].name().to_string())
                .collect()
        };
        for link in [
            "Read also: Council approves the harbour plan",
            "Lea también: Juan Carlos propone legalizar la venta",
            "Lesen Sie auch: Die Stadt plant einen neuen Park",
            "À lire aussi : le port change de mains",
            "Czytaj także: Nowy park w mieście",
            "Mehr zum Thema » Solarstrom im Hafen",
        ] {
            assert!(named(link).contains(&"read-also-link".to_string()), "{link}");
        }
        for sentence in [
            "Readers who read also the earlier report will know: the plan changed.",
            "Lesen Sie die Bedingungen sorgfältig durch.",
        ] {
            assert!(
                !named(sentence).contains(&"read-also-link".to_string()),
                "{sentence}"
            );
        }
    }

    #[test]
    fn ignore_case_applies_to_exact_lines() {
        let rules = RuleSet::from_toml(
            "t",
            "[[rule]]\nname = \"ad\"\nline = \"Advertisement\"\nignore_case = true\n",
        )
        .unwrap();
        assert_eq!(matches(&rules, "ADVERTISEMENT"), [0]);
    }

    #[test]
    fn patterns_are_normalised_like_lines() {
        let rules =
            RuleSet::from_toml("t", "[[rule]]\nname = \"s\"\nline = \" Share\u{A0} this \"\n").unwrap();
        assert_eq!(matches(&rules, "Share this"), [0]);
    }

    #[test]
    fn all_matching_rules_come_back_in_rule_order() {
        let rules = RuleSet::from_toml(
            "t",
            "[[rule]]\nname = \"a\"\nregex = 'Tip.*'\n[[rule]]\nname = \"b\"\nline = \"Tip us off\"\n",
        )
        .unwrap();
        assert_eq!(matches(&rules, "Tip us off"), [0, 1]);
    }

    #[test]
    fn bad_rule_files_are_refused_with_the_reason() {
        let cases = [
            (
                "[[rule]]\nname = \"x\"\nline = \"a\"\ncolour = 1\n",
                "unknown field",
            ),
            // The error shows the pattern as written, not the anchored one compiled.
            (
                "[[rule]]\nname = \"x\"\nregex = \"(foo\"\n",
                "bad regex \"(foo\": unclosed group",
            ),
            ("[[rule]]\nname = \"x\"\n", "give one of"),
            (
                "[[rule]]\nname = \"x\"\nline = \"a\"\nprefix = \"b\"\n",
                "only one of",
            ),
            ("[[rule]]\nname = \"x\"\naction = \"strip_suffix\"\n", "suffix"),
            (
                "[[rule]]\nname = \"x\"\nline = \"a\"\naction = \"cut_after\"\nscope = \"head\"\n",
                "scope",
            ),
            (
                "[[rule]]\nname = \"x\"\nline = \"a\"\n[[rule]]\nname = \"x\"\nline = \"b\"\n",
                "twice",
            ),
            (
                "[[rule]]\nname = \"x\"\nline = \"a\"\naction = \"explode\"\n",
                "unknown variant",
            ),
            (
                "[[rule]]\nname = \"x\"\nprefix = \n",
                "line 3, column 10: invalid string",
            ),
        ];
        for (source, expected) in cases {
            let err = RuleSet::from_toml("bad.toml", source).unwrap_err().to_string();
            assert!(err.starts_with("bad.toml: "), "{err}");
            assert!(!err.contains('\n'), "one line: {err:?}");
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let err = RuleSet::builtin("nope").unwrap_err().to_string();
        assert!(err.contains("theregister"), "{err}");
    }
}
