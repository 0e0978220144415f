#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) on the nightly toolchain, starting from
# the seeds in fuzz/seeds/TARGET and growing a corpus in fuzz/corpus/TARGET (not committed).
# Installs the nightly toolchain and cargo-fuzz when they are missing. Exits 1 when a target
# finds a crash; libFuzzer writes the input to fuzz/artifacts/TARGET/.
#
#   fuzz/run.sh              every target, 60 s each
#   fuzz/run.sh 600 check_fix
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(check_fix template_new render_page)
fi

if ! rustup run nightly rustc --version > /dev/null 2>&1; then
    echo "== installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz > /dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

echo "== building the fuzz targets"
cargo +nightly fuzz build
failed=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    mkdir -p "corpus/$target"
    # libFuzzer's line per new input (`#1234 NEW ...`) is left out; its crash report is not.
    if ! cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
        { grep -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' || true; }; then
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found a crash in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds}s each, no crash"
