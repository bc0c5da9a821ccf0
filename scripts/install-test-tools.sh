#!/usr/bin/env bash
# Installs the pinned Python test tools into .venv (scripts/requirements-test.txt) and
# checkov into .venv-checkov (scripts/requirements-checkov.txt: its pins clash with the
# others'), each unless that exact list is installed already. Used by test.sh and the
# scripts it runs, and by the deploy workflow (--without-checkov: sam and cargo-lambda
# are all a deploy needs).
set -euo pipefail
cd "$(dirname "$0")/.."

install() {
  local venv=$1 requirements=$2
  if ! cmp -s "$requirements" "$venv/.installed" 2>/dev/null; then
    echo "==> installing $requirements into $venv"
    python3 -m venv "$venv"
    # Records the list it installed, even if the file changes meanwhile.
    cp "$requirements" "$venv/.installing"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$venv/.installing"
    mv "$venv/.installing" "$venv/.installed"
  fi
}
install .venv scripts/requirements-test.txt
if [ "${1:-}" != "--without-checkov" ]; then
  install .venv-checkov scripts/requirements-checkov.txt
fi
