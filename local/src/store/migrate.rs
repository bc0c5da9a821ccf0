//! Bringing a data file of an earlier version to the current shape: every invite without
//! a ledger of the current shape gets its entries and counts, in batches of write
//! transactions, when the store opens (and by `invites-local migrate`).

use invites_shared::domain::{EmailAddress, Invite};
use invites_shared::store::StoreError;
use redb::{ReadableDatabase, ReadableTable};

use super::index::{self, LEDGERS, Ledger, SHAPE};
use super::{EMAIL_SLOTS, EmbeddedStore, INVITES, from_json, give_back_slot, internal, take_slot, to_json};

/// Invites brought to shape per write transaction, which bounds its memory.
const BATCH: usize = 500;

impl EmbeddedStore {
    /// Derives the entries and counts of every invite that lacks them (or has them in
    /// another shape). Idempotent; each batch commits on its own, so an interrupted run
    /// resumes where it stopped. Returns how many invites it brought to shape.
    pub fn migrate(&self) -> Result<u64, StoreError> {
        let mut migrated = 0;
        let mut after: Option<String> = None;
        loop {
            // Find the next batch with a read transaction: a store in shape costs one walk
            // of the invites' ids and ledgers, no write.
            let batch: Vec<String> = {
                let txn = self.db.begin_read().map_err(internal)?;
                let invites = txn.open_table(INVITES).map_err(internal)?;
                let ledgers = txn.open_table(LEDGERS).map_err(internal)?;
                let walk = match &after {
                    Some(last) => {
                        invites.range::<&str>((std::ops::Bound::Excluded(last.as_str()), std::ops::Bound::Unbounded))
                    }
                    None => invites.range::<&str>(..),
                }
                .map_err(internal)?;
                let mut batch = Vec::new();
                let mut scanned = 0;
                for entry in walk {
                    let (id, bytes) = entry.map_err(internal)?;
                    let id = id.value().to_owned();
                    scanned += 1;
                    let current = match ledgers.get(id.as_str()).map_err(internal)? {
                        Some(bytes) => from_json::<Ledger>(bytes.value())?.shape == SHAPE,
                        None => false,
                    } && !recanonicalizes(&from_json(bytes.value())?);
                    after = Some(id.clone());
                    if !current {
                        batch.push(id);
                    }
                    if batch.len() == BATCH || scanned == BATCH * 20 {
                        break;
                    }
                }
                if scanned == 0 {
                    return Ok(migrated);
                }
                batch
            };
            if batch.is_empty() {
                continue;
            }
            let txn = self.db.begin_write().map_err(internal)?;
            for id in &batch {
                let mut invite: Invite = {
                    let invites = txn.open_table(INVITES).map_err(internal)?;
                    let found = invites.get(id.as_str()).map_err(internal)?;
                    match found {
                        Some(bytes) => from_json(bytes.value())?,
                        None => continue,
                    }
                };
                let recanonicalized = recanonicalizes(&invite);
                if recanonicalized {
                    self.recanonicalize(&txn, &mut invite)?;
                }
                let previous = index::ledger(&txn, invite.id)?;
                if previous.as_ref().is_some_and(|l| l.shape == SHAPE) && !recanonicalized {
                    continue;
                }
                index::derive(&txn, previous.as_ref(), &invite)?;
                migrated += 1;
            }
            txn.commit().map_err(internal)?;
        }
    }
}

/// Whether an earlier version canonicalized the invite's address otherwise (before NFC
/// and IDNA): then its canonical form, entries and pending-email slot move to today's.
fn recanonicalizes(invite: &Invite) -> bool {
    EmailAddress::canonicalize(&invite.email) != invite.email_canonical
}

