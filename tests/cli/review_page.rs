//! `--report-html`: the review page names every removal of the documents it shows with its
//! rule and reason, makes no request, stays bounded for big runs, and renders in a real
//! browser (headless Chromium) with its filters working.

use std::path::Path;
use std::process::Command;

use predicates::prelude::*;

use crate::support::{cannot_run, pare, read, tree, tree_of, ARTICLE};

/// A page with chrome a rule removes, a heading the detector cuts with what follows, and a
/// line that would be markup if it were not escaped.
const COMMENTED: &str = "Skip to content\nWhy the bridge closed\n\n\
    The council closed the old bridge on Monday after engineers found cracks in two of its piers. \
    Repairs will take most of the summer, and buses will run a detour through the market square.\n\n\
    Residents said the closure came without warning, and shop owners asked for help with lost trade.\n\n\
    3 thoughts on “Why the bridge closed”\n\
    <script>alert('not markup')</script> says: about time\n\
    Another reader says: the detour is slow\n";

/// Cleans `in/` into `out/` with the review page (and `more` flags), and reads the page.
fn review(dir: &Path, more: &[&str]) -> String {
    pare(dir)
        .args(["clean", "in", "-o", "out", "--report-html", "review.html"])
        .args(more)
        .assert()
        .success();
    read(&dir.join("review.html"))
}

#[test]
fn the_page_shows_every_removed_line_with_its_rule_and_reason() {
    let record = |id: &str, text: &str| {
        format!(
            "{{\"id\":\"{id}\",\"text\":{}}}\n",
            serde_json::to_string(text).unwrap()
        )
    };
    let jsonl = format!(
        "{}{}",
        record("r1", ARTICLE),
        record("r2", "Nothing to remove here at all.\n")
    );
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/bridge.txt", COMMENTED.as_bytes()),
        ("in/records.jsonl", jsonl.as_bytes()),
        ("in/clean.txt", b"Already clean.\n"),
    ]);
    let page = review(dir.path(), &["--ledger", "ledger.jsonl", "-q"]);
    // Each changed document, once; the unchanged ones not at all.
    for name in ["in/a.txt", "in/bridge.txt", "in/records.jsonl:1 (id r1)"] {
        assert_eq!(
            page.matches(&format!(">{name}</a>")).count(),
            2,
            "{name} in the list and as a heading"
        );
    }
    assert!(!page.contains("in/clean.txt") && !page.contains("(id r2)"));
    assert_eq!(page.matches("<article class=\"doc\"").count(), 3);
    // Every removal the ledger lists is on the page, struck through, with its rule.
    let ledger = read(&dir.path().join("ledger.jsonl"));
    assert!(ledger.lines().count() >= 6, "{ledger}");
    for line in ledger.lines() {
        let removal: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = escape(removal["text"].as_str().unwrap());
        let rule = removal["rule"].as_str().unwrap();
        let why = match removal["reason"].as_str() {
            Some(reason) => format!("{rule}: {}", escape(reason)),
            None => rule.to_string(),
        };
        let shown = format!("<del>{text}</del><span class=\"why\">{why}</span>");
        assert!(page.contains(&shown), "{shown} not on the page");
    }
    // What was kept is there as it is, and text is never markup.
    assert!(page.contains("<div class=\"line\">Why the bridge closed</div>"));
    assert!(page.contains("&lt;script&gt;alert('not markup')&lt;/script&gt;"));
    assert_eq!(page.matches("<script>").count(), 1, "the page's own script only");
    assert!(
        page.contains("<option value=\"after the body span\">"),
        "the detector's reason class is offered as a filter"
    );
    assert!(page.contains("This page shows every changed document (3)."));
    assert!(
        page.contains("<a href=\"ledger.jsonl\">"),
        "the full ledger is linked"
    );
}

#[test]
fn the_page_makes_no_request() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/b.txt", COMMENTED.as_bytes()),
    ]);
    let page = review(dir.path(), &[]);
    let lower = page.to_lowercase();
    for reference in [
        "http:",
        "https:",
        "=\"//",
        "src=",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "fetch(",
        "xmlhttprequest",
    ] {
        let outside_text = lower.replace("&lt;", "").matches(reference).count();
        assert_eq!(
            outside_text, 0,
            "the page refers to something outside it: {reference}"
        );
    }
    assert!(
        page.contains("<style>") && page.contains("<script>"),
        "style and script are inlined"
    );
}

