#!/usr/bin/env bash
# Scores `pare clean` on an article-extraction benchmark folder with `pare eval`.
#
#   benches/score_articles.sh BENCHMARK_DIR
#
# The folder holds input/<key>.txt (scraped text), optionally input-inscriptis/<key>.txt (the
# same pages from another converter) and gold/<key>.txt (hand-cleaned bodies). Prints strict
# F1, F1, precision and recall for each detector mode and each layout, then the worst pages of
# the default run.
set -euo pipefail
bench=${1:?usage: benches/score_articles.sh BENCHMARK_DIR}
source "$(dirname "$0")/score_modes.sh"

score_modes "$bench" --gold "$bench/gold"
echo
echo "Pages that kept less than half of their body (input, standard):"
"$pare" eval --gold "$bench/gold" "$out/input-standard" --per-doc | awk 'NR > 2 && $3 != "-" && $3 < 0.5' | wc -l
echo "Worst pages (input, standard):"
"$pare" eval --gold "$bench/gold" "$out/input-standard" --per-doc | sed -n '2,12p'
