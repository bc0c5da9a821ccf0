//! What an operator configures about the invitation email: the product it comes from,
//! who it is from and where replies go, role labels, and template overrides.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::domain::{EmailAddress, RoleKey};

/// The parts of an email a template renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TemplatePart {
    Subject,
    Html,
    Text,
}

impl TemplatePart {
    pub const ALL: [TemplatePart; 3] = [TemplatePart::Subject, TemplatePart::Html, TemplatePart::Text];

    /// The file of a locale's folder that overrides this part.
    pub fn file_name(self) -> &'static str {
        match self {
            TemplatePart::Subject => "subject.txt",
            TemplatePart::Html => "invite.html",
            TemplatePart::Text => "invite.txt",
        }
    }
}

/// One operator template: a locale's subject, HTML or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateOverride {
    pub locale: &'static str,
    pub part: TemplatePart,
    pub source: String,
    /// Where it was read from, for the messages that refuse it.
    pub path: PathBuf,
}

/// Labels of role keys per language tag: `{"content-creator": {"en": "Content creator",
/// "de": "Inhalte erstellen"}}`. A role without a label for the invitee's locale (its
/// tag, then its language) is shown as its key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleLabels(BTreeMap<String, BTreeMap<String, String>>);

/// The longest label taken, like a name.
pub const MAX_LABEL_CHARS: usize = 100;

impl RoleLabels {
    /// Reads `INVITES_ROLE_LABELS`: a JSON object of role key → object of language tag
    /// (`en`, `de-AT`) → label.
    pub fn parse(json: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let roles = value.as_object().ok_or("must be a JSON object of role key to labels")?;
        let mut labels = BTreeMap::new();
        for (role, per_locale) in roles {
            RoleKey::parse(role).map_err(|e| format!("{role:?}: the role key {e}"))?;
            let per_locale = per_locale
                .as_object()
                .ok_or_else(|| format!("{role:?}: must be an object of language tag to label"))?;
            let mut by_tag = BTreeMap::new();
            for (tag, label) in per_locale {
                let locale = crate::domain::Locale::parse(tag).map_err(|e| format!("{role:?}.{tag:?}: {e}"))?;
                let label = label
                    .as_str()
                    .ok_or_else(|| format!("{role:?}.{tag:?}: the label must be a string"))?;
                check_display_text(label, MAX_LABEL_CHARS).map_err(|e| format!("{role:?}.{tag:?}: {e}"))?;
                by_tag.insert(locale.as_str().to_owned(), label.trim().to_owned());
            }
            labels.insert(role.clone(), by_tag);
        }
        Ok(Self(labels))
    }

    /// The label of `role` for an invitee in `locale` (`de-AT`: `de-AT`, then `de`).
    pub fn label<'a>(&'a self, role: &'a str, locale: &str) -> &'a str {
        let language = locale.split('-').next().unwrap_or(locale);
        self.0
            .get(role)
            .and_then(|by_tag| by_tag.get(locale).or_else(|| by_tag.get(language)))
            .map_or(role, String::as_str)
    }
}

/// Text an operator configures that the email shows: 1 to `max` characters, no control
/// or invisible characters, no link.
pub fn check_display_text(text: &str, max: usize) -> Result<(), String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(format!("must be 1 to {max} characters"));
    }
    if crate::domain::PersonName::parse(trimmed).is_err() {
        return Err("must not contain control or invisible characters, line breaks or links".into());
    }
    Ok(())
}

/// Everything configurable about the invitation email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailSettings {
    /// `INVITES_PRODUCT_NAME`: the product the invitee is invited to use.
    pub product_name: Option<String>,
    /// `INVITES_PRODUCT_URL`: its home page, linked from the footer.
    pub product_url: Option<String>,
    /// `INVITES_LOGO_URL`: an https image shown above the heading.
    pub logo_url: Option<String>,
    /// `INVITES_SENDER_NAME`: the display name of the From address.
    pub sender_name: Option<String>,
    /// `INVITES_REPLY_TO`: where a reply goes (else to the sender address).
    pub reply_to: Option<String>,
    /// `INVITES_ROLE_LABELS`.
    pub role_labels: RoleLabels,
    /// The templates of `INVITES_TEMPLATES_DIR`.
    pub templates: Vec<TemplateOverride>,
}

