#!/usr/bin/env bash
# Scores `pare clean` on an article-extraction benchmark folder with `pare eval`.
#
#   benches/score_articles.sh [BENCHMARK_DIR]     (default: ../shared/eval/articles-dev)
#
# The folder holds input/<key>.txt (scraped text), optionally input-inscriptis/<key>.txt (the
# same pages from another converter) and gold/<key>.txt (hand-cleaned bodies). Prints strict
# F1, F1, precision and recall for each detector mode and each layout, then the worst pages of
# the default run.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-../shared/eval/articles-dev}
cargo build --release --quiet
pare=./target/release/pare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for layout in input input-inscriptis; do
    [ -d "$bench/$layout" ] || continue
    for mode in off conservative standard aggressive; do
        "$pare" clean -q --detect "$mode" "$bench/$layout" -o "$out/$layout-$mode"
        printf '%-17s %-13s ' "$layout" "$mode"
        "$pare" eval --gold "$bench/gold" "$out/$layout-$mode" | sed 's/^[^:]*: //'
    done
done
echo
echo "Pages that kept less than half of their body (input, standard):"
"$pare" eval --gold "$bench/gold" "$out/input-standard" --per-doc | awk 'NR > 2 && $3 != "-" && $3 < 0.5' | wc -l
echo "Worst pages (input, standard):"
"$pare" eval --gold "$bench/gold" "$out/input-standard" --per-doc | sed -n '2,12p'
