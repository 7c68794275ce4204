//! The configuration file: `pare.toml` (or `.pare.toml`, or `[tool.pare]` in a
//! `pyproject.toml`), found from the working directory upwards, holds `clean` options under
//! their long flag names. Flags given on the command line override it; `--config PATH` names
//! one, `--no-config` ignores any. Each setting is checked as its flag is, and an error names
//! the file and the line.
//!
//! A setting becomes the flag it names: the settings the command line does not give are added
//! to it as flags and the whole is parsed again, so the file and the command line can never
//! mean different things.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory};

use super::args::Cli;

/// The names a configuration file may have, in the order they are looked for in a folder.
const NAMES: [&str; 3] = ["pare.toml", ".pare.toml", "pyproject.toml"];

/// The `clean` options a configuration file may set: its key (the long flag's name) and the
/// flag's argument id.
const KEYS: [(&str, &str); 20] = [
    ("profile", "profile"),
    ("rules", "rules"),
    ("no-default-rules", "no_default_rules"),
    ("profile-file", "profile_file"),
    ("detect", "detect"),
    ("on-bad-record", "on_bad_record"),
    ("drop-empty", "drop_empty"),
    ("min-words", "min_words"),
    ("skip-unchanged", "skip_unchanged"),
    ("lossy", "lossy"),
    ("format", "format"),
    ("field", "field"),
    ("html-field", "html_field"),
    ("group-by", "group_by"),
    ("max-doc-bytes", "max_doc_bytes"),
    ("glob", "glob"),
    ("hidden", "hidden"),
    ("threads", "threads"),
    ("progress", "progress"),
    ("color", "color"),
];

/// Keys whose values are paths: relative ones are taken from the file's folder.
const PATH_KEYS: [&str; 2] = ["rules", "profile-file"];

/// A configuration file, read.
#[derive(Debug, Clone)]
pub(super) struct Config {
    /// Where it is.
    pub path: PathBuf,
    /// Its settings in the order written: key, value, and the line it is on.
    pub settings: Vec<Setting>,
}

/// One setting of a configuration file.
#[derive(Debug, Clone)]
pub(super) struct Setting {
    pub key: String,
    pub value: toml::Value,
    pub line: usize,
}

impl Config {
    /// The configuration that applies in `dir`: the first file found there or in a folder above
    /// it (a `pyproject.toml` counts only with a `[tool.pare]` table).
    pub fn find(dir: &Path) -> anyhow::Result<Option<Config>> {
        for folder in dir.ancestors() {
            for name in NAMES {
                let path = folder.join(name);
                if !path.is_file() {
                    continue;
                }
                if let Some(config) = Config::read(&path)? {
                    return Ok(Some(config));
                }
            }
        }
        Ok(None)
    }

