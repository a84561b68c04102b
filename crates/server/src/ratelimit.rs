//! Per-client limits (filings, uploads): at most `max` uses per `window` from one client.
//! Kept in memory (one server process). A use is reserved before the work and given back if
//! the work made nothing (a refused or replayed filing), so a burst gets exactly the limit.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
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

/// The recent uses of each client (by [`crate::client::limit_key`]).
#[derive(Debug)]
pub struct Limiter {
    rate: Rate,
    recent: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// A use reserved by [`Limiter::reserve`]: given back when dropped, unless kept.
#[must_use = "a slot dropped at once is given back"]
#[derive(Debug)]
pub struct Slot {
    limiter: Arc<Limiter>,
    client: IpAddr,
    at: Instant,
    kept: bool,
}

impl Slot {
    /// The use happened (a case was created): it counts until the window passes it.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.kept {
            self.limiter.refund(self.client, self.at);
        }
    }
}

/// The window rule: forgets `times` older than the window before `now`, then admits one more
/// at `now` when fewer than `rate.max` remain, or says how many seconds until one leaves.
pub fn admit(times: &mut VecDeque<Instant>, rate: Rate, now: Instant) -> Result<(), u64> {
    while times
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= rate.window)
    {
        times.pop_front();
    }
    if times.len() < rate.max {
        times.push_back(now);
        return Ok(());
    }
    let oldest = times.front().copied().unwrap_or(now);
    let wait = rate
        .window
        .saturating_sub(now.saturating_duration_since(oldest));
    Err(wait.as_secs().max(1))
}

impl Limiter {
    /// A limiter allowing `rate` per client.
    pub fn new(rate: Rate) -> Arc<Self> {
        Arc::new(Self {
            rate,
            recent: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one use for `client` at `now` in the same step as checking it, so a burst of
    /// requests at once gets exactly the limit; `Err(seconds to wait)` when none is left.
    pub fn reserve(self: &Arc<Self>, client: IpAddr, now: Instant) -> Result<Slot, u64> {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        admit(recent.entry(client).or_default(), self.rate, now)?;
        // Forget clients with nothing recent, so the map does not grow without bound.
        if recent.len() > 10_000 {
            let window = self.rate.window;
            recent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < window)
            });
        }
        Ok(Slot {
            limiter: Arc::clone(self),
            client,
            at: now,
            kept: false,
        })
    }

    fn refund(&self, client: IpAddr, at: Instant) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(times) = recent.get_mut(&client)
            && let Some(i) = times.iter().rposition(|t| *t == at)
        {
            times.remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_admits_max_uses_and_says_how_long_to_wait() {
        let rate = Rate {
            max: 2,
            window: Duration::from_secs(600),
        };
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        // (uses so far, seconds after t0, the answer)
        let cases: &[(&[u64], u64, Result<(), u64>)] = &[
            (&[], 0, Ok(())),
            (&[0], 0, Ok(())),
            (&[0, 0], 0, Err(600)),
            (&[0, 100], 150, Err(450)),
            (&[0, 100], 600, Ok(())),
            (&[0, 100], 599, Err(1)),
            (&[0, 100], 10_000, Ok(())),
        ];
        for (uses, now, answer) in cases {
            let mut times: VecDeque<Instant> = uses.iter().map(|s| at(*s)).collect();
            assert_eq!(
                admit(&mut times, rate, at(*now)),
                *answer,
                "{uses:?} at {now}"
            );
        }
    }

    #[test]
    fn a_reserved_use_is_given_back_unless_kept_and_clients_are_apart() {
        let limiter = Limiter::new(Rate {
            max: 2,
            window: Duration::from_secs(600),
        });
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        limiter.reserve(a, t0).unwrap().keep();
        let second = limiter.reserve(a, t0).unwrap();
        assert_eq!(limiter.reserve(a, t0).unwrap_err(), 600);
        drop(second);
        let again = limiter.reserve(a, t0).unwrap();
        again.keep();
        assert!(limiter.reserve(a, t0).is_err());
        assert!(limiter.reserve(b, t0).is_ok());
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
