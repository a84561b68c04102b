//! The server's log, as an operator collects it: the real binary run as a process with
//! `--log-format json` at DEBUG, its standard error captured. One access line per request
//! with its request id; and nothing private in any line, whatever the requests carried.

use std::process::Command;
use std::time::Duration;

use api::CaseReceipt;
use serde_json::{Value, json};

use crate::filing::valid_case;
use crate::helpers::new_database;
use crate::process::ServerProcess;

/// The binary running on a fresh database, with its log in JSON.
pub(crate) struct Process {
    server: ServerProcess,
    address: String,
    /// Its database.
    database: String,
    _dir: tempfile::TempDir,
}

impl Process {
    pub(crate) async fn start(staff_token: &str, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = new_database(dir.path()).await;
        let (data, dist) = (dir.path().display().to_string(), dir.path().join("dist"));
        let args: Vec<&str> = extra
            .iter()
            .copied()
            .chain(["serve", "--log-format", "json"])
            .collect();
        let server = ServerProcess::start(
            env!("CARGO_BIN_EXE_civic-server"),
            &args,
            &[
                ("CIVIC_ADDR", "127.0.0.1:0"),
                ("DATABASE_URL", database.as_str()),
                ("CIVIC_DATA_DIR", data.as_str()),
                ("CIVIC_STATIC_DIR", &dist.display().to_string()),
                ("CIVIC_STAFF_TOKEN", staff_token),
                ("RUST_LOG", "debug"),
            ],
            dir.path().join("server.log"),
        )
        .await;
        Self {
            address: server.address.clone(),
            server,
            database,
            _dir: dir,
        }
    }

    /// Stops the process and returns its whole log.
    pub(crate) fn stop(mut self) -> String {
        self.server.kill();
        self.server.log()
    }
}

