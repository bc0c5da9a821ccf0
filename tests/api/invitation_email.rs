//! Issue 16: the invitation says who invites, to what, on which product, until when in
//! the invitee's language and time zone, with the operator's brand and templates.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::email::{EmailRenderer, EmailSettings, RoleLabels};
use serde_json::json;

use crate::helpers::{json_of, problem, spawn_app_with, start_error, unescape};

const LOCALES: [&str; 5] = ["en-US", "de-DE", "fr-FR", "es-ES", "id-ID"];
const LINK: &str = "https://app.example.com/accept-invite?token=golden-token";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

/// An invite in `locale`, with inviter, tenant name, roles and time zone (`full`) or
/// with none of them: the two cases of every locale's golden file.
fn invite(locale: &str, full: bool) -> Invite {
    let email = EmailAddress::parse("jane.doe@example.com").unwrap();
    let id = InviteId::parse("0b0c8f5e-7a43-4a8e-9a4f-2f1c3d4e5f60").unwrap();
    let issued = Invite::issued(
        NewInvite {
            id,
            tenant_id: TenantId::parse("ee764883-4ec4-4a4c-9ff5-8c7c4e1d2b3a").unwrap(),
            email: &email,
            created_by: UserId::parse("530c9a92-0b1e-4a4e-8d61-6c2b9a7d1e00").unwrap(),
            token_hash: InviteToken::generate(id).hash(),
            email_status: EmailStatus::Queued,
            expires_at: at("2026-12-07T07:15:00Z"),
        },
        at("2026-11-30T07:15:00Z"),
    );
    let base = Invite {
        locale: locale.to_owned(),
        first_name: Some("Jane".into()),
        last_name: Some("Doe".into()),
        ..issued
    };
    if !full {
        return base;
    }
    Invite {
        roles: vec!["content-creator".into(), "billing-admin".into()],
        created_by_name: Some("Alice Admin".into()),
        tenant_name: Some("Acme GmbH".into()),
        time_zone: Some("Europe/Berlin".into()),
        ..base
    }
}

fn branded() -> EmailSettings {
    EmailSettings {
        product_name: Some("Rocket".into()),
        product_url: Some("https://rocket.example".into()),
        logo_url: Some("https://rocket.example/logo.png".into()),
        sender_name: Some("Rocket".into()),
        reply_to: Some("support@rocket.example".into()),
        role_labels: RoleLabels::parse(
            r#"{"content-creator": {"en": "Content creator", "de": "Inhalte erstellen", "fr": "Création de contenu",
                 "es": "Creación de contenido", "id": "Pembuat konten"}}"#,
        )
        .unwrap(),
        templates: Vec::new(),
    }
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/email")
}

/// Subject, text and HTML of one email as one file, so a change reads as one diff.
fn as_golden(email: &invites_shared::email::OutgoingEmail) -> String {
    format!(
        "Subject: {}\n\n===== text =====\n{}\n===== html =====\n{}",
        email.subject, email.text, email.html
    )
}

