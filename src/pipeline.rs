//! The parallel driver: reads each input, decodes, cleans and hands the result to its
//! destination, keeping outcomes in input order whatever the number of threads.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::clean::{Cleaned, Cleaner};
use crate::compress::{Compression, Encoder};
use crate::decode::{decode, read_document, too_large, Bounded, Decoded};
use crate::diff::unified_diff;
use crate::discover::Input;
use crate::report::RemovedLines;
use crate::strip::RemovalKind;
use crate::write::{write_output, Links};

/// Where cleaned text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output (one input only).
    Stdout,
    /// One named file (one input only).
    File(PathBuf),
    /// Under a directory, at each input's relative path.
    Mirror(PathBuf),
    /// Back over each input that changes.
    InPlace,
    /// Nowhere: only report whether inputs would change.
    Check,
    /// A unified diff of each input that would change, on standard output.
    Diff,
}

/// How inputs are read and where results go.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where cleaned text goes.
    pub destination: Destination,
    /// Replace invalid UTF-8 with U+FFFD instead of failing the input.
    pub lossy: bool,
    /// How inputs are read: plain text, or JSONL records.
    pub format: Format,
    /// The JSONL field that is cleaned.
    pub field: String,
    /// What happens to a JSONL line that is not a usable record.
    pub on_bad_record: BadRecordPolicy,
    /// Drop JSONL records whose text is empty after cleaning.
    pub drop_empty: bool,
    /// Drop JSONL records with fewer words than this after cleaning.
    pub min_words: Option<usize>,
    /// Collect a removal ledger entry for every removed line.
    pub ledger: bool,
    /// Note the removing rule on each removed line of a diff (`--diff`); without, the diff is
    /// a plain patch.
    pub annotate_diff: bool,
    /// Clean only this worker's share of the records of a JSONL input.
    pub record_shard: Option<Shard>,
    /// Outputs already made from the same input bytes under the same settings: inputs found
    /// here are skipped (`--skip-unchanged`).
    pub up_to_date: Option<Arc<crate::manifest::Done>>,
    /// How documents are matched to the site groups of a profile.
    pub group_by: GroupBy,
    /// The largest document (a text input, or one JSONL record) that is read; a larger one fails
    /// with an error naming the limit. Bounds memory whatever the input.
    pub max_doc_bytes: u64,
    /// Set (by a signal handler) to stop the run: inputs not yet started are left alone, and a
    /// JSONL input being streamed stops between batches, leaving no output.
    pub stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Options {
    /// Whether the run was asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The default of [`Options::max_doc_bytes`]: 256 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 256 << 20;

/// The error [`run`] returns when the run was stopped through [`Options::stop`].
pub fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

/// Worker `index` (0-based) of `count` workers sharing some work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This worker, from 0.
    pub index: usize,
    /// How many workers share the work.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N`, 1-based: `1/4` is the first of four workers.
    fn from_str(text: &str) -> Result<Shard, String> {
        let parse = |part: Option<&str>| part.and_then(|p| p.trim().parse::<usize>().ok());
        let mut parts = text.splitn(2, '/');
        match (parse(parts.next()), parse(parts.next())) {
            (Some(k), Some(n)) if (1..=n).contains(&k) => Ok(Shard {
                index: k - 1,
                count: n,
            }),
            _ => Err(format!("expected K/N with 1 <= K <= N, got `{text}`")),
        }
    }
}

impl Shard {
    /// Whether item `position` of an ordered list belongs to this worker.
    pub fn takes(&self, position: usize) -> bool {
        position % self.count == self.index
    }

    /// This worker's byte range of a file of `len` bytes; a line belongs to the range its first
    /// byte falls in.
    pub fn byte_range(&self, len: u64) -> std::ops::Range<u64> {
        let at = |k: usize| (u128::from(len) * k as u128 / self.count as u128) as u64;
        at(self.index)..at(self.index + 1)
    }
}

