//! `--skip-unchanged`: repeated and interrupted runs only redo what is not done.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::{files_under, pare, read, report, tree, tree_of, write, ARTICLE, ARTICLE_CLEAN};

/// Outputs under `dir`, without the manifest and temporary files.
fn outputs(dir: &std::path::Path) -> Vec<String> {
    if !dir.exists() {
        return Vec::new();
    }
    files_under(dir)
        .into_iter()
        .filter(|name| !name.starts_with(".pare-") && !name.contains("/.pare-"))
        .collect()
}

#[test]
fn a_repeated_run_skips_what_is_done_and_redoes_what_changed() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes()), ("in/b.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--skip-unchanged", "-q"])
        .assert()
        .success();
    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--skip-unchanged",
            "--report",
            "r1.json",
        ])
        .assert()
        .success();
    assert_eq!(report(&dir.path().join("r1.json"))["files"]["up_to_date"], 2);

    write(
        &dir.path().join("in/b.txt"),
        format!("{ARTICLE}More words.\n").as_bytes(),
    );
    std::fs::remove_file(dir.path().join("out/a.txt")).unwrap();
    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--skip-unchanged",
            "--report",
            "r2.json",
        ])
        .assert()
        .success();
    let second = report(&dir.path().join("r2.json"));
    assert_eq!(
        (&second["files"]["up_to_date"], &second["files"]["cleaned"]),
        (&0.into(), &2.into())
    );
    assert_eq!(read(&dir.path().join("out/a.txt")), ARTICLE_CLEAN);

    // Other settings make other outputs: nothing is skipped.
    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--skip-unchanged",
            "--detect",
            "off",
            "--report",
            "r3.json",
        ])
        .assert()
        .success();
    assert_eq!(report(&dir.path().join("r3.json"))["files"]["up_to_date"], 0);
}

#[test]
fn a_rerun_says_what_it_skipped_and_counts_the_bytes_it_hashed() {
    let records = "{\"text\":\"Share\\nOne.\"}\n".repeat(100);
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/b.jsonl", records.as_bytes()),
    ]);
    let run = |extra: &str| {
        let assert = pare(dir.path())
            .args(["clean", "in", "-o", "out", "--skip-unchanged", extra])
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    run("-q");
    // Both files were read whole to hash them: 2,387 bytes.
    let total = format!("{:.2} KiB", (ARTICLE.len() + records.len()) as f64 / 1024.0);
    assert_eq!(
        run("-v"),
        format!(
            "pare: in/a.txt: skipped, up to date\npare: in/b.jsonl: skipped, up to date\n\
             pare: 2 files: 0 cleaned, 0 unchanged, 2 skipped as up to date; {total} in, 0 B out; \
             0 lines removed\n"
        )
    );
}

#[test]
fn two_unsharded_runs_do_not_share_one_manifest() {
    let dir = tree(&[("in/a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--skip-unchanged", "-q"])
        .assert()
        .success();
    // Another run holds the manifest: a second writer is refused before it writes anything.
    let held = std::fs::File::open(dir.path().join("out/.pare-manifest.jsonl")).unwrap();
    held.lock().unwrap();
    let before = read(&dir.path().join("out/.pare-manifest.jsonl"));
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--skip-unchanged"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "another pare run is writing out/.pare-manifest.jsonl now",
        ));
    assert_eq!(read(&dir.path().join("out/.pare-manifest.jsonl")), before);
    drop(held);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "--skip-unchanged", "-q"])
        .assert()
        .success();
}

#[test]
fn skip_unchanged_needs_an_output_directory() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt", "--in-place", "--skip-unchanged"])
        .assert()
        .code(2);
}

#[test]
fn a_killed_run_resumes_to_the_result_of_a_full_run() {
    let body = "A paragraph of body text that is long enough to be worth cleaning. ".repeat(40);
    let files: Vec<(String, Vec<u8>)> = (0..3000)
        .map(|i| {
            (
                format!("in/{}/{i}.txt", i % 7),
                format!("Share\nStory {i}\n\n{body}\nMore about\n").into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["clean", "in", "-o", "full", "-q"])
        .assert()
        .success();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .args(["clean", "in", "-o", "out", "--skip-unchanged", "-q", "-j", "1"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while outputs(&dir.path().join("out")).len() < 300 && started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done_before = outputs(&dir.path().join("out")).len();

    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--skip-unchanged",
            "-q",
            "--report",
            "r.json",
        ])
        .assert()
        .success();
    let names = outputs(&dir.path().join("full"));
    assert_eq!(outputs(&dir.path().join("out")), names);
    for name in &names {
        assert_eq!(
            read(&dir.path().join("out").join(name)),
            read(&dir.path().join("full").join(name)),
            "{name}"
        );
    }
    if done_before < names.len() {
        let skipped = report(&dir.path().join("r.json"))["files"]["up_to_date"]
            .as_u64()
            .unwrap();
        assert!(
            skipped > 0 && skipped as usize <= done_before,
            "{skipped} skipped, {done_before} were done"
        );
    }
}
