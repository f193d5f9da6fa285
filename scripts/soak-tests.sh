#!/usr/bin/env bash
# The long loops kept out of ./test.sh (e.g. verify of one good packet 200 times per size).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/pytest --run-soak -m soak -q "$@"
