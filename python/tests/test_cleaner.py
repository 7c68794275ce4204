"""The module against the command line: same text, same removals, same errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import pare
from conftest import ROOT, run_pare

FIXTURES = ROOT / "fixtures"


def fixture_pairs():
    for path in sorted((FIXTURES / "in").rglob("*.txt")):
        yield path, FIXTURES / "expected" / path.relative_to(FIXTURES / "in")


def test_every_text_fixture_cleans_to_its_expected_body():
    cleaner = pare.Cleaner()
    pairs = list(fixture_pairs())
    assert len(pairs) > 5
    for source, expected in pairs:
        text = source.read_bytes().decode("utf-8-sig")
        assert cleaner.clean(text).text == expected.read_text(encoding="utf-8"), source


PAGE = (
    "<html><head><meta charset='windows-1252'><title>Gazette</title></head><body>"
    "<nav><a>Home</a> <a>Sport</a></nav><h1>Caf\u00e9 opens</h1>"
    "<p>The caf\u00e9 on the square opened on Monday after two years of repairs to its old roof.</p>"
    "</body></html>"
)


def test_an_html_page_cleans_as_the_command_line_cleans_it(tmp_path: Path, pare_bin: Path):
    as_bytes = PAGE.encode("windows-1252")
    cleaned = pare.Cleaner().clean_html(as_bytes)
    result = run_pare(pare_bin, "clean", "--format", "html", stdin=as_bytes)
    assert result.returncode == 0, result.stderr.decode()
    assert cleaned.text == result.stdout.decode() == (
        "Caf\u00e9 opens\n\n"
        "The caf\u00e9 on the square opened on Monday after two years of repairs to its old roof.\n"
    )
    assert [(r.line, r.rule, r.text) for r in cleaned.removed] == [(1, "html", "Gazette"), (3, "html", "Home Sport")]
    # A str is already decoded: the page's own label does not apply to it.
    assert pare.Cleaner().clean_html(PAGE).text == cleaned.text
    with pytest.raises(TypeError):
        pare.Cleaner().clean_html(3)
    with pytest.raises(ValueError, match="nested more than"):
        pare.Cleaner().clean_html("<div>" * 10_000)


def test_records_carrying_pages_clean_as_the_command_line_cleans_them(pare_bin: Path):
    import json

    lines = [
        json.dumps({"id": 1, "html": PAGE}) + "\n",
        json.dumps({"id": 2, "html": PAGE, "text": "stale"}) + "\n",
        json.dumps({"id": 3, "text": "no page"}) + "\n",
    ]
    with pytest.warns(UserWarning, match="no field `html`"):
        cleaned = pare.Cleaner().clean_records(lines, html_field="html")
    result = run_pare(pare_bin, "clean", "--format", "jsonl", "--html-field", "html", "-q", stdin="".join(lines).encode())
    assert "".join(cleaned) == result.stdout.decode()
    assert json.loads(cleaned[0])["text"].startswith("Caf\u00e9 opens\n")
    assert cleaned[2] == lines[2]


def test_removals_name_their_rule_line_and_text():
    # A page of the Register, recognised by two of its box headings: its profile's rules apply.
    page = "This article is more than 2 years old\nHeadline\n\nBody. ®\nMore about\nTIP US OFF\nSend us news\n"
    cleaned = pare.clean(page)
    assert cleaned.text == "Headline\n\nBody.\n"
    assert cleaned.changed
    assert [(r.line, r.rule, r.kind, r.text) for r in cleaned.removed] == [
        (1, "age-banner", "line", "This article is more than 2 years old"),
        (4, "register-end-mark", "suffix", " ®"),
        (5, "register-more-about", "line", "More about"),
        (6, "register-more-about", "line", "TIP US OFF"),
        (7, "register-more-about", "line", "Send us news"),
    ]
    first = cleaned.removed[0]
    normalized = page
    assert normalized.encode()[first.start : first.end].decode() == first.text
    assert not pare.clean("Already clean.\n").changed


def test_the_detector_explains_and_can_be_turned_off():
    page = (
        "Home | News | Sport | Weather\n\n"
        + "The council approved the new harbour bridge on Tuesday after a long debate about its cost. " * 3
        + "\n\nPrivacy policy | Terms of use | Contact\n"
    )
    detected = pare.clean(page)
    assert "Home | News" not in detected.text
    assert any(r.rule == "detect" and r.reason for r in detected.removed)
    assert "Home | News" in pare.clean(page, detect="off").text
    # Without reasons: the same text, the same removals, none of them explained.
    quiet = pare.Cleaner(reasons=False).clean(page)
    assert quiet.text == detected.text
    assert [r.line for r in quiet.removed] == [r.line for r in detected.removed]
    assert all(r.reason is None for r in quiet.removed)
    import pickle

    assert all(r.reason is None for r in pickle.loads(pickle.dumps(pare.Cleaner(reasons=False))).clean(page).removed)


def test_profiles_and_inline_rules_apply():
    text = "Body text of the article.\nSponsored by Acme\n"
    rules = '[[rule]]\nname = "sponsor"\nprefix = "Sponsored by "\n'
    cleaned = pare.clean(text, rules=rules, detect="off")
    assert cleaned.text == "Body text of the article.\n"
    assert cleaned.removed[0].rule == "sponsor"
    assert ("theregister", ) == tuple(name for name, _ in pare.builtin_profiles() if name == "theregister")
    # The profile's own lines go with it, and only with it.
    page = "Body text of the article.\nTIP US OFF\n"
    assert pare.Cleaner(profiles=["theregister"], detect="off").clean(page).text == "Body text of the article.\n"
    assert pare.Cleaner(profiles=[], default_rules=False, detect="off").clean(page).text == page


def test_bad_rules_raise_value_error_with_the_command_lines_message(tmp_path: Path, pare_bin: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nname = "x"\nregex = "("\n')
    with pytest.raises(ValueError) as raised:
        pare.Cleaner(rules_files=[str(bad)])
    cli = run_pare(pare_bin, "clean", "--rules", str(bad), stdin=b"text\n")
    assert cli.returncode == 2
    assert cli.stderr.decode().strip() == f"pare: error: {raised.value}"
    with pytest.raises(ValueError, match="no such built-in profile"):
        pare.Cleaner(profiles=["no-such-site"])
    with pytest.raises(ValueError, match="detect must be"):
        pare.Cleaner(detect="sometimes")


def test_clean_batch_keeps_order_and_matches_clean():
    from conftest import article
    import random

    rng = random.Random(3)
    texts = [article(rng) for _ in range(500)]
    cleaner = pare.Cleaner()
    one_by_one = [cleaner.clean(text).text for text in texts]
    assert [c.text for c in cleaner.clean_batch(texts)] == one_by_one
    assert [c.text for c in cleaner.clean_batch(texts, threads=3)] == one_by_one
    assert cleaner.clean_batch([]) == []
    with pytest.raises(ValueError, match="threads"):
        cleaner.clean_batch(texts, threads=0)


def test_clean_batch_lets_other_python_threads_run():
    """While one thread is inside clean_batch, another keeps running Python code."""
    from conftest import article
    import random
    import sys
    import time

    rng = random.Random(5)
    texts = [article(rng) for _ in range(2000)]
    cleaner = pare.Cleaner()
    steps = [0]
    seen = {}
    finished = threading.Event()

    def clean():
        # Nothing between these two reads gives up the GIL but the batch itself.
        seen["before"] = steps[0]
        cleaner.clean_batch(texts, threads=1)
        seen["after"] = steps[0]
        finished.set()

    # No forced switches: the threads trade the GIL only where one gives it up, so this thread
    # can count a step during the batch only if the batch let go of the GIL.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        worker = threading.Thread(target=clean)
        worker.start()
        while not finished.is_set():
            steps[0] += 1
            time.sleep(0)
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert seen["after"] - seen["before"] > 100, seen


def test_clean_records_is_the_command_line_byte_for_byte(corpus: Path, cli_cleaned: bytes):
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    cleaned = pare.Cleaner().clean_records(lines)
    assert "".join(cleaned).encode("utf-8") == cli_cleaned


def test_records_that_are_not_records_pass_unchanged():
    lines = ["not json\n", "\n", '{"text": 5}\n', '{"id": 1}']
    with pytest.warns(UserWarning, match=r"^3 line\(s\) are not records \(passed unchanged\); the first, line 1"):
        assert pare.Cleaner().clean_records(lines) == lines
    # The field named is the one cleaned; a record without it passes unchanged.
    cleaner = pare.Cleaner(detect="off")
    assert cleaner.clean_records(['{"body": "Menu\\nText."}'], field="body") == ['{"body": "Text.\\n"}']
    with pytest.warns(UserWarning, match="line 1: .*body"):
        assert cleaner.clean_records(['{"text": "Menu\\nText."}'], field="body") == ['{"text": "Menu\\nText."}']


def test_a_cleaner_pickles_to_one_with_the_same_settings(tmp_path: Path):
    import pickle

    rules = tmp_path / "site.toml"
    rules.write_text('[[rule]]\nname = "sponsor"\nprefix = "Sponsored by "\n')
    cleaner = pare.Cleaner(profiles=["theregister"], rules_files=[str(rules)], detect="off")
    copy = pickle.loads(pickle.dumps(cleaner))
    assert repr(copy) == repr(cleaner)
    text = "Body text.\nSponsored by Acme\nMore about\n"
    assert copy.clean(text).text == cleaner.clean(text).text == "Body text.\n"


def test_eval_scores_as_the_command_line_does(tmp_path: Path, pare_bin: Path):
    import json

    gold = {"a": "The council met on Tuesday to approve the plan.\n", "b": "Residents waited years.\n"}
    predictions = {"a": "Menu\nThe council met on Tuesday to approve the plan.\n"}
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    for name, text in gold.items():
        (tmp_path / "gold" / f"{name}.txt").write_text(text)
    for name, text in predictions.items():
        (tmp_path / "pred" / f"{name}.txt").write_text(text)
    cli = run_pare(pare_bin, "eval", "--gold", str(tmp_path / "gold"), str(tmp_path / "pred"), "--json")
    assert pare.eval_gold(predictions, gold) == json.loads(cli.stdout)[0]["summary"]
    summary = pare.eval_snippets(
        {"a": "The council met on Tuesday.\nMenu"},
        {"a": {"with": ["council met on Tuesday"], "without": ["Menu"]}, "b": {"with": ["Residents"]}},
    )
    assert (summary["documents"], summary["lost_all"]) == (2, 1)
    assert summary["precision"] == 0.5


def test_removal_counts_agree_with_the_removals():
    cleaned = pare.clean("Share\nMenu\nThe council met on Tuesday to approve the plan for the bridge.\nShare\n", detect="off")
    assert cleaned.removed_count == len(cleaned.removed) == 3
    assert cleaned.removed_by_rule == {"navigation": 1, "share-buttons": 2}


SITE_PROFILE = """
[[group]]
name = "gazette.example"

