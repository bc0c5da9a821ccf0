"""Prints, as shell `export` lines, the environment `cargo lambda watch` gives the
functions: `[workspace.metadata.lambda.watch] env` in Cargo.toml. The scripts that start
and seed its local DynamoDB read it from here, so they never disagree with the watch.

    eval "$(python3 scripts/watch_env.py)"
"""

import json
import os
import shlex
import subprocess

metadata = json.loads(
    subprocess.run(
        [os.environ.get("CARGO", "cargo"), "metadata", "--no-deps", "--format-version", "1"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
for name, value in metadata["metadata"]["lambda"]["watch"]["env"].items():
    print(f"export {name}={shlex.quote(value)}")
