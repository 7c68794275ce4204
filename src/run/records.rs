//! Cleaning a JSONL input: records are read in bounded batches, cleaned in parallel, and
//! written in their input order, so memory stays bounded by the batch size, not the input size.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::ops::Range;
use std::path::PathBuf;

use crate::input::compress::{Compression, Encoder};
use crate::input::decode::looks_like_html;
use crate::input::decode::{too_large, Bounded};
use crate::input::lines::{record_content, Lines, Position};
use crate::input::list::Input;
use crate::input::reading::ReadError;
use crate::output::destination::{links_for, target_path, Destination};
use crate::output::manifest::{file_hash, manifest_key};
use crate::output::write::{resolve, Output};
use crate::run::batches::Batches;
use crate::run::document::HTML_KEPT;
use crate::run::failure::{Failure, RecordIssue};
use crate::run::options::{BadRecordPolicy, Options};
use crate::run::outcome::{collect_removed_lines, ledger_lines, Outcome, RecordCounts, RemovedLines, Status};
use crate::run::review::ReviewSample;
use crate::text::clean::Cleaner;
use crate::text::diff::unified_diff;
use crate::text::record::clean_record;
use crate::text::record::Record;

/// Records per batch.
const BATCH_RECORDS: usize = 1024;
/// Bytes per batch: a batch ends at whichever limit comes first.
const BATCH_BYTES: usize = 16 << 20;

/// Where the records of one input go.
enum Sink {
    /// An output file or stream, compressed as its name asks; a file is put in place when the
    /// input is done.
    Output(Box<Encoder<BufWriter<Output>>>),
    /// Standard output, written batch by batch.
    Stdout,
    /// Standard output held back in an unnamed temporary file until the whole input is known to
    /// be good (`--on-bad-record fail`), so that a failed input prints nothing.
    Spool(BufWriter<File>),
    /// Nowhere (`--check`), or into a diff kept with the outcome (`--diff`).
    Nowhere,
}

impl Sink {
    fn open(target: Option<PathBuf>, options: &Options) -> io::Result<Sink> {
        let Some(target) = target else {
            return Ok(match options.destination {
                Destination::Stdout if options.on_bad_record == BadRecordPolicy::Fail => {
                    Sink::Spool(BufWriter::new(tempfile::tempfile()?))
                }
                Destination::Stdout => Sink::Stdout,
                _ => Sink::Nowhere,
            });
        };
        let output = Output::create(&resolve(&target)?, links_for(&options.destination))?;
        let encoder = Encoder::new(
            BufWriter::with_capacity(1 << 16, output),
            Compression::of(&target),
        )?;
        Ok(Sink::Output(Box::new(encoder)))
    }

    fn writer(&mut self) -> Box<dyn Write + '_> {
        match self {
            Sink::Output(encoder) => Box::new(encoder),
            Sink::Stdout => Box::new(io::stdout().lock()),
            Sink::Spool(file) => Box::new(file),
            Sink::Nowhere => Box::new(io::sink()),
        }
    }

    fn write_batch(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut writer = self.writer();
        writer.write_all(bytes)?;
        writer.flush()
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Output(encoder) => {
                let output = encoder.finish()?.into_inner().map_err(|err| err.into_error())?;
                output.finish()
            }
            Sink::Spool(file) => {
                let mut file = file.into_inner().map_err(|err| err.into_error())?;
                file.rewind()?;
                let mut stdout = io::stdout().lock();
                io::copy(&mut file, &mut stdout)?;
                stdout.flush()
            }
            Sink::Stdout | Sink::Nowhere => Ok(()),
        }
    }

    fn is_stdout(&self) -> bool {
        matches!(self, Sink::Stdout | Sink::Spool(_))
    }
}

/// Records cleaned one after the other in one task.
const CHUNK_RECORDS: usize = 8;

/// What became of a run of consecutive lines: their output one after the other, and what they
/// add up to. A batch is cleaned in chunks of a few lines, each with one of these, so that
/// buffers come per chunk rather than per record: the thread that writes them frees them,
/// and a free from a thread other than the one that allocated takes a lock the other may hold.
#[derive(Default)]
struct CleanedChunk {
    output: Vec<u8>,
    counts: RecordCounts,
    /// Bad records, in their order.
    errors: Vec<RecordIssue>,
    removed_lines: RemovedLines,
    ledger: Vec<String>,
    diff: Vec<u8>,
    review: ReviewSample,
    /// Records whose text is an HTML page.
    html_pages: u64,
}

