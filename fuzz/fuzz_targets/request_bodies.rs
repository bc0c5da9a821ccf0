//! Any bytes as a request body (and as a query string, path id and idempotency key):
//! `parse_json` and every request parser must answer, never panic, and every refusal
//! must name at least one field.

#![no_main]

use invites_shared::requests::{self, RequestError};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn listed<T>(result: Result<T, RequestError>) {
    if let Err(RequestError::Invalid(errors)) = result {
        assert!(!errors.is_empty(), "a refusal without a field");
    }
}

fn parse_all(value: &Value) {
    let send = requests::send_request(value);
    if let Ok(send) = &send {
        assert!(!send.invitees.is_empty(), "a send without invitees");
        for rejected in send.invitees.iter().filter_map(|i| i.as_ref().err()) {
            assert!(!rejected.errors.is_empty(), "a rejected invitee without a field");
        }
    }
    listed(send);
    listed(requests::resend_request(value));
    listed(requests::cancel_request(value));
    listed(requests::accept_request(value));
    listed(requests::check_token_request(value));
    listed(requests::update_request(value));
}

fuzz_target!(|data: &[u8]| {
    // Bodies that may be empty (resend, cancel) and bodies that may not.
    for empty_is_object in [false, true] {
        match requests::parse_json(data, empty_is_object) {
            Ok(value) => parse_all(&value),
            Err(e) => listed::<()>(Err(e)),
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        listed(requests::list_params(Some(text)));
        listed(requests::invite_id(text));
    }
    if let Ok(key) = requests::idempotency_key(data) {
        assert_eq!(key.as_bytes(), data);
    }
});
