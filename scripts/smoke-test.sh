#!/usr/bin/env bash
# Smoke test of a running API: the deploy workflow runs it against the staging stack's
# ApiUrl before production is deployed, and against production after; scripts/test.sh
# runs it against invites-local.
#   - GET <url>/user-invites without a token answers 401 (problem+json UNAUTHENTICATED
#     from the function; API Gateway's own JSON when its JWT authorizer refuses first);
#   - GET <url>/openapi.json answers 200 with the API description.
# A fresh deployment may take a few seconds to answer: each check is retried for up to
# SMOKE_SECONDS (default 60).
#
#   scripts/smoke-test.sh https://abcde12345.execute-api.us-east-1.amazonaws.com/
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: scripts/smoke-test.sh API_URL" >&2
  exit 2
fi
python3 - "$1" "${SMOKE_SECONDS:-60}" <<'PY'
import json, sys, time, urllib.error, urllib.request

base, budget = sys.argv[1].rstrip("/"), float(sys.argv[2])

def get(path):
    request = urllib.request.Request(base + path, headers={"accept": "application/json"})
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as e:
        response = e
    return response.status, response.headers.get("content-type", ""), response.read()

def check(name, path, ok):
    deadline = time.monotonic() + budget
    while True:
        try:
            status, kind, body = get(path)
            if ok(status, kind, body):
                print(f"smoke: {name}: ok ({status})")
                return
            seen = f"{status} {kind} {body[:200]!r}"
        except Exception as e:  # not answering yet
            seen = repr(e)
        if time.monotonic() > deadline:
            sys.exit(f"smoke: {name}: GET {base}{path} answered {seen}")
        time.sleep(3)

check(
    "an unauthenticated list is refused",
    "/user-invites",
    lambda status, kind, body: status == 401
    and (not kind.startswith("application/problem+json") or json.loads(body)["code"] == "UNAUTHENTICATED"),
)
check(
    "the API description is served",
    "/openapi.json",
    lambda status, kind, body: status == 200
    and kind.startswith("application/json")
    and json.loads(body)["info"]["title"] == "User Invites API",
)
PY
