//! `pare learn` and `pare clean --learn`: chrome learned from the corpus itself, on a synthetic
//! multi-site corpus whose expected bodies are known.

use crate::synth::{generate, generate_with_sections, SynthDoc};

use predicates::prelude::*;

use crate::support::{files_under, pare, read, tree, tree_of};

/// The first lines of every learned profile.
const HEADER: &str = "# Learned by `pare learn`: lines that repeat across a site's documents.\n\
                      # Review before use; every rule says how often it was seen and where.\n\n";

/// A profile's rules without its comments, its keys and what each rule was measured to remove.
fn rules_only(profile: &str) -> String {
    let rules: String = (profile.lines())
        .filter(|line| !line.starts_with('#') && !line.starts_with("keyed_by"))
        .map(|line| match line.find("; removes ") {
            Some(at) => format!("{}\"\n", &line[..at]),
            None => format!("{line}\n"),
        })
        .collect();
    rules.trim_start().to_string()
}

fn corpus(docs: usize, seed: u64) -> Vec<SynthDoc> {
    generate(docs, seed)
}

fn tree_files(docs: &[SynthDoc], root: &str) -> Vec<(String, Vec<u8>)> {
    docs.iter()
        .map(|doc| (format!("{root}/{}", doc.path), doc.raw.clone().into_bytes()))
        .collect()
}

/// Runs `pare clean in --learn --detect DETECT -o out-DETECT` in `dir` and checks that at least
/// 99% of `docs` come out as their expected body, and that no body line is ever removed.
fn assert_learned_bodies_exact(dir: &std::path::Path, docs: &[SynthDoc], detect: &str) {
    let out = format!("out-{detect}");
    pare(dir)
        .args(["clean", "in", "-q", "--learn", "--detect", detect, "-o", &out])
        .assert()
        .success();
    let mut exact = 0;
    for doc in docs {
        let output = read(&dir.join(&out).join(&doc.path));
        exact += usize::from(output == doc.expected);
        for line in doc.expected.lines().filter(|line| !line.is_empty()) {
            assert!(
                output.lines().any(|kept| kept == line),
                "--detect {detect}, {}: body line removed: {line}",
                doc.path
            );
        }
    }
    let missed: Vec<&SynthDoc> = docs
        .iter()
        .filter(|doc| read(&dir.join(&out).join(&doc.path)) != doc.expected)
        .take(2)
        .collect();
    if exact * 100 < docs.len() * 99 {
        for doc in &missed {
            eprintln!(
                "==== {}\n{}\n---- got\n{}",
                doc.path,
                doc.expected,
                read(&dir.join(&out).join(&doc.path))
            );
        }
        let profile = pare(dir).args(["learn", "in"]).output().unwrap();
        eprintln!(
            "==== the profile learned\n{}",
            String::from_utf8_lossy(&profile.stdout)
        );
    }
    assert!(
        exact * 100 >= docs.len() * 99,
        "--detect {detect}: {exact} of {} exact",
        docs.len()
    );
}

