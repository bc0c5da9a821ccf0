//! Black-box tests of the whole API over HTTP, against `invites-local` on port 0.

mod cancel;
mod delivery;
mod email;
mod expiry;
mod hardening;
mod helpers;
mod idempotency;
mod jwt;
mod lifecycle;
mod list;
mod observability;
mod openapi;
mod persistence;
mod races;
mod resend;
mod send;
mod tenancy;
mod tokens;
mod update;
mod validation;
