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

#[test]
fn sigterm_during_a_tree_run_keeps_only_complete_outputs() {
    let body = "A paragraph of body text that is long enough to be worth cleaning. ".repeat(40);
    let files: Vec<(String, Vec<u8>)> = (0..3000)
        .map(|i| {
            (
                format!("in/{i}.txt"),
                format!("Share\nStory {i}\n\n{body}\n").into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&files);
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
