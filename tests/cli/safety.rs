//! Nothing pare does replaces what is not its own output: devices, FIFOs and links are written
//! through, colliding or self-overwriting outputs are refused before any work, workers sharing
//! an output directory keep every resume record, and interrupted or failed runs account for
//! every finished document. Every device, FIFO and link here lives in a temporary directory.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use predicates::prelude::*;

use crate::support::*;

fn made(status: std::io::Result<std::process::ExitStatus>) -> bool {
    status.is_ok_and(|status| status.success())
}

fn mkfifo(path: &Path) {
    assert!(made(Command::new("mkfifo").arg(path).status()), "mkfifo");
}

/// Opens a FIFO's read end without waiting for a writer (O_NONBLOCK), so that a test whose
/// FIFO was replaced reads nothing instead of hanging.
fn fifo_reader(path: &Path) -> std::fs::File {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .unwrap()
}

/// Everything written to a FIFO by writers that have finished.
fn drain(mut reader: std::fs::File) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = std::io::Read::read_to_end(&mut reader, &mut bytes);
    bytes
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

fn is_fifo(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_fifo())
}

#[test]
fn a_fifo_output_is_written_through_not_replaced() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let reader = fifo_reader(&fifo);
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "fifo"])
        .assert()
        .success();
    assert_eq!(drain(reader), ARTICLE_CLEAN.as_bytes());
    assert!(is_fifo(&fifo), "the FIFO is still a FIFO");
    assert_eq!(files_under(dir.path()), ["a.txt", "fifo"], "no temporary file");
}

#[test]
fn report_ledger_and_learned_profile_go_through_fifos_too() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    for (name, args) in [
        (
            "report",
            vec!["clean", "-q", "a.txt", "-o", "out.txt", "--report", "report"],
        ),
        (
            "ledger",
            vec!["clean", "-q", "a.txt", "-o", "out.txt", "--ledger", "ledger"],
        ),
        ("profile", vec!["learn", ".", "-o", "profile"]),
        ("counts", vec!["learn", ".", "--counts-out", "counts"]),
    ] {
        let fifo = dir.path().join(name);
        mkfifo(&fifo);
        let reader = fifo_reader(&fifo);
        pare(dir.path()).args(&args).assert().success();
        let written = drain(reader);
        assert!(!written.is_empty(), "{name}: something came through");
        assert!(is_fifo(&fifo), "{name}: the FIFO is still a FIFO");
    }
}

#[test]
fn a_device_output_stays_a_device() {
    let dir = tree(&[
        ("a.txt", ARTICLE.as_bytes()),
        ("b.jsonl", b"{\"text\":\"Share\\nOne.\"}\n"),
    ]);
    let null = dir.path().join("null");
    // The null device (1, 3), made in the scratch directory.
    if !made(Command::new("mknod").arg(&null).args(["c", "1", "3"]).status()) {
        return cannot_run("this system does not allow mknod here");
    }
    let usable = std::fs::OpenOptions::new().write(true).open(&null).is_ok();
    for input in ["a.txt", "b.jsonl"] {
        let run = pare(dir.path()).args(["clean", input, "-o", "null"]).assert();
        if usable {
            run.success();
        } else {
            // A file system mounted nodev refuses to open it: an error, and still no harm.
            eprintln!("note: device nodes cannot be opened on this file system");
            run.code(2);
        }
        let meta = std::fs::symlink_metadata(&null).unwrap();
        assert!(meta.file_type().is_char_device(), "still a device");
        assert_eq!(
            meta.rdev(),
            std::fs::symlink_metadata("/dev/null").unwrap().rdev()
        );
    }
}

#[test]
fn a_link_to_a_descriptor_is_written_through() {
    // `/dev/stdout` and `/dev/fd/N` are links into /proc; this one, in the scratch directory,
    // names pare's own standard output.
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("my-stdout")).unwrap();
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "my-stdout"])
        .assert()
        .success()
        .stdout(ARTICLE_CLEAN);
    assert!(is_symlink(&dir.path().join("my-stdout")));
}

