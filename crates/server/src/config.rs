//! The server's settings: each a flag and an environment variable, with defaults that make
//! `civic-server` alone serve a local demo.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How the server runs.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// The address to listen on; port 0 picks a free one.
    #[arg(long, env = "CIVIC_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The database. SQLite: `sqlite://path/to/file.db` (created when missing).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/civic.db")]
    pub database_url: String,

    /// The built app (Trunk's `dist/`).
    #[arg(long, env = "CIVIC_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Where uploads and other files live.
    #[arg(long, env = "CIVIC_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The bootstrap dispatcher's bearer token (the account `bootstrap`), to start with
    /// before accounts exist: at least 32 characters, never a published example (make one
    /// with `openssl rand -base64 32`). Unset, only staff accounts sign in.
    #[arg(long, env = "CIVIC_STAFF_TOKEN", hide_env_values = true, value_parser = parse_staff_token)]
    pub staff_token: Option<String>,

    /// The file that holds the filing key, which tracking codes are derived with; kept
    /// outside the database so that a copy of it yields no code. Default:
    /// `$CREDENTIALS_DIRECTORY/filing-key` under systemd when present, else
    /// `DATA_DIR/filing.key` (made, mode 0600, for a new database).
    #[arg(long, env = "CIVIC_FILING_KEY_FILE")]
    pub filing_key_file: Option<PathBuf>,

    /// How many wrong staff tokens one client may send, as MAX/SECONDS, counted across
    /// processes; past it the staff API answers 429 until the oldest failure ages out. A
    /// token that works is never counted.
    #[arg(long, env = "CIVIC_STAFF_AUTH_FAILURES", default_value = "10/900", value_parser = crate::ratelimit::parse_rate)]
    pub staff_auth_failures: crate::ratelimit::Rate,

    /// How many wrong tracking codes one client may send, as MAX/SECONDS, counted across
    /// processes; past it a request with a code answers 429. A right code is never counted.
    #[arg(long, env = "CIVIC_TRACKING_CODE_FAILURES", default_value = "30/900", value_parser = crate::ratelimit::parse_rate)]
    pub tracking_code_failures: crate::ratelimit::Rate,

    /// Origins allowed to embed the app in a frame, separated by spaces or commas
    /// (`https://www.chengdu.gov.cn https://portal.example`).
    #[arg(long, env = "CIVIC_FRAME_ANCESTORS", default_value = "", value_parser = parse_origins)]
    pub frame_ancestors: Origins,

    /// How many cases one client address may file, as MAX/SECONDS.
    #[arg(long, env = "CIVIC_FILING_RATE", default_value = "5/600", value_parser = crate::ratelimit::parse_rate)]
    pub filing_rate: crate::ratelimit::Rate,

    /// How many photos one client may upload, as MAX/SECONDS.
    #[arg(long, env = "CIVIC_UPLOAD_RATE", default_value = "60/600", value_parser = crate::ratelimit::parse_rate)]
    pub upload_rate: crate::ratelimit::Rate,

    /// How many photos are decoded at once; more wait a moment, then get 503 with
    /// Retry-After. Each decode may take up to ~180 MB (the contract's 40 Mpx as RGBA).
    #[arg(long, env = "CIVIC_PHOTO_DECODES", default_value_t = 2)]
    pub photo_decodes: usize,

    /// Seconds an upload waits for its turn to be decoded before it gets 503.
    #[arg(long, env = "CIVIC_PHOTO_DECODE_WAIT", default_value_t = 2)]
    pub photo_decode_wait: u64,

    /// The proxies (addresses or CIDR networks, separated by spaces or commas) whose
    /// `X-Forwarded-For` and `X-Real-IP` name the client; from any other peer they are ignored.
    #[arg(long, env = "CIVIC_TRUSTED_PROXIES", default_value = "", value_parser = crate::client::TrustedProxies::parse)]
    pub trusted_proxies: crate::client::TrustedProxies,

    /// Where to serve `GET /metrics` (Prometheus text format), e.g. `127.0.0.1:9090`; off
    /// when unset. Keep it off the public port and network.
    #[arg(long, env = "CIVIC_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// A working-day calendar file (public holidays and make-up working days by year) to
    /// use instead of the built-in one; `civic-server holidays show` prints the format.
    #[arg(long, env = "CIVIC_HOLIDAYS")]
    pub holidays: Option<PathBuf>,

    /// Working days to reply, by case kind, over the default rule
    /// (`consultation=3,help=5,complaint=5,praise=5,suggestion=10,report=10`).
    #[arg(long, env = "CIVIC_REPLY_DAYS", default_value = "", value_parser = crate::rules::ReplyDays::parse)]
    pub reply_days: crate::rules::ReplyDays,

    /// Days after a reply that an unrated case is closed by itself.
    #[arg(long, env = "CIVIC_AUTO_CLOSE_DAYS", default_value_t = 7)]
    pub auto_close_days: u32,

    /// The app's public address, without a final `/` (`https://12345.example.gov.cn`):
    /// texts link to its track page. Needed with `--sms-webhook`.
    #[arg(long, env = "CIVIC_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// The city's SMS gateway: each text is a signed JSON POST to this `http://` address
    /// (see the README). When unset, no text is queued and the filing form does not offer them.
    #[arg(long, env = "CIVIC_SMS_WEBHOOK", value_parser = parse_webhook)]
    pub sms_webhook: Option<String>,

    /// The secret the SMS gateway's bodies are signed with (`X-Civic-Signature`).
    #[arg(long, env = "CIVIC_SMS_SECRET", hide_env_values = true)]
    pub sms_secret: Option<String>,

    /// The city's systems (work orders, the hotline): each event is a signed JSON POST to
    /// this `http://` address (see the README).
    #[arg(long, env = "CIVIC_EVENTS_WEBHOOK", value_parser = parse_webhook)]
    pub events_webhook: Option<String>,

    /// The secret the events' bodies are signed with.
    #[arg(long, env = "CIVIC_EVENTS_SECRET", hide_env_values = true)]
    pub events_secret: Option<String>,

    /// Trust the events receiver with the resident's name and phone (the hotline's
    /// work-order system needs them); without it, events never carry them.
    #[arg(long, env = "CIVIC_EVENTS_INCLUDE_CONTACT", default_value_t = false, action = clap::ArgAction::Set,
          num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub events_include_contact: bool,

    /// Seconds before a failed message's first retry; each next wait doubles (up to an
    /// hour), with jitter. Fractions are allowed.
    #[arg(long, env = "CIVIC_OUTBOX_RETRY_BASE", default_value_t = 5.0, value_parser = parse_seconds)]
    pub outbox_retry_base: f64,

    /// Seconds a worker holds a message it is sending: a process that dies mid-send leaves
    /// it to another worker after this. Keep it longer than a send may take (10 s).
    #[arg(long, env = "CIVIC_OUTBOX_CLAIM", default_value_t = 60.0, value_parser = parse_seconds)]
    pub outbox_claim: f64,

    /// Tries in all before a message becomes a dead letter (`civic-server outbox retry`).
    #[arg(long, env = "CIVIC_OUTBOX_TRIES", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub outbox_tries: u32,

    /// Seed demo data into an empty database (`1`, `true`, `yes` or `on` to enable).
    #[arg(long, env = "CIVIC_DEMO", default_value_t = false, action = clap::ArgAction::Set,
          num_args = 0..=1, default_missing_value = "true",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,
}

