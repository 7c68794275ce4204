//! `pare clean`: modes, file selection, reports, bad input and exit codes.

use std::io::Read;
use std::process::Stdio;

use predicates::prelude::*;

use crate::support::{
    cannot_run, files_under, pare, read, report, tree, tree_of, write, ARTICLE, ARTICLE_CLEAN,
};

#[test]
fn stdin_goes_to_stdout() {
    let dir = tree(&[]);
    pare(dir.path())
        .arg("clean")
        .write_stdin(ARTICLE)
        .assert()
        .success()
        .stdout(ARTICLE_CLEAN);
    pare(dir.path())
        .args(["clean", "-"])
        .write_stdin(ARTICLE)
        .assert()
        .success()
        .stdout(ARTICLE_CLEAN);
}

#[test]
fn a_single_file_goes_to_stdout_or_to_the_file_named() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt"])
        .assert()
        .success()
        .stdout(ARTICLE_CLEAN);
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "clean.txt"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(read(&dir.path().join("clean.txt")), ARTICLE_CLEAN);
    assert_eq!(read(&dir.path().join("a.txt")), ARTICLE, "input untouched");
}

#[test]
fn a_trailing_slash_makes_an_output_directory_for_one_input() {
    let dir = tree(&[
        ("a.txt", ARTICLE.as_bytes()),
        ("b.jsonl", b"{\"text\":\"Share\\nOne.\"}\n"),
    ]);
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "new/", "-q"])
        .assert()
        .success();
    assert_eq!(read(&dir.path().join("new/a.txt")), ARTICLE_CLEAN);
    pare(dir.path())
        .args(["clean", "b.jsonl", "-o", "records/", "-q"])
        .assert()
        .success();
    assert_eq!(
        read(&dir.path().join("records/b.jsonl")),
        "{\"text\":\"One.\\n\"}\n"
    );
    // Into a directory that exists, with or without the slash.
    pare(dir.path())
        .args(["clean", "b.jsonl", "-o", "new", "-q"])
        .assert()
        .success();
    assert_eq!(files_under(&dir.path().join("new")), ["a.txt", "b.jsonl"]);
    // A file that stands where the directory would be is refused, and left as it was.
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "b.jsonl/"])
        .assert()
        .code(2);
    assert_eq!(read(&dir.path().join("b.jsonl")), "{\"text\":\"Share\\nOne.\"}\n");
}

#[test]
fn directories_are_mirrored_under_the_output_directory() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/site/2024/b.txt", ARTICLE.as_bytes()),
        ("in/notes.md", b"not taken"),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "r.json"])
        .assert()
        .success();
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt", "site/2024/b.txt"]);
    assert_eq!(read(&dir.path().join("out/site/2024/b.txt")), ARTICLE_CLEAN);
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE, "input untouched");
    let report = report(&dir.path().join("r.json"));
    assert_eq!(report["files"]["seen"], 2);
    assert_eq!(report["files"]["not_taken"], 1);
    assert_eq!(
        report["files"]["not_taken_named"],
        serde_json::json!(["in/notes.md"])
    );
}

#[test]
fn the_report_says_which_pare_made_it_with_what_settings_and_when() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    let before = std::time::SystemTime::now();
    pare(dir.path())
        .args([
            "clean", "a.txt", "-o", "out.txt", "--detect", "off", "--report", "r.json",
        ])
        .assert()
        .success();
    let report = report(&dir.path().join("r.json"));
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        report["settings"]["detect"],
        serde_json::json!({"value": "off", "source": "command line"})
    );
    assert_eq!(
        report["settings"]["field"],
        serde_json::json!({"value": "text", "source": "default"})
    );
    // RFC 3339 in UTC, to the second, between the test's clock before and after the run.
    let started = report["started"].as_str().unwrap();
    assert!(started.ends_with('Z') && started.len() == 20, "{started}");
    let started = humantime::parse_rfc3339(started).unwrap();
    let second = std::time::Duration::from_secs(1);
    assert!(
        started + second > before && started <= std::time::SystemTime::now(),
        "{started:?}"
    );
    let elapsed = report["elapsed_seconds"].as_f64().unwrap();
    assert!(
        elapsed >= 0.0 && elapsed < before.elapsed().unwrap().as_secs_f64() + 1.0,
        "{elapsed}"
    );
}

