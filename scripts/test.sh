#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a warm one:
#   - installs the pinned Python tools (moto[server], cfn-lint, sam, cargo-lambda,
#     schemathesis) into .venv (scripts/install-test-tools.sh);
#   - checks template.yaml with cfn-lint and sam validate --lint;
#   - checks formatting and lints (clippy, warnings are errors);
#   - starts moto (DynamoDB, and SES on a second one) on free loopback ports and points
#     the AWS SDK at them;
#   - runs every Rust test (unit and property tests, the black-box suite on the embedded
#     store, the DynamoDB fault and round-trip tests, the Lambda events and the mailer),
#     then the same black-box suite on DynamoDB;
#   - runs Schemathesis against invites-local and openapi.yaml (scripts/schemathesis.sh);
#   - fuzzes request-body parsing for a bounded time (scripts/fuzz.sh; FUZZ_SECONDS,
#     default 60).
# Any missing tool or server fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
scripts/install-test-tools.sh

echo "==> template checks (cfn-lint, sam validate --lint)"
export SAM_CLI_TELEMETRY=0
"$venv/bin/cfn-lint" template.yaml
"$venv/bin/sam" validate --lint --region us-east-1 --template-file template.yaml

echo "==> cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> starting moto (DynamoDB, and SES on its own so its sent mail reads fast)"
mkdir -p target
free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_pids=()
stop_moto() {
  if [ "${#moto_pids[@]}" -gt 0 ]; then
    kill "${moto_pids[@]}" 2>/dev/null || true
    moto_pids=()
  fi
}
trap stop_moto EXIT
start_moto() {
  local port=$1 log=$2
  "$venv/bin/python" scripts/moto_server.py 127.0.0.1 "$port" > "$log" 2>&1 &
  moto_pids+=($!)
  "$venv/bin/python" - "$port" "$log" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(f"moto did not start; see {sys.argv[2]}")
PY
}
dynamodb_port=$(free_port)
start_moto "$dynamodb_port" target/moto-dynamodb.log
ses_port=$(free_port)
start_moto "$ses_port" target/moto-ses.log
export AWS_ENDPOINT_URL="http://127.0.0.1:$dynamodb_port"
export AWS_ENDPOINT_URL_SESV2="http://127.0.0.1:$ses_port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

echo "==> cargo test --workspace (embedded store, DynamoDB faults and round trips, Lambda events, mailer)"
cargo test --workspace
echo "==> black-box suite on DynamoDB (moto)"
INVITES_TEST_STORE=dynamodb cargo test -p invites-tests --test api
stop_moto

echo "==> schemathesis against invites-local (openapi.yaml)"
scripts/schemathesis.sh

echo "==> fuzzing request bodies"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
