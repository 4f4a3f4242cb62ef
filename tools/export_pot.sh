#!/usr/bin/env bash
# `make pot`: regenerate i18n/product_serial_tracking.pot from a database with
# the addon installed (made from the test template, dropped afterwards).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
exec "$VENV/bin/python" "$here/odoo_tests.py" "$env_file" --export-pot "$REPO/i18n/$MODULE.pot"
