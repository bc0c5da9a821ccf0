//! How a list of invites is ordered: the sorts and directions `userInvites` offers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Email,
    Status,
}

impl SortField {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "createdAt" => Self::CreatedAt,
            "updatedAt" => Self::UpdatedAt,
            "email" => Self::Email,
            "status" => Self::Status,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "asc" => Some(Self::Asc),
            "desc" => Some(Self::Desc),
            _ => None,
        }
    }
}
