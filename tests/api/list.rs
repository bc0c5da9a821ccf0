//! userInvites: filters, sorting, and paging by offset or cursor.

use std::collections::HashSet;

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, enc, json_of, problem, spawn_app};

fn emails(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn list_error(app: &TestApp, query: &str) -> Value {
    problem(
        app.get(&format!("/user-invites?{query}"), Some(&app.user_token()))
            .await,
        400,
        "VALIDATION_FAILED",
    )
    .await
}

/// Invites `n{i}@example.com` one minute apart, oldest first.
async fn seed(app: &TestApp, n: usize) -> Vec<Value> {
    let mut invites = Vec::new();
    for i in 0..n {
        invites.push(app.invite(&format!("n{i:02}@example.com")).await);
        app.advance(Duration::minutes(1));
    }
    invites
}

#[tokio::test]
async fn an_empty_tenant_lists_nothing() {
    let app = spawn_app().await;
    assert_eq!(
        app.list("").await,
        json!({ "totalCount": 0, "totalCountExact": true, "data": [], "nextCursor": null })
    );
}

#[tokio::test]
async fn the_default_is_newest_first_twenty_at_a_time() {
    let app = spawn_app().await;
    seed(&app, 25).await;
    let page = app.list("").await;
    assert_eq!(page["totalCount"], 25);
    let got = emails(&page);
    let expected: Vec<String> = (5..25).rev().map(|i| format!("n{i:02}@example.com")).collect();
    assert_eq!(got, expected);
    assert!(page["nextCursor"].is_string());
}

#[tokio::test]
async fn limit_and_offset_page() {
    let app = spawn_app().await;
    seed(&app, 7).await;
    let page = app.list("limit=3&offset=2&order=asc").await;
    assert_eq!(page["totalCount"], 7);
    assert_eq!(emails(&page), ["n02@example.com", "n03@example.com", "n04@example.com"]);
    let last = app.list("limit=3&offset=6&order=asc").await;
    assert_eq!(emails(&last), ["n06@example.com"]);
    assert_eq!(last["nextCursor"], Value::Null);
    let beyond = app.list("offset=50").await;
    assert_eq!(beyond["data"], json!([]));
    assert_eq!(beyond["totalCount"], 7);
    let all = app.list("limit=100").await;
    assert_eq!(all["data"].as_array().unwrap().len(), 7);
    assert_eq!(all["nextCursor"], Value::Null);
}

#[tokio::test]
async fn paging_by_cursor_visits_every_invite_exactly_once() {
    let app = spawn_app().await;
    // Some share a timestamp, to exercise the tie-break.
    let mut all = Vec::new();
    for i in 0..23 {
        all.push(
            app.invite(&format!("c{i:02}@example.com")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        if i % 4 == 0 {
            app.advance(Duration::seconds(1));
        }
    }
    for query in [
        "limit=5",
        "limit=5&order=asc",
        "limit=4&sort=email",
        "limit=6&sort=updatedAt&order=asc",
        "limit=7&sort=status",
    ] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let q = match &cursor {
                Some(c) => format!("{query}&cursor={}", enc(c)),
                None => query.to_owned(),
            };
            let page = app.list(&q).await;
            assert_eq!(page["totalCount"], 23, "{q}");
            seen.extend(ids(&page));
            pages += 1;
            assert!(pages < 30, "paging does not end: {query}");
            match page["nextCursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 23, "{query}");
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), 23, "{query}: an invite was visited twice");
        let expected: HashSet<&String> = all.iter().collect();
        assert_eq!(unique, expected, "{query}");
    }
}

#[tokio::test]
async fn the_page_size_may_change_between_cursor_pages() {
    let app = spawn_app().await;
    seed(&app, 6).await;
    let first = app.list("limit=2&order=asc").await;
    let cursor = first["nextCursor"].as_str().unwrap();
    let rest = app.list(&format!("limit=10&order=asc&cursor={}", enc(cursor))).await;
    assert_eq!(
        emails(&rest),
        [
            "n02@example.com",
            "n03@example.com",
            "n04@example.com",
            "n05@example.com"
        ]
    );
    assert_eq!(rest["nextCursor"], Value::Null);
}

#[tokio::test]
async fn a_cursor_of_another_query_or_a_tampered_one_is_refused() {
    let app = spawn_app().await;
    seed(&app, 5).await;
    let page = app.list("limit=2&sort=email").await;
    let cursor = page["nextCursor"].as_str().unwrap().to_owned();
    for other in [
        "limit=2",
        "limit=2&sort=email&order=asc",
        "limit=2&sort=email&status=pending",
        "limit=2&sort=email&search=n0",
    ] {
        let p = list_error(&app, &format!("{other}&cursor={}", enc(&cursor))).await;
        assert_eq!(p["errors"][0]["field"], "cursor", "{other}: {p}");
    }
    let mut tampered = cursor.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "garbage", "a.b", &cursor[..cursor.len() - 1]] {
        let p = list_error(&app, &format!("limit=2&sort=email&cursor={}", enc(bad))).await;
        assert_eq!(p["errors"][0]["field"], "cursor", "{bad}: {p}");
    }
    // Another tenant cannot use it either, even with the same filters.
    let (_, stranger) = app.stranger_token();
    problem(
        app.get(
            &format!("/user-invites?limit=2&sort=email&cursor={}", enc(&cursor)),
            Some(&stranger),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let p = list_error(&app, &format!("offset=1&cursor={}", enc(&cursor))).await;
    assert!(p.to_string().contains("offset"), "{p}");
}

#[tokio::test]
async fn bad_parameters_are_listed() {
    let app = spawn_app().await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("offset=-1", "offset"),
        ("offset=1001", "offset"),
        ("status=open", "status"),
        ("status=pending,nope", "status"),
        ("email=not-an-email", "email"),
        ("createdByUserId=me", "createdByUserId"),
        ("acceptedByUserId=1", "acceptedByUserId"),
        ("tenantId=acme", "tenantId"),
        ("sort=name", "sort"),
        ("sort=createdat", "sort"),
        ("order=up", "order"),
        ("cursor=", "cursor"),
        ("pageSize=10", "pageSize"),
        ("limit=5&limit=6", "limit"),
    ] {
        let p = list_error(&app, query).await;
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{query}: {p}");
    }
    let p = list_error(&app, &format!("search={}", "x".repeat(101))).await;
    assert_eq!(p["errors"][0]["field"], "search");
    // The limit counts the characters as given: spaces around count, and lowercasing
    // (which turns "İ" into two characters) does not.
    let p = list_error(&app, &format!("search={}", enc(&format!(" {} ", "x".repeat(99))))).await;
    assert_eq!(p["errors"][0]["field"], "search");
    assert_eq!(
        app.list(&format!("search={}", enc(&"İ".repeat(100)))).await["totalCount"],
        0
    );
    let p = list_error(&app, "limit=0&sort=name&foo=1").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 3, "{p}");
}

