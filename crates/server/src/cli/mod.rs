//! The maintenance commands of `civic-server`, one module per group; `main.rs` parses the
//! command line and calls them. Each prints what it did for an operator and fails with a
//! [`Failure`], which `main` prints (and exits 1).

pub mod case;
pub mod data;
pub mod holidays;
pub mod outbox;
pub mod staff;

use civic_server::config::Settings;
use civic_server::storage::{Store, StoreError};

/// Why a command failed, in words for the operator.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self(message)
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Self(error.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Self(error.to_string())
    }
}

impl From<civic_server::startup::StartupError> for Failure {
    fn from(error: civic_server::startup::StartupError) -> Self {
        Self(error.to_string())
    }
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

/// The database of `settings`, and its taxonomy as the server would answer it.
async fn open_with_meta(
    settings: &Settings,
) -> Result<(std::sync::Arc<dyn Store>, api::Meta), Failure> {
    let store = civic_server::storage::open(&settings.database_url).await?;
    let meta = store.taxonomy().await?.meta();
    Ok((store, meta))
}
