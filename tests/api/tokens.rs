//! acceptUserInvite and checkUserInviteToken: the invite token is the credential, it
//! works once, and it never shows up where it should not.

use invites_shared::domain::InviteToken;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{
    TestApp, assert_no_secrets, b64url, json_of, problem, spawn_app, token_answer, unknown_token_answer,
};

async fn invited(app: &TestApp, email: &str) -> (Value, String) {
    let invite = app.invite(email).await;
    let token = app.tokens_to(email).await.remove(0);
    (invite, token)
}

#[tokio::test]
async fn the_token_is_long_url_safe_and_unique() {
    let app = spawn_app().await;
    let (_, a) = invited(&app, "a@example.com").await;
    let (_, b) = invited(&app, "b@example.com").await;
    assert_ne!(a, b);
    for t in [&a, &b] {
        assert!(t.len() >= 43, "at least 256 bits in base64url: {t}");
        assert!(
            t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "URL-safe: {t}"
        );
    }
}

#[tokio::test]
async fn a_user_of_any_tenant_or_none_accepts_for_themselves() {
    let app = spawn_app().await;
    for (i, tenant) in [None, Some(Uuid::new_v4()), Some(app.tenant)].into_iter().enumerate() {
        let email = format!("acceptor{i}@example.com");
        let (invite, token) = invited(&app, &email).await;
        let user = Uuid::new_v4();
        let accepted = json_of(app.accept(&app.token_for(user, tenant, false), &token).await, 200).await;
        assert_eq!(accepted["id"], invite["id"]);
        assert_eq!(accepted["status"], "accepted");
        assert_eq!(accepted["acceptedByUserId"], user.to_string());
        assert_eq!(
            accepted["tenantId"],
            app.tenant.to_string(),
            "the invite stays in its tenant"
        );
        assert_no_secrets(&accepted);
        let fetched = app.fetch(&invite["id"]).await;
        assert_eq!(fetched["status"], "accepted");
        assert_eq!(fetched["acceptedByUserId"], user.to_string());
        assert_eq!(fetched["statusUpdatedAt"], accepted["statusUpdatedAt"]);
    }
}

#[tokio::test]
async fn accept_records_when() {
    let app = spawn_app().await;
    let (invite, token) = invited(&app, "when@example.com").await;
    app.advance(chrono::Duration::hours(2));
    let accepted = json_of(app.accept_as_anyone(&token).await, 200).await;
    assert_ne!(accepted["statusUpdatedAt"], invite["statusUpdatedAt"]);
    assert_ne!(accepted["updatedAt"], invite["updatedAt"]);
    assert_eq!(accepted["createdAt"], invite["createdAt"]);
    let at = chrono::DateTime::parse_from_rfc3339(accepted["statusUpdatedAt"].as_str().unwrap()).unwrap();
    assert_eq!(at, app.now());
}

