#!/usr/bin/env bash
# Benchmark of `specbook search` over $N generated specs (default 10,000) with the index it
# keeps between runs: a query on a kept index, one after a spec was edited (the index brought
# up to date), and one from nothing (no kept index), each against `rg -c '^#'` over the same
# files in the same run; and the peak RSS of each. See bench/README.md.
#
#   bench/search.sh
#
# Environment: N (spec count), SEED (generator seed, default 1), RUNS (default 10), QUERY
# (default "rate limiter"), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/search.sh" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
runs=${RUNS:-10}
query=${QUERY:-"rate limiter"}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure rg ripgrep
ensure hyperfine hyperfine
ensure git git
ensure /usr/bin/time time

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# The corpus of bench/check.sh (shared through its stamp, never written to), linked into a
# repository of its own: the kept index goes to its .git/specbook/, not to this repository's.
specs=$out/specs
want=$(generated_specs "$generator" "$n" "$seed" "$specs")
work=$out/search
rm -rf "$work"
mkdir -p "$work"
cp -al "$specs" "$work/specs"
git -C "$work" init -q
store=$work/.git/specbook/search-v1.bin
# The spec the edits change: a copy, not a link, so the shared corpus stays as it is.
edited=$(find "$work/specs" -maxdepth 1 -name '*.md' | sort | sed -n 2p)
cp --remove-destination "$(readlink -f "$edited")" "$edited.tmp" && mv "$edited.tmp" "$edited"

cd "$work/specs"
# shellcheck disable=SC2086 # one argument per word
"$specbook" search $query > /dev/null
log "hyperfine: rg, a query on the kept index, after an edit, from nothing"
# Each edit appends a new word to one spec, so every run finds a spec changed.
edit="sh -c 'echo word\$(date +%N) >> $edited'"
hyperfine --warmup 2 --runs "$runs" -N -i --style basic --export-csv "$out/search.csv" \
    -n rg "rg -c '^#' ." \
    -n kept "$specbook search $query" >&2
hyperfine --runs "$runs" -i --style basic --export-csv "$out/search-edit.csv" \
    --prepare "$edit" -n edited "$specbook search $query" >&2
hyperfine --runs "$((runs < 3 ? runs : 3))" -i --style basic --export-csv "$out/search-cold.csv" \
    --prepare "rm -f $store" -n cold "$specbook search $query" >&2
rss() { /usr/bin/time -f %M "$@" 2>&1 > /dev/null | tail -n 1; }
# shellcheck disable=SC2086
kept_rss=$(rss "$specbook" search $query)
echo "word$RANDOM" >> "$edited"
# shellcheck disable=SC2086
edited_rss=$(rss "$specbook" search $query)
rm -f "$store"
# shellcheck disable=SC2086
cold_rss=$(rss "$specbook" search $query)
rg_rss=$(rss rg -c '^#' .)
store_bytes=$(stat -c %s "$store")
cd "$root"

mean_of() { awk -F, -v name="$2" '$1 == name { print $2 }' "$out/$1"; }
echo
echo "specbook search benchmark: $n generated specs ($want), query \"$query\""
awk -v rg="$(mean_of search.csv rg)" -v kept="$(mean_of search.csv kept)" \
    -v edited="$(mean_of search-edit.csv edited)" -v cold="$(mean_of search-cold.csv cold)" \
    -v rg_rss="$rg_rss" -v kept_rss="$kept_rss" -v edited_rss="$edited_rss" -v cold_rss="$cold_rss" \
    -v store="$store_bytes" 'BEGIN {
    printf "  %-34s %9s %8s %9s\n", "", "mean", "x rg", "peak RSS"
    printf "  %-34s %6.1f ms %8s %6.1f MB\n", "rg -c ^#", rg * 1000, "1.00", rg_rss / 1024
    printf "  %-34s %6.1f ms %8.2f %6.1f MB   target < 5x rg, < 100 MB\n", "search, kept index", kept * 1000, kept / rg, kept_rss / 1024
    printf "  %-34s %6.1f ms %8.2f %6.1f MB\n", "search, one spec edited", edited * 1000, edited / rg, edited_rss / 1024
    printf "  %-34s %6.1f ms %8.2f %6.1f MB\n", "search, no kept index", cold * 1000, cold / rg, cold_rss / 1024
    printf "  kept index: %.1f MB\n", store / 1e6
}'
echo "  details: $out/search.csv, $out/search-edit.csv, $out/search-cold.csv"
