//! SIGINT and SIGTERM stop a run cleanly: exit 130 / 143, no temporary file left, every output
//! present complete.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::{files_under, read, tree, tree_of};

fn spawn(dir: &std::path::Path, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir)
        .args(args)
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until `ready` holds or the child exits; true when `ready` held.
fn wait_for(child: &mut Child, ready: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn sigint_while_streaming_a_jsonl_file_leaves_no_output_and_no_temp_file() {
    let record = |i: usize| {
        let text = format!(
            "Share\nStory {i}\n\n{}\n",
            "Some body text that goes on. ".repeat(30)
        );
        serde_json::json!({"id": i, "text": text}).to_string() + "\n"
    };
    let input: String = (0..40_000).map(record).collect();
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let mut child = spawn(
        dir.path(),
        &["clean", "in.jsonl", "-q", "-j", "1", "-o", "out/clean.jsonl"],
    );
    let out = dir.path().join("out");
    let started = wait_for(&mut child, || out.exists() && !files_under(&out).is_empty());
    signal(&child, "-INT");
    let status = child.wait().unwrap();
    if started && status.code() != Some(0) {
        assert_eq!(status.code(), Some(130));
    }
    if status.code() == Some(130) {
        assert!(
            files_under(&out).is_empty(),
            "left behind: {:?}",
            files_under(&out)
        );
    } else {
        // The run finished before the signal: the output must then be whole.
        assert_eq!(read(&out.join("clean.jsonl")).lines().count(), 40_000);
    }
}

/// A tree of 3,000 stories, `in/N.txt`, each a share button, a headline and `body`.
fn tree_of_stories() -> (tempfile::TempDir, String) {
    let body = "A paragraph of body text that is long enough to be worth cleaning. ".repeat(40);
    let files: Vec<(String, Vec<u8>)> = (0..3000)
        .map(|i| {
            (
                format!("in/{i}.txt"),
                format!("Share\nStory {i}\n\n{body}\n").into_bytes(),
            )
        })
        .collect();
    (tree_of(&files), body)
}

#[test]
fn sigterm_during_a_tree_run_keeps_only_complete_outputs() {
    let (dir, body) = tree_of_stories();
    let out = dir.path().join("out");
    let mut child = spawn(dir.path(), &["clean", "in", "-q", "-j", "1", "-o", "out"]);
    wait_for(&mut child, || out.exists() && files_under(&out).len() > 50);
    signal(&child, "-TERM");
    let status = child.wait().unwrap();
    let written = files_under(&out);
    if status.code() == Some(143) {
        assert!(written.len() < 3000);
    } else {
        assert_eq!(status.code(), Some(0), "only a finished run may exit otherwise");
    }
    for name in &written {
        assert!(!name.contains(".pare-"), "temporary file left: {name}");
        let number = name.trim_end_matches(".txt");
        assert_eq!(
            read(&out.join(name)),
            format!("Story {number}\n\n{}\n", body.trim_end()),
            "{name}"
        );
    }
}

#[test]
fn after_an_interrupt_the_ledger_and_report_cover_every_finished_input() {
    let (dir, _) = tree_of_stories();
    let out = dir.path().join("out");
    let args = |ledger: &str, report: &str| {
        let mut args = vec!["clean", "in", "-q", "-j", "1", "-o", "out", "--skip-unchanged"];
        args.extend(["--ledger", ledger, "--report", report]);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let first = args("first.jsonl", "first.json");
    let mut child = spawn(dir.path(), &first.iter().map(String::as_str).collect::<Vec<_>>());
    wait_for(&mut child, || out.exists() && files_under(&out).len() > 50);
    signal(&child, "-INT");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "the run must be stopped part-way for this test"
    );
    let first_report: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("first.json"))).unwrap();
    assert_eq!(first_report["interrupted"], true);
    let finished = first_report["files"]["cleaned"].as_u64().unwrap();
    assert!(finished > 0 && finished < 3000, "{finished}");
    let second = args("second.jsonl", "second.json");
    let resumed = Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .args(&second)
        .status()
        .unwrap();
    assert!(resumed.success());
    // Each document's one removed line ("Share") is in exactly one of the two ledgers.
    let mut paths: Vec<String> = ["first.jsonl", "second.jsonl"]
        .iter()
        .flat_map(|name| {
            read(&dir.path().join(name))
                .lines()
                .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["path"].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        read(&dir.path().join("first.jsonl")).lines().count() as u64,
        finished,
        "the first ledger holds the finished inputs"
    );
    paths.sort();
    let total = paths.len();
    paths.dedup();
    assert_eq!((total, paths.len()), (3000, 3000));
}

#[test]
fn sigint_stops_a_jsonl_run_inside_its_batch_and_the_last_line_says_so() {
    // One batch of varied records (fewer than the 1,024 records and 16 MiB a batch holds): a
    // run that finished its batch before stopping would take about as long as a whole run.
    let words = [
        "council",
        "harbour",
        "bridge",
        "residents",
        "plan",
        "approved",
        "budget",
        "election",
        "weather",
        "river",
        "school",
        "hospital",
        "railway",
        "museum",
        "festival",
        "workers",
    ];
    let mut state = 7u64;
    let mut word = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        words[(state >> 33) as usize % words.len()]
    };
    let input: String = (0..1000)
        .map(|i| {
            let paragraphs: Vec<String> = (0..6)
                .map(|_| (0..330).map(|_| word()).collect::<Vec<_>>().join(" ") + ".")
                .collect();
            let text = format!("Share\nStory {i}\n\n{}\n", paragraphs.join("\n\n"));
            serde_json::json!({"id": i, "text": text}).to_string() + "\n"
        })
        .collect();
    assert!(input.len() < 16 << 20, "one batch");
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let args = [
        "clean",
        "in.jsonl",
        "-j",
        "1",
        "--progress",
        "always",
        "-o",
        "out.jsonl",
    ];
    let started = Instant::now();
    let whole = Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    let whole_run = started.elapsed();
    assert!(whole.status.success());
    std::fs::remove_file(dir.path().join("out.jsonl")).unwrap();

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("pare"))
        .current_dir(dir.path())
        .args(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first progress line is printed once the inputs are listed, before the batch is read.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).unwrap();
    assert!(first.starts_with("pare: progress:"), "{first}");
    std::thread::sleep(whole_run / 10);
    signal(&child, "-INT");
    let signalled = Instant::now();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    let stopping = signalled.elapsed();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(
        stopping < whole_run / 2,
        "stopping took {stopping:?}; the whole run {whole_run:?}"
    );
    let last_progress = rest
        .lines()
        .rev()
        .find(|line| line.starts_with("pare: progress:"));
    assert!(
        last_progress.is_some_and(|line| line.contains(", interrupted after ")),
        "{rest}"
    );
    assert!(!rest.contains("done in"), "{rest}");
    assert!(
        !dir.path().join("out.jsonl").exists(),
        "no output of a stopped run"
    );
}
