#!/usr/bin/env bash
# The crash harness at full strength: every writing command (new, status, supersede, link,
# renumber, index, check --fix, build) killed with SIGKILL at KILLS random moments (default
# 150 each), checking that each file is its old or its new content right after the kill, and
# that after the next run the change is all or nothing with no temporary file left. Prints one
# line of counts per command. `cargo test` runs the same harness with 12 kills each.
#
#   bench/crash.sh                 KILLS=150, SEED=1592649470
#   KILLS=500 SEED=7 bench/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/crash.sh (KILLS and SEED from the environment)" >&2
        exit 2
        ;;
esac

CRASH_KILLS=${KILLS:-150} CRASH_SEED=${SEED:-1592649470} \
    cargo test --quiet --locked -p specbook --test it crash:: -- --nocapture --test-threads=1 2>&1 |
    grep -Ev '^(running [0-9]+ tests?|)$'
