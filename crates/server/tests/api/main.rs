//! The server's integration tests, compiled as one binary. Each test spawns the whole
//! application on port 0 with its own database and its own static folder: an SQLite file,
//! or with `CIVIC_TEST_STORE=postgres` a new PostgreSQL database (see `helpers::new_database`);
//! `make test` runs the whole suite on both.

mod helpers;
#[path = "../support/process.rs"]
mod process;

mod backup;
mod concurrency;
mod copy;
mod deploy;
mod errors;
mod feeds;
mod filing;
mod hardening;
mod lists;
mod logs;
mod meta;
mod notify;
mod openapi;
mod operations;
mod processes;
mod review;
mod search;
mod security;
mod staff;
mod static_files;
mod stats;
mod tracking;
mod uploads;