#[tokio::test]
async fn status_filters_take_a_comma_list() {
    let app = spawn_app().await;
    app.invite("accepted@example.com").await;
    let token = app.tokens_to("accepted@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
    let canceled = app.invite("canceled@example.com").await;
    json_of(app.cancel(&canceled["id"]).await, 200).await;
    app.invite("expired@example.com").await;
    app.advance(Duration::days(8));
    app.invite("pending@example.com").await;

    let only = |page: &Value| {
        let mut e = emails(page);
        e.sort();
        e
    };
    assert_eq!(only(&app.list("status=pending").await), ["pending@example.com"]);
    assert_eq!(only(&app.list("status=accepted").await), ["accepted@example.com"]);
    assert_eq!(only(&app.list("status=canceled").await), ["canceled@example.com"]);
    assert_eq!(only(&app.list("status=expired").await), ["expired@example.com"]);
    assert_eq!(
        only(&app.list("status=pending,expired").await),
        ["expired@example.com", "pending@example.com"]
    );
    assert_eq!(
        only(&app.list(&enc_status("accepted, canceled")).await),
        ["accepted@example.com", "canceled@example.com"]
    );
    assert_eq!(
        app.list("status=pending,accepted,canceled,expired").await["totalCount"],
        4
    );
    assert_eq!(app.list("").await["totalCount"], 4);
}

fn enc_status(value: &str) -> String {
    format!("status={}", enc(value))
}

#[tokio::test]
async fn email_filter_matches_case_insensitively_and_exactly() {
    let app = spawn_app().await;
    app.invite("John.Wick+test@Example.com").await;
    app.invite("john.wick@example.com").await;
    let page = app.list(&format!("email={}", enc("JOHN.WICK+TEST@example.COM"))).await;
    assert_eq!(page["totalCount"], 1);
    assert_eq!(emails(&page), ["John.Wick+test@Example.com"]);
    let page = app.list(&format!("email={}", enc("wick@example.com"))).await;
    assert_eq!(page["totalCount"], 0);
}

#[tokio::test]
async fn case_beyond_ascii_is_folded_alike_by_the_slot_the_filter_and_search() {
    let app = spawn_app().await;
    app.invite_with(json!({ "email": "info@Straße.example", "firstName": "ΣΟΦΙΑΣ" }))
        .await;
    // The pending slot: a case variant is the same address.
    let again = json_of(
        app.send(
            &app.user_token(),
            app.tenant,
            json!([{ "email": "INFO@STRASSE.example" }]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(again["errors"][0]["code"], "DUPLICATE_PENDING_INVITE", "{again}");
    for variant in ["info@strasse.example", "INFO@STRASSE.EXAMPLE", "info@straße.example"] {
        let page = app.list(&format!("email={}", enc(variant))).await;
        assert_eq!(emails(&page), ["info@Straße.example"], "{variant}");
    }
    for needle in ["STRASSE", "straße", "σοφιας", "σοφιασ", "ΣΟΦΙΑΣ"] {
        let page = app.list(&format!("search={}", enc(needle))).await;
        assert_eq!(emails(&page), ["info@Straße.example"], "{needle}");
    }
}

#[tokio::test]
async fn search_matches_word_prefixes_of_email_and_names() {
    let app = spawn_app().await;
    app.invite_with(json!({ "email": "alpha@example.com", "firstName": "Keanu", "lastName": "Reeves" }))
        .await;
    app.invite_with(json!({ "email": "beta@example.com", "firstName": "Ian", "lastName": "McShane" }))
        .await;
    app.invite_with(json!({ "email": "gamma@other.org", "firstName": "Halle", "lastName": "Berry" }))
        .await;
    let sorted = |page: Value| {
        let mut e = emails(&page);
        e.sort();
        e
    };
    assert_eq!(sorted(app.list("search=ALPHA").await), ["alpha@example.com"]);
    assert_eq!(sorted(app.list("search=kean").await), ["alpha@example.com"]);
    // The inside of a word is not a word's prefix.
    assert_eq!(app.list("search=eanu").await["totalCount"], 0);
    assert_eq!(sorted(app.list("search=mcsh").await), ["beta@example.com"]);
    assert_eq!(
        sorted(app.list("search=example.com").await),
        ["alpha@example.com", "beta@example.com"]
    );
    assert_eq!(sorted(app.list("search=BERRY").await), ["gamma@other.org"]);
    assert_eq!(app.list("search=zzz").await["totalCount"], 0);
    assert_eq!(app.list("search=").await["totalCount"], 3);
    // Nothing that can start a word: no search.
    assert_eq!(app.list(&format!("search={}", enc(" @. "))).await["totalCount"], 3);
    assert_eq!(
        sorted(app.list(&format!("search={}", enc("@other"))).await),
        ["gamma@other.org"]
    );
    assert_eq!(
        sorted(app.list(&format!("search={}", enc("  Halle "))).await),
        ["gamma@other.org"]
    );
}

#[tokio::test]
async fn created_by_and_accepted_by_filter() {
    let app = spawn_app().await;
    app.invite("mine@example.com").await;
    let colleague = Uuid::new_v4();
    let colleague_token = app.token_for(colleague, Some(app.tenant), false);
    json_of(
        app.send(&colleague_token, app.tenant, json!([{ "email": "theirs@example.com" }]))
            .await,
        200,
    )
    .await;
    let page = app.list(&format!("createdByUserId={}", app.user)).await;
    assert_eq!(emails(&page), ["mine@example.com"]);
    let page = app.list(&format!("createdByUserId={colleague}")).await;
    assert_eq!(emails(&page), ["theirs@example.com"]);

    let acceptor = Uuid::new_v4();
    let token = app.tokens_to("theirs@example.com").await.remove(0);
    json_of(app.accept(&app.token_for(acceptor, None, false), &token).await, 200).await;
    let page = app.list(&format!("acceptedByUserId={acceptor}")).await;
    assert_eq!(emails(&page), ["theirs@example.com"]);
    assert_eq!(
        app.list(&format!("acceptedByUserId={}", Uuid::new_v4())).await["totalCount"],
        0
    );
    let combined = app.list(&format!("createdByUserId={colleague}&status=pending")).await;
    assert_eq!(combined["totalCount"], 0);
}

#[tokio::test]
async fn sorting_by_email_status_and_updated_at() {
    let app = spawn_app().await;
    let c = app.invite("Charlie@example.com").await;
    app.advance(Duration::minutes(1));
    let a = app.invite("alice@example.com").await;
    app.advance(Duration::minutes(1));
    app.invite("bob@example.com").await;
    app.advance(Duration::minutes(1));

    assert_eq!(
        emails(&app.list("sort=email&order=asc").await),
        ["alice@example.com", "bob@example.com", "Charlie@example.com"]
    );
    assert_eq!(
        emails(&app.list("sort=email").await),
        ["Charlie@example.com", "bob@example.com", "alice@example.com"]
    );
    assert_eq!(
        emails(&app.list("sort=createdAt&order=asc").await),
        ["Charlie@example.com", "alice@example.com", "bob@example.com"]
    );

    // Touch the oldest: it becomes the most recently updated.
    let path = format!("/user-invites/{}", c["id"].as_str().unwrap());
    json_of(
        app.patch(
            &path,
            Some(&app.user_token()),
            json!({ "userInvite": { "firstName": "C" } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        emails(&app.list("sort=updatedAt").await),
        ["Charlie@example.com", "bob@example.com", "alice@example.com"]
    );

    json_of(app.cancel(&a["id"]).await, 200).await;
    let token = app.tokens_to("bob@example.com").await.remove(0);
    json_of(app.accept_as_anyone(&token).await, 200).await;
    let statuses: Vec<String> = app.list("sort=status&order=asc").await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["accepted", "canceled", "pending"]);
}

#[tokio::test]
async fn a_list_never_shows_another_tenant() {
    let app = spawn_app().await;
    app.invite("here@example.com").await;
    let (tenant, stranger) = app.stranger_token();
    json_of(
        app.send(&stranger, tenant, json!([{ "email": "there@example.com" }]))
            .await,
        200,
    )
    .await;
    assert_eq!(emails(&app.list("").await), ["here@example.com"]);
    assert_eq!(app.list("search=there").await["totalCount"], 0);
    let admin = app.super_admin_token();
    let theirs = json_of(
        app.get(&format!("/user-invites?tenantId={tenant}"), Some(&admin)).await,
        200,
    )
    .await;
    assert_eq!(emails(&theirs), ["there@example.com"]);
}

/// Issue 17: the email statuses are a filter of their own (`emailStatus`, a comma list).
#[tokio::test]
async fn email_status_filters_the_list_and_pages_by_cursor() {
    let app = spawn_app().await;
    let user = app.user_token();
    let mailed = app.invite("mailed@example.com").await;
    assert_eq!(mailed["emailStatus"], "sent");
    for i in 0..3 {
        let body = json_of(
            app.post(
                "/user-invites",
                Some(&user),
                json!({
                    "userInvites": { "tenantId": app.tenant, "userInvites": [{ "email": format!("quiet{i}@example.com") }] },
                    "sendEmail": false,
                }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(body["success"][0]["emailStatus"], "skipped");
    }
    let list = |query: String| {
        let app = &app;
        let user = user.clone();
        async move { json_of(app.get(&format!("/user-invites?{query}"), Some(&user)).await, 200).await }
    };
    let skipped = list("emailStatus=skipped".into()).await;
    assert_eq!(
        (skipped["totalCount"].as_u64(), skipped["totalCountExact"].as_bool()),
        (Some(3), Some(true))
    );
    assert!(
        skipped["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["emailStatus"] == "skipped")
    );
    let sent = list("emailStatus=sent".into()).await;
    assert_eq!(emails(&sent), ["mailed@example.com"]);
    assert_eq!(list("emailStatus=sent,skipped".into()).await["totalCount"], 4);
    assert_eq!(list("emailStatus=bounced,complained".into()).await["totalCount"], 0);
    // With another filter: both hold.
    assert_eq!(
        emails(&list("emailStatus=skipped&search=quiet1".into()).await),
        ["quiet1@example.com"]
    );
    // Paging by cursor stays within the filter, and a cursor is bound to it.
    let first = list("emailStatus=skipped&limit=2".into()).await;
    let cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let second = list(format!("emailStatus=skipped&limit=2&cursor={}", enc(&cursor))).await;
    let mut seen: Vec<String> = emails(&first);
    seen.extend(emails(&second));
    seen.sort();
    assert_eq!(seen, ["quiet0@example.com", "quiet1@example.com", "quiet2@example.com"]);
    let moved = list_error(&app, &format!("emailStatus=sent&limit=2&cursor={}", enc(&cursor))).await;
    assert_eq!(moved["errors"][0]["field"], "cursor");
    // An unknown status is named.
    let bad = list_error(&app, "emailStatus=sent,lost").await;
    assert_eq!(bad["errors"][0]["field"], "emailStatus");
}
