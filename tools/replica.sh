#!/usr/bin/env bash
# `make replica`: a PostgreSQL streaming replica (hot standby) of the primary
# cluster of tools/bootstrap.sh, on loopback, for Odoo's read-only requests
# (odoo-bin --db_replica_host/--db_replica_port). Idempotent:
#   - the primary accepts replication from 127.0.0.1 (role pst_replicator with
#     REPLICATION, a pg_hba line for it when none allows it; reloaded then);
#   - pg_basebackup -R -X stream into $REPLICA_DATA, owned by postgres, unless a
#     copy of this primary is there already; a copy that can no longer catch up
#     (the primary recycled the WAL it needs) is taken again;
#   - started as a hot standby with pg_ctl on $REPLICA_PORT (5433 by default);
#   - waits until it is in recovery and the primary shows it streaming;
#   - writes REPLICA_HOST / REPLICA_PORT (and where its data and log are) to
#     "$STATE/replica.env", sourced by the benchmarks, and prints host and port.
# The replica stays up (it replays every database of the cluster); stop it with
# `make replica-stop` (tools/replica.sh stop: stops it and removes its data).
#
# Usage: tools/replica.sh [start|stop|status]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"

PGVER="${PGVER:-15}"
PGBIN="${PGBIN:-/usr/lib/postgresql/$PGVER/bin}"
REPLICA_HOST=127.0.0.1
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DATA="${REPLICA_DATA:-/var/lib/postgresql/$PGVER/pst_replica}"
REPLICA_LOG="${REPLICA_LOG:-/var/log/postgresql/postgresql-$PGVER-pst_replica.log}"
REPLICA_NAME=pst_replica
REPLICATOR="${REPLICATOR:-pst_replicator}"
REPLICA_ENV="$STATE/replica.env"
PASSWORD_FILE="$STATE/replicator.password"

LOG_PREFIX=replica
# shellcheck source=tools/common.sh
source "$here/common.sh"
# Superuser statements over the Unix socket (peer authentication as postgres).
primary_sql() { as_postgres psql -X -q -tA -v ON_ERROR_STOP=1 -p "$PGPORT" -d postgres "$@"; }
replica_sql() { as_postgres psql -X -q -tA -v ON_ERROR_STOP=1 -p "$REPLICA_PORT" -d postgres "$@"; }
pg_ctl_replica() { as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_DATA" "$@"; }
replica_running() { [ -d "$REPLICA_DATA" ] && pg_ctl_replica status >/dev/null 2>&1; }

stop_replica() {
    if replica_running; then
        log "stopping the replica on port $REPLICA_PORT"
        pg_ctl_replica -m fast -w stop >&2
    fi
}

# --- stop / status --------------------------------------------------------
case "${1:-start}" in
    stop)
        stop_replica
        if [ -d "$REPLICA_DATA" ]; then
            log "removing $REPLICA_DATA"
            as_root rm -rf "$REPLICA_DATA"
        fi
        rm -f "$REPLICA_ENV"
        exit 0
        ;;
    status)
        if replica_running; then
            replica_sql -c "SELECT 'in recovery: ' || pg_is_in_recovery()
                             || ', receiver: ' || COALESCE((SELECT status FROM pg_stat_wal_receiver), 'none')"
            exit 0
        fi
        echo "not running"
        exit 1
        ;;
    start) ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac

