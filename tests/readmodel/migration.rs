//! `invites-local migrate` on a table the previous version filled: every list and count
//! is right afterwards; a second run changes nothing; a run can resume part-way; the
//! API may write meanwhile, and a write of the previous version is repaired.

use std::collections::{HashMap, HashSet};

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Duration, Utc};
use invites_shared::domain::{
    EffectiveStatus, EmailAddress, EmailStatus, Invite, InviteId, InviteStatus, InviteToken, NewInvite, TenantId,
    UserId, fold_case,
};
use invites_shared::dynamo::DynamoStore;
use invites_shared::store::sortable_time;
use invites_tests::{json_of, spawn_app_on_table};
use serde_json::Value;

type Item = HashMap<String, AttributeValue>;

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// An invite item exactly as the previous version wrote it (its `invite_item`): the
/// document, the tenant's four index keys, filter attributes and a purge `ttl`.
fn old_invite_item(invite: &Invite) -> Item {
    let stored = match invite.status {
        InviteStatus::Pending => "pending",
        InviteStatus::Accepted => "accepted",
        InviteStatus::Canceled => "canceled",
    };
    let mut doc: Value = serde_json::to_value(invite).unwrap();
    // The previous version's invites had no such field.
    doc.as_object_mut().unwrap().remove("recorded_expiry");
    let key = |value: String| s(format!("{value}#{}", invite.id));
    let mut item = Item::from([
        ("pk".to_owned(), s(format!("INVITE#{}", invite.id))),
        ("sk".to_owned(), s("INVITE")),
        ("doc".to_owned(), s(doc.to_string())),
        ("version".to_owned(), n(invite.version as i64)),
        ("tenant_key".to_owned(), s(invite.tenant_id.to_string())),
        ("status".to_owned(), s(stored)),
        ("expires_key".to_owned(), s(sortable_time(invite.expires_at))),
        ("email_canonical".to_owned(), s(&invite.email_canonical)),
        ("created_by".to_owned(), s(invite.created_by_user_id.to_string())),
        ("created_key".to_owned(), key(sortable_time(invite.created_at))),
        ("updated_key".to_owned(), key(sortable_time(invite.updated_at))),
        ("email_key".to_owned(), key(invite.email_canonical.clone())),
        (
            "status_key".to_owned(),
            key(format!("{stored}#{}", sortable_time(invite.expires_at))),
        ),
    ]);
    if let Some(by) = invite.accepted_by_user_id {
        item.insert("accepted_by".to_owned(), s(by.to_string()));
    }
    if let Some(first) = &invite.first_name {
        item.insert("first_lc".to_owned(), s(fold_case(first)));
    }
    if let Some(last) = &invite.last_name {
        item.insert("last_lc".to_owned(), s(fold_case(last)));
    }
    if invite.status == InviteStatus::Pending {
        item.insert(
            "ttl".to_owned(),
            n((invite.expires_at + Duration::days(90)).timestamp()),
        );
    }
    item
}

fn old_slot_item(invite: &Invite) -> Item {
    Item::from([
        (
            "pk".to_owned(),
            s(format!("SLOT#{}#{}", invite.tenant_id, invite.email_canonical)),
        ),
        ("sk".to_owned(), s("SLOT")),
        ("invite_id".to_owned(), s(invite.id.to_string())),
        ("expires_key".to_owned(), s(sortable_time(invite.expires_at))),
        ("ttl".to_owned(), n(invite.expires_at.timestamp())),
    ])
}

