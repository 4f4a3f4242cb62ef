#!/usr/bin/env bash
# `make test`: bootstrap, then run the addon's tests (see tools/odoo_tests.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
exec "$VENV/bin/python" "$here/odoo_tests.py" "$env_file" "$@"
