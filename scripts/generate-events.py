"""Writes events/<function>/{success,error}.json: API Gateway HTTP API (payload 2.0)
events, valid input for `sam local invoke` and `cargo lambda invoke`, and the fixtures of
tests/lambda; events/openapi-document/success.json (GET /openapi.json);
events/invite-mailer/queued.json, the DynamoDB stream batch the mailer function takes;
events/invite-expiry-sweep/scheduled.json, the schedule's event;
and events/env.json, the variables `sam local invoke --env-vars` gives every function
(the same table, secret and emulator port as `cargo lambda watch`'s, from the container).

They act on fixed fixtures (events/fixtures.json): a tenant, a user, and an invite with a
known token, which the tests seed before each event. The bearer tokens are HS256 JWTs
signed with invites-local's development secret (events/env.json), expiring in 2100.

    python3 scripts/generate-events.py
"""

import base64
import hashlib
import hmac
import json
import pathlib
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
SECRET = "invites-local-development-secret-do-not-use-in-production"
TENANT = "ee764883-5d2b-4f4e-9c51-2a4b7f3f1c6d"
OTHER_TENANT = "2f9d3c1e-8b7a-4e6f-9d5c-4b3a2f1e0d9c"
USER = "530c9a92-1f3e-4b8d-a6c2-9e7f5d4c3b2a"
INVITE = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
SECOND_INVITE = "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
EXP = 4102444800  # 2100-01-01


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims: dict) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


# The invite token: base64url(invite id ‖ 32 bytes), as the service issues them.
TOKEN = b64url(uuid.UUID(INVITE).bytes + bytes(range(1, 33)))
USER_JWT = jwt({"sub": USER, "tenantId": TENANT, "roles": ["content-creator"], "exp": EXP})
OTHER_TENANT_JWT = jwt({"sub": str(uuid.UUID(int=1)), "tenantId": OTHER_TENANT, "exp": EXP})
INVITEE_JWT = jwt({"sub": str(uuid.UUID(int=2)), "exp": EXP})


def event(method, path, route, body=None, token=USER_JWT, query="", path_parameters=None):
    headers = {
        "accept": "application/json",
        "content-type": "application/json",
        "host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "user-agent": "curl/8.5.0",
    }
    if token:
        headers["authorization"] = f"Bearer {token}"
    result = {
        "version": "2.0",
        "routeKey": f"{method} {route}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "a1b2c3d4e5",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "curl/8.5.0",
            },
            "requestId": "Kx7mHjQ3IAMEV1A=",
            "routeKey": f"{method} {route}",
            "stage": "$default",
            "time": "24/Nov/2026:23:00:00 +0000",
            "timeEpoch": 1795561200000,
        },
        "isBase64Encoded": False,
    }
    if query:
        result["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    if path_parameters:
        result["pathParameters"] = path_parameters
    if body is not None:
        result["body"] = json.dumps(body)
    return result


def by_id(method, suffix, invite, **kwargs):
    route = "/user-invites/{id}" + suffix
    return event(method, f"/user-invites/{invite}{suffix}", route, path_parameters={"id": invite}, **kwargs)


send = {
    "userInvites": {
        "tenantId": TENANT,
        "userInvites": [
            {
                "email": "wick.john@gmail.com",
                "firstName": "John",
                "lastName": "Wick",
                "locale": "en-US",
                "roles": ["content-creator"],
                "data": {"team": "a"},
                "createdByUserId": USER,
            }
        ],
    },
    "sendEmail": False,
}

EVENTS = {
    "send-user-invites": (
        event("POST", "/user-invites", "/user-invites", send),
        # Another tenant's user may not invite into this tenant: 403.
        event("POST", "/user-invites", "/user-invites", send, token=OTHER_TENANT_JWT),
    ),
    "resend-user-invite": (
        by_id("POST", "/resend", INVITE, body={"sendEmail": False}),
        # No such invite: 404.
        by_id("POST", "/resend", str(uuid.UUID(int=3)), body={}),
    ),
    "cancel-user-invite": (
        by_id("POST", "/cancel", SECOND_INVITE, body={}),
        # Another tenant's invite reads as not found: 404.
        by_id("POST", "/cancel", SECOND_INVITE, body={}, token=OTHER_TENANT_JWT),
    ),
    "accept-user-invite": (
        event("POST", "/user-invites/accept", "/user-invites/accept", {"acceptUserInvite": {"token": TOKEN}}, token=INVITEE_JWT),
        # Not a token we issued: 404.
        event("POST", "/user-invites/accept", "/user-invites/accept", {"acceptUserInvite": {"token": "not-a-token"}}, token=INVITEE_JWT),
    ),
    "check-user-invite-token": (
        event("POST", "/user-invites/check-token", "/user-invites/check-token", {"token": TOKEN}, token=None),
        # A body without a token: 400.
        event("POST", "/user-invites/check-token", "/user-invites/check-token", {"tokn": TOKEN}, token=None),
    ),
    "update-user-invite": (
        by_id("PATCH", "", INVITE, body={"userInvite": {"firstName": "Fast", "lastName": "Ninja", "locale": "id-ID", "data": {"address": "Brosot ST."}}}),
        # `status` is read-only: 400.
        by_id("PATCH", "", INVITE, body={"userInvite": {"status": "accepted"}}),
    ),
    "list-user-invites": (
        event("GET", "/user-invites", "/user-invites", query="status=pending&sort=email&order=asc&limit=10"),
        # limit is 1..100: 400.
        event("GET", "/user-invites", "/user-invites", query="limit=1000"),
    ),
    "get-user-invite": (
        by_id("GET", "", INVITE),
        # No bearer token: 401.
        by_id("GET", "", INVITE, token=None),
    ),
}

# The API description takes no token and has no failure worth an event: API Gateway
# routes only GET /openapi.json to it.
(ROOT / "events" / "openapi-document").mkdir(parents=True, exist_ok=True)
(ROOT / "events" / "openapi-document" / "success.json").write_text(
    json.dumps(event("GET", "/openapi.json", "/openapi.json", token=None), indent=2) + "\n"
)

for function, (success, error) in EVENTS.items():
    folder = ROOT / "events" / function
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("success", success), ("error", error)):
        (folder / f"{name}.json").write_text(json.dumps(content, indent=2) + "\n")