/// Every locale, bare (no inviter, tenant, product, labels, zone) and full, is exactly
/// its committed golden file. `UPDATE_GOLDEN=1` rewrites them (then review the diff).
#[test]
fn every_locale_renders_exactly_its_golden_file() {
    let bare = EmailRenderer::new(&EmailSettings::default()).unwrap();
    let full = EmailRenderer::new(&branded()).unwrap();
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for locale in LOCALES {
        for (case, renderer, invite) in [
            ("bare", &bare, invite(locale, false)),
            ("full", &full, invite(locale, true)),
        ] {
            let rendered = as_golden(&renderer.render(&invite, LINK));
            let path = golden_dir().join(format!("{locale}-{case}.txt"));
            if update {
                std::fs::write(&path, &rendered).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
            if rendered != expected {
                mismatches.push(path.display().to_string());
            }
        }
    }
    assert!(mismatches.is_empty(), "differ from their golden files: {mismatches:?}");
}

#[test]
fn the_full_email_says_who_what_and_when_in_every_locale() {
    let renderer = EmailRenderer::new(&branded()).unwrap();
    for (locale, subject, expiry, label) in [
        (
            "en-US",
            "Alice Admin invited you to join Acme GmbH on Rocket",
            "December 7, 2026 at 8:15 AM CET (Europe/Berlin)",
            "Content creator",
        ),
        (
            "de-DE",
            "Alice Admin hat Sie eingeladen, Acme GmbH auf Rocket beizutreten",
            "7. Dezember 2026 um 08:15 Uhr CET (Europe/Berlin)",
            "Inhalte erstellen",
        ),
        (
            "fr-FR",
            "Alice Admin vous invite à rejoindre Acme GmbH sur Rocket",
            "7 décembre 2026 à 08:15 CET (Europe/Berlin)",
            "Création de contenu",
        ),
        (
            "es-ES",
            "Alice Admin te ha invitado a unirte a Acme GmbH en Rocket",
            "7 de diciembre de 2026, 08:15 CET (Europe/Berlin)",
            "Creación de contenido",
        ),
        (
            "id-ID",
            "Alice Admin mengundang Anda untuk bergabung dengan Acme GmbH di Rocket",
            "7 Desember 2026 pukul 08.15 CET (Europe/Berlin)",
            "Pembuat konten",
        ),
    ] {
        let email = renderer.render(&invite(locale, true), LINK);
        assert_eq!(email.subject, subject, "{locale}");
        for part in [&email.text, &unescape(&email.html)] {
            assert!(part.contains(expiry), "{locale}: {part}");
            assert!(part.contains(label), "{locale}: {part}");
            assert!(
                part.contains("billing-admin"),
                "{locale}: a role without a label shows its key"
            );
            assert!(part.contains(LINK), "{locale}: the full link is in both parts");
        }
        assert!(email.html.len() < 100 * 1024, "{locale}: {} bytes", email.html.len());
        assert!(
            unescape(&email.html).contains("https://rocket.example/logo.png"),
            "{locale}"
        );
        assert_eq!(email.sender_name.as_deref(), Some("Rocket"));
        assert_eq!(email.reply_to.as_deref(), Some("support@rocket.example"));
    }
    let bare = EmailRenderer::new(&EmailSettings::default()).unwrap();
    let email = bare.render(&invite("en-US", false), LINK);
    assert_eq!(email.subject, "You have been invited", "no inviter: as before");
    assert!(email.text.contains("December 7, 2026 at 7:15 AM UTC"), "{}", email.text);
}

#[test]
fn inviter_tenant_and_labels_carrying_html_are_escaped() {
    let mut settings = branded();
    settings.role_labels = RoleLabels::parse(r#"{"editor": {"en": "<b>Editor</b> & co"}}"#).unwrap();
    let renderer = EmailRenderer::new(&settings).unwrap();
    let invite = Invite {
        created_by_name: Some("<script>alert(1)</script>".into()),
        tenant_name: Some("\"><img src=x onerror=alert(1)>".into()),
        roles: vec!["editor".into()],
        ..invite("en-US", true)
    };
    let email = renderer.render(&invite, LINK);
    for raw in ["<script>", "<img src=x", "<b>Editor"] {
        assert!(!email.html.contains(raw), "{raw} in the HTML: {}", email.html);
    }
    assert!(
        email.html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{}",
        email.html
    );
    assert!(
        email.html.contains("&lt;b&gt;Editor&lt;&#x2f;b&gt; &amp; co"),
        "{}",
        email.html
    );
    assert!(
        email.text.contains("<script>alert(1)</script> invited you"),
        "the text part is plain"
    );
    assert!(!email.subject.contains('\n'));
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn settings_of(dir: &Path) -> Result<EmailSettings, (&'static str, String)> {
    let dir = dir.to_str().unwrap().to_owned();
    EmailSettings::from_lookup(&|name: &str| (name == "INVITES_TEMPLATES_DIR").then(|| dir.clone()))
}

#[test]
fn an_override_replaces_one_locales_subject_only() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "de-DE/subject.txt",
        "Einladung zu {{ tenant_name or 'uns' }} von {{ inviter or 'uns' }}\n",
    );
    let settings = settings_of(dir.path()).unwrap();
    let renderer = EmailRenderer::new(&settings).unwrap();
    let builtin = EmailRenderer::new(&EmailSettings::default()).unwrap();
    let de = renderer.render(&invite("de-DE", true), LINK);
    assert_eq!(de.subject, "Einladung zu Acme GmbH von Alice Admin");
    let de_builtin = builtin.render(&invite("de-DE", true), LINK);
    assert_eq!(
        (de.text, de.html),
        (de_builtin.text, de_builtin.html),
        "the bodies stay built in"
    );
    for locale in ["en-US", "fr-FR", "es-ES", "id-ID"] {
        assert_eq!(
            renderer.render(&invite(locale, true), LINK),
            builtin.render(&invite(locale, true), LINK),
            "{locale} is untouched"
        );
    }
}

#[test]
fn a_broken_override_is_refused_naming_its_file() {
    for (file, text, expected) in [
        ("en-US/subject.txt", "{% if inviter %}unclosed", "syntax"),
        ("en-US/subject.txt", "{{ invitor }} invited you", "undefined"),
        (
            "en-US/invite.txt",
            "Hello {{ first_name or '' }}, no link here",
            "accept link",
        ),
        ("en-US/invite.htm", "{{ accept_url }}", "not a template"),
        ("en-GB/subject.txt", "Hi", "not a locale folder"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), file, text);
        let (name, reason) = settings_of(dir.path()).expect_err(file);
        assert_eq!(name, "INVITES_TEMPLATES_DIR");
        assert!(
            reason.contains(file) || reason.contains(file.split('/').next().unwrap()),
            "{file}: {reason}"
        );
        assert!(reason.contains(expected), "{file}: {reason}");
    }
}

