//! What the test binaries share: a running `invites-local` to drive over HTTP
//! (`spawn_app` and the calls on it), its outbox read as mail, checks of what it
//! answers, and a fault-injecting proxy for DynamoDB and SES.

mod answers;
mod app;
mod calls;
pub mod keys;
mod mail;
mod population;
pub mod proxy;

pub use answers::*;
pub use app::*;
pub use mail::*;
pub use population::*;