# The mailer's input: a DynamoDB stream batch, filtered (in the template) to invites whose
# email is queued. It inserts the fixture invite.
stream = {
    "Records": [
        {
            "eventID": "c4ca4238a0b923820dcc509a6f75849b",
            "eventName": "INSERT",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {
                "ApproximateCreationDateTime": 1795561200,
                "Keys": {"pk": {"S": f"INVITE#{INVITE}"}, "sk": {"S": "INVITE"}},
                "NewImage": {
                    "pk": {"S": f"INVITE#{INVITE}"},
                    "sk": {"S": "INVITE"},
                    "tenant_key": {"S": TENANT},
                    "mail_state": {"S": "queued"},
                },
                "SequenceNumber": "4421584500000000017450439091",
                "SizeBytes": 160,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/invites/stream/2026-11-24T00:00:00.000",
        }
    ]
}
(ROOT / "events" / "invite-mailer").mkdir(parents=True, exist_ok=True)
(ROOT / "events" / "invite-mailer" / "queued.json").write_text(json.dumps(stream, indent=2) + "\n")

# The expiry sweep's input: the event EventBridge Scheduler hands it every minute (the
# function reads nothing of it). events/invite-events/accepted.json, the events
# function's input, is a record moto streamed for a real accept: tests/lambda/events.rs
# writes it again with UPDATE_SAMPLE_EVENTS=1.
scheduled = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.scheduler",
    "account": "123456789012",
    "time": "2026-11-30T12:00:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/invites-expiry-sweep"],
    "detail": "{}",
}
(ROOT / "events" / "invite-expiry-sweep").mkdir(parents=True, exist_ok=True)
(ROOT / "events" / "invite-expiry-sweep" / "scheduled.json").write_text(json.dumps(scheduled, indent=2) + "\n")

