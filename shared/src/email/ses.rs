//! The SES v2 mailer: the rendered subject, HTML and text as a simple message.

use async_trait::async_trait;
use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message, MessageHeader, MessageTag};
use base64::Engine;

use super::{AUTO_SUBMITTED, Delivery, MailError, Mailer, OutgoingEmail};

pub struct SesMailer {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl SesMailer {
    pub fn new(client: Client, from: impl Into<String>, configuration_set: Option<String>) -> Self {
        Self {
            client,
            from: from.into(),
            configuration_set,
        }
    }

    /// An SES client with the service's retry and timeout policy ([`crate::aws`]);
    /// `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
    pub async fn client_from_env(endpoint: Option<&str>) -> Client {
        Self::client(&crate::aws::sdk_config().await, endpoint)
    }

    /// An SES client over an SDK configuration loaded once for every client.
    pub fn client(config: &aws_config::SdkConfig, endpoint: Option<&str>) -> Client {
        let mut builder = aws_sdk_sesv2::config::Builder::from(config);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Client::from_conf(builder.build())
    }
}

fn utf8(text: &str) -> Content {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .expect("content has its data")
}

/// The From address with a display name: quoted when it is plain ASCII, else an RFC 2047
/// encoded word, which SES requires for a name outside ASCII. The name was checked at
/// start (no control characters), so it cannot end the header.
pub fn from_address(address: &str, name: Option<&str>) -> String {
    match name {
        None => address.to_owned(),
        Some(name) if name.is_ascii() => {
            format!("\"{}\" <{address}>", name.replace('\\', "\\\\").replace('"', "\\\""))
        }
        Some(name) => format!(
            "=?UTF-8?B?{}?= <{address}>",
            base64::engine::general_purpose::STANDARD.encode(name)
        ),
    }
}

/// Throttling and service trouble are worth retrying; a rejected message is not.
fn classify<E, R>(e: SdkError<E, R>) -> MailError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let transient = match &e {
        SdkError::ServiceError(ctx) => matches!(
            ctx.err().code(),
            Some("TooManyRequestsException" | "LimitExceededException" | "InternalFailure" | "ServiceUnavailable")
        ),
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => true,
        _ => false,
    };
    let message = DisplayErrorContext(&e).to_string();
    if transient {
        MailError::Transient(message)
    } else {
        MailError::Rejected(message)
    }
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<Delivery, MailError> {
        // The bare address only: no display name, so nothing of the invitee's reaches a header.
        let destination = Destination::builder().to_addresses(&email.to).build();
        let auto_submitted = MessageHeader::builder()
            .name(AUTO_SUBMITTED.0)
            .value(AUTO_SUBMITTED.1)
            .build()
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        let message = Message::builder()
            .subject(utf8(&email.subject))
            .body(Body::builder().html(utf8(&email.html)).text(utf8(&email.text)).build())
            .headers(auto_submitted)
            .build();
        let tag = MessageTag::builder()
            .name("invite_id")
            .value(email.invite_id.to_string())
            .build()
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        let output = self
            .client
            .send_email()
            .from_email_address(from_address(&self.from, email.sender_name.as_deref()))
            .set_reply_to_addresses(email.reply_to.clone().map(|a| vec![a]))
            .destination(destination)
            .content(EmailContent::builder().simple(message).build())
            .email_tags(tag)
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .map_err(classify)?;
        Ok(Delivery {
            message_id: output.message_id().unwrap_or_default().to_owned(),
        })
    }
}
