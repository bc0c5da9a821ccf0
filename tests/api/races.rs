//! Concurrency: single use of tokens, one pending invite per email, atomic limits.

use futures::future::join_all;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{enc, json_of, spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_32_concurrent_accepts_exactly_one_wins() {
    let app = spawn_app().await;
    let invite = app.invite("race@example.com").await;
    let token = app.tokens_to("race@example.com").await.remove(0);
    let users: Vec<Uuid> = (0..32).map(|_| Uuid::new_v4()).collect();
    let callers: Vec<String> = users.iter().map(|u| app.token_for(*u, None, false)).collect();
    let responses = join_all(callers.iter().map(|c| app.accept(c, &token))).await;
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for (i, response) in responses.into_iter().enumerate() {
        match response.status().as_u16() {
            200 => winners.push((i, response.json::<Value>().await.unwrap())),
            409 => {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["code"], "INVITE_ALREADY_ACCEPTED");
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {}", response.text().await.unwrap()),
        }
    }
    assert_eq!(winners.len(), 1);
    assert_eq!(conflicts, 31);
    let (winner, body) = &winners[0];
    assert_eq!(body["acceptedByUserId"], users[*winner].to_string());
    let stored = app.fetch(&invite["id"]).await;
    assert_eq!(stored["status"], "accepted");
    assert_eq!(
        stored["acceptedByUserId"],
        users[*winner].to_string(),
        "the winner is recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_24_concurrent_sends_of_one_email_exactly_one_creates_it() {
    // Each attempt counts against the address's daily email quota (default 10): room
    // for all 24, so that only the pending-email slot decides.
    let app = spawn_app_with(&[("INVITES_RECIPIENT_EMAILS_PER_DAY", "100")]).await;
    let token = app.user_token();
    let variants: Vec<String> = (0..24)
        .map(|i| {
            "race.me@example.com"
                .chars()
                .enumerate()
                .map(|(j, c)| {
                    if (i >> (j % 5)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let responses = join_all(
        variants
            .iter()
            .map(|email| app.send(&token, app.tenant, json!([{ "email": email }]))),
    )
    .await;
    let mut created = 0;
    let mut duplicates = 0;
    for response in responses {
        let body = json_of(response, 200).await;
        created += body["success"].as_array().unwrap().len();
        for e in body["errors"].as_array().unwrap() {
            assert_eq!(e["code"], "DUPLICATE_PENDING_INVITE", "{e}");
            duplicates += 1;
        }
    }
    assert_eq!(created, 1);
    assert_eq!(duplicates, 23);
    let pending = app
        .list(&format!("status=pending&email={}", enc("RACE.ME@example.com")))
        .await;
    assert_eq!(pending["totalCount"], 1);
    assert_eq!(app.count().await, 1);
    assert_eq!(app.mails_to("race.me@example.com").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_resends_respect_the_limit_and_leave_one_working_token() {
    let app = spawn_app().await;
    let invite = app.invite("resend-race@example.com").await;
    let responses = join_all((0..12).map(|_| app.resend(&invite["id"], json!({})))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 7, "{statuses:?}");
    let stored = app.delivered(&invite).await;
    assert_eq!(stored["sendCount"], 6);
    assert_eq!(stored["emailStatus"], "sent");
    // The worker mails the invite as it stands: an issue superseded before its
    // delivery is never mailed, so up to 6 emails, never one token twice.
    let tokens = app.tokens_to("resend-race@example.com").await;
    assert!((2..=6).contains(&tokens.len()), "{} emails", tokens.len());
    let distinct: std::collections::HashSet<_> = tokens.iter().collect();
    assert_eq!(distinct.len(), tokens.len(), "no token is mailed twice");
    let mut valid = 0;
    for t in &tokens {
        if app.check(t).await["isValid"] == true {
            valid += 1;
        }
    }
    assert_eq!(valid, 1, "only the last token issued works");
}

/// Over HTTP alone nothing shows that the two requests overlapped; on DynamoDB,
/// `accept_and_cancel_that_read_the_same_copy_have_one_winner` (tests/dynamodb) holds
/// both reads at a proxy so that they do, and proves the version condition decides.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accept_and_cancel_racing_have_one_winner() {
    let app = spawn_app().await;
    for round in 0..8 {
        let email = format!("tug{round}@example.com");
        let invite = app.invite(&email).await;
        let token = app.tokens_to(&email).await.remove(0);
        let (accept, cancel) = tokio::join!(app.accept_as_anyone(&token), app.cancel(&invite["id"]));
        let (a, c) = (accept.status().as_u16(), cancel.status().as_u16());
        let stored = app.fetch(&invite["id"]).await;
        match (a, c) {
            (200, 409) => assert_eq!(stored["status"], "accepted"),
            (410, 200) => assert_eq!(stored["status"], "canceled"),
            other => panic!("both or neither won: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sends_of_many_emails_all_succeed() {
    let app = spawn_app().await;
    let token = app.user_token();
    let responses = join_all((0..20).map(|i| {
        app.send(
            &token,
            app.tenant,
            json!([{ "email": format!("p{i}@example.com") }, { "email": format!("q{i}@example.com") }]),
        )
    }))
    .await;
    for response in responses {
        let body = json_of(response, 200).await;
        assert_eq!(body["errors"], json!([]));
    }
    assert_eq!(app.count().await, 40);
    assert_eq!(app.outbox().await.len(), 40);
}