# The email feedback function's input: SNS notifications carrying SES event records,
# shaped as SES documents them ("Examples of event data that Amazon SES publishes to
# Amazon SNS"), for the fixture invite's message (its `invite_id` tag). The tests put
# their own message id and invite id in.
SES_MAIL = {
    "timestamp": "2026-11-24T10:00:00.000Z",
    "source": "Invites <invites@example.com>",
    "sourceArn": "arn:aws:ses:us-east-1:123456789012:identity/invites@example.com",
    "sendingAccountId": "123456789012",
    "messageId": "0100019a5c1e2f3a-EXAMPLE-000000",
    "destination": ["wick.jonh@gmail.com"],
    "headersTruncated": False,
    "headers": [
        {"name": "From", "value": "Invites <invites@example.com>"},
        {"name": "To", "value": "wick.jonh@gmail.com"},
        {"name": "Subject", "value": "You have been invited"},
    ],
    "commonHeaders": {
        "from": ["Invites <invites@example.com>"],
        "to": ["wick.jonh@gmail.com"],
        "messageId": "0100019a5c1e2f3a-EXAMPLE-000000",
        "subject": "You have been invited",
    },
    "tags": {
        "ses:configuration-set": ["user-invites"],
        "ses:source-ip": ["192.0.2.0"],
        "ses:from-domain": ["example.com"],
        "ses:caller-identity": ["invite-mailer"],
        "invite_id": [INVITE],
    },
}
SES_EVENTS = {
    "bounce-permanent": {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": "wick.jonh@gmail.com",
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 <wick.jonh@gmail.com>: Recipient address rejected: User unknown",
                }
            ],
            "timestamp": "2026-11-24T10:00:02.669Z",
            "feedbackId": "0100019a5c1e3b2c-EXAMPLE-000000",
            "reportingMTA": "dsn; a8-70.smtp-out.amazonses.com",
        },
        "mail": SES_MAIL,
    },
    "bounce-transient": {
        "eventType": "Bounce",
        "bounce": {
            "bounceType": "Transient",
            "bounceSubType": "MailboxFull",
            "bouncedRecipients": [
                {
                    "emailAddress": "wick.jonh@gmail.com",
                    "action": "failed",
                    "status": "4.2.2",
                    "diagnosticCode": "smtp; 452 4.2.2 The email account that you tried to reach is over quota",
                }
            ],
            "timestamp": "2026-11-24T10:30:02.669Z",
            "feedbackId": "0100019a5c1e3b2d-EXAMPLE-000000",
            "reportingMTA": "dsn; a8-70.smtp-out.amazonses.com",
        },
        "mail": SES_MAIL,
    },
    "complaint": {
        "eventType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": "wick.jonh@gmail.com"}],
            "timestamp": "2026-11-24T11:00:00.000Z",
            "feedbackId": "0100019a5c1e3b2e-EXAMPLE-000000",
            "userAgent": "Mozilla/5.0",
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2026-11-24T10:59:00.000Z",
        },
        "mail": SES_MAIL,
    },
    "delivery": {
        "eventType": "Delivery",
        "delivery": {
            "timestamp": "2026-11-24T10:00:01.500Z",
            "processingTimeMillis": 1488,
            "recipients": ["wick.jonh@gmail.com"],
            "smtpResponse": "250 2.6.0 Message received",
            "reportingMTA": "a8-70.smtp-out.amazonses.com",
        },
        "mail": SES_MAIL,
    },
}
(ROOT / "events" / "invite-email-feedback").mkdir(parents=True, exist_ok=True)
for name, ses_event in SES_EVENTS.items():
    notification = {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:invites-email-feedback:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
                    "TopicArn": "arn:aws:sns:us-east-1:123456789012:invites-email-feedback",
                    "Subject": None,
                    "Message": json.dumps(ses_event),
                    "Timestamp": "2026-11-24T10:00:03.000Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem",
                    "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=EXAMPLE",
                    "MessageAttributes": {},
                },
            }
        ]
    }
    (ROOT / "events" / "invite-email-feedback" / f"{name}.json").write_text(json.dumps(notification, indent=2) + "\n")

(ROOT / "events" / "fixtures.json").write_text(
    json.dumps(
        {
            "tenantId": TENANT,
            "userId": USER,
            "invites": [
                {"id": INVITE, "email": "fixture@example.com", "token": TOKEN},
                {"id": SECOND_INVITE, "email": "second@example.com", "token": None},
            ],
        },
        indent=2,
    )
    + "\n"
)
(ROOT / "events" / "env.json").write_text(
    json.dumps(
        {
            # sam local sets only variables the template declares (Globals), for
            # every function; the emulator is scripts/local-dynamodb.sh's, seen from
            # the container (host.docker.internal; on Linux, pass
            # --add-host host.docker.internal:host-gateway and bind it to 0.0.0.0).
            "Parameters": {
                "AWS_ENDPOINT_URL": "http://host.docker.internal:8000",
                "INVITES_TABLE_NAME": "invites",
                "INVITES_JWT_SECRET": SECRET,
                "INVITES_SENDER_EMAIL": "invites@example.com",
            }
        },
        indent=2,
    )
    + "\n"
)

# API Gateway's JWT authorizer (template parameter AuthMode=apigateway): each success
# event of a function that takes a JWT, as the authorizer hands it on. The verified
# claims are in the request context, every value a string (API Gateway writes an array
# as "[a b]"); the Authorization header holds the identity provider's token, which the
# function does not verify again (it holds no key to verify it with).
IDP_TOKEN = ".".join(
    [
        b64url(json.dumps({"alg": "RS256", "kid": "idp-key-1", "typ": "JWT"}, separators=(",", ":")).encode()),
        b64url(json.dumps({"iss": "https://idp.example.com/"}, separators=(",", ":")).encode()),
        b64url(b"signed-by-the-identity-provider"),
    ]
)


def gateway_string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(gateway_string(v) for v in value) + "]"
    return str(value)


def authorized(source):
    result = json.loads(json.dumps(source))
    token = result["headers"]["authorization"].split(" ", 1)[1]
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    claims = {"iss": "https://idp.example.com/", "aud": "invites-api", **payload}
    result["headers"]["authorization"] = f"Bearer {IDP_TOKEN}"
    result["requestContext"]["authorizer"] = {
        "jwt": {"claims": {k: gateway_string(v) for k, v in claims.items()}, "scopes": None}
    }
    return result


for function, (success, _) in EVENTS.items():
    if "authorization" in success["headers"]:
        (ROOT / "events" / function / "apigateway.json").write_text(json.dumps(authorized(success), indent=2) + "\n")
