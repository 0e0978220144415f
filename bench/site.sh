#!/usr/bin/env bash
# Whole-process benchmark of `specbook build` over $N generated specs (default 10,000), against
# reading the same files (`rg -c '^#'`) and checking them (`specbook check`); plus the size of
# the search index, the site, and specbook's peak memory. See bench/README.md.
#
#   bench/site.sh
#
# Environment: N (spec count), SEED (generator seed, default 1), RUNS (default 5),
# WARMUP (default 1), CARGO_TARGET_DIR.
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
        echo "usage: bench/site.sh" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
runs=${RUNS:-5}
warmup=${WARMUP:-1}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure rg ripgrep
ensure python3 python3
ensure hyperfine hyperfine
ensure hugo hugo
ensure /usr/bin/time time

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# The same corpus as bench/check.sh, shared through its stamp.
specs=$out/specs
want=$(generated_specs "$generator" "$n" "$seed" "$specs")
bytes=$(find "$specs" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

# build runs in the spec folder (no specbook.toml: the folder is the catalog) and replaces
# its earlier output each time, as a user's repeated builds do.
site=$out/site
cd "$specs"
log "hyperfine: rg, specbook check, specbook build"
hyperfine --warmup "$warmup" --runs "$runs" -N -i --style basic \
    --export-json "$out/site.json" --export-csv "$out/site.csv" \
    -n rg "rg -c '^#' ." \
    -n check "$specbook check . --format json" >&2
# The reference: Hugo over the same Markdown files (its content folder is the spec folder), with
# the least a spec site needs: one page per spec with its table of contents, and a list of
# every spec. specbook's pages show more (source view, findings, history, search, board).
hugo_site=$out/hugo
hugo_out=$out/hugo-public
rm -rf "$hugo_site"
mkdir -p "$hugo_site/layouts/_default"
printf 'baseURL = "/"\ntitle = "specs"\ncontentDir = "%s"\n%s\n' "$specs" \
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]' > "$hugo_site/config.toml"
page='<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
printf '%s<nav><a href="/">specs</a></nav><aside>{{ .TableOfContents }}</aside><main>{{ .Content }}</main></body></html>\n' \
    "$page" > "$hugo_site/layouts/_default/single.html"
printf '%s<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' \
    "$page" > "$hugo_site/layouts/_default/list.html"
cp "$hugo_site/layouts/_default/list.html" "$hugo_site/layouts/index.html"

# A fresh build each run, for both (over its last output, a build keeps every unchanged page);
# sync first, so that one's writes are not paid by the other.
log "hyperfine: fresh builds, specbook and Hugo"
hyperfine --warmup "$warmup" --runs "$runs" -i --style basic --export-csv "$out/site-fresh.csv" \
    --prepare "sh -c 'rm -rf $site && sync'" -n build "$specbook --no-cache build --out $site" \
    --prepare "sh -c 'rm -rf $hugo_out && sync'" -n hugo "hugo --quiet -s $hugo_site -d $hugo_out" >&2
tail -n +2 "$out/site-fresh.csv" >> "$out/site.csv"
rm -rf "$site" "$hugo_out"
sync
/usr/bin/time -v "$specbook" --no-cache build --out "$site" > "$out/site-build.txt" 2> "$out/site-time.txt"
sync
/usr/bin/time -v hugo --quiet -s "$hugo_site" -d "$hugo_out" 2> "$out/hugo-time.txt"
hugo_pages=$(find "$hugo_out" -name '*.html' | wc -l)
rm -rf "$hugo_out"
cd "$root"

# Rebuilds over the last site: with nothing changed, and after each run's --prepare edited one
# spec (a copy, not a link, in a linked copy of the corpus, so the shared corpus stays as it is).
rebuild=$out/rebuild
rm -rf "$rebuild"
mkdir -p "$rebuild"
cp -al "$specs" "$rebuild/specs"
edited=$(find "$rebuild/specs" -maxdepth 1 -name '*.md' | sort | sed -n 2p)
cp --remove-destination "$(readlink -f "$edited")" "$edited.tmp" && mv "$edited.tmp" "$edited"
cd "$rebuild/specs"
"$specbook" build --out "$rebuild/site" > /dev/null
log "hyperfine: rebuilds, nothing changed and one spec edited"
hyperfine --warmup 1 --runs "$runs" -N -i --style basic --export-csv "$out/site-rebuild.csv" \
    -n rebuild-nothing "$specbook build --out $rebuild/site" >&2
hyperfine --runs "$runs" -i --style basic --export-csv "$out/site-rebuild-one.csv" \
    --prepare "sh -c 'echo word\$(date +%N) >> $edited'" \
    -n rebuild-one "$specbook build --out $rebuild/site" >&2
tail -n +2 "$out/site-rebuild.csv" >> "$out/site.csv"
tail -n +2 "$out/site-rebuild-one.csv" >> "$out/site.csv"
/usr/bin/time -v "$specbook" build --out "$rebuild/site" > /dev/null 2> "$out/site-rebuild-time.txt"
cd "$root"
rebuild_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/site-rebuild-time.txt")

rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/site-time.txt")
hugo_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/hugo-time.txt")
mean_of() { awk -F, -v name="$1" '$1 == name { print $2 }' "$out/site.csv"; }
index_bytes=$(du -sb "$site/search" | cut -f1)
index_files=$(find "$site/search" -type f | wc -l)
largest_shard=$(find "$site/search/t" -type f -printf '%s\n' | sort -n | tail -n 1)
site_bytes=$(du -sb "$site" | cut -f1)

echo
echo "specbook build benchmark: $n generated specs ($want)"
awk -v bytes="$bytes" -v rg="$(mean_of rg)" -v check="$(mean_of check)" -v build="$(mean_of build)" \
    -v hugo="$(mean_of hugo)" -v hugo_pages="$hugo_pages" -v hugo_rss="$hugo_rss_kb" \
    -v rss="$rss_kb" -v index_size="$index_bytes" -v files="$index_files" -v shard="$largest_shard" \
    -v site="$site_bytes" 'BEGIN {
    printf "  corpus            %.1f MB of Markdown\n", bytes / 1e6
    printf "  rg -c ^#          %8.1f ms mean\n", rg * 1000
    printf "  specbook check    %8.1f ms mean (the check cache kept from the last run)\n", check * 1000
    printf "  specbook build    %8.1f ms mean  (%.1f x rg, %.1f x check; target < 5 s)\n", build * 1000, build / rg, build / check
    printf "  hugo (reference)  %8.1f ms mean  (specbook %.2f x faster; target >= 2.5 x), %d pages, peak RSS %.1f MB\n", hugo * 1000, hugo / build, hugo_pages, hugo_rss / 1024
    printf "  search index      %8.2f MB in %d files, largest %.1f kB (target < 15 MB)\n", index_size / 1e6, files, shard / 1e3
    printf "  site              %8.1f MB\n", site / 1e6
    printf "  peak RSS          %8.1f MB (one build)\n", rss / 1024
}'
awk -v build="$(mean_of build)" -v nothing="$(mean_of rebuild-nothing)" -v one="$(mean_of rebuild-one)" \
    -v rss="$rebuild_rss_kb" 'BEGIN {
    printf "  rebuild, nothing changed  %8.1f ms (%.1f%% of a fresh build)\n", nothing * 1000, 100 * nothing / build
    printf "  rebuild, one spec edited  %8.1f ms (%.1f%% of a fresh build; target < 10%%), peak RSS %.1f MB\n", one * 1000, 100 * one / build, rss / 1024
}'
# What the site's search downloads for one two-word query: the shard of each word (named by
# the hex of its first two letters), the chunks of search/d/ holding the documents of the
# first 20 results (32 documents a chunk), and the result pages its snippets read.
query_words=${QUERY:-"rate limiter"}
shard_bytes=0
for word in $query_words; do
    name=$(printf '%s' "${word:0:2}" | od -An -tx1 | tr -d ' \n')
    shard_bytes=$((shard_bytes + $(stat -c %s "$site/search/t/$name.json" 2> /dev/null || echo 0)))
done
docs_bytes=$(stat -c %s "$site/search/docs.json")
# shellcheck disable=SC2086 # one argument per word
hits=$(cd "$specs" && "$specbook" search $query_words --format json 2> /dev/null | grep -o '"path": *"[^"]*"' | head -n 20 | sed 's/.*"\([^"]*\)\.md"$/\1/' || true)
page_bytes=0
for stem in $hits; do
    page_bytes=$((page_bytes + $(stat -c %s "$site/specs/$(basename "$stem").html" 2> /dev/null || echo 0)))
done
chunk_bytes=$(python3 - "$site" $hits <<'PY'
import json, os, sys
site, stems = sys.argv[1], [os.path.basename(s) for s in sys.argv[2:]]
urls = [d["url"] for d in json.load(open(f"{site}/search/docs.json"))]
place = {u: i for i, u in enumerate(urls)}
chunks = {place[f"specs/{s}.html"] // 32 for s in stems if f"specs/{s}.html" in place}
print(sum(os.path.getsize(f"{site}/search/d/{k}.json") for k in chunks))
PY
)
home_bytes=$(stat -c %s "$site/index.html")
awk -v docs="$docs_bytes" -v chunks="$chunk_bytes" -v shards="$shard_bytes" -v pages="$page_bytes" \
    -v home="$home_bytes" -v q="$query_words" 'BEGIN {
    printf "  one query (%s): %.1f kB of index (shards %.1f kB + document chunks %.1f kB; target < 300 kB), %.1f kB of result pages for snippets\n", q, (chunks + shards) / 1e3, shards / 1e3, chunks / 1e3, pages / 1e3
    printf "  docs.json (all specs, for the list of every spec, not fetched by search) %.1f kB; catalog page %.1f kB (target < 500 kB)\n", docs / 1e3, home / 1e3
}'
echo "  details           $out/site.json, $out/site-time.txt"