#[test]
fn files_not_taken_are_named_up_to_a_hundred_and_counted_in_full() {
    let mut files: Vec<(String, Vec<u8>)> = (0..130)
        .map(|i| (format!("in/notes-{i:03}.md"), b"not taken".to_vec()))
        .collect();
    files.push(("in/a.txt".to_string(), ARTICLE.as_bytes().to_vec()));
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "r.json"])
        .assert()
        .success();
    let files = &report(&dir.path().join("r.json"))["files"];
    assert_eq!(files["not_taken"], 130);
    let named: Vec<&str> = (files["not_taken_named"].as_array().unwrap().iter())
        .map(|name| name.as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 100);
    assert!(named
        .iter()
        .all(|name| name.starts_with("in/notes-") && name.ends_with(".md")));
    let distinct: std::collections::BTreeSet<_> = named.iter().collect();
    assert_eq!(distinct.len(), 100);
}

#[test]
fn pare_man_prints_a_manual_page() {
    let dir = tree(&[]);
    let man = pare(dir.path()).arg("man").assert().success();
    let man = String::from_utf8(man.get_output().stdout.clone()).unwrap();
    assert!(man.starts_with(".ie"), "roff: {}", &man[..man.len().min(200)]);
    assert!(man.contains(".TH pare 1"), "a section-1 title header");
    assert!(man.contains("SUBCOMMANDS") && man.contains("clean"), "{man}");
}

#[test]
fn an_output_directory_inside_the_input_tree_is_not_cleaned_again() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    for _ in 0..2 {
        pare(dir.path())
            .args(["clean", ".", "-o", "out", "--report", "../r.json"])
            .assert()
            .success();
    }
    // The marker tells a later run that the directory holds pare's outputs.
    assert_eq!(files_under(&dir.path().join("out")), [".pare-output", "a.txt"]);
    assert_eq!(report(&dir.path().join("../r.json"))["files"]["seen"], 1);
}

#[test]
fn output_directory_equal_to_the_input_directory_is_refused() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in", "-o", "in"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--in-place"));
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE);
}

#[test]
fn directories_without_a_destination_are_a_usage_error() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes()), ("b.txt", b"x")]);
    pare(dir.path())
        .args(["clean", "in"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o DIR"));
    pare(dir.path())
        .args(["clean", "b.txt", "in/a.txt"])
        .assert()
        .code(2);
}

#[test]
fn in_place_rewrites_only_what_changes_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[
        ("in/dirty.txt", ARTICLE.as_bytes()),
        ("in/clean.txt", ARTICLE_CLEAN.as_bytes()),
    ]);
    let dirty = dir.path().join("in/dirty.txt");
    let clean = dir.path().join("in/clean.txt");
    std::fs::set_permissions(&dirty, std::fs::Permissions::from_mode(0o640)).unwrap();
    let clean_mtime = std::fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    pare(dir.path())
        .args(["clean", "--in-place", "in"])
        .assert()
        .success();
    assert_eq!(read(&dirty), ARTICLE_CLEAN);
    assert_eq!(
        std::fs::metadata(&dirty).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        std::fs::metadata(&clean).unwrap().modified().unwrap(),
        clean_mtime
    );
    assert_eq!(
        files_under(&dir.path().join("in")),
        ["clean.txt", "dirty.txt"],
        "no temp files left"
    );
}

#[test]
fn check_writes_nothing_and_exits_1_when_something_would_change() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("ok/b.txt", ARTICLE_CLEAN.as_bytes()),
    ]);
    write(&dir.path().join("in/sub/c.txt"), ARTICLE.as_bytes());
    write(&dir.path().join("in/b.txt"), ARTICLE_CLEAN.as_bytes());
    // Each input that would change is named, in input order, even with -q; the summary says
    // "would change", not "cleaned".
    pare(dir.path())
        .args(["clean", "--check", "in", "-q", "--report", "r.json"])
        .assert()
        .code(1)
        .stdout("would change: in/a.txt\nwould change: in/sub/c.txt\n")
        .stderr("");
    assert_eq!(
        report(&dir.path().join("r.json"))["changed"],
        serde_json::json!(["in/a.txt", "in/sub/c.txt"])
    );
    pare(dir.path())
        .args(["clean", "--check", "in"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("3 files: 2 would change, 1 unchanged"));
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE);
    pare(dir.path())
        .args(["clean", "--check", "ok"])
        .assert()
        .code(0)
        .stdout("");
    // With the report on standard output, the report alone is printed there.
    let run = pare(dir.path())
        .args(["clean", "--check", "in", "-q", "--report", "-"])
        .assert()
        .code(1);
    let printed: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert_eq!(
        printed["changed"],
        serde_json::json!(["in/a.txt", "in/sub/c.txt"])
    );
}

