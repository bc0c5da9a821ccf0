//! A tenant full of varied invites, made through the API: several creators, accepted,
//! canceled and soon-expiring invites, names with accents and shared prefixes, emails
//! on a few domains. The list tests count and check their answers over it.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{TestApp, json_of};

const FIRST: [&str; 12] = [
    "John", "Johanna", "Jonas", "Zoë", "José", "Ángel", "Mary", "Marta", "Ali", "Alice", "Søren", "Wei",
];
const LAST: [&str; 10] = [
    "Wick", "Johnson", "Müller", "Ng", "García", "Smith", "O'Brien", "Jones", "Zhou", "Łukasz",
];
const DOMAINS: [&str; 5] = ["gmail.com", "example.com", "acme.io", "jo.example.org", "x.io"];

/// A small deterministic generator, so a population is the same on every run.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407))
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// What was made in one tenant.
pub struct Population {
    pub tenant: Uuid,
    /// The users who sent the invites.
    pub creators: Vec<Uuid>,
    /// The users who accepted some.
    pub acceptors: Vec<Uuid>,
    /// Every invite's id.
    pub ids: Vec<String>,
}

impl TestApp {
    /// Makes `n` invites in `tenant` through the API, in sends of up to 5, by three
    /// creators; then accepts about one in five (by four acceptors) and cancels about one
    /// in ten. About a third expire within a day (`expiresInDays: 1`). The clock moves a
    /// second between sends, so times differ.
    pub async fn populate(&self, tenant: Uuid, n: usize, seed: u64) -> Population {
        let mut dice = Dice::new(seed);
        let creators: Vec<Uuid> = (0..3).map(|_| Uuid::new_v4()).collect();
        let acceptors: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
        let mut ids = Vec::new();
        let mut tokens = Vec::new();
        let mut made = 0;
        while made < n {
            // Small sends: a DynamoDB emulator serving one request at a time is not kept
            // busy with one test's writes while the others wait.
            let batch = (n - made).min(5);
            let creator = creators[dice.below(creators.len())];
            let expiry = [1, 7, 30][dice.below(3)];
            let invitees: Vec<Value> = (made..made + batch)
                .map(|i| {
                    let first = FIRST[dice.below(FIRST.len())];
                    let last = LAST[dice.below(LAST.len())];
                    let local: String = format!("{first}.{last}{i}")
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                        .collect();
                    let domain = DOMAINS[dice.below(DOMAINS.len())];
                    let mut invitee = json!({ "email": format!("{local}@{domain}") });
                    if dice.below(5) > 0 {
                        invitee["firstName"] = json!(first);
                    }
                    if dice.below(4) > 0 {
                        invitee["lastName"] = json!(last);
                    }
                    invitee
                })
                .collect();
            let body = json!({
                "userInvites": { "tenantId": tenant, "userInvites": invitees },
                "sendEmail": false,
                "expiresInDays": expiry,
            });
            let token = self.token_for(creator, Some(tenant), false);
            let sent = json_of(self.post("/user-invites", Some(&token), body).await, 200).await;
            assert_eq!(sent["errors"], json!([]), "{sent}");
            for invite in sent["success"].as_array().unwrap() {
                ids.push(invite["id"].as_str().unwrap().to_owned());
                let url = reqwest::Url::parse(invite["acceptUrl"].as_str().unwrap()).unwrap();
                tokens.push(url.query_pairs().find(|(k, _)| k == "token").unwrap().1.into_owned());
            }
            made += batch;
            self.advance(chrono::Duration::seconds(1));
        }
        let admin = self.super_admin_token();
        for (id, token) in ids.iter().zip(&tokens) {
            match dice.below(10) {
                0 | 1 => {
                    let acceptor = acceptors[dice.below(acceptors.len())];
                    json_of(self.accept(&self.token_for(acceptor, None, false), token).await, 200).await;
                }
                2 => {
                    let path = format!("/user-invites/{id}/cancel");
                    json_of(self.post(&path, Some(&admin), json!({})).await, 200).await;
                }
                _ => {}
            }
        }
        Population {
            tenant,
            creators,
            acceptors,
            ids,
        }
    }

    /// Every invite of these ids as the API shows it now (as a super admin sees it).
    pub async fn views(&self, ids: &[String]) -> Vec<Value> {
        let admin = self.super_admin_token();
        let mut views = Vec::with_capacity(ids.len());
        for id in ids {
            views.push(json_of(self.get(&format!("/user-invites/{id}"), Some(&admin)).await, 200).await);
        }
        views
    }
}