#[tokio::test]
async fn the_log_has_a_line_per_request_and_nothing_private() {
    let token = "planted-staff-token-9c1e4d-0123456789abcdef";
    let server = Process::start(token, &[]).await;
    let client = reqwest::Client::new();
    let base = server.address.clone();

    let (name, phone, description, comment) = (
        "蒋秘密",
        "13912345678",
        "PLANTED-DESCRIPTION-7f3a：每晚施工噪音很大，影响休息。",
        "PLANTED-COMMENT-51c0",
    );
    let mut case = valid_case();
    case["contact"] = json!({ "name": name, "phone": "139 1234 5678" });
    case["description"] = json!(description);
    let response = client
        .post(format!("{base}/api/v1/cases"))
        .header("x-request-id", "planted-request-0001")
        .json(&case)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-request-id"], "planted-request-0001");
    let receipt: CaseReceipt = response.json().await.unwrap();
    let number = receipt.number.to_string();
    let code = receipt.tracking_code.clone();

    // A department's account, made as an operator makes one: its token is printed once.
    let added = Command::new(env!("CARGO_BIN_EXE_civic-server"))
        .args([
            "staff",
            "add",
            "生态局值班",
            "--role",
            "department",
            "--department",
            "ecology",
        ])
        .env("DATABASE_URL", &server.database)
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let department_token = String::from_utf8(added.stdout).unwrap().trim().to_owned();
    let act = |body: Value, token: &str| {
        client
            .post(format!("{base}/api/v1/staff/cases/{number}/actions"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    for (body, token) in [
        (json!({"action": "accept"}), token),
        (json!({"action": "assign", "department": "ecology"}), token),
        (
            json!({"action": "reply", "text": "已责令施工单位停止夜间施工。"}),
            department_token.as_str(),
        ),
    ] {
        assert_eq!(act(body, token).await.unwrap().status(), 200);
    }
    // A wrong token, and the owner's view with the tracking code.
    let refused = client
        .post(format!("{base}/api/v1/staff/cases/{number}/actions"))
        .bearer_auth("planted-wrong-token-0b7e")
        .json(&json!({"action": "close"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let owner = client
        .get(format!("{base}/api/v1/cases/{number}"))
        .header("X-Tracking-Code", &code)
        .send()
        .await
        .unwrap();
    assert_eq!(owner.status(), 200);
    let rated = client
        .post(format!("{base}/api/v1/cases/{number}/rating"))
        .json(&json!({"tracking_code": code, "rating": "satisfied", "comment": comment}))
        .send()
        .await
        .unwrap();
    assert_eq!(rated.status(), 200);
    // Refused requests that carry private values too.
    let mut bad = valid_case();
    bad["contact"] = json!({ "name": name, "phone": "12345" });
    let response = client
        .post(format!("{base}/api/v1/cases"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let made_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(made_id.len(), 16, "a request id is made when none is sent");

    // Let the access lines of the last answers be written.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = server.stop();
    for secret in [
        name,
        phone,
        "139 1234 5678",
        "1234 5678",
        "PLANTED-DESCRIPTION",
        comment,
        token,
        &department_token,
        "生态局值班",
        "planted-wrong-token",
        code.as_str(),
        &code.replace('-', ""),
    ] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }

    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).expect("every log line is JSON"))
        .collect();
    let access: Vec<&Value> = lines
        .iter()
        .filter(|l| l["target"] == "civic_server::access")
        .collect();
    assert_eq!(access.len(), 8, "one access line per request");
    let filed = access
        .iter()
        .find(|l| l["span"]["request_id"] == "planted-request-0001")
        .expect("the sent request id is on the access line");
    assert_eq!(filed["route"], "/api/v1/cases");
    assert_eq!(filed["method"], "POST");
    assert_eq!(filed["status"], 201);
    assert_eq!(filed["client"], "127.0.0.1");
    assert!(filed["bytes"].as_u64().unwrap() > 0);
    assert!(filed["latency_ms"].as_f64().is_some());
    let routes: Vec<&str> = access.iter().filter_map(|l| l["route"].as_str()).collect();
    assert!(routes.contains(&"/api/v1/staff/cases/{number}/actions"));
    assert!(
        !log.contains(&format!("/cases/{number}")),
        "paths are logged by their template"
    );
    assert!(
        access
            .iter()
            .any(|l| l["span"]["request_id"] == made_id.as_str() && l["status"] == 422)
    );
}

#[tokio::test]
async fn a_calendar_file_is_checked_and_a_missing_year_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "[2025]\noff = 01-01  # New Year\n").unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "[2026]\noff = 01-01\nwork = 01-05\n").unwrap();
    let binary = env!("CARGO_BIN_EXE_civic-server");

    let checked = Command::new(binary)
        .args(["holidays", "check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(checked.status.success());
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        said.contains("2025: 1 days off, 0 make-up working days"),
        "{said}"
    );
    let refused = Command::new(binary)
        .args(["holidays", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("line 3") && said.contains("weekend"),
        "{said}"
    );
    // The built-in calendar is a valid file, and its own format's description.
    let shown = Command::new(binary)
        .args(["holidays", "show"])
        .output()
        .unwrap();
    assert_eq!(
        civic_server::calendar::Calendar::parse(&String::from_utf8_lossy(&shown.stdout)),
        Ok(civic_server::calendar::Calendar::built_in())
    );

    // A server given a calendar without this year says so at start-up.
    let server = Process::start(
        "token-for-calendar-test-0123456789abcdef",
        &["--holidays", good.to_str().unwrap()],
    )
    .await;
    let log = server.stop();
    let this_year = civic_server::clock::cst_date(civic_server::clock::now()).year();
    let warning = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|line| {
            line["level"] == "WARN"
                && line["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("calendar"))
        })
        .unwrap_or_else(|| panic!("no calendar warning in:\n{log}"));
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains(&this_year.to_string()),
        "{warning}"
    );
    // A file with a mistake stops the server before it listens.
    let stopped = Command::new(binary)
        .arg("--holidays")
        .arg(&bad)
        .arg("serve")
        .env("CIVIC_ADDR", "127.0.0.1:0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/x.db", dir.path().display()),
        )
        .output()
        .unwrap();
    assert!(!stopped.status.success());
    assert!(String::from_utf8_lossy(&stopped.stderr).contains("line 3"));
}
