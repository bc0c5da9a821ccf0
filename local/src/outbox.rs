//! The local mailer: every email becomes one RFC 5322 `.eml` file in the outbox,
//! readable by any mail client and by the tests.

use std::path::PathBuf;

use async_trait::async_trait;
use invites_shared::email::{Delivery, MailError, Mailer, OutgoingEmail};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};

pub const DEFAULT_SENDER: &str = "invites@invites.localhost";

pub struct OutboxMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl OutboxMailer {
    pub fn new(dir: PathBuf, from: &str) -> Result<Self, String> {
        let from: Address = from.parse().map_err(|e| format!("sender {from:?}: {e}"))?;
        std::fs::create_dir_all(&dir).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
        Ok(Self {
            dir,
            from: Mailbox::new(Some("User Invites".into()), from),
        })
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
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(email.to_name.clone(), to))
            .subject(email.subject.clone())
            .message_id(Some(message_id.clone()))
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