    /// Reads the configuration file at `path`; `None` for a `pyproject.toml` without
    /// `[tool.pare]`.
    pub fn read(path: &Path) -> anyhow::Result<Option<Config>> {
        let source =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let bad = |message: String| anyhow::anyhow!("{}: {message}", path.display());
        let document: toml::Table = toml::from_str(&source)
            .map_err(|err| bad(pare::text::rules::toml_error_message(&err, &source)))?;
        let pyproject = path.file_name().is_some_and(|name| name == "pyproject.toml");
        let table = if pyproject {
            let tool = document.get("tool").and_then(|tool| tool.get("pare"));
            match tool {
                Some(toml::Value::Table(table)) => table.clone(),
                Some(_) => return Err(bad("[tool.pare] must be a table".to_string())),
                None => return Ok(None),
            }
        } else {
            document
        };
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut settings = Vec::new();
        // In a pyproject.toml, the settings are below the [tool.pare] header.
        let offset = if pyproject {
            (source.lines())
                .position(|line| line.trim() == "[tool.pare]")
                .unwrap_or(0)
        } else {
            0
        };
        for (key, value) in table {
            let line = line_of(&source, &key, offset);
            if !KEYS.iter().any(|(known, _)| *known == key) {
                let known: Vec<&str> = KEYS.iter().map(|(key, _)| *key).collect();
                return Err(bad(format!(
                    "line {line}: unknown setting `{key}` (known: {})",
                    known.join(", ")
                )));
            }
            let value = if PATH_KEYS.contains(&key.as_str()) {
                relative_to(folder, value)
            } else {
                value
            };
            settings.push(Setting { key, value, line });
        }
        settings.sort_by_key(|setting| setting.line);
        let config = Config {
            path: path.to_path_buf(),
            settings,
        };
        let mut command = Cli::command();
        for setting in &config.settings {
            // Each setting parsed alone, as its flag would be, so an error names its line.
            let flags = setting
                .flags()
                .map_err(|why| bad(format!("line {}: {why}", setting.line)))?;
            let mut argv: Vec<OsString> = vec!["pare".into(), "clean".into()];
            argv.extend(flags);
            if let Err(err) = command.try_get_matches_from_mut(argv) {
                // What clap says of the flag, on one line: the error and the values it takes.
                let rendered = err.render().to_string();
                let why: Vec<&str> = (rendered.lines())
                    .map(|line| line.trim().trim_start_matches("error: "))
                    .filter(|line| {
                        !line.is_empty() && !line.starts_with("Usage:") && !line.starts_with("For more")
                    })
                    .collect();
                return Err(bad(format!(
                    "line {}: {}: {}",
                    setting.line,
                    setting.key,
                    why.join(" ")
                )));
            }
        }
        Ok(Some(config))
    }

    /// The flags these settings stand for, leaving out those `given` on the command line.
    pub fn flags(&self, given: &ArgMatches) -> anyhow::Result<Vec<OsString>> {
        let mut flags = Vec::new();
        for setting in &self.settings {
            if given.value_source(setting.id()) == Some(ValueSource::CommandLine) {
                continue;
            }
            flags.extend(
                setting.flags().map_err(|why| {
                    anyhow::anyhow!("{}: line {}: {why}", self.path.display(), setting.line)
                })?,
            );
        }
        Ok(flags)
    }
}

impl Config {
    /// The keys of the settings the command line does not override.
    pub fn applied(&self, given: &ArgMatches) -> Vec<String> {
        (self.settings.iter())
            .filter(|setting| given.value_source(setting.id()) != Some(ValueSource::CommandLine))
            .map(|setting| setting.key.clone())
            .collect()
    }
}

/// Each `clean` setting in effect (`matches`, after the configuration's flags were added) with
/// its value and where it came from: the command line (`given`), the configuration file
/// (`from_config` of `config`), or the default.
pub(super) fn in_effect(
    matches: &ArgMatches,
    given: &ArgMatches,
    config: Option<&Config>,
    from_config: &[String],
) -> Vec<(String, serde_json::Value, String)> {
    let command = Cli::command();
    let clean = command
        .find_subcommand("clean")
        .expect("the clean subcommand exists");
    KEYS.iter()
        .map(|(key, id)| {
            let raw: Vec<String> = (matches.get_raw(id).into_iter().flatten())
                .map(|value| value.to_string_lossy().into_owned())
                .collect();
            let list = (clean.get_arguments())
                .find(|arg| arg.get_id() == *id)
                .is_some_and(|arg| matches!(arg.get_action(), clap::ArgAction::Append));
            let value = match (list, raw.as_slice()) {
                (true, _) => serde_json::json!(raw),
                (false, []) => serde_json::Value::Null,
                (false, [one, ..]) => match one.as_str() {
                    "true" => serde_json::Value::Bool(true),
                    "false" => serde_json::Value::Bool(false),
                    _ => serde_json::Value::String(one.clone()),
                },
            };
            let source = if given.value_source(id) == Some(ValueSource::CommandLine) {
                "command line".to_string()
            } else if let (Some(config), true) = (config, from_config.iter().any(|set| set == key)) {
                config.path.display().to_string()
            } else {
                "default".to_string()
            };
            (key.to_string(), value, source)
        })
        .collect()
}

