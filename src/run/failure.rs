//! Why an input failed (a failed input leaves no output, and nothing of it is reported as
//! removed), and what is wrong with a bad JSONL record.

use std::io;
use std::path::Path;

use crate::input::decode::InvalidUtf8;
use crate::input::lines::Position;
use crate::input::reading::ReadError;

/// Why an input failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The input could not be read, decompressed, or was too large.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The input is an HTML page that cannot be read.
    #[error(transparent)]
    Html(#[from] crate::text::html::HtmlError),
    /// The input is not UTF-8 (and `--lossy` was not given).
    #[error(transparent)]
    NotUtf8(#[from] InvalidUtf8),
    /// The input has no place at the destination (standard input mirrored into a directory).
    #[error("{0}")]
    NoTarget(&'static str),
    /// The output could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The output, or `standard output`.
        path: String,
        /// What the system said.
        message: String,
    },
    /// A bad JSONL record under `--on-bad-record fail`.
    #[error("{0} (stopped: --on-bad-record fail)")]
    BadRecord(RecordIssue),
    /// A bug: cleaning this input panicked.
    #[error("internal error while cleaning this input (please report it)")]
    Internal,
    /// The run was stopped (by a signal) before this input was finished.
    #[error("stopped before this input was finished")]
    Stopped,
}

impl Failure {
    /// A write to `path` (standard output when `None`) that failed with `err`.
    pub fn write(path: Option<&Path>, err: &io::Error) -> Failure {
        Failure::Write {
            path: path.map_or_else(
                || "standard output".to_string(),
                |path| path.display().to_string(),
            ),
            message: err.to_string(),
        }
    }
}

/// A JSONL line that was not a usable record: where it is and what is wrong with it. Shown as
/// `POSITION: message`, after the input's name and a colon (`in.jsonl:3: invalid JSON ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordIssue {
    /// The line (or, in a byte-range shard, the byte offset where it starts).
    pub position: Position,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RecordIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.position, self.message)
    }
}
