//! The User Invites service: everything the Lambda functions and `invites-local` share.
//!
//! Raw input becomes validated domain types at the edge ([`requests`]); the use cases
//! ([`service`]) run against two seams, an [`store::InviteStore`] and an
//! [`email::Mailer`], so the storage and the mail transport plug in without touching
//! them; [`http`] maps one route table onto those use cases over `http::Request`.

pub mod auth;
#[cfg(feature = "aws")]
pub mod aws;
pub mod clock;
pub mod config;
pub mod domain;
#[cfg(feature = "aws")]
pub mod dynamo;
pub mod email;
#[cfg(feature = "lambda")]
pub mod event_bus;
#[cfg(feature = "lambda")]
pub mod feedback;
pub mod http;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod operation;
pub mod readmodel;
pub mod requests;
#[cfg(feature = "lambda")]
pub mod retries;
#[cfg(feature = "aws")]
pub mod secrets;
pub mod service;
pub mod store;
#[cfg(test)]
mod strategies;
pub mod telemetry;
