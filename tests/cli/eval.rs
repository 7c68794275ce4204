//! `pare eval` and the body detector as seen from the command line.

use predicates::prelude::*;

use pare::input::compress::Compression;

use crate::support::{compress, pare, read, tree};

const GOLD_A: &str = "The council met on Tuesday to approve the plan for the new bridge.\n";
const GOLD_B: &str = "Residents said they had waited years for the change to come.\n";

#[test]
fn eval_scores_a_directory_of_predictions() {
    let dir = tree(&[
        ("gold/a.txt", GOLD_A.as_bytes()),
        ("gold/b.txt", GOLD_B.as_bytes()),
        ("pred/a.txt", GOLD_A.as_bytes()),
        ("pred/b.txt", format!("Menu Home News\n{GOLD_B}").as_bytes()),
    ]);
    let assert = pare(dir.path())
        .args(["eval", "--gold", "gold", "pred", "--per-doc"])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    // b: 11 gold tokens give 8 windows, all found; 3 extra tokens add 3 windows → P = 8/11.
    // Mean precision (1 + 8/11) / 2 = 0.864; F1 = 2 × 0.864 / 1.864 = 0.927.
    assert!(
        out.starts_with("pred: 2 docs  F1 0.927  strict F1 0.927  precision 0.864"),
        "{out}"
    );
    assert!(
        out.contains("recall 1.000  accuracy 0.500  emptied 0  missing 0"),
        "{out}"
    );
    assert!(
        out.contains("\n  F1     precision  recall  document (worst first)\n"),
        "{out}"
    );
    assert!(out.contains("  0.842  0.727      1.000   b\n"), "{out}");
}

#[test]
fn eval_fails_a_set_that_matches_no_gold_id_and_scores_the_others() {
    let dir = tree(&[
        ("gold/a.txt", GOLD_A.as_bytes()),
        ("gold/b.txt", GOLD_B.as_bytes()),
        ("elsewhere/x.txt", GOLD_A.as_bytes()),
        ("elsewhere/y.txt", GOLD_B.as_bytes()),
        ("pred/a.txt", GOLD_A.as_bytes()),
        ("pred/b.txt", GOLD_B.as_bytes()),
    ]);
    pare(dir.path())
        .args(["eval", "--gold", "gold", "elsewhere", "pred", "--min-f1", "0.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pare: error: elsewhere: no prediction matches any of the 2 gold documents \
             (expected ids such as \"a\", \"b\"; found \"x\", \"y\")",
        ))
        .stdout(predicate::str::starts_with("pred: 2 docs  F1 1.000"))
        .stdout(predicate::str::contains("elsewhere").not());
}

