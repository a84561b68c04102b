//! `deploy/nginx-civic.conf` as an operator installs it: `nginx -t` accepts it as written
//! (with a throwaway certificate where it names one), and, run on loopback in front of two
//! servers on one database, it passes pages with their CSP, caches the hashed files, keeps
//! one filing limit across both processes, and answers its own refusals in the contract's
//! error body. Skipped where nginx is not installed (`make test` installs it; in CI it must be).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use api::{ErrorBody, ErrorCode};

use crate::filing::valid_case;
use crate::helpers::{HASHED_JS, TestApp};
use crate::operations::which;

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/nginx-civic.conf");

/// `text` with `from` replaced, which must be there (the site file changed shape otherwise).
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "deploy/nginx-civic.conf no longer has {from:?}"
    );
    text.replace(from, to)
}

/// An nginx main file that includes `site`, with every path under `dir`.
fn main_conf(dir: &Path, site: &str) -> String {
    let d = dir.display();
    format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log warn;\nevents {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
         {site}\n}}\n"
    )
}

/// A port free on loopback now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx in the foreground, stopped when dropped: `-s stop` asks the master to end its
/// workers too (a SIGKILL to the master alone would leave them running).
struct Nginx {
    master: Child,
    stop: Command,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.stop.status();
        let _ = self.master.wait();
    }
}

/// Starts nginx on `site` with its two listeners moved to free loopback ports, and waits
/// until it answers; returns it and its address. A port another test took between choosing
/// and binding makes nginx exit at once: then it starts again on other ports.
async fn start(nginx: &Path, d: &Path, site: &str) -> (Nginx, String) {
    for _ in 0..5 {
        let (port, redirect) = (free_port(), free_port());
        if port == redirect {
            continue;
        }
        let running = swap(
            site,
            "listen 80;\n    listen [::]:80;",
            &format!("listen 127.0.0.1:{redirect};"),
        );
        let running = swap(
            &running,
            "listen 443 ssl http2;\n    listen [::]:443 ssl http2;",
            &format!("listen 127.0.0.1:{port};"),
        );
        std::fs::write(d.join("running.conf"), main_conf(d, &running)).unwrap();
        let nginx_with = |args: &[&str]| {
            let mut command = Command::new(nginx);
            command
                .arg("-p")
                .arg(d)
                .arg("-c")
                .arg(d.join("running.conf"))
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            command
        };
        let mut started = Nginx {
            master: nginx_with(&["-g", "daemon off;"]).spawn().unwrap(),
            stop: nginx_with(&["-s", "stop"]),
        };
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // nginx names itself; anything else on the port is not ours.
            if let Ok(answer) = reqwest::get(format!("{base}/healthz")).await
                && answer
                    .headers()
                    .get("server")
                    .is_some_and(|s| s.as_bytes().starts_with(b"nginx"))
            {
                return (started, base);
            }
            if started.master.try_wait().unwrap().is_some() || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    panic!(
        "nginx did not start: {:?}",
        std::fs::read_to_string(d.join("error.log"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nginx_site_fronts_two_processes_and_answers_in_the_contracts_words() {
    let Ok(nginx) = which("nginx").or_else(|_| which("/usr/sbin/nginx").map_err(|_| ())) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "nginx is missing in CI: scripts/install-tools.sh test installs it"
        );
        eprintln!("nginx not found: the site is not checked here");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (cert, key) = (d.join("site.pem"), d.join("site.key"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=civic.test", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    let site = std::fs::read_to_string(SITE).unwrap();
    let site = swap(
        &site,
        "/etc/nginx/tls/civic.example.gov.cn.fullchain.pem",
        cert.to_str().unwrap(),
    );
    let site = swap(
        &site,
        "/etc/nginx/tls/civic.example.gov.cn.key",
        key.to_str().unwrap(),
    );
    let site = swap(
        &site,
        "/var/cache/nginx/civic",
        d.join("cache").to_str().unwrap(),
    );

    // As written: nginx accepts it.
    std::fs::write(d.join("checked.conf"), main_conf(d, &site)).unwrap();
    let output = Command::new(&nginx)
        .arg("-t")
        .arg("-p")
        .arg(d)
        .arg("-c")
        .arg(d.join("checked.conf"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Running, on loopback ports without TLS, in front of two servers on one database that
    // trust it as their proxy.
    let adjust = |settings: &mut civic_server::config::Settings| {
        settings.filing_rate = civic_server::ratelimit::parse_rate("2/600").unwrap();
        settings.trusted_proxies =
            civic_server::client::TrustedProxies::parse("127.0.0.1").unwrap();
    };
    let one = TestApp::spawn_custom(false, None, adjust).await;
    let other = TestApp::spawn_at_with(&one.database_url, adjust).await;
    let mut running = site.clone();
    let upstreams: Vec<&str> = site
        .lines()
        .filter(|line| line.trim_start().starts_with("server 10.0.1."))
        .collect();
    assert_eq!(upstreams.len(), 2, "two example processes in the upstream");
    for (line, app) in upstreams.iter().zip([&one, &other]) {
        let address = app.address.trim_start_matches("http://");
        running = swap(&running, line, &format!("    server {address};"));
    }
    let (_nginx, base) = start(&nginx, d, &running).await;
    let client = reqwest::Client::new();

    // A page comes with civic-server's CSP; a hashed file is cached a year.
    let page = client.get(format!("{base}/board")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers().contains_key("content-security-policy"));
    for _ in 0..2 {
        let asset = client
            .get(format!("{base}/{HASHED_JS}"))
            .send()
            .await
            .unwrap();
        assert_eq!(asset.status(), 200);
        assert_eq!(
            asset.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
    // The request id a client sent reaches the process and comes back.
    let answered = client
        .get(format!("{base}/api/v1/meta"))
        .header("x-request-id", "through-nginx-0001")
        .send()
        .await
        .unwrap();
    assert_eq!(answered.headers()["x-request-id"], "through-nginx-0001");

    // One limit for both processes, whichever nginx picks: a filing straight to each, and
    // the third, through nginx, is over the limit (per process it would not be).
    for app in [&one, &other] {
        assert_eq!(app.post_case(&valid_case(), None).await.status(), 201);
    }
    let response = client
        .post(format!("{base}/api/v1/cases"))
        .json(&valid_case())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);

    // nginx's own refusals in the contract's body: a JSON body over 64 KiB, a photo over 9 MiB.
    for (path, size) in [("/api/v1/cases", 100 * 1024), ("/api/v1/uploads", 10 << 20)] {
        let response = client
            .post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(vec![b' '; size])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413, "{path}");
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::PayloadTooLarge);
    }
}
