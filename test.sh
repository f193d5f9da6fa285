#!/usr/bin/env bash
# Set up (first time) and run every check headless: lint, format, types, the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
echo "== ruff check"; .venv/bin/ruff check evidence_app tests bench
echo "== ruff format --check"; .venv/bin/ruff format --check evidence_app tests bench
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest -n 2 "$@"
