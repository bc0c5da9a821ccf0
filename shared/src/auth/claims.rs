//! From a token's claims to a [`Caller`], through the configured claim names.
//!
//! Claims come in two shapes: the JSON of a token this process verified, and the claims
//! API Gateway's JWT authorizer hands the function, where every value is a string
//! (arrays read `[a b c]`, booleans `true`). Both are read strictly: a mapped claim of
//! the wrong type refuses the token; one that is absent (or JSON `null`) is absent.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::AuthError;
use crate::config::{ClaimNames, SuperAdminClaim};
use crate::domain::{Caller, TenantId, UserId};

/// One claim's value, in either shape.
#[derive(Clone, Copy)]
pub(crate) enum Found<'a> {
    Json(&'a Value),
    Gateway(&'a str),
}

/// Where the claims are read from.
pub(crate) trait ClaimSource {
    fn claim(&self, name: &str) -> Option<Found<'_>>;
}

impl ClaimSource for Map<String, Value> {
    fn claim(&self, name: &str) -> Option<Found<'_>> {
        self.get(name).filter(|v| !v.is_null()).map(Found::Json)
    }
}

impl ClaimSource for HashMap<String, String> {
    fn claim(&self, name: &str) -> Option<Found<'_>> {
        self.get(name).map(|v| Found::Gateway(v.as_str()))
    }
}

impl<'a> Found<'a> {
    fn string(self) -> Result<&'a str, AuthError> {
        match self {
            Found::Json(Value::String(s)) => Ok(s),
            Found::Gateway(s) => Ok(s),
            Found::Json(_) => Err(AuthError::Invalid),
        }
    }

    fn strings(self) -> Result<Vec<String>, AuthError> {
        match self {
            Found::Json(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned).ok_or(AuthError::Invalid))
                .collect(),
            Found::Json(_) => Err(AuthError::Invalid),
            Found::Gateway(text) => gateway_array(text).ok_or(AuthError::Invalid),
        }
    }

    fn flag(self) -> Result<bool, AuthError> {
        match self {
            Found::Json(Value::Bool(b)) => Ok(*b),
            Found::Gateway("true") => Ok(true),
            Found::Gateway("false") => Ok(false),
            _ => Err(AuthError::Invalid),
        }
    }

    /// The claim is `value`, or an array holding it.
    fn holds(self, value: &str) -> Result<bool, AuthError> {
        match self {
            Found::Json(Value::String(s)) => Ok(s == value),
            Found::Json(Value::Array(_)) => Ok(self.strings()?.iter().any(|s| s == value)),
            Found::Json(_) => Err(AuthError::Invalid),
            Found::Gateway(text) => Ok(match gateway_array(text) {
                Some(items) => items.iter().any(|s| s == value),
                None => text == value,
            }),
        }
    }
}

/// An array claim as API Gateway writes it into the request context: `[a b c]`.
/// Items holding a space cannot pass through it (the README says so).
fn gateway_array(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    Some(inner.split_whitespace().map(str::to_owned).collect())
}

