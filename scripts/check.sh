#!/usr/bin/env bash
# The whole test suite from a fresh Debian machine with Python 3.11: system packages,
# a virtual environment with the project and its test tools, then format, lint, types
# and every test. Exits non-zero when any of them fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/venv.sh test
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/mypy
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
