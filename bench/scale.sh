#!/usr/bin/env bash
# Whole-process run of every command that reads the whole corpus, at $N generated specs
# (default 100,000, about 1.3 GB): `specbook check`, `specbook list`, a fresh `specbook build`
# and `specbook serve` (to its first page, then to the whole site), each once, with its time,
# its ratio to reading the same files (`rg -c '^#'`) and its peak RSS. See bench/README.md.
#
#   bench/scale.sh
#
# Environment: N (spec count), SEED (generator seed, default 1), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/scale.sh" >&2
        exit 2
        ;;
esac

n=${N:-100000}
seed=${SEED:-1}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure rg ripgrep
ensure python3 python3
ensure /usr/bin/time time

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# A corpus of its own (not bench/out/specs, which the other scripts share at 10,000).
specs=$out/specs-$n
want=$(generated_specs "$generator" "$n" "$seed" "$specs")
bytes=$(find "$specs" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
site=$out/scale-site
report=$out/scale.txt
: > "$report"

# One run of a command in the spec folder: "name seconds peak-KB" appended to the report.
measure() {
    local name=$1
    shift
    local times=$out/scale-$name.time
    (cd "$specs" && /usr/bin/time -f '%e %M' -o "$times" "$@" > /dev/null 2>&1) || true
    echo "$name $(cat "$times")" >> "$report"
}

log "rg, check, list (a warm-up read first: the page cache holds the corpus)"
(cd "$specs" && rg -c '^#' . > /dev/null)
measure rg rg -c '^#' .
measure check "$specbook" check
measure list "$specbook" list --format json
log "a fresh build"
rm -rf "$site"
sync
measure build "$specbook" build --out "$site"
rm -rf "$site"

log "serve: the first page, then the whole site (its search index)"
python3 - "$specbook" "$specs" >> "$report" << 'PY'
import re, subprocess, sys, time, urllib.request

specbook, folder = sys.argv[1:3]

def status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except OSError:
        return 0

def peak_kb(pid):
    with open(f"/proc/{pid}/status") as lines:
        return next(int(l.split()[1]) for l in lines if l.startswith("VmHWM:"))

started = time.monotonic()
server = subprocess.Popen([specbook, "serve", "--port", "0"], cwd=folder,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    match = re.search(r"http://[^/\s]+/", server.stdout.readline())
    if not match:
        sys.exit("serve printed no address")
    base = match.group(0)
    while status(base) != 200:
        time.sleep(0.01)
    first = time.monotonic() - started
    first_kb = peak_kb(server.pid)
    while status(base + "search/docs.json") != 200:
        if time.monotonic() - started > 1800:
            sys.exit("the whole site was not served within 30 minutes")
        time.sleep(0.2)
    whole = time.monotonic() - started
    print(f"serve-first {first:.2f} {first_kb}")
    print(f"serve-whole {whole:.2f} {peak_kb(server.pid)}")
finally:
    server.kill()
    server.wait()
PY

echo
echo "specbook at scale: $n generated specs ($want), $(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }') of Markdown"
awk '
    $1 == "rg" { rg = $2 }
    { name[NR] = $1; secs[NR] = $2; kb[NR] = $3 }
    END {
        for (i = 1; i <= NR; i++) {
            ratio = (rg > 0) ? sprintf("%6.1f x rg", secs[i] / rg) : ""
            verdict = (kb[i] < 2 * 1024 * 1024) ? "under" : "OVER"
            printf "  %-12s %9.2f s  %s  peak RSS %7.1f MB (%s the 2 GB target)\n", name[i], secs[i], ratio, kb[i] / 1024, verdict
        }
    }' "$report"
echo "  (serve-first: startup to the first page; serve-whole: to the whole site, its search index served)"
echo "  details           $report"