#[test]
fn diff_names_the_rule_behind_each_removed_line() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes())]);
    let assert = pare(dir.path()).args(["clean", "--diff", "in"]).assert().code(1);
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(out.starts_with("--- a/in/a.txt\n+++ b/in/a.txt\n"), "{out}");
    // The input's CRLF line ends do not come between the line and its note.
    assert!(out.contains("-Skip to content\t# rule: skip-link\n"), "{out:?}");
    assert!(
        out.contains("-Share this article\t# rule: share-buttons\n"),
        "{out:?}"
    );
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE);
    let clean = tree(&[("c.txt", ARTICLE_CLEAN.as_bytes())]);
    pare(clean.path())
        .args(["clean", "--diff", "c.txt"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diffs_and_errors_are_coloured_when_asked_and_never_by_default_off_a_terminal() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("bad.txt", b"\xFF")]);
    let run = pare(dir.path())
        .args(["clean", "--diff", "--color", "always", "a.txt", "bad.txt"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2);
    let out = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(out.contains("\x1b[1m--- a/a.txt\x1b[0m\n"), "{out:?}");
    assert!(
        out.contains("\x1b[31m-Skip to content\x1b[0m\x1b[2m\t# rule: skip-link\x1b[0m\n"),
        "{out:?}"
    );
    assert!(out.contains("\x1b[36m@@ "), "{out:?}");
    let err = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("pare: \x1b[1;31merror\x1b[0m: bad.txt: invalid UTF-8"),
        "{err:?}"
    );
    // Not a terminal (auto), or never: plain.
    for color in ["auto", "never"] {
        let run = pare(dir.path())
            .args(["clean", "--diff", "--color", color, "a.txt", "bad.txt"])
            .assert()
            .code(2);
        assert!(!run.get_output().stdout.contains(&0x1b), "{color}");
        assert!(!run.get_output().stderr.contains(&0x1b), "{color}");
    }
}

#[test]
fn on_a_terminal_diffs_are_coloured_unless_no_color_is_set() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    let pare_bin = assert_cmd::cargo::cargo_bin("pare");
    let on_a_terminal = |no_color: Option<&str>| -> Option<String> {
        // `script` runs the command on a pseudo-terminal and keeps what it printed.
        let log = dir.path().join("typescript");
        let mut command = std::process::Command::new("script");
        command
            .args(["-q", "-e", "-c"])
            .arg(format!("'{}' clean --diff a.txt", pare_bin.display()))
            .arg(&log)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        command.status().ok()?;
        std::fs::read(&log)
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    };
    let Some(coloured) = on_a_terminal(None) else {
        return cannot_run("no `script` program to make a terminal");
    };
    assert!(coloured.contains("\x1b[31m-Skip to content"), "{coloured:?}");
    let plain = on_a_terminal(Some("1")).unwrap();
    assert!(plain.contains("-Skip to content\t# rule"), "{plain:?}");
    assert!(!plain.contains("\x1b[31m"), "{plain:?}");
}

#[test]
fn sizes_take_suffixes_and_bad_bytes_point_at_lossy() {
    let dir = tree(&[
        ("big.txt", "Some text here.\n".repeat(100).as_bytes()),
        ("bad.txt", b"ok \xFF"),
    ]);
    pare(dir.path())
        .args(["clean", "big.txt", "--max-doc-bytes", "1K"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "larger than --max-doc-bytes (1024 bytes)",
        ));
    pare(dir.path())
        .args(["clean", "big.txt", "--max-doc-bytes", "12Q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown size suffix"));
    pare(dir.path())
        .args(["clean", "bad.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid UTF-8 at byte offset 3 (--lossy replaces",
        ));
    let help = pare(dir.path()).args(["clean", "--help"]).assert().success();
    assert!(String::from_utf8_lossy(&help.get_output().stdout).contains("[default: 256M]"));
}

