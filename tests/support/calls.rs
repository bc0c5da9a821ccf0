//! The API's calls as a test makes them: any method, path, token and body.

use reqwest::{Method, Response};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Mail, TestApp, json_of, problem, send_body};

impl TestApp {
    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Response {
        let mut request = self.client.request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the request reaches the server")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token, None).await
    }

    /// POST /user-invites as `token` into `tenant`.
    pub async fn send(&self, token: &str, tenant: Uuid, invitees: Value) -> Response {
        self.post("/user-invites", Some(token), send_body(tenant, invitees))
            .await
    }

    /// Sends one invite as the default caller and returns it (asserting success).
    pub async fn invite(&self, email: &str) -> Value {
        let response = self
            .send(&self.user_token(), self.tenant, json!([{ "email": email }]))
            .await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"], json!([]), "{body}");
        self.delivered(&body["success"][0]).await
    }

    /// The invite as stored once its queued email has been delivered.
    pub async fn delivered(&self, invite: &Value) -> Value {
        self.settle().await;
        let path = format!("/user-invites/{}", invite["id"].as_str().expect("an invite"));
        json_of(self.get(&path, Some(&self.super_admin_token())).await, 200).await
    }
    pub fn stranger_token(&self) -> (Uuid, String) {
        let tenant = Uuid::new_v4();
        (tenant, self.token_for(Uuid::new_v4(), Some(tenant), false))
    }

    /// A request with a raw body and content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the request reaches the server")
    }

    /// Sends `body` as `application/json` and asserts it is refused as malformed: 400
    /// `VALIDATION_FAILED` whose first error says `why`. Returns the problem.
    pub async fn refused_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: impl AsRef<[u8]>,
        why: &str,
    ) -> Value {
        let body = body.as_ref();
        let p = problem(
            self.raw(method.clone(), path, token, body.to_vec(), "application/json")
                .await,
            400,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(
            p["errors"][0]["message"].as_str().unwrap().contains(why),
            "{method} {path} {:?}: {p}",
            String::from_utf8_lossy(body)
        );
        p
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    /// POST /user-invites with an `Idempotency-Key`.
    pub async fn send_with_key(&self, token: &str, key: &str, body: &Value) -> Response {
        self.client
            .post(format!("{}/user-invites", self.address))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("the request reaches the server")
    }

    /// Sends one invitee (any fields) as the default caller; returns the created invite.
    pub async fn invite_with(&self, invitee: Value) -> Value {
        let response = self.send(&self.user_token(), self.tenant, json!([invitee])).await;
        let body = json_of(response, 200).await;
        assert_eq!(body["errors"], json!([]), "{body}");
        self.delivered(&body["success"][0]).await
    }

    /// POST /user-invites/accept with an invite token, as `caller`.
    pub async fn accept(&self, caller: &str, token: &str) -> Response {
        self.post(
            "/user-invites/accept",
            Some(caller),
            json!({ "acceptUserInvite": { "token": token } }),
        )
        .await
    }

    /// Accepts as a fresh user of no tenant.
    pub async fn accept_as_anyone(&self, token: &str) -> Response {
        self.accept(&self.token_for(Uuid::new_v4(), None, false), token).await
    }

    /// POST /user-invites/check-token, without a JWT; returns the JSON answer.
    pub async fn check(&self, token: &str) -> Value {
        json_of(
            self.post("/user-invites/check-token", None, json!({ "token": token }))
                .await,
            200,
        )
        .await
    }

    /// GET /user-invites/{id} as the default caller.
    pub async fn fetch(&self, id: &Value) -> Value {
        let path = format!("/user-invites/{}", id.as_str().unwrap());
        json_of(self.get(&path, Some(&self.user_token())).await, 200).await
    }

    /// GET /user-invites?{query} as the default caller; returns the JSON answer.
    pub async fn list(&self, query: &str) -> Value {
        json_of(
            self.get(&format!("/user-invites?{query}"), Some(&self.user_token()))
                .await,
            200,
        )
        .await
    }

    /// How many invites the default tenant holds.
    pub async fn count(&self) -> u64 {
        self.list("limit=1").await["totalCount"].as_u64().unwrap()
    }

    pub async fn cancel(&self, id: &Value) -> Response {
        let path = format!("/user-invites/{}/cancel", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), json!({})).await
    }

    pub async fn resend(&self, id: &Value, body: Value) -> Response {
        let path = format!("/user-invites/{}/resend", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), body).await
    }

    /// Every accept token mailed to `address`.
    pub async fn tokens_to(&self, address: &str) -> Vec<String> {
        self.mails_to(address).await.iter().map(Mail::token).collect()
    }

    /// The one token mailed to `address` that is not in `before`.
    pub async fn new_token_to(&self, address: &str, before: &[String]) -> String {
        let fresh: Vec<String> = self
            .tokens_to(address)
            .await
            .into_iter()
            .filter(|t| !before.contains(t))
            .collect();
        assert_eq!(fresh.len(), 1, "expected exactly one new mail to {address}");
        fresh.into_iter().next().unwrap()
    }
    pub async fn cancel_with(&self, id: &Value, body: Value) -> Response {
        let path = format!("/user-invites/{}/cancel", id.as_str().unwrap());
        self.post(&path, Some(&self.user_token()), body).await
    }
}
