//! `civic-server staff`: the staff's accounts.

use civic_server::config::Settings;
use civic_server::{clock, service};
use clap::Subcommand;

use super::{Failure, Outcome};

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Add an account and print its token, once: only its hash is kept.
    Add {
        /// The account's name, as the audit trail shows it (a person, or a desk).
        name: String,
        /// `dispatcher` (the 12345 centre) or `department` (a department's staff).
        #[arg(long)]
        role: String,
        /// The department's code, for a department's staff.
        #[arg(long)]
        department: Option<String>,
    },
    /// List the accounts (never their tokens).
    List,
    /// Revoke an account: its token stops working at once.
    Revoke {
        /// The account's name.
        name: String,
    },
}

pub async fn run(settings: &Settings, command: StaffCommand) -> Outcome {
    let store = civic_server::storage::open(&settings.database_url).await?;
    match command {
        StaffCommand::Add {
            name,
            role,
            department,
        } => {
            // On a database no server has opened yet, the taxonomy the server would install.
            store
                .install_taxonomy(&civic_server::taxonomy::chengdu())
                .await?;
            let meta = store.taxonomy().await?.meta();
            let token = service::add_staff(
                store.as_ref(),
                &meta,
                &name,
                &role,
                department.as_deref(),
                clock::now(),
            )
            .await??;
            println!("{token}");
            eprintln!("The token above is shown once: give it to {name}. Only its hash is kept.");
        }
        StaffCommand::List => {
            for account in store.list_staff().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    account.name,
                    account.role.code(),
                    account.department.as_deref().unwrap_or("-"),
                    match account.revoked_at {
                        Some(at) => format!("revoked {}", clock::rfc3339(at)),
                        None => "active".to_owned(),
                    }
                );
            }
        }
        StaffCommand::Revoke { name } => {
            if !store.revoke_staff(&name, clock::now()).await? {
                return Err(Failure(format!("no active account named {name}")));
            }
            println!("revoked {name}");
        }
    }
    Ok(())
}