/// The caller the claims name, read through `names`.
pub(crate) fn caller(claims: &impl ClaimSource, names: &ClaimNames) -> Result<Caller, AuthError> {
    let user_id = claims
        .claim(&names.user_id)
        .ok_or(AuthError::Invalid)?
        .string()
        .ok()
        .and_then(UserId::parse)
        .ok_or(AuthError::Invalid)?;
    let tenant_id = match claims.claim(&names.tenant) {
        None => None,
        Some(found) => Some(TenantId::parse(found.string()?).ok_or(AuthError::Invalid)?),
    };
    let roles = match claims.claim(&names.roles) {
        None => Vec::new(),
        Some(found) => found.strings()?,
    };
    let super_admin = match &names.super_admin {
        SuperAdminClaim::Flag(claim) => claims.claim(claim).map(Found::flag).transpose()?.unwrap_or(false),
        SuperAdminClaim::Member { claim, value } => claims
            .claim(claim)
            .map(|found| found.holds(value))
            .transpose()?
            .unwrap_or(false),
    };
    let name = claims
        .claim(&names.name)
        .map(Found::string)
        .transpose()?
        .map(str::to_owned);
    Ok(Caller {
        user_id,
        tenant_id,
        super_admin,
        name,
        roles,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const USER: &str = "530c9a92-1f3e-4b8d-a6c2-9e7f5d4c3b2a";
    const TENANT: &str = "ee764883-5d2b-4f4e-9c51-2a4b7f3f1c6d";

    fn json_claims(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn gateway(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn cognito() -> ClaimNames {
        ClaimNames {
            user_id: "sub".into(),
            tenant: "custom:tenant_id".into(),
            roles: "cognito:groups".into(),
            super_admin: SuperAdminClaim::Member {
                claim: "cognito:groups".into(),
                value: "platform-admins".into(),
            },
            name: "name".into(),
        }
    }

    #[test]
    fn todays_claims_read_as_before_with_a_name_and_roles() {
        let claims = json_claims(json!({
            "sub": USER, "tenantId": TENANT, "superAdmin": true, "roles": ["owner", "billing"], "name": "Ada"
        }));
        let caller = caller(&claims, &ClaimNames::default()).unwrap();
        assert_eq!(caller.user_id.to_string(), USER);
        assert_eq!(caller.tenant_id.unwrap().to_string(), TENANT);
        assert!(caller.super_admin);
        assert_eq!(caller.roles, ["owner", "billing"]);
        assert_eq!(caller.name.as_deref(), Some("Ada"));

        let bare = caller_of(json!({ "sub": USER, "tenantId": null, "name": null, "roles": null }));
        assert_eq!(
            (bare.tenant_id, bare.super_admin, bare.name, bare.roles),
            (None, false, None, vec![])
        );
    }

    fn caller_of(value: Value) -> Caller {
        caller(&json_claims(value), &ClaimNames::default()).unwrap()
    }

    #[test]
    fn a_mapped_claim_of_the_wrong_type_refuses_the_token() {
        for wrong in [
            json!({ "sub": 42 }),
            json!({ "sub": "not-a-uuid" }),
            json!({ "sub": USER, "tenantId": ["x"] }),
            json!({ "sub": USER, "tenantId": "acme" }),
            json!({ "sub": USER, "roles": "owner" }),
            json!({ "sub": USER, "roles": ["owner", 1] }),
            json!({ "sub": USER, "superAdmin": "true" }),
            json!({ "sub": USER, "name": { "given": "Ada" } }),
            json!({ "tenantId": TENANT }),
        ] {
            assert_eq!(
                caller(&json_claims(wrong.clone()), &ClaimNames::default()),
                Err(AuthError::Invalid),
                "{wrong}"
            );
        }
        let names = cognito();
        for wrong in [
            json!({ "sub": USER, "cognito:groups": 7 }),
            json!({ "sub": USER, "cognito:groups": [true] }),
        ] {
            assert_eq!(
                caller(&json_claims(wrong.clone()), &names),
                Err(AuthError::Invalid),
                "{wrong}"
            );
        }
    }

    #[test]
    fn a_super_admin_can_be_a_claim_holding_a_value() {
        let names = cognito();
        let admin = json_claims(json!({ "sub": USER, "cognito:groups": ["editors", "platform-admins"] }));
        let member = json_claims(json!({ "sub": USER, "custom:tenant_id": TENANT, "cognito:groups": ["editors"] }));
        let single = json_claims(json!({ "sub": USER, "cognito:groups": "platform-admins" }));
        assert!(caller(&admin, &names).unwrap().super_admin);
        assert_eq!(caller(&admin, &names).unwrap().roles, ["editors", "platform-admins"]);
        let member = caller(&member, &names).unwrap();
        assert!(!member.super_admin);
        assert_eq!(member.tenant_id.unwrap().to_string(), TENANT);
        // A single string holds the value too; but it is not an array of roles.
        let names_without_roles = ClaimNames {
            roles: "roles".into(),
            ..cognito()
        };
        assert!(caller(&single, &names_without_roles).unwrap().super_admin);
        assert_eq!(caller(&single, &names), Err(AuthError::Invalid));
    }

    #[test]
    fn api_gateway_claims_are_strings_with_arrays_in_brackets() {
        let names = cognito();
        let claims = gateway(&[
            ("sub", USER),
            ("custom:tenant_id", TENANT),
            ("cognito:groups", "[editors platform-admins]"),
            ("name", "Ada Lovelace"),
            ("exp", "4102444800"),
        ]);
        let caller = caller(&claims, &names).unwrap();
        assert!(caller.super_admin);
        assert_eq!(caller.roles, ["editors", "platform-admins"]);
        assert_eq!(caller.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(caller.tenant_id.unwrap().to_string(), TENANT);

        let flags = ClaimNames::default();
        let admin = gateway(&[("sub", USER), ("superAdmin", "true"), ("roles", "[]")]);
        assert!(super::caller(&admin, &flags).unwrap().super_admin);
        assert!(super::caller(&admin, &flags).unwrap().roles.is_empty());
        for wrong in [
            gateway(&[("sub", USER), ("superAdmin", "yes")]),
            gateway(&[("sub", USER), ("roles", "owner")]),
            gateway(&[("sub", USER), ("tenantId", "acme")]),
            gateway(&[("sub", "auth0|abc")]),
            gateway(&[]),
        ] {
            assert_eq!(super::caller(&wrong, &flags), Err(AuthError::Invalid), "{wrong:?}");
        }
    }
}