#[test]
fn a_diff_without_notes_is_a_patch_that_applies() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes()), ("in/b.txt", b"Share\nBody.")]);
    let run = pare(dir.path())
        .args(["clean", "--diff", "--no-annotate", "in"])
        .assert()
        .code(1);
    let patch = run.get_output().stdout.clone();
    assert!(!String::from_utf8_lossy(&patch).contains("# rule"));
    let applied = std::process::Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            std::io::Write::write_all(child.stdin.as_mut().unwrap(), &patch)?;
            child.wait()
        });
    let Ok(status) = applied else {
        return cannot_run("no `patch` program here");
    };
    assert!(status.success());
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE_CLEAN);
    assert_eq!(read(&dir.path().join("in/b.txt")), "Body.\n");
    pare(dir.path())
        .args(["clean", "--no-annotate", "in/a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--diff"));
}

#[test]
fn report_json_counts_everything_and_names_every_error() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/clean.txt", ARTICLE_CLEAN.as_bytes()),
        ("in/chrome.txt", b"Share\nAdvertisement\n"),
        ("in/bad.txt", b"caf\xE9\n"),
        ("in/blob.txt", b"\x00\x01\x02binary"),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "-", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "in/bad.txt: invalid UTF-8 at byte offset 3",
        ));
    let assert = pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "-", "-q"])
        .assert();
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let files = &report["files"];
    assert_eq!(
        (
            &files["seen"],
            &files["cleaned"],
            &files["unchanged"],
            &files["skipped"],
            &files["failed"]
        ),
        (&5.into(), &2.into(), &1.into(), &1.into(), &1.into())
    );
    assert_eq!(report["lines_removed"]["share-buttons"], 2);
    assert_eq!(
        report["top_removed_lines"]["share-buttons"],
        serde_json::json!([{"text": "Share", "count": 1}, {"text": "Share this article", "count": 1}])
    );
    assert_eq!(report["lines_removed"]["advertisement"], 1);
    assert_eq!(report["lines_removed"]["skip-link"], 1);
    assert_eq!(report["left_empty"], serde_json::json!(["in/chrome.txt"]));
    assert_eq!(report["errors"][0]["path"], "in/bad.txt");
    assert_eq!(report["skipped"][0]["path"], "in/blob.txt");
    let input_bytes: usize = [
        ARTICLE.len(),
        ARTICLE_CLEAN.len(),
        "Share\nAdvertisement\n".len(),
        5,
        9,
    ]
    .iter()
    .sum();
    assert_eq!(report["bytes"]["input"], input_bytes);
    assert_eq!(
        files_under(&dir.path().join("out")),
        ["a.txt", "chrome.txt", "clean.txt"]
    );
}

#[test]
fn a_failing_input_does_not_stop_the_others() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("bad.txt", b"\xFF\xFE oops")]);
    pare(dir.path())
        .args(["clean", "bad.txt", "a.txt", "missing.txt", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt: invalid UTF-8 at byte offset 0",
        ))
        .stderr(predicate::str::contains("missing.txt:"));
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt"]);
}

#[test]
fn lossy_decoding_replaces_invalid_bytes() {
    let dir = tree(&[("bad.txt", b"caf\xE9 au lait\n")]);
    pare(dir.path())
        .args(["clean", "--lossy", "bad.txt"])
        .assert()
        .success()
        .stdout("caf\u{FFFD} au lait\n");
}

#[test]
fn binary_files_are_skipped_with_a_warning_and_an_error_when_named() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let dir = tree(&[("blob.txt", png), ("in/blob.txt", png), ("in/a.txt", b"Text.\n")]);
    pare(dir.path())
        .args(["clean", "blob.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "pare: error: blob.txt: skipped: binary file (NUL byte near the start)",
        ))
        .stderr(predicate::str::contains("1 skipped"));
    // Found in a folder, it is only a warning.
    pare(dir.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pare: warning: in/blob.txt: skipped: binary file",
        ));
}

#[test]
fn empty_input_gives_empty_output() {
    let dir = tree(&[("empty.txt", b"")]);
    pare(dir.path())
        .args(["clean", "empty.txt", "-o", "out.txt"])
        .assert()
        .success();
    assert_eq!(read(&dir.path().join("out.txt")), "");
}

