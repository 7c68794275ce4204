//! Cleaning a JSONL input: records are read in bounded batches, cleaned in parallel, and
//! written in their input order, so memory stays bounded by the batch size, not the input size.

use std::fs::{File, Permissions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;

use rayon::prelude::*;
use tempfile::TempPath;

use crate::clean::Cleaner;
use crate::compress::{Compression, Encoder};
use crate::diff::unified_diff;
use crate::discover::Input;
use crate::jsonl::Record;
use crate::pipeline::{
    collect_removed_lines, ledger_lines, target_path, BadRecordPolicy, Destination, Options, Outcome,
    RecordCounts, Shard, Status,
};
use crate::report::RemovedLines;
use crate::write::{put_in_place, temp_file_beside};

/// Records per batch.
const BATCH_RECORDS: usize = 1024;
/// Bytes per batch: a batch ends at whichever limit comes first.
const BATCH_BYTES: usize = 16 << 20;

/// Where the records of one input go.
enum Sink {
    /// A temporary file that replaces `target` when the input is done.
    File {
        encoder: Box<Encoder<BufWriter<File>>>,
        /// The temporary file's path; dropping it removes the file.
        temp: TempPath,
        target: PathBuf,
        permissions: Option<Permissions>,
    },
    /// Standard output, written batch by batch.
    Stdout,
    /// Nowhere (`--check`), or into a diff kept with the outcome (`--diff`).
    Nowhere,
}

impl Sink {
    fn open(
        target: Option<PathBuf>,
        destination: &Destination,
        permissions: Option<Permissions>,
    ) -> io::Result<Sink> {
        let Some(target) = target else {
            return Ok(match destination {
                Destination::Stdout => Sink::Stdout,
                _ => Sink::Nowhere,
            });
        };
        // The file and its path are held apart so that write errors are the file system's own,
        // without the temporary name (which is gone by the time the error is read).
        let (file, temp) = temp_file_beside(&target)?.into_parts();
        let encoder = Box::new(Encoder::new(
            BufWriter::with_capacity(1 << 16, file),
            Compression::of(&target),
        )?);
        Ok(Sink::File {
            encoder,
            temp,
            target,
            permissions,
        })
    }

    fn write_batch(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::File { encoder, .. } => encoder.write_all(bytes),
            Sink::Stdout => {
                let mut stdout = io::stdout().lock();
                stdout.write_all(bytes)?;
                stdout.flush()
            }
            Sink::Nowhere => Ok(()),
        }
    }

    fn finish(self) -> io::Result<()> {
        if let Sink::File {
            encoder,
            temp,
            target,
            permissions,
        } = self
        {
            let file = encoder.finish()?.into_inner().map_err(|err| err.into_error())?;
            put_in_place(file, temp, &target, permissions)?;
        }
        Ok(())
    }
}

/// What became of one line.
#[derive(Default)]
struct LineResult {
    output: Vec<u8>,
    counts: RecordCounts,
    error: Option<String>,
    removed_lines: RemovedLines,
    ledger: Vec<String>,
    diff: Option<String>,
}

/// The record a JSONL line holds, without its newline; `None` for a blank line, which holds
/// none and is passed over.
pub(crate) fn record_content(line: &[u8]) -> Option<&[u8]> {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    (!content.iter().all(u8::is_ascii_whitespace)).then_some(content)
}

