//! `civic-server outbox`: the texts and events waiting to be sent.

use civic_server::config::Settings;
use civic_server::domain::notify::Receiver;
use civic_server::{clock, service};
use clap::Subcommand;

use super::{Failure, Outcome};

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// How many messages each receiver has pending, delivered and dead.
    Status,
    /// Send the dead letters again (their tries start afresh), of one receiver or all.
    Retry {
        /// `sms` or `events`; all when left out.
        #[arg(long)]
        receiver: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: OutboxCommand) -> Outcome {
    let store = civic_server::storage::open(&settings.database_url).await?;
    match command {
        OutboxCommand::Status => {
            let counts = store.outbox_counts().await?;
            if counts.is_empty() {
                println!("the outbox is empty");
            }
            let now = clock::now_millis();
            for count in counts {
                println!(
                    "{:<8} {:<10} {:>8}   oldest {} days old",
                    count.receiver,
                    count.state,
                    count.count,
                    (now - count.oldest_ms) / 86_400_000
                );
            }
            println!(
                "messages are deleted {} days after delivery, or after they were written when \
                 never delivered (dead letters, receivers no longer set)",
                service::OUTBOX_KEPT_SECONDS / 86_400
            );
        }
        OutboxCommand::Retry { receiver } => {
            let receiver = receiver
                .map(|code| {
                    Receiver::from_code(&code).ok_or_else(|| {
                        Failure(format!("{code:?} is not a receiver (sms or events)"))
                    })
                })
                .transpose()?;
            let retried = store
                .retry_dead_letters(receiver, clock::now_millis())
                .await?;
            println!("{retried} dead letters will be sent again");
        }
    }
    Ok(())
}
