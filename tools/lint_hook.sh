#!/usr/bin/env bash
# Run one lint tool from the project's environment (see .pre-commit-config.yaml).
# Python tools live in the virtual environment, prettier in a node folder of the
# cache; both are installed on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="$(bash "$here/bootstrap.sh")"
# shellcheck disable=SC1090
source "$env_file"
tool="$1"; shift
case "$tool" in
    ruff|pylint)
        "$VENV/bin/python" -m "$tool" --version >/dev/null 2>&1 \
            || "$VENV/bin/pip" install -q -r "$here/requirements-lint.txt" >&2
        exec "$VENV/bin/python" -m "$tool" "$@" ;;
    prettier)
        node_dir="$CACHE/node-lint"
        if [ ! -x "$node_dir/node_modules/.bin/prettier" ]; then
            mkdir -p "$node_dir"
            npm install --silent --prefix "$node_dir" prettier@3.3.3 @prettier/plugin-xml@3.4.1 >&2
        fi
        cd "$REPO"
        exec "$node_dir/node_modules/.bin/prettier" --plugin "$node_dir/node_modules/@prettier/plugin-xml/src/plugin.js" "$@" ;;
    readme)
        exec "$VENV/bin/python" "$here/gen_readme.py" --check ;;
    *) echo "unknown tool $tool" >&2; exit 2 ;;
esac
