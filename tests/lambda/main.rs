//! The Lambda side of the service: every function's sample events (events/) run through
//! that function's handler against DynamoDB (moto); every operation has its function
//! crate, its events and its template resource; the template's routes are the route
//! table's, its policies are least-privilege, and its table is the code's table; and the
//! stream-driven mailer (mailer.rs).

mod mailer;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, Utc};
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET};
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::dynamo::{self, DynamoStore, LIST_INDEXES, PARTITION_KEY, SORT_KEY, TENANT_KEY, TTL_ATTRIBUTE};
use invites_shared::email::NoSender;
use invites_shared::http::{Api, ROUTES};
use invites_shared::operation::Operation;
use invites_shared::store::InviteStore;
use serde_json::Value;
use yaml_serde::Value as Yaml;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn operations() -> Vec<Operation> {
    ROUTES.iter().map(|r| r.operation).collect()
}

pub(crate) fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh table holding the fixtures the events act on, and the API over it as the
/// functions build it.
async fn api_with_fixtures() -> Api {
    let (config, store) = seed_fixtures(EmailStatus::Skipped, None).await;
    invites_shared::lambda::build_api(&config, store, Arc::new(NoSender)).unwrap()
}

/// A fresh table holding the fixture invites (the first one addressed to `email` when
/// given), with their email in `email_status`; and the functions' configuration for it.
pub(crate) async fn seed_fixtures(email_status: EmailStatus, email: Option<&str>) -> (Config, Arc<DynamoStore>) {
    let fixtures = read_json(&root().join("events/fixtures.json"));
    let table = format!("invites-events-{}", uuid::Uuid::new_v4());
    let client = dynamo::client_from_env(None).await;
    dynamo::create_table(&client, &table).await.unwrap();
    let store = DynamoStore::new(client, &table);
    let now = Utc::now();
    for fixture in fixtures["invites"].as_array().unwrap() {
        let id = InviteId::parse(fixture["id"].as_str().unwrap()).unwrap();
        let token = match fixture["token"].as_str() {
            Some(token) => InviteToken::from_submitted(token).expect("the fixture token has our shape"),
            None => InviteToken::generate(id),
        };
        assert_eq!(token.invite_id(), id, "the fixture token belongs to its invite");
        let email = match (email, fixture["token"].is_string()) {
            (Some(email), true) => email.to_owned(),
            _ => fixture["email"].as_str().unwrap().to_owned(),
        };
        let email = EmailAddress::parse(&email).expect("the fixture email is valid");
        let issue = NewInvite {
            id,
            tenant_id: TenantId::parse(fixtures["tenantId"].as_str().unwrap()).unwrap(),
            email: &email,
            created_by: UserId::parse(fixtures["userId"].as_str().unwrap()).unwrap(),
            token_hash: token.hash(),
            email_status,
            expires_at: now + Duration::days(7),
        };
        let invite = Invite {
            roles: vec!["content-creator".into()],
            ..Invite::issued(issue, now)
        };
        store.insert(&invite, now).await.unwrap();
    }
    let vars = BTreeMap::from([
        ("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET.to_owned()),
        ("INVITES_TABLE_NAME", table),
    ]);
    let config = Config::from_lookup(|name| vars.get(name).cloned(), None).unwrap();
    (config, Arc::new(store))
}

fn event(operation: Operation, kind: &str) -> lambda_http::Request {
    let path = root()
        .join("events")
        .join(operation.function_crate())
        .join(format!("{kind}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lambda_http::request::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not an API Gateway event: {e}", path.display()))
}

/// What each function's success event must show, beyond its 200.
fn check_success(operation: Operation, body: &Value) {
    match operation {
        Operation::SendUserInvites => {
            assert_eq!(body["success"].as_array().unwrap().len(), 1, "{body}");
            assert!(body["success"][0]["acceptUrl"].is_string(), "{body}");
        }
        Operation::ResendUserInvite => assert_eq!(body["sendCount"], 2, "{body}"),
        Operation::CancelUserInvite => assert_eq!(body["status"], "canceled", "{body}"),
        Operation::AcceptUserInvite => assert_eq!(body["status"], "accepted", "{body}"),
        Operation::CheckUserInviteToken => {
            assert_eq!(body["isValid"], true, "{body}");
            assert_eq!(body["email"], "fixture@example.com", "{body}");
        }
        Operation::UpdateUserInvite => assert_eq!(body["firstName"], "Fast", "{body}"),
        Operation::ListUserInvites => assert_eq!(body["totalCount"], 2, "{body}"),
        Operation::GetUserInvite => assert_eq!(body["email"], "fixture@example.com", "{body}"),
    }
}

fn expected_error(operation: Operation) -> (u16, &'static str) {
    match operation {
        Operation::SendUserInvites => (403, "FORBIDDEN"),
        Operation::ResendUserInvite => (404, "NOT_FOUND"),
        Operation::CancelUserInvite => (404, "NOT_FOUND"),
        Operation::AcceptUserInvite => (404, "TOKEN_INVALID"),
        Operation::CheckUserInviteToken => (400, "VALIDATION_FAILED"),
        Operation::UpdateUserInvite => (400, "VALIDATION_FAILED"),
        Operation::ListUserInvites => (400, "VALIDATION_FAILED"),
        Operation::GetUserInvite => (401, "UNAUTHENTICATED"),
    }
}

fn body_of(response: &lambda_http::Response<lambda_http::Body>) -> Value {
    serde_json::from_slice(response.body().as_ref()).expect("a JSON body")
}

#[tokio::test]
async fn every_event_runs_through_its_functions_handler() {
    for operation in operations() {
        let api = api_with_fixtures().await;
        let response = invites_shared::lambda::handle(&api, operation, event(operation, "success")).await;
        let body = body_of(&response);
        assert_eq!(response.status(), 200, "{} success: {body}", operation.name());
        assert_eq!(response.headers()["content-type"], "application/json");
        check_success(operation, &body);

        let api = api_with_fixtures().await;
        let response = invites_shared::lambda::handle(&api, operation, event(operation, "error")).await;
        let body = body_of(&response);
        let (status, code) = expected_error(operation);
        assert_eq!(response.status(), status, "{} error: {body}", operation.name());
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        assert_eq!(body["code"], code, "{} error: {body}", operation.name());
    }
}

#[tokio::test]
async fn a_function_serves_only_its_own_route() {
    let api = api_with_fixtures().await;
    for operation in operations() {
        for other in operations().into_iter().filter(|o| *o != operation) {
            let response = invites_shared::lambda::handle(&api, other, event(operation, "success")).await;
            assert_eq!(
                response.status(),
                404,
                "{} served {}'s event",
                other.name(),
                operation.name()
            );
        }
    }
}

fn template() -> Yaml {
    let text = std::fs::read_to_string(root().join("template.yaml")).unwrap();
    yaml_serde::from_str(&text).expect("template.yaml is YAML")
}

fn resources_of_type<'a>(template: &'a Yaml, kind: &str) -> Vec<(&'a str, &'a Yaml)> {
    template["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(name, r)| (name.as_str().unwrap(), r))
        .collect()
}

fn text(value: &Yaml) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{value:?}"))
}