#[test]
fn a_process_substitution_and_an_appended_stdout_are_written_through() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("log.txt", b"first\n")]);
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.path().join("my-stdout")).unwrap();
    let script = "\"$PARE\" clean -q a.txt -o >(cat > got.txt); wait; \
                  \"$PARE\" clean -q a.txt -o my-stdout >> log.txt";
    let status = Command::new("bash")
        .args(["-c", script])
        .env("PARE", assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    // `wait` does not wait for a process substitution in every bash: give `cat` a moment.
    for _ in 0..100 {
        if read(&dir.path().join("got.txt")) == ARTICLE_CLEAN {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(read(&dir.path().join("got.txt")), ARTICLE_CLEAN);
    assert_eq!(
        read(&dir.path().join("log.txt")),
        format!("first\n{ARTICLE_CLEAN}")
    );
}

#[test]
fn a_symlinked_output_replaces_its_target_and_keeps_the_link() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("real.txt", b"old\n")]);
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "link.txt"])
        .assert()
        .success();
    assert!(is_symlink(&dir.path().join("link.txt")), "the link stays");
    assert_eq!(read(&dir.path().join("real.txt")), ARTICLE_CLEAN);
}

#[test]
fn in_place_keeps_symlinks_and_refuses_to_split_hard_links() {
    let dir = tree(&[
        ("real.txt", ARTICLE.as_bytes()),
        ("linked.txt", ARTICLE.as_bytes()),
    ]);
    std::os::unix::fs::symlink("real.txt", dir.path().join("link.txt")).unwrap();
    std::fs::hard_link(dir.path().join("linked.txt"), dir.path().join("other-name.txt")).unwrap();
    pare(dir.path())
        .args(["clean", "--in-place", "link.txt"])
        .assert()
        .success();
    assert!(is_symlink(&dir.path().join("link.txt")), "the link stays");
    assert_eq!(read(&dir.path().join("real.txt")), ARTICLE_CLEAN);
    pare(dir.path())
        .args(["clean", "--in-place", "linked.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "linked.txt: cannot write linked.txt: has 2 hard links",
        ));
    assert_eq!(read(&dir.path().join("linked.txt")), ARTICLE);
    let meta = std::fs::metadata(dir.path().join("linked.txt")).unwrap();
    assert_eq!(meta.nlink(), 2, "the link is not split");
}

