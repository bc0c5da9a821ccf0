//! Answers stay bounded whatever the request: a request with a hundred thousand errors
//! is answered with the first hundred and a count of the rest, never megabytes.

use serde_json::{Value, json};

use crate::helpers::{json_of, problem, send_body, spawn_app};

const MAX_PROBLEM_BYTES: usize = 64 * 1024;

#[tokio::test]
async fn a_send_with_120_000_bad_fields_answers_100_of_them_within_64_kib() {
    let app = spawn_app().await;
    // 100 invitees, each with 1,200 roles of the wrong type: 120,000 shape errors.
    let invitees: Vec<Value> = (0..100)
        .map(|i| json!({ "email": format!("r{i}@example.com"), "roles": vec![1; 1200] }))
        .collect();
    let response = app
        .post(
            "/user-invites",
            Some(&app.user_token()),
            send_body(app.tenant, Value::Array(invitees)),
        )
        .await;
    let length = response.content_length();
    let p = problem(response, 400, "VALIDATION_FAILED").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 100, "the first 100 are listed");
    assert_eq!(p["errorsOmitted"], 120_000 - 100, "the rest are counted");
    assert_eq!(p["errors"][0]["field"], "userInvites.userInvites[0].roles[0]");
    assert!(length.unwrap() as usize <= MAX_PROBLEM_BYTES, "{length:?} bytes");
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn long_field_names_are_clipped_in_the_problem() {
    let app = spawn_app().await;
    let mut invitee = serde_json::Map::new();
    invitee.insert("email".into(), json!("a@example.com"));
    for i in 0..20 {
        invitee.insert(format!("{i}{}", "k".repeat(10_000)), json!(1));
    }
    let response = app
        .post(
            "/user-invites",
            Some(&app.user_token()),
            send_body(app.tenant, json!([invitee])),
        )
        .await;
    let length = response.content_length().unwrap() as usize;
    let p = problem(response, 400, "VALIDATION_FAILED").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 20);
    for error in p["errors"].as_array().unwrap() {
        assert!(
            error["field"].as_str().unwrap().chars().count() <= 201,
            "{}",
            error["field"]
        );
    }
    assert!(length <= MAX_PROBLEM_BYTES, "{length} bytes");
}

#[tokio::test]
async fn a_status_filter_of_50_kb_is_one_error() {
    let app = spawn_app().await;
    // 50 KB of commas and bad statuses (the longest URI the client sends is 64 KiB).
    let status = vec!["x"; 25_000].join(",");
    let p = problem(
        app.get(&format!("/user-invites?status={status}"), Some(&app.user_token()))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 1, "{}", p["errors"]);
    assert_eq!(p["errors"][0]["field"], "status");
}

#[tokio::test]
async fn refused_invitees_are_described_in_a_bounded_line_each() {
    let app = spawn_app().await;
    // Bad role values fail only their invitee: 100 refused invitees, 200 bad roles each.
    let invitees: Vec<Value> = (0..100)
        .map(|i| json!({ "email": format!("v{i}@example.com"), "roles": vec!["-x"; 200] }))
        .collect();
    let response = app
        .post(
            "/user-invites",
            Some(&app.user_token()),
            send_body(app.tenant, Value::Array(invitees)),
        )
        .await;
    let length = response.content_length().unwrap() as usize;
    let body = json_of(response, 200).await;
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 100);
    for error in errors {
        let message = error["message"].as_str().unwrap();
        assert!(message.ends_with("and 195 more"), "{message}");
        assert!(message.len() < 1024, "{} bytes", message.len());
    }
    assert!(length < 100 * 1024, "{length} bytes for 100 refused invitees");
    assert_eq!(app.count().await, 0);
}
