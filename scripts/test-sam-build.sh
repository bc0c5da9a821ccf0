#!/usr/bin/env bash
# Checks that `sam build` (the pinned SAM CLI) packages the prebuilt functions and
# compiles nothing: in a scratch copy of the project holding a stand-in bootstrap per
# function, sam build runs twice, skips every function ("pre-built"), and its built
# template points each function at that function's target/lambda/<crate>/ folder.
# What a real build costs is measured in docs/BENCHMARKS.md, not here.
set -euo pipefail
cd "$(dirname "$0")/.."

export SAM_CLI_TELEMETRY=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp template.yaml samconfig.toml "$scratch/"
functions=$(grep -oE '^\s+CodeUri: target/lambda/[a-z0-9-]+/$' template.yaml | sed -E 's/.*target\/lambda\/([a-z0-9-]+)\//\1/')
for fn in $functions; do
  mkdir -p "$scratch/target/lambda/$fn"
  printf 'stand-in for %s\n' "$fn" > "$scratch/target/lambda/$fn/bootstrap"
done

for run in first second; do
  (cd "$scratch" && "$OLDPWD/.venv/bin/sam" build --region us-east-1) > "$scratch/sam-build-$run.log" 2>&1 || {
    cat "$scratch/sam-build-$run.log" >&2
    exit 1
  }
done

.venv/bin/python - "$scratch" $functions <<'PY'
import os, re, sys
import yaml

scratch, functions = sys.argv[1], sys.argv[2:]
loader = type("TemplateLoader", (yaml.SafeLoader,), {})
loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
built = yaml.load(open(os.path.join(scratch, ".aws-sam/build/template.yaml")), Loader=loader)
built_dir = os.path.join(scratch, ".aws-sam/build")
seen = set()
for name, resource in built["Resources"].items():
    if resource["Type"] != "AWS::Serverless::Function":
        continue
    code = os.path.normpath(os.path.join(built_dir, resource["Properties"]["CodeUri"]))
    match = re.fullmatch(re.escape(os.path.join(scratch, "target/lambda/")) + r"([a-z0-9-]+)", code)
    assert match, f"{name}: the built template packages {code}, not a prebuilt target/lambda/<crate>/"
    assert os.path.isfile(os.path.join(code, "bootstrap")), f"{name}: no bootstrap in {code}"
    seen.add(match.group(1))
assert seen == set(functions), f"built {sorted(seen)}, template has {sorted(functions)}"
for run in ("first", "second"):
    log = open(os.path.join(scratch, f"sam-build-{run}.log")).read()
    for word in ("cargo", "Building codeuri"):
        assert word not in log, f"sam build ({run} run) compiled something: {word!r} in\n{log}"
print(f"sam build: {len(seen)} prebuilt functions packaged, nothing compiled, twice")
PY
