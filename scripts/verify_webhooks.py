"""Verifies webhook requests with the Standard Webhooks reference library.

Reads JSON from stdin: {"secret": "whsec_...", "requests": [{"headers": {...}, "body": "..."}]}.
Without a "secret", the bodies are only parsed (the EventBridge events of tests/lambda,
which carry no signature). Each payload is also validated against openapi.yaml's `InviteEvent` schema (jsonschema,
as Schemathesis validates responses). Prints the verified payloads' `type`s, one per
line; exits 1 at the first request whose signature or shape does not verify
(tests/api/webhooks.rs and tests/lambda/events.rs run it).
"""

import json
import pathlib
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from standardwebhooks.webhooks import Webhook

SPEC = yaml.safe_load((pathlib.Path(__file__).parent.parent / "openapi.yaml").read_text())
REGISTRY = Registry().with_resource("urn:spec", Resource(contents=SPEC, specification=DRAFT202012))
EVENT = Draft202012Validator(
    {"$ref": "urn:spec#/components/schemas/InviteEvent"},
    registry=REGISTRY,
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)

data = json.load(sys.stdin)
hook = Webhook(data["secret"]) if data.get("secret") else None
for request in data["requests"]:
    try:
        payload = hook.verify(request["body"], request["headers"]) if hook else json.loads(request["body"])
    except Exception as error:  # the library's WebhookVerificationError, or a bad header
        print(f"not verified: {error!r}", file=sys.stderr)
        sys.exit(1)
    faults = [f"{list(e.path)}: {e.message}" for e in EVENT.iter_errors(payload)]
    if faults:
        print(f"not an InviteEvent of openapi.yaml: {faults}", file=sys.stderr)
        sys.exit(1)
    print(payload["type"])
