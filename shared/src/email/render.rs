use std::collections::HashMap;

use chrono::{DateTime, Utc};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value as TemplateValue, context};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::OutgoingEmail;
use super::settings::{EmailSettings, TemplatePart};
use crate::domain::{EmailAddress, Invite, InviteToken, TimeZone};

/// The locales with a translation; every other locale falls back to its language, then en-US.
const CATALOGS: [(&str, &str); 5] = [
    ("en-US", include_str!("../../locales/en-US.json")),
    ("de-DE", include_str!("../../locales/de-DE.json")),
    ("fr-FR", include_str!("../../locales/fr-FR.json")),
    ("es-ES", include_str!("../../locales/es-ES.json")),
    ("id-ID", include_str!("../../locales/id-ID.json")),
];
/// The locales an override folder may be named after.
pub const CATALOG_LOCALES: [&str; 5] = ["en-US", "de-DE", "fr-FR", "es-ES", "id-ID"];
const FALLBACK_LOCALE: &str = "en-US";

/// The built-in templates, overridable per locale.
const BUILT_IN: [(TemplatePart, &str); 3] = [
    (TemplatePart::Subject, include_str!("../../templates/subject.txt")),
    (TemplatePart::Html, include_str!("../../templates/invite.html")),
    (TemplatePart::Text, include_str!("../../templates/invite.txt")),
];

/// The longest subject sent: a subject line is shown whole by no mail client beyond this.
const MAX_SUBJECT_CHARS: usize = 250;

/// What may stand unescaped in a query value: RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The accept link: the configured template with the token URL-encoded in place of `{token}`.
pub fn accept_url(template: &str, token: &InviteToken) -> String {
    template.replace("{token}", &utf8_percent_encode(token.expose(), QUERY_VALUE).to_string())
}

/// Renders the invitation from the templates in `shared/templates` (or the operator's
/// overrides), with the strings of the invitee's locale. The HTML template is
/// autoescaped by the engine, so names and data can never inject markup; a template
/// naming a variable that does not exist fails (strict undefined), which the start-up
/// check of overrides relies on.
pub struct EmailRenderer {
    env: Environment<'static>,
    catalogs: HashMap<&'static str, Value>,
    settings: EmailSettings,
}

