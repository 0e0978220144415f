#!/usr/bin/env bash
# Whole-process benchmark of `specbook check` against the cost of reading the same files
# (`rg -c '^#'`), plus specbook's peak memory. See bench/README.md.
#
#   bench/check.sh              generated corpus of $N specs (default 10000) in bench/out/specs
#   bench/check.sh --corpora    the Rust RFCs in $CORPORA/rust-rfcs/text (default ../shared/corpora)
#
# Environment: N (spec count), SEED (generator seed, default 1), CORPORA, RUNS (default 10),
# WARMUP (default 2), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

mode=generated
case "${1:-}" in
    "") ;;
    --corpora) mode=corpora ;;
    -h | --help)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/check.sh [--corpora]" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure rg ripgrep
ensure hyperfine hyperfine
ensure /usr/bin/time time

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# The files to check and how to call specbook on them.
if [ "$mode" = generated ]; then
    specs=$out/specs
    want=$(generated_specs "$generator" "$n" "$seed" "$specs")
    template_args=()
    json=$out/check.json
    label="generated corpus ($want)"
else
    corpora=${CORPORA:-../shared/corpora}
    specs=$corpora/rust-rfcs/text
    template=$corpora/rust-rfcs/0000-template.md
    if [ ! -d "$specs" ] || [ ! -f "$template" ]; then
        echo "error: no Rust RFC corpus at $corpora/rust-rfcs (set CORPORA)" >&2
        exit 2
    fi
    template_args=(--template "$template")
    json=$out/check-rust-rfcs.json
    label="rust-rfcs ($specs)"
fi

files=$(find "$specs" -name '*.md' | wc -l)
bytes=$(find "$specs" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
if [ "$files" -eq 0 ]; then
    echo "error: no Markdown files in $specs" >&2
    exit 2
fi

# `-N` runs the commands without a shell, so shell start-up is not measured; hyperfine
# discards their output. specbook exits 1 when it finds errors, which is not a failure here.
rg_cmd="rg -c '^#' $specs"
specbook_cmd="$specbook check $specs ${template_args[*]} --format json"
# The same check with nothing taken from the check cache (.git/specbook/check-v1.bin): what a
# CI job on a fresh clone pays, and what a run after a change to the configuration pays.
uncached_cmd="$specbook --no-cache check $specs ${template_args[*]} --format json"
log "hyperfine: $rg_cmd"
log "hyperfine: $specbook_cmd"
log "hyperfine: $uncached_cmd"
hyperfine --warmup "$warmup" --runs "$runs" -N -i --style basic \
    --export-json "$json" --export-csv "$out/check.csv" \
    -n rg "$rg_cmd" -n specbook "$specbook_cmd" -n uncached "$uncached_cmd" >&2

# Peak memory of one run, and what that run reported.
set +e
/usr/bin/time -v "$specbook" check "$specs" "${template_args[@]}" --format json \
    > "$out/specbook-output.json" 2> "$out/time.txt"
status=$?
set -e
if [ "$status" -ge 2 ]; then
    echo "error: specbook check exited $status:" >&2
    grep -v '^\s' "$out/time.txt" >&2 || true
    exit 1
fi
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/time.txt")
summary=$(tr -d ' \n' < "$out/specbook-output.json" | grep -o '"summary":{[^}]*}' | tail -n 1 || true)

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
mean_of() { awk -F, -v name="$1" '$1 == name { print $2 }' "$out/check.csv"; }
rg_mean=$(mean_of rg)
specbook_mean=$(mean_of specbook)
uncached_mean=$(mean_of uncached)

echo
echo "specbook check benchmark: $label"
awk -v files="$files" -v bytes="$bytes" -v rg="$rg_mean" -v sb="$specbook_mean" \
    -v nc="$uncached_mean" -v rss="$rss_kb" -v status="$status" -v summary="$summary" 'BEGIN {
    printf "  corpus          %d files, %.1f MB\n", files, bytes / 1e6
    printf "  rg -c ^#        %8.1f ms mean\n", rg * 1000
    printf "  specbook check  %8.1f ms mean  (%.1f MB/s), the check cache kept from the last run\n", sb * 1000, bytes / 1e6 / sb
    printf "  ratio           %8.2f x rg\n", sb / rg
    printf "  --no-cache      %8.1f ms mean  = %.2f x rg (every spec parsed and checked)\n", nc * 1000, nc / rg
    printf "  peak RSS        %8.1f MB (one specbook run)\n", rss / 1024
    printf "  specbook exit   %d  %s\n", status, summary
}'
echo "  details         $json, $out/time.txt, $out/specbook-output.json"
