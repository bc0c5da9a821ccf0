use std::collections::HashMap;

use minijinja::{AutoEscape, Environment, context};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::OutgoingEmail;
use crate::domain::{EmailAddress, Invite, InviteToken};

/// The locales with a translation; every other locale falls back to its language, then en-US.
const CATALOGS: [(&str, &str); 5] = [
    ("en-US", include_str!("../../locales/en-US.json")),
    ("de-DE", include_str!("../../locales/de-DE.json")),
    ("fr-FR", include_str!("../../locales/fr-FR.json")),
    ("es-ES", include_str!("../../locales/es-ES.json")),
    ("id-ID", include_str!("../../locales/id-ID.json")),
];
const FALLBACK_LOCALE: &str = "en-US";

/// What may stand unescaped in a query value: RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The accept link: the configured template with the token URL-encoded in place of `{token}`.
pub fn accept_url(template: &str, token: &InviteToken) -> String {
    template.replace("{token}", &utf8_percent_encode(token.expose(), QUERY_VALUE).to_string())
}

/// Renders the invitation from the templates in `shared/templates`, with the strings of
/// the invitee's locale. The HTML template is autoescaped by the engine, so names and
/// data can never inject markup.
pub struct EmailRenderer {
    env: Environment<'static>,
    catalogs: HashMap<&'static str, Value>,
}

impl Default for EmailRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl EmailRenderer {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (name, source) in [
            ("invite.html", include_str!("../../templates/invite.html")),
            ("invite.txt", include_str!("../../templates/invite.txt")),
        ] {
            env.add_template(name, source).expect("the email templates parse");
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
        Self { env, catalogs }
    }

    /// The locale whose strings an invite in `locale` is written in.
    pub fn resolve_locale(&self, locale: &str) -> &'static str {
        let language = locale.split('-').next().unwrap_or(locale);
        CATALOGS
            .iter()
            .map(|(l, _)| *l)
            .find(|l| l.eq_ignore_ascii_case(locale))
            .or_else(|| {
                CATALOGS
                    .iter()
                    .map(|(l, _)| *l)
                    .find(|l| l.split('-').next() == Some(language))
            })
            .unwrap_or(FALLBACK_LOCALE)
    }

    pub fn render(&self, invite: &Invite, accept_url: &str) -> OutgoingEmail {
        let locale = self.resolve_locale(&invite.locale);
        let strings = &self.catalogs[locale];
        let name = [invite.first_name.as_deref(), invite.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let ctx = context! {
            t => strings,
            lang => locale,
            first_name => invite.first_name,
            roles => invite.roles,
            accept_url => accept_url,
            expires_at => invite.expires_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        };
        let render = |template: &str| {
            self.env
                .get_template(template)
                .and_then(|t| t.render(&ctx))
                .expect("the email templates render with every catalog")
        };
        // The subject is a fixed string of the catalog: no user input ever reaches a header.
        let subject = strings["subject"]
            .as_str()
            .expect("every catalog has a subject")
            .to_owned();
        OutgoingEmail {
            invite_id: invite.id,
            // ASCII only: the domain as punycode (a Unicode one never reaches a header raw).
            to: EmailAddress::parse(&invite.email).map_or_else(|_| invite.email.clone(), |a| a.mailed()),
            to_name: (!name.is_empty()).then_some(name),
            subject,
            html: render("invite.html"),
            text: render("invite.txt"),
            accept_url: accept_url.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_has_every_key_of_the_fallback() {
        let renderer = EmailRenderer::new();
        let reference = renderer.catalogs[FALLBACK_LOCALE].as_object().unwrap();
        for (locale, catalog) in &renderer.catalogs {
            for key in reference.keys() {
                assert!(
                    catalog.get(key).and_then(Value::as_str).is_some(),
                    "{locale} lacks {key}"
                );
            }
        }
    }

    #[test]
    fn locales_fall_back_to_language_then_english() {
        let renderer = EmailRenderer::new();
        assert_eq!(renderer.resolve_locale("de-DE"), "de-DE");
        assert_eq!(renderer.resolve_locale("de-AT"), "de-DE");
        assert_eq!(renderer.resolve_locale("fr-CA"), "fr-FR");
        assert_eq!(renderer.resolve_locale("id"), "id-ID");
        assert_eq!(renderer.resolve_locale("ja-JP"), "en-US");
    }
}