#[test]
fn clean_learn_reproduces_the_expected_bodies_without_site_rules() {
    let docs = corpus(400, 7);
    let dir = tree_of(&tree_files(&docs, "in"));
    assert_learned_bodies_exact(dir.path(), &docs, "off");
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
fn clean_learn_cuts_sections_of_unique_text_after_the_article() {
    // Blogs whose posts end in comments, an author box or related posts with excerpts: a
    // heading every post has, then text no other post has.
    let docs = generate_with_sections(600, 3);
    let blogs = ["quietkitchen.test", "fieldnotes.test", "workbenchdiary.test"];
    assert!(blogs
        .iter()
        .all(|blog| docs.iter().filter(|doc| doc.path.starts_with(blog)).count() >= 30));
    let dir = tree_of(&tree_files(&docs, "in"));
    for detect in ["off", "standard"] {
        assert_learned_bodies_exact(dir.path(), &docs, detect);
    }
    // The heading is learned as where the chrome below starts, and says why.
    let profile = pare(dir.path()).args(["learn", "in"]).output().unwrap();
    let profile = String::from_utf8(profile.stdout).unwrap();
    let comments = profile
        .split("[[group.rule]]")
        .find(|rule| rule.contains("line = \"Comments\"\n"))
        .expect("a rule for the comments heading");
    assert!(comments.contains("action = \"cut_after\""), "{comments}");
    assert!(comments.contains("after the article in"), "{comments}");
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
    // The same rules; only the whole profile, learned where its documents are, could be
    // measured on them and say how its groups are keyed.
    let merged = read(&dir.path().join("merged.toml"));
    let whole = read(&dir.path().join("whole.toml"));
    assert_eq!(rules_only(&merged), rules_only(&whole));
    assert!(
        whole.starts_with(&format!("{}keyed_by = \"folder\"\n", HEADER)),
        "{whole}"
    );
    assert!(whole.contains("% of their words ("), "{whole}");
    assert!(merged.contains("(estimated from the counts)"), "{merged}");

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
    // One site's pages, filed under two folders: one group with --group-by none.
    let docs = corpus(120, 9);
    let host = docs[0].path.split('/').next().unwrap().to_string();
    let files: Vec<(String, Vec<u8>)> = (docs.iter())
        .filter(|doc| doc.path.starts_with(&host))
        .enumerate()
        .map(|(i, doc)| (format!("in/part{}/{i}.txt", i % 2), doc.raw.clone().into_bytes()))
        .collect();
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["learn", "in", "--group-by", "none", "-o", "one.toml"])
        .assert()
        .success();
    let profile = read(&dir.path().join("one.toml"));
    let one = format!("name = \"all\"\ndocuments = {}\n", files.len());
    assert!(profile.contains(&one), "{profile}");
    assert!(!profile.contains("name = \"part"), "{profile}");
    // A mixed corpus in one group is no site's: nothing is learned from it.
    let mixed = tree_of(&tree_files(&docs, "in"));
    pare(mixed.path())
        .args(["learn", "in", "--group-by", "none"])
        .assert()
        .success()
        .stdout(predicates::str::contains("# all: not one site's pages"))
        .stdout(predicates::str::contains("[[group]]").not());
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

/// Six documents of one site in `folder`, each with the same menu, share line and footer (a
/// site's template) around a sentence of its own, named `doc<i>.<extension>`.
fn site_files(folder: &str, site: &str, extension: &str) -> Vec<(String, Vec<u8>)> {
    (1..=6)
        .map(|i| {
            let text = format!(
                "{site} Menu\nThe {site} reports story {i} about the harbour and the council meeting today.\n\
                 Share this {site} story\n{site} footer line\n"
            );
            (format!("{folder}/doc{i}.{extension}"), text.into_bytes())
        })
        .collect()
}

#[test]
fn learn_without_an_output_writes_the_profile_to_standard_output() {
    let dir = tree_of(&site_files("in/gazette", "Gazette", "txt"));
    let assert = pare(dir.path()).args(["learn", "in"]).assert().success();
    let profile = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(profile.contains("name = \"gazette\""), "{profile}");
    assert!(profile.contains("line = \"Gazette Menu\""), "{profile}");
    assert!(
        String::from_utf8_lossy(&assert.get_output().stderr).contains("learned 3 rule(s) for 1 of 1 site(s)"),
        "the summary line"
    );
    let quiet = pare(dir.path()).args(["learn", "in", "-q"]).assert().success();
    assert!(quiet.get_output().stderr.is_empty());
}

#[test]
fn learn_takes_only_shares_above_0_and_at_most_1() {
    let dir = tree_of(&site_files("in/gazette", "Gazette", "txt"));
    for share in ["1.5", "0", "-0.2", "lots"] {
        pare(dir.path())
            .args(["learn", "in", "--min-share", share])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--min-share"));
    }
    pare(dir.path())
        .args(["learn", "in", "--min-share", "1"])
        .assert()
        .success();
}

#[test]
fn learn_says_why_nothing_was_learned() {
    let dir = tree_of(&site_files("in/gazette", "Gazette", "text"));
    let assert = pare(dir.path()).args(["learn", "in", "-q"]).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("nothing learned: no documents were read"),
        "{stderr}"
    );
    assert!(stderr.contains("6 file(s)") && stderr.contains("-g"), "{stderr}");
    // Taken with a glob, as in clean, they are learned from.
    let assert = pare(dir.path())
        .args(["learn", "in", "-g", "*.text"])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&assert.get_output().stdout).contains("line = \"Gazette Menu\""));
    pare(dir.path())
        .args(["learn", "in", "-g", "*.text", "--min-docs", "10"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "no site has the 10 documents --min-docs asks for (the largest has 6)",
        ));
}

#[test]
fn learn_warns_that_text_files_have_no_host() {
    let dir = tree_of(&site_files("in/gazette", "Gazette", "txt"));
    pare(dir.path())
        .args(["learn", "in", "--group-by", "host"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "# _: 6 documents without a site (no URL host); nothing is learned from them",
        ))
        .stdout(predicates::str::contains("[[group]]").not())
        .stderr(predicates::str::contains(
            "--group-by host: 6 text input(s) have no URL",
        ));
}

