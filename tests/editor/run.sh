#!/usr/bin/env bash
# Runs tests/editor/nvim.lua: headless Neovim with `specbook lsp` attached, on a copy of
# tests/editor/workspace in a temporary folder (the repository is never written to).
#
#   SPECBOOK_BIN=target/debug/specbook tests/editor/run.sh
#
# Prints the test lines (`ok NAME`, `not ok NAME: why`, `# pass N`, `# fail M`); on a failure
# also everything Neovim and the server printed, and exits non-zero.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${SPECBOOK_BIN:-${CARGO_TARGET_DIR:-$here/../../target}/debug/specbook}
if [ ! -x "$bin" ]; then
    echo "error: no specbook binary at $bin (build it, or set SPECBOOK_BIN)" >&2
    exit 2
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# The tests that run, in order (SPECBOOK_EDITOR_TESTS picks some of them).
tests=${SPECBOOK_EDITOR_TESTS:-diagnostics code_action completion}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/workspace" "$work/workspace"
mkdir -p "$work/home" "$work/state"

set +e
# A home and state folder of its own: no user configuration, no shada or swap files left behind.
HOME=$work/home XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/state \
    SPECBOOK_BIN=$bin SPECBOOK_WORKSPACE=$work/workspace SPECBOOK_EDITOR_TESTS=$tests \
    timeout 60 nvim --headless --clean -n -c "luafile $here/nvim.lua" > "$work/out.txt" 2>&1
code=$?
set -e

grep -E '^(ok|not ok|# pass|# fail)' "$work/out.txt" || true
passed=$(awk '/^# pass [0-9]+$/ {print $3}' "$work/out.txt")
if [ "$code" -ne 0 ] || [ "${passed:-0}" -eq 0 ] || grep -q '^not ok' "$work/out.txt"; then
    echo "editor tests failed (nvim exited $code); what nvim printed:" >&2
    cat "$work/out.txt" >&2
    if [ "$code" -eq 0 ]; then
        code=1
    fi
    exit "$code"
fi
