//! `civic-server`: serves the API and the app, and offers a few maintenance commands.

use std::path::PathBuf;
use std::process::ExitCode;

use civic_server::config::Settings;
use civic_server::service::{self, Applied};
use civic_server::startup::Application;
use civic_server::telemetry::{self, LogFormat};
use civic_server::{calendar, clock, demo, web};
use clap::{Parser, Subcommand};

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
    /// Publish a document whose body is an HTML file, sanitised into plain-text blocks.
    ImportDocument {
        /// The HTML file of the body.
        #[arg(long)]
        html: PathBuf,
        /// The title.
        #[arg(long)]
        title: String,
        /// The document number (文号).
        #[arg(long)]
        number: Option<String>,
        /// The issuing department's code.
        #[arg(long)]
        agency: String,
        /// The type: regulation, normative, plan, report, notice, interpretation.
        #[arg(long = "type")]
        doc_type: String,
        /// The topic: a category group's code (housing, transport, …).
        #[arg(long)]
        topic: String,
        /// The day it was issued, YYYY-MM-DD.
        #[arg(long)]
        issued_on: String,
        /// zh-CN or en.
        #[arg(long, default_value = "zh-CN")]
        language: String,
        /// A file that comes with it (PDF, DOCX, XLSX or CSV), published under its file name;
        /// repeat for several.
        #[arg(long = "attach")]
        attachments: Vec<PathBuf>,
    },
    /// Copy every case, document and announcement from one database to another, empty one
    /// (a town's SQLite file to the city's PostgreSQL), then check the counts.
    Copy {
        /// The source, e.g. sqlite://data/civic.db.
        #[arg(long)]
        from: String,
        /// The target, e.g. postgres://civic@db.example/civic; must hold no data.
        #[arg(long)]
        to: String,
    },
    /// Move a case along its life, as the staff API would (for demos and operators; recorded
    /// in the audit trail as `civic-server case`).
    #[command(subcommand)]
    Case(CaseCommand),
    /// Staff accounts: add one (its token is printed once), list them, revoke one.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// The outbox of texts and events: how many messages stand where, and sending the dead
    /// letters again.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Back up an SQLite database, photos included (a consistent snapshot while the server
    /// serves), into a new folder, with a manifest of counts and a checksum. PostgreSQL: pg_dump.
    Backup {
        /// The folder to create (it must not exist, or be empty).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup folder into an empty database (`--database-url`, SQLite or
    /// PostgreSQL), after checking it against its manifest.
    Restore {
        /// The backup folder.
        #[arg(long)]
        from: PathBuf,
    },
    /// The working-day calendar (public holidays and make-up working days).
    #[command(subcommand)]
    Holidays(HolidaysCommand),
    /// Write .br and .gz copies of the static files.
    Precompress {
        /// The folder.
        dir: PathBuf,
    },
    /// Print what the built app sends a new visitor, headers included: the first load (`/`)
    /// and a deep link to each page loaded on demand (served as the server serves it).
    Size {
        /// The folder (Trunk's `dist/`).
        dir: PathBuf,
        /// Fail when the first load sends more than this many KiB.
        #[arg(long)]
        budget_kib: Option<usize>,
        /// Fail when a deep link to any page sends more than this many KiB.
        #[arg(long)]
        deep_link_kib: Option<usize>,
        /// Fail when a deep link to a page fetches more than this many wasm files (the main
        /// module and the page's pack or chunks).
        #[arg(long)]
        max_wasm_files: Option<usize>,
    },
}

#[derive(Subcommand)]
enum HolidaysCommand {
    /// Check a calendar file before giving it to the server with --holidays, and print what
    /// it covers.
    Check {
        /// The file (the format is described in the built-in calendar: `holidays show`).
        file: PathBuf,
    },
    /// Print the built-in calendar, whose header describes the format.
    Show,
}