impl Setting {
    /// The argument id of the flag this setting names.
    pub fn id(&self) -> &'static str {
        KEYS.iter()
            .find(|(key, _)| *key == self.key)
            .map_or("", |(_, id)| id)
    }

    /// The command-line flags this setting stands for: `--key VALUE` for each value of a list,
    /// `--key` for true (nothing for false).
    fn flags(&self) -> Result<Vec<OsString>, String> {
        let flag = OsString::from(format!("--{}", self.key));
        let single = |value: &toml::Value| -> Result<OsString, String> {
            match value {
                toml::Value::String(text) => Ok(text.into()),
                toml::Value::Integer(number) => Ok(number.to_string().into()),
                other => Err(format!(
                    "`{}` takes a string or a number, not {}",
                    self.key,
                    other.type_str()
                )),
            }
        };
        Ok(match &self.value {
            toml::Value::Boolean(true) => vec![flag],
            toml::Value::Boolean(false) => Vec::new(),
            toml::Value::Array(values) => {
                let mut flags = Vec::new();
                for value in values {
                    flags.push(flag.clone());
                    flags.push(single(value)?);
                }
                flags
            }
            value => vec![flag, single(value)?],
        })
    }
}

/// A path setting's value (a string or a list of them) with relative paths taken from `folder`.
fn relative_to(folder: &Path, value: toml::Value) -> toml::Value {
    match value {
        toml::Value::String(path) => toml::Value::String(folder.join(path).to_string_lossy().into_owned()),
        toml::Value::Array(values) => toml::Value::Array(
            values
                .into_iter()
                .map(|value| relative_to(folder, value))
                .collect(),
        ),
        other => other,
    }
}

/// The line (from 1) a key is set on, looked for from line `from` (counted from 0) on, or 0
/// when it cannot be found.
fn line_of(source: &str, key: &str, from: usize) -> usize {
    (source.lines().enumerate().skip(from))
        .find(|(_, line)| {
            let line = line.trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |(index, _)| index + 1)
}

/// Which configuration applies: the one `--config` names, none with `--no-config`, or the one
/// found from the working directory upwards.
pub(super) fn resolve(named: Option<&Path>, none: bool) -> anyhow::Result<Option<Config>> {
    if none {
        return Ok(None);
    }
    if let Some(path) = named {
        return match Config::read(path)? {
            Some(config) => Ok(Some(config)),
            None => bail!("{}: no [tool.pare] table", path.display()),
        };
    }
    let here = std::env::current_dir().context("cannot find the working directory")?;
    Config::find(&here)
}

/// `pare config`: each `clean` setting in effect and where it comes from.
pub(super) fn show(config: Option<&Config>) -> String {
    let command = Cli::command();
    let clean = command
        .find_subcommand("clean")
        .expect("the clean subcommand exists");
    let mut out = String::new();
    match config {
        Some(config) => out.push_str(&format!(
            "# settings of pare clean, from {}\n",
            config.path.display()
        )),
        None => out.push_str("# settings of pare clean: no configuration file\n"),
    }
    for (key, id) in KEYS {
        let set = config.and_then(|config| config.settings.iter().find(|setting| setting.key == key));
        let (value, source) = match set {
            Some(setting) => (
                setting.value.to_string(),
                format!(
                    "{} line {}",
                    config.map_or(String::new(), |c| c.path.display().to_string()),
                    setting.line
                ),
            ),
            None => (default_of(clean, id), "default".to_string()),
        };
        out.push_str(&format!("{:<40} # {source}\n", format!("{key} = {value}")));
    }
    out
}

/// How `pare config` shows a flag's default.
fn default_of(command: &clap::Command, id: &str) -> String {
    let Some(arg) = command.get_arguments().find(|arg| arg.get_id() == id) else {
        return "none".to_string();
    };
    let defaults: Vec<String> = (arg.get_default_values().iter())
        .map(|value| format!("{:?}", value.to_string_lossy()))
        .collect();
    match (defaults.as_slice(), arg.get_action().takes_values()) {
        ([], false) => "false".to_string(),
        ([], true) if matches!(arg.get_action(), clap::ArgAction::Append) => "[]".to_string(),
        ([], true) => "none".to_string(),
        ([one], _) => one.clone(),
        (many, _) => format!("[{}]", many.join(", ")),
    }
}
