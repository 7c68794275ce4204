//! HTML pages as input: taken from trees, read from their markup, written as text beside no
//! page, refused where their text would replace them.

use std::io::Write;

use predicates::prelude::*;

use crate::support::{files_under, pare, read, tree};

/// A news page: a title, a menu in `<nav>`, the article, a box in `<aside>`, a footer.
const PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Gazette</title>\
    <script>var tracking = 1;</script></head><body><nav><a href=\"/\">Home</a> <a href=\"/sport\">Sport</a></nav>\
    <article><h1>Bridge closes</h1>\
    <p>The council closed the old bridge on Monday after engineers found deep cracks in two of its piers.</p>\
    <p>Repairs will take at least six months, the council said, and a ferry will run in the meantime.</p>\
    </article><aside>Weather: sunny</aside></body></html>";

/// The page's headline and paragraphs: what a reader of [`PAGE`] calls its text (the title
/// names the browser's tab).
const PAGE_TEXT: &str = "Bridge closes\n\n\
    The council closed the old bridge on Monday after engineers found deep cracks in two of its piers.\n\n\
    Repairs will take at least six months, the council said, and a ferry will run in the meantime.\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn pages_in_a_tree_are_read_and_written_as_text_files() {
    let dir = tree(&[
        ("in/site/bridge.html", PAGE.as_bytes()),
        ("in/site/old.htm.gz", &gzip(PAGE.as_bytes())),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "-q"])
        .assert()
        .success();
    assert_eq!(
        files_under(&dir.path().join("out")),
        ["site/bridge.txt", "site/old.txt"]
    );
    assert_eq!(read(&dir.path().join("out/site/bridge.txt")), PAGE_TEXT);
    assert_eq!(read(&dir.path().join("out/site/old.txt")), PAGE_TEXT);
    assert_eq!(
        read(&dir.path().join("in/site/bridge.html")),
        PAGE,
        "the page is untouched"
    );
}

#[test]
fn the_ledger_names_the_region_a_line_stood_in_and_the_title_it_removed() {
    let dir = tree(&[("in/bridge.html", PAGE.as_bytes())]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out", "-q", "--ledger", "ledger.jsonl"])
        .assert()
        .success();
    let ledger = read(&dir.path().join("ledger.jsonl"));
    let entries: Vec<serde_json::Value> = ledger
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let entry = |text: &str| {
        (entries.iter())
            .find(|entry| entry["text"] == text)
            .unwrap_or_else(|| panic!("{text:?} is in the ledger: {ledger}"))
    };
    let navigation = entry("Home Sport");
    assert_eq!(navigation["rule"], "html");
    assert_eq!(navigation["reason"], "inside <nav>, the page's navigation");
    assert_eq!(navigation["line"], 3, "numbered in the page's text");
    let title = entry("Gazette");
    assert_eq!(title["rule"], "html");
    assert_eq!(
        title["reason"],
        "the page's <title>, which the page itself does not show"
    );
    assert_eq!(title["line"], 1);
}

#[test]
fn standard_input_is_read_as_a_page_with_format_html() {
    let dir = tree(&[]);
    pare(dir.path())
        .args(["clean", "--format", "html"])
        .write_stdin(PAGE)
        .assert()
        .success()
        .stdout(PAGE_TEXT);
}

#[test]
fn a_page_and_a_text_file_of_the_same_name_collide() {
    let dir = tree(&[
        ("in/bridge.html", PAGE.as_bytes()),
        ("in/bridge.txt", PAGE_TEXT.as_bytes()),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bridge.txt"));
    assert!(!dir.path().join("out/bridge.txt").exists());
}

#[test]
fn a_page_is_never_replaced_by_its_text() {
    let dir = tree(&[
        ("in/bridge.html", PAGE.as_bytes()),
        ("in/page.dat", PAGE.as_bytes()),
    ]);
    for (name, extra) in [("in/bridge.html", None), ("in/page.dat", Some("--format=html"))] {
        pare(dir.path())
            .args(["clean", "--in-place", name])
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "pare: error: {name}: an HTML page is not cleaned in place"
            )));
        assert_eq!(read(&dir.path().join(name)), PAGE);
    }
}

