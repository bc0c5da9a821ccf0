"""Schemathesis hooks and checks for scripts/schemathesis.sh.

Schemathesis generates requests from openapi.yaml; these hooks steer a few of them
towards the data a real caller has, without making any request invalid that was valid
(or valid that was not):

- A generated `tenantId` is another tenant than the token's, and a generated
  `createdByUserId` another user than the token's `sub`: for a user, both are a 403,
  which the spec documents. To reach the success path (and the links that chain send
  to get/update/resend/cancel), about half of a user's sends that carry a well-formed
  `tenantId` get the token's tenant instead, their well-formed `createdByUserId`s
  the token's user, and their invitees' roles `["editor"]`, which the token holds (the
  role policy makes any other role a per-invitee 403). A super admin (the second run, `INVITES_ST_SUPER_ADMIN=1`) may
  invite into any tenant for anyone, so its generated values are kept. About half of
  all sends get their generated `Idempotency-Key` (short ones recur, with other bodies:
  422) suffixed with their body's hash.
- A generated list `cursor` is never one the server issued, so a schema-valid request
  carrying one is a 400 (`cursor` "is not a cursor of this query"). Positive list
  requests drop it.
- A super admin whose token names no tenant must pass `tenantId` to list (openapi.yaml,
  userInvites); the super admin's positive list requests without one name the run's
  tenant. (Once a super admin lists across tenants without it, as issue 10 asks, this
  steering goes, and that path is fuzzed too.)
- A generated invite id names no invite (404). About half of the get, update, resend
  and cancel requests carrying a well-formed id name one of the latest pending
  invites seen in responses instead.
- Invite tokens are never returned except inside `acceptUrl` (sendEmail: false). The
  tokens seen there are recorded, and about half of the accept and check-token
  requests carrying a well-formed token use a recorded one instead (an accept: the
  token of an invite created for it, `sendEmail: false`, so that it is pending), so accept's
  200/409/410 answers are reached too. A user may only accept for itself, so a
  well-formed `acceptedByUserId` of such a request becomes the token's user; a super
  admin's is kept.

And one check replaces `negative_data_rejection` for sendUserInvites, where the spec
says that a fault of one invitee's *value* fails only that invitee (200, reported in
`errors`), while a fault of the request's *shape* fails it whole (400):
`send_reports_each_invitee`. One body-level value rule is not in the schema's shape:
a number that cannot be kept exactly (an integer beyond 64 bits) refuses the whole
body, wherever it is; the check accepts that 400 only when the body holds one.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import threading
import urllib.parse
import urllib.request
import uuid

import schemathesis
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

TENANT = os.environ["INVITES_ST_TENANT"]
USER = os.environ["INVITES_ST_USER"]
# The run's token is a super admin's (no tenant): no tenant or user is its own to steer to.
SUPER_ADMIN = os.environ.get("INVITES_ST_SUPER_ADMIN") == "1"
SPEC_URL = os.environ["INVITES_ST_SPEC_URL"]

with urllib.request.urlopen(SPEC_URL, timeout=10) as answer:
    SPEC = json.load(answer)

_registry = Registry().with_resource("urn:spec", Resource(contents=SPEC, specification=DRAFT202012))


def _validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, registry=_registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _ref(name: str) -> dict:
    return {"$ref": f"urn:spec#/components/schemas/{name}"}


def _absolute(schema):
    """A copy of a schema from the spec whose `#/...` references point into the spec."""
    if isinstance(schema, dict):
        return {
            key: f"urn:spec{value}" if key == "$ref" and value.startswith("#") else _absolute(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_absolute(item) for item in schema]
    return schema


# A valid invitee, and the whole send request with only the invitees' *shape* checked:
# what the request must be for the server to read it at all.
INVITEE = _validator(_ref("Invitee"))
_send_shape = _absolute(SPEC["components"]["schemas"]["SendUserInvitesRequest"])
_send_shape["properties"]["userInvites"]["properties"]["userInvites"]["items"] = _ref("InviteeShape")
SEND_SHAPE = _validator(_send_shape)
UUID = _validator({"type": "string", "format": "uuid"})
TOKEN = _validator(_ref("InviteToken"))
IDEMPOTENCY_KEY = _validator(SPEC["components"]["parameters"]["IdempotencyKey"]["schema"])


def _operation_id(operation) -> str | None:
    return operation.definition.raw.get("operationId") if operation is not None else None


def _coin(*parts) -> bool:
    """A fair coin that depends only on the case's content, so a run is reproducible from its seed."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).digest()[0] % 2 == 0


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


