//! What an operator's tools ask: liveness, readiness, and the metrics on their own port.

use serde_json::Value;

use crate::filing::valid_case;
use crate::helpers::TestApp;

async fn not_ready(app: &TestApp) -> Value {
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    response.json().await.unwrap()
}

#[tokio::test]
async fn ready_only_when_the_database_is_at_this_build_s_migrations() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], true);
    assert_eq!(body["migrations"]["missing"], serde_json::json!([]));
    assert_eq!(body["migrations"]["unknown"], serde_json::json!([]));
    // The built-in calendar: what it lacks now is said, and is not fatal.
    let missing = civic_server::calendar::Calendar::built_in()
        .missing_years(civic_server::clock::cst_date(civic_server::clock::now()));
    assert_eq!(body["calendar_missing_years"], serde_json::json!(missing));

    // A database a newer build migrated, and one missing a migration: not ready, and why.
    let pool = app.pool().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
         SELECT 99990101000000, 'from a newer build', installed_on, success, checksum, execution_time \
         FROM _sqlx_migrations ORDER BY version LIMIT 1",
    )
    .execute(&pool)
    .await
    .unwrap();
    let body: Value = not_ready(&app).await;
    assert_eq!(body["status"], "not_ready");
    assert_eq!(
        body["migrations"]["unknown"],
        serde_json::json!([99990101000000i64])
    );
    let first: i64 = sqlx::query_scalar("SELECT MIN(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version IN ($1, 99990101000000)")
        .bind(first)
        .execute(&pool)
        .await
        .unwrap();
    let body: Value = not_ready(&app).await;
    assert_eq!(body["migrations"]["missing"], serde_json::json!([first]));
    // Alive all the same.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn metrics_are_served_on_their_own_port_only() {
    let app = TestApp::spawn_custom(false, None, |settings| {
        settings.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    assert_eq!(app.post_case(&valid_case(), None).await.status(), 201);
    assert_eq!(app.get("/api/v1/meta").await.status(), 200);
    // Not on the public port (there `/metrics` is just a path of the app).
    let public = app.get("/metrics").await.text().await.unwrap();
    assert!(!public.contains("civic_"), "{public}");
    let metrics = app.metrics_address.clone().expect("a metrics listener");
    let response = app
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    // The recorder is the process's: other tests' requests may be counted too, so this
    // looks for the lines this test's requests must have made, not exact totals.
    for line in [
        "civic_http_requests_total{method=\"POST\",route=\"/api/v1/cases\",status=\"201\"}",
        "civic_http_requests_total{method=\"GET\",route=\"/api/v1/meta\",status=\"200\"}",
        "civic_http_request_duration_seconds_bucket{route=\"/api/v1/meta\",le=\"0.005\"}",
        "civic_filings_total",
        "civic_db_pool_connections",
        "civic_db_pool_acquire_seconds",
        "civic_db_up 1",
        "civic_calendar_missing_years",
        "civic_build_info{version=\"",
    ] {
        assert!(text.contains(line), "no {line} in:\n{text}");
    }
    let requests: f64 = text
        .lines()
        .find(|l| {
            l.starts_with(
                "civic_http_requests_total{method=\"POST\",route=\"/api/v1/cases\",status=\"201\"}",
            )
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(requests >= 1.0);
}

/// The systemd unit in `deploy/` passes `systemd-analyze verify` (where that tool exists),
/// pointed at this build's binary and the example settings file.
#[test]
fn the_systemd_unit_verifies() {
    let Ok(tool) = which("systemd-analyze") else {
        eprintln!("systemd-analyze not found: the unit is not verified here");
        return;
    };
    let deploy = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .canonicalize()
        .unwrap();
    let unit = std::fs::read_to_string(deploy.join("civic-server.service")).unwrap();
    let unit = unit
        .replace(
            "/usr/local/bin/civic-server",
            env!("CARGO_BIN_EXE_civic-server"),
        )
        .replace(
            "/etc/civic/civic.env",
            deploy.join("civic.env").to_str().unwrap(),
        );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("civic-server.service");
    std::fs::write(&path, unit).unwrap();
    let output = std::process::Command::new(tool)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && said.trim().is_empty(), "{said}");
}

pub(crate) fn which(tool: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(tool))
        .find(|path| path.is_file())
        .ok_or(())
}