#[test]
fn every_operation_has_its_crate_its_events_and_its_template_function() {
    let template = template();
    let functions = resources_of_type(&template, "AWS::Serverless::Function");
    let mut template_routes = BTreeSet::new();
    for (_, function) in &functions {
        for event in function["Properties"]["Events"].as_mapping().unwrap().values() {
            if event["Type"].as_str() == Some("HttpApi") {
                template_routes.insert((text(&event["Properties"]["Method"]), text(&event["Properties"]["Path"])));
            }
        }
    }
    let contract_routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    assert_eq!(
        template_routes, contract_routes,
        "the template's routes are the route table's"
    );

    for operation in operations() {
        let name = operation.function_crate();
        let manifest = std::fs::read_to_string(root().join("functions").join(name).join("Cargo.toml"))
            .unwrap_or_else(|_| panic!("functions/{name} has no crate"));
        assert!(manifest.contains(&format!("name = \"{name}\"")));
        let main = std::fs::read_to_string(root().join("functions").join(name).join("src/main.rs")).unwrap();
        // The endpoint type of the same name, whose route `a_function_serves_only_its_own_route` checks.
        assert!(
            main.contains(&format!("lambda::run::<{operation:?}>()")),
            "functions/{name} serves {operation:?}"
        );
        for kind in ["success", "error"] {
            assert!(
                root().join("events").join(name).join(format!("{kind}.json")).is_file(),
                "events/{name}/{kind}.json"
            );
        }
        let serving: Vec<_> = functions
            .iter()
            .filter(|(_, f)| f["Metadata"]["BuildProperties"]["Binary"].as_str() == Some(name))
            .collect();
        assert_eq!(serving.len(), 1, "one template function builds {name}");
        let route = ROUTES.iter().find(|r| r.operation == operation).unwrap();
        let (_, function) = serving[0];
        let events: Vec<_> = function["Properties"]["Events"]
            .as_mapping()
            .unwrap()
            .values()
            .collect();
        assert!(
            events
                .iter()
                .any(|e| text(&e["Properties"]["Method"]) == route.method.as_str()
                    && text(&e["Properties"]["Path"]) == route.path),
            "{name} is wired to {} {}",
            route.method,
            route.path
        );
        assert_eq!(function["Metadata"]["BuildMethod"].as_str(), Some("rust-cargolambda"));
    }
}