fn clean_line(
    input: &Input,
    number: Position,
    raw: &[u8],
    cleaner: &Cleaner,
    options: &Options,
    name: &str,
) -> LineResult {
    let mut result = LineResult::default();
    let Some(content) = record_content(raw) else {
        result.output.extend_from_slice(raw);
        return result;
    };
    result.counts.seen = 1;
    let record = match Record::parse(content, &options.field) {
        Ok(record) => record,
        Err(err) => {
            result.counts.bad = 1;
            result.error = Some(format!("{number}: {err}"));
            match options.on_bad_record {
                BadRecordPolicy::Pass => result.output.extend_from_slice(raw),
                BadRecordPolicy::Drop => result.counts.dropped_bad = 1,
                BadRecordPolicy::Fail => {}
            }
            return result;
        }
    };
    let cleaned = cleaner.clean_in(
        &record.text,
        Some(&options.group_by.group(input, || record.host())),
    );
    let words = cleaned.text().split_whitespace().count();
    if options.drop_empty && cleaned.text().is_empty() {
        result.counts.dropped_empty = 1;
    } else if options.min_words.is_some_and(|min| words < min) {
        result.counts.dropped_short = 1;
    } else if cleaned.text() == record.text {
        result.counts.unchanged = 1;
        result.output.extend_from_slice(raw);
    } else {
        result.counts.cleaned = 1;
        record.splice_into(cleaned.text(), &mut result.output);
        if raw.ends_with(b"\n") {
            result.output.push(b'\n');
        }
    }
    collect_removed_lines(&mut result.removed_lines, &cleaned);
    if options.ledger {
        ledger_lines(
            name,
            Some((number.ledger_key(), number.value(), record.id.as_deref())),
            &cleaned,
            &mut result.ledger,
        );
    }
    if options.destination == Destination::Diff && cleaned.text() != record.text {
        result.diff = unified_diff(&format!("{name}:{number}"), &record.text, &cleaned);
    }
    result
}

/// Where a line stands in its input, for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Position {
    /// 1-based line number.
    Line(usize),
    /// Byte offset of the line's start (inside a byte-range shard, where line numbers are not
    /// known without reading what comes before).
    Byte(u64),
}

impl Position {
    /// The ledger field that holds this position: `record` (a line number) or `record_offset`.
    fn ledger_key(self) -> &'static str {
        match self {
            Position::Line(_) => "record",
            Position::Byte(_) => "record_offset",
        }
    }

    pub(crate) fn value(self) -> u64 {
        match self {
            Position::Line(line) => line as u64,
            Position::Byte(offset) => offset,
        }
    }
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::Byte(offset) => write!(f, "byte {offset}"),
        }
    }
}

/// The lines of an input, possibly only one worker's share of them.
pub(crate) struct Lines {
    reader: BufReader<Box<dyn Read>>,
    /// Next line number, or next byte offset in a byte-range shard.
    next: u64,
    /// Byte-range shards: the offset where this share ends.
    end: Option<u64>,
    /// Line-number shards (compressed or streamed input): keep every count-th line.
    modulo: Option<Shard>,
}

impl Lines {
    pub(crate) fn open(input: &Input, shard: Option<Shard>) -> io::Result<(Lines, Option<Permissions>)> {
        let buffered = |reader: Box<dyn Read>| BufReader::with_capacity(1 << 16, reader);
        let (path, permissions) = match input {
            Input::Stdin => {
                let lines = Lines {
                    reader: buffered(Box::new(io::stdin())),
                    next: 1,
                    end: None,
                    modulo: shard,
                };
                return Ok((lines, None));
            }
            Input::File { path, .. } => (path, Some(std::fs::metadata(path)?.permissions())),
        };
        let compressed = Compression::of(path) != Compression::None;
        let lines = match shard {
            Some(shard) if !compressed => {
                // Seekable: take a byte range, aligned so that a line belongs to the share its
                // first byte falls in.
                let range = shard.byte_range(std::fs::metadata(path)?.len());
                let mut file = std::fs::File::open(path)?;
                let mut start = range.start;
                let mut reader = if start > 0 {
                    file.seek(io::SeekFrom::Start(start - 1))?;
                    let mut reader = buffered(Box::new(file));
                    start += reader.read_until(b'\n', &mut Vec::new())? as u64 - 1;
                    reader
                } else {
                    buffered(Box::new(file))
                };
                if start >= range.end {
                    reader = buffered(Box::new(io::empty()));
                }
                Lines {
                    reader,
                    next: start,
                    end: Some(range.end),
                    modulo: None,
                }
            }
            _ => Lines {
                reader: buffered(crate::compress::open(path)?),
                next: 1,
                end: None,
                modulo: shard,
            },
        };
        Ok((lines, permissions))
    }

