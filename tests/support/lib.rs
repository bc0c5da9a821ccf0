//! What the test binaries share: a running `invites-local` to drive over HTTP
//! (`spawn_app` and the calls on it), its outbox read as mail, checks of what it
//! answers, a fault-injecting proxy for DynamoDB and SES, and the process's logs.

mod answers;
mod app;
mod calls;
pub mod events;
pub mod jwks;
pub mod keys;
pub mod logs;
mod mail;
pub mod moto;
mod population;
pub mod proxy;
pub mod receiver;
pub mod retry_queue;
pub mod stream;

pub use answers::*;
pub use app::*;
pub use mail::*;
pub use moto::{MotoLease, moto_endpoint};
pub use population::*;
