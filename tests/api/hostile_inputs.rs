//! Inputs that are valid JSON and look valid, but are hostile: addresses that look like
//! another, names that hide text or carry a link, numbers that would not come back as
//! sent. Each is refused (or matched as the address it really is), and nothing is stored.

use serde_json::{Value, json};

use crate::helpers::{json_of, problem, sent_emails, spawn_app};

#[tokio::test]
async fn one_domain_in_unicode_nfd_or_punycode_is_one_address() {
    let app = spawn_app().await;
    app.invite("kunde@b\u{FC}cher.de").await;
    for variant in [
        "kunde@bu\u{308}cher.de",
        "KUNDE@xn--bcher-kva.de",
        "kunde@B\u{DC}CHER.DE",
    ] {
        let body = json_of(
            app.send(&app.user_token(), app.tenant, json!([{ "email": variant }]))
                .await,
            200,
        )
        .await;
        assert_eq!(
            body["errors"][0]["code"], "DUPLICATE_PENDING_INVITE",
            "{variant}: {body}"
        );
    }
    assert_eq!(app.count().await, 1);
    // The one email went out to the ASCII form of the domain.
    assert_eq!(app.outbox().await[0].to, "kunde@xn--bcher-kva.de");
}

#[tokio::test]
async fn addresses_that_look_like_another_or_cannot_be_delivered_are_refused() {
    let app = spawn_app().await;
    let bad = [
        ("jo\u{200B}hn@example.com", "invisible"),
        ("\u{FEFF}john@example.com", "invisible"),
        ("john@exam\u{202E}ple.com", "invisible"),
        ("jos\u{E9}@example.com", "ASCII"),
        ("jose\u{301}@example.com", "ASCII"),
        ("john@192.168.0.1", "IP address"),
        ("john@example.123", "numeric"),
        ("john@my_host.example.com", "valid domain"),
        ("john@ex\u{430}mple.com", "mixes scripts"),
    ];
    let invitees: Vec<Value> = bad.iter().map(|(email, _)| json!({ "email": email })).collect();
    let body = json_of(
        app.send(&app.user_token(), app.tenant, Value::Array(invitees)).await,
        200,
    )
    .await;
    assert!(sent_emails(&body).is_empty(), "{body}");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), bad.len(), "{body}");
    for (error, (email, why)) in errors.iter().zip(bad) {
        assert_eq!(error["code"], "VALIDATION_FAILED", "{email:?}");
        assert!(error["message"].as_str().unwrap().contains(why), "{email:?}: {error}");
    }
    assert_eq!(app.count().await, 0);
    assert!(app.outbox().await.is_empty());
}

#[tokio::test]
async fn names_that_hide_text_or_carry_a_link_are_refused_on_send_and_update() {
    let app = spawn_app().await;
    let names = [
        "Alice\u{202E}nimda",
        "Al\u{200D}ice",
        "Alice\u{2028}Admin",
        "Alice https://evil.example",
        "see www.evil.example",
    ];
    let invitees: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| json!({ "email": format!("n{i}@example.com"), "firstName": name }))
        .collect();
    let body = json_of(
        app.send(&app.user_token(), app.tenant, Value::Array(invitees)).await,
        200,
    )
    .await;
    assert!(sent_emails(&body).is_empty(), "{body}");
    assert_eq!(body["errors"].as_array().unwrap().len(), names.len(), "{body}");
    let invite = app.invite("kept@example.com").await;
    for name in names {
        let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
        let p = problem(
            app.patch(
                &path,
                Some(&app.user_token()),
                json!({ "userInvite": { "lastName": name } }),
            )
            .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "userInvite.lastName", "{p}");
    }
    assert_eq!(app.fetch(&invite["id"]).await["updatedAt"], invite["updatedAt"]);
}

#[tokio::test]
async fn data_numbers_come_back_exactly_or_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let exact = json!({ "max": 18446744073709551615u64, "min": -9223372036854775808i64, "tenth": 0.1, "big": 1e300 });
    let invite = app
        .invite_with(json!({ "email": "numbers@example.com", "data": exact }))
        .await;
    assert_eq!(invite["data"], exact);
    let raw = r#"{"userInvites": {"tenantId": "TENANT", "userInvites": [{"email": "n@example.com", "data": {"n": 12345678901234567890123}}]}}"#
        .replace("TENANT", &app.tenant.to_string());
    let p = problem(
        app.raw(
            reqwest::Method::POST,
            "/user-invites",
            Some(&app.user_token()),
            raw,
            "application/json",
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "userInvites.userInvites[0].data.n", "{p}");
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    let patch = r#"{"userInvite": {"data": {"x": [1, 0.10000000000000000000001]}}}"#;
    let p = problem(
        app.raw(
            reqwest::Method::PATCH,
            &path,
            Some(&app.user_token()),
            patch,
            "application/json",
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "userInvite.data.x[1]", "{p}");
    assert_eq!(app.count().await, 1);
    assert_eq!(app.fetch(&invite["id"]).await["data"], exact);
}

#[tokio::test]
async fn no_answer_may_be_cached() {
    let app = spawn_app().await;
    let invite = app.invite("cache@example.com").await;
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    for response in [
        app.get(&path, Some(&app.user_token())).await,
        app.get("/user-invites", Some(&app.user_token())).await,
        app.get(&path, None).await,
        app.get("/no-such-route", None).await,
        app.post("/user-invites/check-token", None, json!({ "token": "x" }))
            .await,
    ] {
        let status = response.status();
        assert_eq!(
            response.headers().get("cache-control").map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{status}"
        );
    }
}
