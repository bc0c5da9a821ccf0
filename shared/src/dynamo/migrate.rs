//! `invites-local migrate` on DynamoDB: bring every invite's items to the current shape.

use super::item::{DOC, Item, MAIL_STATE, VERSION, WRITE_ID, invite_from_item, invite_key, s};
use super::table::{PARTITION_KEY, SORT_KEY};
use super::{DynamoStore, sdk_error};
use crate::domain::EmailAddress;
use crate::store::StoreError;

/// How often one invite is tried again when the API changed it under the migration.
const ATTEMPTS_PER_INVITE: usize = 8;

/// How far a migration got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Invites looked at.
    pub scanned: u64,
    /// Invites brought to the current shape (the others were in it already).
    pub migrated: u64,
    /// The partition key of the last invite looked at: `--start-after` resumes after it.
    pub last: Option<String>,
}

/// Whether an invite item has exactly the attributes this code writes (the previous
/// version's also carried index keys and a `ttl`).
fn in_shape(item: &Item) -> bool {
    item.keys()
        .all(|name| [PARTITION_KEY, SORT_KEY, DOC, VERSION, MAIL_STATE, WRITE_ID].contains(&name.as_str()))
}

impl DynamoStore {
    /// Scans the table (after the invite `start_after`, a partition key, if given) and
    /// brings each invite that is not in the current shape there, with the transaction a
    /// write of it would run: idempotent (an invite in shape is skipped), resumable, and
    /// safe beside the live API (each transaction is conditional on what it read).
    /// `progress` is called after every page of the scan.
    pub async fn migrate(
        &self,
        start_after: Option<&str>,
        mut progress: impl FnMut(&MigrationReport),
    ) -> Result<MigrationReport, StoreError> {
        let mut report = MigrationReport::default();
        let mut start =
            start_after.map(|pk| Item::from([(PARTITION_KEY.to_owned(), s(pk)), (SORT_KEY.to_owned(), s("INVITE"))]));
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("#sk = :invite")
                .expression_attribute_names("#sk", SORT_KEY)
                .expression_attribute_values(":invite", s("INVITE"))
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(sdk_error)?;
            for item in page.items() {
                report.scanned += 1;
                if self.migrate_one(item).await? {
                    report.migrated += 1;
                }
                report.last = item.get(PARTITION_KEY).and_then(|v| v.as_s().ok()).cloned();
            }
            progress(&report);
            match page.last_evaluated_key() {
                Some(key) => start = Some(key.clone()),
                None => return Ok(report),
            }
        }
    }

    /// Brings one invite to the current shape; whether it had to.
    async fn migrate_one(&self, scanned: &Item) -> Result<bool, StoreError> {
        let mut item = scanned.clone();
        for _ in 0..ATTEMPTS_PER_INVITE {
            let mut invite = invite_from_item(&item)?;
            // An address canonicalized by an earlier version (before NFC and IDNA): its
            // canonical form, its list entries and its pending-email slot move to today's.
            let canonical = EmailAddress::canonicalize(&invite.email);
            let recanonicalized = canonical != invite.email_canonical;
            invite.email_canonical = canonical;
            let ledger = self.read_ledger(invite.id).await?;
            if in_shape(&item) && ledger.is_current_for(&invite) && !recanonicalized {
                return Ok(false);
            }
            let now = chrono::Utc::now();
            // The slot under the new form, unless another pending invite of the same
            // address (two spellings of it, pending at once) holds it already: then
            // this one is written without. The old form's slot is left: no address
            // canonicalizes to it any more.
            let slot = match recanonicalized && invite.holds_email_slot(now) {
                true => Some(self.put_slot(&invite, now)?),
                false => None,
            };
            match self.write_over(invite.version, ledger, &invite, slot, true).await {
                Ok(()) => return Ok(true),
                // The API wrote it meanwhile (and so brought it into shape): look again.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            let output = self
                .client
                .get_item()
                .table_name(&self.table)
                .set_key(Some(invite_key(invite.id)))
                .consistent_read(true)
                .send()
                .await
                .map_err(sdk_error)?;
            match output.item() {
                Some(current) => item = current.clone(),
                None => return Ok(false),
            }
        }
        Err(StoreError::Conflict(None))
    }
}
