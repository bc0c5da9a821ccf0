//! Secrets read at init from where the environment points: an SSM Parameter Store
//! SecureString (`..._PARAMETER`, its name) or a Secrets Manager secret (`..._ARN`).
//! The value never sits in the function's configuration, where anyone who may read
//! the function (`lambda:GetFunctionConfiguration`) could read it.
//!
//! [`resolve`] hands the values back under the plain variables' names
//! (`INVITES_JWT_SECRET`, ...), so [`Config`] reads them as if they had been set.

use std::collections::HashMap;

use aws_sdk_ssm::types::ParameterType;

use crate::config::{Config, ConfigError};

/// A secret the service reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// The HS256 key of callers' tokens.
    Jwt,
    /// The key that signs list cursors.
    Cursor,
}

impl Secret {
    pub const ALL: [Secret; 2] = [Secret::Jwt, Secret::Cursor];

    /// The variable holding the value itself.
    pub fn variable(self) -> &'static str {
        match self {
            Self::Jwt => "INVITES_JWT_SECRET",
            Self::Cursor => "INVITES_CURSOR_SECRET",
        }
    }

    /// The variable naming an SSM SecureString parameter that holds it.
    pub fn parameter_variable(self) -> &'static str {
        match self {
            Self::Jwt => "INVITES_JWT_SECRET_PARAMETER",
            Self::Cursor => "INVITES_CURSOR_SECRET_PARAMETER",
        }
    }

    /// The variable naming a Secrets Manager secret (its ARN) that holds it.
    pub fn arn_variable(self) -> &'static str {
        match self {
            Self::Jwt => "INVITES_JWT_SECRET_ARN",
            Self::Cursor => "INVITES_CURSOR_SECRET_ARN",
        }
    }
}

/// Where one secret is.
enum Reference {
    Parameter(String),
    SecretsManager(String),
}

/// Reads each of `wanted` that the environment names by reference, and returns the
/// values by their plain variable's name. A secret not wanted is not read (a function
/// that takes no JWT never reads the JWT secret, and may not). Setting a secret both
/// ways, or by both references, is refused: which one wins would be a guess.
pub async fn resolve(
    var: &impl Fn(&str) -> Option<String>,
    wanted: &[Secret],
) -> Result<HashMap<&'static str, String>, ConfigError> {
    let mut references = Vec::new();
    for secret in wanted {
        let parameter = var(secret.parameter_variable());
        let arn = var(secret.arn_variable());
        let reference = match (parameter, arn) {
            (None, None) => continue,
            (Some(name), None) => Reference::Parameter(name),
            (None, Some(arn)) => Reference::SecretsManager(arn),
            (Some(_), Some(_)) => {
                return Err(ConfigError::Invalid {
                    name: secret.parameter_variable(),
                    reason: format!("set it or {}, not both", secret.arn_variable()),
                });
            }
        };
        if var(secret.variable()).is_some() {
            return Err(ConfigError::Invalid {
                name: secret.variable(),
                reason: format!(
                    "set the secret itself or a reference to it ({} or {}), not both",
                    secret.parameter_variable(),
                    secret.arn_variable()
                ),
            });
        }
        references.push((*secret, reference));
    }
    let mut values = HashMap::new();
    if references.is_empty() {
        return Ok(values);
    }
    let sdk = crate::aws::sdk_config().await;
    for (secret, reference) in references {
        let value = match reference {
            Reference::Parameter(name) => read_parameter(&aws_sdk_ssm::Client::new(&sdk), secret, &name).await?,
            Reference::SecretsManager(arn) => {
                read_secret(&aws_sdk_secretsmanager::Client::new(&sdk), secret, &arn).await?
            }
        };
        values.insert(secret.variable(), value);
    }
    Ok(values)
}

/// The configuration from the environment, with `wanted` secrets read from where the
/// environment points (the Lambda functions and `invites-local serve`).
pub async fn config_from_env(wanted: &[Secret], development_secret: Option<&str>) -> Result<Config, ConfigError> {
    let env = crate::config::env_var;
    let values = resolve(&env, wanted).await?;
    Config::from_lookup(
        |name| values.get(name).cloned().or_else(|| env(name)),
        development_secret,
    )
}

async fn read_parameter(client: &aws_sdk_ssm::Client, secret: Secret, name: &str) -> Result<String, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: secret.parameter_variable(),
        reason: format!("parameter {name:?}: {reason}"),
    };
    let output = client
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| invalid(aws_sdk_ssm::error::DisplayErrorContext(&e).to_string()))?;
    let parameter = output
        .parameter
        .ok_or_else(|| invalid("no parameter in the answer".into()))?;
    // A secret in a plain String parameter is readable by anyone who may read
    // parameters, with no KMS key involved: refuse it rather than use it.
    if parameter.r#type != Some(ParameterType::SecureString) {
        return Err(invalid(format!(
            "is a {} parameter; store the secret as a SecureString",
            parameter.r#type.as_ref().map(|t| t.as_str()).unwrap_or("untyped")
        )));
    }
    non_empty(parameter.value).ok_or_else(|| invalid("is empty".into()))
}

async fn read_secret(
    client: &aws_sdk_secretsmanager::Client,
    secret: Secret,
    arn: &str,
) -> Result<String, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: secret.arn_variable(),
        reason: format!("secret {arn:?}: {reason}"),
    };
    let output = client
        .get_secret_value()
        .secret_id(arn)
        .send()
        .await
        .map_err(|e| invalid(aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string()))?;
    if output.secret_binary.is_some() {
        return Err(invalid("holds binary data; store the secret as a string".into()));
    }
    non_empty(output.secret_string).ok_or_else(|| invalid("is empty".into()))
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}
