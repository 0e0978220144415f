#!/usr/bin/env bash
# Whole-process benchmark of the commands that read every spec and the git history
# (`specbook list`, `specbook index`, `specbook check`) in a repository of $N specs and $N
# commits, against the cost of one pass over that history (`git log --name-only`), with and
# without specbook's history cache, plus the peak memory of `specbook list`. See
# bench/README.md.
#
#   bench/catalog.sh            $N specs (default 10000) in $N commits in bench/out/catalog-repo
#
# Environment: N (spec and commit count), SEED (generator seed, default 1), RUNS (default 10),
# WARMUP (default 2), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

case "${1:-}" in
    "") ;;
    -h | --help)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: bench/catalog.sh" >&2
        exit 2
        ;;
esac

n=${N:-10000}
seed=${SEED:-1}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/bench/out
if [ "$n" -lt 2 ]; then
    echo "error: N must be at least 2" >&2
    exit 2
fi
mkdir -p "$out"

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

ensure git git
ensure python3 python3
ensure hyperfine hyperfine
ensure /usr/bin/time time

log "building specbook and specbook-corpus (release)"
cargo build --quiet --release -p specbook -p specbook_corpus
specbook=$target_dir/release/specbook
generator=$target_dir/release/specbook-corpus

# Writes the fast-import stream of the history to stdout: commit c (0-based) adds spec c + 1
# (the first one also specbook.toml and the template), and about one commit in five also moves
# an earlier spec one status further (Draft -> Review -> Approved). Each spec ends with the
# status the generator gave it: a Review or Approved spec is added as Draft (or an Approved
# one as Review) while enough status-changing commits remain to bring it to its final status.
# Commits are spread over two years (2024-2025) with increasing dates; the author is the
# spec's first author, in a time zone of their own; Created is the date of the commit that
# added the file and Last Updated that of the last commit that changed it (or Created, if
# later: time zones). Arguments: corpus
# folder, repository (for specbook.toml and the template), N, seed, statistics file.
generate_history() {
    python3 - "$@" << 'PY'
import json, os, random, re, sys, unicodedata, zlib
from datetime import datetime, timedelta, timezone

corpus, repo, n, seed, stats_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)
out = sys.stdout.buffer

def number(name):
    return int(name.split("-", 1)[0])

names = sorted((f for f in os.listdir(corpus) if f.endswith(".md")), key=number)
if len(names) != n:
    sys.exit(f"expected {n} specs in {corpus}, found {len(names)}")

STATUS = re.compile(r"^- \*\*Status:\*\* (.*)$", re.M)
CREATED = re.compile(r"^- \*\*Created:\*\* .*$", re.M)
UPDATED = re.compile(r"^- \*\*Last Updated:\*\* .*$", re.M)
AUTHORS = re.compile(r"^- \*\*Author\(s\):\*\* (.*)$", re.M)
ORDER = ["Draft", "Review", "Approved"]
ZONES = [0, 60, 120, -300, -480, 330, 540, 60, 0, -240]  # minutes east of UTC

texts, final, authors = [], [], []
for name in names:
    with open(os.path.join(corpus, name), encoding="utf-8") as f:
        text = f.read()
    for field in (STATUS, CREATED, UPDATED, AUTHORS):
        if len(field.findall(text)) != 1:
            sys.exit(f"{name}: expected one line matching {field.pattern}")
    texts.append(text)
    final.append(STATUS.search(text).group(1).strip())
    authors.append(AUTHORS.search(text).group(1).split(",")[0].strip())

def person(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    email = re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".") + "@example.com"
    return f"{name} <{email}>".encode(), ZONES[zlib.crc32(name.encode()) % len(ZONES)]

def render(i, status, created, updated):
    text = STATUS.sub(f"- **Status:** {status}", texts[i], count=1)
    text = CREATED.sub(f"- **Created:** {created}", text, count=1)
    return UPDATED.sub(f"- **Last Updated:** {updated}", text, count=1).encode()

def data(blob):
    out.write(b"data %d\n" % len(blob))
    out.write(blob)
    out.write(b"\n")

start = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
span = 730 * 86400
# About one commit in five (never the first) also changes a status.
slots = [c > 0 and rng.random() < 0.2 for c in range(n)]
slots_after = [0] * n
for c in range(n - 2, -1, -1):
    slots_after[c] = slots_after[c + 1] + slots[c + 1]

status = [None] * n       # current status of each added spec
created = [None] * n      # its Created date
pending = {}              # spec -> statuses still to go through, in order
pending_steps = 0
changes = 0