/// A list of web origins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins(pub Vec<String>);

/// Parses origins separated by spaces or commas; each must be `http(s)://host[:port]`
/// without a path, so nothing else can slip into the CSP header.
pub fn parse_origins(text: &str) -> Result<Origins, String> {
    let mut origins = Vec::new();
    for origin in text.split([' ', ',']).filter(|s| !s.is_empty()) {
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(|| format!("{origin:?} is not an http(s) origin"))?;
        let valid = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'));
        if !valid {
            return Err(format!("{origin:?} is not an origin (no path, no quotes)"));
        }
        origins.push(origin.to_owned());
    }
    Ok(Origins(origins))
}

/// A webhook's address: `http://host[:port][/path]`. Plain HTTP only: this build has no
/// TLS client, so a gateway outside the machine's network is reached through a local
/// TLS-terminating proxy (see the README).
pub fn parse_webhook(text: &str) -> Result<String, String> {
    let rest = text.strip_prefix("http://").ok_or_else(|| {
        format!("{text:?} must start with http:// (for https, point it at a local TLS proxy)")
    })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{text:?} is not an http:// address"));
    }
    Ok(text.to_owned())
}

/// The app's public address: `http(s)://host[:port]` with an optional path, no final `/`.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("{text:?} must start with https:// or http://"))?;
    if rest.is_empty() || rest.contains(['?', '#']) || trimmed.chars().any(char::is_whitespace) {
        return Err(format!("{text:?} is not a web address"));
    }
    Ok(trimmed.to_owned())
}

