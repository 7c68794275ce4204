//! Learning never cuts an article away: a folder of unrelated pages learns nothing, a learned
//! cut that would take an article is passed over (and said so), the figures a profile gives
//! are what applying it removes, and a profile says how its groups are keyed.

use predicates::prelude::*;

use crate::support::{pare, read, report, tree, tree_of, write};

/// Words of running text, a sentence at a time, different for each `seed`.
fn paragraph(seed: usize, sentences: usize) -> String {
    const SUBJECTS: [&str; 6] = [
        "The council",
        "A local charity",
        "The museum",
        "Engineers",
        "Volunteers",
        "The mayor",
    ];
    const DEEDS: [&str; 5] = [
        "approved a plan to rebuild the old bridge",
        "opened a new library on the high street",
        "published a study of river pollution in the valley",
        "rejected the proposal after a long public meeting",
        "announced an appeal for winter coats on Tuesday",
    ];
    (0..sentences)
        .map(|i| {
            let n = seed * 7 + i * 3;
            format!(
                "{} {} this year, story {seed}.",
                SUBJECTS[n % 6],
                DEEDS[(n / 6) % 5]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One page of site `site`: a menu of the site's own, in some pages a generic line or two in it
/// ("Home", "Menu") or in the footer ("Business"), a headline, an article, and below the footer
/// a teaser with a sentence of its own.
fn unrelated_page(site: usize) -> (String, Vec<String>) {
    let body: Vec<String> = (0..4).map(|p| paragraph(site * 10 + p, 4)).collect();
    let mut top = vec![format!("Site {site} Daily"), format!("Section {site}")];
    let mut bottom = vec![format!("© Site {site}")];
    // Each generic line in about a third of the pages, always on the same side of the article:
    // the evidence a cut would need, were these pages one site's.
    if site.is_multiple_of(3) {
        top.push("Home".to_string());
    }
    if site % 3 == 1 {
        top.push("Menu".to_string());
    }
    if site % 3 == 2 {
        bottom.push("Business".to_string());
    }
    bottom.push(format!("Read next: {}", paragraph(site + 100, 1)));
    let mut text = top.join("\n");
    text.push_str(&format!("\n\nHeadline of story {site}\n\n"));
    text.push_str(&body.join("\n\n"));
    text.push_str("\n\n");
    text.push_str(&bottom.join("\n"));
    text.push('\n');
    (text, body)
}

/// 24 pages of 24 different sites in one folder, `in/`, and their articles.
fn unrelated_sites() -> (tempfile::TempDir, Vec<Vec<String>>) {
    let pages: Vec<(String, Vec<String>)> = (0..24).map(unrelated_page).collect();
    let files: Vec<(String, Vec<u8>)> = (pages.iter().enumerate())
        .map(|(i, (text, _))| (format!("in/page{i:02}.txt"), text.clone().into_bytes()))
        .collect();
    let bodies = pages.into_iter().map(|(_, body)| body).collect();
    (tree_of(&files), bodies)
}

/// Every paragraph of every article is in its page's output under `out`.
fn assert_articles_kept(dir: &std::path::Path, out: &str, bodies: &[Vec<String>]) {
    for (i, body) in bodies.iter().enumerate() {
        let output = read(&dir.join(out).join(format!("page{i:02}.txt")));
        for paragraph in body {
            assert!(
                output.contains(paragraph.as_str()),
                "{out}/page{i:02}.txt lost: {paragraph}\n{output}"
            );
        }
    }
}

#[test]
fn a_folder_of_unrelated_sites_learns_nothing_and_says_why() {
    let (dir, bodies) = unrelated_sites();
    let learned = pare(dir.path())
        .args(["learn", "in", "-o", "sites.toml"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&learned.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "pare: warning: group `in` learns nothing: not one site's pages: 0 line(s) stand in more than half of its 24 documents"
        ),
        "{stderr}"
    );
    let profile = read(&dir.path().join("sites.toml"));
    assert!(!profile.contains("[[group"), "{profile}");
    assert!(profile.contains("# in: not one site's pages"), "{profile}");
    for args in [
        &["--profile-file", "sites.toml", "-o", "profiled"][..],
        &["--learn", "-o", "learned"],
    ] {
        pare(dir.path())
            .args(["clean", "in", "-q"])
            .args(args)
            .assert()
            .success();
    }
    assert_articles_kept(dir.path(), "profiled", &bodies);
    assert_articles_kept(dir.path(), "learned", &bodies);
}

/// A learned cut that would take the article wherever it matches (everything above the last
/// "Business", which is in some pages' footers), and one that fits every page (its menu).
const CUT_BEFORE_BUSINESS: &str = "[[group]]\nname = \"in\"\n\n[[group.rule]]\nname = \"in/1\"\n\
                                   action = \"cut_before\"\nline = \"Business\"\n\n[[group.rule]]\n\
                                   name = \"in/2\"\naction = \"cut_before\"\nregex = \"Section [0-9]+\"\n";

#[test]
fn a_learned_cut_that_would_take_the_article_is_passed_over_and_said_so() {
    let (dir, bodies) = unrelated_sites();
    write(&dir.path().join("cut.toml"), CUT_BEFORE_BUSINESS.as_bytes());
    pare(dir.path())
        .args(["clean", "in", "--profile-file", "cut.toml", "-o", "out"])
        .args(["--report", "r.json", "--ledger", "ledger.jsonl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "learned cuts passed over where they would take most of the text",
        ));
    assert_articles_kept(dir.path(), "out", &bodies);
    // Pages with "Business" in the footer keep their article; the report counts them and the
    // ledger names each, with the reason.
    let footers = (0..24).filter(|site| site % 3 == 2).count() as u64;
    assert_eq!(
        report(&dir.path().join("r.json"))["cuts_passed_over"]["in/1"],
        footers
    );
    let passed: Vec<serde_json::Value> = read(&dir.path().join("ledger.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|entry: &serde_json::Value| entry["kind"] == "passed_over")
        .collect();
    assert_eq!(passed.len() as u64, footers);
    assert_eq!(passed[0]["rule"], "in/1");
    assert_eq!(passed[0]["text"], "Business");
    let reason = passed[0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("a learned cut here would take "), "{reason}");
    // The learned cut that fits is made.
    let page = read(&dir.path().join("out/page02.txt"));
    assert!(page.starts_with("Headline of story 2\n"), "{page}");
    // The same rule written by hand (not learned) is not held back: it cuts what it says.
    write(
        &dir.path().join("rules.toml"),
        CUT_BEFORE_BUSINESS
            .replace("[[group]]\nname = \"in\"\n\n", "")
            .replace("[[group.rule]]", "[[rule]]")
            .as_bytes(),
    );
    pare(dir.path())
        .args([
            "clean",
            "in/page02.txt",
            "--rules",
            "rules.toml",
            "-o",
            "hand.txt",
        ])
        .assert()
        .success();
    assert!(!read(&dir.path().join("hand.txt")).contains(&bodies[2][0]));
}

#[test]
fn a_profiles_figures_are_what_applying_it_removes() {
    let docs = crate::synth::generate(120, 11);
    let files: Vec<(String, Vec<u8>)> = (docs.iter())
        .map(|doc| (format!("in/{}", doc.path), doc.raw.clone().into_bytes()))
        .collect();
    let dir = tree_of(&files);
    pare(dir.path())
        .args(["learn", "in", "-o", "sites.toml"])
        .assert()
        .success();
    let profile = read(&dir.path().join("sites.toml"));
    pare(dir.path())
        .args(["clean", "in", "-q", "--no-default-rules", "--detect", "off"])
        .args([
            "--profile-file",
            "sites.toml",
            "--ledger",
            "ledger.jsonl",
            "-o",
            "out",
        ])
        .assert()
        .success();
    let ledger: Vec<serde_json::Value> = read(&dir.path().join("ledger.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let words = |text: &str| text.split_whitespace().count() as u64;
    let mut groups = 0;
    for header in profile.lines().filter(|line| line.contains("applied to the ")) {
        // "# host: applied to the N documents learned from, these rules remove P% of their
        // words (R of W) and touch T of them."
        let group = header.trim_start_matches("# ").split(':').next().unwrap();
        let figures = header.split(" words (").nth(1).unwrap();
        let removed: u64 = figures.split(" of ").next().unwrap().parse().unwrap();
        let in_group = |entry: &&serde_json::Value| {
            entry["path"]
                .as_str()
                .unwrap()
                .starts_with(&format!("in/{group}/"))
        };
        let ledger_words: u64 = ledger
            .iter()
            .filter(in_group)
            .map(|entry| words(entry["text"].as_str().unwrap()))
            .sum();
        assert_eq!(removed, ledger_words, "{group}");
        // And each rule's own figure.
        for rule in profile
            .split("[[group.rule]]")
            .filter(|rule| rule.contains(&format!("name = \"{group}/")))
        {
            let name = rule.split("name = \"").nth(1).unwrap().split('"').next().unwrap();
            let said: u64 = rule
                .split("; removes ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let done: u64 = (ledger.iter())
                .filter(|entry| entry["rule"] == name)
                .map(|entry| words(entry["text"].as_str().unwrap()))
                .sum();
            assert_eq!(said, done, "{name}");
        }
        groups += 1;
    }
    assert!(groups >= 5, "{profile}");
}

#[test]
fn a_profile_says_how_its_groups_are_keyed_and_warns_when_inputs_are_keyed_otherwise() {
    let records: String = (0..8)
        .map(|i| {
            let text = format!(
                "Gazette menu\nGazette sections\n{}\nGazette footer\n",
                paragraph(i, 3)
            );
            // Through an archive, the page is still the gazette's.
            let url = if i % 2 == 0 {
                format!("https://gazette.example/{i}")
            } else {
                format!("https://web.archive.org/web/2024/https://gazette.example/{i}")
            };
            serde_json::json!({"url": url, "text": text}).to_string() + "\n"
        })
        .collect();
    let texts: Vec<(String, Vec<u8>)> = (0..3)
        .map(|i| {
            (
                format!("tree/gazette.example/{i}.txt"),
                format!("Gazette menu\n{}\n", paragraph(i, 3)).into_bytes(),
            )
        })
        .collect();
    let dir = tree_of(&texts);
    write(&dir.path().join("records.jsonl"), records.as_bytes());
    pare(dir.path())
        .args(["learn", "records.jsonl", "-o", "sites.toml"])
        .assert()
        .success();
    let profile = read(&dir.path().join("sites.toml"));
    assert!(profile.contains("keyed_by = \"host\"\n"), "{profile}");
    assert!(
        profile.contains("name = \"gazette.example\"\ndocuments = 8\n"),
        "{profile}"
    );
    pare(dir.path())
        .args(["clean", "tree", "--profile-file", "sites.toml", "-o", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pare: warning: the profile's groups are keyed by the host of JSONL records' URLs, but these inputs are \
             text files, grouped by folder",
        ));
    pare(dir.path())
        .args([
            "clean",
            "records.jsonl",
            "--profile-file",
            "sites.toml",
            "-o",
            "out.jsonl",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("keyed").not());
}

#[test]
fn records_without_a_site_are_not_learned_from() {
    let records: String = (0..8)
        .map(|i| {
            let text = format!("Home\nMenu\nBusiness\n{}\n", paragraph(i, 3));
            serde_json::json!({"url": "", "text": text}).to_string() + "\n"
        })
        .collect();
    let dir = tree(&[("records.jsonl", records.as_bytes())]);
    pare(dir.path())
        .args(["learn", "records.jsonl"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "# _: 8 documents without a site (no URL host); nothing is learned from them",
        ))
        .stdout(predicate::str::contains("[[group]]").not())
        .stderr(predicate::str::contains(
            "group `_` learns nothing: its documents have no site",
        ));
}