#[test]
fn a_bad_rule_file_fails_before_any_input_is_touched() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("bad.toml", b"[[rule]]\nname = \"x\"\nregex = \"(unclosed\"\n"),
        (
            "unknown.toml",
            b"[[rule]]\nname = \"x\"\nline = \"a\"\nwhen = \"always\"\n",
        ),
    ]);
    for (file, reason) in [("bad.toml", "bad regex"), ("unknown.toml", "unknown field")] {
        pare(dir.path())
            .args(["clean", "in", "--in-place", "--rules", file])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(file).and(predicate::str::contains(reason)));
    }
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE);
}

#[test]
fn user_rules_and_profiles_add_to_the_defaults() {
    let article = "Headline\n\nBody text.\n\nExplore more on these topics\nPolitics\n\nOur Weekly Quiz\n";
    let dir = tree(&[
        ("a.txt", article.as_bytes()),
        (
            "site.toml",
            b"[[rule]]\nname = \"quiz\"\nline = \"our weekly quiz\"\nignore_case = true\n",
        ),
    ]);
    pare(dir.path())
        .args(["clean", "a.txt", "--profile", "guardian", "--rules", "site.toml"])
        .assert()
        .success()
        .stdout("Headline\n\nBody text.\n");
    pare(dir.path())
        .args(["clean", "a.txt", "--profile", "nosuchsite"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nosuchsite"));
}

#[test]
fn default_rules_can_be_turned_off() {
    let dir = tree(&[]);
    pare(dir.path())
        .args(["clean", "--no-default-rules"])
        .write_stdin("Share\nBody\n")
        .assert()
        .success()
        .stdout("Share\nBody\n");
}

#[test]
fn globs_add_and_exclude_files() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/skip-me.txt", ARTICLE.as_bytes()),
        ("in/b.text", ARTICLE.as_bytes()),
        ("in/.hidden.txt", ARTICLE.as_bytes()),
    ]);
    pare(dir.path())
        .args([
            "clean", "in", "-o", "out", "-g", "*.text", "-g", "!skip-*", "--report", "r.json",
        ])
        .assert()
        .success();
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt", "b.text"]);
    assert_eq!(report(&dir.path().join("r.json"))["files"]["not_taken"], 2);
    pare(dir.path())
        .args(["clean", "in", "-o", "all", "--hidden"])
        .assert()
        .success();
    assert_eq!(
        files_under(&dir.path().join("all")),
        [".hidden.txt", "a.txt", "skip-me.txt"]
    );
}

#[test]
fn output_and_report_do_not_depend_on_thread_count() {
    let mut files = Vec::new();
    for i in 0..40 {
        let body = format!("Share\nStory {i}\n\nBody of story {i}.\nAdvertisement\n");
        files.push((format!("in/{}/{i}.txt", i % 4), body.into_bytes()));
    }
    files.push(("in/bad.txt".into(), b"\xC3\x28".to_vec()));
    let dir = tree_of(&files);
    for threads in ["1", "2", "8"] {
        pare(dir.path())
            .args(["clean", "in", "-q", "-j", threads, "-o"])
            .arg(format!("out{threads}"))
            .arg("--report")
            .arg(format!("r{threads}.json"))
            .assert()
            .code(2);
    }
    // Everything but when the run was, how long it took and the thread count it was told.
    let counts = |threads: &str| {
        let mut report = report(&dir.path().join(format!("r{threads}.json")));
        let fields = report.as_object_mut().unwrap();
        assert!(fields.remove("started").is_some() && fields.remove("elapsed_seconds").is_some());
        assert_eq!(fields["settings"]["threads"]["value"], threads);
        fields["settings"].as_object_mut().unwrap().remove("threads");
        report
    };
    let reference = counts("1");
    for threads in ["2", "8"] {
        assert_eq!(counts(threads), reference);
        for name in files_under(&dir.path().join("out1")) {
            assert_eq!(
                read(&dir.path().join(format!("out{threads}/{name}"))),
                read(&dir.path().join(format!("out1/{name}")))
            );
        }
    }
    assert_eq!(
        read(&dir.path().join("out2/3/7.txt")),
        "Story 7\n\nBody of story 7.\n"
    );
}

