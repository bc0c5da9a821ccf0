//! The invitation as the invitee receives it: a working link, escaped names, the
//! invitee's language, and headers no input can break.

use mail_parser::MessageParser;
use serde_json::json;

use crate::helpers::{invalid_indexes, json_of, spawn_app, unescape};

#[tokio::test]
async fn the_link_in_the_mail_accepts_the_invite() {
    let app = spawn_app().await;
    let invite = app
        .invite_with(json!({ "email": "link@example.com", "firstName": "Lin", "lastName": "K", "roles": ["editor"] }))
        .await;
    let mails = app.mails_to("link@example.com").await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, "link@example.com");
    let href = format!("href=\"{}\"", mail.accept_link());
    assert!(unescape(&mail.html).contains(&href), "the HTML part has the same link");
    assert!(mail.text.contains("Lin"), "{}", mail.text);
    assert!(mail.text.contains("editor"), "{}", mail.text);
    let accepted = json_of(app.accept_as_anyone(&mail.token()).await, 200).await;
    assert_eq!(accepted["id"], invite["id"]);
}

#[tokio::test]
async fn names_are_escaped_in_the_html() {
    let app = spawn_app().await;
    app.invite_with(
        json!({ "email": "xss@example.com", "firstName": "<script>alert(1)</script>",
                            "lastName": "\"><img src=x onerror=alert(1)>", "roles": ["a.b"] }),
    )
    .await;
    let mail = &app.mails_to("xss@example.com").await[0];
    assert!(mail.html.contains("&lt;script&gt;"), "{}", mail.html);
    assert!(!mail.html.contains("<script>"), "{}", mail.html);
    assert!(!mail.html.contains("<img"), "{}", mail.html);
    assert!(
        mail.text.contains("<script>alert(1)</script>"),
        "the text part is plain"
    );
}

#[tokio::test]
async fn the_mail_is_in_the_invitees_language() {
    let app = spawn_app().await;
    for (locale, subject) in [
        ("en-US", "You have been invited"),
        ("de-DE", "Sie wurden eingeladen"),
        ("de-AT", "Sie wurden eingeladen"),
        ("de", "Sie wurden eingeladen"),
        ("fr-FR", "Vous avez été invité"),
        ("fr-CA", "Vous avez été invité"),
        ("es-ES", "Has recibido una invitación"),
        ("id-ID", "Anda telah diundang"),
        ("ja-JP", "You have been invited"),
        ("zh-Hant-TW", "You have been invited"),
    ] {
        let email = format!("{}@example.com", locale.to_ascii_lowercase());
        let invite = app
            .invite_with(json!({ "email": email, "locale": locale, "firstName": "Ana" }))
            .await;
        assert_eq!(invite["locale"], locale);
        let mail = &app.mails_to(&email).await[0];
        assert_eq!(mail.subject, subject, "{locale}");
        assert!(mail.html.contains(subject), "{locale}: the body is translated too");
    }
    let de = &app.mails_to("de-de@example.com").await[0];
    assert!(de.text.contains("Hallo Ana"), "{}", de.text);
    assert!(de.html.contains("lang=\"de-DE\""), "{}", de.html);
}

#[tokio::test]
async fn an_updated_locale_is_used_by_the_next_resend() {
    let app = spawn_app().await;
    let invite = app.invite("lang@example.com").await;
    let path = format!("/user-invites/{}", invite["id"].as_str().unwrap());
    json_of(
        app.patch(
            &path,
            Some(&app.user_token()),
            json!({ "userInvite": { "locale": "fr-FR" } }),
        )
        .await,
        200,
    )
    .await;
    let before = app.tokens_to("lang@example.com").await;
    json_of(app.resend(&invite["id"], json!({})).await, 200).await;
    let new = app.new_token_to("lang@example.com", &before).await;
    let mail = app
        .mails_to("lang@example.com")
        .await
        .into_iter()
        .find(|m| m.token() == new)
        .unwrap();
    assert_eq!(mail.subject, "Vous avez été invité");
}

#[tokio::test]
async fn a_crlf_in_a_name_or_email_never_reaches_a_header() {
    let app = spawn_app().await;
    let body = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([
                { "email": "victim@example.com", "firstName": "Eve\r\nBcc: spy@evil.example" },
                { "email": "victim2@example.com", "lastName": "X\nSubject: pwned" },
                { "email": "victim3@example.com\r\nBcc: spy@evil.example" },
                { "email": "ok@example.com", "firstName": "Fine" },
            ]),
        )
        .await,
        200,
    )
    .await;
    let failed = invalid_indexes(&body);
    assert_eq!(failed, [0, 1, 2]);
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, "ok@example.com");
    for mail in &outbox {
        assert!(!mail.raw.to_ascii_lowercase().contains("bcc:"));
        assert!(!mail.raw.contains("evil.example"));
    }
}

#[tokio::test]
async fn a_display_name_cannot_add_recipients() {
    let app = spawn_app().await;
    app.invite_with(json!({ "email": "real@example.com",
                            "firstName": "\"Mallory\" <mallory@evil.example>,",
                            "lastName": "spy@evil.example; Bcc: x@evil.example" }))
        .await;
    let mail = &app.mails_to("real@example.com").await[0];
    let message = MessageParser::default().parse(mail.raw.as_bytes()).unwrap();
    let to: Vec<String> = message
        .to()
        .unwrap()
        .iter()
        .map(|a| a.address().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(to, ["real@example.com"], "To: {}", mail.to_header);
    assert!(message.cc().is_none() && message.bcc().is_none());
    let name = message
        .to()
        .unwrap()
        .first()
        .unwrap()
        .name()
        .unwrap_or_default()
        .to_owned();
    assert!(name.contains("Mallory"), "the name is kept as a name: {name}");
}

#[tokio::test]
async fn the_mail_shows_the_expiry_date() {
    let app = spawn_app().await;
    let invite = app.invite("date@example.com").await;
    let expires = chrono::DateTime::parse_from_rfc3339(invite["expiresAt"].as_str().unwrap()).unwrap();
    let mail = &app.mails_to("date@example.com").await[0];
    // In the invitee's language (en-US by default) and zone (UTC by default), named.
    let day = expires.format("%B %-d, %Y at %-I:%M %p UTC").to_string();
    assert!(mail.text.contains(&day), "{}", mail.text);
}

#[tokio::test]
async fn the_outbox_command_reads_the_link_the_service_wrote_not_one_a_name_spoofs() {
    let app = spawn_app().await;
    let spoof = format!("token={}", "A".repeat(64));
    app.invite_with(json!({ "email": "spoof@example.com", "firstName": spoof, "lastName": "https" }))
        .await;
    let mailed = app.tokens_to("spoof@example.com").await.remove(0);
    let outbox = invites_local::outbox::read_outbox(&invites_local::LocalOptions::outbox_dir(&app.data_dir())).unwrap();
    let last = outbox.last().unwrap();
    assert_eq!(
        last.token().as_deref(),
        Some(mailed.as_str()),
        "the name's text comes first in the body"
    );
    assert!(
        last.accept_url
            .starts_with("https://app.example.com/accept-invite?token=")
    );
    json_of(app.accept_as_anyone(&last.token().unwrap()).await, 200).await;
}
