//! The local mailer: every email becomes one RFC 5322 `.eml` file in the outbox,
//! readable by any mail client and by the tests.

use std::path::PathBuf;

use std::path::Path;

use async_trait::async_trait;
use invites_shared::email::{AUTO_SUBMITTED, Delivery, MailError, Mailer, OutgoingEmail};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};

pub const DEFAULT_SENDER: &str = "invites@invites.localhost";

/// The header in which the outbox keeps each email's accept link, so that a script
/// reads the link the service wrote, not the first `token=` of a body an inviter's
/// text appears in.
pub const ACCEPT_URL_HEADER: &str = "X-Invites-Accept-Url";

#[derive(Clone)]
struct AcceptUrl(String);

#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str(AUTO_SUBMITTED.0)
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), AUTO_SUBMITTED.1.to_owned())
    }
}

impl Header for AcceptUrl {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str(ACCEPT_URL_HEADER)
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

pub struct OutboxMailer {
    dir: PathBuf,
    from: Address,
}

impl OutboxMailer {
    pub fn new(dir: PathBuf, from: &str) -> Result<Self, String> {
        let from: Address = from.parse().map_err(|e| format!("sender {from:?}: {e}"))?;
        std::fs::create_dir_all(&dir).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
        Ok(Self { dir, from })
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<Delivery, MailError> {
        let to: Address = email
            .to
            .parse()
            .map_err(|e| MailError::Rejected(format!("recipient: {e}")))?;
        let message_id = format!("<{}@invites.localhost>", uuid::Uuid::new_v4());
        // lettre encodes every header it writes (RFC 2047 for the display name), so no
        // input can break out of its header.
        let sender_name = email.sender_name.clone().unwrap_or_else(|| "User Invites".into());
        let mut builder = Message::builder()
            .from(Mailbox::new(Some(sender_name), self.from.clone()))
            .to(Mailbox::new(email.to_name.clone(), to))
            .subject(email.subject.clone())
            .message_id(Some(message_id.clone()))
            .header(AcceptUrl(email.accept_url.clone()))
            .header(AutoSubmitted);
        if let Some(reply_to) = &email.reply_to {
            let reply_to: Address = reply_to
                .parse()
                .map_err(|e| MailError::Rejected(format!("reply-to: {e}")))?;
            builder = builder.reply_to(Mailbox::new(None, reply_to));
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        let name = format!(
            "{}-{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
            email.invite_id,
            &message_id[1..9]
        );
        // Written aside, then renamed: a reader never sees half a message.
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, message.formatted())
            .await
            .map_err(|e| MailError::Transient(format!("outbox write: {e}")))?;
        tokio::fs::rename(&partial, self.dir.join(&name))
            .await
            .map_err(|e| MailError::Transient(format!("outbox rename: {e}")))?;
        Ok(Delivery { message_id })
    }
}

/// One email of the outbox, as `invites-local outbox` shows it.
pub struct OutboxEntry {
    pub path: std::path::PathBuf,
    pub to: String,
    pub subject: String,
    /// From the outbox's own header (see [`ACCEPT_URL_HEADER`]).
    pub accept_url: String,
}

impl OutboxEntry {
    /// The token of the accept link.
    pub fn token(&self) -> Option<String> {
        let (_, query) = self.accept_url.split_once('?')?;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .map(|t| percent_encoding::percent_decode_str(t).decode_utf8_lossy().into_owned())
    }
}

/// Every email in the outbox folder, oldest first, read as a mail client would.
pub fn read_outbox(dir: &Path) -> Result<Vec<OutboxEntry>, String> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("outbox {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let message = mail_parser::MessageParser::default()
                .parse(&raw)
                .ok_or_else(|| format!("{}: not an email", path.display()))?;
            let header = |name: &str| message.header_raw(name).unwrap_or_default().trim().to_owned();
            Ok(OutboxEntry {
                to: message
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_owned(),
                subject: message.subject().unwrap_or_default().to_owned(),
                accept_url: header(ACCEPT_URL_HEADER),
                path,
            })
        })
        .collect()
}
