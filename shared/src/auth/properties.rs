//! Properties of token verification: nothing but a well-signed token of the right shape names a caller.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderValue;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::domain::{TenantId, UserId};
use crate::strategies::json;

const SECRET: &str = "the-servers-secret";

fn authenticator() -> Authenticator {
    block_on(Authenticator::from_config(
        &JwtConfig {
            key: JwtKey::Secret(SECRET.to_owned()),
            issuer: None,
            audience: None,
            claims: ClaimNames::default(),
        },
        Arc::new(crate::clock::SystemClock),
    ))
    .unwrap()
}

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

/// `authenticate` on a request with these headers.
fn authenticate(auth: &Authenticator, headers: &HeaderMap) -> Result<Caller, AuthError> {
    let mut request = http::Request::new(());
    *request.headers_mut() = headers.clone();
    block_on(auth.authenticate(&request))
}

fn headers(value: &[u8]) -> Option<HeaderMap> {
    let value = HeaderValue::from_bytes(value).ok()?;
    let mut headers = HeaderMap::new();
    headers.insert(http::header::AUTHORIZATION, value);
    Some(headers)
}

fn bearer(token: &str) -> HeaderMap {
    headers(format!("Bearer {token}").as_bytes()).expect("a token is a valid header value")
}

fn sign(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn in_an_hour() -> u64 {
    (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp() as u64
}

/// Claims that the server would accept, if signed with its key.
fn good_claims() -> impl Strategy<Value = (Value, Caller)> {
    (
        any::<u128>(),
        prop::option::of(any::<u128>()),
        any::<bool>(),
        prop::option::of("\\PC{0,30}"),
        prop::collection::vec("[A-Za-z0-9_.:-]{1,16}", 0..4),
    )
        .prop_map(|(sub, tenant, admin, name, roles)| {
            let caller = Caller {
                user_id: UserId(uuid::Uuid::from_u128(sub)),
                tenant_id: tenant.map(|t| TenantId(uuid::Uuid::from_u128(t))),
                super_admin: admin,
                name,
                roles,
            };
            let mut claims = json!({ "sub": caller.user_id, "superAdmin": admin, "exp": in_an_hour() });
            if let Some(tenant) = caller.tenant_id {
                claims["tenantId"] = json!(tenant);
            }
            if let Some(name) = &caller.name {
                claims["name"] = json!(name);
            }
            if !caller.roles.is_empty() {
                claims["roles"] = json!(caller.roles);
            }
            (claims, caller)
        })
}

proptest! {
    #[test]
    fn any_header_value_is_refused_without_panic(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Some(headers) = headers(&raw) {
            prop_assert!(authenticate(&authenticator(), &headers).is_err());
        }
    }

    #[test]
    fn any_three_part_token_of_any_json_is_refused(header in json(), claims in json(), signature in proptest::collection::vec(any::<u8>(), 0..64)) {
        let token = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(signature)
        );
        prop_assert_eq!(authenticate(&authenticator(), &bearer(&token)), Err(AuthError::Invalid));
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused((claims, _) in good_claims(), other in "[ -~]{1,40}") {
        prop_assume!(other != SECRET);
        prop_assert_eq!(authenticate(&authenticator(), &bearer(&sign(&other, &claims))), Err(AuthError::Invalid));
    }

    #[test]
    fn a_token_signed_with_the_key_names_its_caller((claims, caller) in good_claims()) {
        prop_assert_eq!(authenticate(&authenticator(), &bearer(&sign(SECRET, &claims))), Ok(caller));
    }

    #[test]
    fn any_bit_flip_of_a_signed_token_is_refused((claims, _) in good_claims(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut token = sign(SECRET, &claims).into_bytes();
        let at = at.index(token.len());
        token[at] ^= 1 << bit;
        let mut value = b"Bearer ".to_vec();
        value.extend(token);
        if let Some(headers) = headers(&value) {
            prop_assert!(authenticate(&authenticator(), &headers).is_err(), "{}", String::from_utf8_lossy(&value));
        }
    }

    #[test]
    fn claims_of_the_wrong_shape_are_refused_even_when_signed(claims in json()) {
        // Signed with the right key, a document that is not valid claims still fails.
        let valid = claims.get("sub").and_then(Value::as_str).is_some_and(|s| UserId::parse(s).is_some())
            && claims.get("exp").is_some_and(|e| e.as_u64().is_some_and(|e| e > in_an_hour() - 3600));
        prop_assume!(!valid);
        prop_assert_eq!(authenticate(&authenticator(), &bearer(&sign(SECRET, &claims))), Err(AuthError::Invalid));
    }

    #[test]
    fn a_valid_caller_with_one_wrong_typed_claim_is_refused_even_when_signed(
        (claims, _) in good_claims(),
        (name, value) in wrong_typed_claim(),
    ) {
        // Everything else is right (a UUID `sub`, a future `exp`): only this claim can fail it.
        let mut claims = claims;
        claims[name] = value;
        prop_assert_eq!(
            authenticate(&authenticator(), &bearer(&sign(SECRET, &claims))),
            Err(AuthError::Invalid),
            "{}", claims
        );
    }
}

/// A claim the server reads, with a value of a type it must not accept: `tenantId`
/// (a UUID string), `superAdmin` (a boolean), `roles` (an array of strings) and `nbf`
/// (a number of seconds, honoured when present, so also one in the future).
fn wrong_typed_claim() -> impl Strategy<Value = (&'static str, Value)> {
    let any_but = |allowed: fn(&Value) -> bool| json().prop_filter("of the wrong type", move |v| !allowed(v));
    prop_oneof![
        any_but(|v| v.is_null() || v.as_str().is_some_and(|s| TenantId::parse(s).is_some()))
            .prop_map(|v| ("tenantId", v)),
        any_but(|v| v.is_null() || v.is_boolean()).prop_map(|v| ("superAdmin", v)),
        any_but(|v| v.is_null() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
            .prop_map(|v| ("roles", v)),
        any_but(Value::is_number).prop_map(|v| ("nbf", v)),
        (in_an_hour()..u64::from(u32::MAX)).prop_map(|nbf| ("nbf", json!(nbf))),
    ]
}
