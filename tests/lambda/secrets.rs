//! The JWT and cursor secrets, read at init from SSM Parameter Store (a SecureString)
//! or Secrets Manager on moto, named by `..._PARAMETER` / `..._ARN`; and the template's
//! least privilege: only the functions that verify a token may read the JWT secret,
//! only the list function the cursor key, and no function holds either in plain text.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_ssm::types::ParameterType;
use invites_shared::config::DEVELOPMENT_JWT_SECRET;
use invites_shared::domain::EmailStatus;
use invites_shared::email::NoSender;
use invites_shared::lambda::{Function, function_api, secrets_of};
use invites_shared::operation::Operation;
use invites_shared::secrets::{self, Secret};
use serde_json::Value;
use yaml_serde::Value as Yaml;

use crate::gateway::tagged;
use crate::{
    body_of, function_with_fixtures, operations, read_json, resources_of_type, root, seed_fixtures_with, template, text,
};

async fn ssm() -> aws_sdk_ssm::Client {
    aws_sdk_ssm::Client::new(&invites_shared::aws::sdk_config().await)
}

async fn secrets_manager() -> aws_sdk_secretsmanager::Client {
    aws_sdk_secretsmanager::Client::new(&invites_shared::aws::sdk_config().await)
}

/// A fresh parameter of `kind` holding `value`; its name.
async fn parameter(kind: ParameterType, value: &str) -> String {
    let name = format!("/invites-test/{}/secret", uuid::Uuid::new_v4());
    ssm()
        .await
        .put_parameter()
        .name(&name)
        .value(value)
        .r#type(kind)
        // A retried attempt (moto answers slowly under load) must not fail on the first.
        .overwrite(true)
        .send()
        .await
        .expect("moto stores the parameter");
    name
}

/// A fresh Secrets Manager secret holding `value`; its ARN.
async fn secret(value: &str) -> String {
    secrets_manager()
        .await
        .create_secret()
        .name(format!("invites-test-{}", uuid::Uuid::new_v4()))
        .secret_string(value)
        .send()
        .await
        .expect("moto stores the secret")
        .arn
        .expect("an ARN")
}

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| vars.get(name).cloned()
}

fn list_event(query: &str) -> lambda_http::Request {
    let mut event = read_json(&root().join("events/list-user-invites/success.json"));
    event["rawQueryString"] = Value::from(query);
    let parameters: serde_json::Map<String, Value> = query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    event["queryStringParameters"] = Value::Object(parameters);
    lambda_http::request::from_str(&event.to_string()).unwrap()
}

#[tokio::test]
async fn the_secrets_are_read_from_a_secure_string_and_a_secrets_manager_secret() {
    let jwt = parameter(ParameterType::SecureString, DEVELOPMENT_JWT_SECRET).await;
    let cursor = secret("a-cursor-key-only-secrets-manager-knows").await;
    let env = lookup(&[
        ("INVITES_JWT_SECRET_PARAMETER", jwt.as_str()),
        ("INVITES_CURSOR_SECRET_ARN", cursor.as_str()),
    ]);
    let values = secrets::resolve(&env, &[Secret::Jwt, Secret::Cursor]).await.unwrap();
    assert_eq!(values["INVITES_JWT_SECRET"], DEVELOPMENT_JWT_SECRET);
    assert_eq!(
        values["INVITES_CURSOR_SECRET"],
        "a-cursor-key-only-secrets-manager-knows"
    );

    // The list function over them: the events' tokens (signed with the development
    // secret) verify, and a cursor one instance signs is read by another.
    let vars = [
        ("INVITES_JWT_SECRET", values["INVITES_JWT_SECRET"].as_str()),
        ("INVITES_CURSOR_SECRET", values["INVITES_CURSOR_SECRET"].as_str()),
    ];
    let (config, store) = seed_fixtures_with(EmailStatus::Skipped, None, &vars).await;
    let list = Operation::ListUserInvites;
    let instance = |config| {
        let store = store.clone();
        async move { Function::new(function_api(list, &config, store, Arc::new(NoSender)).await.unwrap()) }
    };
    let first = body_of(&instance(config.clone()).await.handle(list, list_event("limit=1")).await);
    let cursor = first["nextCursor"].as_str().expect("a next page").to_owned();
    let next = instance(config.clone())
        .await
        .handle(list, list_event(&format!("limit=1&cursor={cursor}")))
        .await;
    assert_eq!(next.status(), 200, "{}", body_of(&next));
    assert_eq!(body_of(&next)["data"].as_array().unwrap().len(), 1);
    let mut other = config.clone();
    other.cursor_secret = Some(b"another key".to_vec());
    let forged = instance(other)
        .await
        .handle(list, list_event(&format!("limit=1&cursor={cursor}")))
        .await;
    assert_eq!(forged.status(), 400, "a cursor signed with another key is refused");
}

