//! The fixtures the sample events act on (`events/fixtures.json`): a tenant, a user and
//! two pending invites, the first with a known token. `invites-local seed-fixtures`
//! writes them into a fresh table on a local emulator, so every event in `events/` works
//! under `cargo lambda watch` and `sam local invoke`; tests/lambda seeds them the same way.

use chrono::{DateTime, Duration, Utc};
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::store::{InviteStore, StoreError};
use serde::Deserialize;

/// The fixtures, embedded from the repository's `events/fixtures.json`.
pub const FIXTURES_JSON: &str = include_str!("../../events/fixtures.json");

/// How long a seeded invite stays valid.
const VALID_FOR_DAYS: i64 = 7;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixtures {
    pub tenant_id: String,
    pub user_id: String,
    pub invites: Vec<FixtureInvite>,
}

#[derive(Debug, Deserialize)]
pub struct FixtureInvite {
    pub id: String,
    pub email: String,
    /// The token the events present; `None` for an invite whose token nobody knows.
    pub token: Option<String>,
}

impl Fixtures {
    pub fn load() -> Self {
        serde_json::from_str(FIXTURES_JSON).expect("events/fixtures.json holds the fixtures")
    }

    pub fn tenant(&self) -> TenantId {
        TenantId::parse(&self.tenant_id).expect("the fixture tenant is a UUID")
    }

    /// The invite the events' token belongs to.
    pub fn tokened_invite(&self) -> InviteId {
        let fixture = self
            .invites
            .iter()
            .find(|i| i.token.is_some())
            .expect("one fixture has a token");
        InviteId::parse(&fixture.id).expect("the fixture id is a UUID")
    }

    /// Writes every fixture invite into `store` as issued at `now`: pending, role
    /// `content-creator`, email in `email_status`. The invite with the known token is
    /// addressed to `email` when given (a test's own address).
    pub async fn seed(
        &self,
        store: &dyn InviteStore,
        email_status: EmailStatus,
        email: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tenant_id = self.tenant();
        let created_by = UserId::parse(&self.user_id).expect("the fixture user is a UUID");
        for fixture in &self.invites {
            let id = InviteId::parse(&fixture.id).expect("the fixture id is a UUID");
            let token = match &fixture.token {
                Some(token) => InviteToken::from_submitted(token).expect("the fixture token has our shape"),
                None => InviteToken::generate(id),
            };
            assert_eq!(token.invite_id(), id, "the fixture token belongs to its invite");
            let address = match (email, &fixture.token) {
                (Some(email), Some(_)) => email,
                _ => fixture.email.as_str(),
            };
            let address = EmailAddress::parse(address).expect("the fixture email is valid");
            let issue = NewInvite {
                id,
                tenant_id,
                email: &address,
                created_by,
                token_hash: token.hash(),
                email_status,
                expires_at: now + Duration::days(VALID_FOR_DAYS),
            };
            let invite = Invite {
                roles: vec!["content-creator".into()],
                ..Invite::issued(issue, now)
            };
            store.insert(&invite, now).await?;
        }
        Ok(())
    }
}
