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