out.write(b"feature done\n")
for c in range(n):
    when = start + int((c + rng.random() * 0.8) * span / n)
    who, zone = person(authors[c])
    day = (datetime.fromtimestamp(when, timezone.utc) + timedelta(minutes=zone)).date().isoformat()
    stamp = b"%d %s%02d%02d" % (when, b"-" if zone < 0 else b"+", abs(zone) // 60, abs(zone) % 60)
    files, message = [], None
    if slots[c] and pending:
        j = rng.choice(sorted(pending))
        old, new = status[j], pending[j].pop(0)
        if not pending[j]:
            del pending[j]
        pending_steps -= 1
        changes += 1
        status[j] = new
        # Not before Created, which an author in a time zone further east may have dated
        # a day later.
        files.append((names[j], render(j, new, created[j], max(created[j], day))))
        message = f"{names[j][:-3]}: {old} -> {new}"
    # Add spec c, earlier in its life when the remaining status commits can still finish it.
    goal = ORDER.index(final[c]) if final[c] in ORDER else 0
    begin = goal
    if goal > 0 and len(pending) < 30:
        begin = rng.randrange(goal)
        if pending_steps + goal - begin > slots_after[c]:
            begin = goal
    status[c], created[c] = (ORDER[begin] if begin < goal else final[c]), day
    if begin < goal:
        pending[c] = ORDER[begin + 1 : goal + 1]
        pending_steps += goal - begin
    files.insert(0, (names[c], render(c, status[c], day, day)))
    title = f"Add {names[c][:-3]}" + (f"; {message}" if message else "")
    out.write(b"commit refs/heads/main\n")
    out.write(b"author %s %s\ncommitter %s %s\n" % (who, stamp, who, stamp))
    data(title.encode() + b"\n")
    if c == 0:
        for setup in ("specbook.toml", "templates/tech-spec.md"):
            with open(os.path.join(repo, setup), "rb") as f:
                out.write(b"M 100644 inline %s\n" % setup.encode())
                data(f.read())
    for name, blob in files:
        out.write(b"M 100644 inline specs/%s\n" % name.encode())
        data(blob)
    out.write(b"\n")
out.write(b"done\n")
out.flush()

if pending:
    sys.exit(f"{len(pending)} specs did not reach their final status")
counts = {s: status.count(s) for s in sorted(set(status))}
with open(stats_path, "w") as f:
    json.dump({"specs": n, "commits": n, "status_changes": changes, "statuses": counts}, f)
PY
}

# The repository: reused when it was made for the same N and SEED by this version of the
# generator (bench/out/catalog-repo.stamp, whose second line is the last commit).
repo=$out/catalog-repo
stamp=$out/catalog-repo.stamp
stats=$out/catalog-repo.stats.json
want="count=$n commits=$n seed=$seed defects=0 history=2"
if [ -d "$repo/.git" ] && [ "$(head -n 1 "$stamp" 2> /dev/null)" = "$want" ] \
    && git -C "$repo" rev-parse --quiet --verify "$(sed -n 2p "$stamp")^{commit}" > /dev/null; then
    log "reusing $repo ($want)"
    # An interrupted run may have left main on another commit or files changed.
    git -C "$repo" update-ref refs/heads/main "$(sed -n 2p "$stamp")"
    if ! git -C "$repo" diff --quiet HEAD --; then
        log "restoring the files changed since the last run"
        git -C "$repo" reset -q --hard
    fi
else
    log "generating $n specs in $n commits into $repo"
    started=$(date +%s.%N)
    rm -rf "$repo" "$stamp" "$stats" "$out/catalog-corpus"
    git init -q -b main "$repo"
    (cd "$repo" && "$specbook" init . > /dev/null)
    "$generator" --out "$out/catalog-corpus" --count "$n" --seed "$seed" --defects 0 > /dev/null
    corpus_done=$(date +%s.%N)
    generate_history "$out/catalog-corpus" "$repo" "$n" "$seed" "$stats" \
        | git -C "$repo" fast-import --quiet
    git -C "$repo" reset -q --hard
    import_done=$(date +%s.%N)
    git -C "$repo" gc --quiet
    finished=$(date +%s.%N)
    rm -rf "$out/catalog-corpus"
    printf '%s\n%s\n' "$want" "$(git -C "$repo" rev-parse HEAD)" > "$stamp"
    awk -v a="$started" -v b="$corpus_done" -v c="$import_done" -v d="$finished" 'BEGIN {
        printf "== generated in %.1f s: specs %.1f s, history and checkout %.1f s, git gc %.1f s\n",
            d - a, b - a, c - b, d - c
    }' >&2
fi