impl Options {
    /// Defaults for a destination: text auto-detection, field `text`, bad records passed through.
    pub fn new(destination: Destination) -> Options {
        Options {
            destination,
            lossy: false,
            format: Format::Auto,
            field: "text".to_string(),
            on_bad_record: BadRecordPolicy::Pass,
            drop_empty: false,
            min_words: None,
            ledger: false,
            annotate_diff: true,
            record_shard: None,
            up_to_date: None,
            group_by: GroupBy::Auto,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            stop: Arc::default(),
        }
    }
}

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSONL for `.jsonl`/`.ndjson` files (optionally `.gz`/`.zst`), text otherwise.
    Auto,
    /// One document per input.
    Text,
    /// One JSON object per line, the document in a string field.
    Jsonl,
}

impl Format {
    /// Whether `input` is read as JSONL.
    pub fn is_jsonl(self, input: &Input) -> bool {
        match (self, input) {
            (Format::Jsonl, _) => true,
            (Format::Text, _) | (Format::Auto, Input::Stdin) => false,
            (Format::Auto, Input::File { path, .. }) => {
                let name = path
                    .file_name()
                    .map(|name| name.to_string_lossy())
                    .unwrap_or_default();
                let name = crate::compress::strip_compression(&name);
                name.ends_with(".jsonl") || name.ends_with(".ndjson")
            }
        }
    }
}

/// How documents are grouped into sites, for learned profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// JSONL records by their `url` host, files by their folder.
    #[default]
    Auto,
    /// By the first folder under the directory an input was found in.
    Dir,
    /// By the host of a JSONL record's `url` (text files have none).
    Host,
    /// All documents in one group.
    None,
}

impl GroupBy {
    /// The group of a document of `input`; `host` is the host of a JSONL record's `url`.
    pub fn group(self, input: &Input, host: impl FnOnce() -> Option<String>) -> String {
        let group = match self {
            GroupBy::Auto => host().or_else(|| input.group()),
            GroupBy::Dir => input.group(),
            GroupBy::Host => host(),
            GroupBy::None => None,
        };
        group.unwrap_or_else(|| crate::learn::UNGROUPED.to_string())
    }
}

/// What happens to a JSONL line that is not a usable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRecordPolicy {
    /// Write it through unchanged, report it, and exit 2 at the end.
    Pass,
    /// Leave it out of the output and report it.
    Drop,
    /// Stop at the first one; the input fails and leaves no output.
    Fail,
}

/// Record counts of a JSONL input.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordCounts {
    /// Lines read, blank lines excluded.
    pub seen: u64,
    /// Records whose text cleaning changed.
    pub cleaned: u64,
    /// Records already clean.
    pub unchanged: u64,
    /// Lines that were not usable records.
    pub bad: u64,
    /// Records dropped by `--drop-empty`.
    pub dropped_empty: u64,
    /// Records dropped by `--min-words`.
    pub dropped_short: u64,
    /// Bad lines dropped by `--on-bad-record drop`.
    pub dropped_bad: u64,
}

impl RecordCounts {
    /// Adds another input's counts.
    pub fn add(&mut self, other: &RecordCounts) {
        self.seen += other.seen;
        self.cleaned += other.cleaned;
        self.unchanged += other.unchanged;
        self.bad += other.bad;
        self.dropped_empty += other.dropped_empty;
        self.dropped_short += other.dropped_short;
        self.dropped_bad += other.dropped_bad;
    }
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Cleaning changed the text.
    Changed,
    /// The run was stopped (by a signal) while this input was being cleaned: nothing was
    /// written for it, and it is not counted as done.
    Stopped,
    /// The text was already clean.
    Unchanged,
    /// The input was not processed, for the reason given (binary data).
    Skipped(String),
    /// The output already holds this input cleaned under the same settings; nothing was done.
    UpToDate,
    /// The input could not be processed; the message says why. No output was written for it.
    Failed(String),
}

