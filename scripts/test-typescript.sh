#!/usr/bin/env bash
# The TypeScript client's checks (clients/typescript), in order:
#   - npm ci from the committed package-lock.json;
#   - the generated types are not stale (openapi.yaml regenerated to a temp file, compared);
#   - tsc --noEmit over the library, ROQ's snippets in examples/, and the tests;
#   - the build (dist/: ESM and .d.ts);
#   - the tests (node --test) against a real invites-local.
# INVITES_LOCAL_BIN names the invites-local binary; unset, it is built here
# (cargo build -p invites-local). Any missing tool fails the run; nothing is skipped.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "test-typescript: $1 is required but not installed ($2)" >&2; exit 1; }
}
need node "Node.js 20 or later"
need npm "it comes with Node.js"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "test-typescript: Node.js 20 or later is required; this is $(node --version)" >&2
  exit 1
fi

if [ -z "${INVITES_LOCAL_BIN:-}" ]; then
  need cargo "the Rust toolchain, to build invites-local"
  echo "==> cargo build -p invites-local"
  (cd "$repo" && cargo build -p invites-local)
  INVITES_LOCAL_BIN="$repo/target/debug/invites-local"
fi
if [ ! -x "$INVITES_LOCAL_BIN" ]; then
  echo "test-typescript: INVITES_LOCAL_BIN=$INVITES_LOCAL_BIN is not an executable" >&2
  exit 1
fi
export INVITES_LOCAL_BIN

cd "$repo/clients/typescript"
echo "==> npm ci (clients/typescript)"
npm ci --no-audit --no-fund
echo "==> generated types up to date with openapi.yaml"
npm run --silent check:generated
echo "==> tsc --noEmit (library, examples, tests)"
npm run --silent typecheck
echo "==> build"
npm run --silent build
echo "==> tests against invites-local ($INVITES_LOCAL_BIN)"
npm run --silent build:tests
node --test --test-reporter=spec .build/test/*.test.js
