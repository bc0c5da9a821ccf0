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

    /// An SES client with the service's timeouts ([`crate::aws`]);
    /// `AWS_ENDPOINT_URL` (or `endpoint`) points it at an emulator.
    pub async fn client_from_env(endpoint: Option<&str>) -> Client {
        Self::client(&crate::aws::sdk_config().await, endpoint)
    }

    /// An SES client over an SDK configuration loaded once for every client. It makes
    /// one attempt per call: a throttled or failed send is not retried at once by the
    /// SDK but later, after a backoff, by the delivery core (each retry under a token
    /// of its own), so retries never add to a burst SES is already refusing.
    pub fn client(config: &aws_config::SdkConfig, endpoint: Option<&str>) -> Client {
        let mut builder = aws_sdk_sesv2::config::Builder::from(config)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1));
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Client::from_conf(builder.build())
    }

    /// The account's send rate (`GetAccount`'s `SendQuota.MaxSendRate`, emails per second).
    pub async fn max_send_rate(&self) -> Result<f64, String> {
        let account = self
            .client
            .get_account()
            .send()
            .await
            .map_err(|e| DisplayErrorContext(&e).to_string())?;
        account
            .send_quota()
            .map(|quota| quota.max_send_rate())
            .filter(|rate| *rate > 0.0)
            .ok_or_else(|| "GetAccount answered no send quota".to_owned())
    }
}

/// The rate one mailer instance sends at: `configured` (INVITES_SES_MAX_SEND_RATE), else
/// what SES says the account may send, else one email a second (the sandbox's), divided
/// among `instances`.
pub async fn paced_rate(ses: &SesMailer, configured: Option<f64>, instances: u32) -> f64 {
    let account = match configured {
        Some(rate) => rate,
        None => match ses.max_send_rate().await {
            Ok(rate) => rate,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the SES send rate; sending 1 email per second");
                1.0
            }
        },
    };
    super::instance_rate(account, instances)
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
