//! Every flag, its help text and its parsing live here and nowhere else.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use pare::input::discover::Selection;
use pare::input::reading::{Format, GroupBy, Reading};
use pare::input::shard::Shard;
use pare::run::options::BadRecordPolicy;
use pare::text::detect::DetectMode;
use pare::text::record::RecordFields;

/// `--detect`'s values: the detector's modes by their own names, each with its help line.
fn detect_modes() -> impl TypedValueParser<Value = DetectMode> {
    let names = DetectMode::ALL.map(|mode| PossibleValue::new(mode.name()).help(mode.help()));
    PossibleValuesParser::new(names).try_map(|name| name.parse::<DetectMode>())
}

/// Pares scraped article text down to the article body.
#[derive(Debug, Parser)]
#[command(name = "pare", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean article text: normalise whitespace and strip site chrome.
    Clean(CleanArgs),
    /// Learn each site's chrome from a corpus: lines that repeat across its documents.
    Learn(LearnArgs),
    /// Score cleaned text against hand-cleaned gold bodies (word 4-gram F1), or against
    /// must-keep and must-drop phrases per page (--snippets).
    Eval(EvalArgs),
    /// List the built-in site profiles.
    Profiles,
    /// Print the settings `pare clean` takes from the configuration file (`pare.toml`,
    /// `.pare.toml` or `[tool.pare]` in `pyproject.toml`, found from here upwards), with where
    /// each comes from.
    Config(ConfigArgs),
    /// Print the manual page (roff): `pare man > pare.1`.
    Man,
    /// Print shell completions.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

/// When to draw the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressWhen {
    /// Only when standard error is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Parses a size: a number of bytes, or a number with a binary suffix (`K`, `M`, `G`, `T`,
/// optionally followed by `iB` or `B`): `64M` is 64 MiB.
/// Parses a share: a number above 0 and at most 1.
fn parse_share(text: &str) -> Result<f64, String> {
    let share: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err(format!(
            "{share} is not a share: give a number above 0 and at most 1, such as 0.3"
        ))
    }
}

pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("expected a size such as 5000, 64K or 256M, got `{text}`"))?;
    let shift = match suffix
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(format!(
                "unknown size suffix `{suffix}` in `{text}` (use K, M, G or T)"
            ))
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// When to colour what pare prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When the output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How inputs are read, for `clean` and `learn` alike.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// How inputs are read: `auto` takes `.jsonl`/`.ndjson` as JSONL and `.html`/`.htm` as HTML
    /// pages (each also `.gz`/`.zst`), anything else as text.
    #[arg(long, value_enum, default_value_t = Format::Auto, value_name = "FORMAT")]
    pub format: Format,

    /// The JSONL field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub field: String,

    /// Read each JSONL record's page from this field (HTML) and write its clean text to the
    /// text field (`--field`), added when the record has none; other fields are untouched.
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,

    /// How documents are grouped into the sites of a profile.
    #[arg(long, value_enum, default_value_t = GroupBy::Auto, value_name = "HOW")]
    pub group_by: GroupBy,

    /// Refuse documents (files, or JSONL records) larger than this: bytes, or with a suffix K,
    /// M, G or T (binary: 64M is 64 MiB).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_doc_bytes: u64,

    /// Also take (or, with `!`, leave out) files matching this glob in directories; repeatable.
    #[arg(short, long, value_name = "GLOB", allow_hyphen_values = true)]
    pub glob: Vec<String>,

    /// Take hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,
}

impl ReadArgs {
    /// Which files of the given directories are taken.
    pub fn selection(&self) -> Selection {
        Selection {
            globs: self.glob.clone(),
            hidden: self.hidden,
        }
    }

    /// The library's reading settings.
    pub fn reading(&self) -> Reading {
        Reading {
            format: self.format,
            fields: RecordFields {
                text: self.field.clone(),
                html: self.html_field.clone(),
            },
            group_by: self.group_by,
            max_doc_bytes: self.max_doc_bytes,
        }
    }
}

/// Arguments of `pare clean`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mode").args(["output", "in_place", "check", "diff"])))]
pub struct CleanArgs {
    /// Files or directories to clean; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write to this file (one input; `-` for standard output; a device or FIFO is written
    /// through) or directory (mirroring the input tree; end a new one with `/`).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Rewrite each input that changes, atomically (through symlinks; hard-linked files are refused).
    #[arg(long)]
    pub in_place: bool,

    /// Write nothing; name each input that would change (`would change: PATH` on standard
    /// output) and exit 1 if there is one.
    #[arg(long)]
    pub check: bool,

    /// Print a unified diff of what would change, naming the rule behind each removed line.
    #[arg(long)]
    pub diff: bool,

    /// With --diff, leave the rule notes out: a plain patch that `patch -p1` and `git apply` take.
    #[arg(long, requires = "diff")]
    pub no_annotate: bool,

    /// Write a JSON report of the run to this file (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,

    /// Write a page to review the run in a browser to this file (`-` for standard output): a
    /// summary, and a sample of the changed documents with every removed line struck through
    /// beside its rule and reason. Self-contained; it works offline.
    #[arg(long, value_name = "PATH")]
    pub report_html: Option<PathBuf>,

