#!/usr/bin/env bash
# Build the one-folder desktop bundle with PyInstaller and smoke-test it headless.
# Usage: packaging/build.sh      → dist/evidence-app/evidence-app
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
UV_PYTHON_DOWNLOADS=never python3 -m uv sync --locked --quiet --group packaging
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  packaging/pyinstaller/evidence-app.spec
# Smoke test: the frozen CLI writes and audits the demo case, offline and without a display.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dist/evidence-app/evidence-app --version
# The frozen app's own self-test: resources, crypto, PDF build + PDFium rendering, and the
# helper process the desktop app exports in (multiprocessing spawn inside the bundle).
dist/evidence-app/evidence-app selftest
dist/evidence-app/evidence-app demo "$tmp/demo" >/dev/null
dist/evidence-app/evidence-app audit "$tmp/demo/demo.evcase"
# ... and exports and verifies a signed, encrypted packet (PDF, pyHanko, age inside the bundle).
export SMOKE_PASS=smoke-test-pass
app=dist/evidence-app/evidence-app
"$app" keys new-signing --out "$tmp/s.p12" --name 测试 --uscc 91110000600037341L \
  --pass-env SMOKE_PASS >/dev/null
recipient=$("$app" keys new-age --out "$tmp/id.age" --pass-env SMOKE_PASS | grep -o 'age1[0-9a-z]*')
"$app" export "$tmp/demo/demo.evcase" --out "$tmp/p.evpkt" --recipient "$recipient" \
  --sign "$tmp/s.p12" --sign-pass-env SMOKE_PASS --allow-gaps >/dev/null 2>&1
"$app" verify "$tmp/p.evpkt" --identity "$tmp/id.age" --identity-pass-env SMOKE_PASS | tail -1
echo "bundle: dist/evidence-app ($(du -sh dist/evidence-app | cut -f1))"
