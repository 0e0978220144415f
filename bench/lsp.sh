#!/usr/bin/env bash
# Benchmark of `specbook lsp` over stdio, driven by bench/lsp_client.py: the time from a
# didChange to its publishDiagnostics on a 170 KB spec (median and p99 over $EDITS edits) in a
# one-spec project and in a 10,000-spec workspace, initialize-to-first-diagnostics on that
# workspace, and the server's peak RSS; `rg` and `specbook check` of the same file beside them.
# See bench/README.md.
#
#   bench/lsp.sh
#
# Environment: N (workspace specs, default 10000), SEED (generator seed, default 1), SIZE (bytes
# of the large spec, default 170000), EDITS (default 200), RUNS (hyperfine runs of the
# references, default 20), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/lsp.sh" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
size=${SIZE:-170000}
edits=${EDITS:-200}
runs=${RUNS:-20}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure python3 python3
ensure rg ripgrep
ensure hyperfine hyperfine

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus
client=$root/bench/lsp_client.py

# The same corpus as bench/check.sh, shared through its stamp; never written to here.
specs=$out/specs
want=$(generated_specs "$generator" "$n" "$seed" "$specs")

# The large spec: the first generated spec, each of its sections extended with the same
# section's text from the next specs of the corpus until it has $size bytes.
base=$(find "$specs" -maxdepth 1 -name '*.md' | sort | sed -n 1p)
name=$(basename "$base")
lsp=$out/lsp
rm -rf "$lsp"
mkdir -p "$lsp/single/specs" "$lsp/workspace"
log "growing $name to $size bytes"
python3 "$client" grow "$base" "$specs" "$size" "$lsp/single/specs/$name" >&2
echo 'specs = ["specs"]' > "$lsp/single/specbook.toml"
# The workspace: the corpus (hard links, so no copy of 100 MB) with the large spec in place of
# the first one, in a project with specbook.toml.
cp -al "$specs" "$lsp/workspace/specs"
rm "$lsp/workspace/specs/$name"
cp "$lsp/single/specs/$name" "$lsp/workspace/specs/$name"
echo 'specs = ["specs"]' > "$lsp/workspace/specbook.toml"
bytes=$(wc -c < "$lsp/single/specs/$name")

log "references: rg and specbook check of the large spec"
(
    cd "$lsp/single"
    hyperfine --warmup 2 --runs "$runs" -N -i --style basic --export-csv "$out/lsp-single.csv" \
        -n rg "rg -c '^#' specs/$name" \
        -n check "$specbook check specs/$name --format json" >&2
)
(
    cd "$lsp/workspace"
    hyperfine --warmup 2 --runs "$runs" -N -i --style basic --export-csv "$out/lsp-workspace.csv" \
        -n check "$specbook check specs/$name --format json" >&2
    # The server reads every spec of the workspace when it loads the project (the workspace
    # rules see every saved spec): the whole check is the reference for its first diagnostics.
    hyperfine --warmup 1 --runs 3 -N -i --style basic --export-csv "$out/lsp-workspace-all.csv" \
        -n check-all "$specbook check --format json" >&2
)

log "specbook lsp: $edits edits in the one-spec project"
python3 "$client" measure "$specbook" "$lsp/single" "$lsp/single/specs/$name" "$edits" > "$out/lsp-single.json"
log "specbook lsp: $edits edits in the $n-spec workspace"
python3 "$client" measure "$specbook" "$lsp/workspace" "$lsp/workspace/specs/$name" "$edits" > "$out/lsp-workspace.json"

echo
echo "specbook lsp benchmark: a $bytes-byte spec grown from $name ($want), $edits edits"
python3 - "$out" "$n" <<'EOF'
import csv, json, math, sys
out, n = sys.argv[1], sys.argv[2]

def mean_ms(file, name):
    with open(f"{out}/{file}") as f:
        return next(float(r["mean"]) * 1000 for r in csv.DictReader(f) if r["command"] == name)

def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

rg = mean_ms("lsp-single.csv", "rg")
check_single = mean_ms("lsp-single.csv", "check")
check_workspace = mean_ms("lsp-workspace.csv", "check")
check_all = mean_ms("lsp-workspace-all.csv", "check-all")
single = json.load(open(f"{out}/lsp-single.json"))
workspace = json.load(open(f"{out}/lsp-workspace.json"))
print(f"  {'':46} {'median':>9} {'p99':>9} {'max':>9}   target")
for label, run, target in [
    ("didChange -> diagnostics, one-spec project", single, "< 5 ms median, < 20 ms p99"),
    (f"didChange -> diagnostics, {n}-spec workspace", workspace, "< 50 ms"),
]:
    t = run["edit_ms"]
    print(f"  {label:46} {percentile(t, 50):6.2f} ms {percentile(t, 99):6.2f} ms {max(t):6.2f} ms   {target}")
print(f"  {'initialize -> first diagnostics, workspace':46} {workspace['first_diagnostics_ms']:6.1f} ms")
print(f"  {'  the same, one-spec project':46} {single['first_diagnostics_ms']:6.1f} ms")
print(f"  {'peak RSS, workspace (VmHWM after the edits)':46} {workspace['peak_rss_mb']:6.1f} MB   target < 300 MB")
print(f"  {'peak RSS, one-spec project':46} {single['peak_rss_mb']:6.1f} MB")
print(f"  {'Team completion from the catalog, workspace':46} {workspace['catalog_completion_ms']:6.1f} ms   "
      f"({workspace['catalog_completion_items']} items)")
print(f"  {'peak RSS after it':46} {workspace['peak_rss_catalog_mb']:6.1f} MB   target < 300 MB")
for label, run in [("codeAction at the cursor, one-spec project", single), (f"codeAction at the cursor, {n}-spec workspace", workspace)]:
    t = run["code_action_ms"]
    print(f"  {label:46} {percentile(t, 50):6.2f} ms {percentile(t, 99):6.2f} ms {max(t):6.2f} ms   "
          f"({len(t)} requests, {run['code_action_findings']} findings, up to {max(run['code_actions'])} actions)")
print("  references (whole processes, hyperfine mean):")
print(f"  {'rg -c ^# FILE':46} {rg:6.2f} ms")
print(f"  {'specbook check FILE, one-spec project':46} {check_single:6.2f} ms")
print(f"  {f'specbook check FILE, {n}-spec workspace':46} {check_workspace:6.2f} ms")
print(f"  {f'specbook check, all {n} specs':46} {check_all:6.0f} ms")
ws_median = percentile(workspace["edit_ms"], 50)
print(f"  ratios: one-spec edit median / rg {percentile(single['edit_ms'], 50) / rg:.2f}, "
      f"/ check {percentile(single['edit_ms'], 50) / check_single:.2f}; "
      f"workspace edit median / check {ws_median / check_workspace:.2f}; "
      f"first diagnostics / check FILE {workspace['first_diagnostics_ms'] / check_workspace:.2f}, "
      f"/ check all {workspace['first_diagnostics_ms'] / check_all:.2f}")
print(f"  findings: {single['first_diagnostics']} on open, {single['edit_diagnostics']} after edits "
      f"(one-spec); {workspace['first_diagnostics']}, {workspace['edit_diagnostics']} (workspace); "
      f"server exit codes {single['exit_code']}, {workspace['exit_code']}")
EOF
