//! The API description: served by invites-local as JSON, and in step with the route
//! table that every server and function reads.

use std::collections::BTreeMap;

use invites_shared::http::ROUTES;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, json_of, problem, spawn_app};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

async fn served_spec(app: &TestApp) -> Value {
    json_of(app.get("/openapi.json", None).await, 200).await
}

/// `(METHOD, path)` to operation, for every operation the spec describes.
fn described_operations(spec: &Value) -> BTreeMap<(String, String), &Value> {
    let mut operations = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for (key, operation) in item.as_object().expect("a path item is an object") {
            if METHODS.contains(&key.as_str()) {
                operations.insert((key.to_ascii_uppercase(), path.clone()), operation);
            }
        }
    }
    operations
}

#[tokio::test]
async fn the_api_description_is_served_as_openapi_3_1_json_without_a_token() {
    let app = spawn_app().await;
    let spec = served_spec(&app).await;
    let version = spec["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3.1."), "openapi: {version}");
    assert_eq!(spec["info"]["title"], "User Invites API");
    assert_eq!(spec["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");

    let head = app.request(Method::HEAD, "/openapi.json", None, None).await;
    assert_eq!(head.status(), 200);

    let post = app.post("/openapi.json", None, serde_json::json!({})).await;
    assert_eq!(
        post.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()),
        Some("GET, HEAD".to_owned())
    );
    problem(post, 405, "METHOD_NOT_ALLOWED").await;
}

#[tokio::test]
async fn the_spec_describes_exactly_the_route_table() {
    let app = spawn_app().await;
    let spec = served_spec(&app).await;
    let described = described_operations(&spec);

    for route in &ROUTES {
        let key = (route.method.as_str().to_owned(), route.path.to_owned());
        let operation = described
            .get(&key)
            .unwrap_or_else(|| panic!("{} {} is not in openapi.yaml", key.0, key.1));
        assert_eq!(
            operation["operationId"],
            route.operation.name(),
            "{} {} has the wrong operationId",
            key.0,
            key.1
        );
    }
    let routed: Vec<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.as_str().to_owned(), r.path.to_owned()))
        .collect();
    let extra: Vec<_> = described.keys().filter(|k| !routed.contains(k)).collect();
    assert!(
        extra.is_empty(),
        "openapi.yaml describes operations no route serves: {extra:?}"
    );
}

#[tokio::test]
async fn every_operation_documents_the_errors_every_operation_can_answer() {
    let app = spawn_app().await;
    let spec = served_spec(&app).await;
    for ((method, path), operation) in described_operations(&spec) {
        let responses = operation["responses"].as_object().expect("responses");
        let public = operation.get("security") == Some(&serde_json::json!([]));
        let mut expected = vec!["200", "400", "413", "500", "503"];
        if !public {
            expected.push("401");
        }
        for status in expected {
            assert!(
                responses.contains_key(status),
                "{method} {path} does not document {status}"
            );
        }
        assert!(
            !responses.contains_key("default"),
            "{method} {path}: a default response would hide undocumented statuses"
        );
        for (status, response) in responses {
            let response = resolve(&spec, response);
            let media: Vec<&String> = response["content"].as_object().expect("content").keys().collect();
            let expected = if status.starts_with('2') {
                "application/json"
            } else {
                "application/problem+json"
            };
            assert_eq!(media, [expected], "{method} {path} {status}");
        }
    }
}

/// Follows a local `$ref` (one level, as the responses use them).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(pointer) => spec
            .pointer(pointer.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {pointer}")),
        None => value,
    }
}

/// The `(method, path)` of the operation with this operationId.
fn operation_by_id(spec: &Value, id: &str) -> (Method, String) {
    let ((method, path), _) = described_operations(spec)
        .into_iter()
        .find(|(_, op)| op["operationId"] == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    (Method::from_bytes(method.as_bytes()).unwrap(), path)
}

#[tokio::test]
async fn the_links_of_a_send_lead_to_the_invite_it_created() {
    let app = spawn_app().await;
    let spec = served_spec(&app).await;
    let links = spec["paths"]["/user-invites"]["post"]["responses"]["200"]["links"]
        .as_object()
        .expect("send links its invites")
        .clone();
    let sent = app
        .send(
            &app.user_token(),
            app.tenant,
            serde_json::json!([{ "email": "linked@example.com" }]),
        )
        .await;
    let sent = json_of(sent, 200).await;
    let id = sent["success"][0]["id"].as_str().unwrap().to_owned();

    let mut followed = Vec::new();
    // Cancel last: it ends the invite's life.
    for target in ["userInvite", "updateUserInvite", "resendUserInvite", "cancelUserInvite"] {
        let (name, link) = links
            .iter()
            .find(|(_, link)| link["operationId"] == target)
            .unwrap_or_else(|| panic!("send has no link to {target}"));
        let expression = link["parameters"]["id"].as_str().expect("the link names the id");
        let pointer = expression
            .strip_prefix("$response.body#")
            .unwrap_or_else(|| panic!("{name}: {expression}"));
        assert_eq!(sent.pointer(pointer), Some(&Value::String(id.clone())), "{name}");

        let (method, path) = operation_by_id(&spec, target);
        let body = (method == Method::PATCH).then(|| serde_json::json!({ "userInvite": { "firstName": "Linked" } }));
        let response = app
            .request(method, &path.replace("{id}", &id), Some(&app.user_token()), body)
            .await;
        let invite = json_of(response, 200).await;
        assert_eq!(invite["id"], id.as_str(), "{name}");
        followed.push(target);
    }
    assert_eq!(
        app.fetch(&Value::String(id)).await["status"],
        "canceled",
        "{followed:?}"
    );
}

/// The spec's `TimeZone` lists exactly the zones the service takes: the tz database it
/// is built with (a chrono-tz upgrade that adds or drops a zone fails here until the
/// spec follows).
#[tokio::test]
async fn the_spec_lists_exactly_the_time_zones_the_service_takes() {
    let app = spawn_app().await;
    let spec = served_spec(&app).await;
    let listed: Vec<&str> = spec["components"]["schemas"]["TimeZone"]["enum"]
        .as_array()
        .expect("TimeZone is an enum")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let taken: Vec<&str> = invites_shared::domain::TimeZone::all_names().collect();
    assert_eq!(listed, taken);
}
