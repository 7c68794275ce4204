//! The settings a cleaner is built from, whoever gives them: the command line's flags (which a
//! configuration file fills too) and the Python module's keyword arguments. One place turns
//! them into a [`Cleaner`], so a new setting is added once and the two cannot drift apart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::clean::Cleaner;
use crate::detect::DetectMode;
use crate::rule_file::{KeyedBy, RuleError};
use crate::rules::{Profile, RuleSet};

/// What a cleaner does, field by field. Deserialisable, with every field optional: a missing
/// one takes its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanerSettings {
    /// Whether the built-in default rules apply (`--no-default-rules` turns them off). On by
    /// default.
    pub default_rules: bool,
    /// Built-in site profiles added to the rules, by name (`--profile`).
    pub profiles: Vec<String>,
    /// Rule files added after them, in order (`--rules`).
    pub rules_files: Vec<PathBuf>,
    /// Rules given as the text of a rule file, added last (the Python module's `rules=`).
    pub rules: Option<String>,
    /// A site profile learned by `pare learn`, whose group rules apply to each site's
    /// documents (`--profile-file`).
    pub profile_file: Option<PathBuf>,
    /// How much the body detector removes (`--detect`); standard by default.
    pub detect: DetectMode,
    /// Whether the detector says why it removes each line. On by default; saying why costs
    /// time nobody spends when no one reads it.
    pub reasons: bool,
}

impl Default for CleanerSettings {
    fn default() -> CleanerSettings {
        CleanerSettings {
            default_rules: true,
            profiles: Vec::new(),
            rules_files: Vec::new(),
            rules: None,
            profile_file: None,
            detect: DetectMode::default(),
            reasons: true,
        }
    }
}

impl CleanerSettings {
    /// The cleaner these settings describe, and how the groups of its profile file are keyed
    /// (if it has one that says). A rule file or profile file that cannot be used is an error
    /// naming it.
    pub fn build(&self) -> Result<(Cleaner, Option<KeyedBy>), RuleError> {
        let mut rules = if self.default_rules {
            RuleSet::default_rules()
        } else {
            RuleSet::empty()
        };
        for name in &self.profiles {
            rules.extend(RuleSet::builtin(name)?)?;
        }
        let named = |path: &PathBuf| {
            let origin = path.display().to_string();
            move |err: RuleError| RuleError { origin, ..err }
        };
        for path in &self.rules_files {
            rules.extend(RuleSet::from_file(path)?).map_err(named(path))?;
        }
        if let Some(source) = &self.rules {
            rules.extend(RuleSet::from_toml("rules", source)?)?;
        }
        let mut cleaner = Cleaner::new(rules)
            .with_detect(self.detect)
            .with_reasons(self.reasons);
        let mut keyed_by = None;
        if let Some(path) = &self.profile_file {
            let profile = Profile::from_file(path)?;
            keyed_by = profile.keyed_by;
            cleaner = cleaner.with_profile(profile).map_err(named(path))?;
        }
        Ok((cleaner, keyed_by))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_from_toml_build_the_cleaner_they_name() {
        let settings: CleanerSettings = toml::from_str(
            "profiles = ['theregister']\ndetect = 'off'\nrules = '''\n[[rule]]\nname = 'x'\nline = 'Weather'\n'''\n",
        )
        .unwrap();
        assert_eq!(settings.detect, DetectMode::Off);
        assert!(
            settings.default_rules && settings.reasons,
            "defaults for what is not said"
        );
        let (cleaner, keyed_by) = settings.build().unwrap();
        assert_eq!(keyed_by, None);
        assert_eq!(
            cleaner.clean("Weather\nThe council met.\nSend us news\n").text(),
            "The council met.\n"
        );
        assert!(
            toml::from_str::<CleanerSettings>("detection = 'off'").is_err(),
            "an unknown key"
        );
    }

    #[test]
    fn a_bad_rule_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "[[rule]]\nname = 'a'\nline = 'x'\n[[rule]]\nname = 'a'\nline = 'y'\n",
        )
        .unwrap();
        let settings = CleanerSettings {
            rules_files: vec![path.clone()],
            ..CleanerSettings::default()
        };
        let err = settings.build().unwrap_err();
        assert!(err.to_string().starts_with(&path.display().to_string()), "{err}");
    }
}
