"""Times the Python module against the command line, and a datatrove step against pure Python.

    python benches/python_bindings.py [DOCS] [ROUNDS]      (defaults: 10000 documents, 3 rounds)

Needs the module installed in the running Python (see the README's Python section), the
packages of python/requirements-test.txt, and a release build of `pare` and of the corpus
generator (`cargo build --release --bin pare --example gen_corpus`). The corpus is the one
benches/throughput.sh uses (target/bench-corpus/DOCS). In each round every contestant runs
once, in the same order; the medians and ratios are printed.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pare

ROOT = Path(__file__).resolve().parents[1]
PARE = ROOT / "target" / "release" / "pare"


def corpus(docs: int) -> Path:
    folder = ROOT / "target" / "bench-corpus" / str(docs)
    if not (folder / "corpus.jsonl").is_file():
        subprocess.run([str(ROOT / "target/release/examples/gen_corpus"), str(folder), str(docs)], check=True,
                       stdout=subprocess.DEVNULL)
    return folder / "corpus.jsonl"


def default_rule_patterns() -> list[re.Pattern]:
    """The default profile's regex rules, for a pure-Python line filter."""
    profile = tomllib.loads((ROOT / "crates/pare-text/src/profiles/default.toml").read_text(encoding="utf-8"))
    patterns = []
    for rule in profile["rule"]:
        if "regex" in rule:
            flags = re.IGNORECASE if rule.get("ignore_case") else 0
            patterns.append(re.compile(rule["regex"], flags))
    return patterns


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def datatrove_run(raw: Path, out: Path, logs: Path, step) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(raw)), step, JsonlWriter(str(out), compression=None)],
        tasks=2,
        workers=2,
        logging_dir=str(logs),
        skip_completed=False,
    ).run()


def regex_step(patterns):
    """A pure-Python datatrove step: drop every line a default rule matches whole."""
    from datatrove.pipeline.base import PipelineStep

    class RegexLineFilter(PipelineStep):
        name = "regex lines"

        def run(self, data, rank=0, world_size=1):
            for document in data:
                lines = document.text.split("\n")
                kept = [line for line in lines if not any(p.fullmatch(line.strip()) for p in patterns)]
                document.text = "\n".join(kept)
                yield document

    return RegexLineFilter()


def main(docs: int = 10000, rounds: int = 3) -> None:
    from pare.datatrove import PareCleaner

    path = corpus(docs)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    texts = [json.loads(line)["text"] for line in lines]
    megabytes = path.stat().st_size / 2**20
    cleaner = pare.Cleaner()
    patterns = default_rule_patterns()
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(dir=ROOT / "target") as scratch:
        scratch = Path(scratch)
        raw = scratch / "raw"
        raw.mkdir()
        half = len(lines) // 2  # one file per datatrove task
        (raw / "a.jsonl").write_text("".join(lines[:half]), encoding="utf-8")
        (raw / "b.jsonl").write_text("".join(lines[half:]), encoding="utf-8")
        for round_ in range(rounds):
            contestants = {
                "pare clean --format jsonl -j 2": lambda: subprocess.run(
                    [str(PARE), "clean", "--format", "jsonl", "-q", "-j", "2", str(path), "-o",
                     str(scratch / f"cli-{round_}.jsonl")], check=True),
                "Cleaner.clean_batch(threads=2)": lambda: cleaner.clean_batch(texts, threads=2),
                "Cleaner.clean_records(threads=2)": lambda: cleaner.clean_records(lines, threads=2),
                "datatrove + PareCleaner(), 2 tasks": lambda: datatrove_run(
                    raw, scratch / f"dt-pare-{round_}", scratch / f"logs-pare-{round_}", PareCleaner()),
                "datatrove + PareCleaner(threads=None), 2 tasks": lambda: datatrove_run(
                    raw, scratch / f"dt-pareall-{round_}", scratch / f"logs-pareall-{round_}",
                    PareCleaner(threads=None)),
                "datatrove + PareCleaner(detect='off'), 2 tasks": lambda: datatrove_run(
                    raw, scratch / f"dt-rules-{round_}", scratch / f"logs-rules-{round_}",
                    PareCleaner(detect="off")),
                "datatrove + pure-Python regex lines, 2 tasks": lambda: datatrove_run(
                    raw, scratch / f"dt-regex-{round_}", scratch / f"logs-regex-{round_}", regex_step(patterns)),
            }
            for name, work in contestants.items():
                times.setdefault(name, []).append(timed(work))
    base = statistics.median(times["pare clean --format jsonl -j 2"])
    print(f"{docs} documents, {megabytes:.1f} MiB of JSONL, {rounds} rounds, medians:")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        rounds_text = " ".join(f"{s:.2f}" for s in seconds)
        print(f"  {name:46} {median:6.2f} s  {median / base:5.2f}x the CLI   ({rounds_text})")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
