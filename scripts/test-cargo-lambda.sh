#!/usr/bin/env bash
# Runs the cargo-lambda loop the README documents, with the pinned cargo-lambda (.venv):
#   - `cargo lambda watch` with the workspace's own configuration (Cargo.toml,
#     [workspace.metadata.lambda.watch]), moto where that configuration says (127.0.0.1:8000;
#     the watch re-reads its env from Cargo.toml for every function, so no flag can move
#     it), the emulator on a free port. Runs on one machine take turns (flock), and a
#     port 8000 already taken (scripts/local-dynamodb.sh left running?) fails the run;
#   - `invites-local seed-fixtures` before each invocation;
#   - `cargo lambda invoke <fn> --data-file events/<fn>/success.json` for every HTTP
#     function, answering 200; events/invite-mailer/queued.json delivering one email
#     through SES;
#   - the HTTP routes through the watch's router, as a browser or curl would call them;
#   - no function warning about AWS_LAMBDA_MAX_CONCURRENCY.
# Every step is bounded in time; logs go to target/cargo-lambda/. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
scripts/install-test-tools.sh
export PATH="$PWD/$venv/bin:$PATH"
out=target/cargo-lambda
rm -rf "$out"
mkdir -p "$out"

free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  "$venv/bin/python" - "$1" "$2" <<'PY'
import sys, time, urllib.request, urllib.error
for _ in range(600):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(f"{sys.argv[1]} did not answer; see {sys.argv[2]}")
PY
}

# The watch's own environment (table, development secret, sender, credentials, and the
# local DynamoDB's address).
eval "$("$venv/bin/python" scripts/watch_env.py)"
moto_port="${AWS_ENDPOINT_URL##*:}"
invoke_port=$(free_port)
unset AWS_PROFILE AWS_SESSION_TOKEN

exec 9> "${TMPDIR:-/tmp}/user-invites-cargo-lambda.lock"
flock -w 1800 9 || { echo "another cargo-lambda test run held the lock for 30 minutes" >&2; exit 1; }
if ! "$venv/bin/python" -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$moto_port" 2>/dev/null; then
  echo "port $moto_port (AWS_ENDPOINT_URL in Cargo.toml's watch env) is taken: stop what listens there" \
    "(scripts/local-dynamodb.sh?) and run again" >&2
  exit 1
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    # The watch runs in its own process group (setsid): cargo and the functions with it.
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

"$venv/bin/python" scripts/moto_server.py 127.0.0.1 "$moto_port" > "$out/moto.log" 2>&1 &
pids+=($!)
wait_for "$AWS_ENDPOINT_URL/moto-api/" "$out/moto.log"

