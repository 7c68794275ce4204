//! The lines of a JSONL input, read one bounded line at a time, possibly only one worker's
//! share of them (a byte range of a plain file, or every N-th line of a stream).

use std::io::{self, BufRead, BufReader, Read, Seek, Write};

use crate::input::compress::Compression;
use crate::input::decode::{read_line, Bounded};
use crate::input::list::Input;
use crate::input::shard::Shard;

/// The record a JSONL line holds, without its newline; `None` for a blank line, which holds
/// none and is passed over.
pub(crate) fn record_content(line: &[u8]) -> Option<&[u8]> {
    let content = line.strip_suffix(b"\n").unwrap_or(line);
    (!content.iter().all(u8::is_ascii_whitespace)).then_some(content)
}

/// Where a line stands in its input, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// 1-based line number.
    Line(usize),
    /// Byte offset of the line's start (inside a byte-range shard, where line numbers are not
    /// known without reading what comes before).
    Byte(u64),
}

impl Position {
    /// The ledger field that holds this position: `record` (a line number) or `record_offset`.
    pub(crate) fn ledger_key(self) -> &'static str {
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
            Position::Line(line) => write!(f, "{line}"),
            Position::Byte(offset) => write!(f, "byte {offset}"),
        }
    }
}

/// The lines of an input, possibly only one worker's share of them.
pub(crate) struct Lines {
    reader: BufReader<Box<dyn Read + Send>>,
    /// Next line number, or next byte offset in a byte-range shard.
    next: u64,
    /// Byte-range shards: the offset where this share ends.
    end: Option<u64>,
    /// Line-number shards (compressed or streamed input): keep every count-th line.
    modulo: Option<Shard>,
}

impl Lines {
    pub(crate) fn open(input: &Input, shard: Option<Shard>) -> io::Result<Lines> {
        let buffered = |reader: Box<dyn Read + Send>| BufReader::with_capacity(1 << 16, reader);
        let path = match input {
            Input::Stdin => {
                return Ok(Lines {
                    reader: buffered(Box::new(io::stdin())),
                    next: 1,
                    end: None,
                    modulo: shard,
                });
            }
            Input::File { path, .. } => path,
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
                reader: buffered(crate::input::compress::open(path)?),
                next: 1,
                end: None,
                modulo: shard,
            },
        };
        Ok(lines)
    }

    /// Reads this share's next line into `line`; returns its position, or `None` at the end.
    /// A line longer than `limit` bytes comes back [`Bounded::TooLarge`] with its first
    /// `limit + 1` bytes in `line`: the caller passes the rest to [`Lines::rest_of_line`].
    pub(crate) fn next_line(
        &mut self,
        line: &mut Vec<u8>,
        limit: u64,
    ) -> io::Result<Option<(Position, Bounded)>> {
        line.clear();
        self.append_line(line, limit)
    }

    /// Reads this share's next line onto the end of `buffer`, as [`Lines::next_line`] reads it
    /// into an empty one: lines can be gathered in one buffer.
    pub(crate) fn append_line(
        &mut self,
        buffer: &mut Vec<u8>,
        limit: u64,
    ) -> io::Result<Option<(Position, Bounded)>> {
        let start = buffer.len();
        loop {
            buffer.truncate(start);
            if self.end.is_some_and(|end| self.next >= end) {
                return Ok(None);
            }
            let (read, bounded) = read_line(&mut self.reader, limit, buffer)?;
            if read == 0 {
                return Ok(None);
            }
            let at = self.next;
            if self.end.is_some() {
                self.next += read as u64;
                return Ok(Some((Position::Byte(at), bounded)));
            }
            self.next += 1;
            if self.modulo.is_none_or(|shard| shard.takes(at as usize - 1)) {
                return Ok(Some((Position::Line(at as usize), bounded)));
            }
            if bounded == Bounded::TooLarge {
                self.rest_of_line(&mut io::sink())?;
            }
        }
    }

    /// Copies the rest of an over-long line (up to and including its newline) to `out`,
    /// without holding it in memory; returns how many bytes that was.
    pub(crate) fn rest_of_line(&mut self, out: &mut dyn Write) -> io::Result<u64> {
        let mut copied = 0;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', buffer) {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            };
            out.write_all(&buffer[..take])?;
            self.reader.consume(take);
            copied += take as u64;
            if done {
                break;
            }
        }
        if self.end.is_some() {
            self.next += copied;
        }
        Ok(copied)
    }
}
