//! A transaction cancelled because another held one of its items (a counter shard, under
//! concurrent sends) is run again by the store, and the invite is counted once.

use invites_tests::json_of;
use invites_tests::proxy::Fault;

use crate::{app_behind_proxy, invite_without_email};

#[tokio::test]
async fn a_send_that_meets_a_transaction_conflict_is_retried_and_counted_once() {
    let (app, proxy) = app_behind_proxy().await;
    proxy.fail("TransactWriteItems", Fault::TransactionConflict, 3);
    proxy.take_calls();
    let (_, token) = invite_without_email(&app, "conflict@example.com").await;
    let calls = proxy.take_calls();
    assert_eq!(
        calls.iter().filter(|c| *c == "TransactWriteItems").count(),
        4,
        "three conflicts, then the write: {calls:?}"
    );
    proxy.heal();
    for query in ["", "status=pending", "email=conflict%40example.com", "search=conflict"] {
        let page = app.list(query).await;
        assert_eq!(page["totalCount"], 1, "{query}");
        assert_eq!(page["data"].as_array().unwrap().len(), 1, "{query}");
    }
    // An accept that meets conflicts moves the count once too.
    proxy.fail("TransactWriteItems", Fault::TransactionConflict, 2);
    json_of(app.accept_as_anyone(&token).await, 200).await;
    proxy.heal();
    assert_eq!(app.list("status=accepted").await["totalCount"], 1);
    assert_eq!(app.list("status=pending").await["totalCount"], 0);
}
