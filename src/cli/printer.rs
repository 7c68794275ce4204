//! What `pare clean` prints as each input finishes: errors and warnings (coloured when asked),
//! `would change:` lines under `--check`, cleaned text or diffs on standard output, and the
//! ledger.

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use pare::output::destination::Destination;
use pare::output::write::{Links, Output, Target};
use pare::run::failure::Failure;
use pare::run::outcome::{write_stdout, Outcome, Status};

use super::args::{CleanArgs, ColorWhen};
use super::progress::Progress;

/// How many bad records of one input are printed before the rest are counted.
const RECORD_ERRORS_SHOWN: usize = 5;

/// Prints each outcome of a run, in input order.
pub(super) struct Printer {
    stdout: io::BufWriter<io::Stdout>,
    error_prefix: &'static str,
    color_diff: bool,
    /// Under `--check`, name each input that would change.
    name_changes: bool,
    /// Some input would change (or did).
    pub(super) would_change: bool,
    /// Name each input with what happened to it (`--verbose`).
    verbose: bool,
    /// Nothing is written: say "would change", not "cleaned".
    dry_run: bool,
    /// The inputs named on the command line (not found in a directory).
    named: HashSet<String>,
    /// An input named on the command line was skipped (a binary file): what was asked for was
    /// not done, and the exit code says so.
    pub(super) skipped_named: bool,
}

impl Printer {
    /// `report_or_ledger_on_stdout`: a report or ledger on standard output already lists the
    /// inputs; names there would spoil it.
    pub(super) fn new(
        args: &CleanArgs,
        destination: &Destination,
        report_or_ledger_on_stdout: bool,
    ) -> Printer {
        let color_errors = colors(args.color, io::stderr().is_terminal());
        Printer {
            stdout: io::BufWriter::new(io::stdout()),
            error_prefix: if color_errors {
                "\x1b[1;31merror\x1b[0m"
            } else {
                "error"
            },
            color_diff: *destination == Destination::Diff && colors(args.color, io::stdout().is_terminal()),
            name_changes: *destination == Destination::Check && !report_or_ledger_on_stdout,
            would_change: false,
            verbose: args.verbose,
            dry_run: matches!(destination, Destination::Check | Destination::Diff),
            named: args.paths.iter().map(|path| path.display().to_string()).collect(),
            skipped_named: false,
        }
    }

    /// Prints what `outcome` has to say; its text or diff goes to standard output.
    pub(super) fn print(&mut self, outcome: &Outcome, progress: &Progress) -> io::Result<()> {
        let prefix = self.error_prefix;
        match &outcome.status {
            // A bad record is named by its line: `PATH:LINE: message`.
            Status::Failed(failure @ Failure::BadRecord(_)) => {
                progress.suspend(|| eprintln!("pare: {prefix}: {}:{failure}", outcome.name))
            }
            Status::Failed(failure) => {
                progress.suspend(|| eprintln!("pare: {prefix}: {}: {failure}", outcome.name))
            }
            // Skipped when named on the command line is an error; found in a folder, a warning.
            Status::Skipped(reason) if self.named.contains(&outcome.name) => {
                self.skipped_named = true;
                progress.suspend(|| eprintln!("pare: {prefix}: {}: skipped: {reason}", outcome.name));
            }
            Status::Skipped(reason) => {
                progress.suspend(|| eprintln!("pare: warning: {}: skipped: {reason}", outcome.name))
            }
            _ => {}
        }
        for warning in &outcome.warnings {
            progress.suspend(|| eprintln!("pare: warning: {}: {warning}", outcome.name));
        }
        // A wrong --field makes every record bad: the first few say why, then a count.
        for error in outcome.record_errors.iter().take(RECORD_ERRORS_SHOWN) {
            progress.suspend(|| eprintln!("pare: {prefix}: {}:{error}", outcome.name));
        }
        if let Some(more) = (outcome.record_errors.len().checked_sub(RECORD_ERRORS_SHOWN)).filter(|n| *n > 0)
        {
            progress.suspend(|| {
                eprintln!(
                    "pare: {prefix}: {}: {more} more bad records (all are listed by --report)",
                    outcome.name
                )
            });
        }
        if self.verbose {
            self.say_what_happened(outcome, progress);
        }
        self.would_change |= outcome.status == Status::Changed;
        if self.name_changes && outcome.status == Status::Changed {
            // What a CI log must show: which input to fix. Listed as the inputs finish, in
            // input order, on standard output (which --check otherwise leaves empty).
            writeln!(self.stdout, "would change: {}", outcome.name)?;
        }
        match (&outcome.stdout, self.color_diff) {
            (Some(diff), true) => self.stdout.write_all(&colorize_diff(diff)),
            _ => write_stdout(&mut self.stdout, outcome),
        }
    }

