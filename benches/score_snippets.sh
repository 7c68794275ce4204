#!/usr/bin/env bash
# Scores `pare clean` on a snippet benchmark folder with `pare eval --snippets`.
#
#   benches/score_snippets.sh [BENCHMARK_DIR]     (default: ../shared/eval/snippets-dev)
#
# The folder holds input/<key>.txt (scraped text), optionally input-inscriptis/<key>.txt (the
# same pages from another converter) and annotations.json (per page, phrases a clean article
# must hold and must not). Prints phrase F1, precision, recall and the pages that lost every
# must-keep phrase for each detector mode and layout, then the worst pages of the default run.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-../shared/eval/snippets-dev}
cargo build --release --quiet
pare=./target/release/pare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for layout in input input-inscriptis; do
    [ -d "$bench/$layout" ] || continue
    for mode in off conservative standard aggressive; do
        "$pare" clean -q --detect "$mode" "$bench/$layout" -o "$out/$layout-$mode"
        printf '%-17s %-13s ' "$layout" "$mode"
        "$pare" eval --snippets "$bench/annotations.json" "$out/$layout-$mode" | sed 's/^[^:]*: //'
    done
done
echo
echo "Worst pages (input, standard):"
"$pare" eval --snippets "$bench/annotations.json" "$out/input-standard" --per-doc | sed -n '2,11p'
