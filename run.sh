#!/usr/bin/env bash
# Set up (first time) and open Evidence App: ./run.sh [CASE]  (the demo case when omitted).
# Any evidence-app command works too: ./run.sh check my.evcase
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh app
exec .venv/bin/evidence-app "$@"
