//! The settings of a run: how inputs are read, where results go, what is reported.

use std::io;
use std::sync::Arc;

use crate::input::reading::Reading;
use crate::input::shard::Shard;
use crate::output::destination::Destination;
use crate::output::manifest::content_hash;
use crate::text::clean::Cleaner;

/// How inputs are read and where results go.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where cleaned text goes.
    pub destination: Destination,
    /// How inputs are read.
    pub reading: Reading,
    /// Replace invalid UTF-8 with U+FFFD instead of failing the input.
    pub lossy: bool,
    /// What happens to a JSONL line that is not a usable record.
    pub on_bad_record: BadRecordPolicy,
    /// Drop JSONL records whose text is empty after cleaning.
    pub drop_empty: bool,
    /// Drop JSONL records with fewer words than this after cleaning.
    pub min_words: Option<usize>,
    /// Collect a removal ledger entry for every removed line.
    pub ledger: bool,
    /// Tally the text of every removed line, for the report's most removed lines of each rule;
    /// without, removed lines are only counted by rule.
    pub removed_texts: bool,
    /// Keep a sample of changed documents, line by line, for a person to review
    /// (`--report-html`): see [`crate::run::review`].
    pub review: bool,
    /// Note the removing rule on each removed line of a diff (`--diff`); without, the diff is
    /// a plain patch.
    pub annotate_diff: bool,
    /// Clean only this worker's share of the records of a JSONL input.
    pub record_shard: Option<Shard>,
    /// Outputs already made from the same input bytes under the same settings: inputs found
    /// here are skipped (`--skip-unchanged`).
    pub up_to_date: Option<Arc<crate::output::manifest::Done>>,
    /// Set (by a signal handler) to stop the run: inputs not yet started are left alone, and a
    /// JSONL input being streamed stops between batches, leaving no output.
    pub stop: Arc<std::sync::atomic::AtomicBool>,
    /// Bytes of input read so far, across all workers, as reading goes (a JSONL input batch by
    /// batch): what a progress display shows. Decompressed bytes for compressed inputs.
    pub bytes_read: Arc<std::sync::atomic::AtomicU64>,
}

impl Options {
    /// Counts `bytes` more of input read.
    pub(crate) fn read(&self, bytes: u64) {
        self.bytes_read
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the run was asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A fingerprint of everything that decides an output besides its input, for
    /// `--skip-unchanged`: pare's version, what `cleaner` is (its rules, its detector and the
    /// cleaning code, [`Cleaner::description`]) and the options that change what is written.
    /// Where the output goes and what is reported do not count.
    pub fn output_fingerprint(&self, cleaner: &Cleaner) -> String {
        let description = format!(
            "{} {} {:?} {:?} {} {:?} {:?} {} {:?} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            cleaner.description(),
            self.reading.group_by,
            self.reading.format,
            self.reading.fields.text,
            self.reading.fields.html,
            self.on_bad_record,
            self.drop_empty,
            self.min_words,
            self.lossy,
            self.record_shard,
        );
        content_hash(description.as_bytes())
    }
}

/// The error [`run`](crate::run::run()) returns when the run was stopped through [`Options::stop`].
pub fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

impl Options {
    /// Defaults for a destination: text auto-detection, field `text`, bad records passed through.
    pub fn new(destination: Destination) -> Options {
        Options {
            destination,
            reading: Reading::default(),
            lossy: false,
            on_bad_record: BadRecordPolicy::Pass,
            drop_empty: false,
            min_words: None,
            ledger: false,
            review: false,
            removed_texts: true,
            annotate_diff: true,
            record_shard: None,
            up_to_date: None,
            stop: Arc::default(),
            bytes_read: Arc::default(),
        }
    }
}

/// What happens to a JSONL line that is not a usable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum BadRecordPolicy {
    /// Write it through unchanged, report it, exit 2 at the end.
    Pass,
    /// Leave it out of the output and report it.
    Drop,
    /// Stop at the first one; the input fails and leaves no output.
    Fail,
}
