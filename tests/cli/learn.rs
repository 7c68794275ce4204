//! `pare learn` and `pare clean --learn`: chrome learned from the corpus itself, on a synthetic
//! multi-site corpus whose expected bodies are known.

use crate::synth::{generate, SynthDoc};

use crate::support::{files_under, pare, read, tree, tree_of};

fn corpus(docs: usize, seed: u64) -> Vec<SynthDoc> {
    generate(docs, seed)
}

fn tree_files(docs: &[SynthDoc], root: &str) -> Vec<(String, Vec<u8>)> {
    docs.iter()
        .map(|doc| (format!("{root}/{}", doc.path), doc.raw.clone().into_bytes()))
        .collect()
}

#[test]
fn clean_learn_reproduces_the_expected_bodies_without_site_rules() {
    let docs = corpus(400, 7);
    let dir = tree_of(&tree_files(&docs, "in"));
    pare(dir.path())
        .args(["clean", "in", "-q", "--learn", "--detect", "off", "-o", "out"])
        .assert()
        .success();
    let mut exact = 0;
    for doc in &docs {
        let output = read(&dir.path().join("out").join(&doc.path));
        exact += usize::from(output == doc.expected);
        for line in doc.expected.lines().filter(|line| !line.is_empty()) {
            assert!(
                output.lines().any(|kept| kept == line),
                "{}: body line removed: {line}",
                doc.path
            );
        }
    }
    assert!(exact * 100 >= docs.len() * 99, "{exact} of {} exact", docs.len());
    // Without learning, the same run leaves the sites' chrome in.
    pare(dir.path())
        .args(["clean", "in", "-q", "--detect", "off", "-o", "plain"])
        .assert()
        .success();
    let plain_exact = docs
        .iter()
        .filter(|doc| read(&dir.path().join("plain").join(&doc.path)) == doc.expected)
        .count();
    assert_eq!(plain_exact, 0);
}

#[test]
fn jsonl_records_are_grouped_by_url_host() {
    let docs = corpus(200, 11);
    let jsonl: String = docs
        .iter()
        .map(|doc| serde_json::json!({"id": doc.id, "url": doc.url, "text": doc.raw}).to_string() + "\n")
        .collect();
    let dir = tree(&[("in.jsonl", jsonl.as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "in.jsonl",
            "-q",
            "--learn",
            "--detect",
            "off",
            "-o",
            "out.jsonl",
        ])
        .assert()
        .success();
    let output = read(&dir.path().join("out.jsonl"));
    let exact = output
        .lines()
        .zip(&docs)
        .filter(|(line, doc)| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["text"] == doc.expected.as_str()
        })
        .count();
    assert!(exact * 100 >= docs.len() * 99, "{exact} of {} exact", docs.len());
}

#[test]
fn a_saved_profile_applies_by_group_and_merged_counts_learn_the_same() {
    let docs = corpus(300, 5);
    let (first, second) = docs.split_at(150);
    let mut files = tree_files(&docs, "all");
    files.extend(tree_files(first, "part1"));
    files.extend(tree_files(second, "part2"));
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["learn", "all", "-o", "whole.toml", "-j", "1"])
        .assert()
        .success();
    pare(dir.path())
        .args(["learn", "all", "-o", "whole-j2.toml", "-j", "2"])
        .assert()
        .success();
    assert_eq!(
        read(&dir.path().join("whole.toml")),
        read(&dir.path().join("whole-j2.toml")),
        "deterministic"
    );
    pare(dir.path())
        .args(["learn", "part1", "--counts-out", "1.json"])
        .assert()
        .success();
    pare(dir.path())
        .args(["learn", "part2", "--counts-out", "2.json"])
        .assert()
        .success();
    pare(dir.path())
        .args([
            "learn",
            "--merge",
            "1.json",
            "--merge",
            "2.json",
            "-o",
            "merged.toml",
        ])
        .assert()
        .success();
    assert_eq!(
        read(&dir.path().join("merged.toml")),
        read(&dir.path().join("whole.toml"))
    );

    let profile = read(&dir.path().join("whole.toml"));
    assert!(profile.contains("evidence = \"in "), "rules carry their evidence");
    pare(dir.path())
        .args([
            "clean",
            "all",
            "-q",
            "--detect",
            "off",
            "--profile-file",
            "whole.toml",
            "-o",
            "out",
        ])
        .assert()
        .success();
    pare(dir.path())
        .args([
            "clean", "all", "-q", "--detect", "off", "--learn", "-o", "learned",
        ])
        .assert()
        .success();
    for name in files_under(&dir.path().join("out")) {
        assert_eq!(
            read(&dir.path().join("out").join(&name)),
            read(&dir.path().join("learned").join(&name))
        );
    }
}

#[test]
fn duplicated_documents_teach_nothing() {
    let doc = &corpus(1, 3)[0];
    let files: Vec<(String, Vec<u8>)> = (0..20)
        .map(|i| (format!("in/site/{i}.txt"), doc.raw.clone().into_bytes()))
        .collect();
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["learn", "in", "-o", "p.toml"])
        .assert()
        .success();
    let profile = read(&dir.path().join("p.toml"));
    assert!(
        profile.contains("# site: 1 documents, too few to learn from"),
        "{profile}"
    );
    assert!(!profile.contains("[[group.rule]]"), "{profile}");
}

#[test]
fn documents_can_be_grouped_otherwise() {
    let docs = corpus(60, 9);
    let dir = tree_of(&tree_files(&docs, "in"));
    pare(dir.path())
        .args(["learn", "in", "--group-by", "none", "-o", "one.toml"])
        .assert()
        .success();
    let profile = read(&dir.path().join("one.toml"));
    assert!(profile.contains("name = \"_\"\ndocuments = 60"), "{profile}");
    assert!(!profile.contains(".test\"\ndocuments"), "{profile}");
}

#[test]
fn learning_needs_files() {
    let dir = tree(&[]);
    pare(dir.path())
        .args(["clean", "--learn"])
        .write_stdin("Share\nBody.\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--learn"));
}

#[test]
fn learning_refuses_documents_over_the_size_limit_by_name() {
    let big = "A line of text.\n".repeat(500);
    let records = format!(
        "{}\n{}\n",
        serde_json::json!({"text": "Short."}),
        serde_json::json!({"text": big})
    );
    let dir = tree(&[
        ("in/site/big.txt", big.as_bytes()),
        ("in/site/small.txt", b"Menu\nA body.\n"),
        ("in/records.jsonl", records.as_bytes()),
    ]);
    pare(dir.path())
        .args(["learn", "in", "-o", "p.toml", "--max-doc-bytes", "1000"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "big.txt: document larger than --max-doc-bytes (1000 bytes)",
        ))
        .stderr(predicates::str::contains(
            "records.jsonl:2: document larger than --max-doc-bytes",
        ));
}
