#!/usr/bin/env bash
# The whole test suite, on a fresh machine or a warm one:
#   - installs the pinned Python tools (moto[server], cfn-lint, sam, cargo-lambda,
#     schemathesis, actionlint, zizmor; checkov in a venv of its own) into .venv and
#     .venv-checkov (scripts/install-test-tools.sh);
#   - checks, in the background while clippy runs: template.yaml with cfn-lint,
#     sam validate --lint and checkov; that sam build packages the prebuilt functions
#     without compiling (scripts/test-sam-build.sh); the deploy workflow with actionlint
#     and zizmor; that deploy parameters reach SAM byte for byte
#     (scripts/test_deploy_parameters.py). Logs: target/checks/;
#   - checks formatting and lints (clippy, warnings are errors);
#   - runs every Rust test: the unit and property tests and the black-box suite on the
#     embedded store, with no AWS emulator; then, each test binary that talks to AWS
#     with fresh moto servers of its own on free loopback ports (DynamoDB, and SES on
#     another), the SDK pointed at them: the DynamoDB fault and round-trip tests, the
#     read model's bounds and migration, the Lambda events and the mailer, and the black-box suite on DynamoDB (with one
#     DynamoDB server per test thread, see tests/support/moto.rs);
#   - runs the cargo-lambda loop: `cargo lambda watch` and `cargo lambda invoke` of every
#     function with its sample event (scripts/test-cargo-lambda.sh);
#   - the web components in Chromium (scripts/test-web.sh) and the TypeScript client
#     (scripts/test-typescript.sh), each against a real invites-local;
#   - smoke-tests invites-local with the deploy pipeline's smoke test (scripts/smoke-test.sh);
#   - runs Schemathesis against invites-local and openapi.yaml (scripts/schemathesis.sh);
#   - fuzzes request-body parsing for a bounded time (scripts/fuzz.sh; FUZZ_SECONDS,
#     default 60).
# Any missing tool or server fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
scripts/install-test-tools.sh
export SAM_CLI_TELEMETRY=0

echo "==> template and workflow checks (in the background; logs in target/checks/)"
checks=target/checks
rm -rf "$checks"
mkdir -p "$checks"
check_names=()
check_pids=()
check() {
  local name=$1
  shift
  "$@" > "$checks/$name.log" 2>&1 &
  check_names+=("$name")
  check_pids+=($!)
}
check cfn-lint "$venv/bin/cfn-lint" template.yaml
check sam-validate "$venv/bin/sam" validate --lint --region us-east-1 --template-file template.yaml
check checkov .venv-checkov/bin/checkov --config-file .checkov.yaml --file template.yaml
check sam-build scripts/test-sam-build.sh
check actionlint "$venv/bin/actionlint" -shellcheck "$venv/bin/shellcheck" .github/workflows/deploy.yml
check zizmor "$venv/bin/zizmor" --offline --no-progress .github/workflows/deploy.yml
check deploy-parameters "$venv/bin/python" scripts/test_deploy_parameters.py
wait_for_checks() {
  local failed=0 i
  for i in "${!check_pids[@]}"; do
    if wait "${check_pids[$i]}"; then
      echo "    ${check_names[$i]}: ok"
    else
      echo "    ${check_names[$i]}: FAILED" >&2
      sed 's/^/      /' "$checks/${check_names[$i]}.log" >&2
      failed=1
    fi
  done
  check_pids=()
  return "$failed"
}

echo "==> cargo fmt --check"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> waiting for the template and workflow checks"
wait_for_checks

# No AWS account is ever reached: fake credentials, and an emulator only where a step
# below starts one.
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SESV2 INVITES_TEST_MOTO_POOL INVITES_TEST_STORE
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

echo "==> cargo test (unit and property tests; the black-box suite on the embedded store)"
cargo test --workspace --exclude invites-tests
cargo test -p invites-tests --lib --test api