#[tokio::test]
async fn a_broken_override_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fr-FR/invite.html", "<p>{{ accept_url }</p>");
    let error = start_error(&[("INVITES_TEMPLATES_DIR", dir.path().to_str().unwrap())]).await;
    assert!(error.contains("INVITES_TEMPLATES_DIR"), "{error}");
    assert!(error.contains("fr-FR/invite.html"), "{error}");
    for (name, value) in [
        ("INVITES_PRODUCT_URL", "javascript:alert(1)"),
        ("INVITES_LOGO_URL", "http://insecure.example/logo.png"),
        ("INVITES_REPLY_TO", "not an address"),
        ("INVITES_SENDER_NAME", "Visit www.evil.example"),
        ("INVITES_ROLE_LABELS", r#"{"editor": "Editor"}"#),
    ] {
        let error = start_error(&[(name, value)]).await;
        assert!(error.contains(name), "{name}: {error}");
    }
}

fn name_token(app: &crate::helpers::TestApp, name: &str) -> String {
    let exp = (Utc::now() + chrono::Duration::hours(1)).timestamp();
    app.sign(
        &json!({ "sub": app.user, "tenantId": app.tenant, "roles": ["editor", "viewer"], "name": name, "exp": exp }),
    )
}

/// Through the API and the outbox: who, what and when, the zone named, the brand and
/// the headers; and the fields returned.
#[tokio::test]
async fn the_outbox_email_says_who_what_and_when() {
    let app = spawn_app_with(&[
        ("INVITES_PRODUCT_NAME", "Rocket"),
        ("INVITES_PRODUCT_URL", "https://rocket.example"),
        ("INVITES_SENDER_NAME", "Rocket Team"),
        ("INVITES_REPLY_TO", "support@rocket.example"),
        (
            "INVITES_ROLE_LABELS",
            r#"{"editor": {"en": "Editor", "de": "Bearbeiter"}}"#,
        ),
    ])
    .await;
    let token = name_token(&app, "Alice Admin");
    let body = json!({ "userInvites": { "tenantId": app.tenant, "tenantName": "Acme GmbH", "userInvites": [
        { "email": "berlin@example.com", "firstName": "Bea", "locale": "de-DE", "roles": ["editor"],
          "timeZone": "Europe/Berlin" },
        { "email": "utc@example.com", "roles": ["viewer"] } ] } });
    let sent = json_of(app.post("/user-invites", Some(&token), body).await, 200).await;
    assert_eq!(sent["errors"], json!([]));
    let berlin = &sent["success"][0];
    assert_eq!(berlin["tenantName"], "Acme GmbH");
    assert_eq!(berlin["createdByName"], "Alice Admin");
    assert_eq!(berlin["timeZone"], "Europe/Berlin");
    assert_eq!(sent["success"][1]["timeZone"], json!(null));
    let fetched = app.fetch(&berlin["id"]).await;
    assert_eq!(
        (&fetched["tenantName"], &fetched["timeZone"]),
        (&json!("Acme GmbH"), &json!("Europe/Berlin"))
    );

    let mail = &app.mails_to("berlin@example.com").await[0];
    assert_eq!(
        mail.subject,
        "Alice Admin hat Sie eingeladen, Acme GmbH auf Rocket beizutreten"
    );
    let expires = DateTime::parse_from_rfc3339(berlin["expiresAt"].as_str().unwrap()).unwrap();
    let local = expires
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%H:%M")
        .to_string();
    assert!(
        mail.text.contains(&format!("um {local} Uhr CET (Europe/Berlin)")),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Bearbeiter"), "{}", mail.text);
    assert!(mail.text.contains(&mail.accept_link()));
    assert!(mail.raw.contains("Auto-Submitted: auto-generated"), "{}", mail.raw);
    assert!(mail.raw.contains("Reply-To: support@rocket.example"), "{}", mail.raw);
    assert!(
        mail.raw.contains("From: \"Rocket Team\" <") || mail.raw.contains("From: Rocket Team <"),
        "{}",
        mail.raw
    );
    assert!(!mail.raw.contains("List-Unsubscribe"));

    let utc = &app.mails_to("utc@example.com").await[0];
    assert_eq!(utc.subject, "Alice Admin invited you to join Acme GmbH on Rocket");
    let expires = DateTime::parse_from_rfc3339(sent["success"][1]["expiresAt"].as_str().unwrap()).unwrap();
    assert!(
        utc.text.contains(&format!("{} UTC.", expires.format("%-I:%M %p"))),
        "{}",
        utc.text
    );
    assert!(utc.text.contains("viewer"), "no label: the key");

    let check = json_of(
        app.post("/user-invites/check-token", None, json!({ "token": utc.token() }))
            .await,
        200,
    )
    .await;
    assert_eq!(
        (&check["tenantName"], &check["createdByName"]),
        (&json!("Acme GmbH"), &json!("Alice Admin"))
    );
}

#[tokio::test]
async fn a_bad_time_zone_or_tenant_name_names_the_field() {
    let app = spawn_app_with(&[]).await;
    let token = app.user_token();
    let body = json!({ "userInvites": { "tenantId": app.tenant, "userInvites": [
        { "email": "mars@example.com", "timeZone": "Mars/Olympus_Mons" },
        { "email": "tokyo@example.com", "timeZone": "Asia/Tokyo" },
        { "email": "lower@example.com", "timeZone": "asia/tokyo" } ] } });
    let sent = json_of(app.post("/user-invites", Some(&token), body).await, 200).await;
    // One invitee's bad value fails that invitee only (the contract's rule for sends).
    assert_eq!(sent["errors"][0]["index"], 0);
    assert_eq!(sent["errors"][0]["code"], "VALIDATION_FAILED");
    let message = sent["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("timeZone") && message.contains("IANA"), "{message}");
    assert_eq!(sent["success"][0]["timeZone"], "Asia/Tokyo");
    assert_eq!(
        sent["errors"][1]["index"], 2,
        "spelled as the tz database spells it, as openapi.yaml lists"
    );
    assert!(app.mails_to("mars@example.com").await.is_empty());

    for (name, why) in [("Acme www.evil.example", "link"), (&*"A".repeat(101), "100")] {
        let body = json!({ "userInvites": { "tenantId": app.tenant, "tenantName": name,
            "userInvites": [{ "email": "nobody@example.com" }] } });
        let refused = problem(
            app.post("/user-invites", Some(&token), body).await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(refused["errors"][0]["field"], "userInvites.tenantName", "{refused}");
        assert!(
            refused["errors"][0]["message"].as_str().unwrap().contains(why),
            "{refused}"
        );
    }
    assert_eq!(app.count().await, 1, "nothing else was created");
}