#[test]
fn a_page_nested_too_deep_is_named_and_the_others_are_cleaned() {
    let deep = format!("{}<p>Deep.</p>", "<div>".repeat(10_000));
    let dir = tree(&[
        ("in/a-deep.html", deep.as_bytes()),
        ("in/b.html", PAGE.as_bytes()),
    ]);
    pare(dir.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pare: error: in/a-deep.html: HTML elements nested more than 5000 deep",
        ));
    assert_eq!(read(&dir.path().join("out/b.txt")), PAGE_TEXT);
    assert!(!dir.path().join("out/a-deep.txt").exists());
}

/// A site's page: a banner and two lines under every story, and the story.
fn gazette_page(i: usize) -> String {
    format!(
        "<html><body><div class=\"banner\">Town Gazette: subscribe for a year of news</div>\
         <p>Story {i}: the council met on day {i} and decided to plant {i} new trees in the park.</p>\
         <div>Printed by the Gazette press since 1901</div><div>Letters to the editor welcome</div>\
         </body></html>"
    )
}

/// Learns a profile in `dir` with `args`, and checks it counted the pages' text.
fn assert_learned_from_text(dir: &std::path::Path, args: &[&str]) {
    let learned = pare(dir).arg("learn").args(args).output().unwrap();
    let profile = String::from_utf8(learned.stdout).unwrap();
    assert!(
        learned.status.success(),
        "{}",
        String::from_utf8_lossy(&learned.stderr)
    );
    assert!(
        profile.contains("Town Gazette: subscribe for a year of news"),
        "{profile}"
    );
    assert!(!profile.contains("<div"), "{profile}");
}

#[test]
fn learning_from_pages_counts_their_text_not_their_markup() {
    let pages: Vec<(String, String)> = (0..12)
        .map(|i| (format!("in/gazette/{i:02}.html"), gazette_page(i)))
        .collect();
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(name, page)| (name.as_str(), page.as_bytes()))
        .collect();
    let dir = tree(&files);
    assert_learned_from_text(dir.path(), &["in"]);
}

#[test]
fn learning_from_records_carrying_pages_counts_their_text() {
    let records: String = (0..12)
        .map(|i| {
            let record =
                serde_json::json!({"url": format!("https://gazette.example/{i}"), "html": gazette_page(i)});
            format!("{record}\n")
        })
        .collect();
    let dir = tree(&[("in/crawl.jsonl", records.as_bytes())]);
    assert_learned_from_text(dir.path(), &["--html-field", "html", "in"]);
}

#[test]
fn jsonl_records_carrying_pages_get_their_text_from_the_html_field() {
    let record = |fields: &str| format!("{{{fields}}}\n");
    let html = serde_json::to_string(PAGE).unwrap();
    let lines = [
        record(&format!(r#""id":"a","html":{html},"meta":{{"crawl":7}}"#)),
        record(&format!(r#""id":"b","text":"stale","html":{html}"#)),
        record(r#""id":"c","text":"no page""#),
        record(&format!(
            r#""id":"d","html":{}"#,
            serde_json::to_string(&"<div>".repeat(6_000)).unwrap()
        )),
    ];
    let dir = tree(&[("crawl.jsonl", lines.concat().as_bytes())]);
    let out = pare(dir.path())
        .args(["clean", "--html-field", "html", "crawl.jsonl"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "bad records pass, and the exit code says so"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("crawl.jsonl:3: no field `html`"), "{stderr}");
    assert!(
        stderr.contains("crawl.jsonl:4: HTML elements nested more than 5000 deep"),
        "{stderr}"
    );
    let records: Vec<serde_json::Value> = (String::from_utf8(out.stdout).unwrap().lines())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let text = |i: usize| records[i]["text"].as_str().unwrap().to_string();
    assert_eq!((text(0), text(1)), (PAGE_TEXT.to_string(), PAGE_TEXT.to_string()));
    assert_eq!(records[0]["html"], PAGE, "the page stays");
    assert_eq!(records[0]["meta"]["crawl"], 7);
    assert_eq!(text(2), "no page", "a bad record is passed as it was");
}
