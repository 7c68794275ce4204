#!/usr/bin/env bash
# What a change to pare does to the outputs: two builds clean the same benchmark folders with
# default settings, from the text files and from the JSONL file (records grouped by their
# URL's host), and each run is scored with `pare eval`. Prints, per folder and layout, both
# figures, how many documents' outputs differ, and how many pages lose more than 0.10 of their
# recall; the ids of the documents that differ are in the run folder it names.
#
#   benches/compare_builds.sh OLD_PARE NEW_PARE BENCHMARK_DIR...
#
# A folder holds input/<id>.txt and input.jsonl (id, url, text), and its truth: gold/<id>.txt
# (strict F1 is the figure) or annotations.json (must-keep and must-drop phrases; F1).
set -euo pipefail
old=$1 new=$2
shift 2
out=$(mktemp -d)
echo "outputs under $out"
printf '%-24s %-11s %9s %9s %8s %9s %s\n' benchmark input old new "Δ" changed "pages losing >0.10 recall"
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
        suffix=""
        [ -d "$bench/$layout" ] || suffix=".jsonl"
        "$old" clean -q "$bench/$layout" -o "$run/old$suffix"
        "$new" clean -q "$bench/$layout" -o "$run/new$suffix"
        "$new" eval "${truth[@]}" "$run/old$suffix" "$run/new$suffix" --json --per-doc >"$run/scores.json"
        python3 - "$name" "$layout" "$run" "$suffix" <<'PY'
import json, os, sys

name, layout, run, suffix = sys.argv[1:]
sets = json.load(open(f"{run}/scores.json"))
figure = "strict_f1" if "strict_f1" in sets[0]["summary"] else "f1"
old, new = (s["summary"][figure] for s in sets)

def texts(path):
    if suffix:
        return {json.loads(line)["id"]: json.loads(line)["text"] for line in open(path)}
    return {f: open(os.path.join(path, f), encoding="utf-8").read() for f in os.listdir(path)}

before, after = texts(f"{run}/old{suffix}"), texts(f"{run}/new{suffix}")
changed = sorted(doc for doc in before if before[doc] != after.get(doc))
open(f"{run}/changed.txt", "w").write("".join(f"{doc}\n" for doc in changed))
recall = lambda s: {d["id"]: d.get("recall", 0.0) for d in s["documents"]}
base, other = recall(sets[0]), recall(sets[1])
losers = sum(1 for doc, r in base.items() if other.get(doc, 0.0) < r - 0.10)
print(f"{name:<24} {layout:<11} {old:9.4f} {new:9.4f} {new - old:+8.4f} {len(changed):9d} {losers}")
PY
    done
done