impl EmailRenderer {
    /// The renderer of `settings`. Each override is compiled and rendered with sample
    /// invites (with and without every optional value); any failure, or an override
    /// of the HTML or text that does not carry the accept link, is an error naming
    /// its file.
    pub fn new(settings: &EmailSettings) -> Result<Self, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (part, source) in BUILT_IN {
            env.add_template(part.file_name(), source)
                .expect("the built-in email templates parse");
        }
        for o in &settings.templates {
            env.add_template_owned(format!("{}/{}", o.locale, o.part.file_name()), o.source.clone())
                .map_err(|e| format!("{}: {}", o.path.display(), describe(&e)))?;
        }
        let catalogs = CATALOGS
            .iter()
            .map(|(locale, json)| {
                (
                    *locale,
                    serde_json::from_str(json).expect("the locale catalogs are JSON"),
                )
            })
            .collect();
        let renderer = Self {
            env,
            catalogs,
            settings: settings.clone(),
        };
        for o in &settings.templates {
            for sample in [Invite::sample(o.locale, true), Invite::sample(o.locale, false)] {
                let url = "https://app.example/accept-invite?token=sample-token";
                let ctx = renderer.context(&sample, url);
                let rendered = renderer
                    .render_part(o.locale, o.part, &ctx)
                    .map_err(|e| format!("{}: {}", o.path.display(), describe(&e)))?;
                if o.part != TemplatePart::Subject && !rendered.contains(url) {
                    return Err(format!(
                        "{}: does not show the accept link ({{{{ accept_url }}}})",
                        o.path.display()
                    ));
                }
            }
        }
        Ok(renderer)
    }

    /// The locale whose strings an invite in `locale` is written in.
    pub fn resolve_locale(&self, locale: &str) -> &'static str {
        resolve_locale(locale)
    }

    pub fn render(&self, invite: &Invite, accept_url: &str) -> OutgoingEmail {
        let locale = resolve_locale(&invite.locale);
        let ctx = self.context(invite, accept_url);
        let render = |part| {
            self.render_part(locale, part, &ctx)
                .expect("the email templates render (overrides were test-rendered at start)")
        };
        // One line, whatever a template wrote: nothing can start another header.
        let subject = render(TemplatePart::Subject)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let name = [invite.first_name.as_deref(), invite.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        OutgoingEmail {
            invite_id: invite.id,
            // ASCII only: the domain as punycode (a Unicode one never reaches a header raw).
            to: EmailAddress::parse(&invite.email).map_or_else(|_| invite.email.clone(), |a| a.mailed()),
            to_name: (!name.is_empty()).then_some(name),
            subject: crate::domain::clip(&subject, MAX_SUBJECT_CHARS),
            html: render(TemplatePart::Html),
            text: render(TemplatePart::Text),
            accept_url: accept_url.to_owned(),
            sender_name: self.settings.sender_name.clone(),
            reply_to: self.settings.reply_to.clone(),
        }
    }

    fn render_part(&self, locale: &str, part: TemplatePart, ctx: &TemplateValue) -> Result<String, minijinja::Error> {
        let own = format!("{locale}/{}", part.file_name());
        let template = self
            .env
            .get_template(&own)
            .or_else(|_| self.env.get_template(part.file_name()))?;
        template.render(ctx)
    }

    /// The variables every template sees (documented in the README).
    fn context(&self, invite: &Invite, accept_url: &str) -> TemplateValue {
        let locale = resolve_locale(&invite.locale);
        let strings = &self.catalogs[locale];
        let text = |key: &str| strings[key].as_str().expect("every catalog has every key");
        let settings = &self.settings;
        let target = match (invite.tenant_name.as_deref(), settings.product_name.as_deref()) {
            (Some(tenant), Some(product)) => Some(fill(
                text("tenant_on_product"),
                &[("tenant", tenant), ("product", product)],
            )),
            (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
            (None, None) => None,
        };
        let headline = match (invite.created_by_name.as_deref(), target.as_deref()) {
            (Some(inviter), Some(target)) => fill(text("invited_by_to"), &[("inviter", inviter), ("target", target)]),
            (Some(inviter), None) => fill(text("invited_by"), &[("inviter", inviter)]),
            (None, Some(target)) => fill(text("invited_to"), &[("target", target)]),
            (None, None) => text("invited").to_owned(),
        };
        let roles: Vec<&str> = invite
            .roles
            .iter()
            .map(|role| settings.role_labels.label(role, &invite.locale))
            .collect();
        let time_zone = invite
            .time_zone
            .as_deref()
            .and_then(|z| TimeZone::parse(z).ok())
            .unwrap_or_else(|| TimeZone::parse("UTC").expect("UTC is a zone"));
        context! {
            t => strings,
            lang => locale,
            headline => headline,
            first_name => invite.first_name,
            last_name => invite.last_name,
            inviter => invite.created_by_name,
            tenant_name => invite.tenant_name,
            product_name => settings.product_name,
            product_url => settings.product_url,
            logo_url => settings.logo_url,
            roles => roles,
            role_keys => invite.roles,
            accept_url => accept_url,
            expires_at => local_time(invite.expires_at, time_zone, text("date_format"), text("chrono_locale")),
            time_zone => time_zone.name(),
        }
    }
}

/// The locale whose strings an invite in `locale` is written in.
fn resolve_locale(locale: &str) -> &'static str {
    let language = locale.split('-').next().unwrap_or(locale);
    CATALOG_LOCALES
        .iter()
        .find(|l| l.eq_ignore_ascii_case(locale))
        .or_else(|| CATALOG_LOCALES.iter().find(|l| l.split('-').next() == Some(language)))
        .copied()
        .unwrap_or(FALLBACK_LOCALE)
}

/// A moment as the invitee reads it: the locale's date and time in their zone, then the
/// zone named (`December 7, 2026 at 8:15 AM CET (Europe/Berlin)`, `... 07:15 UTC`).
pub fn local_time(at: DateTime<Utc>, zone: TimeZone, pattern: &str, chrono_locale: &str) -> String {
    let locale = chrono::Locale::try_from(chrono_locale).unwrap_or(chrono::Locale::en_US);
    let local = at.with_timezone(&zone.tz());
    let shown = local.format_localized(pattern, locale).to_string();
    if zone.name() == "UTC" {
        format!("{shown} UTC")
    } else {
        format!("{shown} {} ({})", local.format("%Z"), zone.name())
    }
}

