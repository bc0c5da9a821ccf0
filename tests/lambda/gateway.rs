//! `AuthMode=apigateway`: API Gateway's JWT authorizer verifies the token, and each
//! function reads the verified claims from the request context (events/<fn>/apigateway.json)
//! instead of verifying again; a request that did not come through the authorizer is
//! refused. The template attaches the authorizer to every route but check-token, and
//! only in that mode.

use std::sync::Arc;

use invites_shared::domain::EmailStatus;
use invites_shared::email::NoSender;
use invites_shared::http::ROUTES;
use invites_shared::lambda::function_api;
use invites_shared::operation::Operation;
use serde_json::{Value, json};
use yaml_serde::Value as Yaml;

use crate::{
    body_of, check_success, event, function_with_fixtures, operations, read_json, root, seed_fixtures_with, template,
};

/// The functions' configuration in this mode, as the template sets it: no key, and the
/// list function's shared cursor key.
const GATEWAY: [(&str, &str); 2] = [
    ("INVITES_AUTH_MODE", "apigateway"),
    ("INVITES_CURSOR_SECRET", "the-stacks-generated-cursor-key"),
];

fn authenticated() -> Vec<Operation> {
    operations()
        .into_iter()
        .filter(|o| *o != Operation::CheckUserInviteToken)
        .collect()
}

