//! Built-in site profiles recognise their own pages: by the host of the page's site, or by
//! enough of the lines the site's pages carry. Their rules then apply with the default rules,
//! and only there: the defaults hold no site's own lines.

use predicates::prelude::*;

use crate::support::{pare, read, tree};

/// The body of a page: the same on every page of these tests.
const BODY: &str = "Printer makers add a chess engine\n\nThe engine was found by a facilities manager.\n\n\
                    The vendor said a firmware update would remove it. ®\n";

/// What the Register's profile makes of [`BODY`] and its tail, with the detector off.
const BODY_CLEAN: &str =
    "Printer makers add a chess engine\n\nThe engine was found by a facilities manager.\n\n\
                          The vendor said a firmware update would remove it.\n";

/// A page of the site: the body, then its tag block and boxes.
fn register_page() -> String {
    format!("{BODY}\nMore about\n\nSecurity\n\nPrinters\n\nTIP US OFF\n\nSend us news\n")
}

#[test]
fn a_page_carrying_two_of_a_sites_lines_is_cleaned_with_its_profile() {
    let dir = tree(&[("in/page.txt", register_page().as_bytes())]);
    pare(dir.path())
        .args([
            "clean",
            "in",
            "-o",
            "out",
            "--detect",
            "off",
            "--ledger",
            "ledger.jsonl",
        ])
        .assert()
        .success();
    // The tag block under "More about" is cut with it: a rule of the profile, not a default.
    assert_eq!(read(&dir.path().join("out/page.txt")), BODY_CLEAN);
    let ledger = read(&dir.path().join("ledger.jsonl"));
    assert!(ledger.contains("\"rule\":\"register-more-about\""), "{ledger}");
    assert!(ledger.contains("\"rule\":\"register-end-mark\""), "{ledger}");

    // Naming the profile as well changes nothing, and is no error.
    pare(dir.path())
        .args([
            "clean",
            "in/page.txt",
            "--detect",
            "off",
            "--profile",
            "theregister",
        ])
        .assert()
        .success()
        .stdout(BODY_CLEAN);
}

#[test]
fn one_of_a_sites_lines_is_not_enough_and_the_defaults_hold_none_of_them() {
    // Another site's page that happens to have a "More about" heading and one such line: the
    // Register's cut must not take the paragraph after it, nor its end mark.
    let page = format!("{BODY}\nMore about\n\nThe council will say more about the plan on Monday, the mayor said.\n\nSend us news\n");
    let dir = tree(&[("page.txt", page.as_bytes())]);
    pare(dir.path())
        .args(["clean", "page.txt", "--detect", "off", "--no-default-rules"])
        .assert()
        .success()
        .stdout(page.clone());
    pare(dir.path())
        .args(["clean", "page.txt", "--detect", "off"])
        .assert()
        .success()
        .stdout(page);
}

#[test]
fn a_record_from_a_sites_host_is_cleaned_with_its_profile() {
    let text = format!("{BODY}\n12 Comments\n");
    let record = |url: &str| {
        format!(
            "{{\"url\":\"{url}\",\"text\":{}}}",
            serde_json::to_string(&text).unwrap()
        )
    };
    let input = format!(
        "{}\n{}\n",
        record("https://www.theregister.com/2026/12/07/chess/"),
        record("https://printers.example/chess")
    );
    let dir = tree(&[("in.jsonl", input.as_bytes())]);
    let out = pare(dir.path())
        .args(["clean", "in.jsonl", "--detect", "off"])
        .assert()
        .success();
    let lines: Vec<serde_json::Value> = (String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines())
    .map(|line| serde_json::from_str(line).unwrap())
    .collect();
    // On the site's host, its comment count and end mark go; elsewhere they stay.
    assert_eq!(lines[0]["text"], BODY_CLEAN);
    assert_eq!(lines[1]["text"], text);
}

#[test]
fn pare_profiles_says_how_each_site_is_recognised() {
    let dir = tree(&[]);
    pare(dir.path())
        .arg("profiles")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "applied with the default rules to pages of theregister.com, theregister.co.uk, or pages with 2 of its 3 lines",
        ));
}

#[test]
fn a_user_rule_file_cannot_claim_to_recognise_pages() {
    let rules = "[recognise]\nhosts = [\"example.com\"]\n\n[[rule]]\nname = \"x\"\nline = \"x\"\n";
    let dir = tree(&[
        ("site.toml", rules.as_bytes()),
        ("sites.toml", rules.as_bytes()),
        ("a.txt", b"text\n"),
    ]);
    pare(dir.path())
        .args(["clean", "a.txt", "--rules", "site.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "site.toml: [recognise] is for built-in profiles only",
        ));
    // Nor can a profile: the table is refused, not passed over in silence.
    pare(dir.path())
        .args(["clean", "a.txt", "--profile-file", "sites.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "sites.toml: [recognise] is for built-in profiles only",
        ));
}
