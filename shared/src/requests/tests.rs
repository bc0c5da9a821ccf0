//! Property tests of every parser of the edge.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use super::READ_ONLY_INVITE_FIELDS;
use super::*;
use crate::strategies::{json, json_object_of, locale};

/// Every parser of a JSON body, on one value: none may panic, and a refusal always
/// lists at least one field.
fn parse_all(value: &Value) -> Result<(), TestCaseError> {
    fn listed<T>(result: Result<T, RequestError>) -> Result<(), TestCaseError> {
        if let Err(RequestError::Invalid(errors)) = &result {
            prop_assert!(!errors.is_empty(), "a refusal without a field");
        }
        Ok(())
    }
    let send = send_request(value);
    if let Ok(send) = &send {
        for rejected in send.invitees.iter().filter_map(|i| i.as_ref().err()) {
            prop_assert!(!rejected.errors.is_empty(), "a rejected invitee without a field");
        }
    }
    listed(send)?;
    listed(resend_request(value))?;
    listed(cancel_request(value))?;
    listed(accept_request(value))?;
    listed(check_token_request(value))?;
    listed(update_request(value))
}

fn invitee_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        json(),
        json_object_of(&[
            "email",
            "firstName",
            "lastName",
            "locale",
            "roles",
            "data",
            "createdByUserId",
            "status",
        ]),
    ]
}

/// Send bodies of the right envelope with anything inside.
fn send_like() -> impl Strategy<Value = Value> {
    (
        json(),
        proptest::collection::vec(invitee_value(), 0..4),
        prop::option::of(json()),
        prop::option::of(json()),
    )
        .prop_map(|(tenant, invitees, send_email, days)| {
            let mut body = json!({ "userInvites": { "tenantId": tenant, "userInvites": invitees } });
            if let Some(flag) = send_email {
                body["sendEmail"] = flag;
            }
            if let Some(days) = days {
                body["expiresInDays"] = days;
            }
            body
        })
}

/// Update and accept bodies of the right envelope with anything inside.
fn envelope_like() -> impl Strategy<Value = Value> {
    prop_oneof![
        json_object_of(&[
            "firstName",
            "lastName",
            "locale",
            "data",
            "roles",
            "acceptedByUserId",
            "email"
        ])
        .prop_map(|inner| json!({ "userInvite": inner })),
        json_object_of(&["token", "acceptedByUserId", "status"]).prop_map(|inner| json!({ "acceptUserInvite": inner })),
        json_object_of(&["token", "sendEmail", "expiresInDays"]),
    ]
}

fn name() -> impl Strategy<Value = String> {
    // Printable, visible (no format characters or line separators), at most 100
    // characters once trimmed, not blank, and no link.
    "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,98}"
        .prop_map(|s| format!("N{}", s.trim()))
        .prop_filter("a name carries no link", |s| !crate::domain::carries_a_link(s))
}

fn role() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"
}

