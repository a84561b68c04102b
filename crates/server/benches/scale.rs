//! The server at scale, as a benchmark (not a timed test): seeds a SQLite file with
//! `CIVIC_BENCH_CASES` demo cases (default 1,000,000) and `CIVIC_BENCH_DOCUMENTS` documents
//! (default 100,000), reused when the file already exists, starts the release server on loopback and reports, for each public request the
//! issues name, the request rate and the p50/p99 latency seen by `CIVIC_BENCH_CONCURRENCY`
//! clients (default 4) sending `CIVIC_BENCH_REQUESTS` requests each (default 500).
//!
//! `make bench` runs it. Seeding a million cases takes about a quarter of an hour once; the
//! file stays under `target/bench/` for later runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use api::{CaseSummary, Page};
use civic_server::config::Settings;
use civic_server::demo::{self, DemoSize};
use civic_server::startup::Application;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let cases = setting("CIVIC_BENCH_CASES", 1_000_000);
    let documents = setting("CIVIC_BENCH_DOCUMENTS", 100_000);
    let requests = setting("CIVIC_BENCH_REQUESTS", 500);
    let concurrency = setting("CIVIC_BENCH_CONCURRENCY", 4).max(1);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let file = dir.join(format!("cases-{cases}-documents-{documents}.db"));
    let url = format!("sqlite://{}", file.display());
    if file.exists() {
        println!("reusing {}", file.display());
    } else {
        println!(
            "seeding {cases} cases and {documents} documents into {} …",
            file.display()
        );
        let started = Instant::now();
        let size = DemoSize {
            cases,
            documents,
            ..DemoSize::default()
        };
        if let Err(e) = demo::seed_new_database(&url, size).await {
            let _ = std::fs::remove_file(&file);
            panic!("seeding failed: {e}");
        }
        println!("seeded in {:.0} s", started.elapsed().as_secs_f64());
    }

    let mut settings = Settings::for_tests(url, dir.join("dist"), dir.join("data"));
    settings.demo = false;
    let started = Instant::now();
    let app = Application::build(settings)
        .await
        .expect("the server starts");
    println!("server started in {:.1} s", started.elapsed().as_secs_f64());
    let today = civic_server::clock::cst_date(civic_server::clock::now());
    let three_years_ago = civic_server::clock::iso_date(today - time::Duration::days(3 * 365));
    let today = civic_server::clock::iso_date(today);
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    // The statistics of days not yet counted (every day, on a fresh database) are counted in
    // the background from start-up; the first request waits for the rest.
    let counting = Instant::now();
    get_ok(&client, &format!("{base}/api/v1/stats")).await;
    println!(
        "statistics counted by the first request after {:.1} s",
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
        "\n{cases} cases, {documents} documents; {concurrency} clients × {requests} requests per scenario, loopback, release build\n"
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "request", "req/s", "p50 ms", "p99 ms"
    );
    // `CIVIC_BENCH_ONLY=statistics` runs only the scenarios whose name holds that text.
    let only = std::env::var("CIVIC_BENCH_ONLY").unwrap_or_default();
    for (name, path) in scenarios {
        if !name.contains(only.as_str()) {
            continue;
        }
        let url = format!("{base}{path}");
        for _ in 0..20 {
            get_ok(&client, &url).await;
        }
        let started = Instant::now();
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let client = client.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    let mut seen = Vec::with_capacity(requests);
                    for _ in 0..requests {
                        let at = Instant::now();
                        get_ok(&client, &url).await;
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
        println!(
            "{:<44} {:>10.0} {:>10.2} {:>10.2}",
            name,
            latencies.len() as f64 / wall,
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3
        );
    }
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