/// The result of processing one input.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The input's display name.
    pub name: String,
    /// What happened.
    pub status: Status,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes of cleaned text (written, or that would be written).
    pub bytes_out: u64,
    /// True when the cleaned text is empty although the input was not.
    pub left_empty: bool,
    /// Bytes destined for standard output: cleaned text or a diff.
    pub stdout: Option<Vec<u8>>,
    /// Record counts, for JSONL inputs.
    pub records: Option<RecordCounts>,
    /// Problems with single records (`LINE: message`); the input itself went on.
    pub record_errors: Vec<String>,
    /// Things the user should know that are not errors (standard input that looks like JSON
    /// lines cleaned as text).
    pub warnings: Vec<String>,
    /// Removal ledger lines (JSON), when asked for.
    pub ledger: Vec<String>,
    /// The lines removed, counted per rule and text: the report's `lines_removed` and
    /// `top_removed_lines` are made from these.
    pub removed_lines: RemovedLines,
    /// The output's manifest key and the hash of the input bytes, when the output manifest is
    /// kept (`--skip-unchanged`).
    pub manifest_entry: Option<(String, String)>,
    /// Standard output was closed by its reader while this input was written to it: the run
    /// ends quietly.
    pub output_closed: bool,
}

impl Outcome {
    pub(crate) fn new(input: &Input) -> Outcome {
        Outcome {
            name: input.display_name(),
            status: Status::Unchanged,
            bytes_in: 0,
            bytes_out: 0,
            left_empty: false,
            stdout: None,
            records: None,
            record_errors: Vec::new(),
            warnings: Vec::new(),
            ledger: Vec::new(),
            removed_lines: RemovedLines::default(),
            manifest_entry: None,
            output_closed: false,
        }
    }

    /// The output path relative to the output directory, for the manifest.
    pub fn manifest_key(input: &Input) -> Option<String> {
        match input {
            Input::File { relative, .. } => Some(relative.to_string_lossy().into_owned()),
            Input::Stdin => None,
        }
    }
}

/// Counts each whole line removed from `cleaned` in `removed`, under its rule.
pub(crate) fn collect_removed_lines(removed: &mut RemovedLines, cleaned: &Cleaned) {
    let lines = cleaned
        .removals()
        .iter()
        .filter(|removal| removal.kind == RemovalKind::Line);
    for removal in lines {
        removed.add(&removal.rule, cleaned.removed_text(removal));
    }
}

/// One JSON line of the removal ledger per removal of `cleaned`.
pub(crate) fn ledger_lines(
    name: &str,
    record: Option<(&str, u64, Option<&str>)>,
    cleaned: &Cleaned,
    out: &mut Vec<String>,
) {
    for removal in cleaned.removals() {
        let mut entry = serde_json::Map::new();
        entry.insert("path".into(), name.into());
        if let Some((key, position, id)) = record {
            entry.insert(key.into(), position.into());
            if let Some(id) = id {
                entry.insert("id".into(), id.into());
            }
        }
        entry.insert("line".into(), removal.line.into());
        entry.insert("start".into(), removal.span.start.into());
        entry.insert("end".into(), removal.span.end.into());
        entry.insert("rule".into(), removal.rule.to_string().into());
        if let Some(reason) = &removal.reason {
            entry.insert("reason".into(), reason.clone().into());
        }
        let kind = match removal.kind {
            RemovalKind::Line => "line",
            RemovalKind::Suffix => "suffix",
        };
        entry.insert("kind".into(), kind.into());
        entry.insert("text".into(), cleaned.removed_text(removal).into());
        out.push(serde_json::Value::Object(entry).to_string());
    }
}

/// The file an input's cleaned text goes to, if the destination is a file.
pub(crate) fn target_path(destination: &Destination, input: &Input) -> Result<Option<PathBuf>, String> {
    match (destination, input) {
        (Destination::File(path), _) => Ok(Some(path.clone())),
        (Destination::Mirror(dir), Input::File { relative, .. }) => Ok(Some(dir.join(relative))),
        (Destination::InPlace, Input::File { path, .. }) => Ok(Some(path.clone())),
        (Destination::Mirror(_), Input::Stdin) => {
            Err("standard input cannot be mirrored into a directory".into())
        }
        (Destination::InPlace, Input::Stdin) => Err("standard input cannot be cleaned in place".into()),
        _ => Ok(None),
    }
}

/// How many inputs are processed between two flushes of standard output; bounds the memory
/// held for diffs and keeps output flowing.
const BATCH: usize = 512;

