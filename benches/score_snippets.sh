#!/usr/bin/env bash
# Scores `pare clean` on a snippet benchmark folder with `pare eval --snippets`.
#
#   benches/score_snippets.sh BENCHMARK_DIR
#
# The folder holds input/<key>.txt (scraped text), optionally input-inscriptis/<key>.txt (the
# same pages from another converter) and annotations.json (per page, phrases a clean article
# must hold and must not). Prints phrase F1, precision, recall and the pages that lost every
# must-keep phrase for each detector mode and layout, then the worst pages of the default run.
set -euo pipefail
bench=${1:?usage: benches/score_snippets.sh BENCHMARK_DIR}
source "$(dirname "$0")/score_modes.sh"

score_modes "$bench" --snippets "$bench/annotations.json"
echo
echo "Worst pages (input, standard):"
"$pare" eval --snippets "$bench/annotations.json" "$out/input-standard" --per-doc | sed -n '2,11p'
