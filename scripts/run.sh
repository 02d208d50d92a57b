#!/usr/bin/env bash
# Installs clinic-pos into a virtual environment and starts the counter. With nothing
# configured it opens on a demo database in the per-user data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/clinic-pos "$@"
