#!/usr/bin/env bash
# `make lint`: every hook of .pre-commit-config.yaml on every file (ruff lint and
# format, pylint-odoo, prettier for XML and JavaScript, generated README).
# `make lint FIX=1` lets ruff and prettier rewrite the files instead of checking.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
"$VENV/bin/python" -m pre_commit --version >/dev/null 2>&1 \
    || "$VENV/bin/pip" install -q -r "$here/requirements-lint.txt"
cd "$repo"
if [ "${FIX:-}" = 1 ]; then
    "$here/lint_hook.sh" ruff check --fix . || true
    "$here/lint_hook.sh" ruff format .
    git ls-files -co --exclude-standard '*.xml' '*.js' | grep -v '^static/description/' \
        | xargs "$here/lint_hook.sh" prettier --write
    "$VENV/bin/python" "$here/gen_readme.py"
fi
# pre-commit keeps its own cache in the project's cache folder.
PRE_COMMIT_HOME="$CACHE/pre-commit" exec "$VENV/bin/python" -m pre_commit run --all-files --show-diff-on-failure --color=never
