"""Shared fixtures: the pare binary the bindings are compared with, and a made-up corpus."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "python" / "examples"
sys.path.insert(0, str(EXAMPLES))

CHROME_TOP = [
    "This article is more than 3 years old",
    "Skip to main content",
    "Share this article",
    "Menu",
    "Sign in",
]
CHROME_BOTTOM = [
    "More about",
    "TIP US OFF",
    "Send us news",
    "Read more",
    "Accept all cookies",
    "Follow us on Twitter",
]
WORDS = (
    "council harbour bridge residents plan approved budget election weather river school "
    "hospital railway museum festival workers union market energy climate report minister"
).split()


def cannot_run(why: str) -> None:
    """Ends a test whose scenario this machine cannot set up. Under CI (``CI=true``), where
    ``.ci/run`` installs everything the scenarios need, that is a failure; elsewhere a skip
    with its reason (``pytest -rs`` lists them)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run this test's scenario here: {why}")
    pytest.skip(why)


def java_major_version() -> int | None:
    """The major version of the ``java`` that PySpark would start, or None without one."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else "java"
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    except OSError:
        return None
    # `openjdk version "17.0.15" 2025-04-15`, or "1.8.0_392" for Java 8.
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "!", "?"])


def article(rng: random.Random) -> str:
    """A page: some chrome, a headline, paragraphs of running text, more chrome."""
    top = rng.sample(CHROME_TOP, rng.randint(0, 3))
    body = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 6))]
    bottom = rng.sample(CHROME_BOTTOM, rng.randint(0, 4))
    headline = " ".join(rng.choice(WORDS) for _ in range(6)).title()
    spaces = rng.choice(["", "  ", "\u00a0"])
    lines = top + [headline, ""] + [paragraph + spaces for paragraph in body] + [""] + bottom
    return "\n".join(lines) + rng.choice(["\n", "", "\n\n"])


def records(count: int, seed: int = 7) -> list[str]:
    """JSONL lines, each with its newline: ids, URLs, other fields, Unicode, empty texts."""
    rng = random.Random(seed)
    out = []
    for index in range(count):
        text = article(rng) if index % 50 else ""
        record = {"id": f"doc-{index}", "url": f"https://site{index % 3}.example/{index}", "text": text}
        if index % 7 == 0:
            record["meta"] = {"lang": "en", "score": index / 10}
        out.append(json.dumps(record, ensure_ascii=index % 2 == 0) + "\n")
    return out


@pytest.fixture(scope="session")
def pare_bin() -> Path:
    """The pare binary: $PARE_BIN, or the debug build `cargo test` leaves in target/."""
    path = Path(os.environ.get("PARE_BIN", ROOT / "target" / "debug" / "pare"))
    assert path.is_file(), f"{path} not found: build it with `cargo build --locked` or set PARE_BIN"
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """3,000 JSONL records."""
    path = tmp_path_factory.mktemp("corpus") / "raw.jsonl"
    path.write_text("".join(records(3000)), encoding="utf-8")
    return path


def run_pare(pare_bin: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(pare_bin), *args], input=stdin, capture_output=True, check=False)


@pytest.fixture(scope="session")
def cli_cleaned(pare_bin: Path, corpus: Path) -> bytes:
    """The corpus as `pare clean --format jsonl` cleans it."""
    result = run_pare(pare_bin, "clean", "--format", "jsonl", "-q", str(corpus))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout != corpus.read_bytes(), "the corpus must give pare something to clean"
    return result.stdout
