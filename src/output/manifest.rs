//! The manifest of a mirrored output directory: for each output, a hash of the input bytes it
//! was made from, under a fingerprint of the settings that made it. A repeated or resumed run
//! with `--skip-unchanged` skips inputs whose output is already there and up to date.
//!
//! Each writer keeps a file of its own, so that workers sharing one output directory never
//! write the same file: `.pare-manifest.jsonl`, or `.pare-manifest.K-of-N.jsonl` for worker K
//! of N under `--shard`. A run reads them all. Each is an append-only JSONL file: a header line
//! with the settings fingerprint, then one line per finished output, appended in one write only
//! after the output was renamed into place. A run killed mid-way leaves at worst a torn last
//! line, which loading ignores, so a resumed run redoes exactly the outputs that were not
//! finished.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::input::list::Input;
use crate::output::destination::{target_path, Destination};

/// File name of the manifest inside the output directory (hidden, so never taken as input).
pub const MANIFEST_NAME: &str = ".pare-manifest.jsonl";

/// The manifest file of one writer: worker `index` (from 0) of `count`, or the only one.
pub fn manifest_name(worker: Option<(usize, usize)>) -> String {
    match worker {
        Some((index, count)) => format!(".pare-manifest.{}-of-{count}.jsonl", index + 1),
        None => MANIFEST_NAME.to_string(),
    }
}

fn is_manifest_name(name: &str) -> bool {
    name.starts_with(".pare-manifest.") && name.ends_with(".jsonl")
}

#[derive(Serialize, Deserialize)]
struct Header {
    settings: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    input: String,
}

/// The manifest key of an input's output: its path relative to the output directory.
pub fn manifest_key(input: &Input) -> Option<String> {
    match input {
        Input::File { relative, .. } => Some(relative.to_string_lossy().into_owned()),
        Input::Stdin => None,
    }
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
    /// Whether the manifest records `input`'s output as made from bytes hashing to `hash`, and
    /// that output is still in place.
    pub fn has_output(&self, input: &Input, hash: &str, destination: &Destination) -> bool {
        let (Some(key), Ok(Some(target))) = (manifest_key(input), target_path(destination, input)) else {
            return false;
        };
        self.is_done(&key, hash) && target.exists()
    }

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

/// How long a manifest's lock is waited for before the run is refused: a lock is also held, for
/// a moment, by a process forked from one that just closed the file (its copy of the file
/// closes when it starts its own program), and by a run that is finishing.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(500);

/// Takes the file's lock, waiting up to [`LOCK_PATIENCE`] for another holder to let go.
fn lock_soon(file: &File) -> Result<(), std::fs::TryLockError> {
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            result => return result,
        }
    }
}

/// One writer's manifest in an output directory, open for appending.
pub struct Manifest {
    file: File,
}

