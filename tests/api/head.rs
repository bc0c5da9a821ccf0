//! HEAD on every GET route: GET's status and headers, the length of its body, no body.

use reqwest::Method;

use crate::helpers::spawn_app;

#[tokio::test]
async fn head_answers_what_get_would_without_the_body() {
    let app = spawn_app().await;
    let invite = app.invite("head@example.com").await;
    let token = app.user_token();
    for path in [
        format!("/user-invites/{}", invite["id"].as_str().unwrap()),
        "/user-invites?limit=5".to_owned(),
    ] {
        let get = app.get(&path, Some(&token)).await;
        let (status, content_type) = (get.status(), get.headers()["content-type"].clone());
        let length = get.bytes().await.unwrap().len();
        let head = app.request(Method::HEAD, &path, Some(&token), None).await;
        assert_eq!(head.status(), status, "{path}");
        assert_eq!(head.headers()["content-type"], content_type, "{path}");
        assert_eq!(head.headers()["content-length"], length.to_string().as_str(), "{path}");
        assert!(head.bytes().await.unwrap().is_empty(), "{path}: HEAD has no body");
    }
    // Refusals too: GET's status, no body.
    let unauthenticated = app.request(Method::HEAD, "/user-invites", None, None).await;
    assert_eq!(unauthenticated.status(), 401);
    assert!(unauthenticated.bytes().await.unwrap().is_empty());
    // A route without GET does not take HEAD, and says which methods it takes.
    let accept = app.request(Method::HEAD, "/user-invites/accept", None, None).await;
    assert_eq!(accept.status(), 405);
    assert_eq!(accept.headers()["allow"], "POST");
    let get_only = app.request(Method::DELETE, "/user-invites", Some(&token), None).await;
    assert_eq!(get_only.headers()["allow"], "POST, GET, HEAD");
}
