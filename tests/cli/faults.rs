//! Faults a real machine throws at a run: limits hit mid-write, odd files in the tree,
//! concurrent runs, extreme inputs.

use std::process::Command;

use predicates::prelude::*;

use pare::input::compress::Compression;

use crate::support::{cannot_run, compress, files_under, pare, read, tree, tree_of, ARTICLE, ARTICLE_CLEAN};

#[test]
fn a_file_size_limit_hit_mid_write_names_the_file_and_leaves_nothing_behind() {
    let big: String = (0..20_000)
        .map(|i| format!("Paragraph {i} of a long article that goes on.\n\n"))
        .collect();
    let dir = tree(&[("big.txt", big.as_bytes()), ("small.txt", ARTICLE.as_bytes())]);
    let pare_bin = assert_cmd::cargo::cargo_bin("pare");
    // 64 blocks of 512 bytes: the small output fits, the big one does not.
    let script = format!(
        "ulimit -f 64; exec '{}' clean -q --detect off big.txt small.txt -o out",
        pare_bin.display()
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("out/big.txt"), "{stderr}");
    assert_eq!(
        files_under(&dir.path().join("out")),
        ["small.txt"],
        "no partial or temporary file"
    );
    assert_eq!(read(&dir.path().join("out/small.txt")), ARTICLE_CLEAN);
    assert_eq!(read(&dir.path().join("big.txt")), big, "input untouched");
}

/// Runs `script` with `sh` in `dir`, in private user and mount namespaces, so that it can mount
/// small or read-only file systems whoever runs the tests; `$PARE` names the binary. What the
/// script prints is returned, since its mounts are gone once it ends. `None` when this kernel
/// does not allow unprivileged namespaces (the test then says it was skipped).
fn with_private_mounts(dir: &std::path::Path, script: &str) -> Option<std::process::Output> {
    let allowed = Command::new("unshare").args(["-rm", "true"]).status();
    if !allowed.is_ok_and(|status| status.success()) {
        cannot_run("no `unshare`, or this kernel does not allow private mount namespaces");
        return None;
    }
    let output = Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("PARE", assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir)
        .output()
        .unwrap();
    Some(output)
}

#[test]
fn a_full_disk_names_the_file_and_leaves_no_partial_output() {
    let big: String = (0..20_000)
        .map(|i| format!("Paragraph {i} of a long article that goes on.\n\n"))
        .collect();
    let records: String = (0..200)
        .map(|i| serde_json::json!({"id": i, "text": big[..2000]}).to_string() + "\n")
        .collect();
    let dir = tree(&[
        ("a-small.txt", ARTICLE.as_bytes()),
        ("b-big.txt", big.as_bytes()),
        ("c-records.jsonl", records.as_bytes()),
        ("out/.keep", b""),
    ]);
    // A 128 KiB file system: the small output fits, the others fill it up.
    let script = "mount -t tmpfs -o size=128k tmpfs out || exit 99
        \"$PARE\" clean -j1 --detect off a-small.txt b-big.txt c-records.jsonl -o out
        echo \"exit $?\"; ls -A out; cat out/a-small.txt";
    let Some(output) = with_private_mounts(dir.path(), script) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stdout,
        format!("exit 2\na-small.txt\n{ARTICLE_CLEAN}"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot write out/b-big.txt: No space left on device"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot write out/c-records.jsonl: No space left on device"),
        "{stderr}"
    );
    assert_eq!(read(&dir.path().join("b-big.txt")), big, "input untouched");
}

#[test]
fn a_read_only_file_system_fails_each_output_and_changes_nothing() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes()), ("ro/.keep", b"")]);
    // One read-only mount as the output directory, then the inputs' own directory made
    // read-only for an in-place run.
    let script = "mount -t tmpfs -o ro tmpfs ro || exit 99
        \"$PARE\" clean in/a.txt -o ro/a.txt; echo \"exit $?\"; ls -A ro
        mount --bind in in && mount -o remount,ro,bind in || exit 99
        \"$PARE\" clean --in-place in/a.txt; echo \"exit $?\"; ls -A in";
    let Some(output) = with_private_mounts(dir.path(), script) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stdout, "exit 2\nexit 2\na.txt\n", "{stderr}");
    assert!(
        stderr.contains("cannot write ro/a.txt: Read-only file system"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot write in/a.txt: Read-only file system"),
        "{stderr}"
    );
    assert_eq!(read(&dir.path().join("in/a.txt")), ARTICLE, "input untouched");
}

#[test]
fn symlink_loops_and_fifos_in_a_tree_are_passed_over() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes())]);
    std::os::unix::fs::symlink("..", dir.path().join("in/loop")).unwrap();
    let fifo = dir.path().join("in/pipe.txt");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--report", "r.json"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt"]);
    let report: serde_json::Value = serde_json::from_str(&read(&dir.path().join("r.json"))).unwrap();
    assert_eq!(
        report["files"]["not_taken"], 2,
        "the link and the fifo are counted, not read"
    );
}

