//! Writing outputs without ever replacing what is not pare's own.
//!
//! An output path is first resolved to what is there ([`resolve`]): standard output (`-`), a
//! stream (a character or block device, a FIFO, a socket, or a `/proc/*/fd` link such as
//! `/dev/stdout` or a process substitution), or a regular file, present or not, reached through
//! any symlinks on the way. A stream is opened and written as it is; a regular file is written to
//! a temporary file in its own directory and renamed over it, so a reader (or an interrupted run)
//! never sees half an output, and a symlink keeps pointing at the file it named. A file that
//! is replaced keeps its permissions; a new one gets 0666 less the umask. A file that already
//! holds the bytes to write is not rewritten.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

/// Prefix of temporary files; they are hidden, so a later walk of the tree never takes them.
pub const TEMP_PREFIX: &str = ".pare-";

/// How many symlinks are followed before a path is taken for a loop (as the kernel does).
const MAX_LINKS: usize = 40;

/// What an output path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output: the path `-`.
    Stdout,
    /// Something written in place as a stream, never renamed over: a device, FIFO or socket, or
    /// a file descriptor link under `/proc` (`/dev/stdout`, `/dev/fd/N`).
    Stream(PathBuf),
    /// A regular file at this path (every symlink on the way followed), and what it was when
    /// resolved: nothing yet, or a file with these links and mode.
    File(PathBuf, Option<Existing>),
}

/// What is known of a regular file an output replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Existing {
    /// Its number of hard links.
    pub links: u64,
    /// Its permission bits.
    pub mode: u32,
    /// Its size in bytes.
    pub len: u64,
}

/// Finds what `path` leads to. Fails for a directory, and for a symlink loop.
pub fn resolve(path: &Path) -> io::Result<Target> {
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Target::File(path, None)),
            Err(err) => return Err(err),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            // The links of `/proc/*/fd` name open files, pipes and sockets; they can only be
            // written through, never replaced.
            if in_proc(&path) {
                return Ok(Target::Stream(path));
            }
            let link = std::fs::read_link(&path)?;
            path = match path.parent() {
                Some(parent) => parent.join(link),
                None => link,
            };
            continue;
        }
        if kind.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        return Ok(if kind.is_file() {
            let existing = Existing {
                links: meta.nlink(),
                mode: meta.mode() & 0o7777,
                len: meta.len(),
            };
            Target::File(path, Some(existing))
        } else {
            Target::Stream(path)
        });
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Whether `path` lies in the `/proc` file system, whatever links lead there.
fn in_proc(path: &Path) -> bool {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::canonicalize(parent).is_ok_and(|dir| dir.starts_with("/proc"))
}

/// An output being written. [`Output::finish`] completes it; dropping it unfinished removes a
/// temporary file and leaves whatever was at the target as it was.
pub struct Output {
    sink: Sink,
}

enum Sink {
    Stdout(io::Stdout),
    Stream(File),
    File {
        file: File,
        temp: TempPath,
        path: PathBuf,
    },
}

/// Whether an existing file may be replaced when it has other hard links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Replace it: other names keep the old contents (an output of pare's own).
    Split,
    /// Refuse: the file is an input rewritten in place, and its other names must not go stale.
    Keep,
}

impl Output {
    /// Opens `target` for writing. A regular file's temporary file is created in its directory
    /// (made if missing).
    pub fn create(target: &Target, links: Links) -> io::Result<Output> {
        let sink = match target {
            Target::Stdout => Sink::Stdout(io::stdout()),
            // Appending: a descriptor link reopens the file behind it, and a shell's `>>` must
            // not be written over from its start (`>` has emptied it already).
            Target::Stream(path) => Sink::Stream(OpenOptions::new().append(true).open(path)?),
            Target::File(path, existing) => {
                if let Some(existing) = existing {
                    if links == Links::Keep && existing.links > 1 {
                        return Err(io::Error::other(format!(
                            "has {} hard links; replacing it would leave the other names with the old text \
                             (clean into a directory with -o instead)",
                            existing.links
                        )));
                    }
                }
                let (file, temp) = temp_file_beside(path)?.into_parts();
                if let Some(existing) = existing {
                    file.set_permissions(Permissions::from_mode(existing.mode))?;
                }
                Sink::File {
                    file,
                    temp,
                    path: path.clone(),
                }
            }
        };
        Ok(Output { sink })
    }

