//! Black-box tests of the whole API over HTTP, against `invites-local` on port 0.

// The support library, under the name these tests have always used for it.
use invites_tests as helpers;

mod cancel;
mod claims;
mod connections;
mod cors;
mod delivery;
mod development_secret;
mod docs;
mod email;
mod expiry;
mod hardening;
mod head;
mod hostile_inputs;
mod idempotency;
mod invitation_email;
mod jwks;
mod jwt;
mod lifecycle;
mod list;
mod list_answers;
mod observability;
mod openapi;
mod pages;
mod persistence;
mod public_keys;
mod quotas;
mod races;
mod resend;
mod roles;
mod send;
mod tenancy;
mod tokens;
mod update;
mod validation;
mod webhooks;
