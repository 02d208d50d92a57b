#!/usr/bin/env bash
# Installs clinic-pos into a virtual environment and starts the counter. With nothing
# configured it opens on a demo database in the per-user data folder. Says what it is
# doing on a cold machine; on later starts, with pyproject.toml unchanged, it goes
# straight to the counter (scripts/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "clinic-pos: checking the system packages Qt needs" >&2
bash scripts/system-deps.sh
bash scripts/venv.sh
echo "clinic-pos: starting the counter" >&2
exec .venv/bin/clinic-pos "$@"
