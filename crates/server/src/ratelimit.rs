//! Per-client limits: at most `max` uses per `window` from one client. A use is reserved
//! before the work and given back if the work made nothing (a refused filing), so a burst
//! gets exactly the limit. Filings are counted in the database ([`SharedLimiter`]: one limit
//! across every process on it); uploads in memory ([`Limiter`]: per process). Both decide
//! with one rule, [`admit`].

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::storage::{Store, StoreError};

/// How many filings one client may make in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Filings allowed.
    pub max: usize,
    /// In this window.
    pub window: Duration,
}

/// Parses `5/600` (five per 600 seconds).
impl Rate {
    /// `max` per `seconds`.
    pub const fn per(max: usize, seconds: u64) -> Self {
        Self {
            max,
            window: Duration::from_secs(seconds),
        }
    }
}

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

/// The recent uses of each client (by [`crate::client::limit_key`]), in memory.
#[derive(Debug)]
pub struct Limiter {
    rate: Rate,
    /// Instants are kept as milliseconds after this one.
    base: Instant,
    recent: Mutex<HashMap<IpAddr, VecDeque<i64>>>,
}

/// A use reserved by [`Limiter::reserve`]: given back when dropped, unless kept.
#[must_use = "a slot dropped at once is given back"]
#[derive(Debug)]
pub struct Slot {
    limiter: Arc<Limiter>,
    client: IpAddr,
    at: i64,
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

/// The window rule: of a client's earlier uses `times` (milliseconds), those less than the
/// window before `now` count; one more is admitted when fewer than `rate.max` count, else the
/// answer is how many seconds until the oldest of them leaves the window (at least 1).
pub fn admit(times: &[i64], rate: Rate, now: i64) -> Result<(), u64> {
    let window = i64::try_from(rate.window.as_millis()).unwrap_or(i64::MAX);
    let mut counted = times.iter().filter(|t| now.saturating_sub(**t) < window);
    let oldest = counted.clone().min().copied();
    if counted.by_ref().count() < rate.max {
        return Ok(());
    }
    let left = window - now.saturating_sub(oldest.unwrap_or(now));
    Err(u64::try_from((left + 999) / 1000).unwrap_or(1).max(1))
}

impl Limiter {
    /// A limiter allowing `rate` per client.
    pub fn new(rate: Rate) -> Arc<Self> {
        Arc::new(Self {
            rate,
            base: Instant::now(),
            recent: Mutex::new(HashMap::new()),
        })
    }

    fn millis(&self, at: Instant) -> i64 {
        i64::try_from(at.saturating_duration_since(self.base).as_millis()).unwrap_or(i64::MAX)
    }

    /// Takes one use for `client` at `now` in the same step as checking it, so a burst of
    /// requests at once gets exactly the limit; `Err(seconds to wait)` when none is left.
    pub fn reserve(self: &Arc<Self>, client: IpAddr, now: Instant) -> Result<Slot, u64> {
        let now = self.millis(now);
        let window = i64::try_from(self.rate.window.as_millis()).unwrap_or(i64::MAX);
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let times = recent.entry(client).or_default();
        while times.front().is_some_and(|t| now - *t >= window) {
            times.pop_front();
        }
        admit(times.make_contiguous(), self.rate, now)?;
        times.push_back(now);
        // Forget clients with nothing recent, so the map does not grow without bound.
        if recent.len() > 10_000 {
            recent.retain(|_, times| times.back().is_some_and(|t| now - *t < window));
        }
        Ok(Slot {
            limiter: Arc::clone(self),
            client,
            at: now,
            kept: false,
        })
    }

    fn refund(&self, client: IpAddr, at: i64) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(times) = recent.get_mut(&client)
            && let Some(i) = times.iter().rposition(|t| *t == at)
        {
            times.remove(i);
        }
    }
}

/// A per-client limit counted in the database (`CoordinationStore::reserve_use`): one
/// count across every process on it.
#[derive(Debug, Clone)]
pub struct SharedLimiter {
    scope: &'static str,
    rate: Rate,
    key: Arc<[u8]>,
}

/// A use reserved by [`SharedLimiter::reserve`]: given back when dropped, unless kept (also
/// when the request is dropped midway, the client having gone).
#[must_use = "a slot dropped at once is given back"]
pub struct SharedSlot {
    store: Arc<dyn Store>,
    id: i64,
    kept: bool,
}

impl SharedSlot {
    /// The use happened: it counts until the window passes it.
    pub fn keep(mut self) {
        self.kept = true;
    }

    /// The work made nothing: the use is given back before this returns, so the client's
    /// next request finds it free (a dropped slot gives it back a moment later).
    pub async fn give_back(mut self) {
        self.kept = true;
        if let Err(error) = self.store.give_back_use(self.id).await {
            tracing::warn!(?error, "could not give a limit's use back");
        }
    }
}

