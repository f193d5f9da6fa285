#!/usr/bin/env bash
# Shared set-up for ./run.sh and ./test.sh: system packages (Debian/Ubuntu), uv, and the
# project's locked environment in .venv/. Safe to run again: it only does what is missing.
# Usage: scripts/setup.sh app|test
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-app}"

# Qt's runtime libraries, a CJK font (without it Chinese renders as boxes), and the xcb
# plugin's libraries for a real window.
APP_PACKAGES=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0
  libdbus-1-3 fonts-wqy-microhei libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1)
# The independent judges the tests use, and Xvfb for screenshots of a real window.
TEST_PACKAGES=(poppler-utils qpdf age openssl zip xvfb xauth)

packages=("${APP_PACKAGES[@]}")
[ "$purpose" = test ] && packages+=("${TEST_PACKAGES[@]}")

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "Missing system packages. Install them, then run this again:" >&2
      echo "  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
elif [ "$purpose" = test ]; then
  for tool in pdftotext pdffonts qpdf age openssl zip; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "Missing tool '$tool' (poppler, qpdf, age, openssl, zip are needed for the tests)." >&2
      exit 1
    }
  done
fi

# uv builds .venv from uv.lock, reproducibly. No Python downloads: use the system's Python.
export UV_PYTHON_DOWNLOADS=never
PYTHON="${PYTHON:-python3}"
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
elif "$PYTHON" -m uv --version >/dev/null 2>&1; then
  UV=("$PYTHON" -m uv)
else
  echo "Installing uv (Python package manager) for this user..."
  if ! "$PYTHON" -m pip install --quiet --user "uv>=0.13,<0.14" 2>/dev/null; then
    "$PYTHON" -m venv .uv-bootstrap
    .uv-bootstrap/bin/pip install --quiet "uv>=0.13,<0.14"
  fi
  if "$PYTHON" -m uv --version >/dev/null 2>&1; then UV=("$PYTHON" -m uv); else UV=(.uv-bootstrap/bin/uv); fi
fi
# --compile-bytecode: without .pyc files every first import compiles source while holding the
# interpreter lock, and the window stalls for 50-200 ms whenever a worker imports a module.
if [ "$purpose" = test ]; then
  "${UV[@]}" sync --locked --quiet --compile-bytecode --python "$PYTHON"
else
  # --inexact: running the app must not uninstall the test tools ./test.sh installed.
  "${UV[@]}" sync --locked --quiet --compile-bytecode --no-dev --inexact --python "$PYTHON"
fi
.venv/bin/python -m compileall -q evidence_app >/dev/null
