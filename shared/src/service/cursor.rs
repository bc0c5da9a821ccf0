//! Opaque list cursors: the position after the last invite of a page, bound to the
//! tenant and the query it came from, and signed so it cannot be forged or edited.

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
    use crate::store::{PageStart, SortField, SortOrder};

    fn query(tenant: TenantId) -> ListQuery {
        ListQuery {
            tenant_id: tenant,
            statuses: vec![],
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
        assert_eq!(codec.decode(&query(tenant), &cursor), Some(key));
        assert_eq!(codec.decode(&query(TenantId::random()), &cursor), None);
        let mut other = query(tenant);
        other.search = Some("x".into());
        assert_eq!(codec.decode(&other, &cursor), None);
        assert_eq!(CursorCodec::new(b"other").decode(&query(tenant), &cursor), None);
        let mut tampered = cursor.clone().into_bytes();
        tampered[3] ^= 1;
        assert_eq!(codec.decode(&query(tenant), &String::from_utf8_lossy(&tampered)), None);
    }
}