impl EmailSettings {
    /// Reads the settings from the environment (through `var`); every value is checked
    /// here, and override templates are compiled and test-rendered, so a bad one stops
    /// the start with a message naming the variable or file.
    pub fn from_lookup(var: &impl Fn(&str) -> Option<String>) -> Result<Self, (&'static str, String)> {
        let product_name = var("INVITES_PRODUCT_NAME")
            .map(|n| check_display_text(&n, 100).map(|()| n.trim().to_owned()))
            .transpose()
            .map_err(|e| ("INVITES_PRODUCT_NAME", e))?;
        let sender_name = var("INVITES_SENDER_NAME")
            .map(|n| check_display_text(&n, 100).map(|()| n.trim().to_owned()))
            .transpose()
            .map_err(|e| ("INVITES_SENDER_NAME", e))?;
        let product_url = var("INVITES_PRODUCT_URL")
            .map(|u| web_url(&u, false))
            .transpose()
            .map_err(|e| ("INVITES_PRODUCT_URL", e))?;
        let logo_url = var("INVITES_LOGO_URL")
            .map(|u| web_url(&u, true))
            .transpose()
            .map_err(|e| ("INVITES_LOGO_URL", e))?;
        let reply_to = var("INVITES_REPLY_TO")
            .map(|a| {
                EmailAddress::parse(&a)
                    .map(|a| a.mailed())
                    .map_err(|e| format!("{a:?} {e}"))
            })
            .transpose()
            .map_err(|e| ("INVITES_REPLY_TO", e))?;
        let role_labels = var("INVITES_ROLE_LABELS")
            .map(|json| RoleLabels::parse(&json))
            .transpose()
            .map_err(|e| ("INVITES_ROLE_LABELS", e))?
            .unwrap_or_default();
        let templates = var("INVITES_TEMPLATES_DIR")
            .map(|dir| read_templates(Path::new(&dir)))
            .transpose()
            .map_err(|e| ("INVITES_TEMPLATES_DIR", e))?
            .unwrap_or_default();
        let settings = Self {
            product_name,
            product_url,
            logo_url,
            sender_name,
            reply_to,
            role_labels,
            templates,
        };
        // Only overrides need the check: the built-in templates are the golden files'.
        // Without any, a function that never mails (all but the mailer) does not pay
        // for compiling templates at init.
        if !settings.templates.is_empty() {
            super::EmailRenderer::new(&settings).map_err(|e| ("INVITES_TEMPLATES_DIR", e))?;
        }
        Ok(settings)
    }
}

/// An absolute http(s) URL without spaces or quotes (`https_only`: https).
fn web_url(raw: &str, https_only: bool) -> Result<String, String> {
    let url = raw.trim();
    let scheme_ok = url.starts_with("https://") || (!https_only && url.starts_with("http://"));
    let host = url.split_once("://").map(|(_, rest)| rest).unwrap_or_default();
    if !scheme_ok || host.is_empty() || host.starts_with('/') {
        let schemes = if https_only { "https://" } else { "http:// or https://" };
        return Err(format!("{raw:?} is not an absolute URL starting with {schemes}"));
    }
    if url.len() > 2048
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Err(format!(
            "{raw:?} is not a URL of at most 2048 characters without spaces, quotes or brackets"
        ));
    }
    Ok(url.to_owned())
}

/// The override templates of a folder: `<locale>/subject.txt`, `<locale>/invite.html`
/// and `<locale>/invite.txt`, for any of the five locales; any other entry is refused,
/// so a misspelt file name is found at start rather than never used.
pub fn read_templates(dir: &Path) -> Result<Vec<TemplateOverride>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut overrides = Vec::new();
    let mut names: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()).map_err(|e| format!("{}: {e}", dir.display())))
        .collect::<Result<_, _>>()?;
    names.sort();
    for locale_dir in names {
        let name = locale_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.starts_with('.') {
            continue;
        }
        let locale = super::render::CATALOG_LOCALES
            .iter()
            .find(|l| **l == name)
            .ok_or_else(|| {
                format!(
                    "{}: not a locale folder; expected one of {}",
                    locale_dir.display(),
                    super::render::CATALOG_LOCALES.join(", ")
                )
            })?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&locale_dir)
            .map_err(|e| format!("{}: {e}", locale_dir.display()))?
            .map(|e| {
                e.map(|e| e.path())
                    .map_err(|e| format!("{}: {e}", locale_dir.display()))
            })
            .collect::<Result<_, _>>()?;
        files.sort();
        for path in files {
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if file.starts_with('.') {
                continue;
            }
            let part = TemplatePart::ALL
                .into_iter()
                .find(|p| p.file_name() == file)
                .ok_or_else(|| {
                    format!(
                        "{}: not a template; expected subject.txt, invite.html or invite.txt",
                        path.display()
                    )
                })?;
            let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            overrides.push(TemplateOverride {
                locale,
                part,
                source,
                path,
            });
        }
    }
    Ok(overrides)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_labels_fall_back_from_tag_to_language_to_key() {
        let labels = RoleLabels::parse(
            r#"{"content-creator": {"en": "Content creator", "de-AT": "Inhalte (AT)", "de": "Inhalte erstellen"}}"#,
        )
        .unwrap();
        assert_eq!(labels.label("content-creator", "en-US"), "Content creator");
        assert_eq!(labels.label("content-creator", "de-AT"), "Inhalte (AT)");
        assert_eq!(labels.label("content-creator", "de-DE"), "Inhalte erstellen");
        assert_eq!(labels.label("content-creator", "fr-FR"), "content-creator");
        assert_eq!(labels.label("viewer", "en-US"), "viewer");
    }

    #[test]
    fn bad_role_labels_are_refused() {
        for json in [
            "[]",
            r#"{"bad key": {"en": "x"}}"#,
            r#"{"editor": "Editor"}"#,
            r#"{"editor": {"english": "Editor"}}"#,
            r#"{"editor": {"en": 7}}"#,
            r#"{"editor": {"en": "see https://evil.example"}}"#,
            r#"{"editor": {"en": ""}}"#,
        ] {
            assert!(RoleLabels::parse(json).is_err(), "{json}");
        }
    }

    #[test]
    fn urls_must_be_absolute_web_urls() {
        assert!(web_url("https://acme.example/app", false).is_ok());
        assert!(web_url("http://localhost:3000", false).is_ok());
        assert!(web_url("http://acme.example/logo.png", true).is_err());
        assert!(web_url("javascript:alert(1)", false).is_err());
        assert!(web_url("https://", false).is_err());
        assert!(web_url("https://a.example/\"onload=x", false).is_err());
    }
}