functions=()
for dir in functions/*/; do
  functions+=("$(basename "$dir")")
done
# The watch runs `cargo run --bin <fn>`, which resolves features for the whole workspace:
# building every binary the same way first reuses what cargo test built, and keeps each
# function's first invocation from compiling.
echo "==> building the workspace's binaries (${#functions[@]} functions, invites-local)"
timeout 1800 cargo build -q --workspace --bins

echo "==> cargo lambda watch (invoke port $invoke_port, DynamoDB at $AWS_ENDPOINT_URL)"
setsid cargo lambda watch --ignore-changes --invoke-port "$invoke_port" > "$out/watch.log" 2>&1 < /dev/null &
pids+=($!)
"$venv/bin/python" - "$invoke_port" "$out/watch.log" <<'PY'
import socket, sys, time
for _ in range(600):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"cargo lambda watch did not listen; see {sys.argv[2]}")
PY

seed() { timeout 60 target/debug/invites-local seed-fixtures "$@" > /dev/null; }
invoke() {
  local fn=$1 data=$2
  timeout 300 cargo lambda invoke "$fn" --invoke-port "$invoke_port" --data-file "$data" -o json \
    > "$out/$fn.json" 2> "$out/$fn.err" || {
    echo "cargo lambda invoke $fn failed:" >&2
    cat "$out/$fn.err" >&2
    exit 1
  }
}

for fn in "${functions[@]}"; do
  case "$fn" in invite-mailer | invite-events | invite-expiry-sweep | invite-email-feedback) continue ;; esac
  seed
  invoke "$fn" "events/$fn/success.json"
  "$venv/bin/python" - "$fn" "$out/$fn.json" <<'PY'
import json, sys
fn, path = sys.argv[1], sys.argv[2]
response = json.load(open(path))
body = json.loads(response["body"])
assert response["statusCode"] == 200, f"{fn}: {response}"
assert response["headers"]["content-type"] == "application/json", f"{fn}: {response['headers']}"
assert response["headers"].get("x-request-id"), f"{fn} answers no x-request-id: {response['headers']}"
print(f"    {fn}: 200 {json.dumps(body)[:70]}")
PY
done

seed --queued
invoke invite-mailer events/invite-mailer/queued.json
"$venv/bin/python" - "$out/invite-mailer.json" "$AWS_ENDPOINT_URL" <<'PY'
import json, sys, urllib.request
response = json.load(open(sys.argv[1]))
assert response == {"batchItemFailures": []}, response
data = json.load(urllib.request.urlopen(f"{sys.argv[2]}/moto-api/data.json"))
sent = [m for m in data["ses"]["Message"] if "fixture@example.com" in m["destinations"]["ToAddresses"]]
assert len(sent) == 1, f"expected one email to the fixture invitee, SES holds {len(sent)}"
print("    invite-mailer: delivered the queued invite's email through SES")
PY

# The events function puts the sample accept's event on moto's default bus.
invoke invite-events events/invite-events/accepted.json
"$venv/bin/python" - "$out/invite-events.json" <<'PY'
import json, sys
response = json.load(open(sys.argv[1]))
assert response == {"batchItemFailures": []}, response
print("    invite-events: published the sample accept's event to the bus")
PY

# The feedback function reads SES's delivery notice of the fixture invite (whose email
# was never sent, so there is nothing to record, and the invocation succeeds).
seed
invoke invite-email-feedback events/invite-email-feedback/delivery.json
echo "    invite-email-feedback: read SES's delivery notice"

# The sweep records the expiry of the fixture invite once its expiresAt has passed.
seed --expired
invoke invite-expiry-sweep events/invite-expiry-sweep/scheduled.json
"$venv/bin/python" - "$out/invite-expiry-sweep.json" <<'PY'
import json, sys
response = json.load(open(sys.argv[1]))
assert response.get("recorded", 0) >= 1, response
print(f"    invite-expiry-sweep: recorded {response['recorded']} expiry")
PY

echo "==> the routes through the watch's router"
seed
fixtures=events/fixtures.json
tenant=$("$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["tenantId"])' "$fixtures")
user=$("$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["userId"])' "$fixtures")
token=$(target/debug/invites-local token --sub "$user" --tenant "$tenant")
"$venv/bin/python" - "http://127.0.0.1:$invoke_port" "$token" "$fixtures" <<'PY'
import json, sys, urllib.request, urllib.error
base, token, fixtures = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))

def call(method, path, body=None, bearer=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if bearer:
        request.add_header("authorization", f"Bearer {bearer}")
    try:
        response = urllib.request.urlopen(request, timeout=120)
    except urllib.error.HTTPError as e:
        response = e
    return response.status, json.loads(response.read() or b"null")

status, listed = call("GET", "/user-invites?sort=email&order=asc", bearer=token)
assert status == 200 and listed["totalCount"] == 2, (status, listed)
status, problem = call("GET", "/user-invites")
assert status == 401 and problem["code"] == "UNAUTHENTICATED", (status, problem)
invite = fixtures["invites"][0]
status, got = call("GET", f"/user-invites/{invite['id']}", bearer=token)
assert status == 200 and got["email"] == invite["email"], (status, got)
status, checked = call("POST", "/user-invites/check-token", {"token": invite["token"]})
assert status == 200 and checked["isValid"] is True, (status, checked)
status, spec = call("GET", "/openapi.json")
assert status == 200 and spec["info"]["title"] == "User Invites API", status
print("    GET /user-invites (with and without a token), GET /user-invites/{id}, POST check-token, GET /openapi.json")
PY

if grep -q "AWS_LAMBDA_MAX_CONCURRENCY" "$out/watch.log"; then
  echo "a function warned about AWS_LAMBDA_MAX_CONCURRENCY (see $out/watch.log):" >&2
  grep "AWS_LAMBDA_MAX_CONCURRENCY" "$out/watch.log" >&2
  exit 1
fi
echo "==> cargo-lambda loop: every function answered through cargo lambda watch"