/// `count` invites of `tenant` as the previous version would have stored them: some
/// accepted, some canceled, some expired by `now`.
fn old_invites(tenant: TenantId, creator: UserId, count: usize, now: DateTime<Utc>) -> Vec<Invite> {
    (0..count)
        .map(|i| {
            let email = EmailAddress::parse(&format!("Old.Person{i}@Legacy.example")).unwrap();
            let created = now - Duration::days(3) + Duration::seconds(i as i64);
            let id = InviteId::random();
            let issued = Invite::issued(
                NewInvite {
                    id,
                    tenant_id: tenant,
                    email: &email,
                    created_by: creator,
                    token_hash: InviteToken::generate(id).hash(),
                    email_status: EmailStatus::Sent,
                    expires_at: created + Duration::days(if i % 3 == 0 { 1 } else { 7 }),
                },
                created,
            );
            let mut invite = Invite {
                first_name: Some(["Johanna", "Émile", "Kai"][i % 3].to_owned()),
                last_name: Some("Legacy".to_owned()),
                ..issued
            };
            match i % 5 {
                1 => {
                    invite.status = InviteStatus::Accepted;
                    invite.accepted_by_user_id = Some(UserId::random());
                    invite.version = 2;
                }
                2 => {
                    invite.status = InviteStatus::Canceled;
                    invite.version = 2;
                }
                _ => {}
            }
            invite
        })
        .collect()
}

