//! Writing outputs safely: every file is written to a temporary file in its target directory
//! and renamed into place, so a reader (or an interrupted run) never sees half an output.

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::path::Path;

use tempfile::TempPath;

/// Prefix of temporary files; they are hidden, so a later walk of the tree never takes them.
pub const TEMP_PREFIX: &str = ".pare-";

/// A new temporary file in the directory of `path` (created if missing), ready to be written
/// and then persisted over `path`: a rename within one directory is atomic.
pub fn temp_file_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let create = || {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
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

/// Writes `contents` to `path` atomically: a temporary file beside it, then a rename. Missing
/// parent directories are created. `permissions`, when given, are applied before the rename.
pub fn write_atomic(path: &Path, contents: &[u8], permissions: Option<Permissions>) -> io::Result<()> {
    // Written through the file itself: its errors then name no temporary file that will be
    // gone by the time they are read.
    let (mut file, temp) = temp_file_beside(path)?.into_parts();
    file.write_all(contents)?;
    put_in_place(file, temp, path, permissions)
}

/// Finishes a temporary file from [`temp_file_beside`], written through `file`: applies
/// `permissions` when given, closes it and renames it over `path`.
pub fn put_in_place(
    file: File,
    temp: TempPath,
    path: &Path,
    permissions: Option<Permissions>,
) -> io::Result<()> {
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    drop(file);
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_through_a_temp_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("deep/er/out.txt");
        write_atomic(&target, b"hello\n", None).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello\n");
        let names: Vec<_> = std::fs::read_dir(target.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old contents that are longer").unwrap();
        write_atomic(&target, b"new\n", None).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
    }

    #[test]
    fn failure_leaves_no_temp_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("is-a-dir");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomic(&target, b"x", None).is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["is-a-dir"]);
    }
}
