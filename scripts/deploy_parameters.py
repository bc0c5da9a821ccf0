"""Writes the parameter overrides of one `sam deploy` as a YAML file (in JSON syntax,
which YAML reads as is; SAM takes no .json here), from environment
variables named CFN_PARAMETER_<TemplateParameter> (the deploy workflow sets them from
GitHub secrets and variables, through `env:`).

- Only variables that are set and non-empty are written. Every other parameter keeps
  the value the stack already has (SAM deploys it with UsePreviousValue), so a secret or
  variable missing from a GitHub environment never resets a parameter.
- Values travel through a file, never a command line, and are escaped for SAM's own
  parsing (samcli.cli.types._unquote_wrapped_quotes), so a secret holding spaces,
  quotes, `$` or backslashes arrives byte for byte (scripts/test_deploy_parameters.py
  proves it with SAM's parser).
- A name that is not a parameter of the template fails, since a typo would otherwise
  deploy nothing and say nothing.

    python3 scripts/deploy_parameters.py template.yaml > "$RUNNER_TEMP/parameters.yaml"
    sam deploy --config-env staging --parameter-overrides "file://$RUNNER_TEMP/parameters.yaml"
"""

import json
import os
import re
import sys

import yaml

PREFIX = "CFN_PARAMETER_"


def template_parameters(path):
    """The template's parameter names (its CloudFormation tags read as nothing)."""
    loader = type("TemplateLoader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    with open(path, encoding="utf-8") as f:
        return set(yaml.load(f, Loader=loader).get("Parameters", {}))


def quoted(value):
    """`value` as SAM's unquoting must see it to give back `value`: it strips one pair
    of wrapping quotes, then turns backslash-space, backslash-quote and
    backslash-apostrophe into the bare character. So: always wrap, and double each
    backslash that stands before one of those three."""
    return '"' + re.sub(r"\\(?=[ \"'])", r"\\\\", value) + '"'


def for_sam(value):
    """SAM (1.170) unquotes a value read from a file twice: once parsing the file, once
    more on the way out of the command line's value that named the file."""
    return quoted(quoted(value))


def overrides(environ, parameters):
    chosen = {}
    for name, value in sorted(environ.items()):
        if not name.startswith(PREFIX):
            continue
        parameter = name[len(PREFIX) :]
        if parameter not in parameters:
            sys.exit(f"{name}: the template has no parameter {parameter!r} (it has {', '.join(sorted(parameters))})")
        if value != "":
            chosen[parameter] = for_sam(value)
    return chosen


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    chosen = overrides(os.environ, template_parameters(sys.argv[1]))
    json.dump(chosen, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    # The names only, for the job's log: never the values.
    print(f"parameters set: {', '.join(chosen) or 'none'}; every other keeps its value", file=sys.stderr)


if __name__ == "__main__":
    main()
