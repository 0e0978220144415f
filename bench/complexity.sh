#!/usr/bin/env bash
# How `specbook check` scales with the size of one input: for each shape (suppression pairs,
# anchor links, template sections, headings, list depth, table rows, line length) it times
# check on an input of size n and of size 4n and prints time(4n)/time(n). Linear work gives
# about 4; the bar is 5. Also prints `rg -c '^#'` on the 4n input as the cost of reading it.
#
#   bench/complexity.sh            n = 20000 (N), best of 3 runs (RUNS)
#
# Exits 1 when a ratio is 5 or more.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
n=${N:-20000}
runs=${RUNS:-3}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=bench/out/complexity

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
ensure rg ripgrep

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/complexity.sh" >&2
        exit 2
        ;;
esac

log "building specbook (release)"
cargo build --quiet --release -p specbook
specbook=$target_dir/release/specbook

# Writes one workspace for `shape` at size $2 into folder $3: specbook.toml, template.md and
# specs/0001-big.md.
generate() {
    local shape=$1 size=$2 dir=$3
    rm -rf "$dir"
    mkdir -p "$dir/specs"
    printf 'template = "template.md"\nspecs = "specs"\nmax_file_size = "512 MB"\n' > "$dir/specbook.toml"
    printf '# [Name] Technical Specification\n\n## Summary\n\n[One paragraph]\n\n## Design\n\n[How]\n' > "$dir/template.md"
    local spec=$dir/specs/0001-big.md
    {
        printf '# Big Technical Specification\n\n## Summary\n\nText.\n\n## Design\n\n'
        case $shape in
            suppressions)
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "<!-- specbook-disable placeholder -->\n[Fill %d]\n<!-- specbook-enable placeholder -->\n\n", i }'
                ;;
            anchor-links)
                awk -v n="$size" 'BEGIN {
                    for (i = 0; i < n; i++) printf "See [part %d](#part-%d) and [nothing](#missing-%d).\n\n", i, i, i
                    for (i = 0; i < n; i++) printf "### Part %d\n\nText.\n\n", i
                }'
                ;;
            template-sections)
                # The template grows too: written below.
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "### Step %d\n\nDone.\n\n", i }'
                ;;
            headings)
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "### Note %d\n\nText.\n\n", i }'
                ;;
            list-depth)
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) { for (j = 0; j < i % 200; j++) printf "  "; printf "- item %d\n", i } }'
                ;;
            table-rows)
                printf '| a | b | c |\n| --- | --- | --- |\n'
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "| %d | [x](#design) | `y` |\n", i }'
                ;;
            line-length)
                awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "word%d *em* `c` [l](#design) ", i; printf "\n" }'
                ;;
        esac
    } > "$spec"
    if [ "$shape" = template-sections ]; then
        {
            printf '# [Name] Technical Specification\n\n## Summary\n\n[One paragraph]\n\n## Design\n\n[How]\n\n'
            awk -v n="$size" 'BEGIN { for (i = 0; i < n; i++) printf "### Step %d\n\n[What]\n\n", i }'
        } > "$dir/template.md"
    fi
}

# Best of $runs wall-clock times of `specbook check` in folder $1, in milliseconds.
best_ms() {
    local dir=$1 best="" start end ms
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        (cd "$dir" && "$specbook" check --format json > /dev/null 2>&1) || true
        end=$(date +%s%N)
        ms=$(((end - start) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}

printf '%-18s %10s %10s %8s %10s\n' shape "n ms" "4n ms" ratio "rg 4n ms"
failed=0
for shape in suppressions anchor-links template-sections headings list-depth table-rows line-length; do
    small=$out/$shape-n
    large=$out/$shape-4n
    generate "$shape" "$n" "$small"
    generate "$shape" "$((4 * n))" "$large"
    t1=$(best_ms "$small")
    t4=$(best_ms "$large")
    start=$(date +%s%N)
    rg -c '^#' "$large/specs" > /dev/null || true
    rg_ms=$((($(date +%s%N) - start) / 1000000))
    # Times under 5 ms are mostly process start: measure the ratio above it.
    ratio=$(awk -v a="$t1" -v b="$t4" 'BEGIN { if (a < 5) a = 5; printf "%.2f", b / a }')
    printf '%-18s %10s %10s %8s %10s\n' "$shape" "$t1" "$t4" "$ratio" "$rg_ms"
    if awk -v r="$ratio" 'BEGIN { exit !(r >= 5) }'; then
        failed=1
    fi
done
exit $failed
