//! JSONL inputs: field splicing, order, bad records, dropping, compression, streaming, ledger.

use std::io::Read;

use pare::input::compress::{decompress, Compression};
use predicates::prelude::*;

use crate::support::{compress, pare, read, report, tree, tree_of, ARTICLE, ARTICLE_CLEAN};

fn record(id: &str, text: &str) -> String {
    format!(
        r#"{{"id":"{id}","url":"https://example.test/{id}?a=1&b=\u00e9","text":{},"meta":{{"text":"nested stays","n":1.50}}}}"#,
        serde_json::to_string(text).unwrap()
    )
}

fn parse_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn only_the_text_field_changes_and_order_is_kept() {
    let input = format!("{}\n{}\n", record("a", ARTICLE), record("b", ARTICLE_CLEAN));
    let dir = tree(&[("in.jsonl", input.as_bytes()), ("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "-o", "out.jsonl"])
        .assert()
        .success();
    let output = read(&dir.path().join("out.jsonl"));
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), 2);
    // Everything outside the text value is byte-for-byte the input, escapes included.
    assert_eq!(lines[0], record("a", ARTICLE_CLEAN));
    assert_eq!(
        lines[1],
        record("b", ARTICLE_CLEAN),
        "an already clean record is copied as is"
    );
    // The text is what text mode makes of the same article.
    let text_mode = pare(dir.path()).args(["clean", "a.txt"]).assert().success();
    assert_eq!(
        parse_lines(&output)[0]["text"],
        String::from_utf8(text_mode.get_output().stdout.clone()).unwrap()
    );
}

#[test]
fn record_order_survives_batches_and_threads() {
    let input: String = (0..3000)
        .map(|i| record(&i.to_string(), &format!("Share\nStory {i}.\n")) + "\n")
        .collect();
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    for threads in ["1", "2"] {
        pare(dir.path())
            .args(["clean", "in.jsonl", "-q", "-j", threads, "-o"])
            .arg(format!("out{threads}.jsonl"))
            .assert()
            .success();
    }
    let one = read(&dir.path().join("out1.jsonl"));
    assert_eq!(one, read(&dir.path().join("out2.jsonl")));
    let ids: Vec<String> = parse_lines(&one)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, (0..3000).map(|i| i.to_string()).collect::<Vec<_>>());
    assert_eq!(parse_lines(&one)[2999]["text"], "Story 2999.\n");
}

const BAD_LINES: &[&[u8]] = &[
    b"{\"id\": \"x\", \"text\": ",
    b"{\"id\": \"y\"}",
    b"{\"id\": \"z\", \"text\": 42}",
    b"{\"id\": \"w\", \"text\": \"caf\xe9\"}",
];

fn with_bad_records() -> Vec<u8> {
    let mut input = format!("{}\n", record("a", ARTICLE)).into_bytes();
    for bad in BAD_LINES {
        input.extend_from_slice(bad);
        input.push(b'\n');
    }
    input.extend_from_slice(format!("{}\n", record("b", ARTICLE)).as_bytes());
    input
}

#[test]
fn bad_records_pass_through_by_default_and_fail_the_run() {
    let dir = tree(&[("in.jsonl", &with_bad_records())]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "-o", "out.jsonl", "--report", "r.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.jsonl:2: invalid JSON"))
        .stderr(predicate::str::contains("in.jsonl:3: no field `text`"))
        .stderr(predicate::str::contains(
            "in.jsonl:4: field `text` is not a string",
        ))
        .stderr(predicate::str::contains("in.jsonl:5: invalid UTF-8"));
    let output = std::fs::read(dir.path().join("out.jsonl")).unwrap();
    let lines: Vec<&[u8]> = output.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(&lines[1..5], BAD_LINES, "bad lines are written through unchanged");
    let report = report(&dir.path().join("r.json"));
    assert_eq!(report["records"]["bad"], 4);
    assert_eq!(report["records"]["cleaned"], 2);
    assert_eq!(report["errors"].as_array().unwrap().len(), 4);
    assert_eq!(
        report["errors"][0],
        serde_json::json!({"path": "in.jsonl", "line": 2, "message": "invalid JSON: EOF while parsing a value at column 20"})
    );
}

