//! The Civic reference backend: the REST API of the contract in `crates/api`, on axum with
//! SQLite (embedded) or PostgreSQL (a city), and the built app it serves. `main.rs` is glue; [`startup::Application`] is
//! what tests and the binary both run.

pub mod backup;
pub mod calendar;
pub mod client;
pub mod clock;
pub mod config;
pub mod copy;
pub mod demo;
pub mod domain;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod filing_key;
pub mod hashing;
pub mod import;
pub mod monitoring;
pub mod openapi;
pub mod outbox;
pub mod photos;
pub mod presenter;
pub mod ratelimit;
pub mod routes;
pub mod rules;
pub mod sanitize;
pub mod search;
pub mod service;
pub mod size;
pub mod startup;
pub mod state;
pub mod stats;
pub mod storage;
pub mod taxonomy;
pub mod telemetry;
pub mod web;

/// The contract's types, under the name handlers use for wire types.
pub use api as json;
