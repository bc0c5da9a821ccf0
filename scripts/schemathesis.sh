#!/usr/bin/env bash
# Property-based and stateful API tests with Schemathesis against invites-local:
#   - checks openapi.yaml (a valid OpenAPI 3.1 document, every example valid);
#   - builds invites-local and starts it on a free loopback port, with a fresh data
#     folder and a known JWT secret;
#   - runs every phase of Schemathesis (examples, coverage, fuzzing, stateful through
#     the spec's links) against GET /openapi.json, with every check
#     (scripts/schemathesis.toml, scripts/schemathesis_hooks.py), twice: as a user of
#     one tenant, then as a super admin (no tenant; every tenant, cross-tenant lists,
#     any createdByUserId or acceptedByUserId), SUPER_ADMIN_SECONDS long (default 120);
#   - stops the server, and fails on any Schemathesis failure, any 5xx, a server that
#     died, fewer than MIN_REQUESTS requests in the user's run (SUPER_ADMIN_MIN_REQUESTS
#     in the super admin's), or an operation never called in either.
# Reports (JUnit per run, and the server's log) go to target/schemathesis/. Arguments
# are passed on to both `schemathesis run`s, e.g. `scripts/schemathesis.sh --seed N`.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_REQUESTS=${MIN_REQUESTS:-1000}
SUPER_ADMIN_SECONDS=${SUPER_ADMIN_SECONDS:-120}
SUPER_ADMIN_MIN_REQUESTS=${SUPER_ADMIN_MIN_REQUESTS:-500}
venv=.venv
scripts/install-test-tools.sh

echo "==> checking openapi.yaml"
"$venv/bin/python" scripts/check_openapi.py openapi.yaml

echo "==> building invites-local"
cargo build --quiet -p invites-local
server=target/debug/invites-local

out=target/schemathesis
rm -rf "$out"
mkdir -p "$out"
data_dir=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

new_uuid() { "$venv/bin/python" -c 'import uuid; print(uuid.uuid4())'; }
port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export INVITES_JWT_SECRET="schemathesis-$(new_uuid)"
export INVITES_ST_TENANT INVITES_ST_USER INVITES_ST_TOKEN INVITES_ST_SUPER_ADMIN INVITES_ST_SPEC_URL="$base/openapi.json"
INVITES_ST_TENANT=$(new_uuid)
INVITES_ST_USER=$(new_uuid)
user_token=$("$server" token --sub "$INVITES_ST_USER" --tenant "$INVITES_ST_TENANT" --role editor --role viewer --hours 2)
admin_token=$("$server" token --sub "$INVITES_ST_USER" --super-admin --hours 2)

echo "==> starting invites-local on $base (data in $data_dir)"
# The embedded store and the .eml outbox: no AWS, whatever the caller's environment says.
env -u INVITES_TABLE_NAME -u INVITES_SENDER_EMAIL -u INVITES_JWT_PUBLIC_KEY -u INVITES_JWT_ALGORITHM \
  -u INVITES_JWT_ISSUER -u INVITES_JWT_AUDIENCE \
  INVITES_LISTEN="127.0.0.1:$port" INVITES_DATA_DIR="$data_dir" RUST_LOG=info NO_COLOR=1 \
  "$server" > "$out/server.log" 2>&1 < /dev/null &
server_pid=$!
"$venv/bin/python" - "$INVITES_ST_SPEC_URL" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("invites-local did not start; see target/schemathesis/server.log")
PY

status=0
# run NAME TOKEN SUPER_ADMIN [ARGS...]: one Schemathesis run with that token; the
# server log's lines from here on are this run's.
run() {
  local name=$1
  INVITES_ST_TOKEN=$2 INVITES_ST_SUPER_ADMIN=$3
  shift 3
  echo "==> schemathesis run $INVITES_ST_SPEC_URL as $name"
  wc -l < "$out/server.log" > "$out/$name.from"
  PYTHONPATH=scripts PYTHONDONTWRITEBYTECODE=1 "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run \
    "$INVITES_ST_SPEC_URL" --url "$base" --report junit --report-junit-path "$out/junit-$name.xml" "$@" \
    < /dev/null || status=1
  wc -l < "$out/server.log" > "$out/$name.to"
}
run user "$user_token" 0 "$@"
run super-admin "$admin_token" 1 --max-time "$SUPER_ADMIN_SECONDS" "$@"

alive=1
kill -0 "$server_pid" 2>/dev/null || alive=0
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=
if [ "$alive" = 0 ]; then
  echo "invites-local died during the run; see $out/server.log" >&2
  status=1
fi

for name in user super-admin; do
echo "==> what invites-local answered the $name run"
minimum=$MIN_REQUESTS
[ "$name" = user ] || minimum=$SUPER_ADMIN_MIN_REQUESTS
"$venv/bin/python" - "$out/server.log" "$minimum" "$(cat "$out/$name.from")" "$(cat "$out/$name.to")" <<'PY' || status=1
import collections, json, sys
log, minimum, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
operations = ["sendUserInvites", "resendUserInvite", "cancelUserInvite", "acceptUserInvite",
              "checkUserInviteToken", "updateUserInvite", "userInvites", "userInvite"]
counts = collections.defaultdict(collections.Counter)
panics = 0
# The server logs one JSON object per request (shared/src/telemetry.rs).
for number, line in enumerate(open(log, errors="replace")):
    if not start <= number < end:
        continue
    panics += "panicked" in line
    try:
        record = json.loads(line)
    except ValueError:
        continue
    if isinstance(record, dict) and record.get("message") == "request" and "status" in record:
        counts[record.get("operation", "none")][int(record["status"])] += 1
total = sum(sum(c.values()) for c in counts.values())
for op in operations:
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(counts[op].items()))
    print(f"  {op:22} {sum(counts[op].values()):6}   {statuses}")
print(f"  {'all':22} {total:6}")
failures = []
server_errors = sum(n for c in counts.values() for s, n in c.items() if s >= 500)
if server_errors:
    failures.append(f"{server_errors} responses were 5xx")
if panics:
    failures.append(f"the server log has {panics} panics")
if total < minimum:
    failures.append(f"only {total} requests reached the API; at least {minimum} are required")
missed = [op for op in operations if not counts[op]]
if missed:
    failures.append("never called: " + ", ".join(missed))
for failure in failures:
    print(f"FAILED: {failure}", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
done

if [ "$status" = 0 ]; then
  echo "==> schemathesis: passed"
else
  echo "==> schemathesis: FAILED (reports and the server log are in $out/)" >&2
fi
exit "$status"
