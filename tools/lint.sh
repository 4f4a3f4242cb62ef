#!/usr/bin/env bash
# `make lint`: ruff (lint + format check) on the Python code, and every XML file
# must parse. Grows into the full pre-commit set (pylint-odoo, prettier).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
if ! "$VENV/bin/python" -m ruff --version >/dev/null 2>&1; then
    "$VENV/bin/pip" install -q -r "$here/requirements-lint.txt"
fi
cd "$repo"
status=0
echo "[lint] ruff check"; "$VENV/bin/python" -m ruff check . || status=1
echo "[lint] ruff format --check"; "$VENV/bin/python" -m ruff format --check . || status=1
echo "[lint] XML well-formed"
"$VENV/bin/python" - <<'PY' || status=1
import pathlib, sys
from lxml import etree
bad = 0
for path in sorted(pathlib.Path(".").rglob("*.xml")):
    if any(part.startswith(".") for part in path.parts):
        continue
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        print(f"{path}: {error}")
        bad += 1
sys.exit(1 if bad else 0)
PY
echo "[lint] README.rst and index.html generated from readme/"
"$VENV/bin/python" tools/gen_readme.py --check || status=1
if [ "$status" = 0 ]; then echo "[lint] all checks passed"; fi
exit "$status"