impl EmbeddedStore {
    /// Gives `invite` today's canonical form, moving its pending-email slot there unless
    /// another pending invite of the same address (two spellings, pending at once)
    /// holds it already: then this one keeps none, and the two stay pending.
    fn recanonicalize(&self, txn: &redb::WriteTransaction, invite: &mut Invite) -> Result<(), StoreError> {
        let mut slots = txn.open_table(EMAIL_SLOTS).map_err(internal)?;
        give_back_slot(&mut slots, invite)?;
        invite.email_canonical = EmailAddress::canonicalize(&invite.email);
        let now = chrono::Utc::now();
        if invite.holds_email_slot(now) {
            match take_slot(txn, &mut slots, invite, now) {
                Ok(()) | Err(StoreError::DuplicatePending) => {}
                Err(e) => return Err(e),
            }
        }
        drop(slots);
        txn.open_table(INVITES)
            .map_err(internal)?
            .insert(invite.id.to_string().as_str(), to_json(invite)?.as_slice())
            .map_err(internal)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};
    use invites_shared::domain::{
        EffectiveStatus, EmailAddress, EmailStatus, InviteId, InviteStatus, InviteToken, NewInvite, SortField,
        SortOrder, TenantId, UserId, search_needle,
    };
    use invites_shared::store::{InviteStore, ListQuery, PageStart};
    use redb::{Database, TableDefinition};

    use super::*;

    /// What the previous version kept: invites as JSON, a `tenant/id` index, slots.
    const OLD_INVITES: TableDefinition<&str, &[u8]> = TableDefinition::new("invites");
    const OLD_BY_TENANT: TableDefinition<&str, ()> = TableDefinition::new("invites_by_tenant");

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
            limit: 100,
            start: PageStart::Offset(0),
        }
    }

    #[tokio::test]
    async fn a_data_file_of_the_previous_version_lists_and_counts_once_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("invites.redb");
        let tenant = TenantId::random();
        let now = Utc::now();
        let mut invites = Vec::new();
        {
            let db = Database::create(&path).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut table = txn.open_table(OLD_INVITES).unwrap();
                let mut by_tenant = txn.open_table(OLD_BY_TENANT).unwrap();
                for i in 0..12 {
                    let id = InviteId::random();
                    let email = EmailAddress::parse(&format!("Old{i}@Example.com")).unwrap();
                    let created = now - Duration::days(3) + Duration::seconds(i);
                    let mut invite = Invite {
                        first_name: Some("Émile".into()),
                        ..Invite::issued(
                            NewInvite {
                                id,
                                tenant_id: tenant,
                                email: &email,
                                created_by: UserId::random(),
                                token_hash: InviteToken::generate(id).hash(),
                                email_status: EmailStatus::Sent,
                                expires_at: created + Duration::days(if i % 2 == 0 { 1 } else { 7 }),
                            },
                            created,
                        )
                    };
                    if i % 4 == 1 {
                        invite.status = InviteStatus::Canceled;
                    }
                    let mut doc = serde_json::to_value(&invite).unwrap();
                    doc.as_object_mut().unwrap().remove("recorded_expiry");
                    let bytes = serde_json::to_vec(&doc).unwrap();
                    table.insert(id.to_string().as_str(), bytes.as_slice()).unwrap();
                    by_tenant.insert(format!("{tenant}/{id}").as_str(), ()).unwrap();
                    invites.push(invite);
                }
            }
            txn.commit().unwrap();
        }
        let (store, migrated) = EmbeddedStore::open_migrating(&path).unwrap();
        assert_eq!(migrated, 12);
        assert_eq!(store.migrate().unwrap(), 0, "a second run changes nothing");
        let page = store.list(&query(tenant), now).await.unwrap();
        assert_eq!((page.total_count, page.total_exact, page.items.len()), (12, true, 12));
        for status in EffectiveStatus::ALL {
            let expected = invites.iter().filter(|i| i.effective_status(now) == status).count() as u64;
            let page = store
                .list(
                    &ListQuery {
                        statuses: vec![status],
                        email_statuses: vec![],
                        ..query(tenant)
                    },
                    now,
                )
                .await
                .unwrap();
            assert_eq!(page.total_count, expected, "{status:?}");
            assert_eq!(page.items.len() as u64, expected, "{status:?}");
        }
        let found = store
            .list(
                &ListQuery {
                    search: search_needle("emile"),
                    ..query(tenant)
                },
                now,
            )
            .await
            .unwrap();
        assert_eq!(found.items.len(), 12);
        drop(store);
        // Reopening finds everything in shape.
        assert_eq!(EmbeddedStore::open_migrating(&path).unwrap().1, 0);
    }
}