/// Every action a function's policy allows.
fn allowed_actions(function: &Yaml) -> BTreeSet<String> {
    let mut actions = BTreeSet::new();
    for policy in function["Properties"]["Policies"].as_sequence().unwrap() {
        for statement in policy["Statement"].as_sequence().unwrap() {
            match &statement["Action"] {
                Yaml::Sequence(list) => actions.extend(list.iter().map(text)),
                single => {
                    actions.insert(text(single));
                }
            }
        }
    }
    actions
}

#[test]
fn read_only_functions_cannot_write_and_only_the_mailer_may_email() {
    let template = template();
    let functions = resources_of_type(&template, "AWS::Serverless::Function");
    let by_binary = |name: &str| {
        functions
            .iter()
            .find(|(_, f)| f["Metadata"]["BuildProperties"]["Binary"].as_str() == Some(name))
            .map(|(_, f)| allowed_actions(f))
            .unwrap()
    };
    for read_only in ["get-user-invite", "list-user-invites", "check-user-invite-token"] {
        let actions = by_binary(read_only);
        for action in &actions {
            assert!(
                [
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:Query",
                    "dynamodb:DescribeTable"
                ]
                .contains(&action.as_str()),
                "{read_only} may {action}"
            );
        }
    }
    // Only the mailer sends email; the API functions only queue it.
    let binaries = operations()
        .into_iter()
        .map(|o| o.function_crate())
        .chain(["invite-mailer"]);
    for binary in binaries {
        let actions = by_binary(binary);
        assert!(actions.iter().all(|a| a != "*" && !a.ends_with(":*")), "{actions:?}");
        assert_eq!(
            actions.contains("ses:SendEmail"),
            binary == "invite-mailer",
            "{binary}: {actions:?}"
        );
    }
}

/// An index as (name, key schema, projection type).
type IndexShape = (String, Vec<(String, String)>, String);

#[test]
fn the_template_declares_the_table_the_code_creates() {
    let template = template();
    let table = &template["Resources"]["InvitesTable"]["Properties"];
    let pairs = |list: &Yaml, a: &str, b: &str| -> Vec<(String, String)> {
        list.as_sequence()
            .unwrap()
            .iter()
            .map(|e| (text(&e[a]), text(&e[b])))
            .collect()
    };
    assert_eq!(
        pairs(&table["KeySchema"], "AttributeName", "KeyType"),
        vec![(PARTITION_KEY.into(), "HASH".into()), (SORT_KEY.into(), "RANGE".into())]
    );
    let mut attributes: BTreeSet<(String, String)> = [PARTITION_KEY, SORT_KEY, TENANT_KEY]
        .iter()
        .map(|a| (a.to_string(), "S".to_owned()))
        .collect();
    attributes.extend(LIST_INDEXES.iter().map(|i| (i.sort_key.to_owned(), "S".to_owned())));
    let declared: BTreeSet<_> = pairs(&table["AttributeDefinitions"], "AttributeName", "AttributeType")
        .into_iter()
        .collect();
    assert_eq!(declared, attributes);
    let indexes: Vec<IndexShape> = table["GlobalSecondaryIndexes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|i| {
            (
                text(&i["IndexName"]),
                pairs(&i["KeySchema"], "AttributeName", "KeyType"),
                text(&i["Projection"]["ProjectionType"]),
            )
        })
        .collect();
    let expected: Vec<_> = LIST_INDEXES
        .iter()
        .map(|i| {
            (
                i.name.to_owned(),
                vec![
                    (TENANT_KEY.to_owned(), "HASH".to_owned()),
                    (i.sort_key.to_owned(), "RANGE".to_owned()),
                ],
                "ALL".to_owned(),
            )
        })
        .collect();
    assert_eq!(indexes, expected);
    assert_eq!(text(&table["TimeToLiveSpecification"]["AttributeName"]), TTL_ATTRIBUTE);
    assert_eq!(table["TimeToLiveSpecification"]["Enabled"].as_bool(), Some(true));
    assert_eq!(text(&table["BillingMode"]), "PAY_PER_REQUEST");
    assert_eq!(
        table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
        Some(true)
    );
    assert_eq!(table["SSESpecification"]["SSEEnabled"].as_bool(), Some(true));
}
