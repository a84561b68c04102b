//! A per-client limit on filing: at most `max` new cases per `window` from one address.
//! Kept in memory (one server process); a retried submission that returns an existing case
//! does not count.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many filings one client may make in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Filings allowed.
    pub max: usize,
    /// In this window.
    pub window: Duration,
}

/// Parses `5/600` (five per 600 seconds).
pub fn parse_rate(text: &str) -> Result<Rate, String> {
    let (max, seconds) = text
        .split_once('/')
        .ok_or("write the rate as MAX/SECONDS, e.g. 5/600")?;
    let max: usize = max
        .trim()
        .parse()
        .map_err(|_| "MAX must be a whole number")?;
    let seconds: u64 = seconds
        .trim()
        .parse()
        .map_err(|_| "SECONDS must be a whole number")?;
    if max == 0 || seconds == 0 {
        return Err("both MAX and SECONDS must be above zero".into());
    }
    Ok(Rate {
        max,
        window: Duration::from_secs(seconds),
    })
}

/// The recent filings of each client.
#[derive(Debug)]
pub struct FilingLimiter {
    rate: Rate,
    recent: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl FilingLimiter {
    /// A limiter allowing `rate`.
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when `client` has used up its filings at `now`.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let times = recent.entry(client).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.rate.window)
        {
            times.pop_front();
        }
        if times.len() < self.rate.max {
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        let wait = self.rate.window.saturating_sub(now.duration_since(oldest));
        Err(wait.as_secs().max(1))
    }

    /// Counts a filing by `client` at `now`.
    pub fn record(&self, client: IpAddr, now: Instant) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.entry(client).or_default().push_back(now);
        // Forget clients with nothing recent, so the map does not grow without bound.
        if recent.len() > 10_000 {
            let window = self.rate.window;
            recent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_quota_per_window_and_others_are_unaffected() {
        let limiter = FilingLimiter::new(Rate {
            max: 2,
            window: Duration::from_secs(600),
        });
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..2 {
            assert_eq!(limiter.check(a, t0), Ok(()));
            limiter.record(a, t0);
        }
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(100)), Err(500));
        assert_eq!(limiter.check(b, t0), Ok(()));
        assert_eq!(limiter.check(a, t0 + Duration::from_secs(600)), Ok(()));
    }

    #[test]
    fn rates_are_read_as_max_per_seconds() {
        assert_eq!(
            parse_rate("5/600"),
            Ok(Rate {
                max: 5,
                window: Duration::from_secs(600)
            })
        );
        for bad in ["5", "0/60", "5/0", "x/60", "5/y"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }
}
