"""Checks openapi.yaml before Schemathesis uses it: a valid OpenAPI 3.1 document, and
every example in it valid against the schema it illustrates (parameters, request
bodies, responses), so the examples a reader copies are requests the API accepts and
answers it gives.

usage: python scripts/check_openapi.py [openapi.yaml]
"""

from __future__ import annotations

import sys

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def main(path: str) -> int:
    with open(path, encoding="utf-8") as file:
        spec = yaml.safe_load(file)
    try:
        validate(spec)
    except Exception as error:  # the validator's own errors carry the whole document
        print(f"openapi.yaml is not a valid OpenAPI document: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    registry = Registry().with_resource("urn:spec", Resource(contents=spec, specification=DRAFT202012))

    def follow(node):
        """The node a local `$ref` points to (through any chain of them)."""
        while isinstance(node, dict) and "$ref" in node:
            target = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def absolute(schema):
        if isinstance(schema, dict):
            return {k: f"urn:spec{v}" if k == "$ref" and v.startswith("#") else absolute(v) for k, v in schema.items()}
        if isinstance(schema, list):
            return [absolute(item) for item in schema]
        return schema

    problems: list[str] = []
    checked = 0

    def check(where: str, schema: dict, holder: dict) -> None:
        nonlocal checked
        examples = []
        if "example" in holder:
            examples.append(("example", holder["example"]))
        for name, example in (holder.get("examples") or {}).items():
            examples.append((name, follow(example).get("value")))
        validator = Draft202012Validator(
            absolute(schema), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for name, value in examples:
            checked += 1
            for error in validator.iter_errors(value):
                problems.append(f"{where} example {name!r}: {error.message} at {list(error.absolute_path)}")

    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "options", "head", "patch", "trace"}:
                continue
            where = f"{method.upper()} {path}"
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                parameter = follow(parameter)
                check(f"{where} parameter {parameter['name']}", parameter["schema"], parameter)
            body = follow(operation.get("requestBody", {}))
            for media, content in (body.get("content") or {}).items():
                check(f"{where} request {media}", content["schema"], content)
            for status, response in operation["responses"].items():
                response = follow(response)
                for media, content in (response.get("content") or {}).items():
                    check(f"{where} {status} {media}", content["schema"], content)

    for problem in problems:
        print(f"openapi.yaml: {problem}", file=sys.stderr)
    print(f"openapi.yaml: a valid OpenAPI {spec['openapi']} document; {checked} examples checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "openapi.yaml"))
