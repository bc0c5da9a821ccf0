"""Proves scripts/deploy_parameters.py against SAM's own parser (the pinned aws-sam-cli in
.venv): every value, however hostile to a shell or to SAM's unquoting, comes out of
`sam deploy --parameter-overrides file://...` exactly as it went in; unset and empty
variables are left out (so the stack keeps their previous values); an unknown parameter
name fails. Run by scripts/test.sh:

    .venv/bin/python scripts/test_deploy_parameters.py
"""

import json
import os
import random
import subprocess
import sys
import tempfile

from samcli.cli.types import CfnParameterOverridesType

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import deploy_parameters  # noqa: E402

HOSTILE = [
    "a secret with spaces",
    "$HOME and ${AWS_REGION} and $(id) and `id`",
    "quote\"double and quote'single",
    '"wrapped in double quotes"',
    "'wrapped in single quotes'",
    "back\\slash, \\ space, \\\" quote, \\' apostrophe, trailing\\",
    "\\\\ \\\\\" \\\\'",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
    "key=value,Other=thing ParameterKey=X,ParameterValue=Y",
    "https://app.example.com/accept?token={token}&x=1",
    "é ü ß 漢字 🙂",
    "#not a comment",
    " leading and trailing spaces ",
]


def through_sam(values):
    """Writes the overrides file as the deploy workflow does and parses it as `sam
    deploy` does."""
    environ = {f"{deploy_parameters.PREFIX}{name}": value for name, value in values.items()}
    chosen = deploy_parameters.overrides(environ, set(values))
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        json.dump(chosen, f, ensure_ascii=False)
    try:
        return CfnParameterOverridesType().convert(f"file://{f.name}", None, None)
    finally:
        os.unlink(f.name)


def main():
    for value in HOSTILE:
        assert through_sam({"JwtPublicKey": value}) == {"JwtPublicKey": value}, repr(value)

    alphabet = ["\\", '"', "'", " ", "$", "a", "=", ",", "\n", "{", "}"]
    generator = random.Random(12)
    for _ in range(3000):
        value = "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 12)))
        assert through_sam({"AcceptUrl": value}) == {"AcceptUrl": value}, repr(value)

    # Unset or empty: left out, so the stack keeps the value it has.
    environ = {"CFN_PARAMETER_SenderEmail": "", "CFN_PARAMETER_AcceptUrl": "https://a.example/?t={token}"}
    chosen = deploy_parameters.overrides(environ, {"SenderEmail", "AcceptUrl", "JwtPublicKey"})
    assert list(chosen) == ["AcceptUrl"], chosen

    # The real template's names, and a typo that fails loudly.
    names = deploy_parameters.template_parameters(os.path.join(ROOT, "template.yaml"))
    assert {"JwtSecretParameter", "JwtJwksUrl", "SenderEmail", "AcceptUrl", "CorsAllowedOrigins"} <= names, names
    typo = subprocess.run(
        [sys.executable, os.path.join(HERE, "deploy_parameters.py"), os.path.join(ROOT, "template.yaml")],
        env={**os.environ, "CFN_PARAMETER_SenderEmial": "x@example.com"},
        capture_output=True,
        text=True,
    )
    assert typo.returncode != 0 and "SenderEmial" in typo.stderr, typo
    print(f"deploy parameters: {len(HOSTILE)} hostile values and 3000 random ones arrive intact through SAM's parser")


if __name__ == "__main__":
    main()
