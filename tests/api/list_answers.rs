//! Every list answer against a brute-force answer computed from all the invites: pages
//! by cursor and by offset, their order, `totalCount` and `totalCountExact`, for every
//! filter, sort and order, in one tenant and across tenants; while invites are added and
//! accepted between pages; as expiry crosses a count; under 100 concurrent invitees.

use chrono::{DateTime, Duration, Utc};
use invites_shared::domain::{EmailAddress, search_fold, search_needle};
use invites_shared::store::sortable_time;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Population, TestApp, enc, json_of, problem, spawn_app};

/// A list query, as the brute force reads it.
#[derive(Clone, Default)]
struct Query {
    tenant: Option<Uuid>,
    statuses: Vec<&'static str>,
    email: Option<String>,
    created_by: Option<Uuid>,
    accepted_by: Option<Uuid>,
    search: Option<String>,
    sort: &'static str,
    order: &'static str,
}

impl Query {
    fn string(&self) -> String {
        let mut parts = vec![format!("sort={}", self.sort), format!("order={}", self.order)];
        if !self.statuses.is_empty() {
            parts.push(format!("status={}", self.statuses.join(",")));
        }
        if let Some(email) = &self.email {
            parts.push(format!("email={}", enc(email)));
        }
        if let Some(user) = self.created_by {
            parts.push(format!("createdByUserId={user}"));
        }
        if let Some(user) = self.accepted_by {
            parts.push(format!("acceptedByUserId={user}"));
        }
        if let Some(search) = &self.search {
            parts.push(format!("search={}", enc(search)));
        }
        parts.join("&")
    }

    /// Whether the contract promises an exact count for any number of matches.
    fn counted_exactly(&self) -> bool {
        self.created_by.is_none()
            && self.accepted_by.is_none()
            && self.search.is_none()
            && (self.email.is_none() || self.statuses.is_empty())
    }
}

fn text(view: &Value, field: &str) -> String {
    view[field].as_str().unwrap_or_default().to_owned()
}

fn time(view: &Value, field: &str) -> String {
    sortable_time(
        DateTime::parse_from_rfc3339(view[field].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc),
    )
}

fn canonical(email: &str) -> String {
    EmailAddress::parse(email).unwrap().canonical().to_owned()
}

/// The contract's search, restated: the needle, read from some word start (a letter or
/// digit after anything else) of a folded field.
fn found_by(view: &Value, raw: &str) -> bool {
    let Some(needle) = search_needle(raw) else { return true };
    ["firstName", "lastName", "email"].iter().any(|field| {
        let folded = search_fold(&text(view, field));
        let chars: Vec<(usize, char)> = folded.char_indices().collect();
        chars.iter().enumerate().any(|(i, (at, c))| {
            c.is_alphanumeric() && (i == 0 || !chars[i - 1].1.is_alphanumeric()) && folded[*at..].starts_with(&needle)
        })
    })
}

/// The page key of an invite, as the contract orders a sort: value, then id.
fn key(view: &Value, sort: &str) -> String {
    let value = match sort {
        "createdAt" => time(view, "createdAt"),
        "updatedAt" => time(view, "updatedAt"),
        "email" => canonical(&text(view, "email")),
        _ => format!("{}#{}", text(view, "status"), time(view, "expiresAt")),
    };
    format!("{value}#{}", text(view, "id"))
}

/// The ids a query lists, in order, from the views of every invite (read at the clock
/// the list runs at).
fn brute_force(views: &[Value], q: &Query) -> Vec<String> {
    let mut matching: Vec<(String, String)> = views
        .iter()
        .filter(|v| q.tenant.is_none_or(|t| text(v, "tenantId") == t.to_string()))
        .filter(|v| q.statuses.is_empty() || q.statuses.contains(&v["status"].as_str().unwrap()))
        .filter(|v| {
            q.email
                .as_ref()
                .is_none_or(|e| canonical(e) == canonical(&text(v, "email")))
        })
        .filter(|v| q.created_by.is_none_or(|u| text(v, "createdByUserId") == u.to_string()))
        .filter(|v| {
            q.accepted_by
                .is_none_or(|u| text(v, "acceptedByUserId") == u.to_string())
        })
        .filter(|v| q.search.as_ref().is_none_or(|s| found_by(v, s)))
        .map(|v| (key(v, q.sort), text(v, "id")))
        .collect();
    matching.sort();
    if q.order == "desc" {
        matching.reverse();
    }
    matching.into_iter().map(|(_, id)| id).collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|i| text(i, "id")).collect()
}

