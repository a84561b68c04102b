//! `civic-server`: serves the API and the app (the default), or runs a maintenance command
//! (`cli/`, one module per group). This file parses the command line and dispatches.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use civic_server::config::Settings;
use civic_server::startup::Application;
use civic_server::telemetry::{self, LogFormat};
use civic_server::{calendar, web};
use clap::{Parser, Subcommand};

use cli::{Failure, Outcome};

#[derive(Parser)]
#[command(name = "civic-server", version, about = "The Civic reference backend")]
struct Cli {
    /// How the log is written: `text` for people, `json` (one object per line) for log
    /// collectors. `RUST_LOG` chooses what is written.
    #[arg(
        long,
        env = "CIVIC_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (what runs with no command).
    Serve,
    /// Fill an empty database with generated demo data, for demos and benchmarks.
    Demo(cli::data::DemoArgs),
    /// Publish a document whose body is an HTML file, sanitised into plain-text blocks.
    ImportDocument(cli::data::ImportArgs),
    /// Copy every case, document and announcement from one database to another, empty one
    /// (a town's SQLite file to the city's PostgreSQL), then check the counts.
    Copy(cli::data::CopyArgs),
    /// Move a case along its life, as the staff API would (for demos and operators; recorded
    /// in the audit trail as `civic-server case`).
    #[command(subcommand)]
    Case(cli::case::CaseCommand),
    /// Staff accounts: add one (its token is printed once), list them, revoke one.
    #[command(subcommand)]
    Staff(cli::staff::StaffCommand),
    /// The outbox of texts and events: how many messages stand where, and sending the dead
    /// letters again.
    #[command(subcommand)]
    Outbox(cli::outbox::OutboxCommand),
    /// Back up an SQLite database, photos included (a consistent snapshot while the server
    /// serves), into a new folder, with a manifest of counts and a checksum. PostgreSQL: pg_dump.
    Backup(cli::data::BackupArgs),
    /// Restore a backup folder into an empty database (`--database-url`, SQLite or
    /// PostgreSQL), after checking it against its manifest.
    Restore(cli::data::RestoreArgs),
    /// The working-day calendar (public holidays and make-up working days).
    #[command(subcommand)]
    Holidays(cli::holidays::HolidaysCommand),
    /// Write .br and .gz copies of the static files.
    Precompress {
        /// The folder.
        dir: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    let settings = cli.settings;
    let result = match &settings.holidays {
        Some(path) => cli::holidays::read_calendar(path)
            .map(|calendar| {
                calendar::install(calendar);
            })
            .map_err(Failure),
        None => Ok(()),
    };
    let result = match result {
        Err(failure) => Err(failure),
        Ok(()) => match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            Command::Demo(args) => cli::data::demo(&settings, args).await,
            Command::ImportDocument(args) => cli::data::import(&settings, args).await,
            Command::Copy(args) => cli::data::copy(&settings, args).await,
            Command::Backup(args) => cli::data::backup(&settings, args).await,
            Command::Restore(args) => cli::data::restore(&settings, args).await,
            Command::Case(command) => cli::case::run(&settings, command).await,
            Command::Staff(command) => cli::staff::run(&settings, command).await,
            Command::Outbox(command) => cli::outbox::run(&settings, command).await,
            Command::Holidays(command) => cli::holidays::run(command),
            Command::Precompress { dir } => web::precompress(&dir)
                .map(|compressed| println!("compressed {compressed} files"))
                .map_err(Failure::from),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("civic-server: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Serves until a signal to stop.
async fn serve(settings: Settings) -> Outcome {
    let (addr, metrics_addr) = (settings.addr, settings.metrics_addr);
    let app = Application::build(settings).await?;
    if let (Some(port), Some(metrics)) = (app.metrics_port(), metrics_addr) {
        tracing::info!("metrics at http://{}:{port}/metrics", metrics.ip());
    }
    tracing::info!("Civic is listening on http://{}:{}", addr.ip(), app.port());
    Ok(app.run_until_stopped().await?)
}
