//! An identity provider's key set (JWKS), served by the test with generated RS256 and
//! ES256 keys: each token's key is picked by its `kid`, the algorithms are the
//! configuration's, a rotation is followed, an unknown `kid` refreshes the set at most
//! once a minute, and an unreachable provider fails the start but not a running server.

use chrono::Duration;
use invites_shared::config::Config;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::jwks::{JwksServer, unreachable_url};
use crate::helpers::keys::TestKey;
use crate::helpers::{TestApp, b64url, json_of, problem, spawn_app_with, start_error};

fn claims(app: &TestApp) -> Value {
    let exp = (chrono::Utc::now() + Duration::hours(1)).timestamp();
    json!({ "sub": app.user, "tenantId": app.tenant, "exp": exp })
}

async fn spawn_with_key_set(jwks: &JwksServer, algorithms: &str) -> TestApp {
    spawn_app_with(&[
        ("INVITES_JWT_JWKS_URL", jwks.url.as_str()),
        ("INVITES_JWT_ALGORITHMS", algorithms),
    ])
    .await
}

async fn status(app: &TestApp, token: &str) -> u16 {
    app.get("/user-invites", Some(token)).await.status().as_u16()
}

async fn refused(app: &TestApp, token: &str, why: &str) {
    let p = problem(app.get("/user-invites", Some(token)).await, 401, "UNAUTHENTICATED").await;
    assert_eq!(p["status"], 401, "{why}");
}

#[tokio::test]
async fn rs256_and_es256_tokens_are_verified_with_the_key_their_kid_names() {
    let (rsa, ec) = (TestKey::rsa(), TestKey::ec());
    let jwks = JwksServer::start(vec![rsa.jwk("rsa-1"), ec.jwk("ec-1")]).await;
    let app = spawn_with_key_set(&jwks, "RS256,ES256").await;
    let claims = claims(&app);

    // The whole way through with either key.
    let body = json!([{ "email": "jwks@example.com" }]);
    json_of(app.send(&rsa.sign(Some("rsa-1"), &claims), app.tenant, body).await, 200).await;
    let listed = json_of(
        app.get("/user-invites", Some(&ec.sign(Some("ec-1"), &claims))).await,
        200,
    )
    .await;
    assert_eq!(listed["totalCount"], 1);

    let public_pem = rsa.public_pem();
    for (why, token) in [
        ("no kid", rsa.sign(None, &claims)),
        ("the kid of another key", rsa.sign(Some("ec-1"), &claims)),
        (
            "a kid the set does not hold",
            TestKey::rsa().sign(Some("rsa-2"), &claims),
        ),
        (
            "a key of the same kind not in the set, under a known kid",
            TestKey::rsa().sign(Some("rsa-1"), &claims),
        ),
        (
            "HS256 keyed with the public key (key confusion)",
            jsonwebtoken::encode(
                &Header {
                    kid: Some("rsa-1".into()),
                    ..Header::new(Algorithm::HS256)
                },
                &claims,
                &EncodingKey::from_secret(public_pem.as_bytes()),
            )
            .unwrap(),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64url(json!({ "alg": "none", "kid": "rsa-1" }).to_string().as_bytes()),
                b64url(claims.to_string().as_bytes())
            ),
        ),
    ] {
        refused(&app, &token, why).await;
    }
    let listed = json_of(
        app.get("/user-invites", Some(&rsa.sign(Some("rsa-1"), &claims))).await,
        200,
    )
    .await;
    assert_eq!(listed["totalCount"], 1, "nothing else was created");
}

#[tokio::test]
async fn the_algorithms_are_the_configurations_never_the_tokens() {
    let (rsa, ec) = (TestKey::rsa(), TestKey::ec());
    let jwks = JwksServer::start(vec![rsa.jwk("rsa-1"), ec.jwk("ec-1")]).await;
    // Only ES256 allowed: the RSA key in the set verifies nothing.
    let app = spawn_with_key_set(&jwks, "ES256").await;
    let claims = claims(&app);
    assert_eq!(status(&app, &ec.sign(Some("ec-1"), &claims)).await, 200);
    refused(&app, &rsa.sign(Some("rsa-1"), &claims), "RS256 is not configured").await;
    // A key's own `alg` narrows it further: an RSA key published for RS256 only does
    // not verify a PS256 signature, even with PS256 configured.
    let app = spawn_with_key_set(&jwks, "RS256,PS256").await;
    let mut header = Header::new(Algorithm::PS256);
    header.kid = Some("rsa-1".into());
    let pss = jsonwebtoken::encode(&header, &claims, rsa.encoding_key()).unwrap();
    refused(&app, &pss, "PS256 with a key published for RS256").await;
    assert_eq!(status(&app, &rsa.sign(Some("rsa-1"), &claims)).await, 200);
}

