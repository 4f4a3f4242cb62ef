#!/usr/bin/env bash
# Prepare everything `make run` / `make test` need, idempotently:
#   Debian packages, a running PostgreSQL cluster with an `odoo` role, a Python
#   virtual environment with Odoo 18.0's requirements, the Odoo source tree, and
#   an Odoo configuration file whose addons path contains this addon.
# Prints nothing but progress on stderr; writes "$PST_STATE/env" for the callers.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MODULE=product_serial_tracking
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE="${PST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/$MODULE}"
# One state folder per clone: a CI clone must never use another clone's addon.
STATE="$CACHE/clones/$(printf '%s' "$REPO" | sha1sum | cut -c1-12)"
mkdir -p "$CACHE" "$STATE"

LOG_PREFIX=bootstrap
# shellcheck source=tools/common.sh
source "$REPO/tools/common.sh"

# --- 1. Debian packages -------------------------------------------------------
PACKAGES=(postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev
          build-essential chromium wkhtmltopdf fonts-dejavu-core git)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
fi

# --- 2. PostgreSQL cluster and role ------------------------------------------
PGPORT="${PGPORT:-5432}"
DB_USER="${PST_DB_USER:-odoo}"
DB_PASSWORD="${PST_DB_PASSWORD:-odoo}"
can_login() {
    PGPASSWORD="$DB_PASSWORD" psql -X -q -h localhost -p "$PGPORT" -U "$DB_USER" \
        -d postgres -tAc "SELECT 1" >/dev/null 2>&1
}
# A normal user whose server and role are ready needs no rights at all.
if ! can_login; then
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
        ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
        log "creating PostgreSQL $ver cluster"
        as_root pg_createcluster "$ver" main >&2
    fi
    read -r PGVER PGCLUSTER PGPORT PGSTATUS _ < <(pg_lsclusters -h | head -1)
    if [ "$PGSTATUS" != online ]; then
        log "starting PostgreSQL $PGVER/$PGCLUSTER on port $PGPORT"
        as_root pg_ctlcluster "$PGVER" "$PGCLUSTER" start >&2
    fi
    for _ in $(seq 30); do pg_isready -q -h localhost -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h localhost -p "$PGPORT" || die "PostgreSQL does not answer on localhost:$PGPORT"
    if ! can_login; then
        log "creating PostgreSQL role $DB_USER"
        as_postgres psql -X -p "$PGPORT" -q -v ON_ERROR_STOP=1 -v user="$DB_USER" \
            -v password="$DB_PASSWORD" <<'SQL' >&2
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password') \gexec
SQL
    fi
    can_login || die "cannot log in to PostgreSQL as $DB_USER on localhost:$PGPORT"
fi

# --- 3. Odoo source -----------------------------------------------------------
ODOO_SRC="${ODOO_SRC:-}"
if [ -z "$ODOO_SRC" ]; then
    if [ -f /opt/odoo/18.0/odoo-bin ]; then ODOO_SRC=/opt/odoo/18.0
    elif [ -f "$CACHE/odoo-18.0/odoo-bin" ]; then ODOO_SRC="$CACHE/odoo-18.0"
    else
        log "no Odoo source found; trying a shallow clone of the official 18.0 branch"
        if ! git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git \
                "$CACHE/odoo-18.0.tmp" >&2 2>/dev/null; then
            rm -rf "$CACHE/odoo-18.0.tmp"
            die "Odoo 18.0 source not found and it cannot be downloaded from here.
  Put an Odoo 18.0 source tree (the folder holding odoo-bin) at /opt/odoo/18.0,
  or point ODOO_SRC at one:  make test ODOO_SRC=/path/to/odoo-18.0"
        fi
        mv "$CACHE/odoo-18.0.tmp" "$CACHE/odoo-18.0"
        ODOO_SRC="$CACHE/odoo-18.0"
    fi
fi
[ -f "$ODOO_SRC/odoo-bin" ] || die "ODOO_SRC=$ODOO_SRC holds no odoo-bin"
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
    || die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0"

# --- 4. Python virtual environment -------------------------------------------
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null \
    || log "warning: $PYTHON is not Python 3.11; Odoo 18.0 is tested here on 3.11"
req_hash="$(cat "$ODOO_SRC/requirements.txt" "$REPO/tools/constraints.txt" \
            "$REPO/tools/requirements-dev.txt" | sha1sum | cut -c1-12)"
VENV="$CACHE/venv-$req_hash"
if [ ! -f "$VENV/.complete" ]; then
    log "building Python virtual environment $VENV (a few minutes, once)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81" >&2
    # Odoo pins cbor2==5.4.2, which does not build on 3.11: our constraints file
    # replaces every pin it names (pip cannot override a == requirement).
    "$VENV/bin/python" "$REPO/tools/merge_requirements.py" \
        "$ODOO_SRC/requirements.txt" "$REPO/tools/constraints.txt" > "$VENV/requirements.txt"
    "$VENV/bin/pip" install -q -r "$VENV/requirements.txt" \
        -r "$REPO/tools/requirements-dev.txt" >&2
    touch "$VENV/.complete"
fi

# --- 5. Addons path and configuration ----------------------------------------
# Odoo finds a module by its folder name; the clone may be named otherwise.
mkdir -p "$STATE/addons" "$STATE/data"
ln -sfn "$REPO" "$STATE/addons/$MODULE"
ADDONS="$STATE/addons"
[ -d "$ODOO_SRC/addons" ] && ADDONS="$ADDONS,$ODOO_SRC/addons"
ADDONS="$ADDONS,$ODOO_SRC/odoo/addons"
# Written to a temporary file and renamed: lint hooks run this in parallel.
cat > "$STATE/odoo.conf.$$" <<CONF
[options]
addons_path = $ADDONS
data_dir = $STATE/data
db_host = localhost
db_port = $PGPORT
db_user = $DB_USER
db_password = $DB_PASSWORD
admin_passwd = admin
list_db = True
CONF
mv -f "$STATE/odoo.conf.$$" "$STATE/odoo.conf"
cat > "$STATE/env.$$" <<ENV
REPO=$REPO
MODULE=$MODULE
CACHE=$CACHE
STATE=$STATE
ODOO_SRC=$ODOO_SRC
VENV=$VENV
ODOO_CONF=$STATE/odoo.conf
PGHOST=localhost
PGPORT=$PGPORT
PGUSER=$DB_USER
PGPASSWORD=$DB_PASSWORD
ENV
mv -f "$STATE/env.$$" "$STATE/env"
echo "$STATE/env"
