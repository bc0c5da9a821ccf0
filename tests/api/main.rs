//! Black-box tests of the whole API over HTTP, against `invites-local` on port 0.

mod helpers;
mod lifecycle;
