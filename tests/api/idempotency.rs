//! Idempotency-Key on send: a repeat replays the first response and does nothing new.

use serde_json::json;
use uuid::Uuid;

use crate::helpers::{json_of, problem, send_body, spawn_app};

#[tokio::test]
async fn a_repeat_replays_the_response_and_creates_and_sends_nothing() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(
        app.tenant,
        json!([{ "email": "once@example.com" }, { "email": "twice@example.com" }, { "email": "bad" }]),
    );
    let first = json_of(app.send_with_key(&token, "key-1", &body).await, 200).await;
    assert_eq!(first["success"].as_array().unwrap().len(), 2);
    assert_eq!(app.outbox().await.len(), 2);
    assert_eq!(app.count().await, 2);

    for _ in 0..3 {
        let again = json_of(app.send_with_key(&token, "key-1", &body).await, 200).await;
        assert_eq!(again, first, "the very same response, the same invite ids");
    }
    assert_eq!(app.outbox().await.len(), 2, "nothing sent again");
    assert_eq!(app.count().await, 2, "nothing created again");
}

#[tokio::test]
async fn without_a_key_a_repeat_is_a_new_request() {
    let app = spawn_app().await;
    let body = send_body(app.tenant, json!([{ "email": "nokey@example.com" }]));
    json_of(
        app.post("/user-invites", Some(&app.user_token()), body.clone()).await,
        200,
    )
    .await;
    let again = json_of(app.post("/user-invites", Some(&app.user_token()), body).await, 200).await;
    assert_eq!(again["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(app.tenant, json!([{ "email": "a@example.com" }]));
    json_of(app.send_with_key(&token, "key-2", &body).await, 200).await;
    let other = send_body(app.tenant, json!([{ "email": "b@example.com" }]));
    problem(
        app.send_with_key(&token, "key-2", &other).await,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    let mut quiet = body.clone();
    quiet["sendEmail"] = json!(false);
    problem(
        app.send_with_key(&token, "key-2", &quiet).await,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    assert_eq!(app.count().await, 1);
    assert_eq!(app.outbox().await.len(), 1);
    assert!(app.mails_to("b@example.com").await.is_empty());
}

#[tokio::test]
async fn keys_are_separate_per_caller() {
    let app = spawn_app().await;
    let body = send_body(app.tenant, json!([{ "email": "mine@example.com" }]));
    let first = json_of(app.send_with_key(&app.user_token(), "shared-key", &body).await, 200).await;

    let colleague = app.token_for(Uuid::new_v4(), Some(app.tenant), false);
    let other = send_body(app.tenant, json!([{ "email": "theirs@example.com" }]));
    let theirs = json_of(app.send_with_key(&colleague, "shared-key", &other).await, 200).await;
    assert_eq!(theirs["success"][0]["email"], "theirs@example.com");
    assert_ne!(theirs, first);
    // The colleague repeating the first caller's body does not get the first response.
    let replay = json_of(app.send_with_key(&colleague, "another", &body).await, 200).await;
    assert_eq!(replay["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
    assert_eq!(app.count().await, 2);
}

#[tokio::test]
async fn another_key_is_another_request() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(app.tenant, json!([{ "email": "k@example.com" }]));
    let first = json_of(app.send_with_key(&token, "k1", &body).await, 200).await;
    let second = json_of(app.send_with_key(&token, "k2", &body).await, 200).await;
    assert_eq!(first["success"].as_array().unwrap().len(), 1);
    assert_eq!(second["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
}

#[tokio::test]
async fn the_replay_lasts_24_hours() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(app.tenant, json!([{ "email": "day@example.com" }]));
    let first = json_of(app.send_with_key(&token, "daily", &body).await, 200).await;
    app.advance(chrono::Duration::hours(23));
    assert_eq!(
        json_of(app.send_with_key(&token, "daily", &body).await, 200).await,
        first
    );
    app.advance(chrono::Duration::hours(2));
    let later = json_of(app.send_with_key(&token, "daily", &body).await, 200).await;
    assert_ne!(later, first, "past the window the request runs anew");
    // The first invite (7 days) is still pending, so the email is taken.
    assert_eq!(later["errors"][0]["code"], "DUPLICATE_PENDING_INVITE");
    assert_eq!(app.outbox().await.len(), 1);
}

#[tokio::test]
async fn a_refused_request_does_not_burn_the_key() {
    let app = spawn_app().await;
    let token = app.user_token();
    // Refused at the edge (400) and by the rules (403), each with its own key ...
    let bad = send_body(app.tenant, json!([{ "email": "x@example.com", "status": "pending" }]));
    problem(app.send_with_key(&token, "retry", &bad).await, 400, "VALIDATION_FAILED").await;
    let forbidden = send_body(Uuid::new_v4(), json!([{ "email": "y@example.com" }]));
    problem(app.send_with_key(&token, "retry2", &forbidden).await, 403, "FORBIDDEN").await;
    assert_eq!(app.count().await, 0);
    // ... and each key then serves a corrected request with another body, and replays it.
    for (key, email) in [("retry", "x@example.com"), ("retry2", "y@example.com")] {
        let good = send_body(app.tenant, json!([{ "email": email }]));
        let ok = json_of(app.send_with_key(&token, key, &good).await, 200).await;
        assert_eq!(ok["success"].as_array().unwrap().len(), 1, "{key}: {ok}");
        assert_eq!(ok["success"][0]["email"], email);
        let again = json_of(app.send_with_key(&token, key, &good).await, 200).await;
        assert_eq!(again, ok, "{key} now names the corrected request");
    }
    assert_eq!(app.count().await, 2);
}

#[tokio::test]
async fn an_invalid_key_is_a_400() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(app.tenant, json!([{ "email": "x@example.com" }]));
    for key in ["", "has space", &"k".repeat(256)] {
        let p = problem(app.send_with_key(&token, key, &body).await, 400, "VALIDATION_FAILED").await;
        assert_eq!(p["errors"][0]["field"], "Idempotency-Key", "{key:?}");
    }
    assert_eq!(app.count().await, 0);
    json_of(app.send_with_key(&token, &"k".repeat(255), &body).await, 200).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_repeats_create_the_invites_once() {
    let app = spawn_app().await;
    let token = app.user_token();
    let body = send_body(
        app.tenant,
        json!([{ "email": "c1@example.com" }, { "email": "c2@example.com" }]),
    );
    let responses = futures::future::join_all((0..8).map(|_| app.send_with_key(&token, "burst", &body))).await;
    let mut replies = Vec::new();
    for response in responses {
        match response.status().as_u16() {
            200 => replies.push(response.json::<serde_json::Value>().await.unwrap()),
            409 => {
                let p: serde_json::Value = response.json().await.unwrap();
                assert_eq!(p["code"], "IDEMPOTENCY_KEY_IN_PROGRESS", "{p}");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(!replies.is_empty());
    for reply in &replies {
        assert_eq!(reply["success"].as_array().unwrap().len(), 2, "{reply}");
        assert_eq!(reply["success"][0]["id"], replies[0]["success"][0]["id"]);
    }
    assert_eq!(app.count().await, 2);
    assert_eq!(app.outbox().await.len(), 2);
    let after = json_of(app.send_with_key(&token, "burst", &body).await, 200).await;
    assert_eq!(after["success"][0]["id"], replies[0]["success"][0]["id"]);
}

#[tokio::test]
async fn a_replayed_quiet_send_does_not_hand_out_the_link_again() {
    let app = spawn_app().await;
    let token = app.user_token();
    let mut body = send_body(app.tenant, json!([{ "email": "quiet@example.com" }]));
    body["sendEmail"] = json!(false);
    let first = json_of(app.send_with_key(&token, "quiet", &body).await, 200).await;
    let url = first["success"][0]["acceptUrl"]
        .as_str()
        .expect("the first response has the link");
    let invite_token = url.split("token=").nth(1).unwrap().to_owned();

    let replay = json_of(app.send_with_key(&token, "quiet", &body).await, 200).await;
    assert_eq!(replay["success"][0]["id"], first["success"][0]["id"]);
    assert!(replay["success"][0].get("acceptUrl").is_none(), "{replay}");
    assert!(!replay.to_string().contains(&invite_token));
    assert_eq!(app.count().await, 1);

    // Nothing in the store holds the token in the clear, and it still works.
    assert!(!app.stored_data().await.contains(&invite_token));
    json_of(app.accept_as_anyone(&invite_token).await, 200).await;
}

#[tokio::test]
async fn the_largest_send_a_body_may_hold_is_replayed_whole() {
    // 100 invitees and as much custom data as the 256 KiB body allows: the answer to
    // keep is at its largest (on DynamoDB, a record must fit in one 400 KB item).
    let app = spawn_app().await;
    let token = app.user_token();
    let invitees: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            json!({ "email": format!("big{i}@example.com"), "firstName": "é".repeat(100),
                         "data": { "notes": "ü".repeat(1150) } })
        })
        .collect();
    let mut body = send_body(app.tenant, json!(invitees));
    body["sendEmail"] = json!(false);
    let size = serde_json::to_vec(&body).unwrap().len();
    assert!(
        size > 250_000 && size <= invites_shared::domain::MAX_BODY_BYTES,
        "{size}"
    );
    let first = json_of(app.send_with_key(&token, "big", &body).await, 200).await;
    assert_eq!(first["success"].as_array().unwrap().len(), 100, "{}", first["errors"]);
    let mut expected = first.clone();
    for view in expected["success"].as_array_mut().unwrap() {
        view.as_object_mut().unwrap().remove("acceptUrl");
    }
    let again = json_of(app.send_with_key(&token, "big", &body).await, 200).await;
    assert_eq!(again, expected, "replayed, not run again");
    assert_eq!(app.count().await, 100);
}