#[tokio::test]
async fn a_secret_that_cannot_be_read_is_a_clear_start_up_error() {
    let plain = parameter(ParameterType::String, "not-secret-at-all").await;
    let error = secrets::resolve(
        &lookup(&[("INVITES_JWT_SECRET_PARAMETER", plain.as_str())]),
        &[Secret::Jwt],
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("INVITES_JWT_SECRET_PARAMETER") && error.contains("SecureString"),
        "{error}"
    );

    let missing = "/invites-test/no-such-parameter";
    let error = secrets::resolve(&lookup(&[("INVITES_JWT_SECRET_PARAMETER", missing)]), &[Secret::Jwt])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("INVITES_JWT_SECRET_PARAMETER") && error.contains(missing),
        "{error}"
    );

    let error = secrets::resolve(
        &lookup(&[(
            "INVITES_CURSOR_SECRET_ARN",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf",
        )]),
        &[Secret::Cursor],
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("INVITES_CURSOR_SECRET_ARN"), "{error}");

    let stored = parameter(ParameterType::SecureString, "s").await;
    for (vars, named) in [
        (
            vec![
                ("INVITES_JWT_SECRET", "plain"),
                ("INVITES_JWT_SECRET_PARAMETER", stored.as_str()),
            ],
            "INVITES_JWT_SECRET is invalid",
        ),
        (
            vec![
                ("INVITES_JWT_SECRET_PARAMETER", stored.as_str()),
                ("INVITES_JWT_SECRET_ARN", "arn:x"),
            ],
            "INVITES_JWT_SECRET_PARAMETER is invalid",
        ),
    ] {
        let error = secrets::resolve(&lookup(&vars), &[Secret::Jwt])
            .await
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(named), "{error}");
    }
}

