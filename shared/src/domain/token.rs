//! One-time invite tokens (invariant 1): 256 bits from the operating system's CSPRNG,
//! URL-safe, and only their SHA-256 is ever stored.
//!
//! A token is `base64url(invite id ‖ 32 random bytes)`. Carrying the id lets accept
//! find the invite with one strongly consistent read by key, then compare hashes; the
//! 32 random bytes are what makes the token unguessable.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{InviteId, MAX_TOKEN_CHARS};

const SECRET_BYTES: usize = 32;
const TOKEN_BYTES: usize = 16 + SECRET_BYTES;

/// The secret an invitee holds. Its `Debug` never shows it, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct InviteToken(String);

impl fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InviteToken(<redacted>)")
    }
}

impl InviteToken {
    pub fn generate(invite: InviteId) -> Self {
        let mut bytes = [0u8; TOKEN_BYTES];
        bytes[..16].copy_from_slice(invite.0.as_bytes());
        getrandom::fill(&mut bytes[16..]).expect("the operating system's CSPRNG is unavailable");
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A submitted token, if it has the shape of one we issue. Shape is all this says:
    /// whether it is current is for [`TokenHash::matches`] against the stored hash.
    pub fn from_submitted(raw: &str) -> Option<Self> {
        if raw.len() > MAX_TOKEN_CHARS {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
        (bytes.len() == TOKEN_BYTES).then(|| Self(raw.to_owned()))
    }

    /// The invite the token was issued for.
    pub fn invite_id(&self) -> InviteId {
        let bytes = URL_SAFE_NO_PAD.decode(&self.0).expect("a token is valid base64url");
        InviteId(Uuid::from_slice(&bytes[..16]).expect("a token starts with 16 id bytes"))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }

    /// The secret itself, for the accept link and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The SHA-256 of a token, hex-encoded: what storage keeps.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenHash(String);

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash(<redacted>)")
    }
}

impl TokenHash {
    /// Constant-time comparison with a submitted token's hash.
    pub fn matches(&self, token: &InviteToken) -> bool {
        self.0.as_bytes().ct_eq(token.hash().0.as_bytes()).into()
    }

    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_the_invite_and_256_random_bits() {
        let id = InviteId::random();
        let a = InviteToken::generate(id);
        let b = InviteToken::generate(id);
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert!(
            a.expose()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        let parsed = InviteToken::from_submitted(a.expose()).unwrap();
        assert_eq!(parsed.invite_id(), id);
        assert!(a.hash().matches(&parsed));
        assert!(!b.hash().matches(&parsed));
        assert!(!format!("{a:?}").contains(a.expose()));
    }

    #[test]
    fn foreign_strings_are_not_tokens() {
        assert!(InviteToken::from_submitted("").is_none());
        assert!(InviteToken::from_submitted("not a token").is_none());
        assert!(InviteToken::from_submitted(&"A".repeat(63)).is_none());
        assert!(InviteToken::from_submitted(&"A".repeat(600)).is_none());
    }
}
