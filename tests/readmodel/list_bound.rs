//! The work of one list request does not grow with the data: through the proxy, every
//! list request's items read (`ScannedCount` of every Query, COUNT ones included, GetItem
//! hits, BatchGetItem items) stay within `offset + 2 * limit + 150`, for every filter,
//! sort, order and page, in a tenant and in one four times larger, and across tenants.

use invites_tests::{Population, TestApp, enc, json_of};
use serde_json::Value;
use uuid::Uuid;

use crate::app_behind_proxy;
use invites_tests::proxy::FaultProxy;

const SMALL: usize = 60;
const LARGE: usize = 4 * SMALL;
/// Calls one list request may make (counters, a count, a page over up to 32 ranges in
/// a few rounds, the page's invites): a bound, whatever the data.
const MAX_CALLS: usize = 80;

/// Each filter with a label that does not name the tenant's values.
fn filters(population: &Population, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("(none)", String::new()),
        ("status=pending", "status=pending".into()),
        ("status=expired", "status=expired".into()),
        ("status=canceled", "status=canceled".into()),
        ("status=accepted,canceled", "status=accepted,canceled".into()),
        ("status=pending,expired", "status=pending,expired".into()),
        ("email", format!("email={}", enc(email))),
        ("email&status=pending", format!("email={}&status=pending", enc(email))),
        ("createdByUserId", format!("createdByUserId={}", population.creators[0])),
        (
            "acceptedByUserId",
            format!("acceptedByUserId={}", population.acceptors[0]),
        ),
        (
            "createdByUserId&status=accepted",
            format!("createdByUserId={}&status=accepted", population.creators[1]),
        ),
        ("search=j", "search=j".into()),
        ("search=jo", "search=jo".into()),
        ("search=john", "search=john".into()),
        ("search=johanna", "search=johanna".into()),
        ("search=gmail", "search=gmail".into()),
        ("search=jo&status=pending", "search=jo&status=pending".into()),
    ]
}

/// One request: its items read and calls, asserted within the bound.
async fn measure(
    app: &TestApp,
    proxy: &FaultProxy,
    token: &str,
    query: &str,
    offset: usize,
    limit: usize,
) -> (Value, usize) {
    proxy.take_calls();
    proxy.take_reads();
    let page = json_of(app.get(&format!("/user-invites?{query}"), Some(token)).await, 200).await;
    let calls = proxy.take_calls();
    let reads: usize = proxy.take_reads().iter().map(|(_, n)| n).sum();
    let bound = offset + 2 * limit + 150;
    assert!(
        reads <= bound,
        "{query}: read {reads} items, bound {bound}; calls {calls:?}"
    );
    assert!(calls.len() <= MAX_CALLS, "{query}: {} calls: {calls:?}", calls.len());
    (page, reads)
}

/// Every filter, sort and order: the first page, the next by cursor, and one by offset.
/// Returns the most items any request read, by filter.
async fn walk(
    app: &TestApp,
    proxy: &FaultProxy,
    token: &str,
    filters: &[(&'static str, String)],
) -> Vec<(&'static str, usize)> {
    let mut most = Vec::new();
    for (label, filter) in filters {
        let mut worst = 0;
        for sort in ["createdAt", "updatedAt", "email", "status"] {
            for order in ["desc", "asc"] {
                let base = format!("{filter}&sort={sort}&order={order}&limit=20");
                let (first, read) = measure(app, proxy, token, &base, 0, 20).await;
                worst = worst.max(read);
                if let Some(cursor) = first["nextCursor"].as_str() {
                    let (_, read) = measure(app, proxy, token, &format!("{base}&cursor={}", enc(cursor)), 0, 20).await;
                    worst = worst.max(read);
                }
                if order == "desc" {
                    let (_, read) = measure(app, proxy, token, &format!("{base}&offset=40"), 40, 20).await;
                    worst = worst.max(read.saturating_sub(40));
                }
            }
        }
        for limit in [1, 100] {
            let (_, read) = measure(app, proxy, token, &format!("{filter}&limit={limit}"), 0, limit).await;
            worst = worst.max(read);
        }
        most.push((*label, worst));
    }
    most
}

async fn email_of(app: &TestApp, population: &Population) -> String {
    let path = format!("/user-invites/{}", population.ids[3]);
    let invite = json_of(app.get(&path, Some(&app.super_admin_token())).await, 200).await;
    invite["email"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_list_request_reads_a_bounded_number_of_items_whatever_the_tenant_size() {
    let _one = crate::ONE_AT_A_TIME.lock().await;
    let (app, proxy) = app_behind_proxy().await;
    let small = app.populate(Uuid::new_v4(), SMALL, 1).await;
    let large = app.populate(Uuid::new_v4(), LARGE, 2).await;
    // A third of the invites expire within a day: some now read as expired.
    app.advance(chrono::Duration::days(2));
    let (small_email, large_email) = (email_of(&app, &small).await, email_of(&app, &large).await);
    let mut table = String::from("| filter | small tenant | large tenant | every tenant |\n|---|---:|---:|---:|\n");
    let small_token = app.token_for(small.creators[0], Some(small.tenant), false);
    let large_token = app.token_for(large.creators[0], Some(large.tenant), false);
    let small_reads = walk(&app, &proxy, &small_token, &filters(&small, &small_email)).await;
    let large_reads = walk(&app, &proxy, &large_token, &filters(&large, &large_email)).await;
    let every = walk(&app, &proxy, &app.super_admin_token(), &filters(&large, &large_email)).await;
    for ((label, small), ((_, large), (_, all))) in small_reads.iter().zip(large_reads.iter().zip(&every)) {
        table.push_str(&format!("| `{label}` | {small} | {large} | {all} |\n"));
    }
    println!(
        "most items read by one request (limit 20 pages, offset 40 not counted; limits 1 and 100), by filter:\n{table}"
    );
}