# --- 1. PostgreSQL binaries -----------------------------------------------
if [ ! -x "$PGBIN/pg_basebackup" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
    log "installing Debian package postgresql-$PGVER"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "postgresql-$PGVER" >&2
fi

# --- 2. The primary allows replication from 127.0.0.1 ---------------------
[ "$(primary_sql -c "SHOW wal_level")" != minimal ] \
    || die "the primary's wal_level is minimal: set it to replica and restart it"
if [ ! -s "$PASSWORD_FILE" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$PASSWORD_FILE")
fi
primary_sql -v role="$REPLICATOR" -v password="$(cat "$PASSWORD_FILE")" <<'SQL' >&2
SELECT format('CREATE ROLE %I LOGIN REPLICATION', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN REPLICATION PASSWORD %L', :'role', :'password') \gexec
SQL
# Debian's pg_hba.conf has "host replication all 127.0.0.1/32 scram-sha-256"; a
# line is added only when no rule lets the role replicate from 127.0.0.1.
hba_ok="$(primary_sql -v role="$REPLICATOR" <<'SQL'
SELECT 1 FROM pg_hba_file_rules
 WHERE type = 'host' AND error IS NULL
   AND 'replication' = ANY(database)
   AND (user_name = ARRAY['all'] OR :'role' = ANY(user_name))
   AND auth_method IN ('scram-sha-256', 'md5', 'password')
   AND address ~ '^[0-9.]+$' AND netmask ~ '^[0-9.]+$'
   AND ('127.0.0.1'::inet & netmask::inet) = (address::inet & netmask::inet)
 LIMIT 1
SQL
)"
if [ "$hba_ok" != 1 ]; then
    hba_file="$(primary_sql -c "SHOW hba_file")"
    log "allowing replication for $REPLICATOR from 127.0.0.1 in $hba_file"
    printf 'host    replication     %s    127.0.0.1/32    scram-sha-256\n' "$REPLICATOR" \
        | as_root tee -a "$hba_file" >/dev/null
    primary_sql -c "SELECT pg_reload_conf()" >/dev/null
fi

# --- 3. A base backup of this primary -------------------------------------
system_id="$(primary_sql -c "SELECT system_identifier FROM pg_control_system()")"
copy_id() {
    as_postgres "$PGBIN/pg_controldata" "$REPLICA_DATA" 2>/dev/null \
        | sed -n 's/^Database system identifier: *//p'
}
if [ -d "$REPLICA_DATA" ] && [ "$(copy_id)" != "$system_id" ]; then
    log "$REPLICA_DATA is no copy of this primary: taking it again"
    stop_replica
    as_root rm -rf "$REPLICA_DATA"
fi

port_taken() {
    (exec 3<>"/dev/tcp/127.0.0.1/$REPLICA_PORT") 2>/dev/null
}

write_config() {
    # Debian keeps the configuration in /etc: the copy gets its own. A hot
    # standby needs at least the primary's limits.
    local limits
    limits="$(primary_sql -c "SELECT string_agg(name || ' = ' || setting, E'\n' ORDER BY name)
        FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes',
        'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')")"
    as_postgres tee "$REPLICA_DATA/postgresql.conf" >/dev/null <<CONF
# Written by tools/replica.sh: the streaming replica of product_serial_tracking.
cluster_name = '$REPLICA_NAME'
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# The primary keeps the rows the replica's queries read: no query cancelled by
# a vacuum on the primary.
hot_standby_feedback = on
shared_buffers = 128MB
log_line_prefix = '%m [%p] %q%u@%d '
$limits
CONF
    as_postgres tee "$REPLICA_DATA/pg_hba.conf" >/dev/null <<'HBA'
local   all     postgres                    peer
local   all     all                         peer
host    all     all     127.0.0.1/32        scram-sha-256
HBA
}

base_backup() {
    port_taken && die "port $REPLICA_PORT is taken by another server: set REPLICA_PORT"
    log "pg_basebackup of the primary (port $PGPORT) into $REPLICA_DATA"
    as_root rm -rf "$REPLICA_DATA"
    as_root install -d -o postgres -g postgres -m 700 "$REPLICA_DATA"
    # The password reaches pg_basebackup in its environment, and the replica
    # through primary_conninfo (postgresql.auto.conf, readable by postgres only).
    as_postgres env PGPASSWORD="$(cat "$PASSWORD_FILE")" "$PGBIN/pg_basebackup" \
        -h 127.0.0.1 -p "$PGPORT" -U "$REPLICATOR" -D "$REPLICA_DATA" \
        -R -X stream --checkpoint=fast --no-password >&2
    write_config
}

start_replica() {
    port_taken && die "port $REPLICA_PORT is taken by another server: set REPLICA_PORT"
    log "starting the hot standby on $REPLICA_HOST:$REPLICA_PORT (log: $REPLICA_LOG)"
    as_root install -o postgres -g postgres -m 640 /dev/null "$REPLICA_LOG.new"
    as_root mv -f "$REPLICA_LOG.new" "$REPLICA_LOG"
    pg_ctl_replica -l "$REPLICA_LOG" -w -t 120 start >&2
}

# Streaming: in recovery on the replica, and the primary sees it streaming.
streaming() {
    [ "$(replica_sql -c "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] || return 1
    [ "$(primary_sql -v name="$REPLICA_NAME" \
        <<<"SELECT state FROM pg_stat_replication WHERE application_name = :'name'" \
        2>/dev/null | head -1)" = streaming ]
}
wait_streaming() {
    for _ in $(seq "$1"); do
        streaming && return 0
        sleep 1
    done
    return 1
}

if ! replica_running; then
    if [ -f "$REPLICA_DATA/PG_VERSION" ]; then
        start_replica
    else
        base_backup
        start_replica
    fi
fi
if ! wait_streaming 30; then
    # The copy is too old for the WAL the primary still has: take it again.
    log "the replica does not stream (see $REPLICA_LOG): taking a new base backup"
    stop_replica
    base_backup
    start_replica
    wait_streaming 60 || die "the replica does not stream; see $REPLICA_LOG"
fi

cat > "$REPLICA_ENV.$$" <<ENV
REPLICA_HOST=$REPLICA_HOST
REPLICA_PORT=$REPLICA_PORT
REPLICA_DATA=$REPLICA_DATA
REPLICA_LOG=$REPLICA_LOG
ENV
mv -f "$REPLICA_ENV.$$" "$REPLICA_ENV"
lag="$(primary_sql -v name="$REPLICA_NAME" <<<"SELECT COALESCE(replay_lag::text, '0')
    FROM pg_stat_replication WHERE application_name = :'name'")"
log "streaming from the primary (replay lag $lag); settings in $REPLICA_ENV"
echo "REPLICA_HOST=$REPLICA_HOST REPLICA_PORT=$REPLICA_PORT"
