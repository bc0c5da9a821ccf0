//! The outbox, read as a user reads mail: MIME-decoded, with the accept link a user clicks.

use invites_local::LocalOptions;
use mail_parser::MessageParser;

use crate::TestApp;

/// What a browser reads out of HTML text: character references decoded.
pub fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A parsed email from the outbox.
pub struct Mail {
    pub to: String,
    pub to_header: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Mail {
    /// The accept link, read out of the text part exactly as a user would click it.
    pub fn accept_link(&self) -> String {
        let start = self
            .text
            .find("https://app.example.com/accept-invite?token=")
            .expect("the mail has a link");
        self.text[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// The token in the accept link.
    pub fn token(&self) -> String {
        let link = self.accept_link();
        let url = reqwest::Url::parse(&link).expect("the link is a URL");
        url.query_pairs()
            .find(|(k, _)| k == "token")
            .expect("the link has a token")
            .1
            .into_owned()
    }
}

impl TestApp {
    /// Every email in the outbox, oldest first.
    pub async fn outbox(&self) -> Vec<Mail> {
        self.settle().await;
        let dir = LocalOptions::outbox_dir(&self.data_dir());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
            .into_iter()
            .map(|path| {
                let raw = std::fs::read(&path).unwrap();
                let message = MessageParser::default().parse(&raw).expect("an RFC 5322 message");
                Mail {
                    to: message
                        .to()
                        .and_then(|a| a.first())
                        .and_then(|a| a.address())
                        .unwrap_or_default()
                        .to_owned(),
                    to_header: message.header_raw("To").unwrap_or_default().trim().to_owned(),
                    subject: message.subject().unwrap_or_default().to_owned(),
                    text: message.body_text(0).unwrap_or_default().into_owned(),
                    html: message.body_html(0).unwrap_or_default().into_owned(),
                    raw: String::from_utf8_lossy(&raw).into_owned(),
                }
            })
            .collect()
    }

    /// The emails sent to `address` (compared case-insensitively), oldest first.
    pub async fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.outbox()
            .await
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(address))
            .collect()
    }
}