/// Pages through `q` by cursor and by offset as `token`, and checks every page, the
/// order and the count against the brute force.
async fn check(app: &TestApp, token: &str, views: &[Value], q: &Query, limit: usize) {
    let expected = brute_force(views, q);
    let base = format!("{}&limit={limit}", q.string());
    let (total, exact) = if expected.len() > 100 && !q.counted_exactly() {
        (100, false)
    } else {
        (expected.len() as u64, true)
    };
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("{base}&cursor={}", enc(c)),
            None => base.clone(),
        };
        let page = json_of(app.get(&format!("/user-invites?{query}"), Some(token)).await, 200).await;
        assert_eq!(
            (
                page["totalCount"].as_u64().unwrap(),
                page["totalCountExact"].as_bool().unwrap()
            ),
            (total, exact),
            "{query}"
        );
        let got = ids(&page);
        let next = page["nextCursor"].as_str().map(str::to_owned);
        if next.is_some() {
            assert_eq!(got.len(), limit, "{query}: a page before the last is full");
        }
        seen.extend(got);
        assert!(seen.len() <= expected.len() + limit, "{query}: paging does not end");
        match next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, expected, "{base}: the pages by cursor");
    let offset = expected.len().min(3);
    let page = json_of(
        app.get(&format!("/user-invites?{base}&offset={offset}"), Some(token))
            .await,
        200,
    )
    .await;
    let slice: Vec<String> = expected.iter().skip(offset).take(limit).cloned().collect();
    assert_eq!(ids(&page), slice, "{base}&offset={offset}");
}

/// Two tenants; some invites expired by now.
async fn two_tenants(app: &TestApp) -> (Population, Population, Vec<Value>) {
    let a = app.populate(Uuid::new_v4(), 45, 7).await;
    let b = app.populate(Uuid::new_v4(), 20, 8).await;
    app.advance(Duration::days(2));
    let mut all_ids = a.ids.clone();
    all_ids.extend(b.ids.iter().cloned());
    let views = app.views(&all_ids).await;
    (a, b, views)
}

fn queries(population: &Population, views: &[Value]) -> Vec<Query> {
    let email = text(&views[4], "email").to_uppercase();
    let mut filters = vec![
        Query::default(),
        Query {
            statuses: vec!["pending"],
            ..Query::default()
        },
        Query {
            statuses: vec!["expired"],
            ..Query::default()
        },
        Query {
            statuses: vec!["accepted", "canceled"],
            ..Query::default()
        },
        Query {
            statuses: vec!["pending", "expired"],
            ..Query::default()
        },
        Query {
            email: Some(email.clone()),
            ..Query::default()
        },
        Query {
            email: Some(email),
            statuses: vec!["expired", "canceled"],
            ..Query::default()
        },
        Query {
            created_by: Some(population.creators[0]),
            ..Query::default()
        },
        Query {
            accepted_by: Some(population.acceptors[1]),
            ..Query::default()
        },
        Query {
            created_by: Some(population.creators[2]),
            statuses: vec!["pending"],
            ..Query::default()
        },
    ];
    for search in ["j", "JO", "zoe", "joha", "johanna", "gmail.c", "o'b", "ANGEL"] {
        filters.push(Query {
            search: Some(search.to_owned()),
            ..Query::default()
        });
    }
    filters.push(Query {
        search: Some("jo".into()),
        statuses: vec!["pending", "accepted"],
        ..Query::default()
    });
    filters
}

