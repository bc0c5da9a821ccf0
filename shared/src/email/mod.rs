//! Email: the mailer seam and the rendering of the invitation.

mod pace;
mod render;
#[cfg(feature = "aws")]
mod ses;
mod settings;

pub use pace::{PacedMailer, instance_rate};
pub use render::{CATALOG_LOCALES, EmailRenderer, accept_url, local_time};
#[cfg(feature = "aws")]
pub use ses::{SesMailer, from_address, paced_rate};
pub use settings::{EmailSettings, RoleLabels, TemplateOverride, TemplatePart, read_templates};

use async_trait::async_trait;

use crate::domain::{DeliveryResult, InviteId};

/// A rendered invitation, ready for any transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub invite_id: InviteId,
    /// The address as the inviter gave it (already validated: no CR/LF).
    pub to: String,
    /// `First Last`, for the To header's display name (no control characters).
    pub to_name: Option<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// The link the email carries, for a transport that keeps mail for a developer to
    /// read (the local outbox writes it in a header of its own); SES never sends it apart.
    pub accept_url: String,
    /// The From address's display name (`INVITES_SENDER_NAME`), checked at start.
    pub sender_name: Option<String>,
    /// Where replies go (`INVITES_REPLY_TO`), when configured.
    pub reply_to: Option<String>,
}

/// The header every invitation carries (RFC 3834): it is sent by a program, so
/// auto-responders (vacation replies) do not answer it.
pub const AUTO_SUBMITTED: (&str, &str) = ("Auto-Submitted", "auto-generated");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The transport's id for the message.
    pub message_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later (throttling, timeouts, the service down).
    #[error("temporary mail failure: {0}")]
    Transient(String),
    /// This message will not be accepted as it is.
    #[error("mail rejected: {0}")]
    Rejected(String),
}

impl From<MailError> for DeliveryResult {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Transient(_) => DeliveryResult::Transient(e.to_string()),
            MailError::Rejected(_) => DeliveryResult::Rejected(e.to_string()),
        }
    }
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &OutgoingEmail) -> Result<Delivery, MailError>;
}

/// The mailer of a deployment without `INVITES_SENDER_EMAIL`: every email fails
/// (`emailStatus: failed`), and a resend delivers it once a sender is configured.
pub struct NoSender;

#[async_trait]
impl Mailer for NoSender {
    async fn send(&self, _email: &OutgoingEmail) -> Result<Delivery, MailError> {
        Err(MailError::Rejected("INVITES_SENDER_EMAIL is not configured".into()))
    }
}
