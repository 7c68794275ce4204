"""The README's framework examples (python/examples/), run for real on a made-up corpus."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pare
from conftest import EXAMPLES, ROOT, cannot_run, java_major_version, records


def read_jsonl(paths) -> list[dict]:
    return [json.loads(line) for path in paths for line in Path(path).read_text(encoding="utf-8").splitlines()]


def test_import_pare_imports_no_framework():
    code = "import sys, pare, pare.hf; print(sorted(m for m in ('datatrove', 'datasets', 'dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_datasets_map_cleans_the_text_column(tmp_path: Path):
    import datasets_map

    raw = tmp_path / "raw.jsonl"
    raw.write_text("".join(records(300)), encoding="utf-8")
    datasets_map.main(str(raw), str(tmp_path / "clean.jsonl"))
    rows = read_jsonl([tmp_path / "clean.jsonl"])
    originals = [json.loads(line) for line in records(300)]
    expected = pare.Cleaner().clean_batch([row["text"] for row in originals])
    assert [row["id"] for row in rows] == [row["id"] for row in originals]
    assert [row["text"] for row in rows] == [result.text for result in expected]
    assert [row["pare_removed"] for row in rows] == [len(result.removed) for result in expected]
    assert sum(row["pare_removed"] for row in rows) > 300


def test_datatrove_step_applies_the_rules_of_each_documents_site(tmp_path: Path):
    from datatrove.data import Document

    from pare.datatrove import PareCleaner

    profile = tmp_path / "sites.toml"
    profile.write_text('[[group]]\nname = "gazette.example"\n[[group.rule]]\nname = "g/1"\nline = "Gazette menu"\n')
    text = "Gazette menu\nThe council met on Tuesday.\n"
    documents = [
        Document(text=text, id="a", metadata={"url": "https://gazette.example/a"}),
        Document(text=text, id="b", metadata={"url": "https://other.example/b"}),
        Document(text=text, id="c", metadata={}),
    ]
    step = PareCleaner(profile_file=str(profile), detect="off")
    cleaned = {document.id: document.text for document in step.run(iter(documents))}
    assert cleaned == {"a": "The council met on Tuesday.\n", "b": text, "c": text}


def test_datatrove_step_reads_html_documents():
    from datatrove.data import Document

    from pare.datatrove import PareCleaner

    page = (
        "<html><head><title>Gazette</title></head><body><nav><a>Home</a></nav>"
        "<p>The council closed the old bridge on Monday after engineers found deep cracks.</p></body></html>"
    )
    documents = [
        Document(text=page, id="page", metadata={}),
        Document(text="<div>" * 6000, id="deep", metadata={}),
    ]
    step = PareCleaner(html=True)
    cleaned = {document.id: document.text for document in step.run(iter(documents))}
    assert cleaned == {
        "page": "The council closed the old bridge on Monday after engineers found deep cracks.\n"
    }
    assert step.stats["unreadable_pages"].total == 1


def test_datatrove_step_cleans_drops_empty_and_records_removals(tmp_path: Path):
    import datatrove_pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    lines = records(600)
    (raw / "a.jsonl").write_text("".join(lines[:300]), encoding="utf-8")
    (raw / "b.jsonl").write_text("".join(lines[300:]), encoding="utf-8")
    datatrove_pipeline.main(str(raw), str(tmp_path / "clean"), str(tmp_path / "logs"))
    documents = {doc["id"]: doc for doc in read_jsonl(sorted((tmp_path / "clean").glob("*.jsonl")))}
    cleaner = pare.Cleaner(profiles=["theregister"])
    expected = {}
    for line in lines:
        record = json.loads(line)
        cleaned = cleaner.clean(record["text"])
        if cleaned.text:
            expected[record["id"]] = cleaned
    assert len(expected) < 600, "some documents are left empty and dropped"
    assert sorted(documents) == sorted(expected)
    for doc_id, doc in documents.items():
        assert doc["text"] == expected[doc_id].text
        assert doc["metadata"]["pare_lines_removed"] == len(expected[doc_id].removed)


def test_dask_cluster_output_is_the_command_lines_byte_for_byte(tmp_path: Path, corpus: Path, cli_cleaned: bytes):
    import dask_bag

    out = tmp_path / "clean.jsonl"
    dask_bag.main(str(corpus), str(out))
    assert out.read_bytes() == cli_cleaned


def test_spark_pipe_recipe_is_the_command_lines_byte_for_byte(
    tmp_path: Path, corpus: Path, cli_cleaned: bytes, pare_bin: Path, monkeypatch
):
    java = java_major_version()
    if java is None or java < 17:
        cannot_run(f"Spark 4 needs Java 17 or newer on PATH or in JAVA_HOME; found {java or 'none'}")
    import spark_pipe

    monkeypatch.setenv("PATH", f"{pare_bin.parent}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "clean.jsonl"
    spark_pipe.main(str(corpus), str(out))
    assert out.read_bytes() == cli_cleaned


def test_a_warc_file_is_cleaned_through_the_readme_s_recipe(tmp_path: Path, pare_bin: Path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (
        "<html><head><title>Gazette</title></head><body><nav><a>Home</a></nav>"
        "<p>The council closed the old bridge on Monday after engineers found deep cracks.</p></body></html>"
    )
    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type in [("https://gazette.example/a", "text/html"), ("https://gazette.example/x.png", "image/png")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(page.encode()), http_headers=headers)
            writer.write_record(record)
    lines = subprocess.run(
        [sys.executable, str(EXAMPLES / "warc_to_jsonl.py"), str(warc)], capture_output=True, check=True
    ).stdout
    cleaned = subprocess.run(
        [str(pare_bin), "clean", "--format", "jsonl", "--html-field", "html", "-q"],
        input=lines,
        capture_output=True,
        check=True,
    ).stdout
    records = [json.loads(line) for line in cleaned.splitlines()]
    assert [record["url"] for record in records] == ["https://gazette.example/a"], "the image is left out"
    assert records[0]["text"] == (
        "The council closed the old bridge on Monday after engineers found deep cracks.\n"
    )
    assert records[0]["html"] == page


def test_every_python_block_of_the_readme_is_a_tested_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 3
    examples = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLES.glob("*.py")}
    for block in blocks:
        # A block may be the body of a function there, shown dedented.
        forms = (block, textwrap.indent(block, "    "))
        assert any(form in source for form in forms for source in examples.values()), block[:80]