#[test]
fn dash_is_standard_output_for_the_ledger_and_learned_files() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    let run = pare(dir.path())
        .args(["clean", "a.txt", "-o", "out.txt", "--ledger", "-", "-q"])
        .assert()
        .success();
    let ledger = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(ledger.contains("\"rule\""), "{ledger}");
    let run = pare(dir.path())
        .args(["learn", ".", "-o", "-"])
        .assert()
        .success();
    assert!(!run.get_output().stdout.is_empty());
    assert_eq!(files_under(dir.path()), ["a.txt", "out.txt"], "no file named -");
    pare(dir.path())
        .args(["clean", "a.txt", "--ledger", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--ledger - would mix"));
}

#[test]
fn created_files_get_the_usual_permissions() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    std::fs::set_permissions(dir.path().join("a.txt"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = |args: &[&str]| {
        let script = format!("umask 022; exec \"$PARE\" {}", args.join(" "));
        let status = Command::new("sh")
            .args(["-c", &script])
            .env("PARE", assert_cmd::cargo::cargo_bin("pare"))
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    };
    run(&[
        "clean", "-q", "a.txt", "-o", "out.txt", "--report", "r.json", "--ledger", "l.jsonl",
    ]);
    run(&["learn", ".", "-o", "p.toml"]);
    let mode = |name: &str| std::fs::metadata(dir.path().join(name)).unwrap().mode() & 0o777;
    for name in ["out.txt", "r.json", "l.jsonl", "p.toml"] {
        assert_eq!(mode(name), 0o644, "{name}");
    }
    // A replaced output keeps the mode it had.
    std::fs::set_permissions(dir.path().join("out.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    run(&["clean", "-q", "a.txt", "-o", "out.txt"]);
    assert_eq!(mode("out.txt"), 0o640);
}

#[test]
fn two_inputs_with_one_output_are_refused_before_any_work() {
    let dir = tree(&[
        ("ca/story.txt", ARTICLE.as_bytes()),
        ("cb/story.txt", ARTICLE.as_bytes()),
    ]);
    for args in [
        ["clean", "ca", "cb", "-o", "out"],
        ["clean", "ca/story.txt", "cb/story.txt", "-o", "out"],
    ] {
        pare(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "story.txt would both be written to out/story.txt",
            ))
            .stderr(predicate::str::contains("ca/story.txt and cb/story.txt"));
        assert!(!dir.path().join("out").exists(), "nothing was written");
    }
}

#[test]
fn an_output_that_is_an_input_is_refused_without_in_place() {
    let dir = tree(&[("g.txt", ARTICLE.as_bytes()), ("t3/a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "g.txt", "-o", "g.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("g.txt is the input g.txt"));
    assert_eq!(read(&dir.path().join("g.txt")), ARTICLE);
    // An output directory inside the input tree that holds the user's own files.
    write(&dir.path().join("t3/sub/a.txt"), b"Share\nMine.\n");
    pare(dir.path())
        .args(["clean", "t3", "-o", "t3/sub"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds files pare did not write"));
    assert_eq!(read(&dir.path().join("t3/sub/a.txt")), "Share\nMine.\n");
}

#[test]
fn a_report_ledger_or_profile_over_an_input_or_an_output_is_refused() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("b.txt", ARTICLE.as_bytes())]);
    for args in [
        vec!["clean", "a.txt", "b.txt", "-o", "out", "--report", "a.txt"],
        vec!["clean", "a.txt", "b.txt", "-o", "out", "--ledger", "out/b.txt"],
        vec![
            "clean", "a.txt", "-o", "c.txt", "--report", "r.json", "--ledger", "r.json",
        ],
        vec!["learn", ".", "-o", "b.txt"],
    ] {
        pare(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("pare: error: "));
        assert_eq!(
            files_under(dir.path()),
            ["a.txt", "b.txt"],
            "{args:?}: nothing written"
        );
        assert_eq!(read(&dir.path().join("a.txt")), ARTICLE);
        assert_eq!(read(&dir.path().join("b.txt")), ARTICLE);
    }
}

#[test]
fn an_output_path_of_the_wrong_kind_is_refused_clearly() {
    let dir = tree(&[
        ("a.txt", ARTICLE.as_bytes()),
        ("b.txt", ARTICLE.as_bytes()),
        ("in/c.txt", b"x\n"),
    ]);
    pare(dir.path())
        .args(["clean", "a.txt", "b.txt", "-o", "two.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "-o two.txt does not exist and is named like a file",
        ));
    assert!(!dir.path().join("two.txt").exists());
    pare(dir.path())
        .args(["clean", "in", "-o", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "-o a.txt is not a directory, but a directory input needs an output directory",
        ));
    // Said to be a directory: made.
    pare(dir.path())
        .args(["clean", "a.txt", "b.txt", "-o", "two.txt/"])
        .assert()
        .success();
    assert_eq!(files_under(&dir.path().join("two.txt")), ["a.txt", "b.txt"]);
}

#[test]
fn concurrent_shard_workers_keep_every_resume_record() {
    let files: Vec<(String, Vec<u8>)> = (0..400)
        .map(|i| {
            (
                format!("in/{i:03}.txt"),
                format!("Share\nStory {i}.\n").into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&files);
    let workers: Vec<_> = (1..=4)
        .map(|k| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("pare"))
                .args(["clean", "in", "-o", "out", "--skip-unchanged", "-q", "-j", "1"])
                .arg(format!("--shard={k}/4"))
                .current_dir(dir.path())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut worker in workers {
        assert!(worker.wait().unwrap().success());
    }
    let mut recorded = 0;
    for entry in std::fs::read_dir(dir.path().join("out")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with(".pare-manifest") {
            // Every line but the header is one finished output.
            recorded += read(&dir.path().join("out").join(&name)).lines().count() - 1;
        }
    }
    assert_eq!(recorded, 400);
    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--skip-unchanged",
            "--report",
            "r.json",
        ])
        .assert()
        .success();
    assert_eq!(report(&dir.path().join("r.json"))["files"]["up_to_date"], 400);
}

#[test]
fn many_shard_workers_make_one_new_output_directory_at_once() {
    let files: Vec<(String, Vec<u8>)> = (0..32)
        .map(|i| {
            (
                format!("in/{i:02}.txt"),
                format!("Share\nStory {i}.\n").into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&files);
    // Each round starts sixteen workers of one job on a directory none of them has made yet.
    for round in 0..30 {
        let out = format!("out-{round}");
        let workers: Vec<_> = (1..=16)
            .map(|k| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("pare"))
                    .args(["clean", "in", "-o", &out, "--skip-unchanged", "-q", "-j", "1"])
                    .arg(format!("--shard={k}/16"))
                    .current_dir(dir.path())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for worker in workers {
            let output = worker.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let written: Vec<String> = files_under(&dir.path().join(&out))
            .into_iter()
            .filter(|name| !name.starts_with(".pare-manifest"))
            .collect();
        assert_eq!(written.len(), 32, "round {round}: {written:?}");
    }
}

fn records(count: usize, big_at: usize, big: &str) -> String {
    (0..count)
        .map(|i| {
            let text = if i == big_at {
                big.to_string()
            } else {
                format!("Share\nRecord {i}.")
            };
            format!("{}\n", serde_json::json!({"id": i, "text": text}))
        })
        .collect()
}

#[test]
fn one_oversized_record_is_a_bad_record_and_the_rest_is_cleaned() {
    let big = "Some text of an oversized record.\n".repeat(200);
    let input = records(3000, 2, &big);
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let limit = ["--max-doc-bytes", "4500"];
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-o",
            "drop.jsonl",
            "--on-bad-record",
            "drop",
            "--report",
            "r.json",
        ])
        .args(limit)
        .assert()
        .success();
    let kept = read(&dir.path().join("drop.jsonl"));
    assert_eq!(kept.lines().count(), 2999);
    assert!(kept.contains("\"id\":2999") && !kept.contains("\"id\":2,"));
    assert_eq!(report(&dir.path().join("r.json"))["records"]["dropped_bad"], 1);
    // Passed through as it was, whole, in its place: in the first batch of records, and in a
    // later one, while the batch before it is still being written.
    for big_at in [2, 2500] {
        let input = records(3000, big_at, &big);
        std::fs::write(dir.path().join("late.jsonl"), &input).unwrap();
        pare(dir.path())
            .args(["clean", "late.jsonl", "-o", "pass.jsonl"])
            .args(limit)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "late.jsonl:{}: document larger than --max-doc-bytes",
                big_at + 1
            )));
        let passed = read(&dir.path().join("pass.jsonl"));
        assert_eq!(passed.lines().count(), 3000);
        assert_eq!(passed.lines().nth(big_at), input.lines().nth(big_at));
        assert!(passed.lines().nth(2999).unwrap().contains("Record 2999."));
    }
    pare(dir.path())
        .args(["clean", "in.jsonl", "-o", "fail.jsonl", "--on-bad-record", "fail"])
        .args(limit)
        .assert()
        .code(2);
    assert!(!dir.path().join("fail.jsonl").exists());
}

#[test]
fn failing_on_a_bad_record_prints_nothing_of_that_input() {
    let mut input = records(3000, usize::MAX, "");
    input.push_str("not json\n");
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "--on-bad-record", "fail"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("in.jsonl:3001"));
}

#[test]
fn in_place_on_a_record_shard_is_refused() {
    let input = records(6, usize::MAX, "");
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "--in-place", "--shard", "1/2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--in-place with --shard on one JSONL file",
        ));
    assert_eq!(read(&dir.path().join("in.jsonl")), input);
}

