//! Opaque list cursors: the position after the last invite of a page (one sort key,
//! which is a position in every list and shard the page merges), bound to the scope
//! (one tenant, or every tenant) and the query it came from, and signed so it cannot be
//! forged or edited.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{ListQuery, SortKey};

type HmacSha256 = Hmac<Sha256>;

#[derive(Serialize, Deserialize)]
struct Payload {
    /// The tenant and query fingerprint the cursor belongs to.
    q: String,
    k: SortKey,
}

/// What a cursor is bound to: the tenant, filters and sort (not the page size).
fn fingerprint(query: &ListQuery) -> String {
    let filters = serde_json::json!([
        query.tenant_id,
        query.statuses,
        query.email_statuses,
        query.email,
        query.created_by,
        query.accepted_by,
        query.search,
        query.sort,
        query.order,
    ]);
    let digest = Sha256::digest(filters.to_string().as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

pub struct CursorCodec {
    secret: Vec<u8>,
}

impl CursorCodec {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        mac.update(payload);
        mac
    }

    pub fn encode(&self, query: &ListQuery, after: SortKey) -> String {
        let payload = serde_json::to_vec(&Payload {
            q: fingerprint(query),
            k: after,
        })
        .expect("a cursor serializes");
        let tag = self.mac(&payload).finalize().into_bytes();
        format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), URL_SAFE_NO_PAD.encode(tag))
    }

    /// The position a cursor names, if it is one we signed for this very query.
    pub fn decode(&self, query: &ListQuery, cursor: &str) -> Option<SortKey> {
        let (payload, tag) = cursor.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(&payload).verify_slice(&tag).ok()?;
        let decoded: Payload = serde_json::from_slice(&payload).ok()?;
        (decoded.q == fingerprint(query)).then_some(decoded.k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{InviteId, TenantId};
    use crate::domain::{SortField, SortOrder};
    use crate::store::PageStart;

    fn query(tenant: TenantId) -> ListQuery {
        ListQuery {
            tenant_id: Some(tenant),
            statuses: vec![],
            email_statuses: vec![],
            email: None,
            created_by: None,
            accepted_by: None,
            search: None,
            sort: SortField::CreatedAt,
            order: SortOrder::Desc,
            limit: 20,
            start: PageStart::Offset(0),
        }
    }

    #[test]
    fn a_cursor_only_works_for_its_own_tenant_and_query() {
        let codec = CursorCodec::new(b"secret");
        let tenant = TenantId::random();
        let key = SortKey {
            value: "2026-01-01T00:00:00.000Z".into(),
            id: InviteId::random(),
        };
        let cursor = codec.encode(&query(tenant), key.clone());
        assert_eq!(codec.decode(&query(tenant), &cursor), Some(key.clone()));
        assert_eq!(codec.decode(&query(TenantId::random()), &cursor), None);
        // Nor for every tenant's list (a super admin's), nor the other way round.
        let every_tenant = ListQuery {
            tenant_id: None,
            ..query(tenant)
        };
        assert_eq!(codec.decode(&every_tenant, &cursor), None);
        let theirs = codec.encode(&every_tenant, key.clone());
        assert_eq!(codec.decode(&every_tenant, &theirs), Some(key.clone()));
        assert_eq!(codec.decode(&query(tenant), &theirs), None);
        let mut other = query(tenant);
        other.search = Some("x".into());
        assert_eq!(codec.decode(&other, &cursor), None);
        assert_eq!(CursorCodec::new(b"other").decode(&query(tenant), &cursor), None);
        let mut tampered = cursor.clone().into_bytes();
        tampered[3] ^= 1;
        assert_eq!(codec.decode(&query(tenant), &String::from_utf8_lossy(&tampered)), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;
    use crate::domain::{EffectiveStatus, InviteId, TenantId, UserId};
    use crate::domain::{SortField, SortOrder};
    use crate::store::PageStart;

    fn uuid() -> impl Strategy<Value = uuid::Uuid> {
        any::<u128>().prop_map(uuid::Uuid::from_u128)
    }

    fn query() -> impl Strategy<Value = ListQuery> {
        (
            prop::option::of(uuid()),
            proptest::collection::vec(select(EffectiveStatus::ALL.to_vec()), 0..4),
            prop::option::of(".{0,20}"),
            prop::option::of(uuid()),
            prop::option::of(uuid()),
            prop::option::of(".{0,20}"),
            select(vec![
                SortField::CreatedAt,
                SortField::UpdatedAt,
                SortField::Email,
                SortField::Status,
            ]),
            select(vec![SortOrder::Asc, SortOrder::Desc]),
            1u32..=100,
        )
            .prop_map(
                |(tenant, statuses, email, created_by, accepted_by, search, sort, order, limit)| ListQuery {
                    tenant_id: tenant.map(TenantId),
                    statuses,
                    email_statuses: vec![],
                    email,
                    created_by: created_by.map(UserId),
                    accepted_by: accepted_by.map(UserId),
                    search,
                    sort,
                    order,
                    limit,
                    start: PageStart::Offset(0),
                },
            )
    }

    fn key() -> impl Strategy<Value = SortKey> {
        (any::<String>(), uuid()).prop_map(|(value, id)| SortKey {
            value,
            id: InviteId(id),
        })
    }

    fn secret() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 1..64)
    }

    /// Flips bit `bit` of a UUID: the nearest other id.
    fn flip(id: uuid::Uuid, bit: u8) -> uuid::Uuid {
        uuid::Uuid::from_u128(id.as_u128() ^ (1u128 << bit))
    }

    /// Another text one edit away: its first letter's lowest bit flipped, or a letter
    /// added (to an empty one), or none at all; and none becomes an empty one.
    fn nudge(text: &Option<String>) -> Option<String> {
        match text.as_deref() {
            None => Some(String::new()),
            Some("") => Some("x".to_owned()),
            Some(text) => {
                let mut chars: Vec<char> = text.chars().collect();
                chars[0] = char::from_u32(u32::from(chars[0]) ^ 1).unwrap_or('x');
                let nudged: String = chars.into_iter().collect();
                Some(if nudged == text { format!("{text}x") } else { nudged })
            }
        }
    }

    /// A query, and one of its near misses: the same tenant with one filter, the sort
    /// or the order changed a little (a status added or dropped, one bit of an id
    /// flipped, one letter of a text changed), or the tenant one bit away.
    fn near_miss() -> impl Strategy<Value = (ListQuery, ListQuery)> {
        let sorts = [
            SortField::CreatedAt,
            SortField::UpdatedAt,
            SortField::Email,
            SortField::Status,
        ];
        (
            query(),
            0u8..8,
            0u8..128,
            select(EffectiveStatus::ALL.to_vec()),
            any::<u128>(),
        )
            .prop_map(move |(query, which, bit, status, fresh)| {
                let mut other = query.clone();
                match which {
                    // One bit away, or every tenant instead of one (a super admin's list).
                    0 => {
                        other.tenant_id = match query.tenant_id {
                            Some(tenant) if bit < 127 => Some(TenantId(flip(tenant.0, bit))),
                            Some(_) => None,
                            None => Some(TenantId(uuid::Uuid::from_u128(fresh))),
                        }
                    }
                    1 if other.statuses.contains(&status) => other.statuses.retain(|s| *s != status),
                    1 => other.statuses.push(status),
                    2 => other.email = nudge(&query.email),
                    3 => other.search = nudge(&query.search),
                    4 => {
                        other.created_by = Some(UserId(
                            query
                                .created_by
                                .map_or(uuid::Uuid::from_u128(fresh), |u| flip(u.0, bit)),
                        ))
                    }
                    5 => {
                        other.accepted_by = Some(UserId(
                            query
                                .accepted_by
                                .map_or(uuid::Uuid::from_u128(fresh), |u| flip(u.0, bit)),
                        ))
                    }
                    6 => {
                        let at = sorts.iter().position(|s| *s == query.sort).unwrap();
                        other.sort = sorts[(at + 1 + bit as usize % 3) % sorts.len()];
                    }
                    _ => {
                        other.order = match query.order {
                            SortOrder::Asc => SortOrder::Desc,
                            SortOrder::Desc => SortOrder::Asc,
                        }
                    }
                }
                (query, other)
            })
    }

    proptest! {
        #[test]
        fn a_cursor_decodes_to_the_position_it_encodes(secret in secret(), query in query(), key in key(), limit in 1u32..=100) {
            let codec = CursorCodec::new(&secret);
            let cursor = codec.encode(&query, key.clone());
            prop_assert!(cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
            prop_assert_eq!(codec.decode(&query, &cursor), Some(key.clone()));
            // The page size is not part of what a cursor is bound to.
            let resized = ListQuery { limit, ..query.clone() };
            prop_assert_eq!(codec.decode(&resized, &cursor), Some(key));
        }

        #[test]
        fn any_bit_flip_is_refused(secret in secret(), query in query(), key in key(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
            let codec = CursorCodec::new(&secret);
            let mut bytes = codec.encode(&query, key).into_bytes();
            let at = at.index(bytes.len());
            bytes[at] ^= 1 << bit;
            // What cannot arrive as a query parameter (not UTF-8) cannot be tried.
            if let Ok(flipped) = String::from_utf8(bytes) {
                prop_assert_eq!(codec.decode(&query, &flipped), None, "{}", flipped);
            }
        }

        #[test]
        fn a_cut_or_extended_cursor_is_refused(secret in secret(), query in query(), key in key(), at in any::<prop::sample::Index>(), tail in "[A-Za-z0-9_.-]{1,4}") {
            let codec = CursorCodec::new(&secret);
            let cursor = codec.encode(&query, key);
            let cut = &cursor[..at.index(cursor.len())];
            prop_assert_eq!(codec.decode(&query, cut), None);
            prop_assert_eq!(codec.decode(&query, &format!("{cursor}{tail}")), None);
            prop_assert_eq!(codec.decode(&query, &format!("{tail}{cursor}")), None);
        }

        #[test]
        fn a_cursor_of_another_key_or_query_is_refused(secret in secret(), other_secret in secret(), query in query(), other in query(), key in key()) {
            let cursor = CursorCodec::new(&secret).encode(&query, key);
            if other_secret != secret {
                prop_assert_eq!(CursorCodec::new(&other_secret).decode(&query, &cursor), None);
            }
            if fingerprint(&other) != fingerprint(&query) {
                prop_assert_eq!(CursorCodec::new(&secret).decode(&other, &cursor), None);
            }
        }

        #[test]
        fn a_cursor_of_a_near_miss_of_its_query_is_refused(secret in secret(), (query, other) in near_miss(), key in key()) {
            let codec = CursorCodec::new(&secret);
            let cursor = codec.encode(&query, key.clone());
            prop_assert_eq!(codec.decode(&other, &cursor), None, "{:?}", other);
            prop_assert_eq!(codec.decode(&query, &cursor), Some(key));
        }

        #[test]
        fn any_other_string_is_refused(secret in secret(), query in query(), raw in prop_oneof![
            any::<String>(),
            "[A-Za-z0-9_-]{0,200}\\.[A-Za-z0-9_-]{0,60}",
            (proptest::collection::vec(any::<u8>(), 0..200), proptest::collection::vec(any::<u8>(), 0..40))
                .prop_map(|(p, t)| format!("{}.{}", URL_SAFE_NO_PAD.encode(p), URL_SAFE_NO_PAD.encode(t))),
        ]) {
            prop_assert_eq!(CursorCodec::new(&secret).decode(&query, &raw), None);
        }
    }
}
