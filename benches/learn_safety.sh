#!/usr/bin/env bash
# What learning does to folders of real pages: each benchmark folder is cleaned three ways,
# with default settings, with a profile `pare learn` wrote for it (`--profile-file`), and with
# `--learn`; from its text files (one folder, so one group when the pages come from many sites)
# and, where it has one, from its JSONL file (records grouped by their URL's host). Each run is
# scored with `pare eval`, and the pages that lose more than 10% of their recall to the profile
# are counted.
#
#   benches/learn_safety.sh BENCHMARK_DIR...
#
# A folder holds input/<id>.txt and input.jsonl (id, url, text), and its truth: gold/<id>.txt
# (word 4-gram scores; strict F1 is the figure) or annotations.json (must-keep and must-drop
# phrases; F1 is the figure).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
pare=./target/release/pare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

printf '%-28s %-6s %9s %9s %9s %8s %8s %s\n' benchmark input plain profile learn "Δprofile" "Δlearn" "pages losing >10% recall (profile, learn)"
for bench in "$@"; do
    name=$(basename "$bench")
    if [ -d "$bench/gold" ]; then
        truth=(--gold "$bench/gold")
    else
        truth=(--snippets "$bench/annotations.json")
    fi
    for layout in input input.jsonl; do
        [ -e "$bench/$layout" ] || continue
        run="$out/$name-$layout"
        mkdir -p "$run"
        if [ -d "$bench/$layout" ]; then
            outputs=(plain profile learn)
        else
            outputs=(plain.jsonl profile.jsonl learn.jsonl)
        fi
        "$pare" learn -q "$bench/$layout" -o "$run/sites.toml" 2>"$run/learn.log" || true
        "$pare" clean -q "$bench/$layout" -o "$run/${outputs[0]}"
        "$pare" clean -q "$bench/$layout" -o "$run/${outputs[1]}" --profile-file "$run/sites.toml"
        "$pare" clean -q "$bench/$layout" -o "$run/${outputs[2]}" --learn 2>/dev/null
        "$pare" eval "${truth[@]}" "${outputs[@]/#/$run/}" --json --per-doc >"$run/scores.json"
        python3 - "$name" "$layout" "$run/scores.json" <<'EOF'
import json, sys

name, layout, path = sys.argv[1:]
sets = json.load(open(path))
figure = "strict_f1" if "strict_f1" in sets[0]["summary"] else "f1"
plain, profile, learn = (s["summary"][figure] for s in sets)

def recall(s):
    return {d["id"]: d.get("recall", 0.0) for d in s["documents"]}

base = recall(sets[0])
def losers(s):
    other = recall(s)
    return sum(1 for doc, r in base.items() if other.get(doc, 0.0) < r - 0.10)

print(f"{name:<28} {layout:<6} {plain:9.4f} {profile:9.4f} {learn:9.4f} {profile - plain:+8.4f} {learn - plain:+8.4f} "
      f"{losers(sets[1])}, {losers(sets[2])}")
EOF
    done
done
