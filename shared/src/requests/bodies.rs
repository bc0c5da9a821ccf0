//! The request bodies of the seven operations that take one.

use const_format::formatcp;
use serde_json::{Map, Value};

use super::reader::{Reader, path};
use super::{
    AcceptRequest, NewInvitee, READ_ONLY_INVITE_FIELDS, RejectedInvitee, RequestError, ResendRequest, SendRequest,
    UpdateRequest,
};
use crate::domain::{
    EmailAddress, FieldError, Locale, MAX_INVITEES_PER_REQUEST, MAX_TOKEN_CHARS, TenantId, TimeZone, UserId,
};

const TOKEN_MESSAGE: &str = formatcp!("must be a token of 1 to {MAX_TOKEN_CHARS} characters");

pub fn send_request(body: &Value) -> Result<SendRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["userInvites", "sendEmail", "expiresInDays"], &[]);
    let send_email = r.boolean(top, "", "sendEmail").unwrap_or(true);
    let expires_in_days = r.expiry_days(top, "");
    let envelope = r
        .field(top, "", "userInvites", true)
        .and_then(|v| r.object(v, "userInvites"));
    let mut tenant_id = None;
    let mut tenant_name = None;
    let mut invitees = Vec::new();
    if let Some(envelope) = envelope {
        r.known_keys(envelope, "userInvites", &["tenantId", "tenantName", "userInvites"], &[]);
        tenant_id = r.parsed(envelope, "userInvites", "tenantId", true, |raw| {
            TenantId::parse(raw).ok_or("must be a UUID")
        });
        // The tenant's name is the envelope's, for every invitee: a bad one fails the whole
        // request (a 400 naming `userInvites.tenantName`), as a bad tenantId does.
        tenant_name = r.name(envelope, "userInvites", "tenantName").flatten();
        match r.field(envelope, "userInvites", "userInvites", true) {
            Some(Value::Array(items)) if items.len() > MAX_INVITEES_PER_REQUEST => {
                return Err(RequestError::TooLarge(format!(
                    "at most {MAX_INVITEES_PER_REQUEST} invitees fit in one request; this one has {}",
                    items.len()
                )));
            }
            Some(Value::Array(items)) if items.is_empty() => {
                r.shape("userInvites.userInvites".into(), "must hold at least one invitee");
            }
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    invitees.push(invitee(&mut r, item, &format!("userInvites.userInvites[{i}]")));
                }
            }
            Some(_) => r.shape("userInvites.userInvites".into(), "must be an array of invitees"),
            None => {}
        }
    }
    // Only shape errors and envelope value errors fail the whole request; invitees'
    // value errors were moved into their own results by `invitee`, and are listed
    // with the rest when the request fails as a whole.
    if !r.structural.is_empty() {
        for rejected in invitees.iter().filter_map(|i| i.as_ref().err()) {
            r.values.extend(rejected.errors.iter().cloned());
        }
    }
    match tenant_id {
        Some(tenant_id) => r.finish(SendRequest {
            tenant_id,
            tenant_name,
            invitees,
            send_email,
            expires_in_days,
        }),
        // A missing or bad tenantId was recorded as an error already.
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

fn invitee(r: &mut Reader, value: &Value, at: &str) -> Result<NewInvitee, RejectedInvitee> {
    let given_email = value.get("email").and_then(Value::as_str).map(str::to_owned);
    let values_before = r.values.len();
    let parsed = r.object(value, at).map(|map| {
        r.known_keys(
            map,
            at,
            &[
                "email",
                "firstName",
                "lastName",
                "locale",
                "roles",
                "data",
                "timeZone",
                "createdByUserId",
            ],
            READ_ONLY_INVITE_FIELDS,
        );
        (
            r.parsed(map, at, "email", true, EmailAddress::parse),
            r.name(map, at, "firstName"),
            r.name(map, at, "lastName"),
            r.parsed(map, at, "locale", false, Locale::parse),
            r.roles(map, at),
            r.data(map, at),
            r.parsed(map, at, "timeZone", false, TimeZone::parse),
            r.uuid(map, at, "createdByUserId", UserId::parse),
        )
    });
    let own_values: Vec<FieldError> = r.values.drain(values_before..).collect();
    match parsed {
        Some((Some(email), first, last, locale, roles, data, time_zone, created_by)) if own_values.is_empty() => {
            Ok(NewInvitee {
                email,
                first_name: first.flatten(),
                last_name: last.flatten(),
                locale: locale.unwrap_or_default(),
                roles: roles.unwrap_or_default(),
                data: data.unwrap_or_default(),
                time_zone,
                created_by,
            })
        }
        _ => Err(RejectedInvitee {
            email: given_email,
            errors: own_values,
        }),
    }
}

pub fn resend_request(body: &Value) -> Result<ResendRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["sendEmail", "expiresInDays"], &[]);
    let request = ResendRequest {
        send_email: r.boolean(top, "", "sendEmail").unwrap_or(true),
        expires_in_days: r.expiry_days(top, ""),
    };
    r.finish(request)
}