/// Cleans one line and adds what became of it to `done`.
fn clean_line(
    input: &Input,
    number: Position,
    raw: &[u8],
    cleaner: &Cleaner,
    options: &Options,
    name: &str,
    done: &mut CleanedChunk,
) {
    if options.stopped() {
        // The batch is thrown away once it is done (see `stream_records`): stop soon.
        return;
    }
    let Some(content) = record_content(raw) else {
        done.output.extend_from_slice(raw);
        return;
    };
    done.counts.seen += 1;
    // A record's site (its URL's host) matters only to a profile's group rules.
    let group = |record: &Record<'_>| {
        (cleaner.site_matters()).then(|| options.reading.group_by.group(input, || record.host()))
    };
    let done_record = match clean_record(content, &options.reading.fields, cleaner, group) {
        Ok(done_record) => done_record,
        Err(failure) => return bad_record(number, failure.to_string(), raw, options, done),
    };
    let (record, cleaned) = (&done_record.record, &done_record.cleaned);
    if done_record.page.is_none() {
        done.html_pages += u64::from(looks_like_html(&record.text));
    }
    let too_short = |min| cleaned.text().split_whitespace().count() < min;
    if options.drop_empty && cleaned.text().is_empty() {
        done.counts.dropped_empty += 1;
    } else if options.min_words.is_some_and(too_short) {
        done.counts.dropped_short += 1;
    } else if !done_record.changed() {
        done.counts.unchanged += 1;
        done.output.extend_from_slice(raw);
    } else {
        done.counts.cleaned += 1;
        // The cleaned record is about as long as the raw one, or shorter.
        done.output.reserve(raw.len());
        done_record.splice_into(&mut done.output);
        if raw.ends_with(b"\n") {
            done.output.push(b'\n');
        }
    }
    collect_removed_lines(&mut done.removed_lines, cleaned, options.removed_texts);
    if options.ledger {
        ledger_lines(
            name,
            Some((number.ledger_key(), number.value(), record.id.as_deref())),
            cleaned,
            &mut done.ledger,
        );
    }
    let record_name = || match &record.id {
        Some(id) => format!("{name}:{number} (id {id})"),
        None => format!("{name}:{number}"),
    };
    if options.review {
        done.review.offer(record_name, cleaned);
    }
    let original = done_record.original();
    if options.destination == Destination::Diff && cleaned.text() != original {
        if let Some(diff) = unified_diff(&record_name(), original, cleaned, options.annotate_diff) {
            done.diff.extend_from_slice(diff.as_bytes());
        }
    }
}

/// Counts a line that is not a usable record, and passes, drops or keeps it back as
/// `--on-bad-record` says.
fn bad_record(number: Position, message: String, raw: &[u8], options: &Options, done: &mut CleanedChunk) {
    done.counts.bad += 1;
    done.errors.push(RecordIssue {
        position: number,
        message,
    });
    match options.on_bad_record {
        BadRecordPolicy::Pass => done.output.extend_from_slice(raw),
        BadRecordPolicy::Drop => done.counts.dropped_bad += 1,
        BadRecordPolicy::Fail => {}
    }
}

