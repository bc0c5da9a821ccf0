//! RS256 and ES256: a server configured with a public key (keys the test generates)
//! takes tokens signed with the private key, and only those.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::keys::TestKey;
use crate::helpers::{TestApp, json_of, problem, spawn_app_signed_by};

fn claims(app: &TestApp) -> serde_json::Value {
    let exp = (chrono::Utc::now() + chrono::Duration::hours(1)).timestamp();
    json!({ "sub": app.user, "tenantId": app.tenant, "exp": exp })
}

async fn a_public_key_server_takes_its_keys_tokens_only(key: fn() -> TestKey, other_algorithm: fn() -> TestKey) {
    let app = spawn_app_signed_by(key()).await;
    // The whole lifecycle with the key's tokens.
    let invite = app.invite("pk@example.com").await;
    let token = app.mails_to("pk@example.com").await[0].token();
    json_of(
        app.accept(&app.token_for(Uuid::new_v4(), None, false), &token).await,
        200,
    )
    .await;
    assert_eq!(app.fetch(&invite["id"]).await["status"], "accepted");

    let claims = claims(&app);
    for (why, token) in [
        ("another key of the same kind", key().sign(None, &claims)),
        ("a key of the other algorithm", other_algorithm().sign(None, &claims)),
        (
            "HS256 keyed with the public key (key confusion)",
            jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &claims,
                &EncodingKey::from_secret(app_public_pem(&app).as_bytes()),
            )
            .unwrap(),
        ),
    ] {
        let p = problem(app.get("/user-invites", Some(&token)).await, 401, "UNAUTHENTICATED").await;
        assert_eq!(p["status"], 401, "{why}");
    }
    assert_eq!(app.count().await, 1, "nothing else was created");
}

fn app_public_pem(app: &TestApp) -> String {
    app.var("INVITES_JWT_PUBLIC_KEY").expect("a public key server")
}

#[tokio::test]
async fn rs256_with_a_generated_key() {
    a_public_key_server_takes_its_keys_tokens_only(TestKey::rsa, TestKey::ec).await;
}

#[tokio::test]
async fn es256_with_a_generated_key() {
    a_public_key_server_takes_its_keys_tokens_only(TestKey::ec, TestKey::rsa).await;
}