#[tokio::test]
async fn every_list_answer_is_the_brute_force_answer() {
    let app = spawn_app().await;
    let (a, b, views) = two_tenants(&app).await;
    let user = app.token_for(a.creators[0], Some(a.tenant), false);
    let admin = app.token_for(Uuid::new_v4(), Some(b.tenant), true);
    // Every filter in every sort, each sort in one direction and the other for the next
    // filter, so both directions of every sort meet every kind of filter across the run.
    let orders = ["desc", "asc"];
    for (i, filter) in queries(&a, &views).into_iter().enumerate() {
        for (j, sort) in ["createdAt", "updatedAt", "email", "status"].into_iter().enumerate() {
            let q = Query {
                sort,
                order: orders[(i + j) % 2],
                ..filter.clone()
            };
            let theirs = Query {
                tenant: Some(a.tenant),
                ..q.clone()
            };
            check(&app, &user, &views, &theirs, 8).await;
            // A super admin without tenantId: every tenant, whatever its token's tenant.
            if j % 2 == i % 2 {
                check(&app, &admin, &views, &q, 12).await;
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_keeps_its_place_while_invites_are_added_and_accepted() {
    let app = spawn_app().await;
    let population = app.populate(app.tenant, 30, 11).await;
    let user = app.user_token();
    for sort in ["createdAt", "updatedAt", "email", "status"] {
        let q = Query {
            tenant: Some(app.tenant),
            sort,
            order: "asc",
            ..Query::default()
        };
        let first = app.list(&format!("{}&limit=8", q.string())).await;
        let position = first["data"][7].clone();
        // New invites, and accepted ones (which move in updatedAt and status order).
        for i in 0..3 {
            app.invite_with(json!({ "email": format!("late{i}-{sort}@example.com"), "firstName": "Aaron" }))
                .await;
        }
        let pending: Vec<&String> = population.ids.iter().take(12).collect();
        for id in pending {
            let view = json_of(app.get(&format!("/user-invites/{id}"), Some(&user)).await, 200).await;
            if view["status"] == "pending" {
                let path = format!("/user-invites/{id}/cancel");
                json_of(app.post(&path, Some(&user), json!({})).await, 200).await;
                break;
            }
        }
        app.advance(Duration::seconds(1));
        let mut all = population.ids.clone();
        let everything = app.list("limit=100").await;
        all.extend(ids(&everything).into_iter().filter(|id| !population.ids.contains(id)));
        let views = app.views(&all).await;
        // The cursor holds the position of the first page's last invite as it was then.
        let cut = key(&position, sort);
        let expected: Vec<String> = brute_force(&views, &q)
            .into_iter()
            .filter(|id| {
                let v = views.iter().find(|v| text(v, "id") == *id).unwrap();
                key(v, sort) > cut
            })
            .take(8)
            .collect();
        let cursor = first["nextCursor"].as_str().unwrap();
        let second = app
            .list(&format!("{}&limit=8&cursor={}", q.string(), enc(cursor)))
            .await;
        assert_eq!(ids(&second), expected, "{sort}");
    }
}

#[tokio::test]
async fn expiry_moves_the_counts_at_the_exact_millisecond() {
    let app = spawn_app().await;
    let mut expiries = Vec::new();
    for days in [1, 2] {
        let sent = json_of(
            app.post(
                "/user-invites",
                Some(&app.user_token()),
                json!({
                    "userInvites": { "tenantId": app.tenant, "userInvites": [
                        { "email": format!("soon{days}a@example.com") },
                        { "email": format!("soon{days}b@example.com") } ] },
                    "sendEmail": false, "expiresInDays": days }),
            )
            .await,
            200,
        )
        .await;
        expiries.push(
            DateTime::parse_from_rfc3339(sent["success"][0]["expiresAt"].as_str().unwrap())
                .unwrap()
                .with_timezone(&Utc),
        );
        app.advance(Duration::milliseconds(1234));
    }
    app.invite("later@example.com").await;
    let counts = |page: Value| (page["totalCount"].as_u64().unwrap(), page["totalCountExact"] == true);
    for (i, expiry) in expiries.iter().enumerate() {
        for (delta, expired_here) in [(-1, 0), (0, 2)] {
            let target = *expiry + Duration::milliseconds(delta);
            app.advance(target - app.now());
            let expired = (2 * i + expired_here) as u64;
            assert_eq!(counts(app.list("status=expired").await), (expired, true), "{target}");
            assert_eq!(
                counts(app.list("status=pending").await),
                (5 - expired, true),
                "{target}"
            );
            assert_eq!(counts(app.list("").await), (5, true));
            let views = app.views(&ids(&app.list("limit=100").await)).await;
            for status in ["pending", "expired"] {
                for sort in ["createdAt", "status"] {
                    let q = Query {
                        tenant: Some(app.tenant),
                        statuses: vec![status],
                        sort,
                        order: "asc",
                        ..Query::default()
                    };
                    check(&app, &app.user_token(), &views, &q, 2).await;
                }
            }
        }
    }
    // The sweep records those expiries: nothing a caller sees changes.
    let before = app.list("sort=status&limit=100").await;
    assert_eq!(app.sweep().await, 4);
    assert_eq!(app.sweep().await, 0);
    assert_eq!(app.list("sort=status&limit=100").await, before);
    assert_eq!(counts(app.list("status=expired").await), (4, true));
}

#[tokio::test]
async fn a_hundred_concurrent_invitees_are_counted_exactly_while_counts_are_read() {
    let app = spawn_app().await;
    let user = app.user_token();
    let sends = (0..10).map(|r| {
        let invitees: Vec<Value> = (0..10)
            .map(|i| json!({ "email": format!("c{r}-{i}@example.com"), "firstName": "Con" }))
            .collect();
        app.send(&user, app.tenant, json!(invitees))
    });
    let sending = futures::future::join_all(sends);
    let reading = async {
        let mut last = 0;
        for _ in 0..20 {
            let user = app.user_token();
            let response = app.get("/user-invites?status=pending&limit=1", Some(&user)).await;
            if response.status() == 503 {
                continue; // storage trouble on a loaded emulator: answered as such, no count
            }
            let page = json_of(response, 200).await;
            let count = page["totalCount"].as_u64().unwrap();
            assert!(count >= last && count <= 100, "{count} after {last}");
            assert_eq!(page["totalCountExact"], true);
            last = count;
        }
    };
    let (responses, ()) = tokio::join!(sending, reading);
    // On a loaded emulator a write may time out: that invitee answers UNAVAILABLE (the
    // contract's answer to storage trouble), and nothing else may fail. Whatever came
    // of it, the counts must be exactly the invites stored (a timed-out write that did
    // commit is stored, and counted, too).
    let mut created = 0;
    for response in responses {
        if response.status() == 503 {
            continue; // every invitee of that send met storage trouble: a 503 as a whole
        }
        let sent = json_of(response, 200).await;
        for error in sent["errors"].as_array().unwrap() {
            assert_eq!(error["code"], "UNAVAILABLE", "{sent}");
        }
        created += sent["success"].as_array().unwrap().len();
    }
    assert!(created >= 50, "only {created} of 100 invitees were stored");
    app.settle().await;
    for query in ["", "status=pending", "search=con"] {
        let page = app.list(&format!("{query}&limit=100")).await;
        let stored = page["data"].as_array().unwrap().len();
        assert!(
            stored >= created && stored <= 100,
            "{query}: {stored} stored, {created} created"
        );
        assert_eq!(page["totalCount"], stored, "{query}: the count is the invites stored");
        assert_eq!(page["totalCountExact"], true, "{query}");
    }
}

#[tokio::test]
async fn past_a_hundred_matches_a_filtered_count_says_so() {
    let app = spawn_app().await;
    let invitees: Vec<Value> = (0..60)
        .map(|i| json!({ "email": format!("x{i}@example.com"), "lastName": "Xavier" }))
        .collect();
    for half in invitees.chunks(30) {
        json_of(app.send(&app.user_token(), app.tenant, json!(half)).await, 200).await;
    }
    let more: Vec<Value> = (60..105)
        .map(|i| json!({ "email": format!("x{i}@example.com") }))
        .collect();
    json_of(app.send(&app.user_token(), app.tenant, json!(more)).await, 200).await;
    let count = |query: &str| {
        let query = query.to_owned();
        let app = &app;
        async move {
            let page = app.list(&query).await;
            (
                page["totalCount"].as_u64().unwrap(),
                page["totalCountExact"].as_bool().unwrap(),
            )
        }
    };
    assert_eq!(count("").await, (105, true));
    assert_eq!(count("status=pending").await, (105, true));
    assert_eq!(count(&format!("createdByUserId={}", app.user)).await, (100, false));
    assert_eq!(count("search=x").await, (100, false));
    assert_eq!(count("search=xavier").await, (60, true));
    assert_eq!(count("search=xavi").await, (60, true));
    assert_eq!(count(&format!("createdByUserId={}", Uuid::new_v4())).await, (0, true));
}

#[tokio::test]
async fn a_super_admin_lists_every_tenant_and_a_user_never_sees_another() {
    let app = spawn_app().await;
    let (a, b, views) = two_tenants(&app).await;
    // Every tenant, with or without a tenant in the super admin's token.
    for admin in [
        app.super_admin_token(),
        app.token_for(Uuid::new_v4(), Some(a.tenant), true),
    ] {
        let page = json_of(app.get("/user-invites?limit=100", Some(&admin)).await, 200).await;
        assert_eq!(page["totalCount"], (a.ids.len() + b.ids.len()) as u64);
        let tenants: std::collections::HashSet<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| text(i, "tenantId"))
            .collect();
        assert_eq!(tenants.len(), 2);
        let one = json_of(
            app.get(&format!("/user-invites?limit=100&tenantId={}", b.tenant), Some(&admin))
                .await,
            200,
        )
        .await;
        assert_eq!(
            ids(&one),
            brute_force(
                &views,
                &Query {
                    tenant: Some(b.tenant),
                    sort: "createdAt",
                    order: "desc",
                    ..Query::default()
                }
            )
        );
    }
    // A user: only their tenant, through any parameter, cursor or offset.
    let user = app.token_for(a.creators[0], Some(a.tenant), false);
    problem(
        app.get(&format!("/user-invites?tenantId={}", b.tenant), Some(&user))
            .await,
        403,
        "FORBIDDEN",
    )
    .await;
    let admin_page = json_of(
        app.get("/user-invites?limit=5", Some(&app.super_admin_token())).await,
        200,
    )
    .await;
    let admin_cursor = admin_page["nextCursor"].as_str().unwrap();
    problem(
        app.get(
            &format!("/user-invites?limit=5&cursor={}", enc(admin_cursor)),
            Some(&user),
        )
        .await,
        400,
        "VALIDATION_FAILED",
    )
    .await;
    let theirs_email = views
        .iter()
        .find(|v| text(v, "tenantId") == b.tenant.to_string())
        .unwrap();
    for query in [
        "offset=1000&limit=100".to_owned(),
        "limit=100".to_owned(),
        format!("email={}", enc(&text(theirs_email, "email"))),
        format!("createdByUserId={}", b.creators[0]),
        "search=j&limit=100".to_owned(),
        "status=expired&limit=100".to_owned(),
    ] {
        let page = json_of(app.get(&format!("/user-invites?{query}"), Some(&user)).await, 200).await;
        for invite in page["data"].as_array().unwrap() {
            assert_eq!(text(invite, "tenantId"), a.tenant.to_string(), "{query}");
        }
    }
}
