#!/usr/bin/env bash
# The web components' checks (clients/web), in order:
#   - Debian's chromium, installed with apt-get when it is missing (needs root, as CI has);
#   - the TypeScript client they build on: npm ci and its build (clients/typescript);
#   - npm ci from clients/web's committed package-lock.json;
#   - tsc --noEmit over the components, the pages and the tests; the package build (dist/);
#   - the drift check: the pages invites-local embeds (local/web/, committed) must be
#     byte for byte what the sources build to (fix: `npm run build:local`, commit);
#   - the browser tests (node --test, playwright-core driving /usr/bin/chromium) against a
#     real invites-local, with axe-core on both components.
# INVITES_LOCAL_BIN names the invites-local binary; unset, it is built here (after the
# drift check, so that it embeds the pages just checked). Any missing tool fails the
# run; nothing is skipped.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

fail() {
  echo "test-web: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is required but not installed ($2)"
}
need node "Node.js 20 or later"
need npm "it comes with Node.js"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js 20 or later is required; this is $(node --version)"

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "==> installing Debian's chromium (apt-get)"
  need apt-get "Debian's package manager, to install chromium"
  [ "$(id -u)" -eq 0 ] || fail "chromium is missing and installing it needs root (apt-get install -y chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || fail "apt-get update failed: cannot install chromium"
  apt-get install -y -q chromium || fail "apt-get install chromium failed"
  [ -x "$CHROMIUM_PATH" ] || fail "chromium was installed but $CHROMIUM_PATH is not there"
fi
echo "==> $("$CHROMIUM_PATH" --version 2>/dev/null || echo "chromium at $CHROMIUM_PATH")"

echo "==> npm ci and build (clients/typescript, which the components import)"
(cd "$repo/clients/typescript" && npm ci --no-audit --no-fund && npm run --silent build)

cd "$repo/clients/web"
echo "==> npm ci (clients/web)"
npm ci --no-audit --no-fund
echo "==> tsc --noEmit (components, pages, tests)"
npm run --silent typecheck
echo "==> build (dist/)"
npm run --silent build
echo "==> local/web/ matches a fresh build of the pages"
npm run --silent check:local

if [ -z "${INVITES_LOCAL_BIN:-}" ]; then
  need cargo "the Rust toolchain, to build invites-local"
  echo "==> cargo build -p invites-local"
  (cd "$repo" && cargo build -p invites-local)
  INVITES_LOCAL_BIN="$repo/target/debug/invites-local"
fi
[ -x "$INVITES_LOCAL_BIN" ] || fail "INVITES_LOCAL_BIN=$INVITES_LOCAL_BIN is not an executable"
export INVITES_LOCAL_BIN

echo "==> browser tests (Chromium) against invites-local ($INVITES_LOCAL_BIN)"
npm run --silent build:tests
node --test --test-concurrency=1 --test-reporter=spec .build/test/*.test.js