_seen_lock = threading.Lock()
# Tokens handed out in `acceptUrl`, and the ids of the latest pending invites.
_tokens: collections.deque[str] = collections.deque(maxlen=10)
_pending_ids: collections.deque[str] = collections.deque(maxlen=20)


@schemathesis.hook
def after_call(context, case, response):
    """Records the invite tokens handed out in `acceptUrl` and the ids of pending invites."""
    if response.status_code != 200:
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        return
    if not isinstance(body, dict):
        return
    invites = body.get("success") or body.get("data") or [body]
    for invite in invites:
        if not isinstance(invite, dict):
            continue
        url = invite.get("acceptUrl")
        token = None
        if isinstance(url, str):
            token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token", [None])[0]
        with _seen_lock:
            if token:
                _tokens.append(token)
            if invite.get("status") == "pending" and isinstance(invite.get("id"), str):
                _pending_ids.append(invite["id"])


def _recorded(seen: collections.deque[str], *parts) -> str | None:
    with _seen_lock:
        if not seen:
            return None
        index = int.from_bytes(hashlib.sha256(json.dumps(parts, default=repr).encode()).digest()[:4], "big")
        return seen[index % len(seen)]


BASE_URL = SPEC_URL.rsplit("/openapi.json", 1)[0]
RUN_TOKEN = os.environ["INVITES_ST_TOKEN"]