/// Cleans the records of one JSONL input into its destination.
pub fn process_jsonl(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
) -> Result<(), Failure> {
    if let (Some(done), Input::File { path, .. }) = (&options.up_to_date, input) {
        let hash = file_hash(path).map_err(ReadError::from)?;
        if done.has_output(input, &hash, &options.destination) {
            // The whole file was read to hash it.
            outcome.bytes_in = std::fs::metadata(path).map_or(0, |meta| meta.len());
            options.read(outcome.bytes_in);
            outcome.status = Status::UpToDate;
            return Ok(());
        }
        outcome.manifest_entry = manifest_key(input).map(|key| (key, hash));
    }
    let mut lines = Lines::open(input, options.record_shard).map_err(ReadError::from)?;
    let target = target_path(&options.destination, input).map_err(Failure::NoTarget)?;
    let mut sink =
        Sink::open(target.clone(), options).map_err(|err| Failure::write(target.as_deref(), &err))?;
    let on_stdout = sink.is_stdout();
    let mut closed = false;
    let result = stream_records(
        input,
        cleaner,
        options,
        outcome,
        &mut lines,
        &mut sink,
        &mut |err| {
            closed |= on_stdout && err.kind() == io::ErrorKind::BrokenPipe;
            Failure::write(target.as_deref(), &err)
        },
    );
    let result = result.and_then(|changed| {
        // In place, an unchanged input is left as it is: the temporary copy is dropped.
        if options.destination == Destination::InPlace && !changed {
            return Ok(());
        }
        sink.finish().map_err(|err| {
            closed |= on_stdout && err.kind() == io::ErrorKind::BrokenPipe;
            Failure::write(target.as_deref(), &err)
        })
    });
    outcome.output_closed = closed;
    result
}

/// Applies `--on-bad-record` to the error of one bad record: stops the input (`fail`), keeps the
/// error (`pass`), or lets it go, since dropping was asked for (`drop`: the line is counted).
fn apply_bad_record_policy(
    policy: BadRecordPolicy,
    error: RecordIssue,
    errors: &mut Vec<RecordIssue>,
) -> Result<(), Failure> {
    match policy {
        BadRecordPolicy::Fail => Err(Failure::BadRecord(error)),
        BadRecordPolicy::Pass => {
            errors.push(error);
            Ok(())
        }
        BadRecordPolicy::Drop => Ok(()),
    }
}

/// Reads, cleans and writes the records of one input in batches; returns whether any record
/// changed. `write_error` turns a failed write into the input's error.
///
/// While one batch is cleaned, the batch before it is written and the one after it read, so
/// that reading and writing do not keep the other threads waiting; with one thread the three
/// simply take turns.
fn stream_records(
    input: &Input,
    cleaner: &Cleaner,
    options: &Options,
    outcome: &mut Outcome,
    lines: &mut Lines,
    sink: &mut Sink,
    write_error: &mut (dyn FnMut(io::Error) -> Failure + Send),
) -> Result<bool, Failure> {
    let mut tally = Tally::default();
    let name = outcome.name.clone();
    let limit = options.reading.max_doc_bytes;
    let mut current = LineBatch::new();
    let mut next = LineBatch::new();
    let mut ended = next.read(lines, limit)?;
    let mut cleaned: Option<Vec<CleanedChunk>> = None;
    loop {
        if options.stopped() {
            // The temporary output is dropped, and with it removed.
            return Err(Failure::Stopped);
        }
        std::mem::swap(&mut current, &mut next);
        let bytes = current.bytes() as u64;
        outcome.bytes_in += bytes;
        options.read(bytes);
        let read_ahead = matches!(ended, BatchEnd::Full);
        let (results, read) = rayon::join(
            || {
                current.clean(|number, line, done| {
                    clean_line(input, number, line, cleaner, options, &name, done)
                })
            },
            || -> Result<Option<BatchEnd>, Failure> {
                if let Some(results) = cleaned.take() {
                    tally.hand_on(results, outcome, options.on_bad_record, sink, write_error)?;
                }
                Ok(if read_ahead {
                    Some(next.read(lines, limit)?)
                } else {
                    None
                })
            },
        );
        if options.stopped() {
            // Records cleaned after the signal were passed over: none of this batch is written.
            return Err(Failure::Stopped);
        }
        let read = read?;
        cleaned = Some(results);
        ended = match (ended, read) {
            (_, Some(end)) => end,
            (BatchEnd::TooLarge(position, start), None) => {
                if let Some(results) = cleaned.take() {
                    tally.hand_on(results, outcome, options.on_bad_record, sink, write_error)?;
                }
                tally.count_oversized(position, options)?;
                let (read, written) =
                    pass_oversized(&start, options.on_bad_record, lines, sink, write_error)?;
                outcome.bytes_in += read;
                options.read(read);
                outcome.bytes_out += written;
                next.read(lines, limit)?
            }
            (_, None) => break,
        };
    }
    if let Some(results) = cleaned.take() {
        tally.hand_on(results, outcome, options.on_bad_record, sink, write_error)?;
    }
    Ok(tally.finish(outcome))
}

