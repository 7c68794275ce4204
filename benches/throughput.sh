#!/usr/bin/env bash
# Times `pare clean` against `cp` on the same synthetic corpus, in one run, and prints medians,
# MiB/s, ratios and peak memory.
#
#   benches/throughput.sh [DOCS] [RUNS]      (defaults: 20000 documents, 3 runs each)
#
# The corpus (a nested tree of text files and the same documents as one JSONL file) is made by
# examples/gen_corpus.rs under target/bench-corpus/DOCS and kept between runs. The page cache is
# warm: every command reads the same files just read by the one before.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
runs=${2:-3}
cargo build --release --quiet --bin pare --example gen_corpus
pare=$PWD/target/release/pare
corpus=$PWD/target/bench-corpus/$docs
if [ ! -f "$corpus/corpus.jsonl" ]; then
    rm -rf "$corpus"
    ./target/release/examples/gen_corpus "$corpus" "$docs" >/dev/null
fi
scratch=$(mktemp -d "$PWD/target/bench-scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

tree_bytes=$(du -sb "$corpus/tree" | cut -f1)
jsonl_bytes=$(stat -c %s "$corpus/corpus.jsonl")

# median_seconds LABEL COMMAND...: runs COMMAND $runs times (cleaning $scratch/out before
# each), prints nothing, sets MEDIAN (seconds) and PEAK_KB (largest max RSS seen).
median_seconds() {
    local times=() rss=0
    for _ in $(seq "$runs"); do
        rm -rf "$scratch/out" "$scratch/out.jsonl"
        /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>&1
        read -r seconds kb <"$scratch/time"
        times+=("$seconds")
        [ "$kb" -gt "$rss" ] && rss=$kb
    done
    MEDIAN=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    PEAK_KB=$rss
}

report() { # LABEL BYTES SECONDS PEAK_KB BASELINE_SECONDS
    awk -v label="$1" -v bytes="$2" -v s="$3" -v kb="$4" -v base="$5" 'BEGIN {
        printf "%-34s %8.2f s  %8.1f MiB/s  %5.2fx baseline  peak RSS %6.1f MiB\n",
            label, s, bytes / 1048576 / s, s / base, kb / 1024 }'
}

echo "corpus: $docs documents; tree $((tree_bytes / 1048576)) MiB; JSONL $((jsonl_bytes / 1048576)) MiB; $runs runs each, medians"
median_seconds cp -r "$corpus/tree" "$scratch/out"; cp_tree=$MEDIAN; cp_tree_kb=$PEAK_KB
median_seconds "$pare" clean -q "$corpus/tree" -o "$scratch/out"; pare_tree=$MEDIAN; pare_tree_kb=$PEAK_KB
median_seconds "$pare" clean -q --detect off "$corpus/tree" -o "$scratch/out"; rules_tree=$MEDIAN; rules_tree_kb=$PEAK_KB
median_seconds cp "$corpus/corpus.jsonl" "$scratch/out.jsonl"; cp_jsonl=$MEDIAN; cp_jsonl_kb=$PEAK_KB
median_seconds "$pare" clean -q "$corpus/corpus.jsonl" -o "$scratch/out.jsonl"; pare_jsonl=$MEDIAN; pare_jsonl_kb=$PEAK_KB
median_seconds "$pare" clean -q -j 1 "$corpus/corpus.jsonl" -o "$scratch/out.jsonl"; pare_jsonl_1=$MEDIAN; pare_jsonl_1_kb=$PEAK_KB

report "cp -r tree" "$tree_bytes" "$cp_tree" "$cp_tree_kb" "$cp_tree"
report "pare clean tree (default)" "$tree_bytes" "$pare_tree" "$pare_tree_kb" "$cp_tree"
report "pare clean tree (--detect off)" "$tree_bytes" "$rules_tree" "$rules_tree_kb" "$cp_tree"
report "cp corpus.jsonl" "$jsonl_bytes" "$cp_jsonl" "$cp_jsonl_kb" "$cp_jsonl"
report "pare clean corpus.jsonl" "$jsonl_bytes" "$pare_jsonl" "$pare_jsonl_kb" "$cp_jsonl"
report "pare clean corpus.jsonl -j 1" "$jsonl_bytes" "$pare_jsonl_1" "$pare_jsonl_1_kb" "$cp_jsonl"
awk -v one="$pare_jsonl_1" -v all="$pare_jsonl" 'BEGIN { printf "JSONL speed-up from -j 1 to all cores: %.2fx\n", one / all }'
