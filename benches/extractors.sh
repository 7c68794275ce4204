#!/usr/bin/env bash
# pare beside the HTML extractors on crates.io (dom_smoothie, a readability.js port;
# rs-trafilatura and trafilatura, ports of trafilatura), on the same pages, in one run: pages and
# megabytes per second with two workers each, and quality scored by `pare eval`. pare's time is
# its whole process (reading, decompressing and writing included); the extractors' is their
# extraction alone, so the comparison favours them.
#
#   benches/extractors.sh PARE_BINARY BENCHMARK_DIR...
#
# A BENCHMARK_DIR holds html/<id>.html.gz and its truth: gold/<id>.txt (strict F1) or
# annotations.json (must-keep and must-drop phrases; F1). The extractors are built from
# benches/extractors/ (a workspace of its own) on first use.
set -euo pipefail
pare=$(realpath "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here/extractors" && cargo build --release --quiet)
baselines="$here/extractors/target/release/pare-extractor-baselines"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-18s %-15s %6s %9s %8s %7s\n' benchmark extractor pages "pages/s" "MB/s" F1
for bench in "$@"; do
    name=$(basename "$bench")
    if [ -d "$bench/gold" ]; then truth=(--gold "$bench/gold"); else truth=(--snippets "$bench/annotations.json"); fi
    bytes=$(for page in "$bench"/html/*.html.gz; do gzip -dc "$page" | wc -c; done | awk '{ s += $1 } END { print s }')
    pages=$(ls "$bench"/html/*.html.gz | wc -l)
    started=$(date +%s.%N)
    "$pare" clean -q -j 2 "$bench/html" -o "$out/$name-pare"
    seconds=$(echo "$(date +%s.%N) - $started" | bc)
    rows=("pare $pages $bytes $seconds $out/$name-pare")
    for extractor in dom_smoothie rs-trafilatura trafilatura; do
        line=$("$baselines" "$extractor" "$bench/html" "$out/$name-$extractor")
        seconds=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["seconds"])' "$line")
        rows+=("$extractor $pages $bytes $seconds $out/$name-$extractor")
    done
    for row in "${rows[@]}"; do
        read -r extractor pages bytes seconds dir <<<"$row"
        f1=$("$pare" eval "${truth[@]}" "$dir" --json |
            python3 -c 'import json, sys; s = json.load(sys.stdin)[0]["summary"]; print("%.3f" % s.get("strict_f1", s.get("f1")))')
        python3 -c 'import sys; name, extractor, pages, size, seconds, f1 = sys.argv[1:]; pages, seconds = int(pages), float(seconds)
print("%-18s %-15s %6d %9.1f %8.2f %7s" % (name, extractor, pages, pages / seconds, int(size) / seconds / 1e6, f1))' \
            "$name" "$extractor" "$pages" "$bytes" "$seconds" "$f1"
    done
done
