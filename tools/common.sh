# Sourced by tools/bootstrap.sh and tools/replica.sh, which set LOG_PREFIX first:
# progress and errors on stderr, and commands run as root or as postgres.
log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_PREFIX" "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root rights (or sudo) for: $*"; fi
}
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
    else sudo -u postgres "$@"; fi
}