#[tokio::test]
async fn a_function_reads_only_the_secrets_it_needs() {
    // Nothing is read for a function that takes no JWT: the reference would fail.
    let env = lookup(&[("INVITES_JWT_SECRET_PARAMETER", "/invites-test/never-read")]);
    assert!(
        secrets::resolve(&env, &secrets_of(Operation::CheckUserInviteToken))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(secrets_of(Operation::ListUserInvites), [Secret::Jwt, Secret::Cursor]);
    for operation in operations() {
        let wanted = secrets_of(operation);
        assert_eq!(
            wanted.contains(&Secret::Jwt),
            operation != Operation::CheckUserInviteToken
        );
        assert_eq!(
            wanted.contains(&Secret::Cursor),
            operation == Operation::ListUserInvites
        );
    }
    // And check-token starts with no JWT key at all.
    let function = function_with_fixtures(Operation::CheckUserInviteToken, &[]).await;
    let response = function
        .handle(
            Operation::CheckUserInviteToken,
            crate::event(Operation::CheckUserInviteToken, "success"),
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// The functions' template resources by the binary they package (`CodeUri:
/// target/lambda/<binary>/`, where `cargo lambda build` puts it).
fn function_of<'a>(template: &'a Yaml, binary: &str) -> &'a Yaml {
    let code_uri = format!("target/lambda/{binary}/");
    resources_of_type(template, "AWS::Serverless::Function")
        .into_iter()
        .find(|(_, f)| f["Properties"]["CodeUri"].as_str() == Some(code_uri.as_str()))
        .map(|(_, f)| f)
        .unwrap_or_else(|| panic!("no function builds {binary}"))
}

/// Whether `function`'s policies attach the managed policy `name` (conditionally).
fn attaches(function: &Yaml, name: &str) -> bool {
    function["Properties"]["Policies"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|p| tagged(p))
        .any(|(tag, args)| tag == "If" && tagged(&args[1]).is_some_and(|(t, v)| t == "Ref" && v.as_str() == Some(name)))
}

/// Whether `function`'s inline policies allow `action` on the resource `reference` names.
fn allows(function: &Yaml, action: &str, reference: &str) -> bool {
    function["Properties"]["Policies"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|p| p["Statement"].as_sequence())
        .flatten()
        .any(|s| text(&s["Action"]) == action && text(&s["Resource"]).contains(reference))
}

#[test]
fn the_template_grants_each_secret_to_the_functions_that_read_it_and_holds_none() {
    let template = template();
    let parameters = template["Parameters"].as_mapping().unwrap();
    for gone in ["JwtSecret", "CursorSecret"] {
        assert!(
            !parameters.contains_key(gone),
            "{gone} would sit in the functions' environment"
        );
    }
    let variables = &template["Globals"]["Function"]["Environment"]["Variables"];
    // Declared empty, for `sam local invoke --env-vars` only: never a value, never a parameter.
    assert_eq!(
        variables["INVITES_JWT_SECRET"].as_str(),
        Some(""),
        "the JWT secret in plain text"
    );
    assert!(
        variables["INVITES_CURSOR_SECRET"].is_null(),
        "the cursor key in plain text"
    );
    let policy = &template["Resources"]["JwtSecretReadPolicy"];
    assert_eq!(policy["Type"].as_str(), Some("AWS::IAM::ManagedPolicy"));
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_sequence()
        .unwrap();
    let mut actions = Vec::new();
    for statement in statements {
        let (tag, args) = tagged(statement).expect("each grant only when its reference is set");
        assert_eq!(tag, "If");
        actions.push(text(&args[1]["Action"]));
        assert!(
            !text(&args[1]["Resource"]).contains('*'),
            "one parameter or secret, not all"
        );
    }
    actions.sort();
    assert_eq!(actions, ["secretsmanager:GetSecretValue", "ssm:GetParameter"]);

    for operation in operations() {
        let function = function_of(&template, operation.function_crate());
        let wanted = secrets_of(operation);
        assert_eq!(
            attaches(function, "JwtSecretReadPolicy"),
            wanted.contains(&Secret::Jwt),
            "{} and the JWT secret",
            operation.name()
        );
        assert_eq!(
            allows(function, "secretsmanager:GetSecretValue", "CursorSecret"),
            wanted.contains(&Secret::Cursor),
            "{} and the cursor key",
            operation.name()
        );
        let environment = &function["Properties"]["Environment"]["Variables"];
        assert_eq!(
            !environment["INVITES_CURSOR_SECRET_ARN"].is_null(),
            wanted.contains(&Secret::Cursor),
            "{}",
            operation.name()
        );
    }
    let mailer = function_of(&template, "invite-mailer");
    assert!(!attaches(mailer, "JwtSecretReadPolicy"));
    assert!(!allows(mailer, "secretsmanager:GetSecretValue", "CursorSecret"));
    assert_eq!(
        template["Resources"]["CursorSecret"]["Type"].as_str(),
        Some("AWS::SecretsManager::Secret"),
        "the cursor key is generated, never typed in"
    );
}
