//! The configuration file: found from the working directory upwards, overridden by flags,
//! ignored with `--no-config`, shown by `pare config`, checked line by line, and part of what
//! decides whether an output is up to date.

use predicates::prelude::*;

use crate::support::{pare, read, report, tree, write};

/// A page with a line only a rule file removes (the body detector keeps it: it is a sentence).
const PAGE: &str = "A headline\n\nThe first paragraph of the body, with words enough.\n\n\
                    Our sponsor says hello to every reader today.\n";

/// A rule file that drops the sponsor line.
const SPONSOR_RULES: &str =
    "[[rule]]\nname = \"sponsor\"\nline = \"Our sponsor says hello to every reader today.\"\n";

/// A rule file that drops the headline.
const HEADLINE_RULES: &str = "[[rule]]\nname = \"headline\"\nline = \"A headline\"\n";

#[test]
fn a_config_in_a_parent_folder_sets_options_for_a_run_below_it() {
    let dir = tree(&[
        (
            "project/pare.toml",
            b"# shared by every job\ndetect = \"off\"\nrules = [\"rules/sponsor.toml\"]\n",
        ),
        ("project/rules/sponsor.toml", SPONSOR_RULES.as_bytes()),
        ("project/jobs/daily/page.txt", PAGE.as_bytes()),
    ]);
    let job = dir.path().join("project/jobs/daily");
    pare(&job)
        .args(["clean", "page.txt", "-o", "out.txt", "--report", "r.json"])
        .assert()
        .success();
    // The rule file named relative to the configuration file applied.
    let out = read(&job.join("out.txt"));
    assert!(!out.contains("Our sponsor"), "{out}");
    assert!(out.contains("The first paragraph"), "{out}");
    let settings = &report(&job.join("r.json"))["settings"];
    let config = dir.path().join("project/pare.toml").display().to_string();
    assert_eq!(settings["detect"]["value"], "off");
    assert_eq!(settings["detect"]["source"], config.as_str());
    let rules = dir
        .path()
        .join("project/rules/sponsor.toml")
        .display()
        .to_string();
    assert_eq!(settings["rules"]["value"], serde_json::json!([rules]));
    assert_eq!(settings["min-words"]["source"], "default");
}

#[test]
fn flags_override_the_config_and_no_config_ignores_it() {
    let dir = tree(&[
        ("pare.toml", b"rules = [\"sponsor.toml\"]\ndetect = \"off\"\n"),
        ("sponsor.toml", SPONSOR_RULES.as_bytes()),
        ("headline.toml", HEADLINE_RULES.as_bytes()),
        ("page.txt", PAGE.as_bytes()),
    ]);
    // A list flag replaces the configured list; the other settings still apply.
    pare(dir.path())
        .args([
            "clean",
            "page.txt",
            "-o",
            "flag.txt",
            "--rules",
            "headline.toml",
            "--report",
            "r.json",
        ])
        .assert()
        .success();
    let out = read(&dir.path().join("flag.txt"));
    assert!(!out.contains("A headline"), "{out}");
    assert!(
        out.contains("Our sponsor"),
        "the configured rules were replaced: {out}"
    );
    let settings = &report(&dir.path().join("r.json"))["settings"];
    assert_eq!(settings["rules"]["source"], "command line");
    assert!(settings["detect"]["source"]
        .as_str()
        .unwrap()
        .ends_with("pare.toml"));

    pare(dir.path())
        .args([
            "clean",
            "page.txt",
            "-o",
            "none.txt",
            "--no-config",
            "--detect",
            "off",
        ])
        .assert()
        .success();
    assert_eq!(read(&dir.path().join("none.txt")), PAGE, "no rule file applied");

    // `--config` names a file elsewhere, whatever is found upwards.
    write(
        &dir.path().join("other/cfg.toml"),
        b"rules = [\"../headline.toml\"]\n",
    );
    pare(dir.path())
        .args([
            "clean",
            "page.txt",
            "-o",
            "named.txt",
            "--config",
            "other/cfg.toml",
        ])
        .assert()
        .success();
    let out = read(&dir.path().join("named.txt"));
    assert!(
        !out.contains("A headline") && out.contains("Our sponsor"),
        "{out}"
    );
}