    /// `--verbose`: `pare: PATH: cleaned, 3 lines removed` (errors and skips are printed anyway).
    fn say_what_happened(&self, outcome: &Outcome, progress: &Progress) {
        let what = match (&outcome.status, self.dry_run) {
            (Status::Changed, false) => "cleaned",
            (Status::Changed, true) => "would change",
            (Status::Unchanged, _) => "unchanged",
            (Status::UpToDate, _) => {
                progress.suspend(|| eprintln!("pare: {}: skipped, up to date", outcome.name));
                return;
            }
            _ => return,
        };
        let lines: u64 = outcome.removed_lines.per_rule().map(|(_, total, _)| total).sum();
        let records = match &outcome.records {
            Some(records) => format!(", {} of {} records cleaned", records.cleaned, records.seen),
            None => String::new(),
        };
        let plural = if lines == 1 { "" } else { "s" };
        progress.suspend(|| {
            eprintln!(
                "pare: {}: {what}, {lines} line{plural} removed{records}",
                outcome.name
            )
        });
    }

    /// Flushes standard output.
    pub(super) fn flush(&mut self) -> io::Result<()> {
        self.stdout.flush()
    }
}

/// Whether to colour a stream: asked for, or `auto` on a terminal without `NO_COLOR` set (to
/// anything but the empty string).
fn colors(when: ColorWhen, terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    }
}

/// A unified diff with ANSI colours: file headers bold, hunk headers cyan, removed lines red
/// (their rule note dimmed), added lines green.
fn colorize_diff(diff: &[u8]) -> Vec<u8> {
    const RESET: &[u8] = b"\x1b[0m";
    let mut out = Vec::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive(|&byte| byte == b'\n') {
        let (text, newline) = match line.strip_suffix(b"\n") {
            Some(text) => (text, &b"\n"[..]),
            None => (line, &b""[..]),
        };
        let colour: &[u8] = if text.starts_with(b"---") || text.starts_with(b"+++") {
            b"\x1b[1m"
        } else if text.starts_with(b"@@") {
            b"\x1b[36m"
        } else if text.starts_with(b"-") {
            b"\x1b[31m"
        } else if text.starts_with(b"+") {
            b"\x1b[32m"
        } else {
            b""
        };
        if colour.is_empty() {
            out.extend_from_slice(line);
            continue;
        }
        out.extend_from_slice(colour);
        match text.windows(8).position(|window| window == b"\t# rule:") {
            Some(at) if colour == b"\x1b[31m" => {
                out.extend_from_slice(&text[..at]);
                out.extend_from_slice(RESET);
                out.extend_from_slice(b"\x1b[2m");
                out.extend_from_slice(&text[at..]);
            }
            _ => out.extend_from_slice(text),
        }
        out.extend_from_slice(RESET);
        out.extend_from_slice(newline);
    }
    out
}

/// The removal ledger: JSON lines written in input order; a file takes the ledger's name when
/// the run ends (also after a signal, covering every finished input).
pub(super) struct Ledger {
    path: PathBuf,
    writer: io::BufWriter<Output>,
}

impl Ledger {
    pub(super) fn create(target: &Target, path: &Path) -> anyhow::Result<Ledger> {
        let output = Output::create(target, Links::Split)
            .with_context(|| format!("cannot create ledger {}", path.display()))?;
        Ok(Ledger {
            path: path.to_path_buf(),
            writer: io::BufWriter::new(output),
        })
    }

    pub(super) fn write(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            self.writer.write_all(line.as_bytes())?;
            self.writer.write_all(b"\n")?;
        }
        Ok(())
    }

    pub(super) fn finish(self) -> anyhow::Result<()> {
        let output = self.writer.into_inner().map_err(|err| err.into_error());
        output
            .and_then(Output::finish)
            .with_context(|| format!("cannot write ledger {}", self.path.display()))
    }
}
