//! `civic-server`: serves the API and the app, and offers a few maintenance commands.

use std::path::PathBuf;
use std::process::ExitCode;

use civic_server::config::Settings;
use civic_server::startup::Application;
use civic_server::storage::{SqliteStore, Store};
use civic_server::{clock, demo, taxonomy, web};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "civic-server", version, about = "The Civic reference backend")]
struct Cli {
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
    Demo {
        /// How many cases.
        #[arg(long, default_value_t = 300)]
        cases: usize,
        /// How many documents.
        #[arg(long, default_value_t = 120)]
        documents: usize,
        /// How many announcements.
        #[arg(long, default_value_t = 60)]
        announcements: usize,
    },
    /// Write .br and .gz copies of the static files.
    Precompress {
        /// The folder.
        dir: PathBuf,
    },
    /// Print the first-load size of a built app, raw and brotli-compressed.
    Size {
        /// The folder (Trunk's `dist/`).
        dir: PathBuf,
        /// Fail when the brotli total exceeds this many KiB.
        #[arg(long)]
        budget_kib: Option<usize>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.settings).await,
        Command::Demo {
            cases,
            documents,
            announcements,
        } => {
            seed(
                &cli.settings,
                demo::DemoSize {
                    cases,
                    documents,
                    announcements,
                },
            )
            .await
        }
        Command::Precompress { dir } => web::precompress(&dir)
            .map(|n| println!("compressed {n} files"))
            .map_err(|e| e.to_string()),
        Command::Size { dir, budget_kib } => size(&dir, budget_kib),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("civic-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<(), String> {
    let addr = settings.addr;
    let app = Application::build(settings)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("Civic is listening on http://{}:{}", addr.ip(), app.port());
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn seed(settings: &Settings, size: demo::DemoSize) -> Result<(), String> {
    let store = SqliteStore::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    store
        .install_taxonomy(&taxonomy::chengdu())
        .await
        .map_err(|e| e.to_string())?;
    if !store.is_empty().await.map_err(|e| e.to_string())? {
        return Err("the database already holds data; use a new file".into());
    }
    let started = std::time::Instant::now();
    demo::seed(&store, size, clock::now())
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "seeded {} cases, {} documents, {} announcements in {:.1} s",
        size.cases,
        size.documents,
        size.announcements,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn size(dir: &std::path::Path, budget_kib: Option<usize>) -> Result<(), String> {
    let lines = web::first_load_sizes(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if lines.is_empty() {
        return Err(format!(
            "no built app in {}; run `make build`",
            dir.display()
        ));
    }
    let kib = |n: usize| n as f64 / 1024.0;
    println!(
        "{:<44} {:>10} {:>12}",
        "first-load file", "raw KiB", "brotli KiB"
    );
    for line in &lines {
        println!(
            "{:<44} {:>10.1} {:>12.1}",
            line.name,
            kib(line.raw),
            kib(line.brotli)
        );
    }
    let raw: usize = lines.iter().map(|l| l.raw).sum();
    let brotli: usize = lines.iter().map(|l| l.brotli).sum();
    println!("{:<44} {:>10.1} {:>12.1}", "total", kib(raw), kib(brotli));
    if let Some(budget) = budget_kib {
        if brotli > budget * 1024 {
            return Err(format!(
                "first load is {:.1} KiB brotli, over the {budget} KiB budget",
                kib(brotli)
            ));
        }
        println!(
            "within the {budget} KiB brotli budget ({:.0}% used)",
            100.0 * kib(brotli) / budget as f64
        );
    }
    Ok(())
}
