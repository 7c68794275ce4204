"""The script people write instead of pare, as a baseline for `benches/throughput.sh`: a
multiprocessing pool that drops every line one of pare's default regex rules matches whole.

    python3 benches/python_rules.py tree IN_DIR OUT_DIR [PROCESSES]
    python3 benches/python_rules.py jsonl IN.jsonl OUT.jsonl [PROCESSES]

Trees are mirrored file by file (each output written in place, no temporary file); JSONL
records are cleaned in chunks and written in order. Standard library only (Python 3.11+).
"""

import json
import multiprocessing
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rule_patterns() -> list[re.Pattern]:
    """The default profile's regex rules."""
    profile = tomllib.loads((ROOT / "crates/pare-text/src/profiles/default.toml").read_text(encoding="utf-8"))
    return [
        re.compile(rule["regex"], re.IGNORECASE if rule.get("ignore_case") else 0)
        for rule in profile["rule"]
        if "regex" in rule
    ]


PATTERNS = rule_patterns()


def clean(text: str) -> str:
    kept = [line for line in text.split("\n") if not any(p.fullmatch(line.strip()) for p in PATTERNS)]
    return "\n".join(kept)


def clean_file(paths: tuple[str, str]) -> None:
    source, target = paths
    with open(source, encoding="utf-8", errors="replace") as file:
        text = file.read()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as file:
        file.write(clean(text))


def clean_record(line: str) -> str:
    record = json.loads(line)
    record["text"] = clean(record["text"])
    return json.dumps(record, ensure_ascii=False) + "\n"


def main() -> None:
    mode, source, target = sys.argv[1:4]
    processes = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
    with multiprocessing.Pool(processes) as pool:
        if mode == "tree":
            jobs = [
                (os.path.join(folder, name), os.path.join(target, os.path.relpath(folder, source), name))
                for folder, _, names in os.walk(source)
                for name in sorted(names)
                if name.endswith(".txt")
            ]
            for _ in pool.imap_unordered(clean_file, jobs, chunksize=64):
                pass
        else:
            with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
                out.writelines(pool.imap(clean_record, lines, chunksize=256))


if __name__ == "__main__":
    main()