#[test]
fn pare_config_shows_each_setting_and_where_it_comes_from() {
    let dir = tree(&[
        ("pare.toml", b"detect = \"off\"\n\nmin-words = 20\n"),
        ("sub/x.txt", b"x"),
    ]);
    let config = dir.path().join("pare.toml").display().to_string();
    let shown = pare(&dir.path().join("sub")).arg("config").assert().success();
    let shown = String::from_utf8(shown.get_output().stdout.clone()).unwrap();
    let line = |key: &str| {
        (shown.lines())
            .find(|line| line.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} in:\n{shown}"))
            .to_string()
    };
    assert!(line("detect").contains("\"off\"") && line("detect").ends_with(&format!("# {config} line 1")));
    assert!(line("min-words").contains("= 20") && line("min-words").ends_with(&format!("# {config} line 3")));
    assert!(
        line("field").contains("\"text\"") && line("field").ends_with("# default"),
        "{shown}"
    );

    let shown = pare(&dir.path().join("sub"))
        .args(["config", "--no-config"])
        .assert()
        .success();
    let shown = String::from_utf8(shown.get_output().stdout.clone()).unwrap();
    assert!(shown.contains("no configuration file"), "{shown}");
    assert!(!shown.contains(&config), "{shown}");
}

#[test]
fn a_tool_pare_table_in_pyproject_is_a_config_and_a_pyproject_without_one_is_passed_over() {
    let dir = tree(&[
        ("pare.toml", b"rules = [\"headline.toml\"]\n"),
        ("headline.toml", HEADLINE_RULES.as_bytes()),
        ("lib/pyproject.toml", b"[project]\nname = \"lib\"\n"),
        ("lib/page.txt", PAGE.as_bytes()),
        (
            "app/pyproject.toml",
            b"[project]\nname = \"app\"\n\n[tool.pare]\nrules = [\"sponsor.toml\"]\n",
        ),
        ("app/sponsor.toml", SPONSOR_RULES.as_bytes()),
        ("app/page.txt", PAGE.as_bytes()),
    ]);
    pare(&dir.path().join("app"))
        .args(["clean", "page.txt", "-o", "out.txt"])
        .assert()
        .success();
    let out = read(&dir.path().join("app/out.txt"));
    assert!(
        !out.contains("Our sponsor") && out.contains("A headline"),
        "{out}"
    );
    // A pyproject.toml with no [tool.pare] is not pare's: the search goes on upwards.
    pare(&dir.path().join("lib"))
        .args(["clean", "page.txt", "-o", "out.txt"])
        .assert()
        .success();
    let out = read(&dir.path().join("lib/out.txt"));
    assert!(
        !out.contains("A headline") && out.contains("Our sponsor"),
        "{out}"
    );
}

#[test]
fn an_unknown_key_or_a_bad_value_is_an_error_naming_the_file_and_line() {
    let dir = tree(&[
        ("pare.toml", b"detect = \"off\"\n# a comment\nmin_words = 20\n"),
        ("page.txt", PAGE.as_bytes()),
    ]);
    pare(dir.path())
        .args(["clean", "page.txt", "-o", "out.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pare.toml: line 3: unknown setting `min_words`",
        ))
        .stderr(predicate::str::contains("min-words"));
    assert!(!dir.path().join("out.txt").exists(), "nothing is written");

    write(&dir.path().join("pare.toml"), b"\ndetect = \"sometimes\"\n");
    pare(dir.path())
        .args(["clean", "page.txt", "-o", "out.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pare.toml: line 2: detect:"))
        .stderr(predicate::str::contains("sometimes"))
        .stderr(predicate::function(|err: &str| err.lines().count() == 1));

    write(&dir.path().join("pare.toml"), b"min-words = [\"x\", true]\n");
    pare(dir.path())
        .args(["clean", "page.txt", "-o", "out.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pare.toml: line 1:"));
    // `pare config` checks the file the same way.
    pare(dir.path())
        .arg("config")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pare.toml: line 1:"));
}

#[test]
fn a_changed_config_makes_skip_unchanged_clean_again() {
    let dir = tree(&[
        ("pare.toml", b"skip-unchanged = true\n"),
        ("sponsor.toml", SPONSOR_RULES.as_bytes()),
        ("in/page.txt", PAGE.as_bytes()),
    ]);
    let run = |expect: &str| {
        pare(dir.path())
            .args(["clean", "in", "-o", "out", "-v"])
            .assert()
            .success()
            .stderr(predicate::str::contains(expect.to_string()));
    };
    run("in/page.txt: unchanged");
    run("skipped, up to date");
    write(
        &dir.path().join("pare.toml"),
        b"skip-unchanged = true\nrules = [\"sponsor.toml\"]\n",
    );
    run("in/page.txt: cleaned");
    assert!(!read(&dir.path().join("out/page.txt")).contains("Our sponsor"));
}