    /// Completes the output: flushes a stream, or renames the temporary file into place.
    pub fn finish(self) -> io::Result<()> {
        match self.sink {
            Sink::Stdout(mut out) => out.flush(),
            Sink::Stream(mut file) => file.flush(),
            Sink::File { file, temp, path } => {
                drop(file);
                temp.persist(&path).map_err(|err| err.error)?;
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write(buf),
            Sink::Stream(file) | Sink::File { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.lock().write_all(buf),
            Sink::Stream(file) | Sink::File { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.flush(),
            Sink::Stream(file) | Sink::File { file, .. } => file.flush(),
        }
    }
}

/// A new temporary file in the directory of `path` (created if missing), with the mode a new
/// file gets (0666 less the umask), ready to be written and then renamed over `path`.
fn temp_file_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let create = || {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .permissions(Permissions::from_mode(0o666))
            .tempfile_in(dir)
    };
    // The directory usually exists already (it holds the previous output): try first, and
    // make it only when missing, rather than asking the file system about it for every file.
    match create() {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            create()
        }
        result => result,
    }
}

/// Writes `contents` to whatever `path` leads to (see the module docs).
pub fn write_output(path: &Path, contents: &[u8], links: Links) -> io::Result<()> {
    write_to(&resolve(path)?, contents, links)
}

/// Writes `contents` to a target already resolved. A file that holds them already is left as
/// it is.
pub fn write_to(target: &Target, contents: &[u8], links: Links) -> io::Result<()> {
    if let Target::File(path, Some(existing)) = target {
        if existing.len == contents.len() as u64 && std::fs::read(path).is_ok_and(|bytes| bytes == contents) {
            // It holds these bytes already: rewriting it would change nothing but its inode
            // and times (a second run into the same folder rewrites nothing).
            return Ok(());
        }
    }
    // Written through the file itself: its errors then name no temporary file that will be
    // gone by the time they are read.
    let mut output = Output::create(target, links)?;
    output.write_all(contents)?;
    output.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, FileTypeExt};

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_through_a_temp_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("deep/er/out.txt");
        write_output(&target, b"hello\n", Links::Split).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello\n");
        assert_eq!(names(target.parent().unwrap()), ["out.txt"]);
    }

    #[test]
    fn a_file_holding_the_same_bytes_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_output(&target, b"same\n", Links::Split).unwrap();
        let first = std::fs::metadata(&target).unwrap().ino();
        write_output(&target, b"same\n", Links::Split).unwrap();
        assert_eq!(std::fs::metadata(&target).unwrap().ino(), first, "left as it was");
        write_output(&target, b"new!\n", Links::Split).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new!\n");
        assert_ne!(std::fs::metadata(&target).unwrap().ino(), first, "replaced whole");
    }

    #[test]
    fn replaces_an_existing_file_keeping_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old contents that are longer").unwrap();
        std::fs::set_permissions(&target, Permissions::from_mode(0o640)).unwrap();
        write_output(&target, b"new\n", Links::Split).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
        let mode = std::fs::metadata(&target).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_new_file_gets_the_mode_the_umask_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.txt");
        write_output(&target, b"x", Links::Split).unwrap();
        let made = dir.path().join("made-by-std.txt");
        std::fs::write(&made, "x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().mode() & 0o777;
        // std creates files with 0666 less the umask, as every ordinary tool does.
        assert_eq!(mode(&target), mode(&made));
        assert_ne!(mode(&target), 0o600);
    }

    #[test]
    fn a_symlink_is_followed_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        symlink("real.txt", &link).unwrap();
        write_output(&link, b"new", Links::Keep).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        // A dangling link creates the file it names.
        let dangling = dir.path().join("dangling.txt");
        symlink("sub/made.txt", &dangling).unwrap();
        write_output(&dangling, b"made", Links::Split).unwrap();
        assert_eq!(std::fs::read(dir.path().join("sub/made.txt")).unwrap(), b"made");
    }

    #[test]
    fn a_fifo_is_written_as_a_stream_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert_eq!(resolve(&fifo).unwrap(), Target::Stream(fifo.clone()));
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_output(&fifo, b"through the pipe\n", Links::Split).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe\n");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn proc_fd_links_are_streams_and_dash_is_stdout() {
        assert_eq!(resolve(Path::new("-")).unwrap(), Target::Stdout);
        let dir = tempfile::tempdir().unwrap();
        // A link to this process's own descriptor, as /dev/stdout is.
        let link = dir.path().join("my-stdout");
        symlink("/proc/self/fd/1", &link).unwrap();
        assert_eq!(
            resolve(&link).unwrap(),
            Target::Stream(PathBuf::from("/proc/self/fd/1"))
        );
    }

    #[test]
    fn hard_linked_files_are_kept_whole_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "old").unwrap();
        std::fs::hard_link(&a, dir.path().join("b.txt")).unwrap();
        let err = write_output(&a, b"new", Links::Keep).unwrap_err();
        assert!(err.to_string().contains("has 2 hard links"), "{err}");
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
    }

    #[test]
    fn failure_leaves_no_temp_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("is-a-dir");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_output(&target, b"x", Links::Split).is_err());
        assert_eq!(names(dir.path()), ["is-a-dir"]);
    }

    #[test]
    fn an_unfinished_output_leaves_the_old_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old").unwrap();
        let mut output = Output::create(&resolve(&target).unwrap(), Links::Split).unwrap();
        output.write_all(b"partial").unwrap();
        drop(output);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["out.txt"]);
    }
}