impl Drop for SharedSlot {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let (store, id) = (Arc::clone(&self.store), self.id);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = store.give_back_use(id).await {
                    // Not given back: it counts until its window passes.
                    tracing::warn!(?error, "could not give a limit's use back");
                }
            });
        }
    }
}

impl SharedLimiter {
    /// A limit of `rate` per client on the uses named `scope`; clients are stored as a hash
    /// keyed with a key derived from `secret` (the server's), never as addresses.
    pub fn new(scope: &'static str, rate: Rate, secret: &[u8]) -> Self {
        let mut material = b"civic limit clients\0".to_vec();
        material.extend_from_slice(secret);
        let key = crate::hashing::hex_sha256(&material).into_bytes().into();
        Self { scope, rate, key }
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.rate.window
    }

    /// How `client` is kept in the database: 128 bits of a keyed hash of its limit key.
    fn client(&self, client: IpAddr) -> String {
        let mut keyed = self.key.to_vec();
        keyed.extend_from_slice(client.to_string().as_bytes());
        let mut hash = crate::hashing::hex_sha256(&keyed);
        hash.truncate(32);
        hash
    }

    /// Takes one use for `client` at `now_ms` in the same transaction as counting the
    /// client's uses in every process; `Ok(Err(seconds to wait))` when none is left.
    pub async fn reserve(
        &self,
        store: &Arc<dyn Store>,
        client: IpAddr,
        now_ms: i64,
    ) -> Result<Result<SharedSlot, u64>, StoreError> {
        let window = i64::try_from(self.rate.window.as_millis()).unwrap_or(i64::MAX);
        let rate = self.rate;
        let reserved = store
            .reserve_use(self.scope, &self.client(client), now_ms, window, &|times| {
                admit(times, rate, now_ms)
            })
            .await?;
        Ok(reserved.map(|id| SharedSlot {
            store: Arc::clone(store),
            id,
            kept: false,
        }))
    }
}

/// Wrong credentials (staff tokens, tracking codes) from one client, counted in the database
/// so the count holds across processes. An attempt takes a use before the credential is
/// checked and gives it back when the credential was right: only failures count, a success
/// is never slowed, and a client past the limit is refused before its guess is even tried.
#[derive(Debug, Clone)]
pub struct FailureLimiter {
    limiter: SharedLimiter,
    /// What is guessed (`staff_token`, `tracking_code`): the metrics' label.
    pub credential: &'static str,
}

/// One check of a credential, holding its use until it is known right or wrong. Dropped
/// without a verdict (the check failed for another reason), its use is given back.
#[must_use = "an attempt dropped at once is given back"]
pub struct Attempt(SharedSlot);

impl Attempt {
    /// The credential was wrong: the use stays counted.
    pub fn failed(self) {
        self.0.keep();
    }

    /// The credential was right: the use is given back.
    pub async fn succeeded(self) {
        self.0.give_back().await;
    }
}

impl FailureLimiter {
    /// A limit of `rate` failures per client, its clients keyed with `secret`.
    pub fn new(credential: &'static str, rate: Rate, secret: &[u8]) -> Self {
        Self {
            limiter: SharedLimiter::new(credential, rate, secret),
            credential,
        }
    }

    /// How long a failure counts.
    pub fn window(&self) -> Duration {
        self.limiter.window()
    }

    /// Begins an attempt by `client` at `now_ms`, or the seconds to wait when it has failed
    /// too often.
    pub async fn begin(
        &self,
        store: &Arc<dyn Store>,
        client: IpAddr,
        now_ms: i64,
    ) -> Result<Result<Attempt, u64>, StoreError> {
        let client = crate::client::limit_key(client);
        Ok(self
            .limiter
            .reserve(store, client, now_ms)
            .await?
            .map(Attempt))
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
        // (earlier uses, now, the answer), in seconds
        let cases: &[(&[i64], i64, Result<(), u64>)] = &[
            (&[], 0, Ok(())),
            (&[0], 0, Ok(())),
            (&[0, 0], 0, Err(600)),
            (&[0, 100], 150, Err(450)),
            (&[0, 100], 600, Ok(())),
            (&[0, 100], 599, Err(1)),
            (&[0, 100], 10_000, Ok(())),
            // Uses out of the window do not count, whatever their order.
            (&[100, -700, 0], 150, Err(450)),
            (&[-700, -650], 0, Ok(())),
        ];
        for (uses, now, answer) in cases {
            let times: Vec<i64> = uses.iter().map(|s| s * 1000).collect();
            assert_eq!(
                admit(&times, rate, now * 1000),
                *answer,
                "{uses:?} at {now}"
            );
        }
        // A wait is rounded up to whole seconds, never 0.
        assert_eq!(admit(&[0, 1], rate, 599_999), Err(1));
        assert_eq!(admit(&[0, 1], rate, 1_500), Err(599));
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