#[derive(Subcommand)]
enum StaffCommand {
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

#[derive(Subcommand)]
enum OutboxCommand {
    /// How many messages each receiver has pending, delivered and dead.
    Status,
    /// Send the dead letters again (their tries start afresh), of one receiver or all.
    Retry {
        /// `sms` or `events`; all when left out.
        #[arg(long)]
        receiver: Option<String>,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
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
    fn into_action(self) -> (String, api::StaffAction) {
        use api::StaffAction as A;
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

/// Reads and checks a working-day calendar file.
fn read_calendar(path: &std::path::Path) -> Result<calendar::Calendar, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    calendar::Calendar::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The size report serves the app to itself: its access log is not news.
    if !matches!(cli.command, Some(Command::Size { .. })) {
        telemetry::init(cli.log_format);
    }
    if let Some(path) = &cli.settings.holidays {
        match read_calendar(path) {
            Ok(calendar) => {
                calendar::install(calendar);
            }
            Err(message) => {
                eprintln!("civic-server: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
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
        Command::Case(command) => act(&cli.settings, command).await,
        Command::Staff(command) => staff(&cli.settings, command).await,
        Command::Outbox(command) => outbox(&cli.settings, command).await,
        Command::Copy { from, to } => copy(&from, &to, &cli.settings.data_dir).await,
        Command::ImportDocument {
            html,
            title,
            number,
            agency,
            doc_type,
            topic,
            issued_on,
            language,
            attachments,
        } => {
            let files = attachments
                .iter()
                .map(|path| {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    std::fs::read(path)
                        .map(|bytes| (name, bytes))
                        .map_err(|e| format!("{}: {e}", path.display()))
                })
                .collect::<Result<Vec<_>, String>>();
            match (std::fs::read_to_string(&html), files) {
                (Ok(html), Ok(attachments)) => {
                    let document = civic_server::import::ImportedDocument {
                        title,
                        number,
                        agency,
                        doc_type,
                        topic,
                        issued_on,
                        language,
                        html,
                        attachments,
                    };
                    import(&cli.settings, document).await
                }
                (Err(e), _) => Err(format!("{}: {e}", html.display())),
                (_, Err(e)) => Err(e),
            }
        }
        Command::Precompress { dir } => web::precompress(&dir)
            .map(|n| println!("compressed {n} files"))
            .map_err(|e| e.to_string()),
        Command::Size {
            dir,
            budget_kib,
            max_wasm_files,
            deep_link_kib,
        } => size(&dir, budget_kib, deep_link_kib, max_wasm_files).await,
        Command::Backup { to } => {
            civic_server::backup::backup(&cli.settings.database_url, &cli.settings.data_dir, &to)
                .await
                .map(|m| {
                    println!(
                        "backed up {} into {} (manifest.json)",
                        m.counts,
                        to.display()
                    )
                })
        }
        Command::Restore { from } => {
            civic_server::backup::restore(&from, &cli.settings.database_url)
                .await
                .map(|m| println!("restored {} from the backup of {}", m.counts, m.taken_at))
        }
        Command::Holidays(HolidaysCommand::Show) => {
            print!("{}", calendar::BUILT_IN);
            Ok(())
        }
        Command::Holidays(HolidaysCommand::Check { file }) => read_calendar(&file).map(|c| {
            for (year, days) in c.years() {
                println!(
                    "{year}: {} days off, {} make-up working days",
                    days.off.len(),
                    days.work.len()
                );
            }
            let missing = c.missing_years(clock::cst_date(clock::now()));
            if !missing.is_empty() {
                println!("not covered yet, and needed now: {missing:?}");
            }
        }),
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
    let (addr, metrics_addr) = (settings.addr, settings.metrics_addr);
    let app = Application::build(settings)
        .await
        .map_err(|e| e.to_string())?;
    if let (Some(port), Some(metrics)) = (app.metrics_port(), metrics_addr) {
        tracing::info!("metrics at http://{}:{port}/metrics", metrics.ip());
    }
    tracing::info!("Civic is listening on http://{}:{}", addr.ip(), app.port());
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn import(
    settings: &Settings,
    document: civic_server::import::ImportedDocument,
) -> Result<(), String> {
    let store = civic_server::storage::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let taxonomy = store.taxonomy().await.map_err(|e| e.to_string())?;
    let meta = civic_server::routes::build_meta(&taxonomy);
    let id = civic_server::import::import_document(store.as_ref(), &meta, document, clock::now())
        .await?;
    println!("published document {id}");
    Ok(())
}

async fn staff(settings: &Settings, command: StaffCommand) -> Result<(), String> {
    let store = civic_server::storage::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    match command {
        StaffCommand::Add {
            name,
            role,
            department,
        } => {
            // On a database no server has opened yet, the taxonomy the server would install.
            store
                .install_taxonomy(&civic_server::taxonomy::chengdu())
                .await
                .map_err(|e| e.to_string())?;
            let taxonomy = store.taxonomy().await.map_err(|e| e.to_string())?;
            let meta = civic_server::routes::build_meta(&taxonomy);
            let added = service::add_staff(
                store.as_ref(),
                &meta,
                &name,
                &role,
                department.as_deref(),
                clock::now(),
            )
            .await
            .map_err(|e| e.to_string())??;
            println!("{added}");
            eprintln!("The token above is shown once: give it to {name}. Only its hash is kept.");
            Ok(())
        }
        StaffCommand::List => {
            let accounts = store.list_staff().await.map_err(|e| e.to_string())?;
            for account in accounts {
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
            Ok(())
        }
        StaffCommand::Revoke { name } => {
            if store
                .revoke_staff(&name, clock::now())
                .await
                .map_err(|e| e.to_string())?
            {
                println!("revoked {name}");
                Ok(())
            } else {
                Err(format!("no active account named {name}"))
            }
        }
    }
}

async fn outbox(settings: &Settings, command: OutboxCommand) -> Result<(), String> {
    use civic_server::domain::notify::Receiver;
    let store = civic_server::storage::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    match command {
        OutboxCommand::Status => {
            let counts = store.outbox_counts().await.map_err(|e| e.to_string())?;
            if counts.is_empty() {
                println!("the outbox is empty");
            }
            let now = clock::now_millis();
            let kept_days = civic_server::service::OUTBOX_KEPT_SECONDS / 86_400;
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
                "messages are deleted {kept_days} days after delivery, or after they were \
                 written when never delivered (dead letters, receivers no longer set)"
            );
            Ok(())
        }
        OutboxCommand::Retry { receiver } => {
            let receiver = receiver
                .map(|code| {
                    Receiver::from_code(&code)
                        .ok_or_else(|| format!("{code:?} is not a receiver (sms or events)"))
                })
                .transpose()?;
            let retried = store
                .retry_dead_letters(receiver, clock::now_millis())
                .await
                .map_err(|e| e.to_string())?;
            println!("{retried} dead letters will be sent again");
            Ok(())
        }
    }
}

async fn act(settings: &Settings, command: CaseCommand) -> Result<(), String> {
    let (number, action) = command.into_action();
    let number = api::CaseNumber::parse(&number).map_err(|e| e.to_string())?;
    let store = civic_server::storage::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let taxonomy = store.taxonomy().await.map_err(|e| e.to_string())?;
    let meta = civic_server::routes::build_meta(&taxonomy);
    // The same service as the staff API's route, so the same checks and rules, and the
    // resident and the city's systems are told the same way (by the servers' workers).
    if settings.endpoints()?.is_empty() {
        eprintln!(
            "note: no --sms-webhook or --events-webhook here: this move texts no resident and \
             tells no system. Run the command with the servers' settings to have it told."
        );
    }
    let actor = civic_server::domain::staff::Actor::Operator;
    match service::act(
        store.as_ref(),
        &meta,
        &settings.notices(&meta),
        &number,
        &action,
        clock::now(),
        &actor,
    )
    .await
    .map_err(|e| e.to_string())?
    {
        Applied::Done(result) => {
            let allowed: Vec<_> = result.allowed.iter().map(|a| a.code()).collect();
            let next = if allowed.is_empty() {
                "nothing".to_owned()
            } else {
                allowed.join(", ")
            };
            println!(
                "{} is now {}; next: {next}",
                result.number,
                result.status.code()
            );
            Ok(())
        }
        Applied::Invalid(errors) => {
            let fields: Vec<_> = errors.fields().map(str::to_owned).collect();
            Err(format!("invalid {}", fields.join(", ")))
        }
        Applied::NotFound => Err(format!("no case {number}")),
        Applied::Forbidden => Err("not allowed".to_owned()),
        Applied::Illegal(illegal) => {
            let allowed: Vec<_> = illegal.allowed.iter().map(|a| a.code()).collect();
            Err(format!(
                "a {} case cannot be given {}; allowed: {}",
                illegal.from.code(),
                illegal.tried.code(),
                if allowed.is_empty() {
                    "nothing".to_owned()
                } else {
                    allowed.join(", ")
                }
            ))
        }
    }
}

async fn copy(from: &str, to: &str, data_dir: &std::path::Path) -> Result<(), String> {
    let started = std::time::Instant::now();
    let source = civic_server::storage::open(from)
        .await
        .map_err(|e| format!("{from}: {e}"))?;
    // Photos the source's server kept as files (before they moved into the database) come too.
    civic_server::photos::adopt_files(source.as_ref(), data_dir).await?;
    let target = civic_server::storage::open(to)
        .await
        .map_err(|e| format!("{to}: {e}"))?;
    let copied = civic_server::copy::copy(source.as_ref(), target.as_ref()).await?;
    println!(
        "copied {} cases, {} uploads, {} documents with {} attachments, {} announcements \
         in {:.1} s; the counts match",
        copied.cases,
        copied.uploads,
        copied.documents,
        copied.attachments,
        copied.announcements,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn seed(settings: &Settings, size: demo::DemoSize) -> Result<(), String> {
    let started = std::time::Instant::now();
    demo::seed_new_database(&settings.database_url, size).await?;
    println!(
        "seeded {} cases, {} documents, {} announcements in {:.1} s",
        size.cases,
        size.documents,
        size.announcements,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn size(
    dir: &std::path::Path,
    budget_kib: Option<usize>,
    deep_link_kib: Option<usize>,
    max_wasm_files: Option<usize>,
) -> Result<(), String> {
    let report = civic_server::size::measure(dir).await?;
    let kib = |n: usize| n as f64 / 1024.0;
    let first = &report.first_load;
    println!("What a new visitor's browser is sent (brotli, with each answer's headers):");
    println!();
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "first load (/)", "raw KiB", "sent KiB", "headers"
    );
    for t in &first.transfers {
        println!(
            "{:<44} {:>9.1} {:>9.1} {:>9}",
            t.name,
            kib(t.raw),
            kib(t.headers + t.body),
            t.headers
        );
    }
    println!(
        "{:<44} {:>9.1} {:>9.1} {:>9}",
        "total",
        kib(first.transfers.iter().map(|t| t.raw).sum()),
        kib(first.sent()),
        first.headers()
    );
    if !report.deep_links.is_empty() {
        println!();
        println!(
            "{:<15} {:<21} {:>9} {:>5} {:>9} {:>12}",
            "deep link", "path", "requests", "wasm", "sent KiB", "headers KiB"
        );
    }
    for visit in &report.deep_links {
        println!(
            "{:<15} {:<21} {:>9} {:>5} {:>9.1} {:>12.1}",
            visit.name,
            visit.path,
            visit.transfers.len(),
            visit.wasm_files(),
            kib(visit.sent()),
            kib(visit.headers())
        );
    }
    for part in &report.later {
        println!(
            "then, when the resident goes on in `{}`: `{}` sends {:.1} KiB more ({} request)",
            part.page,
            part.name,
            kib(part.transfers.iter().map(|t| t.headers + t.body).sum()),
            part.transfers.len()
        );
    }
    println!("(the API's answers, which depend on the data, and the icon come on top)");
    if let Some(budget) = budget_kib {
        if first.sent() > budget * 1024 {
            return Err(format!(
                "the first load sends {:.1} KiB, over the {budget} KiB budget",
                kib(first.sent())
            ));
        }
        println!(
            "first load within the {budget} KiB budget ({:.0}% used)",
            100.0 * kib(first.sent()) / budget as f64
        );
    }
    if let Some(budget) = deep_link_kib {
        if let Some(visit) = report.deep_links.iter().find(|v| v.sent() > budget * 1024) {
            return Err(format!(
                "opened directly, `{}` ({}) sends {:.1} KiB, over the {budget} KiB budget",
                visit.name,
                visit.path,
                kib(visit.sent())
            ));
        }
        println!("every deep link within {budget} KiB");
    }
    if let Some(most) = max_wasm_files {
        if let Some(visit) = report.deep_links.iter().find(|v| v.wasm_files() > most) {
            return Err(format!(
                "opened directly, `{}` fetches {} wasm files, more than {most}",
                visit.name,
                visit.wasm_files()
            ));
        }
        println!("every deep link fetches at most {most} wasm files");
    }
    Ok(())
}