impl Manifest {
    /// Loads what the manifests in `dir` record for these `settings`, and opens this writer's
    /// own (see [`manifest_name`]) for appending. A manifest of this writer's written under
    /// other settings is started afresh; other writers' files are only read.
    pub fn open(dir: &Path, settings: &str, worker: Option<(usize, usize)>) -> io::Result<(Manifest, Done)> {
        let own: PathBuf = dir.join(manifest_name(worker));
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&own)?;
        // Held while the file is open: a second run with the same manifest would interleave
        // its lines with this one's and start it afresh under its own settings.
        lock_soon(&file).map_err(|err| match err {
            std::fs::TryLockError::WouldBlock => io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "another pare run is writing {} now; run one at a time, or give each \
                     worker its own --shard",
                    own.display()
                ),
            ),
            std::fs::TryLockError::Error(err) => err,
        })?;
        let mut done = Done::default();
        let mut own_is_current = false;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
            if !name.as_deref().is_some_and(is_manifest_name) {
                continue;
            }
            if load(&path, settings, &mut done) && path == own {
                own_is_current = true;
            }
        }
        if own_is_current {
            // After a torn last line, new entries start on a line of their own.
            if ends_without_newline(&mut file)? {
                file.write_all(b"\n")?;
            }
        } else {
            file.set_len(0)?;
            let header = serde_json::to_string(&Header {
                settings: settings.to_string(),
            })?;
            file.write_all(format!("{header}\n").as_bytes())?;
        }
        Ok((Manifest { file }, done))
    }

    /// Records that the output at `relative` is complete and was made from input bytes with
    /// `input_hash`: one line, in one write.
    pub fn record(&mut self, relative: &str, input_hash: &str) -> io::Result<()> {
        let mut entry = serde_json::to_string(&Entry {
            path: relative.to_string(),
            input: input_hash.to_string(),
        })?;
        entry.push('\n');
        self.file.write_all(entry.as_bytes())
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

/// Adds the entries of the manifest at `path` to `done` if it was written under `settings`;
/// returns whether it was.
fn load(path: &Path, settings: &str, done: &mut Done) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut lines = BufReader::new(file).lines();
    let header = lines.next().and_then(Result::ok);
    let matches = header
        .and_then(|line| serde_json::from_str::<Header>(&line).ok())
        .is_some_and(|header| header.settings == settings);
    if !matches {
        return false;
    }
    for line in lines.map_while(Result::ok) {
        // A torn last line from a killed run is not an entry.
        if let Ok(entry) = serde_json::from_str::<Entry>(&line) {
            done.outputs.insert(entry.path, entry.input);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_has_one_writer_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let (mut first, _) = Manifest::open(dir.path(), "s1", None).unwrap();
        first.record("a.txt", "h1").unwrap();
        let Err(refused) = Manifest::open(dir.path(), "s2", None) else {
            panic!("a second writer opened a locked manifest");
        };
        assert_eq!(refused.kind(), io::ErrorKind::WouldBlock);
        assert!(
            refused.to_string().contains("another pare run is writing"),
            "{refused}"
        );
        // Refused before it touched the file: the first writer's entry is still there.
        drop(first);
        let (_, done) = Manifest::open(dir.path(), "s1", None).unwrap();
        assert!(done.is_done("a.txt", "h1"));
        // Other workers' manifests are files of their own, each with its own lock.
        let _shard = Manifest::open(dir.path(), "s1", Some((0, 2))).unwrap();
    }

    #[test]
    fn entries_survive_reopening_under_the_same_settings_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut manifest, done) = Manifest::open(dir.path(), "s1", None).unwrap();
        assert!(done.is_empty());
        manifest.record("a.txt", "h1").unwrap();
        drop(manifest);
        // A torn line, as a kill mid-write would leave.
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(MANIFEST_NAME))
            .unwrap();
        write!(file, "{{\"path\":\"b.t").unwrap();
        let (mut manifest, done) = Manifest::open(dir.path(), "s1", None).unwrap();
        assert!(done.is_done("a.txt", "h1"));
        manifest.record("c.txt", "h3").unwrap();
        drop(manifest);
        let (reopened, done) = Manifest::open(dir.path(), "s1", None).unwrap();
        assert!(done.is_done("c.txt", "h3"), "an entry after a torn line is kept");
        assert!(!done.is_done("a.txt", "h2"));
        assert_eq!(done.len(), 2);
        drop(reopened);
        let (_, done) = Manifest::open(dir.path(), "s2", None).unwrap();
        assert!(done.is_empty());
    }

    #[test]
    fn each_worker_appends_to_its_own_file_and_reads_them_all() {
        let dir = tempfile::tempdir().unwrap();
        let (mut first, _) = Manifest::open(dir.path(), "s", Some((0, 2))).unwrap();
        let (mut second, _) = Manifest::open(dir.path(), "s", Some((1, 2))).unwrap();
        first.record("a.txt", "h1").unwrap();
        second.record("b.txt", "h2").unwrap();
        drop(first);
        // A worker opening its file afresh does not touch the others'.
        let (reopened, done) = Manifest::open(dir.path(), "s", Some((0, 2))).unwrap();
        assert!(done.is_done("a.txt", "h1") && done.is_done("b.txt", "h2"));
        drop(reopened);
        let (_, done) = Manifest::open(dir.path(), "s", None).unwrap();
        assert_eq!(done.len(), 2);
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".pare-manifest.1-of-2.jsonl",
                ".pare-manifest.2-of-2.jsonl",
                MANIFEST_NAME
            ]
        );
    }
}