/// Processes `inputs` in parallel on the current rayon pool. `on_done` is called on the worker
/// thread as each input finishes (for progress); `on_outcome` is called for each outcome in
/// input order. Stops early when `on_outcome` returns an error (a closed pipe), or with
/// [`interrupted`] when [`Options::stop`] is set.
pub fn run(
    inputs: &[Input],
    cleaner: &Cleaner,
    options: &Options,
    on_done: &(dyn Fn(&Outcome) + Sync),
    mut on_outcome: impl FnMut(Outcome) -> io::Result<()>,
) -> io::Result<()> {
    for batch in inputs.chunks(BATCH) {
        let outcomes: Vec<Outcome> = batch
            .par_iter()
            .filter_map(|input| {
                if options.stopped() {
                    return None;
                }
                let outcome = process(input, cleaner, options);
                on_done(&outcome);
                Some(outcome)
            })
            .collect();
        for outcome in outcomes {
            if outcome.output_closed {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            on_outcome(outcome)?;
        }
        if options.stopped() {
            return Err(interrupted());
        }
    }
    Ok(())
}

/// Processes one input. Never panics on any input bytes; every failure becomes
/// [`Status::Failed`] with a message.
pub fn process(input: &Input, cleaner: &Cleaner, options: &Options) -> Outcome {
    let mut outcome = Outcome::new(input);
    let result = without_panics(|| process_into(input, cleaner, options, &mut outcome));
    if let Err(message) = result {
        // Nothing was written for this input, so nothing of it is reported as removed either.
        outcome.status = if options.stopped() && message == STOPPED {
            Status::Stopped
        } else {
            Status::Failed(message)
        };
        outcome.stdout = None;
        outcome.ledger.clear();
        outcome.removed_lines = RemovedLines::default();
        outcome.records = None;
        outcome.bytes_out = 0;
        outcome.left_empty = false;
    }
    outcome
}

/// The error of an input whose cleaning was stopped by [`Options::stop`].
pub(crate) const STOPPED: &str = "stopped before this input was finished";

/// Runs `work`, turning a panic into an error: a bug must cost one input, not the run. Whatever
/// `work` had in hand is dropped on the way out, so a temporary output file is removed.
fn without_panics(work: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err("internal error while cleaning this input (please report it)".to_string()))
}

fn process_into(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), String> {
    if options.format.is_jsonl(input) {
        if let (Some(done), Input::File { path, .. }) = (&options.up_to_date, input) {
            let hash = crate::manifest::file_hash(path).map_err(|err| err.to_string())?;
            if is_up_to_date(done, input, &hash, options) {
                outcome.status = Status::UpToDate;
                return Ok(());
            }
            outcome.manifest_entry = Outcome::manifest_key(input).map(|key| (key, hash));
        }
        return crate::records::process_jsonl(input, cleaner, options, outcome);
    }
    let bytes = read_input(input, options.max_doc_bytes)?;
    if let Some(done) = &options.up_to_date {
        let hash = crate::manifest::content_hash(&bytes);
        if is_up_to_date(done, input, &hash, options) {
            outcome.bytes_in = bytes.len() as u64;
            outcome.status = Status::UpToDate;
            return Ok(());
        }
        outcome.manifest_entry = Outcome::manifest_key(input).map(|key| (key, hash));
    }
    outcome.bytes_in = bytes.len() as u64;
    if *input == Input::Stdin && options.format == Format::Auto && looks_like_json_lines(&bytes) {
        outcome.warnings.push(
            "looks like JSON lines but is cleaned as one text (characters inside the JSON strings \
             change); give --format jsonl to clean each record's text"
                .to_string(),
        );
    }
    let text = match decode(&bytes, options.lossy).map_err(|err| err.to_string())? {
        Decoded::Binary => {
            outcome.status = Status::Skipped("binary file (NUL byte near the start)".to_string());
            return Ok(());
        }
        Decoded::Text(text) => text,
    };
    let cleaned = cleaner.clean_in(&text, Some(&options.group_by.group(input, || None)));
    let clean = cleaned.text().as_bytes();
    let changed = clean != bytes.as_slice();
    outcome.status = if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    outcome.bytes_out = clean.len() as u64;
    outcome.left_empty = clean.is_empty() && !bytes.is_empty();
    collect_removed_lines(&mut outcome.removed_lines, &cleaned);
    if options.ledger {
        ledger_lines(&outcome.name, None, &cleaned, &mut outcome.ledger);
    }
    let target = target_path(&options.destination, input)?;
    match (&options.destination, target) {
        (Destination::InPlace, _) if !changed => {}
        (destination, Some(path)) => write_compressed(&path, clean, destination)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?,
        (Destination::Stdout, None) => outcome.stdout = Some(clean.to_vec()),
        (Destination::Diff, None) => {
            let original = String::from_utf8_lossy(&bytes);
            outcome.stdout = unified_diff(&outcome.name, &original, &cleaned, options.annotate_diff)
                .map(String::into_bytes);
        }
        (_, None) => {}
    }
    Ok(())
}

