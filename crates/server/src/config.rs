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

    /// The bearer token of the staff API; when unset, staff endpoints are off.
    #[arg(long, env = "CIVIC_STAFF_TOKEN", hide_env_values = true)]
    pub staff_token: Option<String>,

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

impl Settings {
    /// Settings for a test: a free port on loopback, the given database, no demo data.
    pub fn for_tests(database_url: String, static_dir: PathBuf, data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            static_dir,
            data_dir,
            staff_token: None,
            frame_ancestors: Origins::default(),
            auto_close_days: 7,
            reply_days: crate::rules::ReplyDays::default(),
            filing_rate: crate::ratelimit::Rate {
                max: 1000,
                window: std::time::Duration::from_secs(60),
            },
            upload_rate: crate::ratelimit::Rate {
                max: 1000,
                window: std::time::Duration::from_secs(60),
            },
            photo_decodes: 2,
            photo_decode_wait: 2,
            trusted_proxies: crate::client::TrustedProxies::default(),
            holidays: None,
            metrics_addr: None,
            demo: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
