#!/usr/bin/env bash
# Deploys the prebuilt functions (target/lambda/<fn>/bootstrap, from
# `cargo lambda build --release --arm64`) to one stage: the samconfig.toml environment of
# that name (its own stack). The deploy workflow runs it for staging, then production.
#
#   scripts/deploy.sh STAGE [--dry-run]
#
#   - checks that every function of the template has its arm64 bootstrap;
#   - copies ./email-templates/ (if any) into the mailer's package;
#   - writes the parameter overrides from CFN_PARAMETER_<Parameter> variables into a
#     private temporary file (scripts/deploy_parameters.py: only those set, so nothing
#     else is reset; values byte for byte, never on a command line);
#   - sam deploy --config-env STAGE with them, then prints the stack's ApiUrl (and
#     writes api_url to $GITHUB_OUTPUT in a workflow).
# --dry-run stops before anything that needs AWS: it prints the sam deploy command it
# would run, and the names (never the values) of the parameters it would set.
set -euo pipefail
cd "$(dirname "$0")/.."

stage=${1:?usage: scripts/deploy.sh STAGE [--dry-run]}
dry_run=false
case "${2:-}" in
  "") ;;
  --dry-run) dry_run=true ;;
  *) echo "usage: scripts/deploy.sh STAGE [--dry-run]" >&2; exit 2 ;;
esac
export PATH="$PWD/.venv/bin:$PATH"

stack=$(python3 - "$stage" <<'PY'
import sys, tomllib
config = tomllib.load(open("samconfig.toml", "rb"))
stage = sys.argv[1]
if stage == "default" or stage not in config:
    sys.exit(f"samconfig.toml has no environment {stage!r} to deploy (it has {', '.join(k for k in config if k != 'version')})")
print(config[stage]["global"]["parameters"]["stack_name"])
PY
)

# Every function's CodeUri must hold its bootstrap, built for arm64.
python3 - <<'PY'
import re, sys
template = open("template.yaml").read()
missing = []
for uri in re.findall(r"^\s+CodeUri: (target/lambda/[a-z0-9-]+/)$", template, re.M):
    try:
        with open(uri + "bootstrap", "rb") as f:
            header = f.read(20)
    except FileNotFoundError:
        missing.append(f"{uri}bootstrap is missing")
        continue
    # ELF, 64-bit, machine EM_AARCH64 (183) at offset 18.
    if header[:4] != b"\x7fELF" or header[4] != 2 or int.from_bytes(header[18:20], "little") != 183:
        missing.append(f"{uri}bootstrap is not an arm64 Linux binary")
if missing:
    sys.exit("run `cargo lambda build --release --arm64` first:\n  " + "\n  ".join(missing))
PY

# The operator's email templates (README: The invitation email), packaged with the mailer,
# which reads them from EmailTemplatesDir (/var/task/email-templates).
if [ -d email-templates ]; then
  rm -rf target/lambda/invite-mailer/email-templates
  cp -R email-templates target/lambda/invite-mailer/email-templates
  echo "packaged email-templates/ with the mailer (set EmailTemplatesDir=/var/task/email-templates)"
fi

parameters=$(mktemp --suffix=.yaml)
trap 'rm -f "$parameters"' EXIT
chmod 600 "$parameters"
.venv/bin/python scripts/deploy_parameters.py template.yaml > "$parameters"

command=(sam deploy --config-env "$stage" --parameter-overrides "file://$parameters")
if $dry_run; then
  echo "dry run of stage $stage (stack $stack); would run:"
  printf '  %q' "${command[@]}"
  echo
  exit 0
fi
"${command[@]}"

api_url=$(sam list stack-outputs --stack-name "$stack" --output json | python3 -c '
import json, sys
print(next(o["OutputValue"] for o in json.load(sys.stdin) if o["OutputKey"] == "ApiUrl"))')
echo "stage $stage (stack $stack): $api_url"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "api_url=$api_url" >> "$GITHUB_OUTPUT"
fi
