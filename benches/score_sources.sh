#!/usr/bin/env bash
# Scores `pare clean`, default flags, on every labelled source of an evaluation folder, from the
# pages' text and from their HTML, with `pare eval`.
#
#   benches/score_sources.sh EVAL_DIR
#
# EVAL_DIR holds articles-dev/, snippets-dev/ and pool/<source>/, each with input/ (the pages'
# text), html/ (the pages) and gold/ (clean bodies) or annotations.json (must-keep and
# must-drop phrases). Prints, per source and reading, strict F1 (phrase F1 for snippet pages)
# and the pages that lost their article (kept under half of the gold body, or none of the
# must-keep phrases), then the mean of the six training sources for each reading.
set -euo pipefail
eval_dir=${1:?usage: benches/score_sources.sh EVAL_DIR}
cd "$(dirname "$0")/.."
cargo build --release --quiet
pare=$PWD/target/release/pare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

training="articles-dev snippets-dev pool/readability pool/newspaper pool/newspaper4k pool/dragnet"
evaluation_only="pool/l3s-gn1 pool/cleaneval pool/cleanportaleval"

# Prints "F1 LOST" for the outputs in $2 of the source folder $1.
score() {
    local source=$1 outputs=$2
    if [ -f "$source/annotations.json" ]; then
        "$pare" eval --snippets "$source/annotations.json" "$outputs" |
            sed -E 's/.* F1 ([0-9.]+) .* lost every with-snippet ([0-9]+).*/\1 \2/'
    else
        # The summary line, then a header, then one page per line: F1, precision, recall.
        "$pare" eval --gold "$source/gold" "$outputs" --per-doc |
            awk 'NR == 1 { sub(/.* strict F1 /, ""); f1 = $1 } NR > 2 && $3 < 0.5 { lost++ }
                 END { print f1, lost + 0 }'
    fi
}

printf '%-18s %-14s %-14s\n' source "text (lost)" "html (lost)"
declare -A sums=([input]=0 [html]=0)
for name in $training $evaluation_only; do
    source="$eval_dir/$name"
    [ -d "$source" ] || { echo "no $source" >&2; exit 1; }
    row=$(printf '%-18s' "$(basename "$name")")
    for reading in input html; do
        "$pare" clean -q "$source/$reading" -o "$out/$name-$reading"
        read -r f1 lost < <(score "$source" "$out/$name-$reading")
        row+=$(printf ' %-14s' "$f1 ($lost)")
        case " $training " in *" $name "*) sums[$reading]=$(echo "${sums[$reading]} + $f1" | bc -l) ;; esac
    done
    echo "$row"
done
printf '%-18s %-14.3f %-14.3f\n' "training mean" "$(echo "${sums[input]} / 6" | bc -l)" "$(echo "${sums[html]} / 6" | bc -l)"
