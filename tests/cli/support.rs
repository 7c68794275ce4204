//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A `pare` command with a clean environment, run from `dir`.
pub fn pare(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pare").unwrap();
    cmd.current_dir(dir).env_remove("RUST_LOG");
    cmd
}

/// A temporary directory holding the given files.
pub fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        write(&dir.path().join(name), contents);
    }
    dir
}

/// A temporary directory holding generated files (names and contents built at run time).
pub fn tree_of(files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, contents)| (name.as_str(), contents.as_slice()))
        .collect();
    tree(&refs)
}

pub fn write(path: &Path, contents: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

pub fn read(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap()).unwrap()
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// The JSON report a run wrote to `path`.
pub fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// A small article with chrome at both ends.
pub const ARTICLE: &str =
    "Skip to content\r\nA headline\r\n\r\nThe first paragraph of the body.\r\n\r\nShare this article\r\n";

/// What [`ARTICLE`] cleans to.
pub const ARTICLE_CLEAN: &str = "A headline\n\nThe first paragraph of the body.\n";

/// `bytes` compressed as `compression` says.
pub fn compress(bytes: &[u8], compression: pare::input::compress::Compression) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = pare::input::compress::Encoder::new(Vec::new(), compression).unwrap();
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Ends a test whose scenario this machine cannot set up (a missing program, a kernel that
/// refuses namespaces), saying why. Under CI (`CI=true`) that is a failure: `.ci/run` installs
/// everything the scenarios need, so a test must never pass there without running. Elsewhere
/// the test passes unrun, and the reason goes to standard error and to
/// `target/tmp/skipped-tests.txt`, one line per skip, for `cat` after the run.
pub fn cannot_run(why: &str) {
    // The test harness names each test's thread after the test.
    let current = std::thread::current();
    let test = current.name().unwrap_or("a test");
    if std::env::var_os("CI").is_some_and(|value| value == "true") {
        panic!("{test} cannot run its scenario here: {why}");
    }
    eprintln!("skipped: {test}: {why}");
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt");
    let line = format!("{test}: {why}\n");
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut file| std::io::Write::write_all(&mut file, line.as_bytes()));
    appended.unwrap_or_else(|err| panic!("cannot note the skip in {}: {err}", log.display()));
}
