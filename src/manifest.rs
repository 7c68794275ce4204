//! The manifest of a mirrored output directory: for each output, a hash of the input bytes it
//! was made from, under a fingerprint of the settings that made it. A repeated or resumed run
//! with `--skip-unchanged` skips inputs whose output is already there and up to date.
//!
//! The manifest is an append-only JSONL file: a header line with the settings fingerprint, then
//! one line per finished output, appended only after the output was renamed into place. A run
//! killed mid-way leaves at worst a torn last line, which loading ignores, so a resumed run
//! redoes exactly the outputs that were not finished.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name of the manifest inside the output directory (hidden, so never taken as input).
pub const MANIFEST_NAME: &str = ".pare-manifest.jsonl";

#[derive(Serialize, Deserialize)]
struct Header {
    settings: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    input: String,
}

/// Hash of some bytes, as stored in the manifest.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Hash of a file's bytes, read in a stream.
pub fn file_hash(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// What the manifest says was done: output path (relative to the output directory) → hash of
/// the input it was made from.
#[derive(Debug, Default)]
pub struct Done {
    outputs: HashMap<String, String>,
}

impl Done {
    /// Whether the output at `relative` was made from input bytes with this hash.
    pub fn is_done(&self, relative: &str, input_hash: &str) -> bool {
        self.outputs.get(relative).is_some_and(|hash| hash == input_hash)
    }

    /// Number of outputs recorded.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }
}

/// The manifest of one output directory, open for appending.
pub struct Manifest {
    writer: BufWriter<File>,
}

impl Manifest {
    /// Loads what the manifest in `dir` records for these `settings` and opens it for
    /// appending. A manifest written under other settings is started afresh.
    pub fn open(dir: &Path, settings: &str) -> io::Result<(Manifest, Done)> {
        let path: PathBuf = dir.join(MANIFEST_NAME);
        let done = load(&path, settings).unwrap_or_default();
        let file = if done.is_none() {
            let mut file = File::create(&path)?;
            let header = serde_json::to_string(&Header {
                settings: settings.to_string(),
            })?;
            writeln!(file, "{header}")?;
            file
        } else {
            let mut file = OpenOptions::new().read(true).append(true).open(&path)?;
            // After a torn last line, new entries start on a line of their own.
            if ends_without_newline(&mut file)? {
                writeln!(file)?;
            }
            file
        };
        let manifest = Manifest {
            writer: BufWriter::new(file),
        };
        Ok((manifest, done.unwrap_or_default()))
    }

    /// Records that the output at `relative` is complete and was made from input bytes with
    /// `input_hash`.
    pub fn record(&mut self, relative: &str, input_hash: &str) -> io::Result<()> {
        let entry = serde_json::to_string(&Entry {
            path: relative.to_string(),
            input: input_hash.to_string(),
        })?;
        writeln!(self.writer, "{entry}")
    }

    /// Flushes what was recorded.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

fn ends_without_newline(file: &mut File) -> io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// `None` when there is no usable manifest for these settings.
fn load(path: &Path, settings: &str) -> Option<Option<Done>> {
    let file = File::open(path).ok()?;
    let mut lines = BufReader::new(file).lines();
    let header: Header = serde_json::from_str(&lines.next()?.ok()?).ok()?;
    if header.settings != settings {
        return Some(None);
    }
    let mut done = Done::default();
    for line in lines.map_while(Result::ok) {
        // A torn last line from a killed run is not an entry.
        if let Ok(entry) = serde_json::from_str::<Entry>(&line) {
            done.outputs.insert(entry.path, entry.input);
        }
    }
    Some(Some(done))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_reopening_under_the_same_settings_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut manifest, done) = Manifest::open(dir.path(), "s1").unwrap();
        assert!(done.is_empty());
        manifest.record("a.txt", "h1").unwrap();
        manifest.flush().unwrap();
        drop(manifest);
        // A torn line, as a kill mid-write would leave.
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(MANIFEST_NAME))
            .unwrap();
        write!(file, "{{\"path\":\"b.t").unwrap();
        let (mut manifest, done) = Manifest::open(dir.path(), "s1").unwrap();
        assert!(done.is_done("a.txt", "h1"));
        manifest.record("c.txt", "h3").unwrap();
        manifest.flush().unwrap();
        let (_, done) = Manifest::open(dir.path(), "s1").unwrap();
        assert!(done.is_done("c.txt", "h3"), "an entry after a torn line is kept");
        assert!(!done.is_done("a.txt", "h2"));
        assert_eq!(done.len(), 2);
        let (_, done) = Manifest::open(dir.path(), "s2").unwrap();
        assert!(done.is_empty());
    }
}
