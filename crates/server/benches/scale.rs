//! The server at scale, as a benchmark (not a timed test): seeds `CIVIC_BENCH_CASES` demo
//! cases (default 1,000,000) and `CIVIC_BENCH_DOCUMENTS` documents (default 100,000) into an
//! SQLite file and, when a PostgreSQL server is at hand (`CIVIC_TEST_POSTGRES`, which `make
//! bench` provides through `scripts/with-postgres.sh` with a cluster kept under
//! `target/bench/pg`), into a PostgreSQL database; both are reused on later runs. For each
//! store it starts the release server on loopback and reports, for each public request the
//! issues name, the request rate and the p50/p99 latency seen by `CIVIC_BENCH_CONCURRENCY`
//! clients (default 4) sending `CIVIC_BENCH_REQUESTS` requests each (default 500), then
//! durable filings per second from 16 clients; on PostgreSQL, one server process versus two
//! (reads and filings); then both stores side by side.
//! `CIVIC_BENCH_DB=sqlite` or `postgres` runs one store only.
//!
//! `make bench` runs it. Seeding a million cases takes a quarter of an hour or so once per
//! store.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api::{CaseSummary, Page};
use civic_server::config::Settings;
use civic_server::demo::{self, DemoSize};
use civic_server::startup::Application;

#[path = "../tests/support/process.rs"]
#[allow(dead_code)] // its log is for the tests
mod process;

use process::ServerProcess;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// One scenario's figures: requests per second, p50 and p99 in milliseconds.
type Figures = (f64, f64, f64);

#[tokio::main]
async fn main() {
    let cases = setting("CIVIC_BENCH_CASES", 1_000_000);
    let documents = setting("CIVIC_BENCH_DOCUMENTS", 100_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let only = std::env::var("CIVIC_BENCH_DB").unwrap_or_default();
    let mut runs: Vec<(&str, Vec<(String, Figures)>)> = Vec::new();
    if only.is_empty() || only == "sqlite" {
        let file = dir.join(format!("cases-{cases}-documents-{documents}.db"));
        let url = format!("sqlite://{}", file.display());
        if file.exists() {
            println!("SQLite: reusing {}", file.display());
        } else {
            seed(&url, cases, documents).await;
        }
        runs.push(("SQLite", run(&url, &dir, cases, documents).await));
    }
    if only.is_empty() || only == "postgres" {
        match std::env::var("CIVIC_TEST_POSTGRES") {
            Ok(admin) => {
                let url = postgres_database(&admin, cases, documents).await;
                runs.push(("PostgreSQL", run(&url, &dir, cases, documents).await));
            }
            Err(_) if only == "postgres" => {
                panic!("CIVIC_BENCH_DB=postgres needs CIVIC_TEST_POSTGRES (make bench sets it)")
            }
            Err(_) => println!("\nno PostgreSQL server (CIVIC_TEST_POSTGRES): SQLite only"),
        }
    }
    if runs.len() == 2 {
        println!("\nside by side: p50 / p99 ms (req/s)\n");
        println!("{:<44} {:>24} {:>24}", "request", runs[0].0, runs[1].0);
        for ((name, a), (_, b)) in runs[0].1.iter().zip(&runs[1].1) {
            let cell = |(rate, p50, p99): &Figures| format!("{p50:.2} / {p99:.2} ({rate:.0})");
            println!("{name:<44} {:>24} {:>24}", cell(a), cell(b));
        }
    }
}

/// Seeds a new database at `url`.
async fn seed(url: &str, cases: usize, documents: usize) {
    println!("seeding {cases} cases and {documents} documents into {url} …");
    let started = Instant::now();
    let size = DemoSize {
        cases,
        documents,
        ..DemoSize::default()
    };
    if let Err(e) = demo::seed_new_database(url, size).await {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let _ = std::fs::remove_file(path);
        }
        panic!("seeding failed: {e}");
    }
    println!("seeded in {:.0} s", started.elapsed().as_secs_f64());
}