/// What the records handed on so far add up to.
#[derive(Default)]
struct Tally {
    counts: RecordCounts,
    errors: Vec<RecordIssue>,
    diff: Vec<u8>,
    /// Records whose text is an HTML page.
    html_pages: u64,
    /// The output of the batch being handed on.
    output: Vec<u8>,
}

impl Tally {
    /// Adds one cleaned batch to the outcome and writes its output, in the records' order.
    fn hand_on(
        &mut self,
        results: Vec<CleanedChunk>,
        outcome: &mut Outcome,
        policy: BadRecordPolicy,
        sink: &mut Sink,
        write_error: &mut (dyn FnMut(io::Error) -> Failure + Send),
    ) -> Result<(), Failure> {
        // One buffer for every batch: a fresh one of a batch's size each time would be mapped,
        // faulted in and given back to the system batch after batch.
        let output = &mut self.output;
        output.clear();
        output.reserve(results.iter().map(|result| result.output.len()).sum());
        for result in results {
            for error in result.errors {
                apply_bad_record_policy(policy, error, &mut self.errors)?;
            }
            self.counts.add(&result.counts);
            self.html_pages += result.html_pages;
            output.extend_from_slice(&result.output);
            outcome.ledger.extend(result.ledger);
            outcome.removed_lines.merge(&result.removed_lines);
            outcome.review.merge(result.review);
            self.diff.extend_from_slice(&result.diff);
        }
        outcome.bytes_out += output.len() as u64;
        sink.write_batch(output).map_err(write_error)
    }

    /// Counts a record over the size limit as a bad record.
    fn count_oversized(&mut self, position: Position, options: &Options) -> Result<(), Failure> {
        let error = RecordIssue {
            position,
            message: too_large(options.reading.max_doc_bytes),
        };
        self.counts.seen += 1;
        self.counts.bad += 1;
        apply_bad_record_policy(options.on_bad_record, error, &mut self.errors)?;
        if options.on_bad_record != BadRecordPolicy::Pass {
            self.counts.dropped_bad += 1;
        }
        Ok(())
    }

    /// Puts the totals in the outcome; returns whether any record changed.
    fn finish(self, outcome: &mut Outcome) -> bool {
        let counts = self.counts;
        outcome.record_errors = self.errors;
        let changed = counts.cleaned + counts.dropped_empty + counts.dropped_short + counts.dropped_bad > 0;
        outcome.status = if changed {
            Status::Changed
        } else {
            Status::Unchanged
        };
        outcome.records = Some(counts);
        if self.html_pages > 0 {
            outcome.warnings.push(format!(
                "{}; {HTML_KEPT}",
                match self.html_pages {
                    1 => "1 record's text looks like an HTML page".to_string(),
                    n => format!("{n} records' texts look like HTML pages"),
                }
            ));
        }
        if !self.diff.is_empty() {
            outcome.stdout = Some(self.diff);
        }
        changed
    }
}

/// What ended a batch of lines.
enum BatchEnd {
    /// The batch is full.
    Full,
    /// A line over the size limit, of which only the start was read; it is dealt with once
    /// the batch is out.
    TooLarge(Position, Vec<u8>),
    /// The input has no more lines.
    Input,
}

/// The lines of one batch, read one after the other into a buffer that serves batch after
/// batch: lines are not allocated one by one, nor freed by a thread other than the one that
/// read them.
struct LineBatch {
    /// Each line's position, and where it lies in `bytes`.
    lines: Batches<(Position, Range<usize>)>,
    bytes: Vec<u8>,
}

impl LineBatch {
    fn new() -> LineBatch {
        LineBatch {
            lines: Batches::new(BATCH_RECORDS, BATCH_BYTES),
            bytes: Vec::new(),
        }
    }

    /// The bytes of the lines waiting.
    fn bytes(&self) -> usize {
        self.lines.bytes()
    }

