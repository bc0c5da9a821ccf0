#!/usr/bin/env bash
# Installs the pinned Python test tools (scripts/requirements-test.txt) into .venv,
# unless that exact list is installed already. Used by test.sh and schemathesis.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
if ! cmp -s scripts/requirements-test.txt "$venv/.installed" 2>/dev/null; then
  echo "==> installing test tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$venv/.installed"
fi
