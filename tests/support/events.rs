//! Lifecycle events checked by tools no one here wrote: scripts/verify_webhooks.py runs
//! the `standardwebhooks` package from PyPI on each signature, and jsonschema on each
//! payload against openapi.yaml's `InviteEvent`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// One request: its headers (none for an unsigned EventBridge detail) and body.
pub struct Delivered<'a> {
    pub headers: &'a [(String, String)],
    pub body: &'a str,
}

/// The `type` of each payload, in order, once verified: signed under `secret` when
/// given, and every one an `InviteEvent` of openapi.yaml. Panics at the first that is not.
pub fn verified_types(secret: Option<&str>, requests: &[Delivered]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-test-tools.sh (the verifier is the standardwebhooks package)",
        python.display()
    );
    let input = json!({
        "secret": secret,
        "requests": requests.iter().map(|r| json!({
            "headers": r.headers.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect::<serde_json::Map<String, Value>>(),
            "body": r.body,
        })).collect::<Vec<_>>(),
    });
    let mut child = Command::new(python)
        .arg(root.join("scripts/verify_webhooks.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "an event did not verify: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The types of the events about `invite` (an invite as the API answers it), in order,
/// of `payloads` whose types are `types`.
pub fn types_about<'a>(payloads: &[Value], types: &'a [String], invite: &Value) -> Vec<&'a str> {
    payloads
        .iter()
        .zip(types)
        .filter(|(p, _)| p["data"]["id"] == invite["id"])
        .map(|(_, t)| t.as_str())
        .collect()
}