#[test]
fn a_big_run_shows_a_bounded_sample_and_says_so() {
    let files: Vec<(String, Vec<u8>)> = (0..320)
        .map(|i| {
            let ads = "Advertisement\n".repeat(i % 7);
            let text = format!("Skip to content\n{ads}Story {i} of the day.\n\nThe body of story {i} has a sentence or two.\n");
            (format!("in/{i:03}.txt"), text.into_bytes())
        })
        .collect();
    let dir = tree_of(&files);
    let page = review(dir.path(), &[]);
    let shown = page.matches("<article class=\"doc\"").count();
    assert_eq!(shown, 200, "fifty that lost the most and 150 by hash");
    assert!(
        page.contains(&format!(
            "This page shows {shown} of the 320 changed documents: the 50 that lost the most words"
        )),
        "the sample is stated"
    );
    assert!(page.contains("Give --ledger FILE as well to keep every removal of the run."));
    // The documents that lost the most are those with the most advertisements (6 of them).
    let most = page
        .split("<ol id=\"lost-most\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap();
    assert_eq!(most.matches("<li>").count(), 50);
    let with_six: Vec<String> = (0..320)
        .filter(|i| i % 7 == 6)
        .map(|i| format!("in/{i:03}.txt"))
        .collect();
    assert!(
        with_six.iter().take(45).all(|name| most.contains(name.as_str())),
        "{most}"
    );
}

#[test]
fn the_review_page_is_refused_where_it_would_mix_with_other_output() {
    let dir = tree(&[("a.txt", ARTICLE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "a.txt", "--report-html", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--report-html - would mix into the cleaned text",
        ));
    pare(dir.path())
        .args([
            "clean",
            "a.txt",
            "-o",
            "out.txt",
            "--report-html",
            "-",
            "--report",
            "-",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--report - and --report-html - would mix",
        ));
    pare(dir.path())
        .args(["clean", "a.txt", "-o", "out.txt", "--report-html", "a.txt"])
        .assert()
        .code(2);
    assert_eq!(
        read(&dir.path().join("a.txt")),
        ARTICLE,
        "an input is never the page"
    );
}

/// The page's DOM after Chromium loaded it and ran its script, at `address` (a `file://`
/// address, with a fragment).
fn rendered(dir: &Path, address: &str) -> Option<String> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|out| out.status.success())
        });
    let Some(chromium) = chromium else {
        cannot_run("no Chromium to render the page (.ci/run installs Debian's chromium)");
        return None;
    };
    // Flags that keep a headless Chromium from reaching for the network or a desktop session.
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .arg("--dump-dom")
        .arg(address)
        .output()
        .expect("Chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

#[test]
fn headless_chromium_renders_every_document_and_filters_by_rule() {
    let dir = tree(&[
        ("in/a.txt", ARTICLE.as_bytes()),
        ("in/bridge.txt", COMMENTED.as_bytes()),
    ]);
    review(dir.path(), &["--ledger", "ledger.jsonl"]);
    let removed = read(&dir.path().join("ledger.jsonl")).lines().count();
    let page = url::Url::from_file_path(dir.path().join("review.html")).unwrap();
    let Some(dom) = rendered(dir.path(), page.as_str()) else {
        return;
    };
    // The status line is written by the page's script from what the browser laid out.
    assert!(
        dom.contains(&format!("Showing 2 of 2 documents, {removed} removed lines")),
        "{dom}"
    );
    assert!(dom.contains("<span class=\"why\">detect: after the body span: body score"));
    assert!(dom.contains("<del>Share this article</del>"));

    // A filter in the address: only the document with a share-buttons removal stays in view,
    // and in it only that rule's removal counts.
    let Some(dom) = rendered(dir.path(), &format!("{page}#rule=share-buttons")) else {
        return;
    };
    assert!(dom.contains("Showing 1 of 2 documents, 1 removed line"), "{dom}");
    let bridge = dom
        .split("id=\"doc-")
        .skip(1)
        .find(|doc| doc.contains(">in/bridge.txt<"))
        .unwrap();
    assert!(
        bridge.contains("hidden=\"\""),
        "the other document is hidden: {bridge}"
    );

    // A search: the document holding the words, and the line they are on marked.
    let Some(dom) = rendered(dir.path(), &format!("{page}#q=detour%20is%20slow")) else {
        return;
    };
    assert!(dom.contains("Showing 1 of 2 documents"), "{dom}");
    assert!(dom.contains("line removed match"), "{dom}");
}

/// `text` as the page writes text: `&`, `<`, `>` and `"` escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