#[tokio::test]
async fn a_rotation_is_followed_and_a_withdrawn_key_stops_verifying() {
    let (old, new) = (TestKey::rsa(), TestKey::ec());
    let jwks = JwksServer::start(vec![old.jwk("2026-01")]).await;
    let app = spawn_with_key_set(&jwks, "RS256,ES256").await;
    let claims = claims(&app);
    assert_eq!(jwks.fetches(), 1, "fetched once at start");
    assert_eq!(status(&app, &old.sign(Some("2026-01"), &claims)).await, 200);
    assert_eq!(jwks.fetches(), 1, "a known kid needs no fetch");

    // The provider publishes the next key, then signs with it.
    jwks.publish(vec![old.jwk("2026-01"), new.jwk("2026-02")]);
    assert_eq!(status(&app, &new.sign(Some("2026-02"), &claims)).await, 200);
    assert_eq!(jwks.fetches(), 2, "the unknown kid refreshed the set once");

    // Then withdraws the old one: it stops verifying once the set is fetched again.
    jwks.publish(vec![new.jwk("2026-02")]);
    assert_eq!(status(&app, &old.sign(Some("2026-01"), &claims)).await, 200);
    app.advance(Duration::hours(1) + Duration::seconds(1));
    refused(&app, &old.sign(Some("2026-01"), &claims), "a withdrawn key").await;
    assert_eq!(jwks.fetches(), 3, "an old set is fetched again");
    assert_eq!(status(&app, &new.sign(Some("2026-02"), &claims)).await, 200);
    assert_eq!(jwks.fetches(), 3);
}

#[tokio::test]
async fn unknown_kids_refresh_the_set_at_most_once_a_minute() {
    let key = TestKey::rsa();
    let jwks = JwksServer::start(vec![key.jwk("k1")]).await;
    let app = spawn_with_key_set(&jwks, "RS256").await;
    let claims = claims(&app);
    let forged = |kid: &str| TestKey::rsa().sign(Some(kid), &claims);

    refused(&app, &forged("unknown-1"), "an unknown kid").await;
    assert_eq!(jwks.fetches(), 2, "one refresh");
    // A flood of unknown kids, at once and one after the other: no more fetches.
    let tokens: Vec<String> = (0..20).map(|i| forged(&format!("flood-{i}"))).collect();
    let statuses = futures::future::join_all(tokens.iter().map(|t| status(&app, t))).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    refused(&app, &forged("unknown-2"), "another unknown kid").await;
    assert_eq!(jwks.fetches(), 2, "refreshes are rate-limited");
    assert_eq!(status(&app, &key.sign(Some("k1"), &claims)).await, 200);

    app.advance(Duration::seconds(61));
    refused(&app, &forged("unknown-3"), "an unknown kid a minute later").await;
    assert_eq!(jwks.fetches(), 3, "a minute later one more refresh");
}

#[tokio::test]
async fn a_key_set_unreachable_at_start_is_a_clear_start_up_error() {
    let closed = unreachable_url().await;
    let error = start_error(&[("INVITES_JWT_JWKS_URL", closed.as_str())]).await;
    assert!(error.contains("INVITES_JWT_JWKS_URL"), "{error}");
    assert!(error.contains("could not fetch the key set from"), "{error}");

    let down = JwksServer::start(vec![TestKey::rsa().jwk("k")]).await;
    down.set_down(true);
    let error = start_error(&[("INVITES_JWT_JWKS_URL", down.url.as_str())]).await;
    assert!(error.contains("HTTP 503"), "{error}");

    // A set with no key for the configured algorithms fails as clearly.
    let ec_only = JwksServer::start(vec![TestKey::ec().jwk("ec")]).await;
    let error = start_error(&[("INVITES_JWT_JWKS_URL", ec_only.url.as_str())]).await;
    assert!(error.contains("holds no signing key"), "{error}");

    // Plain HTTP to another machine is refused before anything is fetched.
    let error = Config::from_lookup(
        |name| (name == "INVITES_JWT_JWKS_URL").then(|| "http://idp.example.com/jwks".to_owned()),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("must be https"), "{error}");
}

#[tokio::test]
async fn a_key_set_unreachable_later_keeps_the_keys_held() {
    let (held, next) = (TestKey::rsa(), TestKey::rsa());
    let jwks = JwksServer::start(vec![held.jwk("held")]).await;
    let app = spawn_with_key_set(&jwks, "RS256").await;
    let claims = claims(&app);

    jwks.set_down(true);
    jwks.publish(vec![held.jwk("held"), next.jwk("next")]);
    // The set is old and cannot be fetched again: the held key still verifies.
    app.advance(Duration::hours(2));
    assert_eq!(status(&app, &held.sign(Some("held"), &claims)).await, 200);
    assert_eq!(jwks.fetches(), 2, "the refresh was tried");
    refused(
        &app,
        &next.sign(Some("next"), &claims),
        "a key that could not be fetched",
    )
    .await;

    // The provider answers again: the next refresh brings the new key.
    jwks.set_down(false);
    app.advance(Duration::seconds(61));
    assert_eq!(status(&app, &next.sign(Some("next"), &claims)).await, 200);
    assert_eq!(status(&app, &held.sign(Some("held"), &claims)).await, 200);
    assert_eq!(jwks.fetches(), 3);
}
