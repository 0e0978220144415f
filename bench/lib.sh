# shellcheck shell=bash
# Shared by the benchmark scripts: logging and installing what they need.

log() { printf '== %s\n' "$*" >&2; }

# Installs a Debian package when its command is missing; refreshes the package lists only if
# the first attempt fails (they may be missing or stale on a fresh machine).
ensure() {
    local command=$1 package=$2
    if command -v "$command" > /dev/null 2>&1; then
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null 2>&1; then
        sudo=(sudo)
    fi
    log "installing $package"
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" > /dev/null; then
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" > /dev/null
    fi
}

# Writes $2 defect-free specs (seed $3) with the generator $1 into the folder $4, unless the
# folder already holds them (a `.stamp` file beside it records count and seed). Prints the
# stamp text, which names the corpus in reports.
generated_specs() {
    local generator=$1 n=$2 seed=$3 specs=$4
    local stamp=$specs.stamp want="count=$n seed=$seed defects=0" have_count=0
    if [ -d "$specs" ]; then
        have_count=$(find "$specs" -maxdepth 1 -name '*.md' | wc -l)
    fi
    if [ "$have_count" -ne "$n" ] || [ "$(cat "$stamp" 2> /dev/null)" != "$want" ]; then
        log "generating $n specs into $specs"
        rm -rf "$specs" "$stamp"
        "$generator" --out "$specs" --count "$n" --seed "$seed" --defects 0 > "$(dirname "$specs")/planted.json"
        echo "$want" > "$stamp"
    else
        log "reusing $n specs in $specs"
    fi
    echo "$want"
}
