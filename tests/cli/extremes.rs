//! Extreme inputs: very large documents and records, very many files, deep trees, and file
//! names that are not UTF-8. Each is cleaned like any other input or refused by name.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use predicates::prelude::*;

use crate::support::{files_under, pare, read, tree, tree_of, write, ARTICLE, ARTICLE_CLEAN};

#[test]
fn a_200_megabyte_file_without_a_newline_is_one_line() {
    let dir = tree(&[]);
    let text = "word ".repeat(40_000_000);
    write(&dir.path().join("huge.txt"), text.as_bytes());
    pare(dir.path())
        .args(["clean", "-q", "huge.txt", "-o", "out.txt"])
        .assert()
        .success();
    let out = std::fs::read(dir.path().join("out.txt")).unwrap();
    assert_eq!(out.len(), text.len(), "trailing space trimmed, newline added");
    assert!(out.ends_with(b"word\n"));
    assert!(out[..text.len() - 1] == text.as_bytes()[..text.len() - 1]);
}

#[test]
fn a_100_megabyte_jsonl_record_is_cleaned_like_a_small_one() {
    let dir = tree(&[]);
    let body = "Some text of a record. ".repeat(4_600_000);
    let line = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string() + "\n";
    let records = line("small", "Share\nA short one.") + &line("huge", &body);
    write(&dir.path().join("in.jsonl"), records.as_bytes());
    pare(dir.path())
        .args(["clean", "-q", "in.jsonl", "-o", "out.jsonl"])
        .assert()
        .success();
    let out = read(&dir.path().join("out.jsonl"));
    let mut lines = out
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap());
    assert_eq!(lines.next().unwrap()["text"], "A short one.\n");
    let huge = lines.next().unwrap();
    assert_eq!(huge["id"], "huge");
    assert_eq!(huge["text"].as_str().unwrap(), format!("{}\n", body.trim_end()));
    assert!(lines.next().is_none());
}

#[test]
fn a_deeply_nested_tree_is_mirrored() {
    let deep: String = (0..200).map(|level| format!("d{level}/")).collect();
    let name = format!("in/{deep}a.txt");
    let dir = tree(&[(&name, ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "-q", "in", "-o", "out"])
        .assert()
        .success();
    assert_eq!(read(&dir.path().join(format!("out/{deep}a.txt"))), ARTICLE_CLEAN);
}

#[test]
fn a_hundred_thousand_tiny_files_are_all_cleaned() {
    let files: Vec<(String, Vec<u8>)> = (0..100_000)
        .map(|i| {
            let text = format!("Share\nStory {i}\n\nBody {i}.\n");
            (format!("in/{}/{i}.txt", i % 100), text.into_bytes())
        })
        .collect();
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "report.json"])
        .assert()
        .success();
    let report = crate::support::report(&dir.path().join("report.json"));
    assert_eq!(report["files"]["cleaned"], 100_000);
    assert_eq!(report["lines_removed"]["share-buttons"], 100_000);
    for i in (0..100_000).step_by(997) {
        let out = dir.path().join(format!("out/{}/{i}.txt", i % 100));
        assert_eq!(read(&out), format!("Story {i}\n\nBody {i}.\n"));
    }
    assert_eq!(files_under(&dir.path().join("out")).len(), 100_000);
}

#[test]
fn file_names_that_are_not_utf8_are_kept_byte_for_byte() {
    let dir = tree(&[]);
    let name = |bytes: &[u8]| Path::new("in").join(OsStr::from_bytes(bytes));
    write(&dir.path().join(name(b"caf\xe9.txt")), ARTICLE.as_bytes());
    write(&dir.path().join(name(b"bad\xff.txt")), b"Text \xff\xfe here\n");
    pare(dir.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in/bad\u{FFFD}.txt: invalid UTF-8"));
    let out = dir.path().join("out").join(OsStr::from_bytes(b"caf\xe9.txt"));
    assert_eq!(read(&out), ARTICLE_CLEAN);
    assert_eq!(std::fs::read_dir(dir.path().join("out")).unwrap().count(), 1);
}