#[test]
fn json_lines_on_standard_input_cleaned_as_text_draw_a_warning() {
    let dir = tree(&[]);
    let line = format!("{}\n", serde_json::json!({"id": 1, "text": "Share\nBody."}));
    pare(dir.path())
        .arg("clean")
        .write_stdin(line.clone())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pare: warning: <stdin>: looks like JSON lines",
        ));
    for args in [
        vec!["clean", "--format", "jsonl"],
        vec!["clean", "--format", "text"],
    ] {
        pare(dir.path())
            .args(&args)
            .write_stdin(line.clone())
            .assert()
            .success()
            .stderr(predicate::str::contains("warning").not());
    }
    pare(dir.path())
        .arg("clean")
        .write_stdin("{braces} in prose\nShare\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn the_summary_counts_records_and_a_filter_prints_none() {
    let input: String = ["Share\nOne.", "", "Two.", "Three four five six seven."]
        .iter()
        .map(|text| format!("{}\n", serde_json::json!({"text": text})))
        .collect();
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-o",
            "out.jsonl",
            "--drop-empty",
            "--min-words",
            "2",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "4 records: 1 cleaned, 0 unchanged, 1 dropped empty, 2 dropped short",
        ));
    pare(dir.path())
        .args(["clean", "--format", "jsonl"])
        .write_stdin(input.clone())
        .assert()
        .success()
        .stderr("");
}

#[test]
fn a_wrong_field_names_a_few_bad_records_then_counts_the_rest() {
    let input: String = (0..300)
        .map(|i| format!("{}\n", serde_json::json!({"id": i, "body": "Share\nText."})))
        .collect();
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let run = pare(dir.path())
        .args(["clean", "in.jsonl", "-o", "out.jsonl", "-q", "--report", "r.json"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 6, "{stderr}");
    assert!(stderr.contains("in.jsonl:1: no field `text`"), "{stderr}");
    assert!(
        stderr.ends_with("in.jsonl: 295 more bad records (all are listed by --report)\n"),
        "{stderr}"
    );
    assert_eq!(
        report(&dir.path().join("r.json"))["errors"]
            .as_array()
            .unwrap()
            .len(),
        300
    );
}

#[test]
fn bad_records_can_be_dropped_or_stop_the_input() {
    let dir = tree(&[("in.jsonl", &with_bad_records())]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-q",
            "-o",
            "dropped.jsonl",
            "--on-bad-record",
            "drop",
        ])
        .assert()
        .success();
    let ids: Vec<_> = parse_lines(&read(&dir.path().join("dropped.jsonl")))
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-q",
            "-o",
            "failed.jsonl",
            "--on-bad-record",
            "fail",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pare: error: in.jsonl:2: invalid JSON: EOF while parsing a value at column 20 (stopped: --on-bad-record fail)",
        ));
    assert!(!dir.path().join("failed.jsonl").exists(), "no partial output");
    assert_eq!(
        crate::support::files_under(dir.path()),
        ["dropped.jsonl", "in.jsonl"],
        "no temp files left"
    );
}

#[test]
fn empty_and_short_records_can_be_dropped_and_are_counted() {
    let input = format!(
        "{}\n{}\n{}\n",
        record("chrome", "Share\nAdvertisement\n"),
        record("short", "Two words."),
        record("long", "This one has enough words to stay in the output.")
    );
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-o",
            "out.jsonl",
            "--drop-empty",
            "--min-words",
            "3",
            "--report",
            "r.json",
        ])
        .assert()
        .success();
    let ids: Vec<_> = parse_lines(&read(&dir.path().join("out.jsonl")))
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["long"]);
    let report = report(&dir.path().join("r.json"));
    assert_eq!(
        (
            &report["records"]["dropped_empty"],
            &report["records"]["dropped_short"]
        ),
        (&1.into(), &1.into())
    );
}