#[test]
fn two_runs_into_the_same_directory_leave_every_file_complete() {
    let files: Vec<(String, Vec<u8>)> = (0..400)
        .map(|i| {
            (
                format!("in/{i}.txt"),
                format!("Share\nStory {i}\n\nBody {i}.\n").into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&files);
    let pare_bin = assert_cmd::cargo::cargo_bin("pare");
    let spawn = || {
        Command::new(&pare_bin)
            .current_dir(dir.path())
            .args(["clean", "in", "-q", "-o", "out"])
            .spawn()
            .unwrap()
    };
    let (mut first, mut second) = (spawn(), spawn());
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    let written = files_under(&dir.path().join("out"));
    assert_eq!(written.len(), 400, "no temporary file left");
    for name in written {
        let number = name.trim_end_matches(".txt");
        assert_eq!(
            read(&dir.path().join("out").join(&name)),
            format!("Story {number}\n\nBody {number}.\n")
        );
    }
}

#[test]
fn a_ten_megabyte_line_is_cleaned_without_trouble() {
    let line = "word ".repeat(2 << 20);
    let dir = tree(&[("long.txt", line.as_bytes())]);
    let assert = pare(dir.path()).args(["clean", "long.txt"]).assert().success();
    assert_eq!(assert.get_output().stdout.len(), line.trim_end().len() + 1);
}

#[test]
fn an_input_removed_before_it_is_read_fails_alone() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt", "gone.txt", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("gone.txt"));
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt"]);
}

#[test]
fn documents_over_the_size_limit_are_refused_with_the_limit_named() {
    let big = "Some text.\n".repeat(1000);
    let record = |text: &str| serde_json::json!({"id": "x", "text": text}).to_string();
    let jsonl = format!("{}\n{}\n{}\n", record("Short."), record(&big), record("Short."));
    let bomb = compress(big.as_bytes(), Compression::Gzip);
    let dir = tree(&[
        ("big.txt", big.as_bytes()),
        ("small.txt", ARTICLE.as_bytes()),
        ("bomb.txt.gz", &bomb),
        ("records.jsonl", jsonl.as_bytes()),
    ]);
    pare(dir.path())
        .args(["clean", ".", "-o", "out", "--max-doc-bytes", "5000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "big.txt: document larger than --max-doc-bytes (5000 bytes)",
        ))
        .stderr(predicate::str::contains(
            "bomb.txt.gz: document larger than --max-doc-bytes",
        ))
        .stderr(predicate::str::contains(
            "records.jsonl:2: document larger than --max-doc-bytes",
        ));
    // The oversized record is a bad record: passed through as it was, the others cleaned.
    assert_eq!(
        files_under(&dir.path().join("out")),
        [".pare-output", "records.jsonl", "small.txt"]
    );
    let written = read(&dir.path().join("out/records.jsonl"));
    assert_eq!(written.lines().count(), 3);
    assert!(
        written.lines().nth(1) == jsonl.lines().nth(1),
        "the big record is passed through whole"
    );
    pare(dir.path())
        .args(["clean", "big.txt", "-q", "-o", "out/big.txt"])
        .assert()
        .success();
}

#[test]
fn a_compressed_input_cut_short_fails_alone_with_its_name() {
    let gzip = compress(ARTICLE.as_bytes(), Compression::Gzip);
    let records = b"{\"text\":\"Share\\nOne.\"}\n{\"text\":\"Two.\"}\n";
    let zstd = compress(records, Compression::Zstd);
    let dir = tree(&[
        ("cut.txt.gz", &gzip[..gzip.len() / 2]),
        ("cut.jsonl.zst", &zstd[..zstd.len() - 4]),
        ("whole.txt.gz", &gzip),
    ]);
    pare(dir.path())
        .args(["clean", ".", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cut.txt.gz: "))
        .stderr(predicate::str::contains("cut.jsonl.zst: "));
    assert_eq!(
        files_under(&dir.path().join("out")),
        [".pare-output", "whole.txt.gz"]
    );
}

#[test]
fn inputs_deleted_or_truncated_after_discovery_are_handled_as_found() {
    // a.txt keeps the single worker busy while b.txt is deleted and c.txt truncated.
    let slow = "A sentence of body text that goes on for a while.\n".repeat(1_000_000);
    let dir = tree(&[
        ("in/a.txt", slow.as_bytes()),
        ("in/b.txt", ARTICLE.as_bytes()),
        ("in/c.txt", ARTICLE.as_bytes()),
    ]);
    let child = Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .args(["clean", "-j1", "in", "-o", "out"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::fs::remove_file(dir.path().join("in/b.txt")).unwrap();
    std::fs::write(dir.path().join("in/c.txt"), b"").unwrap();
    let changed_at = std::time::SystemTime::now();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let a_written_at = std::fs::metadata(dir.path().join("out/a.txt"))
        .and_then(|meta| meta.modified())
        .unwrap();
    assert!(
        a_written_at > changed_at,
        "a.txt was done before the others changed; the test needs a slower first input"
    );
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("in/b.txt: No such file or directory"), "{stderr}");
    assert_eq!(files_under(&dir.path().join("out")), ["a.txt", "c.txt"]);
    assert_eq!(read(&dir.path().join("out/c.txt")), "");
}