#[test]
fn eval_reads_compressed_predictions_and_names_the_line_of_a_bad_record() {
    let dir = tree(&[
        ("gold/a.txt", GOLD_A.as_bytes()),
        ("pred/a.txt.gz", &compress(GOLD_A.as_bytes(), Compression::Gzip)),
        ("pred/notes.md", b"not a prediction"),
        (
            "bad.jsonl",
            b"{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": \"b\"}\n",
        ),
    ]);
    pare(dir.path())
        .args(["eval", "--gold", "gold", "pred"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("pred: 1 docs  F1 1.000"));
    pare(dir.path())
        .args(["eval", "--gold", "gold", "bad.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:3: no string field `text`"));
}

#[test]
fn eval_reads_jsonl_predictions_and_gates_on_strict_f1() {
    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a", "text": GOLD_A}),
        serde_json::json!({"id": "b", "text": ""})
    );
    let dir = tree(&[
        ("gold/a.txt", GOLD_A.as_bytes()),
        ("gold/b.txt", GOLD_B.as_bytes()),
        ("pred.jsonl", jsonl.as_bytes()),
    ]);
    let assert = pare(dir.path())
        .args(["eval", "--gold", "gold", "pred.jsonl", "--json"])
        .assert()
        .success();
    let results: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let summary = &results[0]["summary"];
    assert_eq!(summary["precision"], 1.0);
    assert_eq!(summary["strict_precision"], 0.5);
    assert_eq!(summary["emptied"], 1);
    assert_eq!(summary["missing"], 0);
    // A document with no prediction at all is missing, not emptied (and still scores 0).
    std::fs::write(
        dir.path().join("only-a.jsonl"),
        &jsonl.as_bytes()[..jsonl.find('\n').unwrap() + 1],
    )
    .unwrap();
    let assert = pare(dir.path())
        .args(["eval", "--gold", "gold", "only-a.jsonl", "--json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "only-a.jsonl: no prediction for 1 gold documents; scored as empty",
        ));
    let results: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let summary = &results[0]["summary"];
    assert_eq!((&summary["emptied"], &summary["missing"]), (&0.into(), &1.into()));
    assert_eq!(summary["strict_precision"], 0.5);
    pare(dir.path())
        .args(["eval", "--gold", "gold", "pred.jsonl", "--min-f1", "0.6"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "pred.jsonl: strict F1 0.500 is below --min-f1 0.6; worst documents: b (0.000), a (1.000)",
        ));
    pare(dir.path())
        .args(["eval", "--gold", "gold", "pred.jsonl", "--min-f1", "0.4"])
        .assert()
        .code(0);
}

#[test]
fn eval_names_a_bad_prediction_record() {
    let dir = tree(&[
        ("gold/a.txt", GOLD_A.as_bytes()),
        ("pred.jsonl", b"{\"id\": \"a\"}\n"),
    ]);
    pare(dir.path())
        .args(["eval", "--gold", "gold", "pred.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pred.jsonl:1"));
}

#[test]
fn the_detector_runs_by_default_and_can_be_turned_off() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let page = root.join("in/pages/local-news.txt");
    let assert = pare(&root).arg("clean").arg(&page).assert().success();
    assert_eq!(
        String::from_utf8(assert.get_output().stdout.clone()).unwrap(),
        read(&root.join("expected/pages/local-news.txt"))
    );
    let off = pare(&root)
        .args(["clean", "--detect", "off"])
        .arg(&page)
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&off.get_output().stdout).contains("Kelsby Gazette"));
    pare(&root)
        .args(["clean", "--diff"])
        .arg(&page)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "-Menu\t# rule: detect (before the body span: body score 0.",
        ));
}

#[test]
fn eval_scores_snippets_and_counts_pages_that_lost_their_article() {
    let annotations = serde_json::json!({
        "a": {"url": "https://example.com/a", "with": ["council met on Tuesday", "new bridge"], "without": ["Menu Home"]},
        "b": {"with": ["waited years"], "without": ["Subscribe now"]},
    });
    let dir = tree(&[
        ("annotations.json", annotations.to_string().as_bytes()),
        ("pred/a.txt", format!("Menu Home News\n{GOLD_A}").as_bytes()),
        ("pred/b.txt", b"Subscribe now\n"),
    ]);
    let assert = pare(dir.path())
        .args(["eval", "--snippets", "annotations.json", "pred", "--per-doc"])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    // 2 of 3 with-phrases found, both without-phrases found: P 0.5, R 0.667, F1 0.571, and
    // accuracy (2 found + 0 absent) / 5.
    assert!(
        out.starts_with("pred: 2 pages  F1 0.571  precision 0.500  recall 0.667  accuracy 0.400  lost every with-snippet 1"),
        "{out}"
    );
    assert!(out.contains("  with 0/1  without 1/1  b\n"), "{out}");
    pare(dir.path())
        .args([
            "eval",
            "--snippets",
            "annotations.json",
            "pred",
            "--min-f1",
            "0.6",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "below --min-f1 0.6; worst pages: b (0/1 kept), a (2/2 kept)",
        ));
    pare(dir.path())
        .args(["eval", "pred"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--gold"));
}