/// A tree of the Gazette's documents in `gazette` and another site's in `other`, with the
/// profile `pare learn scraped` writes to `sites.toml`.
fn learned_sites(gazette: &str, other: (&str, &str)) -> tempfile::TempDir {
    let mut files = site_files(gazette, "Gazette", "txt");
    files.extend(site_files(other.0, other.1, "txt"));
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["learn", "scraped", "-o", "sites.toml"])
        .assert()
        .success();
    dir
}

#[test]
fn a_profile_applies_however_the_path_to_a_site_is_typed() {
    let dir = learned_sites("scraped/gazette/2024", ("scraped/herald", "Herald"));
    let cleaned = |root: &std::path::Path, path: &str, profile: &str| {
        let assert = (pare(root).args(["clean", path, "--detect", "off", "--profile-file", profile]))
            .assert()
            .success();
        String::from_utf8(assert.get_output().stdout.clone()).unwrap()
    };
    let expected = "The Gazette reports story 1 about the harbour and the council meeting today.\n";
    assert_eq!(
        cleaned(dir.path(), "scraped/gazette/2024/doc1.txt", "sites.toml"),
        expected
    );
    let site = dir.path().join("scraped/gazette");
    assert_eq!(cleaned(&site, "2024/doc1.txt", "../../sites.toml"), expected);
    let year = site.join("2024");
    assert_eq!(cleaned(&year, "doc1.txt", "../../../sites.toml"), expected);
}

#[test]
fn a_profile_whose_groups_match_no_input_is_a_warning_naming_them() {
    let dir = learned_sites("scraped/gazette", ("elsewhere/x", "Gazette"));
    pare(dir.path())
        .args(["clean", "elsewhere", "--profile-file", "sites.toml", "-o", "out"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "the profile's groups (gazette) match none of the 6 input file(s)",
        ));
    let assert = (pare(dir.path()).args(["clean", "scraped", "--profile-file", "sites.toml", "-o", "out2"]))
        .assert()
        .success();
    assert!(!String::from_utf8_lossy(&assert.get_output().stderr).contains("match none"));
}

#[test]
fn sites_learned_from_their_own_folders_and_merged_stay_apart() {
    let mut files = site_files("scraped/gazette", "Gazette", "txt");
    files.extend(site_files("scraped/herald", "Herald", "txt"));
    let dir = tree_of(&files);
    for site in ["gazette", "herald"] {
        pare(dir.path())
            .args([
                "learn",
                &format!("scraped/{site}"),
                "--counts-out",
                &format!("{site}.json"),
            ])
            .assert()
            .success();
    }
    pare(dir.path())
        .args([
            "learn",
            "--merge",
            "gazette.json",
            "--merge",
            "herald.json",
            "-o",
            "merged.toml",
        ])
        .assert()
        .success();
    let merged = read(&dir.path().join("merged.toml"));
    for expected in [
        "name = \"gazette\"",
        "name = \"herald\"",
        "line = \"Gazette Menu\"",
        "line = \"Herald Menu\"",
    ] {
        assert!(merged.contains(expected), "{expected} in {merged}");
    }
    assert!(!merged.contains("name = \"_\""), "{merged}");
    let assert = (pare(dir.path()).args([
        "clean",
        "scraped/herald/doc1.txt",
        "--detect",
        "off",
        "--profile-file",
        "merged.toml",
    ]))
    .assert()
    .success();
    assert_eq!(
        String::from_utf8(assert.get_output().stdout.clone()).unwrap(),
        "The Herald reports story 1 about the harbour and the council meeting today.\n"
    );
}

#[test]
fn learn_shows_progress_when_asked_and_not_in_a_log_by_default() {
    let dir = tree_of(&site_files("in/gazette", "Gazette", "txt"));
    let size: u64 = (1..=6)
        .map(|i| {
            std::fs::metadata(dir.path().join(format!("in/gazette/doc{i}.txt")))
                .unwrap()
                .len()
        })
        .sum();
    let assert = (pare(dir.path()).args(["learn", "in", "-o", "p.toml", "--progress", "always", "-q"]))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.starts_with("pare: progress: 0 B of "), "{stderr}");
    assert!(
        stderr.contains(&format!("{size} B of {size} B (100%), 6 of 6 files")),
        "{stderr}"
    );
    let assert = pare(dir.path())
        .args(["learn", "in", "-o", "q.toml", "-q"])
        .assert()
        .success();
    assert!(assert.get_output().stderr.is_empty());
}
