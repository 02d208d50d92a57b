#!/usr/bin/env bash
# The virtual environment in .venv with clinic-pos installed (editable) with the extras
# named in $1 (e.g. "test"), saying what it does. An install is skipped when nothing it
# depends on changed: a stamp in .venv keeps the hash of pyproject.toml, the extras and
# the Python version of the last install that succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
target="."
[ -n "$extras" ] && target=".[$extras]"
say() { echo "clinic-pos: $*" >&2; }

if [ ! -x .venv/bin/python ]; then
  say "making a virtual environment in .venv"
  python3 -m venv .venv
fi
stamp=".venv/.clinic-pos-install${extras:+-$extras}"
wanted="$( { sha256sum pyproject.toml; echo "extras=$extras"; .venv/bin/python -V; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x .venv/bin/clinic-pos ]; then
  exit 0  # installed already, from this pyproject.toml
fi
started=$SECONDS
say "installing clinic-pos${extras:+ with its $extras tools} and the libraries it needs into .venv" \
    "(the first time downloads Qt and takes a few minutes)"
rm -f "$stamp"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$target"
echo "$wanted" > "$stamp"
say "installed in $((SECONDS - started)) s"
