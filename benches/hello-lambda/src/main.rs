//! The baseline the cold-start benchmark compares every function with: a `lambda_http`
//! function that does nothing but answer 200 "hello", built with the same profile.

use lambda_http::{Body, Error, Request, Response, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::tracing::init_default_subscriber();
    lambda_http::run(service_fn(|_: Request| async {
        Ok::<_, Error>(Response::builder().status(200).body(Body::Text("hello".into()))?)
    }))
    .await
}