/// Cancel takes no fields; an empty body or `{}`.
pub fn cancel_request(body: &Value) -> Result<(), RequestError> {
    let mut r = Reader::default();
    if let Some(top) = r.object(body, "") {
        r.known_keys(top, "", &[], &[]);
    }
    r.finish(())
}

pub fn accept_request(body: &Value) -> Result<AcceptRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["acceptUserInvite"], &[]);
    let inner = r
        .field(top, "", "acceptUserInvite", true)
        .and_then(|v| r.object(v, "acceptUserInvite"));
    let Some(inner) = inner else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(inner, "acceptUserInvite", &["token", "acceptedByUserId"], &[]);
    let token = token_field(&mut r, inner, "acceptUserInvite");
    let accepted_by = r.uuid(inner, "acceptUserInvite", "acceptedByUserId", UserId::parse);
    match token {
        Some(token) => r.finish(AcceptRequest { token, accepted_by }),
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

pub fn check_token_request(body: &Value) -> Result<String, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["token"], &[]);
    match token_field(&mut r, top, "") {
        Some(token) => r.finish(token),
        None => Err(RequestError::Invalid([r.structural, r.values].concat())),
    }
}

fn token_field(r: &mut Reader, map: &Map<String, Value>, parent: &str) -> Option<String> {
    r.parsed(map, parent, "token", true, |raw| {
        if raw.is_empty() || raw.chars().count() > MAX_TOKEN_CHARS {
            Err(TOKEN_MESSAGE)
        } else {
            Ok(raw.to_owned())
        }
    })
}

pub fn update_request(body: &Value) -> Result<UpdateRequest, RequestError> {
    let mut r = Reader::default();
    let Some(top) = r.object(body, "") else {
        return Err(RequestError::Invalid(r.structural));
    };
    r.known_keys(top, "", &["userInvite"], &[]);
    let inner = r
        .field(top, "", "userInvite", true)
        .and_then(|v| r.object(v, "userInvite"));
    let Some(inner) = inner else {
        return Err(RequestError::Invalid(r.structural));
    };
    const AT: &str = "userInvite";
    let mut read_only: Vec<&str> = READ_ONLY_INVITE_FIELDS.to_vec();
    read_only.extend(["email", "createdByUserId"]);
    r.known_keys(
        inner,
        AT,
        &["firstName", "lastName", "locale", "data", "roles", "acceptedByUserId"],
        &read_only,
    );
    if inner.is_empty() {
        r.shape(AT.into(), "must name at least one field to change");
    }
    let accepted_by = match inner.get("acceptedByUserId") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => r.uuid(inner, AT, "acceptedByUserId", UserId::parse).map(Some),
    };
    let locale = match inner.get("locale") {
        Some(Value::Null) => {
            r.shape(path(AT, "locale"), "must be a language tag such as en-US");
            None
        }
        _ => r.parsed(inner, AT, "locale", false, Locale::parse),
    };
    for key in ["data", "roles"] {
        if inner.get(key).is_some_and(Value::is_null) {
            r.shape(path(AT, key), "must not be null");
        }
    }
    let request = UpdateRequest {
        first_name: r.name(inner, AT, "firstName"),
        last_name: r.name(inner, AT, "lastName"),
        locale,
        data: r.data(inner, AT),
        roles: r.roles(inner, AT),
        accepted_by,
    };
    r.finish(request)
}
