use std::path::PathBuf;

use civic_server::config::Settings;
use civic_server::startup::Application;
use reqwest::{Client, Response};
use serde::de::DeserializeOwned;
use tempfile::TempDir;

/// The inline script of the fixture page, whose hash the CSP must carry.
pub const INLINE_SCRIPT: &str = "import init from '/civic-0123456789abcdef.js'; await init();";
/// The app's stylesheet, inline in every page as the build writes it.
pub const INLINE_STYLE: &str = "body{margin:0}";
/// A fingerprinted asset of the fixture app.
pub const HASHED_JS: &str = "civic-0123456789abcdef.js";
/// The wasm of the fixture app.
pub const HASHED_WASM: &str = "civic-0123456789abcdef_bg.wasm";

/// A running server with its own database and static folder, removed when dropped.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub dir: TempDir,
    /// The database this server runs on.
    pub database_url: String,
    /// `http://127.0.0.1:PORT` of the metrics listener, when the settings asked for one.
    pub metrics_address: Option<String>,
    /// The bootstrap dispatcher's token (`--staff-token`), when set.
    pub staff_token: Option<String>,
}

/// The filing key file every test server shares, as a city's processes share theirs: servers
/// on one database (a second process, a copy's or a restore's target) need the same key.
pub fn shared_key_file() -> PathBuf {
    static FILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("civic-test-keys-{}", std::process::id()));
        let path = dir.join("filing.key");
        civic_server::filing_key::write_key(&path, &[42u8; 32]).expect("the tests' key file");
        path
    })
    .clone()
}

/// A new, empty database for one test: an SQLite file in `dir`, or, when
/// `CIVIC_TEST_STORE=postgres`, a new database on the PostgreSQL server that
/// `CIVIC_TEST_POSTGRES` names (`scripts/with-postgres.sh` starts a throwaway one).
pub async fn new_database(dir: &std::path::Path) -> String {
    match std::env::var("CIVIC_TEST_STORE").as_deref() {
        Ok("postgres") => {
            use sqlx::Connection;
            let admin = std::env::var("CIVIC_TEST_POSTGRES")
                .expect("CIVIC_TEST_STORE=postgres needs CIVIC_TEST_POSTGRES (an admin URL)");
            static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let name = format!(
                "civic_test_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let mut connection = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut connection)
                .await
                .unwrap();
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("civic.db").display()),
    }
}

impl TestApp {
    /// Spawns a server with demo data.
    pub async fn spawn() -> Self {
        Self::spawn_with(true).await
    }

    /// Spawns a server, with or without demo data.
    pub async fn spawn_with(demo: bool) -> Self {
        Self::spawn_configured(demo, None).await
    }

    /// Spawns a server with or without demo data and with the staff API on or off.
    pub async fn spawn_configured(demo: bool, staff_token: Option<&str>) -> Self {
        Self::spawn_custom(demo, staff_token, |_| {}).await
    }

    /// Spawns a server on the database `database_url`, seeding demo data when asked.
    pub async fn spawn_at(database_url: &str, demo: bool, staff_token: Option<&str>) -> Self {
        Self::spawn_inner(demo, staff_token, Some(database_url.to_owned()), |_| {}).await
    }

    /// Spawns a server without demo data on the database `database_url`, after `adjust` has
    /// changed its settings (a second process on one PostgreSQL database, say).
    pub async fn spawn_at_with(database_url: &str, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_inner(false, None, Some(database_url.to_owned()), adjust).await
    }

    /// Spawns a server after `adjust` has changed its settings.
    pub async fn spawn_custom(
        demo: bool,
        staff_token: Option<&str>,
        adjust: impl FnOnce(&mut Settings),
    ) -> Self {
        Self::spawn_inner(demo, staff_token, None, adjust).await
    }

    async fn spawn_inner(
        demo: bool,
        staff_token: Option<&str>,
        database: Option<String>,
        adjust: impl FnOnce(&mut Settings),
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let static_dir = dir.path().join("dist");
        std::fs::create_dir_all(&static_dir).unwrap();
        std::fs::write(
            static_dir.join("index.html"),
            format!(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>Civic</title>\
                 <style>{INLINE_STYLE}</style><script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
            ),
        )
        .unwrap();
        std::fs::write(
            static_dir.join(HASHED_JS),
            "export default function init() {}\n".repeat(50),
        )
        .unwrap();
        std::fs::write(
            static_dir.join(HASHED_WASM),
            [0u8, 97, 115, 109, 1, 0, 0, 0],
        )
        .unwrap();
        std::fs::write(static_dir.join("robots.txt"), "User-agent: *\n").unwrap();
        // Two route pages, as scripts/route-pages.mjs writes them.
        for (dir, title) in [("file", "Civic: file"), ("cases/_", "Civic: a case")] {
            std::fs::create_dir_all(static_dir.join(dir)).unwrap();
            std::fs::write(
                static_dir.join(dir).join("index.html"),
                format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>{title}</title>\
                     <style>{INLINE_STYLE}</style><script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
                ),
            )
            .unwrap();
        }
        let database_url = match database {
            Some(url) => url,
            None => new_database(dir.path()).await,
        };
        let mut settings =
            Settings::for_tests(database_url.clone(), static_dir, PathBuf::from(dir.path()));
        settings.demo = demo;
        settings.filing_key_file = Some(shared_key_file());
        settings.staff_token = staff_token.map(str::to_owned);
        settings.frame_ancestors =
            civic_server::config::parse_origins("https://portal.example").unwrap();
        adjust(&mut settings);
        let staff_token = settings.staff_token.clone();
        let app = Application::build(settings).await.expect("the app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        tokio::spawn(app.run_until_stopped());
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address,
            client,
            dir,
            database_url,
            metrics_address,
            staff_token,
        }
    }

    /// A connection pool on this server's database, whichever store it is, to check what
    /// it stored (write `$1` for parameters and `true` for booleans: both databases read it).
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database_url).await.unwrap()
    }

    /// The store on this server's database, to drive its housekeeping directly.
    pub async fn store(&self) -> std::sync::Arc<dyn civic_server::storage::Store> {
        civic_server::storage::open(&self.database_url)
            .await
            .unwrap()
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    /// `GET path`, expecting 200 and a JSON body of type `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// `GET path`, expecting `status` and the contract's error body.
    pub async fn get_error(&self, path: &str, status: u16) -> api::ErrorBody {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "GET {path} answers JSON"
        );
        response.json().await.expect("an ErrorBody")
    }
}