#[test]
fn a_closed_pipe_ends_a_jsonl_run_quietly() {
    let input = records(20_000, usize::MAX, "");
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    for quiet in ["", "-q"] {
        let script =
            format!("\"$PARE\" clean in.jsonl {quiet} | head -c 10 >/dev/null; echo \"${{PIPESTATUS[0]}}\"");
        let output = Command::new("bash")
            .args(["-c", &script])
            .env("PARE", assert_cmd::cargo::cargo_bin("pare"))
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0", "{stderr}");
        assert!(!stderr.contains("Broken pipe"), "{stderr}");
    }
}

#[test]
fn the_largest_size_limit_does_not_overflow() {
    let dir = tree(&[
        ("a.txt", ARTICLE.as_bytes()),
        ("b.jsonl", b"{\"text\":\"Share\\nOne.\"}\n"),
    ]);
    let max = u64::MAX.to_string();
    pare(dir.path())
        .args(["clean", "a.txt", "--max-doc-bytes", &max])
        .assert()
        .success()
        .stdout(ARTICLE_CLEAN);
    pare(dir.path())
        .args(["clean", "b.jsonl", "--max-doc-bytes", &max])
        .assert()
        .success()
        .stdout("{\"text\":\"One.\\n\"}\n");
}

#[test]
fn regexes_too_large_together_are_a_clear_error() {
    // Each regex compiles alone; together they pass the regex set's size limit.
    let rule = |i: usize| format!("[[rule]]\nname = \"r{i}\"\nregex = '\\w{{40}}x{i}\\w{{40}}'\n");
    let rules: String = (0..400).map(rule).collect();
    let dir = tree(&[("a.txt", ARTICLE.as_bytes()), ("big.toml", rules.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt", "--rules", "big.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("big.toml: "))
        .stderr(predicate::str::contains("too large to compile"));
}
