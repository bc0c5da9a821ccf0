//! The configuration of the two local loops, against the code: `cargo lambda watch`'s
//! (Cargo.toml, `[workspace.metadata.lambda.watch]`) routes exactly the route table to
//! the functions, with the secret the sample events are signed with; and
//! `sam local invoke --env-vars events/env.json` sets only variables the template
//! declares (sam local silently drops any other), with the same table, secret and
//! emulator port as the watch. scripts/test-cargo-lambda.sh runs the watch itself.

use std::collections::BTreeSet;

use invites_shared::config::DEVELOPMENT_JWT_SECRET;
use invites_shared::http::ROUTES;
use invites_shared::http::openapi::OPENAPI_JSON_PATH;
use serde_json::Value;

use crate::template::{OPENAPI_DOCUMENT_CRATE, template};
use crate::{read_json, root};

/// `[workspace.metadata.lambda.watch]`, as cargo-lambda reads it (through cargo metadata).
fn watch_config() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1", "--manifest-path"])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["metadata"]["lambda"]["watch"].clone()
}

#[test]
fn cargo_lambda_watch_routes_the_route_table_to_the_functions() {
    let watch = watch_config();
    let mut routed = BTreeSet::new();
    for route in watch["router"].as_array().expect("a router") {
        let function = route["function"].as_str().unwrap();
        assert!(root().join("functions").join(function).is_dir(), "no crate {function}");
        for method in route["methods"].as_array().expect("each route names its methods") {
            let path = route["path"].as_str().unwrap();
            routed.insert((
                method.as_str().unwrap().to_owned(),
                path.to_owned(),
                function.to_owned(),
            ));
        }
    }
    let mut expected: BTreeSet<(String, String, String)> = ROUTES
        .iter()
        .map(|r| {
            let function = r.operation.function_crate().to_owned();
            (r.method.to_string(), r.path.to_owned(), function)
        })
        .collect();
    expected.insert(("GET".into(), OPENAPI_JSON_PATH.into(), OPENAPI_DOCUMENT_CRATE.into()));
    assert_eq!(routed, expected);
}

/// The port of a `http://host:port` URL.
fn port_of(url: &str) -> &str {
    url.rsplit_once(':').map(|(_, port)| port).unwrap_or_default()
}

#[test]
fn the_watch_and_sam_local_run_on_the_same_local_table_with_the_events_secret() {
    let watch_env = watch_config()["env"].clone();
    let watch = |name: &str| {
        watch_env[name]
            .as_str()
            .unwrap_or_else(|| panic!("the watch sets no {name}"))
            .to_owned()
    };
    // The sample events' bearer tokens are signed with the development secret.
    assert_eq!(watch("INVITES_JWT_SECRET"), DEVELOPMENT_JWT_SECRET);
    let endpoint = watch("AWS_ENDPOINT_URL");
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    for credential in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"] {
        watch(credential);
    }

    let env_json = read_json(&root().join("events/env.json"));
    let sam_local = env_json["Parameters"]
        .as_object()
        .expect("SAM's Parameters format: every function");
    let template = template();
    let declared = template["Globals"]["Function"]["Environment"]["Variables"]
        .as_mapping()
        .unwrap();
    for name in sam_local.keys() {
        assert!(
            declared.contains_key(name.as_str()),
            "events/env.json sets {name}, which template.yaml's Globals do not declare: sam local would drop it"
        );
    }
    for shared in ["INVITES_TABLE_NAME", "INVITES_JWT_SECRET", "INVITES_SENDER_EMAIL"] {
        assert_eq!(sam_local[shared].as_str(), Some(watch(shared).as_str()), "{shared}");
    }
    // The same emulator, seen from sam local's container.
    let from_container = sam_local["AWS_ENDPOINT_URL"].as_str().unwrap();
    assert!(
        from_container.starts_with("http://host.docker.internal:"),
        "{from_container}"
    );
    assert_eq!(port_of(from_container), port_of(&endpoint));
}