def _fresh_token() -> str | None:
    """The token of an invite created for this accept alone (`sendEmail: false`, a role
    the user run's token holds): pending and current, whatever the run did to the
    invites it created, so accept's 200 is reached in every run. `None` if the send
    did not answer one."""
    body = {
        "userInvites": {
            "tenantId": TENANT,
            "userInvites": [{"email": f"accept-{uuid.uuid4().hex}@example.com", "roles": ["editor"]}],
        },
        "sendEmail": False,
    }
    request = urllib.request.Request(
        f"{BASE_URL}/user-invites",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {RUN_TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            created = json.load(answer)
        url = created["success"][0]["acceptUrl"]
        return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["token"][0]
    except Exception:  # any failure: the caller falls back to a recorded token
        return None


def _newest_unused_token() -> str | None:
    """The token handed out last that no steered accept has used yet: the likeliest to
    still be pending (not resent, canceled or accepted since), so accept's 200 is
    reached in every run, not only in the lucky ones (a pick among the last ten reached
    it twice in 239 super-admin accepts, and once not at all)."""
    with _seen_lock:
        return _tokens.pop() if _tokens else None


@schemathesis.hook
def map_case(context, case):
    operation = _operation_id(case.operation)
    body = case.body
    if operation == "sendUserInvites" and isinstance(body, dict) and _coin(body):
        key = case.headers.get("Idempotency-Key") if case.headers else None
        if isinstance(key, str) and IDEMPOTENCY_KEY.is_valid(key):
            # Short generated keys recur with other bodies (422); this one names its body.
            case.headers["Idempotency-Key"] = (key + "-" + hashlib.sha256(repr(body).encode()).hexdigest())[-255:]
        envelope = body.get("userInvites")
        if not SUPER_ADMIN and isinstance(envelope, dict) and UUID.is_valid(envelope.get("tenantId")):
            envelope["tenantId"] = TENANT
            for invitee in envelope.get("userInvites") or []:
                if isinstance(invitee, dict) and UUID.is_valid(invitee.get("createdByUserId")):
                    invitee["createdByUserId"] = USER
                # The role policy: a user grants only the roles its token holds
                # (schemathesis.sh mints it with `editor`); generated roles are a 403 each.
                if isinstance(invitee, dict) and isinstance(invitee.get("roles"), list):
                    invitee["roles"] = ["editor"]
    elif operation == "userInvites" and _is_positive(case):
        if case.query:
            case.query.pop("cursor", None)
        if SUPER_ADMIN and not (case.query or {}).get("tenantId"):
            case.query = {**(case.query or {}), "tenantId": TENANT}
    elif operation == "acceptUserInvite" and isinstance(body, dict):
        inner = body.get("acceptUserInvite")
        if isinstance(inner, dict) and TOKEN.is_valid(inner.get("token")) and _coin(body):
            inner["token"] = _fresh_token() or _newest_unused_token() or inner["token"]
            if not SUPER_ADMIN and UUID.is_valid(inner.get("acceptedByUserId")):
                inner["acceptedByUserId"] = USER
    elif operation == "checkUserInviteToken" and isinstance(body, dict):
        if TOKEN.is_valid(body.get("token")) and _coin(body):
            body["token"] = _recorded(_tokens, body) or body["token"]
    if operation in {"userInvite", "updateUserInvite", "resendUserInvite", "cancelUserInvite"}:
        parameters = case.path_parameters or {}
        if UUID.is_valid(parameters.get("id")) and _coin(parameters, body):
            parameters["id"] = _recorded(_pending_ids, parameters, body) or parameters["id"]
    return case


def _field_errors(response) -> list[str]:
    try:
        problem = json.loads(response.content)
        return [e.get("field") for e in problem.get("errors", [])]
    except (ValueError, AttributeError):
        return []


INEXACT = "must be a number that can be kept exactly"


def _holds_inexact_number(value) -> bool:
    """Whether a JSON value holds a number the service cannot keep exactly: Python writes
    its floats in their shortest round-trip form (always kept), so only integers beyond
    64 bits are such numbers."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not (-(2**63) <= value < 2**64)
    if isinstance(value, dict):
        return any(_holds_inexact_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_inexact_number(v) for v in value)
    return False


@schemathesis.check
def send_reports_each_invitee(ctx, response, case):
    """sendUserInvites: a shape fault fails the whole request; a value fault only its invitee."""
    if _operation_id(case.operation) != "sendUserInvites":
        return None
    body = case.body
    status = response.status_code
    if status == 400:
        if "Idempotency-Key" in _field_errors(response):
            return None
        if _holds_inexact_number(body) and INEXACT in response.content.decode(errors="replace"):
            # A body-level rule (openapi.yaml, CustomData): read before any invitee is.
            return None
        if isinstance(body, dict) and SEND_SHAPE.is_valid(body):
            raise AssertionError(
                "A request of valid shape failed as a whole; a bad value of one invitee must fail only that "
                f"invitee.\nProblem: {response.content.decode(errors='replace')}"
            )
        return None
    if status != 200:
        return None
    if not SEND_SHAPE.is_valid(body):
        fault = next(iter(SEND_SHAPE.iter_errors(body)))
        raise AssertionError(f"A request of invalid shape was accepted: {fault.message} at {list(fault.path)}")
    answer = json.loads(response.content)
    rejected = {e["index"]: e["code"] for e in answer["errors"]}
    invitees = body["userInvites"]["userInvites"]
    for index, invitee in enumerate(invitees):
        if not INVITEE.is_valid(invitee) and rejected.get(index) != "VALIDATION_FAILED":
            fault = next(iter(INVITEE.iter_errors(invitee)))
            raise AssertionError(
                f"Invitee {index} breaks a value rule ({fault.message} at {list(fault.path)}) "
                f"but was not reported with VALIDATION_FAILED (got {rejected.get(index)})"
            )
        if _is_positive(case) and rejected.get(index) == "VALIDATION_FAILED":
            raise AssertionError(f"Invitee {index} is valid by the spec but was rejected: {answer['errors']}")
    if len(answer["success"]) + len(answer["errors"]) != len(invitees):
        raise AssertionError("Every invitee must be in success or in errors, exactly once")
    return None


@schemathesis.check
class reaches_every_operation:
    """Fails the run if an operation never answered 2xx: then its success path went untested."""

    def __init__(self):
        self.tested = set()
        self.reached = set()

    def after_response(self, ctx, response, case):
        self.tested.add(case.operation.label)
        if 200 <= response.status_code < 300:
            self.reached.add(case.operation.label)

    def after_run(self, ctx):
        never = self.tested - self.reached
        if never:
            raise AssertionError("never answered 2xx: " + ", ".join(sorted(never)))