fn decompressed(path: &std::path::Path) -> String {
    let mut text = String::new();
    let file = std::fs::File::open(path).unwrap();
    decompress(file, Compression::of(path))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn gzip_and_zstd_in_and_out() {
    let input = format!("{}\n", record("a", ARTICLE));
    let dir = tree(&[
        ("in.jsonl.gz", &compress(input.as_bytes(), Compression::Gzip)),
        ("page.txt.zst", &compress(ARTICLE.as_bytes(), Compression::Zstd)),
    ]);
    pare(dir.path())
        .args(["clean", "in.jsonl.gz", "-o", "out.jsonl.zst"])
        .assert()
        .success();
    assert_eq!(
        decompressed(&dir.path().join("out.jsonl.zst")),
        format!("{}\n", record("a", ARTICLE_CLEAN))
    );
    pare(dir.path())
        .args(["clean", "in.jsonl.gz", "-o", "out.jsonl"])
        .assert()
        .success();
    assert_eq!(
        read(&dir.path().join("out.jsonl")),
        format!("{}\n", record("a", ARTICLE_CLEAN))
    );
    pare(dir.path())
        .args(["clean", "page.txt.zst", "-o", "page.txt.gz"])
        .assert()
        .success();
    assert_eq!(decompressed(&dir.path().join("page.txt.gz")), ARTICLE_CLEAN);
    // Directories take compressed files too, and mirror them compressed.
    pare(dir.path())
        .args(["clean", ".", "-o", "tree", "-q"])
        .assert()
        .success();
    assert_eq!(
        decompressed(&dir.path().join("tree/in.jsonl.gz")),
        format!("{}\n", record("a", ARTICLE_CLEAN))
    );
    assert_eq!(decompressed(&dir.path().join("tree/page.txt.zst")), ARTICLE_CLEAN);
}

#[test]
fn stdin_streams_as_jsonl_on_request() {
    let input = format!("{}\n\n{}", record("a", ARTICLE), record("b", ARTICLE));
    let dir = tree(&[]);
    let assert = pare(dir.path())
        .args(["clean", "--format", "jsonl", "-q"])
        .write_stdin(input)
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    // A blank line passes through; a last line without a newline stays without one.
    assert_eq!(
        out,
        format!("{}\n\n{}", record("a", ARTICLE_CLEAN), record("b", ARTICLE_CLEAN))
    );
}

#[test]
fn another_field_can_be_cleaned() {
    let line = format!(
        r#"{{"body":{},"text":"Share"}}"#,
        serde_json::to_string(ARTICLE).unwrap()
    );
    let dir = tree(&[]);
    let assert = pare(dir.path())
        .args(["clean", "--format", "jsonl", "--field", "body", "-q"])
        .write_stdin(line)
        .assert()
        .success();
    let record: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(
        (record["body"].as_str().unwrap(), record["text"].as_str().unwrap()),
        (ARTICLE_CLEAN, "Share")
    );
}

#[test]
fn the_ledger_lists_every_removed_line_with_its_rule() {
    let input = format!("{}\n", record("a", ARTICLE));
    let dir = tree(&[("in.jsonl", input.as_bytes()), ("page.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "page.txt",
            "-o",
            "out",
            "--ledger",
            "ledger.jsonl",
            "-q",
        ])
        .assert()
        .success();
    let entries = parse_lines(&read(&dir.path().join("ledger.jsonl")));
    assert_eq!(entries.len(), 4);
    let first = &entries[0];
    assert_eq!(first["path"], "in.jsonl");
    assert_eq!((&first["record"], &first["id"]), (&1.into(), &"a".into()));
    assert_eq!(
        (&first["line"], &first["rule"], &first["text"]),
        (&1.into(), &"skip-link".into(), &"Skip to content".into())
    );
    assert_eq!((&first["start"], &first["end"]), (&0.into(), &15.into()));
    assert_eq!(entries[3]["path"], "page.txt");
    assert_eq!(entries[3]["text"], "Share this article");
    assert!(entries[3].get("record").is_none());
}

#[test]
fn the_ledger_says_why_the_detector_removed_a_line() {
    let body = "The harbour authority has approved plans for a floating solar farm on the disused north basin.\n\n\
        The array of panels will sit on pontoons anchored to the basin floor and supply a fifth of the power.\n\n\
        Engineers chose the basin because it has been closed to shipping for decades and is sheltered.\n\n\
        Construction is due to start in the spring and should take about five months, weather permitting.\n";
    let page = format!("Home\nNews\nSport\nWeather\nJobs\n\n{body}\nAbout us | Contact | Privacy\nTerms\n");
    let dir = tree(&[("page.txt", page.as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "page.txt",
            "-o",
            "out.txt",
            "--ledger",
            "ledger.jsonl",
            "-q",
        ])
        .assert()
        .success();
    let entries = parse_lines(&read(&dir.path().join("ledger.jsonl")));
    let menu = (entries.iter())
        .find(|entry| entry["rule"] == "detect")
        .expect("the detector removes part of the menu");
    let reason = menu["reason"].as_str().unwrap_or_default();
    assert!(reason.starts_with("before the body span"), "{menu}");
}

#[test]
fn shards_of_one_jsonl_file_add_up_to_the_whole() {
    // Lines of very different lengths, so byte ranges cut through the middle of lines.
    let input: String = (0..200)
        .map(|i| {
            record(
                &i.to_string(),
                &format!("Share\n{}\n", "Body text. ".repeat(i % 17 + 1)),
            ) + "\n"
        })
        .collect();
    let dir = tree(&[
        ("in.jsonl", input.as_bytes()),
        ("in.jsonl.gz", &compress(input.as_bytes(), Compression::Gzip)),
    ]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "-q", "-o", "all.jsonl"])
        .assert()
        .success();
    let whole = read(&dir.path().join("all.jsonl"));
    let mut union = String::new();
    let mut gz_union: Vec<String> = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        pare(dir.path())
            .args(["clean", "in.jsonl", "-q", "--shard", &shard, "-o"])
            .arg(format!("part{k}.jsonl"))
            .assert()
            .success();
        union.push_str(&read(&dir.path().join(format!("part{k}.jsonl"))));
        pare(dir.path())
            .args(["clean", "in.jsonl.gz", "-q", "--shard", &shard, "-o"])
            .arg(format!("gz{k}.jsonl"))
            .assert()
            .success();
        gz_union.extend(
            read(&dir.path().join(format!("gz{k}.jsonl")))
                .lines()
                .map(str::to_string),
        );
    }
    assert_eq!(union, whole, "byte-range shards concatenate to the whole output");
    let mut whole_lines: Vec<String> = whole.lines().map(str::to_string).collect();
    whole_lines.sort();
    gz_union.sort();
    assert_eq!(
        gz_union, whole_lines,
        "line shards of a compressed file cover every record once"
    );
}

#[test]
fn shards_of_many_files_add_up_to_the_whole() {
    let files: Vec<(String, Vec<u8>)> = (0..10)
        .map(|i| (format!("in/{i}.txt"), ARTICLE.as_bytes().to_vec()))
        .collect();
    let dir = tree_of(&files);
    for k in 1..=3 {
        pare(dir.path())
            .args(["clean", "in", "-q", "-o", "out", "--shard"])
            .arg(format!("{k}/3"))
            .assert()
            .success();
    }
    assert_eq!(crate::support::files_under(&dir.path().join("out")).len(), 10);
    for bad in ["0/3", "4/3", "x", "1/0"] {
        pare(dir.path())
            .args(["clean", "in", "-o", "out", "--shard", bad])
            .assert()
            .code(2);
    }
}

/// What `parallel --pipe`, Spark's `rdd.pipe` and Hadoop Streaming do: feed arbitrary chunks of
/// records to separate `pare` processes on stdin and concatenate what they print.
#[test]
fn chunks_piped_through_separate_processes_add_up_to_the_whole() {
    let input: String = (0..90)
        .map(|i| record(&i.to_string(), &format!("Share\nStory {i}.\n")) + "\n")
        .collect();
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in.jsonl", "-q", "-o", "whole.jsonl"])
        .assert()
        .success();
    let lines: Vec<&str> = input.lines().collect();
    let mut joined = String::new();
    for chunk in lines.chunks(37) {
        let chunk_text: String = chunk.iter().map(|line| format!("{line}\n")).collect();
        let assert = pare(dir.path())
            .args(["clean", "--format", "jsonl", "-q"])
            .write_stdin(chunk_text)
            .assert()
            .success();
        joined.push_str(&String::from_utf8(assert.get_output().stdout.clone()).unwrap());
    }
    assert_eq!(joined, read(&dir.path().join("whole.jsonl")));
}

#[test]
fn a_record_diff_is_headed_by_its_line_and_its_id() {
    let no_id = format!("{{\"text\":{}}}", serde_json::to_string(ARTICLE).unwrap());
    let input = format!(
        "{}\n{}\n{no_id}\n",
        record("clean-one", ARTICLE_CLEAN),
        record("story-7", ARTICLE)
    );
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let diff = pare(dir.path())
        .args(["clean", "--diff", "in.jsonl"])
        .assert()
        .code(1);
    let diff = String::from_utf8(diff.get_output().stdout.clone()).unwrap();
    let headers: Vec<&str> = diff.lines().filter(|line| line.starts_with("--- ")).collect();
    assert_eq!(
        headers,
        ["--- a/in.jsonl:2 (id story-7)", "--- a/in.jsonl:3"],
        "{diff}"
    );
    assert!(diff.contains("+++ b/in.jsonl:2 (id story-7)\n"), "{diff}");
    assert!(diff.contains("-Skip to content"), "{diff}");
}