    /// Add a built-in site profile (see `pare profiles`); repeatable.
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,

    /// Add rules from a TOML rule file; repeatable.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// Do not apply the built-in default rules.
    #[arg(long)]
    pub no_default_rules: bool,

    /// Apply a profile (as `pare learn` writes): its group rules to each site's documents.
    #[arg(long, value_name = "FILE")]
    pub profile_file: Option<PathBuf>,

    /// Learn each site's chrome from the inputs first, then clean them with it.
    #[arg(long, conflicts_with = "profile_file")]
    pub learn: bool,

    /// How hard the generic body detector removes non-body lines after the rules.
    #[arg(long, value_parser = detect_modes(), default_value_t = DetectMode::Standard, value_name = "MODE")]
    pub detect: DetectMode,

    /// What to do with a JSONL line that is not a usable record.
    #[arg(long, value_enum, default_value_t = BadRecordPolicy::Pass, value_name = "WHAT")]
    pub on_bad_record: BadRecordPolicy,

    /// Drop JSONL records whose text is empty after cleaning.
    #[arg(long)]
    pub drop_empty: bool,

    /// Drop JSONL records with fewer than N words after cleaning.
    #[arg(long, value_name = "N")]
    pub min_words: Option<usize>,

    /// Write a JSONL ledger of every removed line (document, line, span, rule, text) to this file
    /// (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub ledger: Option<PathBuf>,

    /// Skip inputs whose output under -o DIR was made from the same bytes with the same settings.
    #[arg(long)]
    pub skip_unchanged: bool,

    /// Clean only worker K's share of N (files, or one JSONL file's lines), e.g. `2/8`.
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    pub shard: Option<Shard>,

    /// Replace invalid UTF-8 with U+FFFD instead of failing the file.
    #[arg(long)]
    pub lossy: bool,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Number of worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// When to show a progress bar on standard error.
    #[arg(long, value_enum, default_value_t = ProgressWhen::Auto, value_name = "WHEN")]
    pub progress: ProgressWhen,

    /// When to colour diffs and error messages (`auto`: on a terminal, unless `NO_COLOR` is set).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Print no summary; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,

    /// Also name each input as it finishes, with what happened to it and how many lines went.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// The settings in effect, after the configuration file and the flags: for the report.
    #[arg(skip)]
    pub settings: Vec<(String, serde_json::Value, String)>,
}

/// Which configuration file applies.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Take settings from this configuration file instead of the one found from the working
    /// directory upwards.
    #[arg(long = "config", value_name = "FILE", conflicts_with = "no_config")]
    pub path: Option<PathBuf>,

    /// Take no settings from any configuration file.
    #[arg(long)]
    pub no_config: bool,
}

/// Arguments of `pare learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Files or directories of documents (text trees grouped by their first folder, JSONL
    /// records by the host of their `url`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write the learned profile (TOML) to this file (`-` for standard output, where it goes
    /// when neither this nor --counts-out is given).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write the raw counts (JSON), to merge with counts made elsewhere (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub counts_out: Option<PathBuf>,

    /// Add counts written by `--counts-out`; repeatable.
    #[arg(long, value_name = "FILE")]
    pub merge: Vec<PathBuf>,

    /// Share of a site's documents a line must appear in to become a rule (above 0, at most 1).
    #[arg(long, default_value_t = 0.3, value_name = "SHARE", value_parser = parse_share, allow_negative_numbers = true)]
    pub min_share: f64,

    /// Documents a site needs before anything is learned from it.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub min_docs: u64,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Number of worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// When to show a progress bar on standard error.
    #[arg(long, value_enum, default_value_t = ProgressWhen::Auto, value_name = "WHEN")]
    pub progress: ProgressWhen,

    /// Print no summary; errors and warnings are still printed.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `pare eval`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("truth").args(["gold", "snippets"]).required(true)))]
pub struct EvalArgs {
    /// Directory of gold bodies, one `<id>.txt` per document.
    #[arg(long, value_name = "DIR")]
    pub gold: Option<PathBuf>,

    /// JSON annotations: for each document id, `with` phrases its clean text must hold and
    /// `without` phrases it must not. Reports phrase precision, recall and F1, and the pages that
    /// lost every `with` phrase.
    #[arg(long, value_name = "FILE")]
    pub snippets: Option<PathBuf>,

    /// Predictions to score: directories of `<id>.txt` files or JSONL files.
    #[arg(value_name = "PRED", required = true)]
    pub predictions: Vec<PathBuf>,

    /// Exit 1 when any prediction's strict F1 (with --snippets: F1) is below this value.
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,

    /// Also list each document's scores, worst first.
    #[arg(long)]
    pub per_doc: bool,

    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,

    /// JSONL field holding the document id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// JSONL field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub field: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("5000"), Ok(5000));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1tb"), Ok(1 << 40));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        assert!(parse_size("20000000T").unwrap_err().contains("too large"));
        assert!(parse_size("12X").unwrap_err().contains("unknown size suffix"));
        assert!(parse_size("M").is_err());
    }

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn modes_exclude_each_other() {
        let err = Cli::try_parse_from(["pare", "clean", "--check", "--in-place", "x"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