#[tokio::test]
async fn each_function_takes_the_authorizers_claims_and_refuses_a_request_without_them() {
    for operation in authenticated() {
        let function = function_with_fixtures(operation, &GATEWAY).await;
        let response = function.handle(operation, event(operation, "apigateway")).await;
        let body = body_of(&response);
        assert_eq!(response.status(), 200, "{}: {body}", operation.name());
        check_success(operation, &body);

        // The plain event carries a token our development key signed, but no
        // authorizer claims: in this mode the function verifies no token.
        let function = function_with_fixtures(operation, &GATEWAY).await;
        let response = function.handle(operation, event(operation, "success")).await;
        let body = body_of(&response);
        assert_eq!(response.status(), 401, "{}: {body}", operation.name());
        assert_eq!(body["code"], "UNAUTHENTICATED");
        assert_eq!(
            body["detail"],
            "the request did not come through the API's JWT authorizer"
        );
    }
    // Without a cursor key to share (none derives from a key it does not hold), the list
    // function refuses to start: each instance would sign cursors the others refuse.
    let (config, store) = seed_fixtures_with(EmailStatus::Skipped, None, &GATEWAY[..1]).await;
    let error = function_api(Operation::ListUserInvites, &config, store, Arc::new(NoSender))
        .await
        .err()
        .expect("the list function refuses to start")
        .to_string();
    assert!(error.contains("INVITES_CURSOR_SECRET"), "{error}");

    // The invite token is check-token's credential: no authorizer there.
    let function = function_with_fixtures(Operation::CheckUserInviteToken, &GATEWAY).await;
    let response = function
        .handle(
            Operation::CheckUserInviteToken,
            event(Operation::CheckUserInviteToken, "success"),
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// The get function's authorizer event with `claims` as the verified claims.
fn get_with_claims(claims: Value) -> lambda_http::Request {
    let path = root().join("events/get-user-invite/apigateway.json");
    let mut event = read_json(&path);
    event["requestContext"]["authorizer"]["jwt"]["claims"] = claims;
    lambda_http::request::from_str(&event.to_string()).expect("an API Gateway event")
}

#[tokio::test]
async fn the_authorizers_claims_are_mapped_like_a_tokens() {
    let fixtures = read_json(&root().join("events/fixtures.json"));
    let cognito = [
        GATEWAY[0],
        GATEWAY[1],
        ("INVITES_CLAIM_TENANT", "custom:tenant_id"),
        ("INVITES_CLAIM_ROLES", "cognito:groups"),
        ("INVITES_CLAIM_SUPER_ADMIN", "cognito:groups=platform-admins"),
    ];
    let stranger = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    let get = Operation::GetUserInvite;
    for (claims, status) in [
        // A platform admin of no tenant sees the fixture tenant's invite.
        (
            json!({ "sub": stranger, "cognito:groups": "[editors platform-admins]" }),
            200,
        ),
        // A member of the invite's tenant too.
        (
            json!({ "sub": stranger, "custom:tenant_id": fixtures["tenantId"], "cognito:groups": "[]" }),
            200,
        ),
        // Anyone else does not: the invite reads as not found.
        (json!({ "sub": stranger, "cognito:groups": "[editors]" }), 404),
        // Claims of the wrong type are refused, as in a token.
        (json!({ "sub": stranger, "custom:tenant_id": "acme" }), 401),
        (json!({ "sub": stranger, "cognito:groups": "platform-admins" }), 401),
        (json!({ "sub": "auth0|abc" }), 401),
    ] {
        let function = function_with_fixtures(get, &cognito).await;
        let response = function.handle(get, get_with_claims(claims.clone())).await;
        assert_eq!(response.status(), status, "{claims}: {}", body_of(&response));
    }
}

/// A YAML tag's name and value (`!If [...]` is the tag `If`).
pub(crate) fn tagged(value: &Yaml) -> Option<(String, &Yaml)> {
    match value {
        Yaml::Tagged(tagged) => Some((tagged.tag.to_string().trim_start_matches('!').to_owned(), &tagged.value)),
        _ => None,
    }
}

#[test]
fn the_template_attaches_the_jwt_authorizer_to_every_route_but_check_token_in_apigateway_mode() {
    let template = template();
    let conditions = &template["Conditions"];
    let (tag, args) = tagged(&conditions["UseApiGatewayAuth"]).expect("the condition");
    assert_eq!(tag, "Equals");
    assert_eq!(args[1].as_str(), Some("apigateway"));

    let api = &template["Resources"]["InvitesApi"]["Properties"];
    let body = &api["DefinitionBody"];
    let mut declared = Vec::new();
    for (path, item) in body["paths"].as_mapping().expect("the API's paths") {
        for (method, operation) in item.as_mapping().unwrap() {
            let (path, method) = (path.as_str().unwrap(), method.as_str().unwrap().to_uppercase());
            declared.push((method.clone(), path.to_owned()));
            let route = ROUTES
                .iter()
                .find(|r| r.path == path && r.method.as_str() == method)
                .unwrap_or_else(|| panic!("{method} {path} is not a route"));
            let security = &operation["security"];
            if route.operation == Operation::CheckUserInviteToken {
                assert_eq!(
                    security.as_sequence().map(Vec::len),
                    Some(0),
                    "check-token takes no JWT"
                );
                continue;
            }
            let (tag, args) = tagged(security).unwrap_or_else(|| panic!("{method} {path}: {security:?}"));
            assert_eq!(tag, "If");
            assert_eq!(args[0].as_str(), Some("UseApiGatewayAuth"));
            assert!(args[1][0]["JwtAuthorizer"].is_sequence(), "{method} {path}");
            assert_eq!(args[2].as_sequence().map(Vec::len), Some(0), "{method} {path}");
        }
    }
    declared.sort();
    let mut routes: Vec<_> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    routes.sort();
    assert_eq!(declared, routes, "the API body declares every route");

    let (tag, args) = tagged(&body["components"]).expect("the authorizer only in apigateway mode");
    assert_eq!((tag.as_str(), args[0].as_str()), ("If", Some("UseApiGatewayAuth")));
    let authorizer = &args[1]["securitySchemes"]["JwtAuthorizer"]["x-amazon-apigateway-authorizer"];
    assert_eq!(authorizer["type"].as_str(), Some("jwt"));
    assert_eq!(
        authorizer["identitySource"].as_str(),
        Some("$request.header.Authorization")
    );
    let issuer = tagged(&authorizer["jwtConfiguration"]["issuer"]).unwrap();
    assert_eq!((issuer.0.as_str(), issuer.1.as_str()), ("Ref", Some("JwtIssuer")));
    let audience = tagged(&authorizer["jwtConfiguration"]["audience"][0]).unwrap();
    assert_eq!((audience.0.as_str(), audience.1.as_str()), ("Ref", Some("JwtAudience")));

    let mode = tagged(&template["Globals"]["Function"]["Environment"]["Variables"]["INVITES_AUTH_MODE"]).unwrap();
    assert_eq!((mode.0.as_str(), mode.1.as_str()), ("Ref", Some("AuthMode")));
}
