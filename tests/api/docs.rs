//! Browsing the API: `GET /docs` is Swagger UI over this server's `/openapi.json`, made
//! only of files this server serves (vendored, embedded), so the page works offline and
//! its Content-Security-Policy lets no other script run.

use invites_local::docs::{SWAGGER_UI_BUNDLE, SWAGGER_UI_CSS};

use crate::helpers::spawn_app;

/// The values of every `src="…"` and `href="…"` in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for (start, _) in html.match_indices(attribute) {
            let rest = &html[start + attribute.len()..];
            found.push(rest[..rest.find('"').unwrap()].to_owned());
        }
    }
    found
}

#[tokio::test]
async fn the_docs_page_is_swagger_ui_over_this_servers_description_and_loads_nothing_else() {
    let app = spawn_app().await;
    let page = app.get("/docs", None).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("default-src 'self'"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("http:") && !html.contains("https:") && !html.contains("//cdn"),
        "{html}"
    );

    let referenced = references(&html);
    assert_eq!(referenced.len(), 3, "{referenced:?}");
    let mut init = String::new();
    for path in &referenced {
        assert!(path.starts_with("/docs/"), "{path} is not this server's");
        let asset = app.get(path, None).await;
        assert_eq!(asset.status(), 200, "{path}");
        let kind = asset.headers()["content-type"].to_str().unwrap().to_owned();
        let bytes = asset.bytes().await.unwrap();
        match path.as_str() {
            "/docs/swagger-ui-bundle.js" => assert_eq!(bytes.as_ref(), SWAGGER_UI_BUNDLE),
            "/docs/swagger-ui.css" => assert_eq!(bytes.as_ref(), SWAGGER_UI_CSS),
            "/docs/init.js" => init = String::from_utf8(bytes.to_vec()).unwrap(),
            other => panic!("unexpected asset {other}"),
        }
        let expected = if path.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(kind.starts_with(expected), "{path}: {kind}");
    }
    // Swagger UI reads this server's description and sends it to no validator.
    assert!(init.contains("url: \"/openapi.json\""), "{init}");
    assert!(init.contains("validatorUrl: null"), "{init}");
    assert_eq!(app.get("/openapi.json", None).await.status(), 200);
}