/// Whether the first line holding anything is a JSON object.
fn looks_like_json_lines(bytes: &[u8]) -> bool {
    let Some(first) = bytes
        .split(|&b| b == b'\n')
        .find(|line| !line.trim_ascii().is_empty())
    else {
        return false;
    };
    let first = first.trim_ascii();
    first.starts_with(b"{")
        && first.ends_with(b"}")
        && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(first).is_ok()
}

/// Whether the manifest records this input's output as made from these bytes, and the output
/// is still there.
fn is_up_to_date(done: &crate::manifest::Done, input: &Input, hash: &str, options: &Options) -> bool {
    let (Some(key), Ok(Some(target))) = (
        Outcome::manifest_key(input),
        target_path(&options.destination, input),
    ) else {
        return false;
    };
    done.is_done(&key, hash) && target.exists()
}

/// Writes `contents` to `path` (see [`crate::write`]), compressed as the path's name asks.
fn write_compressed(path: &Path, contents: &[u8], destination: &Destination) -> io::Result<()> {
    let links = links_for(destination);
    match Compression::of(path) {
        Compression::None => write_output(path, contents, links),
        compression => {
            let mut encoder = Encoder::new(Vec::with_capacity(contents.len() / 3), compression)?;
            encoder.write_all(contents)?;
            write_output(path, &encoder.finish()?, links)
        }
    }
}

/// Rewriting an input in place must not split its hard links; any other output may.
pub(crate) fn links_for(destination: &Destination) -> Links {
    match destination {
        Destination::InPlace => Links::Keep,
        _ => Links::Split,
    }
}

/// Reads a whole text input (decompressed), refusing one over `limit` bytes.
pub(crate) fn read_input(input: &Input, limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let bounded = match input {
        Input::Stdin => read_document(io::stdin().lock(), limit, &mut bytes),
        Input::File { path, .. } => {
            let file = std::fs::File::open(path).map_err(|err| err.to_string())?;
            let meta = file.metadata().map_err(|err| err.to_string())?;
            if meta.is_dir() {
                return Err("is a directory".to_string());
            }
            bytes.reserve(meta.len().min(limit).saturating_add(1).min(1 << 30) as usize);
            match Compression::of(path) {
                Compression::None => read_document(file, limit, &mut bytes),
                compression => crate::compress::decompress(file, compression)
                    .and_then(|reader| read_document(reader, limit, &mut bytes)),
            }
        }
    };
    match bounded.map_err(|err| err.to_string())? {
        Bounded::Whole => Ok(bytes),
        Bounded::TooLarge => Err(too_large(limit)),
    }
}

/// Writes an outcome's standard-output bytes, if any.
pub fn write_stdout(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    match &outcome.stdout {
        Some(bytes) => out.write_all(bytes),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_fails_the_input_and_drops_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let result = without_panics(|| {
            let _partial = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
            panic!("a bug while cleaning");
        });
        assert!(result
            .unwrap_err()
            .starts_with("internal error while cleaning this input"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(without_panics(|| Err("plain".into())), Err("plain".to_string()));
    }
}
