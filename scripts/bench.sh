#!/usr/bin/env bash
# The benchmarks of docs/BENCHMARKS.md, measured (never asserted) in one run:
#   1. cold start: every Lambda function binary and a hello-world lambda_http binary,
#      run under a fake Lambda Runtime API on loopback (benches/coldstart) against moto;
#   2. local throughput: wrk against invites-local (GET by id, list) and a bare hyper
#      hello-world (benches/hello-hyper), side by side;
#   3. the list on DynamoDB (benches/listbench): items read, calls and latency of list
#      queries in a tenant of LIST_SMALL invites and one four times larger, for the
#      previous version of invites-local and this one side by side, through a counting
#      proxy in front of moto, and a projection to 1,000,000 invites. The previous version
#      (LIST_BEFORE, default: the parent of the commit that added shared/src/readmodel) is
#      built in a temporary git worktree, into target/bench-before.
# It builds what it needs in release, starts moto and the servers on free loopback ports,
# prints the tables and stops everything it started. Not part of scripts/test.sh.
#
# Knobs: RUNS (cold-start samples per binary, default 7), WRK_ROUNDS (interleaved wrk
# rounds, default 3), WRK_DURATION (default 10s), WRK_THREADS (2), WRK_CONNECTIONS (32),
# LIST_SMALL (250), LIST_ROUNDS (5), LIST_BEFORE (a git revision), PARTS (which of
# coldstart, throughput, list to run; default all three).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-7}
wrk_rounds=${WRK_ROUNDS:-3}
wrk_duration=${WRK_DURATION:-10s}
wrk_threads=${WRK_THREADS:-2}
wrk_connections=${WRK_CONNECTIONS:-32}
parts=${PARTS:-coldstart throughput list}
list_small=${LIST_SMALL:-250}
list_rounds=${LIST_ROUNDS:-5}

venv=.venv
if ! cmp -s scripts/requirements-test.txt "$venv/.installed" 2>/dev/null; then
  echo "==> installing the pinned test tools (moto) into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
  cp scripts/requirements-test.txt "$venv/.installed"
fi
if [[ " $parts " == *" throughput "* ]]; then
  command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install -y wrk)" >&2; exit 1; }
fi

