#!/usr/bin/env bash
# Times `pare clean` against `cp`, against a Python multiprocessing script applying the default
# regex rules (`benches/python_rules.py`) and, for JSONL, against the floor program
# (`benches/floor.rs`: parse, split, write, nothing else) on the same synthetic corpus, in one
# run, and prints medians, MiB/s, ratios (to `cp` for trees, to the floor on all cores for
# JSONL) and peak memory.
#
#   benches/throughput.sh [DOCS] [RUNS]      (defaults: 20000 documents, 3 rounds)
#
# The corpus (a nested tree of text files and the same documents as one JSONL file) is made by
# examples/gen_corpus.rs under target/bench-corpus/DOCS and kept between runs. The page cache is
# warm: every command reads the same files just read by the one before. Before each command
# the previous one's writes are flushed (`sync`), so none pays for another's write-back.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
runs=${2:-3}
cargo build --release --quiet --bin pare --example gen_corpus --example floor
pare=$PWD/target/release/pare
floor=$PWD/target/release/examples/floor
corpus=$PWD/target/bench-corpus/$docs
if [ ! -f "$corpus/corpus.jsonl" ]; then
    rm -rf "$corpus"
    ./target/release/examples/gen_corpus "$corpus" "$docs" >/dev/null
fi
scratch=$(mktemp -d "$PWD/target/bench-scratch.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

tree_bytes=$(du -sb "$corpus/tree" | cut -f1)
jsonl_bytes=$(stat -c %s "$corpus/corpus.jsonl")

# The commands of one comparison run in rounds (cp, then each pare variant, then again), so
# that every command sees the same state of a noisy file system; each is timed $runs times.
# time_once NAME COMMAND...: runs COMMAND once, writing to $scratch/out (a new directory each
# time) or $scratch/out.jsonl, and records its seconds in SECONDS_<NAME> (a list) and its largest
# max RSS in KB_<NAME>. Output trees are deleted only at the end: on some file systems, creating
# files right after deleting many is much slower for a while, and would be timed.
runs_done=0
time_once() {
    local name=$1
    shift
    if [ -d "$scratch/out" ]; then
        runs_done=$((runs_done + 1))
        mv "$scratch/out" "$scratch/done.$runs_done"
    fi
    rm -f "$scratch/out.jsonl"
    sync
    /usr/bin/time -f '%e %M' -o "$scratch/time" "$@" >/dev/null 2>&1
    read -r seconds kb <"$scratch/time"
    eval "SECONDS_$name+=($seconds)"
    eval "[ \"\${KB_$name:-0}\" -gt $kb ] || KB_$name=$kb"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ratio_median NAME BASE: the median over rounds of NAME's time divided by BASE's in that round.
ratio_median() {
    local -n times=SECONDS_$1 base=SECONDS_$2
    local ratios=() i
    for i in "${!times[@]}"; do
        ratios+=("$(awk -v a="${times[$i]}" -v b="${base[$i]}" 'BEGIN { printf "%.3f", a / b }')")
    done
    median "${ratios[@]}"
}

report() { # LABEL BYTES MEDIAN_SECONDS PEAK_KB RATIO_TO_BASELINE
    awk -v label="$1" -v bytes="$2" -v s="$3" -v kb="$4" -v ratio="$5" 'BEGIN {
        printf "%-34s %8.2f s  %8.1f MiB/s  %6.2fx baseline  peak RSS %6.1f MiB\n",
            label, s, bytes / 1048576 / s, ratio, kb / 1024 }'
}

echo "corpus: $docs documents; tree $((tree_bytes / 1048576)) MiB; JSONL $((jsonl_bytes / 1048576)) MiB; $runs rounds, medians"
python_rules=(python3 benches/python_rules.py)
for _ in $(seq "$runs"); do
    time_once cp_tree cp -r "$corpus/tree" "$scratch/out"
    time_once pare_tree "$pare" clean -q "$corpus/tree" -o "$scratch/out"
    time_once rules_tree "$pare" clean -q --detect off "$corpus/tree" -o "$scratch/out"
    time_once python_tree "${python_rules[@]}" tree "$corpus/tree" "$scratch/out"
done
for _ in $(seq "$runs"); do
    time_once cp_jsonl cp "$corpus/corpus.jsonl" "$scratch/out.jsonl"
    time_once floor_jsonl "$floor" "$corpus/corpus.jsonl" "$scratch/out.jsonl" "$(nproc)"
    time_once floor_jsonl_1 "$floor" "$corpus/corpus.jsonl" "$scratch/out.jsonl" 1
    time_once pare_jsonl "$pare" clean -q "$corpus/corpus.jsonl" -o "$scratch/out.jsonl"
    time_once rules_jsonl "$pare" clean -q --detect off "$corpus/corpus.jsonl" -o "$scratch/out.jsonl"
    time_once pare_jsonl_1 "$pare" clean -q -j 1 "$corpus/corpus.jsonl" -o "$scratch/out.jsonl"
    time_once python_jsonl "${python_rules[@]}" jsonl "$corpus/corpus.jsonl" "$scratch/out.jsonl"
done

# line NAME LABEL BYTES BASE: one line of the table.
line() {
    local -n times=SECONDS_$1
    local kb=KB_$1
    report "$2" "$3" "$(median "${times[@]}")" "${!kb}" "$(ratio_median "$1" "$4")"
}
line cp_tree "cp -r tree" "$tree_bytes" cp_tree
line pare_tree "pare clean tree (default)" "$tree_bytes" cp_tree
line rules_tree "pare clean tree (--detect off)" "$tree_bytes" cp_tree
line python_tree "python_rules.py tree" "$tree_bytes" cp_tree
line cp_jsonl "cp corpus.jsonl" "$jsonl_bytes" cp_jsonl
line floor_jsonl "floor (parse, split, write; all cores)" "$jsonl_bytes" floor_jsonl
line floor_jsonl_1 "floor -j 1" "$jsonl_bytes" floor_jsonl
line pare_jsonl "pare clean corpus.jsonl" "$jsonl_bytes" floor_jsonl
line rules_jsonl "pare clean corpus.jsonl --detect off" "$jsonl_bytes" floor_jsonl
line pare_jsonl_1 "pare clean corpus.jsonl -j 1" "$jsonl_bytes" floor_jsonl
line python_jsonl "python_rules.py jsonl" "$jsonl_bytes" floor_jsonl
echo "pare (default) against python_rules.py: tree $(ratio_median pare_tree python_tree)x, JSONL $(ratio_median pare_jsonl python_jsonl)x of its time"
echo "JSONL speed-up from -j 1 to all cores: $(ratio_median pare_jsonl_1 pare_jsonl)x"
echo "each round's times (s):"
for name in cp_tree pare_tree rules_tree python_tree cp_jsonl floor_jsonl floor_jsonl_1 pare_jsonl rules_jsonl pare_jsonl_1 python_jsonl; do
    declare -n times=SECONDS_$name
    echo "  $name: ${times[*]}"
done