    /// Reads this share's next line into `line`; returns its position, or `None` at the end.
    /// A line longer than `limit` bytes is an error naming the limit.
    pub(crate) fn next_line(&mut self, line: &mut Vec<u8>, limit: u64) -> io::Result<Option<Position>> {
        loop {
            line.clear();
            if self.end.is_some_and(|end| self.next >= end) {
                return Ok(None);
            }
            let read = (&mut self.reader).take(limit + 1).read_until(b'\n', line)?;
            if read as u64 > limit {
                let at = match self.end {
                    Some(_) => Position::Byte(self.next),
                    None => Position::Line(self.next as usize),
                };
                return Err(io::Error::other(format!(
                    "{at}: {}",
                    crate::pipeline::too_large(limit)
                )));
            }
            if read == 0 {
                return Ok(None);
            }
            let at = self.next;
            if self.end.is_some() {
                self.next += read as u64;
                return Ok(Some(Position::Byte(at)));
            }
            self.next += 1;
            if self.modulo.is_none_or(|shard| shard.takes(at as usize - 1)) {
                return Ok(Some(Position::Line(at as usize)));
            }
        }
    }
}

/// Cleans the records of one JSONL input into its destination.
pub fn process_jsonl(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let (mut lines, permissions) = Lines::open(input, options.record_shard).map_err(|err| err.to_string())?;
    let target = target_path(&options.destination, input)?;
    let write_error = |err: io::Error| match &target {
        Some(path) => format!("cannot write {}: {err}", path.display()),
        None => err.to_string(),
    };
    let mut sink = Sink::open(target.clone(), &options.destination, permissions).map_err(write_error)?;
    let mut counts = RecordCounts::default();
    let mut diff = Vec::new();
    let mut batch: Vec<(Position, Vec<u8>)> = Vec::with_capacity(BATCH_RECORDS);
    loop {
        batch.clear();
        let mut batch_bytes = 0;
        while batch.len() < BATCH_RECORDS && batch_bytes < BATCH_BYTES {
            let mut line = Vec::new();
            let Some(position) = lines
                .next_line(&mut line, options.max_doc_bytes)
                .map_err(|err| err.to_string())?
            else {
                break;
            };
            batch_bytes += line.len();
            batch.push((position, line));
        }
        if batch.is_empty() {
            break;
        }
        if options.stopped() {
            // The temporary output is dropped, and with it removed.
            return Err("interrupted".to_string());
        }
        outcome.bytes_in += batch_bytes as u64;
        let results: Vec<LineResult> = batch
            .par_iter()
            .map(|(number, line)| clean_line(input, *number, line, cleaner, options, &outcome.name))
            .collect();
        let mut output = Vec::with_capacity(batch_bytes);
        for result in results {
            if let Some(error) = result.error {
                match options.on_bad_record {
                    BadRecordPolicy::Fail => return Err(format!("{error} (stopped: --on-bad-record fail)")),
                    BadRecordPolicy::Pass => outcome.record_errors.push(error),
                    // Dropping was asked for: the line is counted, not an error.
                    BadRecordPolicy::Drop => {}
                }
            }
            counts.add(&result.counts);
            output.extend_from_slice(&result.output);
            outcome.ledger.extend(result.ledger);
            outcome.removed_lines.merge(&result.removed_lines);
            if let Some(text) = result.diff {
                diff.extend_from_slice(text.as_bytes());
            }
        }
        outcome.bytes_out += output.len() as u64;
        sink.write_batch(&output).map_err(write_error)?;
    }
    let changed = counts.cleaned + counts.dropped_empty + counts.dropped_short + counts.dropped_bad > 0;
    outcome.status = if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    outcome.records = Some(counts);
    if !diff.is_empty() {
        outcome.stdout = Some(diff);
    }
    // In place, an unchanged input is left as it is: the temporary copy is dropped.
    if options.destination == Destination::InPlace && !changed {
        return Ok(());
    }
    sink.finish().map_err(write_error)
}
