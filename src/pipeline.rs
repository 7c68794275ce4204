//! The parallel driver: reads each input, decodes, cleans and hands the result to its
//! destination, keeping outcomes in input order whatever the number of threads.

use std::fs::Permissions;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::clean::Cleaner;
use crate::decode::{decode, Decoded};
use crate::diff::unified_diff;
use crate::discover::Input;
use crate::write::write_atomic;

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
}

/// What happened to one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Cleaning changed the text.
    Changed,
    /// The text was already clean.
    Unchanged,
    /// The input was not processed, for the reason given (binary data).
    Skipped(String),
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
    /// Lines removed, per rule name, in rule order of first removal.
    pub lines_removed: Vec<(Arc<str>, u64)>,
    /// True when the cleaned text is empty although the input was not.
    pub left_empty: bool,
    /// Bytes destined for standard output: cleaned text or a diff.
    pub stdout: Option<Vec<u8>>,
}

impl Outcome {
    fn new(input: &Input) -> Outcome {
        Outcome {
            name: input.display_name(),
            status: Status::Unchanged,
            bytes_in: 0,
            bytes_out: 0,
            lines_removed: Vec::new(),
            left_empty: false,
            stdout: None,
        }
    }
}

/// How many inputs are processed between two flushes of standard output; bounds the memory
/// held for diffs and keeps output flowing.
const BATCH: usize = 512;

/// Processes `inputs` in parallel on the current rayon pool. `on_done` is called on the worker
/// thread as each input finishes (for progress); `on_outcome` is called for each outcome in
/// input order. Stops early when `on_outcome` returns an error (a closed pipe).
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
            .map(|input| {
                let outcome = process(input, cleaner, options);
                on_done(&outcome);
                outcome
            })
            .collect();
        for outcome in outcomes {
            on_outcome(outcome)?;
        }
    }
    Ok(())
}

/// Processes one input. Never panics on any input bytes; every failure becomes
/// [`Status::Failed`] with a message.
pub fn process(input: &Input, cleaner: &Cleaner, options: &Options) -> Outcome {
    let mut outcome = Outcome::new(input);
    // A bug must cost one input, not the run: a panic is reported like any other failure.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_into(input, cleaner, options, &mut outcome)
    }))
    .unwrap_or_else(|_| Err("internal error while cleaning this input (please report it)".to_string()));
    if let Err(message) = result {
        outcome.status = Status::Failed(message);
        outcome.stdout = None;
    }
    outcome
}

fn process_into(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let (bytes, permissions) = read_input(input).map_err(|err| err.to_string())?;
    outcome.bytes_in = bytes.len() as u64;
    let text = match decode(&bytes, options.lossy).map_err(|err| err.to_string())? {
        Decoded::Binary => {
            outcome.status = Status::Skipped("binary file (NUL byte near the start)".to_string());
            return Ok(());
        }
        Decoded::Text(text) => text,
    };
    let cleaned = cleaner.clean(&text);
    let clean = cleaned.text().as_bytes();
    let changed = clean != bytes.as_slice();
    outcome.status = if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    outcome.bytes_out = clean.len() as u64;
    outcome.left_empty = clean.is_empty() && !bytes.is_empty();
    for removal in cleaned.removals() {
        if removal.kind != crate::strip::RemovalKind::Line {
            continue;
        }
        match outcome
            .lines_removed
            .iter_mut()
            .find(|(rule, _)| *rule == removal.rule)
        {
            Some((_, count)) => *count += 1,
            None => outcome.lines_removed.push((removal.rule.clone(), 1)),
        }
    }
    let write = |path: &std::path::Path| {
        write_atomic(path, clean, permissions.clone())
            .map_err(|err| format!("cannot write {}: {err}", path.display()))
    };
    match (&options.destination, input) {
        (Destination::Stdout, _) => outcome.stdout = Some(clean.to_vec()),
        (Destination::File(path), _) => write(path)?,
        (Destination::Mirror(dir), Input::File { relative, .. }) => write(&dir.join(relative))?,
        (Destination::Mirror(_), Input::Stdin) => {
            return Err("standard input cannot be mirrored into a directory".into())
        }
        (Destination::InPlace, Input::File { path, .. }) if changed => write(path)?,
        (Destination::InPlace, Input::Stdin) => {
            return Err("standard input cannot be cleaned in place".into())
        }
        (Destination::InPlace | Destination::Check, _) => {}
        (Destination::Diff, _) => {
            let original = String::from_utf8_lossy(&bytes);
            outcome.stdout = unified_diff(&outcome.name, &original, &cleaned).map(String::into_bytes);
        }
    }
    Ok(())
}

fn read_input(input: &Input) -> io::Result<(Vec<u8>, Option<Permissions>)> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            Ok((bytes, None))
        }
        Input::File { path, .. } => {
            let mut file = std::fs::File::open(path)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
            file.read_to_end(&mut bytes)?;
            Ok((bytes, Some(meta.permissions())))
        }
    }
}

/// Writes an outcome's standard-output bytes, if any.
pub fn write_stdout(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    match &outcome.stdout {
        Some(bytes) => out.write_all(bytes),
        None => Ok(()),
    }
}