# --- moto: fresh servers for each test binary that talks to AWS -----------------------
# moto answers one request at a time; a binary never queues behind another's calls or
# inherits its tables and mail.
mkdir -p target
free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_pids=()
stop_moto() {
  if [ "${#moto_pids[@]}" -gt 0 ]; then
    kill "${moto_pids[@]}" 2>/dev/null || true
    wait "${moto_pids[@]}" 2>/dev/null || true
    moto_pids=()
  fi
}
trap stop_moto EXIT
wait_for_moto() {
  "$venv/bin/python" - "$@" <<'PY'
import sys, time, urllib.request
for port, log in zip(sys.argv[1::2], sys.argv[2::2]):
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    else:
        sys.exit(f"moto did not start; see {log}")
PY
}
# with_moto NAME DYNAMODB_SERVERS COMMAND...: runs COMMAND with that many DynamoDB
# servers (the first in AWS_ENDPOINT_URL, all in INVITES_TEST_MOTO_POOL) and one for SES
# (AWS_ENDPOINT_URL_SESV2, so its sent mail reads fast), all stopped afterwards. COMMAND
# runs at a lower CPU priority than the servers: in a burst (40 writes at once in the
# race tests) the tests only wait for moto, and moto is what must keep up.
with_moto() {
  local name=$1 count=$2 waits=() pool=() port log i
  shift 2
  for i in $(seq 0 "$count"); do
    port=$(free_port)
    log="target/moto-$name-$i.log"
    "$venv/bin/python" scripts/moto_server.py 127.0.0.1 "$port" > "$log" 2>&1 &
    moto_pids+=($!)
    waits+=("$port" "$log")
    pool+=("http://127.0.0.1:$port")
  done
  wait_for_moto "${waits[@]}"
  AWS_ENDPOINT_URL_SESV2="${pool[0]}" AWS_ENDPOINT_URL="${pool[1]}" INVITES_TEST_MOTO_POOL="${pool[*]:1}" \
    nice -n 10 "$@"
  stop_moto
}
test_threads=$(nproc)
[ "$test_threads" -le 4 ] || test_threads=4

echo "==> DynamoDB fault and round-trip tests (moto)"
with_moto dynamodb 1 cargo test -p invites-tests --test dynamodb
echo "==> the read model's bounds and migration (moto; tables of thousands of items)"
with_moto readmodel 1 cargo test -p invites-tests --test readmodel
echo "==> Lambda events and the mailer (moto)"
# The telemetry test installs subscribers per thread, and tracing caches each callsite's
# interest for the whole process: beside other tests' threads it once captured no log
# line at all (CI, on a loaded machine). So it runs in a process of its own, after the rest.
with_moto lambda 1 bash -c 'cargo test -p invites-tests --test lambda -- --skip telemetry:: &&
  cargo test -p invites-tests --test lambda telemetry::'
echo "==> black-box suite on DynamoDB (moto, one server per test thread)"
with_moto api "$test_threads" env INVITES_TEST_STORE=dynamodb \
  cargo test -p invites-tests --test api -- --test-threads "$test_threads"
# --------------------------------------------------------------------------------------

echo "==> the cargo-lambda loop (cargo lambda watch, cargo lambda invoke of every function)"
scripts/test-cargo-lambda.sh

echo "==> the web components in Chromium (clients/web; builds invites-local with the pages it checked)"
scripts/test-web.sh
echo "==> the TypeScript client against invites-local (clients/typescript)"
INVITES_LOCAL_BIN="$PWD/target/debug/invites-local" scripts/test-typescript.sh

echo "==> the deploy pipeline's smoke test, against invites-local"
cargo build -p invites-local
smoke_port=$(free_port)
smoke_dir=$(mktemp -d)
INVITES_LISTEN="127.0.0.1:$smoke_port" INVITES_DATA_DIR="$smoke_dir" target/debug/invites-local \
  > target/smoke-invites-local.log 2>&1 < /dev/null &
smoke_pid=$!
SMOKE_SECONDS=30 scripts/smoke-test.sh "http://127.0.0.1:$smoke_port/"
kill "$smoke_pid"
wait "$smoke_pid" 2>/dev/null || true
rm -rf "$smoke_dir"

echo "==> schemathesis against invites-local (openapi.yaml)"
scripts/schemathesis.sh

echo "==> fuzzing request bodies"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