[[group.rule]]
name = "gazette/1"
line = "Gazette menu"
"""


def test_clean_batch_applies_each_texts_group_rules(tmp_path: Path):
    profile = tmp_path / "sites.toml"
    profile.write_text(SITE_PROFILE)
    cleaner = pare.Cleaner(profile_file=str(profile), detect="off")
    assert cleaner.has_groups and not pare.Cleaner(default_rules=False).has_groups
    # The default rules recognise some sites by host, so a text's site matters to them too.
    assert pare.Cleaner().has_groups
    text = "Gazette menu\nThe council met on Tuesday.\n"
    cleaned = cleaner.clean_batch([text, text, text], groups=["gazette.example", None, "other.example"])
    assert [c.text for c in cleaned] == ["The council met on Tuesday.\n", text, text]
    assert [c.text for c in cleaner.clean_batch([text])] == [text], "no group, no group rules"
    with pytest.raises(ValueError, match="groups has 1 entries for 2 texts"):
        cleaner.clean_batch([text, text], groups=["gazette.example"])


def test_clean_records_groups_by_url_host_and_reports_bad_records(tmp_path: Path):
    import json
    import warnings

    profile = tmp_path / "sites.toml"
    profile.write_text(SITE_PROFILE)
    cleaner = pare.Cleaner(profile_file=str(profile), detect="off")
    text = "Gazette menu\nThe council met on Tuesday.\n"
    lines = [
        json.dumps({"url": "https://www.gazette.example/a", "text": text}) + "\n",
        "not json\n",
        json.dumps({"url": "https://web.archive.org/web/2024/https://gazette.example/b", "text": text}) + "\n",
        json.dumps({"url": "https://other.example/c", "text": text}) + "\n",
        "\n",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out, counts = cleaner.clean_records(lines, with_counts=True)
    assert [json.loads(line)["text"] for line in out if line.startswith("{")] == [
        "The council met on Tuesday.\n",
        "The council met on Tuesday.\n",
        text,
    ]
    assert out[1] == "not json\n" and out[4] == "\n"
    assert counts == {"seen": 4, "cleaned": 2, "unchanged": 1, "bad": 1, "dropped_bad": 0}
    assert len(caught) == 1
    assert str(caught[0].message).startswith("1 line(s) are not records (passed unchanged); the first, line 2: invalid JSON")
    with pytest.warns(UserWarning, match=r"\(dropped\)"):
        dropped = cleaner.clean_records(lines, on_bad_record="drop")
    assert "not json\n" not in dropped and len(dropped) == 4
    with pytest.raises(ValueError, match=r'line 2: invalid JSON.*on_bad_record="fail"'):
        cleaner.clean_records(lines, on_bad_record="fail")
    with pytest.raises(ValueError, match="on_bad_record must be"):
        cleaner.clean_records(lines, on_bad_record="ignore")


def test_site_of_names_the_site_an_address_is_of():
    assert pare.site_of("https://www.Gazette.example/a") == "gazette.example"
    assert pare.site_of("https://web.archive.org/web/2024/https://paper.example/x") == "paper.example"
    assert pare.site_of("https://archive.ph/AbCdE") is None
    assert pare.site_of("") is None


def test_rules_given_as_a_list_say_a_toml_string_is_wanted():
    with pytest.raises(TypeError, match=r"rules= takes the text of a rule file as one TOML string.*not a list"):
        pare.Cleaner(rules=['[[rule]]\nname = "x"\nline = "Menu"\n'])
