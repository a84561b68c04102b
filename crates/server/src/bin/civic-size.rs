//! `civic-size`: what the built app sends a new visitor, headers included: the first load
//! (`/`) and a deep link to each page loaded on demand, served through the server's own
//! router (`civic_server::size`). A build tool, kept out of the production binary; `make
//! test` fails through it when the app passes its budgets.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "civic-size",
    version,
    about = "Print what the built app sends a new visitor, headers included: the first load (/) and a deep link to each page loaded on demand (served as the server serves it)"
)]
struct Args {
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
}

#[tokio::main]
async fn main() -> ExitCode {
    // No log: the report serves the app to itself, and its access log is not news.
    match report(&Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("civic-size: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Measures `args.dir`, prints the report and checks the budgets.
async fn report(args: &Args) -> Result<(), String> {
    let (dir, budget_kib, deep_link_kib, max_wasm_files) = (
        &args.dir,
        args.budget_kib,
        args.deep_link_kib,
        args.max_wasm_files,
    );
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
