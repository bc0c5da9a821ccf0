#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a warm one:
#   - installs the pinned Python tools (moto[server], cfn-lint, schemathesis) into .venv;
#   - checks formatting and lints (clippy, warnings are errors);
#   - starts moto on a free loopback port and points the AWS SDK at it;
#   - runs every Rust test (the black-box suite on the embedded store, the DynamoDB
#     fault and round-trip tests), then the same black-box suite on DynamoDB;
#   - runs Schemathesis against invites-local and openapi.yaml (scripts/schemathesis.sh).
# Any missing tool or server fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
scripts/install-test-tools.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> starting moto"
mkdir -p target
port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/python" scripts/moto_server.py 127.0.0.1 "$port" > target/moto.log 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
"$venv/bin/python" - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("moto did not start; see target/moto.log")
PY
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

echo "==> cargo test --workspace (embedded store, DynamoDB faults and round trips)"
cargo test --workspace
echo "==> black-box suite on DynamoDB (moto)"
INVITES_TEST_STORE=dynamodb cargo test -p invites-tests --test api
echo "==> schemathesis against invites-local (openapi.yaml)"
scripts/schemathesis.sh
