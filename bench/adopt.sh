#!/usr/bin/env bash
# Whole-process benchmark of `specbook init --adopt` and of `check` with the adopted
# configuration, on a copy of a shared corpus (default: the EIPs, the largest by documents),
# against the cost of reading the same files (`rg -c '^#'`). See bench/README.md.
#
#   bench/adopt.sh                    the EIPs in $CORPORA/eips (default ../shared/corpora)
#   CORPUS=swift-evolution TEMPLATE=proposal-templates/0000-swift-template.md bench/adopt.sh
#
# Environment: CORPORA, CORPUS, TEMPLATE (relative to the corpus), RUNS (default 10), WARMUP
# (default 2), CARGO_TARGET_DIR.
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
        echo "usage: bench/adopt.sh (CORPUS=name TEMPLATE=file to choose the corpus)" >&2
        exit 2
        ;;
esac

corpora=${CORPORA:-../shared/corpora}
corpus=${CORPUS:-eips}
template=${TEMPLATE:-eip-template.md}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

if [ ! -f "$corpora/$corpus/$template" ]; then
    echo "error: no $corpus corpus with $template in $corpora (set CORPORA, CORPUS, TEMPLATE)" >&2
    exit 2
fi
ensure rg ripgrep
ensure hyperfine hyperfine
ensure /usr/bin/time time

log "building specbook (release)"
cargo build --quiet --release -p specbook
specbook=$target_dir/release/specbook

# A copy, so that the adopted specbook.toml does not land in the shared corpus.
copy=$out/adopt-$corpus
rm -rf "$copy"
cp -r "$corpora/$corpus" "$copy"
files=$(find "$copy" -name '*.md' | wc -l)
bytes=$(find "$copy" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

rg_cmd="rg -c '^#' $copy"
# `init --adopt` refuses to replace a specbook.toml: each run starts without one.
adopt_cmd="$specbook init --adopt --template $copy/$template $copy"
check_cmd="$specbook check --format json"
log "hyperfine: $rg_cmd / $adopt_cmd / (in $copy) $check_cmd"
hyperfine --warmup "$warmup" --runs "$runs" -N -i --style basic \
    --export-csv "$out/adopt.csv" \
    -n rg "$rg_cmd" \
    --prepare "rm -f $copy/specbook.toml" -n adopt "$adopt_cmd" >&2
rm -f "$copy/specbook.toml"
"$specbook" init --adopt --template "$copy/$template" "$copy" > "$out/adopt-report.txt"
(cd "$copy" && hyperfine --warmup "$warmup" --runs "$runs" -N -i --style basic \
    --export-csv "$root/$out/adopt-check.csv" -n check "$check_cmd" >&2)

set +e
(cd "$copy" && /usr/bin/time -v "$specbook" check --format json > "$root/$out/adopt-check.json" 2> "$root/$out/adopt-time.txt")
status=$?
set -e
if [ "$status" -ge 2 ]; then
    echo "error: specbook check exited $status:" >&2
    grep -v '^\s' "$out/adopt-time.txt" >&2 || true
    exit 1
fi
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/adopt-time.txt")
specs=$(awk '/^specs:/ { print $2 }' "$out/adopt-report.txt")

mean_of() { awk -F, -v name="$1" '$1 == name { print $2 }' "$2"; }
rg_mean=$(mean_of rg "$out/adopt.csv")
adopt_mean=$(mean_of adopt "$out/adopt.csv")
check_mean=$(mean_of check "$out/adopt-check.csv")

echo
echo "specbook init --adopt benchmark: $corpus ($template)"
awk -v files="$files" -v bytes="$bytes" -v specs="$specs" -v rg="$rg_mean" -v adopt="$adopt_mean" \
    -v check="$check_mean" -v rss="$rss_kb" -v status="$status" 'BEGIN {
    printf "  corpus            %d Markdown files, %.1f MB; %d specs adopted\n", files, bytes / 1e6, specs
    printf "  rg -c ^#          %8.1f ms mean\n", rg * 1000
    printf "  init --adopt      %8.1f ms mean  (%.2f x rg)\n", adopt * 1000, adopt / rg
    printf "  check (adopted)   %8.1f ms mean  (%.2f x rg)\n", check * 1000, check / rg
    printf "  peak RSS          %8.1f MB (one check run)\n", rss / 1024
    printf "  check exit        %d\n", status
}'
echo "  details           $out/adopt-report.txt, $out/adopt-check.json, $out/adopt-time.txt"
