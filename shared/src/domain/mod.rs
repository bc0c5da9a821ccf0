//! The invite model and the validated types raw input is parsed into.

mod caller;
mod case;
mod email_address;
mod events;
mod ids;
mod invite;
mod limits;
mod list;
mod locale;
mod profile;
mod refusal;
mod search;
mod text;
mod time_zone;
mod token;
mod transitions;

pub use caller::{Caller, RolePolicy};
pub use case::fold_case;
pub use email_address::EmailAddress;
pub use events::{EventType, InviteEvent, events_between};
pub use ids::{InviteId, TenantId, UserId};
pub use invite::{EffectiveStatus, EmailStatus, Invite, InviteStatus, InviteView, NewInvite};
pub use limits::*;
pub use list::{SortField, SortOrder};
pub use locale::Locale;
pub use profile::{CustomData, PersonName, RoleKey, Roles};
pub use refusal::{ErrorCode, Refusal};
pub use search::{index_prefix, index_prefixes, search_fields, search_fold, search_matches, search_needle};
pub use text::{carries_a_link, clip};
pub use time_zone::TimeZone;
pub use token::{InviteToken, TokenHash};
pub use transitions::{DeliveryResult, EmailFeedback, InviteChanges, Reissue, RetryPolicy};

use serde::Serialize;

/// One invalid field of a request, as listed in a problem's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
