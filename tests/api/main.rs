//! Black-box tests of the whole API over HTTP, against `invites-local` on port 0.

// The support library, under the name these tests have always used for it.
use invites_tests as helpers;

mod cancel;
mod delivery;
mod email;
mod expiry;
mod hardening;
mod idempotency;
mod jwt;
mod lifecycle;
mod list;
mod list_answers;
mod observability;
mod openapi;
mod persistence;
mod public_keys;
mod races;
mod resend;
mod send;
mod tenancy;
mod tokens;
mod update;
mod validation;