fn data() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(
        "[a-z]{1,8}",
        prop_oneof![any::<i64>().prop_map(Value::from), ".{0,20}".prop_map(Value::String)],
        0..5,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// A valid invitee, and what it must parse to.
fn valid_invitee(
    index: usize,
) -> impl Strategy<Value = (Value, String, Option<String>, Option<String>, String, Vec<String>)> {
    (
        "[a-z]{1,10}",
        prop::option::of(name()),
        prop::option::of(name()),
        prop::option::of(locale()),
        proptest::collection::btree_set(role(), 0..20),
        data(),
        any::<bool>(),
    )
        .prop_map(move |(local, first, last, locale, roles, data, padded)| {
            let email = format!("{local}{index}@Example.com");
            let given = if padded { format!("  {email} ") } else { email.clone() };
            let roles: Vec<String> = roles.into_iter().collect();
            let mut value = json!({ "email": given, "roles": roles, "data": data });
            if let Some(first) = &first {
                value["firstName"] = json!(first);
            }
            if let Some(last) = &last {
                value["lastName"] = json!(last);
            }
            let normal = match &locale {
                Some((raw, normal)) => {
                    value["locale"] = json!(raw);
                    normal.clone()
                }
                None => "en-US".to_owned(),
            };
            (value, email, first, last, normal, roles)
        })
}

#[test]
fn an_object_naming_a_key_twice_is_refused_at_any_depth() {
    for body in [
        r#"{"sendEmail": true, "sendEmail": false}"#,
        r#"{"userInvites": {"tenantId": "x", "userInvites": [{"roles": ["admin"], "roles": []}]}}"#,
        // The same key once escaped: both spell "a".
        r#"{"a": 1, "\u0061": 2}"#,
    ] {
        let Err(RequestError::Invalid(errors)) = parse_json(body.as_bytes(), false) else {
            panic!("{body} was accepted");
        };
        assert!(errors[0].message.contains("appears twice"), "{body}: {errors:?}");
    }
    // Equal keys in sibling objects are no repetition.
    let ok = parse_json(br#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#, false).unwrap();
    assert_eq!(ok, serde_json::json!([{"a": 1}, {"a": 2}, {"b": {"a": 3}}]));
}

proptest! {
    #[test]
    fn no_parser_panics_on_any_json(value in json()) {
        parse_all(&value)?;
    }

    #[test]
    fn bodies_without_repeated_keys_read_as_serde_json_reads_them(value in json()) {
        let text = serde_json::to_vec(&value).unwrap();
        // Compared with serde_json's own reading, not `value`: without its
        // `float_roundtrip` feature a float may come back one ulp off.
        prop_assert_eq!(parse_json(&text, false).unwrap(), serde_json::from_slice::<Value>(&text).unwrap());
    }

    #[test]
    fn no_parser_panics_on_near_valid_bodies(value in prop_oneof![send_like(), envelope_like()]) {
        parse_all(&value)?;
    }

    #[test]
    fn no_parser_panics_on_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..200), empty_is_object in any::<bool>()) {
        if let Ok(value) = parse_json(&body, empty_is_object) {
            parse_all(&value)?;
        }
    }

    #[test]
    fn query_and_header_parsers_never_panic(query in ".{0,200}", raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Err(RequestError::Invalid(errors)) = list_params(Some(&query)) {
            prop_assert!(!errors.is_empty());
        }
        let _ = invite_id(&query);
        if let Ok(key) = idempotency_key(&raw) {
            prop_assert_eq!(key.as_bytes(), &raw[..]);
        }
    }

    #[test]
    fn valid_send_bodies_parse_to_what_they_say(
        invitees in (1usize..6).prop_flat_map(|n| (0..n).map(valid_invitee).collect::<Vec<_>>()),
        tenant in any::<u128>(),
        send_email in prop::option::of(any::<bool>()),
        days in prop::option::of(1u32..=30),
    ) {
        let tenant = TenantId(uuid::Uuid::from_u128(tenant));
        let mut body = json!({ "userInvites": { "tenantId": tenant.to_string(),
            "userInvites": invitees.iter().map(|i| i.0.clone()).collect::<Vec<_>>() } });
        if let Some(flag) = send_email {
            body["sendEmail"] = json!(flag);
        }
        if let Some(days) = days {
            body["expiresInDays"] = json!(days);
        }
        let parsed = send_request(&body).map_err(|e| TestCaseError::fail(format!("{e:?}: {body}")))?;
        prop_assert_eq!(parsed.tenant_id, tenant);
        prop_assert_eq!(parsed.send_email, send_email.unwrap_or(true));
        prop_assert_eq!(parsed.expires_in_days, days);
        prop_assert_eq!(parsed.invitees.len(), invitees.len());
        for (got, (value, email, first, last, locale, roles)) in parsed.invitees.into_iter().zip(&invitees) {
            let got = got.map_err(|e| TestCaseError::fail(format!("{e:?}: {value}")))?;
            prop_assert_eq!(got.email.as_given(), email.as_str());
            prop_assert_eq!(got.first_name.map(PersonName::into_inner), first.as_ref().map(|s| s.trim().to_owned()));
            prop_assert_eq!(got.last_name.map(PersonName::into_inner), last.as_ref().map(|s| s.trim().to_owned()));
            prop_assert_eq!(got.locale.as_str(), locale.as_str());
            prop_assert_eq!(&got.roles.into_strings(), roles);
            prop_assert_eq!(Value::Object(got.data.into_inner()), value["data"].clone());
            prop_assert_eq!(got.created_by, None);
        }
    }

    #[test]
    fn valid_update_bodies_parse_to_what_they_say(
        first in prop::option::of(prop::option::of(name())),
        locale in prop::option::of(locale()),
        roles in prop::option::of(proptest::collection::btree_set(role(), 0..20)),
        data in prop::option::of(data()),
        accepted_by in prop::option::of(prop::option::of(any::<u128>())),
    ) {
        let mut inner = serde_json::Map::new();
        if let Some(first) = &first {
            inner.insert("firstName".into(), json!(first));
        }
        if let Some((raw, _)) = &locale {
            inner.insert("locale".into(), json!(raw));
        }
        if let Some(roles) = &roles {
            inner.insert("roles".into(), json!(roles));
        }
        if let Some(data) = &data {
            inner.insert("data".into(), data.clone());
        }
        let accepted_by = accepted_by.map(|a| a.map(|u| UserId(uuid::Uuid::from_u128(u))));
        if let Some(user) = &accepted_by {
            inner.insert("acceptedByUserId".into(), json!(user.map(|u| u.to_string())));
        }
        prop_assume!(!inner.is_empty());
        let body = json!({ "userInvite": inner });
        let parsed = update_request(&body).map_err(|e| TestCaseError::fail(format!("{e:?}: {body}")))?;
        prop_assert_eq!(parsed.first_name.map(|n| n.map(PersonName::into_inner)), first.map(|n| n.map(|s| s.trim().to_owned())));
        prop_assert_eq!(parsed.last_name, None);
        prop_assert_eq!(parsed.locale.map(|l| l.as_str().to_owned()), locale.map(|(_, normal)| normal));
        prop_assert_eq!(parsed.roles.map(Roles::into_strings), roles.map(|r| r.into_iter().collect::<Vec<_>>()));
        prop_assert_eq!(parsed.data.map(|d| Value::Object(d.into_inner())), data);
        prop_assert_eq!(parsed.accepted_by, accepted_by);
    }

    #[test]
    fn valid_accept_resend_and_check_bodies_parse(
        token in "[A-Za-z0-9_-]{1,512}",
        accepted_by in prop::option::of(any::<u128>()),
        send_email in prop::option::of(any::<bool>()),
        days in prop::option::of(1u32..=30),
    ) {
        let accepted_by = accepted_by.map(|u| UserId(uuid::Uuid::from_u128(u)));
        let mut inner = json!({ "token": token });
        if let Some(user) = accepted_by {
            inner["acceptedByUserId"] = json!(user.to_string());
        }
        let accept = accept_request(&json!({ "acceptUserInvite": inner })).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(accept, AcceptRequest { token: token.clone(), accepted_by });
        prop_assert_eq!(check_token_request(&json!({ "token": token })), Ok(token.clone()));

        let mut resend = json!({});
        if let Some(flag) = send_email {
            resend["sendEmail"] = json!(flag);
        }
        if let Some(days) = days {
            resend["expiresInDays"] = json!(days);
        }
        let parsed = resend_request(&resend).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(parsed, ResendRequest { send_email: send_email.unwrap_or(true), expires_in_days: days });
        prop_assert_eq!(cancel_request(&json!({})), Ok(()));
    }

    #[test]
    fn every_read_only_field_is_refused_by_name(field in select(READ_ONLY_INVITE_FIELDS), value in json()) {
        let mut invitee = json!({ "email": "a@example.com" });
        invitee[field] = value.clone();
        let body = json!({ "userInvites": { "tenantId": uuid::Uuid::nil().to_string(), "userInvites": [invitee] } });
        let Err(RequestError::Invalid(errors)) = send_request(&body) else {
            return Err(TestCaseError::fail(format!("{field} was accepted on send")));
        };
        let path = format!("userInvites.userInvites[0].{field}");
        prop_assert!(errors.iter().any(|e| e.field == path && e.message == "is read-only"), "{:?}", errors);
        if field != "acceptedByUserId" {
            let body = json!({ "userInvite": { "firstName": "A", field: value } });
            let Err(RequestError::Invalid(errors)) = update_request(&body) else {
                return Err(TestCaseError::fail(format!("{field} was accepted on update")));
            };
            let path = format!("userInvite.{field}");
            prop_assert!(errors.iter().any(|e| e.field == path && e.message == "is read-only"), "{:?}", errors);
        }
    }
}