/// Tokens published as examples (in this repository's deployment files and documents, and
/// the usual placeholders): a server started with one would let anyone in.
const EXAMPLE_TOKENS: &[&str] = &[
    "change-me",
    "changeme",
    "change-me-to-a-long-random-token",
    "replace-me",
    "secret",
    "password",
    "staff-token",
    "e2e-staff-token",
];

/// Why `token` cannot be the bootstrap dispatcher's token, if it cannot: shorter than 32
/// characters, a published example, or too few different characters to be random.
pub fn staff_token_problem(token: &str) -> Option<String> {
    const HOW: &str = "make one with `openssl rand -base64 32`";
    let lower = token.trim().to_ascii_lowercase();
    if EXAMPLE_TOKENS.contains(&lower.as_str()) {
        return Some(format!(
            "the staff token is a published example and would let anyone in; {HOW}"
        ));
    }
    if token.chars().count() < 32 {
        return Some(format!(
            "the staff token must be at least 32 characters long; {HOW}"
        ));
    }
    let distinct: std::collections::HashSet<char> = token.chars().collect();
    if distinct.len() < 10 {
        return Some(format!(
            "the staff token repeats too few characters to be random; {HOW}"
        ));
    }
    None
}

/// The bootstrap token as a flag or environment variable gives it (see [`staff_token_problem`]).
pub fn parse_staff_token(text: &str) -> Result<String, String> {
    match staff_token_problem(text) {
        Some(problem) => Err(problem),
        None => Ok(text.to_owned()),
    }
}

/// A number of seconds, positive, fractions allowed.
fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && (0.01..=3600.0).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "{text:?} is not a number of seconds from 0.01 to 3600"
        )),
    }
}

impl Settings {
    /// The outbox's receivers, each with its secret, or why the settings do not fit
    /// together (a webhook without its secret, texts without the public address).
    pub fn endpoints(&self) -> Result<Vec<crate::outbox::Endpoint>, String> {
        use crate::domain::notify::Receiver;
        let mut endpoints = Vec::new();
        for (receiver, url, secret, flag) in [
            (
                Receiver::Sms,
                &self.sms_webhook,
                &self.sms_secret,
                "--sms-secret",
            ),
            (
                Receiver::Events,
                &self.events_webhook,
                &self.events_secret,
                "--events-secret",
            ),
        ] {
            let Some(url) = url else { continue };
            let secret = secret.as_ref().filter(|s| s.len() >= 16).ok_or_else(|| {
                format!("{flag} (16 characters or more) must be set with its webhook")
            })?;
            endpoints.push(crate::outbox::Endpoint {
                receiver,
                url: url.clone(),
                secret: secret.clone(),
            });
        }
        if self.sms_webhook.is_some() && self.public_url.is_none() {
            return Err(
                "--public-url must be set with --sms-webhook: texts link to the track page".into(),
            );
        }
        Ok(endpoints)
    }

    /// Who the outbox tells, and how texts are written, for the taxonomy in `meta`.
    pub fn notices(&self, meta: &api::Meta) -> crate::domain::notify::Notices {
        crate::domain::notify::Notices {
            texts: self.sms_webhook.is_some(),
            events: self.events_webhook.is_some(),
            events_contact: self.events_include_contact,
            site: self.public_url.clone().unwrap_or_default(),
            departments: meta.departments.clone(),
        }
    }

    /// Where the filing key is kept (see [`crate::filing_key::key_path`]).
    pub fn filing_key_path(&self) -> PathBuf {
        let credentials = std::env::var_os("CREDENTIALS_DIRECTORY").map(PathBuf::from);
        crate::filing_key::key_path(
            self.filing_key_file.as_deref(),
            credentials.as_deref(),
            &self.data_dir,
        )
    }

    /// How failed messages are retried.
    pub fn retry_rule(&self) -> crate::domain::notify::RetryRule {
        crate::domain::notify::RetryRule {
            base_ms: (self.outbox_retry_base * 1000.0).round() as u64,
            tries: self.outbox_tries,
        }
    }

