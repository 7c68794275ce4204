//! The shipped golden pairs: `fixtures/in/X` cleans to `fixtures/expected/X`, and the expected
//! bodies are already clean.

use std::path::{Path, PathBuf};

use crate::support::{files_under, pare, read};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn every_fixture_cleans_to_its_expected_body() {
    let root = fixture_root();
    let out = tempfile::tempdir().unwrap();
    pare(&root)
        .args(["clean", "in", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let names = files_under(&root.join("in"));
    assert!(names.len() >= 5, "at least five site styles");
    assert_eq!(files_under(out.path()), names);
    for name in names {
        let expected = read(&root.join("expected").join(&name));
        assert_eq!(read(&out.path().join(&name)), expected, "fixture {name}");
    }
}

#[test]
fn expected_bodies_are_left_unchanged() {
    pare(&fixture_root())
        .args(["clean", "--check", "expected"])
        .assert()
        .code(0);
}
