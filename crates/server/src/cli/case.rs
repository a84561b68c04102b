//! `civic-server case`: moving a case along its life, as the staff API would (for demos and
//! operators; the audit trail records it as `civic-server case`).

use api::StaffAction;
use civic_server::clock;
use civic_server::config::Settings;
use civic_server::domain::staff::Actor;
use civic_server::service::{self, Applied};
use clap::Subcommand;

use super::{Failure, Outcome};

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Accept a case (受理).
    Accept { number: String },
    /// Decline a case, with the reason the resident sees (不予受理).
    Reject {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// Hand a case to a department (交办), by department code.
    Assign {
        number: String,
        #[arg(long)]
        department: String,
    },
    /// Hand a case on to another department (转办).
    Transfer {
        number: String,
        #[arg(long)]
        department: String,
        #[arg(long)]
        reason: String,
    },
    /// The department starts work.
    Start { number: String },
    /// Extend the reply deadline once (延期).
    Extend {
        number: String,
        #[arg(long)]
        days: u32,
        #[arg(long)]
        reason: String,
    },
    /// Give the official reply (答复).
    Reply {
        number: String,
        #[arg(long)]
        text: String,
    },
    /// Close a case (办结).
    Close { number: String },
}

impl CaseCommand {
    /// The case's number and the staff action the command stands for.
    fn into_action(self) -> (String, StaffAction) {
        use StaffAction as A;
        match self {
            Self::Accept { number } => (number, A::Accept),
            Self::Reject { number, reason } => (number, A::Reject { reason }),
            Self::Assign { number, department } => (number, A::Assign { department }),
            Self::Transfer {
                number,
                department,
                reason,
            } => (number, A::Transfer { department, reason }),
            Self::Start { number } => (number, A::Start),
            Self::Extend {
                number,
                days,
                reason,
            } => (
                number,
                A::Extend {
                    working_days: days,
                    reason,
                },
            ),
            Self::Reply { number, text } => (number, A::Reply { text }),
            Self::Close { number } => (number, A::Close),
        }
    }
}

/// Actions in words: "nothing" for none.
fn listed(actions: &[api::ActionKind]) -> String {
    if actions.is_empty() {
        return "nothing".to_owned();
    }
    let codes: Vec<_> = actions.iter().map(|a| a.code()).collect();
    codes.join(", ")
}

pub async fn run(settings: &Settings, command: CaseCommand) -> Outcome {
    let (number, action) = command.into_action();
    let number = api::CaseNumber::parse(&number).map_err(|e| Failure(e.to_string()))?;
    let (store, meta) = super::open_with_meta(settings).await?;
    // The same service as the staff API's route, so the same checks and rules, and the
    // resident and the city's systems are told the same way (by the servers' workers).
    if settings.endpoints()?.is_empty() {
        eprintln!(
            "note: no --sms-webhook or --events-webhook here: this move texts no resident and \
             tells no system. Run the command with the servers' settings to have it told."
        );
    }
    let applied = service::act(
        store.as_ref(),
        &meta,
        &settings.notices(&meta),
        &number,
        &action,
        clock::now(),
        &Actor::Operator,
    )
    .await?;
    match applied {
        Applied::Done(result) => {
            println!(
                "{} is now {}; next: {}",
                result.number,
                result.status.code(),
                listed(&result.allowed)
            );
            Ok(())
        }
        Applied::Invalid(errors) => {
            let fields: Vec<_> = errors.fields().map(str::to_owned).collect();
            Err(Failure(format!("invalid {}", fields.join(", "))))
        }
        Applied::NotFound => Err(Failure(format!("no case {number}"))),
        Applied::Forbidden => Err(Failure("not allowed".to_owned())),
        Applied::Illegal(illegal) => Err(Failure(format!(
            "a {} case cannot be given {}; allowed: {}",
            illegal.from.code(),
            illegal.tried.code(),
            listed(&illegal.allowed)
        ))),
    }
}