    /// Settings for a test: a free port on loopback, the given database, no demo data.
    pub fn for_tests(database_url: String, static_dir: PathBuf, data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            static_dir,
            data_dir,
            staff_token: None,
            filing_key_file: None,
            staff_auth_failures: crate::ratelimit::Rate::per(10, 900),
            tracking_code_failures: crate::ratelimit::Rate::per(30, 900),
            frame_ancestors: Origins::default(),
            auto_close_days: 7,
            reply_days: crate::rules::ReplyDays::default(),
            filing_rate: crate::ratelimit::Rate::per(1000, 60),
            upload_rate: crate::ratelimit::Rate::per(1000, 60),
            photo_decodes: 2,
            photo_decode_wait: 2,
            trusted_proxies: crate::client::TrustedProxies::default(),
            holidays: None,
            metrics_addr: None,
            public_url: None,
            sms_webhook: None,
            sms_secret: None,
            events_webhook: None,
            events_secret: None,
            events_include_contact: false,
            outbox_retry_base: 5.0,
            outbox_claim: 60.0,
            outbox_tries: 10,
            demo: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_and_the_public_address_are_checked() {
        // (text, webhook accepted, public address accepted)
        let table = [
            ("http://127.0.0.1:9000/sms", true, true),
            ("http://gateway.internal", true, true),
            ("https://gateway.example/sms", false, true),
            ("https://12345.example.gov.cn/", false, true),
            ("ftp://gateway", false, false),
            ("http://", false, false),
            ("http:// spaced", false, false),
            ("https://a.example/?x=1", false, false),
        ];
        for (text, webhook, public) in table {
            assert_eq!(parse_webhook(text).is_ok(), webhook, "webhook {text}");
            assert_eq!(parse_public_url(text).is_ok(), public, "public {text}");
        }
        assert_eq!(
            parse_public_url("https://12345.example.gov.cn/").unwrap(),
            "https://12345.example.gov.cn"
        );
        for (text, ok) in [
            ("5", true),
            ("0.001", false),
            ("0.2", true),
            ("0", false),
            ("-1", false),
            ("NaN", false),
            ("3601", false),
        ] {
            assert_eq!(parse_seconds(text).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn a_webhook_needs_its_secret_and_texts_need_the_public_address() {
        let mut settings =
            Settings::for_tests("sqlite::memory:".into(), "dist".into(), "data".into());
        assert_eq!(settings.endpoints(), Ok(Vec::new()));
        settings.events_webhook = Some("http://127.0.0.1:1/events".into());
        assert!(settings.endpoints().is_err(), "no secret");
        settings.events_secret = Some("short".into());
        assert!(settings.endpoints().is_err(), "a short secret");
        settings.events_secret = Some("0123456789abcdef".into());
        assert_eq!(settings.endpoints().unwrap().len(), 1);
        settings.sms_webhook = Some("http://127.0.0.1:1/sms".into());
        settings.sms_secret = Some("0123456789abcdef".into());
        assert!(
            settings.endpoints().is_err(),
            "texts without the public address"
        );
        settings.public_url = Some("https://12345.example.gov.cn".into());
        assert_eq!(settings.endpoints().unwrap().len(), 2);
        assert_eq!(settings.retry_rule().base_ms, 5_000);
    }

    #[test]
    fn a_weak_or_published_staff_token_is_refused() {
        for (token, ok) in [
            ("change-me", false),
            ("CHANGE-ME", false),
            ("abc12345", false),
            ("e2e-staff-token", false),
            ("change-me-change-me-change-me-change-me", false),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
            ("0123456789012345678901234567890", false),
            ("0123456789abcdefghij0123456789ab", true),
            ("q8Ox0v3Yg2m1QmJ4kq0cB3kQ2n7Hq3cZ8o4lTq1p9Zs=", true),
        ] {
            assert_eq!(parse_staff_token(token).is_ok(), ok, "{token}");
        }
        let problem = staff_token_problem("abc12345").unwrap();
        assert!(problem.contains("openssl rand -base64 32"), "{problem}");
    }

    #[test]
    fn origins_are_split_and_checked() {
        assert_eq!(
            parse_origins("https://a.example, http://localhost:3000").unwrap(),
            Origins(vec![
                "https://a.example".into(),
                "http://localhost:3000".into()
            ])
        );
        assert_eq!(parse_origins("").unwrap(), Origins::default());
        for bad in [
            "javascript:alert(1)",
            "https://a.example/path",
            "'unsafe-inline'",
            "https://a;b",
        ] {
            assert!(parse_origins(bad).is_err(), "{bad}");
        }
    }
}
