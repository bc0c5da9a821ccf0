#!/usr/bin/env bash
# A local DynamoDB (and SES) for `cargo lambda watch` and `sam local invoke`: moto (from
# .venv) on the port of AWS_ENDPOINT_URL in Cargo.toml's [workspace.metadata.lambda.watch]
# env (127.0.0.1:8000), then the table (with its stream) holding the fixtures the sample
# events in events/ act on (`invites-local seed-fixtures`). Runs until Ctrl-C.
#
#   scripts/local-dynamodb.sh               moto on 127.0.0.1:8000, seeded
#   LISTEN=0.0.0.0 scripts/local-dynamodb.sh
#                                           also reachable from sam local's containers (Linux)
#   scripts/local-dynamodb.sh seed [--queued]
#                                           while it runs: start the table afresh, e.g. between
#                                           two invocations that change the same invite
#                                           (--queued: for events/invite-mailer/queued.json)
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(python3 scripts/watch_env.py)"
seed() {
  cargo run -q -p invites-local -- seed-fixtures "$@"
}
if [ "${1:-}" = "seed" ]; then
  shift
  seed "$@"
  exit 0
fi

scripts/install-test-tools.sh
port="${AWS_ENDPOINT_URL##*:}"
listen="${LISTEN:-127.0.0.1}"
.venv/bin/python scripts/moto_server.py "$listen" "$port" &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
.venv/bin/python - "$AWS_ENDPOINT_URL" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"{sys.argv[1]}/moto-api/", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(f"moto did not start at {sys.argv[1]}")
PY
seed
# The mailer's retry queue, named by INVITES_MAIL_RETRY_QUEUE_URL in the watch's env.
.venv/bin/python - "$AWS_ENDPOINT_URL" "$INVITES_MAIL_RETRY_QUEUE_URL" <<'PY'
import sys, boto3
sqs = boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
sqs.create_queue(QueueName=sys.argv[2].rsplit("/", 1)[1])
PY
echo "local DynamoDB and SES at $AWS_ENDPOINT_URL (table $INVITES_TABLE_NAME); now, in another terminal:"
echo "  cargo lambda watch"
echo "  cargo lambda invoke get-user-invite --data-file events/get-user-invite/success.json"
echo "reseed with: scripts/local-dynamodb.sh seed     stop with: Ctrl-C"
wait "$moto_pid"
