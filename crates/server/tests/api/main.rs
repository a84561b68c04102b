//! The server's integration tests, compiled as one binary. Each test spawns the whole
//! application on port 0 with its own SQLite file and its own static folder.

mod helpers;

mod errors;
mod feeds;
mod filing;
mod lists;
mod meta;
mod openapi;
mod search;
mod staff;
mod static_files;
mod stats;
mod tracking;
mod uploads;