specs_count=$(find "$repo/specs" -name '*.md' | wc -l)
specs_bytes=$(find "$repo/specs" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
commits=$(git -C "$repo" rev-list --count HEAD)
git_kb=$(du -sk --exclude=specbook "$repo/.git" | cut -f1)
changes=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status_changes"])' "$stats" 2> /dev/null || echo "?")

# The commands. hyperfine has no working-directory option, so it runs in the repository with
# absolute binary paths. `-N` runs them (and their --prepare commands) without a shell, so
# shell start-up is not measured; hyperfine discards their output.
#
# specbook caches what it read from git in .git/specbook/ (keyed by HEAD): the plain runs
# find the cache of the run before, the `-cold` runs start without it, and `list-1-commit`
# starts from the cache of the commit before HEAD, as after a pull of one commit.
cd "$repo"
cache=.git/specbook
names=() prepares=() commands=()
add() { names+=("$1") prepares+=("$2") commands+=("$3"); }
has() { "$specbook" "$1" --help > /dev/null 2>&1; }

add git-log true "git log --format=%H --name-only -- specs"
if has list; then
    add list true "$specbook list --format json"
    add list-cold "rm -rf $cache" "$specbook list --format json"
    # The cache as of HEAD~1: made once, copied back before each run.
    head=$(git rev-parse HEAD)
    trap 'git update-ref refs/heads/main "$head"' EXIT
    git update-ref refs/heads/main HEAD~1
    rm -rf "$cache"
    "$specbook" list --format json > /dev/null || true
    git update-ref refs/heads/main "$head"
    trap - EXIT
    rm -rf "$out/catalog-cache-parent"
    if [ -d "$cache" ]; then
        cp -R "$cache" "$out/catalog-cache-parent"
        add list-1-commit "sh -c 'rm -rf $cache && cp -R $out/catalog-cache-parent $cache'" \
            "$specbook list --format json"
    else
        log "skipping list-1-commit: this specbook keeps no cache in $cache"
    fi
else
    log "skipping specbook list: this specbook has no list command"
fi
if has index; then
    # The first run creates INDEX.md (a catalog table between markers); the benchmark then
    # rewrites it and checks that it is up to date.
    "$specbook" index --output INDEX.md > /dev/null
    add index true "$specbook index --output INDEX.md"
    add index-check true "$specbook index --output INDEX.md --check"
else
    log "skipping specbook index: this specbook has no index command"
fi
add check true "$specbook check --format json"
add check-cold "rm -rf $cache" "$specbook check --format json"

# One run of each first: its exit code and output (in bench/out/catalog-NAME.out). Exit 1 is
# a finding (check: errors; index --check: out of date), 2 or more a failure.
declare -A exits
for i in "${!names[@]}"; do
    name=${names[$i]}
    bash -c "${prepares[$i]}"
    set +e
    bash -c "${commands[$i]}" > "$out/catalog-$name.out" 2> "$out/catalog-$name.err"
    exits[$name]=$?
    set -e
    if [ "${exits[$name]}" -ge 2 ]; then
        echo "error: ${commands[$i]} exited ${exits[$name]}:" >&2
        head -n 20 "$out/catalog-$name.err" >&2
        exit 1
    fi
done

# One --prepare per command; specbook exits 1 on findings, which is not a failure here: -i.
hyperfine_args=()
for i in "${!names[@]}"; do
    log "hyperfine: ${names[$i]}: ${commands[$i]}"
    hyperfine_args+=(--prepare "${prepares[$i]}")
done
for i in "${!names[@]}"; do
    hyperfine_args+=(-n "${names[$i]}" "${commands[$i]}")
done
hyperfine --warmup "$warmup" --runs "$runs" -N -i --style basic \
    --export-json "$out/catalog.json" --export-csv "$out/catalog.csv" "${hyperfine_args[@]}" >&2

# Peak memory of one run of list (of check when there is no list), with and without the cache.
rss_name=list
has list || rss_name=check
peak_rss() {
    /usr/bin/time -v "$specbook" "$rss_name" --format json > /dev/null 2> "$out/catalog-time$1.txt" || true
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/catalog-time$1.txt"
}
rss_kb=$(peak_rss "")
rm -rf "$cache"
rss_cold_kb=$(peak_rss -cold)

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
mean_of() { awk -F, -v name="$1" '$1 == name { print $2 }' "$out/catalog.csv"; }
git_mean=$(mean_of git-log)

echo
echo "specbook catalog benchmark: $repo ($want)"
awk -v files="$specs_count" -v bytes="$specs_bytes" -v commits="$commits" -v changes="$changes" \
    -v git_kb="$git_kb" 'BEGIN {
    printf "  repository              %d specs (%.1f MB), %d commits (%s change a status), .git %.1f MB\n",
        files, bytes / 1e6, commits, changes, git_kb / 1024
}'
awk -v mean="$git_mean" 'BEGIN { printf "  %-22s %9.1f ms mean\n", "git log --name-only", mean * 1000 }'
for name in "${names[@]}"; do
    [ "$name" = git-log ] && continue
    label="specbook $name"
    [ "$name" = index-check ] && label="specbook index --check"
    awk -v label="$label" -v mean="$(mean_of "$name")" -v git="$git_mean" -v code="${exits[$name]}" \
        'BEGIN { printf "  %-22s %9.1f ms mean  %6.2f x git log  (exit %d)\n", label, mean * 1000, mean / git, code }'
done
awk -v warm="$rss_kb" -v cold="$rss_cold_kb" -v name="$rss_name" 'BEGIN {
    printf "  peak RSS                %.1f MB (specbook %s), %.1f MB without the cache\n", warm / 1024, name, cold / 1024
}'
echo "  details                 $out/catalog.json, $out/catalog-time.txt, $out/catalog-NAME.out"
