#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a warm one:
#   - installs the pinned Python tools (moto[server], cfn-lint, sam, cargo-lambda) into .venv;
#   - checks template.yaml with cfn-lint and sam validate --lint;
#   - checks formatting and lints (clippy, warnings are errors);
#   - starts moto on a free loopback port and points the AWS SDK at it;
#   - runs every Rust test (the black-box suite on the embedded store, the DynamoDB
#     fault and round-trip tests, the property tests), then the same black-box suite on
#     DynamoDB;
#   - fuzzes request-body parsing for a bounded time (scripts/fuzz.sh; FUZZ_SECONDS,
#     default 60).
# Any missing tool or server fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
if ! cmp -s scripts/requirements-test.txt "$venv/.installed" 2>/dev/null; then
  echo "==> installing test tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$venv/.installed"
fi

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
trap 'kill "${moto_pids[@]}" 2>/dev/null || true' EXIT
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
kill "$moto_pid" 2>/dev/null || true

echo "==> fuzzing request bodies"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