#[test]
fn summary_goes_to_stderr_unless_quiet() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt"])
        .assert()
        .stderr(predicate::str::contains("1 file: 1 cleaned, 0 unchanged"));
    pare(dir.path())
        .args(["clean", "-q", "a.txt"])
        .assert()
        .stderr("");
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let big: String = (0..40_000)
        .map(|i| format!("Paragraph number {i} of a long article.\n"))
        .collect();
    let dir = tree(&[("big.txt", big.as_bytes())]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .args(["clean", "big.txt"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn usage_errors_exit_2_in_the_voice_of_every_other_error() {
    let dir = tree(&[("a.txt", b"Text.\n")]);
    pare(dir.path())
        .args(["clean", "--no-such-flag"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "pare: error: unexpected argument '--no-such-flag' found",
        ));
    pare(dir.path())
        .args(["clean", "--check", "--diff", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "pare: error: the argument '--check' cannot be used",
        ));
    // A shard that starts with a hyphen is a bad shard, not an unknown flag.
    pare(dir.path())
        .args(["clean", "a.txt", "--check", "--shard", "-1/3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pare: error: invalid value '-1/3' for '--shard <K/N>': expected K/N with 1 <= K <= N, got `-1/3`",
        ));
    pare(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage: pare <COMMAND>"));
    pare(dir.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("pare "));
    pare(dir.path())
        .args(["clean", "--report", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--report"));
    // A missing input is an error like any other, and the other inputs are still cleaned.
    pare(dir.path())
        .args(["clean", "nope.txt", "a.txt", "-o", "out/"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "pare: error: nope.txt: No such file or directory",
        ));
    assert_eq!(read(&dir.path().join("out/a.txt")), "Text.\n");
    // Rule-file errors are one line, with where in the file.
    write(
        &dir.path().join("bad.toml"),
        b"[[rule]]\nname = \"x\"\nprefix = \n",
    );
    let bad = pare(dir.path())
        .args(["clean", "a.txt", "--rules", "bad.toml"])
        .assert()
        .code(2);
    assert_eq!(
        String::from_utf8_lossy(&bad.get_output().stderr),
        "pare: error: bad.toml: line 3, column 10: invalid string; expected `\"`, `'`\n"
    );
}

#[test]
fn record_filters_are_refused_for_text_files_and_said_of_mixed_inputs() {
    let dir = tree(&[
        ("in/a.txt", b"Two words.\n"),
        (
            "in/b.jsonl",
            b"{\"text\":\"Two words.\"}\n{\"text\":\"Many more words than two here.\"}\n",
        ),
    ]);
    for flag in [&["--min-words", "3"][..], &["--drop-empty"]] {
        pare(dir.path())
            .args(["clean", "in/a.txt", "-o", "a.out"])
            .args(flag)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "pare: error: {} drops JSONL records, but every input is a text file (such as in/a.txt)",
                flag[0]
            )));
        assert!(!dir.path().join("a.out").exists());
    }
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--min-words", "3"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pare: warning: --min-words drops JSONL records only; 1 text file(s) such as in/a.txt",
        ));
    assert_eq!(read(&dir.path().join("out/a.txt")), "Two words.\n");
    assert_eq!(
        read(&dir.path().join("out/b.jsonl")),
        "{\"text\":\"Many more words than two here.\\n\"}\n"
    );
}

#[test]
fn profiles_are_listed() {
    let dir = tree(&[]);
    pare(dir.path())
        .arg("profiles")
        .assert()
        .success()
        .stdout(predicate::str::contains("theregister").and(predicate::str::contains("default")));
}

#[test]
fn completions_are_printed() {
    let dir = tree(&[]);
    pare(dir.path())
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--in-place"));
}

#[test]
fn the_register_pattern_is_cleaned_by_default() {
    let page = "This article is more than 3 years old\n\nHeadline of the piece\n\nStandfirst with a twist\n\n\
                First body paragraph.\n\nMore about this later, said nobody.\n\nLast body paragraph. ®\n\n\
                More about\n\nTIP US OFF\n\nSend us news\n\nOther stories you might like\n\nTeaser one\n\nTeaser two\n";
    let dir = tree(&[]);
    pare(dir.path())
        .arg("clean")
        .write_stdin(page)
        .assert()
        .success()
        .stdout(
            "Headline of the piece\n\nStandfirst with a twist\n\nFirst body paragraph.\n\n\
         More about this later, said nobody.\n\nLast body paragraph.\n",
        );
}

#[test]
fn writes_into_an_unwritable_directory_fail_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("pare"));
    if is_root() {
        // Root ignores directory permissions: run pare as an unprivileged user instead.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(assert_cmd::cargo::cargo_bin("pare"));
    }
    let output = command
        .args(["clean", "a.txt", "-o", "locked/a.txt"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write locked/a.txt: Permission denied"),
        "{stderr}"
    );
    assert!(files_under(&locked).is_empty());
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

#[test]
fn an_output_file_that_cannot_be_written_names_the_file_and_leaves_no_temp() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    write(
        &dir.path().join("target/a.txt/keep"),
        b"a directory stands where the output goes",
    );
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "target"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("target/a.txt"));
    assert_eq!(files_under(&dir.path().join("target")), ["a.txt/keep"]);
}

