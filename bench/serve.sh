#!/usr/bin/env bash
# Benchmark of `specbook serve` over $N generated specs (default 10,000): startup to the first
# page, and edit-to-visible (a spec written until its page, fetched over HTTP, shows the new
# text), against a whole `specbook build` and `rg -c '^#'` in the same run. See
# bench/README.md.
#
#   bench/serve.sh
#
# Environment: N (spec count), SEED (generator seed, default 1), EDITS (default 20), GAP
# (seconds between edits, default 3), CARGO_TARGET_DIR.
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
        echo "usage: bench/serve.sh" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
edits=${EDITS:-20}
gap=${GAP:-3}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure rg ripgrep
ensure python3 python3
ensure hyperfine hyperfine

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# The corpus of bench/check.sh (shared through its stamp, never written to), linked into a
# folder of its own; the spec the edits change is a copy, not a link.
specs=$out/specs
want=$(generated_specs "$generator" "$n" "$seed" "$specs")
work=$out/serve
rm -rf "$work"
mkdir -p "$work"
cp -al "$specs" "$work/specs"
edited=$(find "$work/specs" -maxdepth 1 -name '*.md' | sort | sed -n 2p)
cp --remove-destination "$(readlink -f "$edited")" "$edited.tmp" && mv "$edited.tmp" "$edited"
page="specs/$(basename "$edited" .md).html"

log "hyperfine: rg and a whole build (the references)"
cd "$work/specs"
hyperfine --warmup 1 --runs 3 -N -i --style basic --export-csv "$out/serve-reference.csv" \
    -n rg "rg -c '^#' ." >&2
# A fresh build each run (an incremental one would keep every page).
hyperfine --runs 3 -i --style basic --export-csv "$out/serve-build.csv" \
    --prepare "rm -rf $work/site" -n build "$specbook build --out $work/site" >&2
tail -n +2 "$out/serve-build.csv" >> "$out/serve-reference.csv"
cd "$root"
log "serve: startup, then $edits edits $gap s apart"
result=$(python3 "$root/bench/serve_client.py" "$specbook" "$work/specs" "$edited" "$page" "$edits" "$gap")
echo "$result" > "$out/serve.json"
mean_of() { awk -F, -v name="$1" '$1 == name { print $2 }' "$out/serve-reference.csv"; }
python3 - "$result" "$(mean_of rg)" "$(mean_of build)" "$n" "$want" <<'PY'
import json, sys
r, rg, build, n, want = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"\nspecbook serve benchmark: {n} generated specs ({want})")
print(f"  rg -c ^#                {rg * 1000:8.1f} ms")
print(f"  specbook build (whole)  {build * 1000:8.1f} ms")
print(f"  startup to first page   {r['startup_s'] * 1000:8.1f} ms  ({r['startup_s'] / build:.2f} x build; target < 2 s)")
print(f"  edit to visible         median {r['median_ms']:.1f} ms, max {r['max_ms']:.1f} ms, min {r['min_ms']:.1f} ms over {r['edits']} edits"
      f"  ({r['median_ms'] / 1000 / rg:.1f} x rg; target median < 300 ms, max < 1 s)")
print(f"  peak RSS                {r['rss_mb']:8.1f} MB")
PY
echo "  details                 $out/serve.json, $out/serve-reference.csv"
