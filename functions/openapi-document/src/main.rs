//! `openapi-document`: the API description at `GET /openapi.json`, so a deployed stack
//! describes itself (and the deploy pipeline's smoke test can ask for it). It reads no
//! configuration and may touch no AWS resource.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    invites_shared::lambda::run_openapi_document().await
}