    /// Reads lines until the batch is full, a line is over `limit`, or the input ends.
    fn read(&mut self, lines: &mut Lines, limit: u64) -> Result<BatchEnd, ReadError> {
        while !self.lines.is_full() {
            let start = self.bytes.len();
            match lines.append_line(&mut self.bytes, limit)? {
                None => return Ok(BatchEnd::Input),
                Some((position, Bounded::Whole)) => {
                    let end = self.bytes.len();
                    self.lines.push((position, start..end), end - start);
                }
                Some((position, Bounded::TooLarge)) => {
                    return Ok(BatchEnd::TooLarge(position, self.bytes.split_off(start)));
                }
            }
        }
        Ok(BatchEnd::Full)
    }

    /// Cleans the waiting lines in parallel, [`CHUNK_RECORDS`] to a task, and empties the
    /// batch; `clean` adds what became of a line to its chunk's [`CleanedChunk`]. A buffer that one
    /// very long line made large is given back.
    fn clean(
        &mut self,
        clean: impl Fn(Position, &[u8], &mut CleanedChunk) + Sync + Send,
    ) -> Vec<CleanedChunk> {
        let bytes = &self.bytes;
        let results = self.lines.map_chunks(CHUNK_RECORDS, |lines| {
            let mut done = CleanedChunk::default();
            for (position, range) in lines {
                clean(*position, &bytes[range.clone()], &mut done);
            }
            done
        });
        self.bytes.clear();
        self.bytes.shrink_to(BATCH_BYTES);
        results
    }
}

/// Deals with a record over the size limit, a bad record like any other but never held whole:
/// passed through, it is copied from the input to the output as it is read; dropped, the rest
/// of it is read past. `start` is what was read of it. Returns the bytes read and written.
fn pass_oversized(
    start: &[u8],
    policy: BadRecordPolicy,
    lines: &mut Lines,
    sink: &mut Sink,
    write_error: &mut (dyn FnMut(io::Error) -> Failure + Send),
) -> Result<(u64, u64), Failure> {
    if policy != BadRecordPolicy::Pass {
        let rest = lines.rest_of_line(&mut io::sink()).map_err(ReadError::from)?;
        return Ok((start.len() as u64 + rest, 0));
    }
    let mut writer = sink.writer();
    writer.write_all(start).map_err(&mut *write_error)?;
    let rest = lines.rest_of_line(&mut writer).map_err(&mut *write_error)?;
    writer.flush().map_err(&mut *write_error)?;
    let whole = start.len() as u64 + rest;
    Ok((whole, whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_reads_its_lines_into_one_buffer_and_cleans_them_in_order_in_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        let short: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        std::fs::write(&path, format!("{short}{}\nlast\n", "x".repeat(50))).unwrap();
        let input = Input::File {
            path,
            relative: PathBuf::new(),
        };
        let mut lines = Lines::open(&input, None).unwrap();
        let mut batch = LineBatch::new();

        let end = batch.read(&mut lines, 40).unwrap();
        assert!(
            matches!(&end, BatchEnd::TooLarge(Position::Line(21), start) if *start == b"x".repeat(41)),
            "a line over the limit ends the batch with its start taken out of the buffer"
        );
        assert_eq!(batch.bytes(), short.len());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let chunks = pool.install(|| {
            batch.clean(|position, line, done| {
                done.output.extend_from_slice(format!("{position}:").as_bytes());
                done.output.extend_from_slice(line);
                done.counts.seen += 1;
            })
        });
        let sizes: Vec<u64> = chunks.iter().map(|chunk| chunk.counts.seen).collect();
        assert_eq!(sizes, [8, 8, 4], "{CHUNK_RECORDS} lines to a chunk");
        let output: Vec<u8> = chunks.iter().flat_map(|chunk| chunk.output.clone()).collect();
        let expected: String = (1..=20).map(|n| format!("{n}:line {n}\n")).collect();
        assert_eq!(String::from_utf8(output).unwrap(), expected);
        assert_eq!(
            (batch.bytes(), batch.bytes.len()),
            (0, 0),
            "cleaning empties the batch"
        );

        lines.rest_of_line(&mut io::sink()).unwrap();
        assert!(matches!(batch.read(&mut lines, 40).unwrap(), BatchEnd::Input));
        let chunks = batch.clean(|position, line, done| {
            done.output.extend_from_slice(format!("{position}:").as_bytes());
            done.output.extend_from_slice(line);
        });
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].output, b"22:last\n");
    }
}
