//! `invites-local migrate`, on DynamoDB and on the embedded store (which migrates
//! when it opens): addresses an earlier version canonicalized otherwise (before NFC and
//! IDNA) move to today's form, with their list entries and pending-email slots.

use chrono::{Duration, Utc};
use invites_local::store::EmbeddedStore;
use invites_shared::domain::{EmailAddress, EmailStatus, Invite, InviteId, InviteToken, NewInvite, TenantId, UserId};
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::store::{InviteStore, StoreError};

/// A pending invite of `tenant` to `email` as stored (an earlier version took addresses
/// today's parser refuses), canonicalized as that version did (`stale`) or as today's.
fn invite(tenant: TenantId, email: &str, stale: Option<&str>) -> Invite {
    let address = EmailAddress::parse("placeholder@example.com").unwrap();
    let id = InviteId::random();
    let now = Utc::now();
    let mut invite = Invite::issued(
        NewInvite {
            id,
            tenant_id: tenant,
            email: &address,
            created_by: UserId::random(),
            token_hash: InviteToken::generate(id).hash(),
            email_status: EmailStatus::Skipped,
            expires_at: now + Duration::days(7),
        },
        now,
    );
    invite.email = email.to_owned();
    invite.email_canonical = stale.map_or_else(|| EmailAddress::canonicalize(email), str::to_owned);
    invite
}

/// José in NFC (today's form) and in NFD as an earlier version stored it, two pending
/// invites for one address; and an IDN stored without IDNA.
async fn stale_invites(store: &dyn InviteStore) -> (Invite, Invite, Invite) {
    let tenant = TenantId(uuid::Uuid::new_v4());
    let now = Utc::now();
    let nfc = invite(tenant, "jos\u{e9}@example.com", None);
    let nfd = invite(tenant, "jose\u{301}@example.com", Some("jose\u{301}@example.com"));
    let idn = invite(tenant, "a@b\u{fc}cher.de", Some("a@b\u{fc}cher.de"));
    for invite in [&nfc, &nfd, &idn] {
        store.insert(invite, now).await.unwrap();
    }
    (nfc, nfd, idn)
}

/// What a migration must have done to [`stale_invites`].
async fn assert_migrated(store: &dyn InviteStore, (nfc, nfd, idn): &(Invite, Invite, Invite)) {
    let (tenant, now) = (nfc.tenant_id, Utc::now());
    let nfd_now = store.get(nfd.id).await.unwrap().unwrap();
    assert_eq!(nfd_now.email_canonical, nfc.email_canonical);
    assert_eq!(nfd_now.email, nfd.email, "the address as given is kept");
    assert_eq!(
        store.get(idn.id).await.unwrap().unwrap().email_canonical,
        "a@xn--bcher-kva.de"
    );
    for email in ["jos\u{e9}@example.com", "a@xn--bcher-kva.de", "A@B\u{dc}CHER.de"] {
        let again = invite(tenant, email, None);
        assert!(
            matches!(store.insert(&again, now).await, Err(StoreError::DuplicatePending)),
            "{email}"
        );
    }
}

#[tokio::test]
async fn migrate_moves_addresses_canonicalized_before_nfc_and_idna_to_todays_form() {
    let client = invites_tests::moto::dynamodb_client().await;
    let table = format!("invites-migrate-{}", uuid::Uuid::new_v4());
    dynamo::create_table(&client, &table).await.unwrap();
    let store = DynamoStore::new(client, &table);
    let invites = stale_invites(&store).await;
    let report = store.migrate(None, |_| {}).await.unwrap();
    assert_eq!((report.scanned, report.migrated), (3, 2), "{report:?}");
    assert_migrated(&store, &invites).await;
    // Idempotent: a second run changes nothing.
    let again = store.migrate(None, |_| {}).await.unwrap();
    assert_eq!(again.migrated, 0, "{again:?}");
}

#[tokio::test]
async fn the_embedded_store_moves_them_when_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invites.redb");
    let invites = stale_invites(&EmbeddedStore::open(&path).unwrap()).await;
    let store = EmbeddedStore::open(&path).unwrap();
    assert_migrated(&store, &invites).await;
    assert_eq!(store.migrate().unwrap(), 0, "idempotent");
}
