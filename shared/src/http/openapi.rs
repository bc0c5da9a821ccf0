//! The API description (`openapi.yaml`, OpenAPI 3.1), served as JSON at
//! `GET /openapi.json` with no token: by `invites-local`, and on AWS by the
//! `openapi-document` function, so a deployed stack describes itself.

use bytes::Bytes;
use http::{HeaderValue, Method, Response, header};

use super::Problem;

/// The API description, embedded from the repository's `openapi.yaml`.
pub const OPENAPI_YAML: &str = include_str!("../../../openapi.yaml");
/// Where the description is served, as JSON.
pub const OPENAPI_JSON_PATH: &str = "/openapi.json";
/// The methods the description's route answers.
pub const OPENAPI_METHODS: [Method; 2] = [Method::GET, Method::HEAD];

/// The description as JSON, converted once (at start) from the embedded YAML.
pub fn openapi_json() -> Result<Bytes, String> {
    let value: serde_json::Value =
        yaml_serde::from_str(OPENAPI_YAML).map_err(|e| format!("openapi.yaml is not valid YAML: {e}"))?;
    Ok(Bytes::from(serde_json::to_vec(&value).expect("JSON serializes")))
}

/// The answer to `method` on the description's route: the JSON for GET (and HEAD,
/// whose body the server drops), 405 with `Allow` for anything else.
pub fn openapi_response(method: &Method, json: &Bytes) -> Response<Bytes> {
    if !OPENAPI_METHODS.contains(method) {
        return Problem::method_not_allowed(OPENAPI_METHODS.to_vec()).into_response();
    }
    let mut response = Response::new(json.clone());
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_description_is_openapi_3_1_and_refuses_other_methods() {
        let json = openapi_json().unwrap();
        let spec: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3.1."));
        let ok = openapi_response(&Method::GET, &json);
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.body(), &json);
        let refused = openapi_response(&Method::POST, &json);
        assert_eq!(refused.status(), 405);
        assert_eq!(refused.headers()["allow"], "GET, HEAD");
    }
}
