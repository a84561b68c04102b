//! `civic-server holidays`: the working-day calendar.

use std::path::{Path, PathBuf};

use civic_server::{calendar, clock};
use clap::Subcommand;

use super::Outcome;

#[derive(Subcommand)]
pub enum HolidaysCommand {
    /// Check a calendar file before giving it to the server with --holidays, and print what
    /// it covers.
    Check {
        /// The file (the format is described in the built-in calendar: `holidays show`).
        file: PathBuf,
    },
    /// Print the built-in calendar, whose header describes the format.
    Show,
}

/// Reads and checks a working-day calendar file.
pub fn read_calendar(path: &Path) -> Result<calendar::Calendar, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    calendar::Calendar::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(command: HolidaysCommand) -> Outcome {
    match command {
        HolidaysCommand::Show => print!("{}", calendar::BUILT_IN),
        HolidaysCommand::Check { file } => {
            let calendar = read_calendar(&file)?;
            for (year, days) in calendar.years() {
                println!(
                    "{year}: {} days off, {} make-up working days",
                    days.off.len(),
                    days.work.len()
                );
            }
            let missing = calendar.missing_years(clock::cst_date(clock::now()));
            if !missing.is_empty() {
                println!("not covered yet, and needed now: {missing:?}");
            }
        }
    }
    Ok(())
}
