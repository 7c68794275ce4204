# Sourced by benches/score_articles.sh and benches/score_snippets.sh: cleans a benchmark
# folder's layouts in every detector mode and scores each with `pare eval TRUTH...`.
#
#   score_modes BENCHMARK_DIR TRUTH...     (TRUTH: `--gold DIR` or `--snippets FILE`)
#
# Prints one line per layout and mode; leaves the outputs in "$out/LAYOUT-MODE" and the binary
# in "$pare" for the caller's own summaries.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
pare=./target/release/pare
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

score_modes() {
    local bench=$1
    shift
    for layout in input input-inscriptis; do
        [ -d "$bench/$layout" ] || continue
        for mode in off conservative standard aggressive; do
            "$pare" clean -q --detect "$mode" "$bench/$layout" -o "$out/$layout-$mode"
            printf '%-17s %-13s ' "$layout" "$mode"
            "$pare" eval "$@" "$out/$layout-$mode" | sed 's/^[^:]*: //'
        done
    done
}