#[test]
fn verbose_names_each_input_with_what_happened() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/b.txt", b"Already clean.\n"),
    ]);
    pare(dir.path())
        .args(["clean", "in", "--check", "-v"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pare: in/a.txt: would change, "))
        .stderr(predicate::str::contains(
            "pare: in/b.txt: unchanged, 0 lines removed\n",
        ));
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--verbose"])
        .assert()
        .success()
        .stderr(predicate::str::is_match("pare: in/a.txt: cleaned, [0-9]+ lines removed\n").unwrap());
    pare(dir.path())
        .args(["clean", "in", "-o", "out2"])
        .assert()
        .success()
        .stderr(predicate::str::contains("in/a.txt").not());
    pare(dir.path())
        .args(["clean", "in", "--check", "-v", "-q"])
        .assert()
        .code(2);
}

#[test]
fn progress_into_a_log_is_a_line_at_the_start_and_at_the_end() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/b.txt", b"Already clean.\n"),
        (
            "z.txt.gz",
            &crate::support::compress(ARTICLE.as_bytes(), pare::input::compress::Compression::Gzip),
        ),
    ]);
    let total = ARTICLE.len() + "Already clean.\n".len();
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--progress", "always"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with(format!(
            "pare: progress: 0 B of {total} B (0%), 0 of 2 files, 0 B/s\n"
        )))
        .stderr(predicate::str::contains(format!(
            "pare: progress: {total} B of {total} B (100%), 2 of 2 files, "
        )))
        .stderr(predicate::str::is_match(", done in [0-9]+ seconds?\n").unwrap());
    // A compressed input holds more than its size on disk: bytes read, with no total.
    pare(dir.path())
        .args(["clean", "z.txt.gz", "-o", "z.txt", "--progress", "always"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "pare: progress: {} B, 1 of 1 files, ",
            ARTICLE.len()
        )));
    // By default a log gets none.
    pare(dir.path())
        .args(["clean", "in", "-o", "out2"])
        .assert()
        .success()
        .stderr(predicate::str::contains("progress").not());
}

#[test]
fn on_a_terminal_the_bar_shows_bytes_of_the_total_and_files() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/b.txt", b"Already clean.\n"),
    ]);
    let pare_bin = assert_cmd::cargo::cargo_bin("pare");
    let log = dir.path().join("typescript");
    let ran = std::process::Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("'{}' clean in -o out", pare_bin.display()))
        .arg(&log)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .status();
    if ran.is_err() {
        return cannot_run("no `script` program to make a terminal");
    }
    let shown = String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned();
    let total = ARTICLE.len() + "Already clean.\n".len();
    assert!(shown.contains(&format!("0 B/{total} B")), "{shown:?}");
    assert!(shown.contains("0/2 files"), "{shown:?}");
}

#[test]
fn an_html_page_read_as_text_is_named_in_a_warning_and_kept_as_it_is() {
    let page = "<!DOCTYPE html>\n<html><body><p>The council met.</p></body></html>\n";
    let record = |text: &str| format!("{{\"text\":{}}}\n", serde_json::to_string(text).unwrap());
    let records = format!(
        "{}{}{}",
        record(page),
        record(ARTICLE),
        record("<html><p>Another</p></html>")
    );
    let dir = tree(&[
        ("in/page.txt", page.as_bytes()),
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/records.jsonl", records.as_bytes()),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "-q"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pare: warning: in/page.txt: looks like an HTML page; it is cleaned as text, so its markup is kept; \
             name it .html or give --format html to read the page",
        ))
        .stderr(predicate::str::contains(
            "pare: warning: in/records.jsonl: 2 records' texts look like HTML pages;",
        ))
        .stderr(predicate::str::contains("in/a.txt").not());
    assert_eq!(
        read(&dir.path().join("out/page.txt")),
        page,
        "nothing is taken from markup"
    );
}