#[tokio::test]
async fn a_user_may_name_only_themselves_as_acceptor() {
    let app = spawn_app().await;
    let (invite, token) = invited(&app, "self@example.com").await;
    let user = Uuid::new_v4();
    let caller = app.token_for(user, None, false);
    problem(
        app.post(
            "/user-invites/accept",
            Some(&caller),
            json!({ "acceptUserInvite": { "token": token, "acceptedByUserId": Uuid::new_v4() } }),
        )
        .await,
        403,
        "FORBIDDEN",
    )
    .await;
    assert_eq!(
        app.fetch(&invite["id"]).await["status"],
        "pending",
        "nothing was consumed"
    );
    let accepted = json_of(
        app.post(
            "/user-invites/accept",
            Some(&caller),
            json!({ "acceptUserInvite": { "token": token, "acceptedByUserId": user } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(accepted["acceptedByUserId"], user.to_string());
}

#[tokio::test]
async fn a_super_admin_may_name_the_acceptor() {
    let app = spawn_app().await;
    let (_, token) = invited(&app, "named@example.com").await;
    let named = Uuid::new_v4();
    let accepted = json_of(
        app.post(
            "/user-invites/accept",
            Some(&app.super_admin_token()),
            json!({ "acceptUserInvite": { "token": token, "acceptedByUserId": named } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(accepted["acceptedByUserId"], named.to_string());
}

#[tokio::test]
async fn a_super_admin_without_an_acceptor_records_a_new_user_id() {
    let app = spawn_app().await;
    let admin_id = Uuid::new_v4();
    let admin = app.token_for(admin_id, None, true);
    let mut recorded = Vec::new();
    for email in ["fresh1@example.com", "fresh2@example.com"] {
        let (invite, token) = invited(&app, email).await;
        let accepted = json_of(app.accept(&admin, &token).await, 200).await;
        let by = accepted["acceptedByUserId"]
            .as_str()
            .expect("an id is recorded")
            .to_owned();
        let by = Uuid::parse_str(&by).expect("a UUID");
        assert_ne!(by, admin_id, "not the admin's own id");
        assert_ne!(by, app.user);
        assert_eq!(app.fetch(&invite["id"]).await["acceptedByUserId"], by.to_string());
        recorded.push(by);
    }
    assert_ne!(recorded[0], recorded[1], "a new id each time");
}

#[tokio::test]
async fn unknown_or_garbage_tokens_are_token_invalid() {
    let app = spawn_app().await;
    let (invite, real) = invited(&app, "real@example.com").await;
    let id = Uuid::parse_str(invite["id"].as_str().unwrap()).unwrap();
    let mut same_invite_wrong_secret = id.as_bytes().to_vec();
    same_invite_wrong_secret.extend([7u8; 32]);
    let mut flipped = real.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let mut other_invite = Uuid::new_v4().as_bytes().to_vec();
    other_invite.extend([1u8; 32]);
    for token in [
        "garbage".to_owned(),
        "x".repeat(512),
        "a b c".to_owned(),
        b64url(&same_invite_wrong_secret),
        b64url(&other_invite),
        String::from_utf8(flipped).unwrap(),
        real.to_uppercase(),
        format!("{real}A"),
    ] {
        let p = problem(app.accept_as_anyone(&token).await, 404, "TOKEN_INVALID").await;
        assert!(!p.to_string().contains(&token), "the token is not echoed");
        assert_eq!(app.check(&token).await, unknown_token_answer(), "{token}");
    }
    assert_eq!(app.fetch(&invite["id"]).await["status"], "pending");
    assert_eq!(app.check(&real).await["isValid"], true);
}

#[tokio::test]
async fn accepting_twice_is_a_conflict() {
    let app = spawn_app().await;
    let (invite, token) = invited(&app, "twice@example.com").await;
    let first = Uuid::new_v4();
    json_of(app.accept(&app.token_for(first, None, false), &token).await, 200).await;
    problem(app.accept_as_anyone(&token).await, 409, "INVITE_ALREADY_ACCEPTED").await;
    problem(
        app.accept(&app.token_for(first, None, false), &token).await,
        409,
        "INVITE_ALREADY_ACCEPTED",
    )
    .await;
    assert_eq!(
        app.check(&token).await,
        token_answer(&invite, "accepted"),
        "an accept page can say the invite was accepted already"
    );
}

#[tokio::test]
async fn accepting_a_canceled_invite_is_gone() {
    let app = spawn_app().await;
    let (invite, token) = invited(&app, "gone@example.com").await;
    json_of(app.cancel(&invite["id"]).await, 200).await;
    problem(app.accept_as_anyone(&token).await, 410, "INVITE_CANCELED").await;
    assert_eq!(app.fetch(&invite["id"]).await["status"], "canceled");
    assert_eq!(
        app.check(&token).await,
        token_answer(&invite, "canceled"),
        "an accept page can say the invite was canceled"
    );
}

#[tokio::test]
async fn after_accept_the_same_email_can_be_invited_again() {
    let app = spawn_app().await;
    let (first, token) = invited(&app, "again@example.com").await;
    json_of(app.accept_as_anyone(&token).await, 200).await;
    let second = app.invite("AGAIN@example.com").await;
    assert_ne!(second["id"], first["id"]);
    assert_eq!(second["status"], "pending");
    let pending = app.list("status=pending&email=again%40example.com").await;
    assert_eq!(pending["totalCount"], 1);
    let all = app.list("email=again%40example.com").await;
    assert_eq!(all["totalCount"], 2);
}

#[tokio::test]
async fn check_token_reports_a_valid_token_and_consumes_nothing() {
    let app = spawn_app().await;
    let (invite, token) = invited(&app, "Check.Me@Example.com").await;
    for _ in 0..3 {
        assert_eq!(app.check(&token).await, token_answer(&invite, "pending"));
    }
    let after = app.fetch(&invite["id"]).await;
    assert_eq!(after, invite, "checking changes nothing");
    json_of(app.accept_as_anyone(&token).await, 200).await;
}

#[tokio::test]
async fn check_token_tells_the_holder_what_accepting_means_and_nothing_more() {
    let app = spawn_app().await;
    let sent = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{
                "email": "holder@example.com", "firstName": "Private", "lastName": "Name",
                "roles": ["editor", "viewer"], "data": { "secret": "internal" },
            }]),
        )
        .await,
        200,
    )
    .await;
    let invite = sent["success"][0].clone();
    let token = app.tokens_to("holder@example.com").await.remove(0);
    let answer = app.check(&token).await;
    assert_eq!(answer["roles"], json!(["editor", "viewer"]));
    assert_eq!(answer["tenantId"], app.tenant.to_string());
    assert_eq!(answer["expiresAt"], invite["expiresAt"]);
    assert_eq!(answer["status"], "pending");
    // Exactly these fields: never the invite's id, names, data or anyone's user id.
    let mut keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "createdByName",
            "email",
            "expiresAt",
            "isExpired",
            "isValid",
            "roles",
            "status",
            "tenantId",
            "tenantName",
        ],
        "{answer}"
    );
    for private in [
        "Private",
        "internal",
        invite["id"].as_str().unwrap(),
        &app.user.to_string(),
    ] {
        assert!(!answer.to_string().contains(private), "{private} leaked: {answer}");
    }
}

#[tokio::test]
async fn no_response_carries_the_token_or_its_hash() {
    let app = spawn_app().await;
    let (invite, first) = invited(&app, "secret@example.com").await;
    let id = invite["id"].as_str().unwrap().to_owned();
    let user = app.user_token();
    let mut bodies: Vec<Value> = vec![invite.clone()];
    bodies.push(app.fetch(&invite["id"]).await);
    bodies.push(app.list("").await);
    bodies.push(
        json_of(
            app.patch(
                &format!("/user-invites/{id}"),
                Some(&user),
                json!({ "userInvite": { "firstName": "S" } }),
            )
            .await,
            200,
        )
        .await,
    );
    bodies.push(app.check(&first).await);
    bodies.push(json_of(app.resend(&invite["id"], json!({})).await, 200).await);
    let second = app
        .new_token_to("secret@example.com", std::slice::from_ref(&first))
        .await;
    assert_ne!(first, second);
    bodies.push(app.fetch(&invite["id"]).await);
    bodies.push(problem(app.accept_as_anyone(&first).await, 404, "TOKEN_INVALID").await);
    bodies.push(problem(app.accept_as_anyone("garbage").await, 404, "TOKEN_INVALID").await);
    bodies.push(json_of(app.accept_as_anyone(&second).await, 200).await);
    bodies.push(problem(app.accept_as_anyone(&second).await, 409, "INVITE_ALREADY_ACCEPTED").await);
    bodies.push(app.list("status=accepted").await);
    // Both tokens and both hashes, in every body: the first token was live for the first
    // half of them, the second for the rest.
    let mut secrets = Vec::new();
    for token in [&first, &second] {
        secrets.push(token.clone());
        secrets.push(InviteToken::from_submitted(token).unwrap().hash().as_str().to_owned());
    }
    for body in &bodies {
        assert_no_secrets(body);
        let text = body.to_string();
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{body} carries {secret}");
        }
    }
}