/// The bench database on the PostgreSQL server `admin` names, created and seeded if missing.
async fn postgres_database(admin: &str, cases: usize, documents: usize) -> String {
    use sqlx::Connection;
    let name = format!("civic_bench_{cases}_{documents}");
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    let url = format!("{base}/{name}");
    let mut connection = sqlx::PgConnection::connect(admin)
        .await
        .expect("PostgreSQL");
    // A database whose seeding did not finish is marked by the missing comment.
    let seeded: Option<Option<String>> = sqlx::query_scalar(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
    )
    .bind(&name)
    .fetch_optional(&mut connection)
    .await
    .unwrap();
    match seeded {
        Some(Some(_)) => println!("PostgreSQL: reusing database {name}"),
        other => {
            if other.is_some() {
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
                    .execute(&mut connection)
                    .await
                    .unwrap();
            }
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut connection)
                .await
                .unwrap();
            seed(&url, cases, documents).await;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "COMMENT ON DATABASE {name} IS 'seeded'"
            )))
            .execute(&mut connection)
            .await
            .unwrap();
        }
    }
    url
}

/// Starts the server on `url` and runs every scenario; returns each one's figures.
async fn run(url: &str, dir: &Path, cases: usize, documents: usize) -> Vec<(String, Figures)> {
    let requests = setting("CIVIC_BENCH_REQUESTS", 500);
    let concurrency = setting("CIVIC_BENCH_CONCURRENCY", 4).max(1);
    let mut settings = Settings::for_tests(url.to_owned(), dir.join("dist"), dir.join("data"));
    settings.demo = false;
    // The filing scenario sends thousands of cases from one address.
    settings.filing_rate = civic_server::ratelimit::parse_rate("1000000000/1").unwrap();
    let started = Instant::now();
    let app = Application::build(settings)
        .await
        .expect("the server starts");
    println!(
        "\nserver on {url} started in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let today = civic_server::clock::cst_date(civic_server::clock::now());
    let three_years_ago = civic_server::clock::iso_date(today - time::Duration::days(3 * 365));
    let today = civic_server::clock::iso_date(today);
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    // The statistics of days not yet counted (every day, on a new database) are counted in
    // the background from start-up; requests answer meanwhile and say how many days wait.
    let counting = Instant::now();
    let first: api::Stats = get_json(&client, &format!("{base}/api/v1/stats")).await;
    println!(
        "first statistics answer after {:.2} s, {} days not counted yet",
        counting.elapsed().as_secs_f64(),
        first.uncounted_days
    );
    loop {
        let stats: api::Stats = get_json(&client, &format!("{base}/api/v1/stats")).await;
        if stats.uncounted_days == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "statistics all counted after {:.1} s",
        counting.elapsed().as_secs_f64()
    );

    // What the scenarios need: a published case, and a cursor a thousand pages deep.
    let first: Page<CaseSummary> = get_json(&client, &format!("{base}/api/v1/cases")).await;
    let number = first
        .items
        .first()
        .expect("published cases")
        .number
        .to_string();
    let mut cursor = first.next_cursor.clone();
    let walk = Instant::now();
    for _ in 1..1000 {
        let Some(c) = cursor else { break };
        let page: Page<CaseSummary> =
            get_json(&client, &format!("{base}/api/v1/cases?cursor={c}")).await;
        cursor = page.next_cursor;
    }
    let deep = cursor.expect("a thousand pages of published cases");
    println!(
        "walked 1,000 pages in {:.1} s ({:.2} ms a page)",
        walk.elapsed().as_secs_f64(),
        walk.elapsed().as_secs_f64() * 1e3 / 1000.0
    );

    let scenarios = [
        ("board, first page", "/api/v1/cases".to_owned()),
        (
            "board, 1,000 pages deep",
            format!("/api/v1/cases?cursor={deep}"),
        ),
        (
            "board, filtered (district+status+category)",
            "/api/v1/cases?district=wuhou&status=replied&category=environment".to_owned(),
        ),
        (
            "board, recently replied",
            "/api/v1/cases?sort=replied".to_owned(),
        ),
        ("search 噪音 (2 chars)", "/api/v1/cases?q=噪音".to_owned()),
        (
            "search 停车难 (3 chars)",
            "/api/v1/cases?q=停车难".to_owned(),
        ),
        (
            "search 施工噪音 (4 chars)",
            "/api/v1/cases?q=施工噪音".to_owned(),
        ),
        ("search noise (English)", "/api/v1/cases?q=noise".to_owned()),
        (
            "similar cases to a title",
            "/api/v1/cases/similar?text=夜间施工噪音扰民".to_owned(),
        ),
        ("a case's page", format!("/api/v1/cases/{number}")),
        (
            "documents, catalogue first page",
            "/api/v1/documents".to_owned(),
        ),
        (
            "documents, search 医疗 (2 chars)",
            "/api/v1/documents?q=医疗".to_owned(),
        ),
        (
            "documents, search 一网通 (3 chars)",
            "/api/v1/documents?q=一网通".to_owned(),
        ),
        (
            "documents, search 政务服务 (4 chars)",
            "/api/v1/documents?q=政务服务".to_owned(),
        ),
        (
            "documents, search residents (English)",
            "/api/v1/documents?q=residents".to_owned(),
        ),
        (
            "announcements, search 停水",
            "/api/v1/announcements?q=停水".to_owned(),
        ),
        ("statistics, this month", "/api/v1/stats".to_owned()),
        (
            "statistics, last 12 months",
            "/api/v1/stats?period=last_12_months".to_owned(),
        ),
        (
            "statistics, last 12 months, one district",
            "/api/v1/stats?period=last_12_months&district=wuhou".to_owned(),
        ),
        (
            "statistics, custom 3 years",
            format!("/api/v1/stats?period=custom&from={three_years_ago}&to={today}"),
        ),
    ];
    println!(
        "\n{url}: {cases} cases, {documents} documents; {concurrency} clients × {requests} requests per scenario, loopback, release build\n"
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "request", "req/s", "p50 ms", "p99 ms"
    );
    // `CIVIC_BENCH_ONLY=statistics` runs only the scenarios whose name holds that text.
    let only = std::env::var("CIVIC_BENCH_ONLY").unwrap_or_default();
    let mut figures = Vec::new();
    for (name, path) in scenarios {
        if !name.contains(only.as_str()) {
            continue;
        }
        let url = format!("{base}{path}");
        for _ in 0..20 {
            get_ok(&client, &url).await;
        }
        let row = load(concurrency, requests, {
            let client = client.clone();
            move |_, _| {
                let (client, url) = (client.clone(), url.clone());
                async move { get_ok(&client, &url).await }
            }
        })
        .await;
        println!(
            "{:<44} {:>10.0} {:>10.2} {:>10.2}",
            name, row.0, row.1, row.2
        );
        figures.push((name.to_owned(), row));
    }
    if "filings".contains(only.as_str()) {
        let row = filings(
            &client,
            std::slice::from_ref(&base),
            16,
            setting("CIVIC_BENCH_FILINGS", 250),
        )
        .await;
        println!(
            "{:<44} {:>10.0} {:>10.2} {:>10.2}",
            "durable filings, 16 clients", row.0, row.1, row.2
        );
        figures.push(("durable filings, 16 clients".to_owned(), row));
    }
    if url.starts_with("postgres") && "processes".contains(only.as_str()) {
        processes(url, dir, &number).await;
    }
    figures
}

/// One process versus two on this PostgreSQL database, each a release `civic-server` of its
/// own (the in-process server above idles meanwhile): a mix of reads (the board, a case's
/// page, a search, the catalogue, the statistics, in turn) and durable filings, the same
/// clients spread over the processes as a balancer would.
async fn processes(url: &str, dir: &Path, number: &str) {
    let readers = setting("CIVIC_BENCH_PROCESS_CLIENTS", 8);
    let requests = setting("CIVIC_BENCH_REQUESTS", 500);
    let paths: Arc<[String]> = [
        "/api/v1/cases".to_owned(),
        format!("/api/v1/cases/{number}"),
        "/api/v1/cases?q=噪音".to_owned(),
        "/api/v1/documents".to_owned(),
        "/api/v1/stats".to_owned(),
    ]
    .into();
    let client = reqwest::Client::new();
    println!(
        "\n{url}: separate server processes; reads: {readers} clients × {requests} requests \
         (board, case page, search, catalogue, statistics in turn); filings: 16 clients\n"
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "processes", "req/s", "p50 ms", "p99 ms"
    );
    for count in [1usize, 2] {
        let mut servers = Vec::new();
        // Every process files with the key the in-process server made for these databases.
        let key = dir.join("data").join("filing.key").display().to_string();
        for i in 0..count {
            let (data, dist) = (dir.join(format!("data-{i}")), dir.join("dist"));
            servers.push(
                ServerProcess::start(
                    env!("CARGO_BIN_EXE_civic-server"),
                    &["--filing-rate", "1000000000/1", "serve"],
                    &[
                        ("CIVIC_ADDR", "127.0.0.1:0"),
                        ("DATABASE_URL", url),
                        ("CIVIC_DATA_DIR", &data.display().to_string()),
                        ("CIVIC_FILING_KEY_FILE", &key),
                        ("CIVIC_STATIC_DIR", &dist.display().to_string()),
                        ("RUST_LOG", "info"),
                    ],
                    dir.join(format!("process-{i}.log")),
                )
                .await,
            );
        }
        let bases: Arc<[String]> = servers.iter().map(|s| s.address.clone()).collect();
        for base in bases.iter() {
            for path in paths.iter() {
                get_ok(&client, &format!("{base}{path}")).await;
            }
        }
        let reads = load(readers, requests, {
            let (client, bases, paths) = (client.clone(), bases.clone(), paths.clone());
            move |c, n| {
                let url = format!("{}{}", bases[(c + n) % bases.len()], paths[n % paths.len()]);
                let client = client.clone();
                async move { get_ok(&client, &url).await }
            }
        })
        .await;
        let filed = filings(&client, &bases, 16, setting("CIVIC_BENCH_FILINGS", 250)).await;
        for (name, row) in [("reads (mix)", reads), ("durable filings", filed)] {
            println!(
                "{:<44} {:>10.0} {:>10.2} {:>10.2}",
                format!(
                    "{name}, {count} process{}",
                    if count == 1 { "" } else { "es" }
                ),
                row.0,
                row.1,
                row.2
            );
        }
    }
}

/// `clients` clients each filing `each` cases through the servers at `bases`, every one with
/// its own idempotency key: filings per second and p50/p99 of the 201s (each durable before
/// it is answered).
async fn filings(
    client: &reqwest::Client,
    bases: &[String],
    clients: usize,
    each: usize,
) -> Figures {
    let case = serde_json::json!({
        "kind": "complaint", "category": "environment.noise", "district": "wuhou",
        "place": "人民南路四段12号", "title": "夜间施工噪音扰民",
        "description": "每晚十一点以后工地仍在施工，噪音很大，影响休息。",
        "contact": { "name": "王小明", "phone": "13912345678" },
        "publish": true, "privacy_accepted": true
    });
    // Keys unique to this run: the database is reused by later runs.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let bases: Vec<String> = bases.to_vec();
    let client = client.clone();
    load(clients, each, move |c, n| {
        let (client, case) = (client.clone(), case.clone());
        // Clients spread over the processes as a balancer would.
        let url = format!("{}/api/v1/cases", bases[(c + n) % bases.len()]);
        async move {
            let response = client
                .post(&url)
                .header("Idempotency-Key", format!("bench-{run}-{c}-{n}"))
                .json(&case)
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status(), 201, "a filing is accepted");
        }
    })
    .await
}

/// `clients` tasks each sending `each` requests (`request(client, n)`) one after another:
/// requests per second over the whole run, and p50/p99 latency.
async fn load<F, R>(clients: usize, each: usize, request: F) -> Figures
where
    F: Fn(usize, usize) -> R + Clone + Send + 'static,
    R: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut seen = Vec::with_capacity(each);
                for n in 0..each {
                    let at = Instant::now();
                    request(c, n).await;
                    seen.push(at.elapsed());
                }
                seen
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    let wall = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    (
        latencies.len() as f64 / wall,
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
    )
}

async fn get_ok(client: &reqwest::Client, url: &str) {
    let response = client.get(url).send().await.expect("an answer");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.bytes().await.expect("a body");
}

async fn get_json<T: serde::de::DeserializeOwned>(client: &reqwest::Client, url: &str) -> T {
    let response = client.get(url).send().await.expect("an answer");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.json().await.expect("JSON")
}
