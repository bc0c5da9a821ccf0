use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }

            /// Accepts the usual textual forms of a UUID; displays the hyphenated one.
            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::try_parse(raw).ok().map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// An organization; every invite lives in exactly one.
    TenantId
);
uuid_id!(
    /// A user of the calling application (the `sub` of a token).
    UserId
);
uuid_id!(
    /// One invite.
    InviteId
);
