//! The functions of one table on moto, driven as Lambda drives them: the API's use cases
//! (called through the HTTP mapping, with tokens signed by the development secret), and
//! the mailer's, each instance a service of its own over the same table.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Duration;
use invites_shared::clock::Clock;
use invites_shared::config::{Config, DEVELOPMENT_JWT_SECRET};
use invites_shared::domain::InviteId;
use invites_shared::dynamo::{self, DynamoStore};
use invites_shared::email::{Mailer, SesMailer};
use invites_shared::http::Api;
use invites_shared::service::{InviteService, StreamDelivery};
use invites_tests::proxy::FaultProxy;
use invites_tests::stream::{invite_records, stream_records};
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) struct Stack {
    pub api: Api,
    pub service: Arc<InviteService>,
    config: Config,
    store: Arc<DynamoStore>,
    clock: Arc<dyn Clock>,
    pub table: String,
    pub tenant: Uuid,
    pub admin: Uuid,
}

/// An SES mailer through a fault proxy in front of moto's SES, from a verified sender.
pub(crate) async fn ses_through_proxy() -> (FaultProxy, SesMailer) {
    let sender = invites_tests::moto::verified_sender().await;
    let proxy = FaultProxy::start_for(invites_tests::moto::ses_endpoint()).await;
    let mailer = SesMailer::new(SesMailer::client_from_env(Some(&proxy.url)).await, sender, None);
    (proxy, mailer)
}

impl Stack {
    /// A fresh table; the API and a mailer instance over it, mailing through `mailer`.
    pub async fn start(clock: Arc<dyn Clock>, mailer: Arc<dyn Mailer>, vars: &[(&'static str, &str)]) -> Self {
        let table = format!("invites-stack-{}", Uuid::new_v4());
        let client = invites_tests::moto::dynamodb_client().await;
        dynamo::create_table(&client, &table).await.unwrap();
        let store = Arc::new(DynamoStore::new(client, &table));
        let mut vars: BTreeMap<&str, String> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
        vars.insert("INVITES_TABLE_NAME", table.clone());
        vars.insert("INVITES_JWT_SECRET", DEVELOPMENT_JWT_SECRET.to_owned());
        let config = Config::from_lookup(|name| vars.get(name).cloned(), None).unwrap();
        let service = Arc::new(InviteService::from_config(
            &config,
            store.clone(),
            mailer,
            Arc::new(StreamDelivery),
            clock.clone(),
        ));
        let api = Api::from_config(&config, service.clone()).await.unwrap();
        Self {
            api,
            service,
            config,
            store,
            clock,
            table,
            tenant: Uuid::new_v4(),
            admin: Uuid::new_v4(),
        }
    }

    /// Another mailer instance over the same table, mailing through `mailer`.
    pub fn instance(&self, mailer: Arc<dyn Mailer>) -> InviteService {
        InviteService::from_config(
            &self.config,
            self.store.clone(),
            mailer,
            Arc::new(StreamDelivery),
            self.clock.clone(),
        )
    }

    fn token(&self, sub: Uuid, tenant: Uuid) -> String {
        let claims = json!({
            "sub": sub,
            "tenantId": tenant,
            "roles": ["admin", "editor", "viewer"],
            "exp": (self.clock.now() + Duration::hours(1)).timestamp(),
        });
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(DEVELOPMENT_JWT_SECRET.as_bytes()),
        )
        .unwrap()
    }

    /// One request as `caller` of the stack's tenant; asserts a 200 and answers its body.
    pub async fn call(&self, method: &str, path: &str, caller: Uuid, body: Value) -> Value {
        self.call_in(self.tenant, method, path, caller, body).await
    }

    /// One request as `caller` of `tenant`; asserts a 200 and answers its body.
    pub async fn call_in(&self, tenant: Uuid, method: &str, path: &str, caller: Uuid, body: Value) -> Value {
        let request = lambda_http::http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.token(caller, tenant)))
            .header("content-type", "application/json")
            .body(Bytes::from(body.to_string()))
            .unwrap();
        let response = self.api.handle(request).await;
        let status = response.status();
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(status, 200, "{method} {path}: {body}");
        body
    }

    /// Sends invites to `emails` into `tenant` as the admin; answers them.
    pub async fn invite_all(&self, tenant: Uuid, emails: &[String], send_email: bool) -> Vec<Value> {
        let invitees: Vec<Value> = emails
            .iter()
            .map(|e| json!({ "email": e, "roles": ["editor"] }))
            .collect();
        let body = self
            .call_in(
                tenant,
                "POST",
                "/user-invites",
                self.admin,
                json!({
                    "userInvites": { "tenantId": tenant, "userInvites": invitees },
                    "sendEmail": send_email,
                }),
            )
            .await;
        assert_eq!(body["errors"], json!([]), "{body}");
        body["success"].as_array().unwrap().clone()
    }

    /// Sends one invite to `email` into the stack's tenant as the admin; answers it.
    pub async fn invite(&self, email: &str, send_email: bool) -> Value {
        self.invite_all(self.tenant, &[email.to_owned()], send_email)
            .await
            .remove(0)
    }

    /// What the mailer function does for this invite's stream record.
    pub async fn deliver(&self, invite: &Value) {
        let id = InviteId::parse(invite["id"].as_str().unwrap()).unwrap();
        self.service.deliver(id).await.unwrap();
    }

    /// The invite as stored.
    pub async fn stored(&self, id: InviteId) -> invites_shared::domain::Invite {
        use invites_shared::store::InviteStore;
        self.store.get(id).await.unwrap().expect("the invite is never lost")
    }

    /// The table's stream so far: the records of invites, as the events function's
    /// filter passes them.
    pub async fn records(&self) -> Vec<Value> {
        invite_records(&stream_records(&invites_tests::moto::dynamodb_endpoint(), &self.table).await)
    }

    /// The table's stream so far, as the mailer's filter passes it: writes that leave an
    /// email queued for a mailer.
    pub async fn queued_records(&self) -> Vec<Value> {
        stream_records(&invites_tests::moto::dynamodb_endpoint(), &self.table)
            .await
            .into_iter()
            .filter(|r| r["dynamodb"]["NewImage"]["mail_state"]["S"] == "queued")
            .collect()
    }
}
