#!/usr/bin/env bash
# `make run`: Odoo with the addon on database $1 (created with demo data on
# first start, kept afterwards), serving http://localhost:$2. Ctrl-C stops it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DB="${1:-serial_demo}"
PORT="${2:-8069}"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
export PGHOST PGPORT PGUSER PGPASSWORD
init=()
if [ "$(psql -X -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    echo "[run] creating database $DB with demo data (first start only)"
    init=(-i "$MODULE")
fi
echo "[run] Odoo at http://localhost:$PORT  (database $DB, login admin / admin; Ctrl-C stops)"
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter "^$DB\$" \
    --http-port "$PORT" "${init[@]}"