/// `pattern` with each `{key}` replaced by its value, in one pass: a value that holds
/// `{key}` itself is never replaced again.
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 64);
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((key, end)) if values.iter().any(|(k, _)| *k == key) => {
                out.push_str(
                    values
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| *v)
                        .unwrap_or_default(),
                );
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A template error with its line, as minijinja describes it.
fn describe(e: &minijinja::Error) -> String {
    let mut text = e.to_string();
    if let Some(detail) = e.detail() {
        text = format!("{text} ({detail})");
    }
    text
}

impl Invite {
    /// A sample invite in `locale` with every optional value set (`full`) or none, for
    /// test renders of override templates.
    fn sample(locale: &str, full: bool) -> Invite {
        use crate::domain::{EmailStatus, InviteId, NewInvite, TenantId, UserId};
        let email = EmailAddress::parse("jane.doe@example.com").expect("a valid address");
        let id = InviteId::random();
        let issue = NewInvite {
            id,
            tenant_id: TenantId::parse("00000000-0000-4000-8000-000000000001").expect("a UUID"),
            email: &email,
            created_by: UserId::parse("00000000-0000-4000-8000-000000000002").expect("a UUID"),
            token_hash: InviteToken::generate(id).hash(),
            email_status: EmailStatus::Queued,
            expires_at: DateTime::from_timestamp(1_796_627_700, 0).expect("a time"),
        };
        let now = DateTime::from_timestamp(1_796_022_900, 0).expect("a time");
        let invite = Invite {
            locale: locale.to_owned(),
            ..Invite::issued(issue, now)
        };
        if !full {
            return invite;
        }
        Invite {
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            roles: vec!["editor".into(), "viewer".into()],
            created_by_name: Some("Alice Admin".into()),
            tenant_name: Some("Acme".into()),
            time_zone: Some("Europe/Berlin".into()),
            ..invite
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_has_every_key_of_the_fallback() {
        let renderer = EmailRenderer::new(&EmailSettings::default()).unwrap();
        let reference = renderer.catalogs[FALLBACK_LOCALE].as_object().unwrap();
        for (locale, catalog) in &renderer.catalogs {
            for key in reference.keys() {
                assert!(
                    catalog.get(key).and_then(Value::as_str).is_some(),
                    "{locale} lacks {key}"
                );
            }
            let chrono_locale = catalog["chrono_locale"].as_str().unwrap();
            assert!(
                chrono::Locale::try_from(chrono_locale).is_ok(),
                "{locale}: {chrono_locale}"
            );
        }
    }

    #[test]
    fn locales_fall_back_to_language_then_english() {
        assert_eq!(resolve_locale("de-DE"), "de-DE");
        assert_eq!(resolve_locale("de-AT"), "de-DE");
        assert_eq!(resolve_locale("fr-CA"), "fr-FR");
        assert_eq!(resolve_locale("id"), "id-ID");
        assert_eq!(resolve_locale("ja-JP"), "en-US");
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill(
                "{inviter} invited you to join {target}",
                &[("inviter", "{target}"), ("target", "Acme")]
            ),
            "{target} invited you to join Acme"
        );
        assert_eq!(fill("{unknown} and {", &[("x", "y")]), "{unknown} and {");
    }

    #[test]
    fn the_expiry_is_shown_in_the_zone_and_language_of_the_invitee() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T07:15:00Z").unwrap().to_utc();
        let berlin = TimeZone::parse("Europe/Berlin").unwrap();
        let utc = TimeZone::parse("UTC").unwrap();
        let jakarta = TimeZone::parse("Asia/Jakarta").unwrap();
        assert_eq!(
            local_time(at, utc, "%B %-d, %Y at %-I:%M %p", "en_US"),
            "December 7, 2026 at 7:15 AM UTC"
        );
        assert_eq!(
            local_time(at, berlin, "%-d. %B %Y um %H:%M Uhr", "de_DE"),
            "7. Dezember 2026 um 08:15 Uhr CET (Europe/Berlin)"
        );
        assert_eq!(
            local_time(at, jakarta, "%-d %B %Y pukul %H.%M", "id_ID"),
            "7 Desember 2026 pukul 14.15 WIB (Asia/Jakarta)"
        );
    }
}