async fn put(client: &aws_sdk_dynamodb::Client, table: &str, item: Item) {
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

/// Counts by status at `now`, as the brute force sees them.
fn expected_counts(invites: &[Invite], now: DateTime<Utc>) -> HashMap<EffectiveStatus, u64> {
    let mut counts = HashMap::new();
    for invite in invites {
        *counts.entry(invite.effective_status(now)).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn a_table_of_the_previous_version_lists_and_counts_right_after_the_migration() {
    let _one = crate::ONE_AT_A_TIME.lock().await;
    let table = format!("invites-test-{}", uuid::Uuid::new_v4());
    let client = invites_shared::dynamo::client_from_env(None).await;
    invites_shared::dynamo::create_table(&client, &table).await.unwrap();
    let (tenant, other) = (TenantId::random(), TenantId::random());
    let creator = UserId::random();
    let now = Utc::now();
    let mut invites = old_invites(tenant, creator, 30, now);
    invites.extend(old_invites(other, UserId::random(), 10, now));
    for invite in &invites {
        put(&client, &table, old_invite_item(invite)).await;
        if invite.status == InviteStatus::Pending {
            put(&client, &table, old_slot_item(invite)).await;
        }
    }
    let store = DynamoStore::new(client.clone(), &table);

    // Resumable: a run that starts part-way, then a whole run, migrate each invite once.
    let invite_items = || {
        client
            .scan()
            .table_name(&table)
            .filter_expression("sk = :invite")
            .expression_attribute_values(":invite", s("INVITE"))
            .consistent_read(true)
            .send()
    };
    let order: Vec<String> = invite_items()
        .await
        .unwrap()
        .items()
        .iter()
        .map(|item| item["pk"].as_s().unwrap().clone())
        .collect();
    let part = store.migrate(Some(&order[15]), |_| {}).await.unwrap();
    assert_eq!(part.migrated as usize, invites.len() - 16);
    let rest = store.migrate(None, |_| {}).await.unwrap();
    assert_eq!((rest.scanned as usize, rest.migrated as usize), (invites.len(), 16));
    // Idempotent.
    let again = store.migrate(None, |_| {}).await.unwrap();
    assert_eq!(again.migrated, 0);
    for item in invite_items().await.unwrap().items() {
        assert!(
            !item.contains_key("ttl") && !item.contains_key("tenant_key"),
            "{item:?}"
        );
    }

    let app = spawn_app_on_table(&table, None).await;
    let user = app.token_for(creator.0, Some(tenant.0), false);
    let list = |query: String| {
        let app = &app;
        let user = user.clone();
        async move { json_of(app.get(&format!("/user-invites?{query}"), Some(&user)).await, 200).await }
    };
    let ours: Vec<Invite> = invites.iter().filter(|i| i.tenant_id == tenant).cloned().collect();
    let at = app.now();
    for (status, count) in expected_counts(&ours, at) {
        let page = list(format!("status={}&limit=100", status.as_str())).await;
        assert_eq!(page["totalCount"], count, "{status:?}");
        assert_eq!(page["data"].as_array().unwrap().len() as u64, count, "{status:?}");
    }
    let all = list("limit=100&sort=email&order=asc".into()).await;
    assert_eq!(all["totalCount"], ours.len() as u64);
    let mut emails: Vec<String> = ours.iter().map(|i| i.email_canonical.clone()).collect();
    emails.sort();
    let listed: Vec<String> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(listed, emails);
    assert_eq!(list("search=emile&limit=100".into()).await["totalCount"], 10);
    assert_eq!(list("email=OLD.PERSON7@legacy.example".into()).await["totalCount"], 1);
    assert_eq!(list(format!("createdByUserId={creator}")).await["totalCount"], 30);
    let every = json_of(
        app.get("/user-invites?limit=1", Some(&app.super_admin_token())).await,
        200,
    )
    .await;
    assert_eq!(every["totalCount"], invites.len() as u64);

    // A write of the previous version (a rolling deployment): the invite item is put whole,
    // the ledger and entries stay as they were. The migration repairs it.
    let pending = ours
        .iter()
        .find(|i| i.effective_status(at) == EffectiveStatus::Pending)
        .unwrap();
    let mut canceled = pending.clone();
    canceled.status = InviteStatus::Canceled;
    canceled.version += 1;
    put(&client, &table, old_invite_item(&canceled)).await;
    let repaired = store.migrate(None, |_| {}).await.unwrap();
    assert_eq!(repaired.migrated, 1);
    let mut now_ours = ours.clone();
    *now_ours.iter_mut().find(|i| i.id == canceled.id).unwrap() = canceled.clone();
    for (status, count) in expected_counts(&now_ours, at) {
        let page = list(format!("status={}&limit=100", status.as_str())).await;
        assert_eq!(page["totalCount"], count, "{status:?} after the repair");
        let ids: HashSet<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.len() as u64, count);
    }
}

#[tokio::test]
async fn the_migration_runs_beside_the_live_api() {
    let _one = crate::ONE_AT_A_TIME.lock().await;
    let table = format!("invites-test-{}", uuid::Uuid::new_v4());
    let client = invites_shared::dynamo::client_from_env(None).await;
    invites_shared::dynamo::create_table(&client, &table).await.unwrap();
    let tenant = TenantId::random();
    let creator = UserId::random();
    let now = Utc::now();
    let invites = old_invites(tenant, creator, 40, now);
    for invite in &invites {
        put(&client, &table, old_invite_item(invite)).await;
    }
    let app = spawn_app_on_table(&table, None).await;
    let store = DynamoStore::new(client.clone(), &table);
    let admin = app.super_admin_token();
    let at = app.now();
    let open: Vec<&Invite> = invites.iter().filter(|i| i.status == InviteStatus::Pending).collect();
    // The API cancels invites while the migration passes over them.
    let migrating = store.migrate(None, |_| {});
    let canceling = async {
        for invite in &open {
            let path = format!("/user-invites/{}/cancel", invite.id);
            json_of(app.post(&path, Some(&admin), serde_json::json!({})).await, 200).await;
        }
    };
    let (report, ()) = tokio::join!(migrating, canceling);
    report.unwrap();
    store.migrate(None, |_| {}).await.unwrap();
    let user = app.token_for(creator.0, Some(tenant.0), false);
    let canceled = invites
        .iter()
        .filter(|i| i.effective_status(at) == EffectiveStatus::Canceled)
        .count()
        + open.len();
    for (status, count) in [
        ("canceled", canceled),
        ("pending", 0),
        ("expired", 0),
        (
            "accepted",
            invites.iter().filter(|i| i.status == InviteStatus::Accepted).count(),
        ),
    ] {
        let page = json_of(
            app.get(&format!("/user-invites?status={status}&limit=100"), Some(&user))
                .await,
            200,
        )
        .await;
        assert_eq!(page["totalCount"], count as u64, "{status}");
        assert_eq!(page["data"].as_array().unwrap().len(), count, "{status}");
    }
}
