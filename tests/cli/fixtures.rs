//! The shipped golden pairs: `fixtures/in/X` cleans to `fixtures/expected/X` (an HTML page
//! `X.html` to `X.txt`), and the expected bodies are already clean.

use std::path::{Path, PathBuf};

use crate::support::{files_under, pare, read};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn every_fixture_cleans_to_its_expected_body() {
    let root = fixture_root();
    let out = tempfile::tempdir().unwrap();
    pare(&root)
        .args(["clean", "in", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    // An HTML page's text is written as `.txt`.
    let names: Vec<String> = (files_under(&root.join("in")).into_iter())
        .map(|name| {
            name.strip_suffix(".html")
                .map_or(name.clone(), |stem| format!("{stem}.txt"))
        })
        .collect();
    assert!(names.len() >= 5, "at least five site styles");
    assert_eq!(files_under(out.path()), names);
    for name in names {
        let expected = read(&root.join("expected").join(&name));
        assert_eq!(read(&out.path().join(&name)), expected, "fixture {name}");
    }
}

#[test]
fn expected_bodies_are_left_unchanged() {
    pare(&fixture_root())
        .args(["clean", "--check", "expected"])
        .assert()
        .code(0);
}

/// Cleans one page of `fixtures/in/pages` and compares it with its expected body.
fn assert_page_cleans_to_expected(name: &str) {
    let root = fixture_root();
    let page = root.join("in/pages").join(name);
    let assert = pare(&root).arg("clean").arg(&page).assert().success();
    assert_eq!(
        String::from_utf8(assert.get_output().stdout.clone()).unwrap(),
        read(&root.join("expected/pages").join(name)),
        "fixture {name}"
    );
}

#[test]
fn a_lead_above_a_share_bar_stays_with_its_article() {
    assert_page_cleans_to_expected("lead-above-span.txt");
}

#[test]
fn a_list_inside_the_article_stays() {
    assert_page_cleans_to_expected("in-body-list.txt");
}

#[test]
fn a_recipe_keeps_its_lead_and_ingredient_list() {
    assert_page_cleans_to_expected("recipe-ingredients.txt");
}

#[test]
fn a_comment_thread_longer_than_the_article_goes() {
    assert_page_cleans_to_expected("comment-thread.txt");
}

#[test]
fn an_author_box_and_newsletter_text_after_a_short_article_go() {
    assert_page_cleans_to_expected("author-box.txt");
}

#[test]
fn teasers_under_a_breaking_news_heading_above_the_article_go() {
    assert_page_cleans_to_expected("breaking-news.txt");
}

#[test]
fn a_read_also_link_inside_the_article_goes() {
    assert_page_cleans_to_expected("read-also.txt");
}

#[test]
fn articles_in_cyrillic_greek_devanagari_hangul_and_thai_lose_their_menus_shares_and_footers() {
    // With the Latin, Chinese and Persian pages above: seven scripts.
    for name in [
        "russian-tram.txt",
        "greek-harbour.txt",
        "hindi-school.txt",
        "korean-library.txt",
        "thai-market.txt",
    ] {
        assert_page_cleans_to_expected(name);
    }
}

#[test]
fn an_html_page_keeps_its_article_and_loses_menus_cookies_boxes_comments_and_footer() {
    let root = fixture_root();
    let page = root.join("in/pages/harbour-ferry.html");
    let assert = pare(&root).arg("clean").arg(&page).assert().success();
    assert_eq!(
        String::from_utf8(assert.get_output().stdout.clone()).unwrap(),
        read(&root.join("expected/pages/harbour-ferry.txt")),
    );
}
