//! The commands that put data in or take it out: `demo`, `import-document`, `copy`,
//! `backup`, `restore`.

use std::path::PathBuf;
use std::time::Instant;

use civic_server::config::Settings;
use civic_server::{clock, demo};
use clap::Args;

use super::{Failure, Outcome};

/// `demo`: fill an empty database with generated demo data, for demos and benchmarks.
#[derive(Args)]
pub struct DemoArgs {
    /// How many cases.
    #[arg(long, default_value_t = 300)]
    cases: usize,
    /// How many documents.
    #[arg(long, default_value_t = 120)]
    documents: usize,
    /// How many announcements.
    #[arg(long, default_value_t = 60)]
    announcements: usize,
}

pub async fn demo(settings: &Settings, args: DemoArgs) -> Outcome {
    let started = Instant::now();
    let size = demo::DemoSize {
        cases: args.cases,
        documents: args.documents,
        announcements: args.announcements,
    };
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

/// `import-document`: publish a document whose body is an HTML file, sanitised into
/// plain-text blocks.
#[derive(Args)]
pub struct ImportArgs {
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
}

/// Reads `path`, naming it when it cannot.
fn read(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

pub async fn import(settings: &Settings, args: ImportArgs) -> Outcome {
    let html = std::fs::read_to_string(&args.html)
        .map_err(|e| Failure(format!("{}: {e}", args.html.display())))?;
    let attachments = args
        .attachments
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, read(path)?))
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let document = civic_server::import::ImportedDocument {
        title: args.title,
        number: args.number,
        agency: args.agency,
        doc_type: args.doc_type,
        topic: args.topic,
        issued_on: args.issued_on,
        language: args.language,
        html,
        attachments,
    };
    let (store, meta) = super::open_with_meta(settings).await?;
    let id = civic_server::import::import_document(store.as_ref(), &meta, document, clock::now())
        .await?;
    println!("published document {id}");
    Ok(())
}

/// `copy`: copy every case, document and announcement from one database to another, empty
/// one (a town's SQLite file to the city's PostgreSQL), then check the counts.
#[derive(Args)]
pub struct CopyArgs {
    /// The source, e.g. sqlite://data/civic.db.
    #[arg(long)]
    from: String,
    /// The target, e.g. postgres://civic@db.example/civic; must hold no data.
    #[arg(long)]
    to: String,
}

pub async fn copy(settings: &Settings, args: CopyArgs) -> Outcome {
    let started = Instant::now();
    let source = civic_server::storage::open(&args.from)
        .await
        .map_err(|e| Failure(format!("{}: {e}", args.from)))?;
    // Photos the source's server kept as files (before they moved into the database) come too.
    civic_server::photos::adopt_files(source.as_ref(), &settings.data_dir).await?;
    let target = civic_server::storage::open(&args.to)
        .await
        .map_err(|e| Failure(format!("{}: {e}", args.to)))?;
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

/// `backup`: back up an SQLite database, photos included (a consistent snapshot while the
/// server serves), into a new folder, with a manifest of counts and a checksum.
/// PostgreSQL: pg_dump.
#[derive(Args)]
pub struct BackupArgs {
    /// The folder to create (it must not exist, or be empty).
    #[arg(long)]
    to: PathBuf,
}

pub async fn backup(settings: &Settings, args: BackupArgs) -> Outcome {
    let manifest =
        civic_server::backup::backup(&settings.database_url, &settings.data_dir, &args.to).await?;
    println!(
        "backed up {} into {} (manifest.json)",
        manifest.counts,
        args.to.display()
    );
    Ok(())
}

/// `restore`: restore a backup folder into an empty database (`--database-url`, SQLite or
/// PostgreSQL), after checking it against its manifest.
#[derive(Args)]
pub struct RestoreArgs {
    /// The backup folder.
    #[arg(long)]
    from: PathBuf,
}

pub async fn restore(settings: &Settings, args: RestoreArgs) -> Outcome {
    let manifest = civic_server::backup::restore(&args.from, &settings.database_url).await?;
    println!(
        "restored {} from the backup of {}",
        manifest.counts, manifest.taken_at
    );
    Ok(())
}