# Only what the selected parts run is built.
packages=()
if [[ " $parts " == *" coldstart "* ]]; then
  for dir in functions/*/; do packages+=(-p "$(basename "$dir")"); done
  packages+=(-p hello-lambda -p coldstart)
fi
if [[ " $parts " == *" throughput "* ]]; then packages+=(-p hello-hyper -p invites-local); fi
if [[ " $parts " == *" list "* ]]; then packages+=(-p invites-local -p listbench); fi
echo "==> cargo build --release ${packages[*]}" >&2
cargo build --release --quiet "${packages[@]}"

out=target/bench
rm -rf "$out"
mkdir -p "$out/logs"
pids=()
data_dir=$(mktemp -d)
before_dir=""
cleanup() {
  if [ -n "$before_dir" ]; then git worktree remove --force "$before_dir" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do
    pkill -KILL -P "$pid" 2>/dev/null || true   # a cold-start sample still running
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # URL WHAT LOG
  for _ in $(seq 200); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "$2 did not start; see $3" >&2
  exit 1
}

echo "==> starting moto" >&2
moto_port=$(free_port)
"$venv/bin/python" scripts/moto_server.py 127.0.0.1 "$moto_port" > "$out/moto.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$moto_port/moto-api/" moto "$out/moto.log"
export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN

echo "## Machine"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(uname -sm)"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared with other builds)"
echo "- $(rustc --version), release profile of Cargo.toml, native $(uname -m) (Lambda runs arm64)"
echo

run_part() { [[ " $parts " == *" $1 "* ]]; }

if run_part coldstart; then
echo "==> cold start ($runs runs per binary)" >&2
target/release/coldstart --bin-dir target/release --events events --runs "$runs" --logs "$out/logs" &
pids+=($!)
wait "${pids[-1]}"
fi

if run_part list; then
  before_ref=${LIST_BEFORE:-$(git log --diff-filter=A --format=%H -- shared/src/readmodel/mod.rs | tail -1)^}
  before_dir=$(mktemp -d)
  echo "==> the previous version ($before_ref) of invites-local, built in $before_dir" >&2
  git worktree add --quiet --detach "$before_dir" "$before_ref"
  (cd "$before_dir" && CARGO_TARGET_DIR="$OLDPWD/target/bench-before" cargo build --release --quiet -p invites-local)
  echo "==> the list, before and after ($list_small and $((4 * list_small)) invites, $list_rounds rounds)" >&2
  echo
  echo "### The list: items read, calls and latency, before and after (previous version: \`$(git rev-parse --short "$before_ref")\`)"
  echo
  target/release/listbench --before target/bench-before/release/invites-local --after target/release/invites-local \
    --small "$list_small" --rounds "$list_rounds"
  git worktree remove --force "$before_dir"
  before_dir=""
  echo
fi

if run_part throughput; then
echo
echo "==> local throughput (wrk, $wrk_rounds rounds of $wrk_duration per target)" >&2
unset AWS_ENDPOINT_URL INVITES_TABLE_NAME
local_port=$(free_port)
INVITES_LISTEN="127.0.0.1:$local_port" INVITES_DATA_DIR="$data_dir" RUST_LOG=warn \
  target/release/invites-local > "$out/invites-local.log" 2>&1 &
pids+=($!)
hello_port=$(free_port)
target/release/hello-hyper "127.0.0.1:$hello_port" > "$out/hello-hyper.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$local_port/user-invites" invites-local "$out/invites-local.log"
wait_for "http://127.0.0.1:$hello_port/" hello-hyper "$out/hello-hyper.log"

tenant=$(cat /proc/sys/kernel/random/uuid)
admin=$(cat /proc/sys/kernel/random/uuid)
token=$(target/release/invites-local token --sub "$admin" --tenant "$tenant")
local_url="http://127.0.0.1:$local_port"
invite_id=$(curl -sf "$local_url/user-invites" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{
  "userInvites": { "tenantId": "'"$tenant"'", "userInvites": [
    { "email": "bench@example.com", "firstName": "Bench", "locale": "en-US", "roles": ["member"] } ] },
  "sendEmail": false }' | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["success"][0]["id"])')
for url in "$local_url/user-invites/$invite_id" "$local_url/user-invites"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url" -H "Authorization: Bearer $token")
  [ "$status" = 200 ] || { echo "GET $url answered $status, not 200" >&2; exit 1; }
done

targets=(hello "http://127.0.0.1:$hello_port/"
         get "$local_url/user-invites/$invite_id"
         list "$local_url/user-invites")
for round in $(seq "$wrk_rounds"); do
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    name=${targets[i]} url=${targets[i + 1]}
    echo "    round $round: $name" >&2
    wrk -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_duration" --latency \
      -H "Authorization: Bearer $token" "$url" > "$out/wrk-$name-$round.txt"
  done
done

echo "### Local throughput (wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration --latency; medians of $wrk_rounds interleaved rounds)"
echo
"$venv/bin/python" - "$out" "$wrk_rounds" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def parse(path):
    text = open(path).read()
    if "Non-2xx or 3xx responses" in text or "Socket errors" in text:
        sys.exit(f"{path}: errors or non-2xx answers:\n{text}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {p: float(v) * units[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    return rps, lat["50"], lat["99"]
rows = {}
for name, label in [("hello", "hello-world (bare hyper)"), ("get", "invites-local GET /user-invites/{id}"),
                    ("list", "invites-local GET /user-invites (list, 1 invite)")]:
    samples = [parse(f"{out}/wrk-{name}-{r}.txt") for r in range(1, rounds + 1)]
    rows[name] = (label, *(statistics.median(s[i] for s in samples) for i in range(3)),
                  min(s[0] for s in samples), max(s[0] for s in samples))
base = rows["hello"]
print("| target | requests/s [min–max] | ×hello | p50 ms | p99 ms | p99 ×hello |")
print("|---|---:|---:|---:|---:|---:|")
for label, rps, p50, p99, lo, hi in rows.values():
    print(f"| {label} | {rps:,.0f} [{lo:,.0f}–{hi:,.0f}] | {rps / base[1]:.2f} | {p50:.2f} | {p99:.2f} | {p99 / base[3]:.2f} |")
ratio = rows["get"][1] / base[1]
print()
print("### Target\n")
print(f"- GET by id ≥ 0.5× the hello-world's requests/s: {'met' if ratio >= 0.5 else 'MISSED'} ({ratio:.2f}×)")
PY
fi
echo
echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
