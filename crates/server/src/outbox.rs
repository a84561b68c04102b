//! Delivers the outbox: the texts to the city's SMS gateway and the events to its other
//! systems, each a signed JSON POST. Messages are written by the stores with the changes
//! they tell of; here a worker in every process claims the due ones (one worker per
//! message, also across processes), sends them, and records the outcome: delivered, due
//! again after a back-off with jitter (`domain::notify::RetryRule`), or a dead letter once
//! its tries are used up (`civic-server outbox retry` sends those again).
//!
//! Delivery is at least once: a process that dies after the receiver took a message but
//! before recording it leaves the message to be sent again, with the same id, a minute
//! later; receivers drop a repeated id. Nothing here logs a body: only ids, receivers and
//! the HTTP status or the kind of failure.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::clock;
use crate::domain::notify::{Receiver, RetryRule};
use crate::storage::{Claimed, Store, StoreError};

/// The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "X-Civic-Signature";
/// The header that carries the message id (also in the body).
pub const MESSAGE_ID_HEADER: &str = "X-Civic-Message-Id";
/// The header that carries the message's place in the outbox: messages are sent side by side
/// and retried, so they may arrive out of order; a receiver orders one case's by this.
pub const SEQUENCE_HEADER: &str = "X-Civic-Sequence";

/// How long one send may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Messages claimed at once (sent side by side).
const BATCH: u32 = 32;
/// How often a worker looks for due messages.
const POLL: Duration = Duration::from_millis(500);

/// Where one receiver's messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Who this is.
    pub receiver: Receiver,
    /// The `http://` address messages are POSTed to.
    pub url: String,
    /// The secret the body is signed with.
    pub secret: String,
}

/// The signature of `body` sent at `timestamp` (Unix seconds) with `secret`:
/// `t=<timestamp>,v1=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`. A receiver
/// recomputes it and refuses a timestamp older than a few minutes (a replay).
pub fn signature(secret: &[u8], timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "t={timestamp},v1={}",
        crate::hashing::hex(&mac.finalize().into_bytes())
    )
}

/// What one send came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The receiver answered 2xx.
    Delivered,
    /// It answered otherwise, or could not be reached; the words say which (for the log and
    /// the outbox's `last_error`, never the body).
    Failed(String),
}

/// The delivery worker's parts.
#[derive(Debug, Clone)]
pub struct Delivery {
    client: reqwest::Client,
    endpoints: Vec<Endpoint>,
    retry: RetryRule,
    claim: Duration,
}

impl Delivery {
    /// A worker for `endpoints` retrying by `retry`, holding a message it sends for `claim`
    /// (longer than a send may take, [`SEND_TIMEOUT`]): a worker that dies mid-send leaves
    /// the message to another after that.
    pub fn new(
        endpoints: Vec<Endpoint>,
        retry: RetryRule,
        claim: Duration,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(Self {
            client,
            endpoints,
            retry,
            claim,
        })
    }

    /// The receivers this worker sends to.
    pub fn receivers(&self) -> Vec<Receiver> {
        self.endpoints.iter().map(|e| e.receiver).collect()
    }

    /// Sends `message` to `endpoint`, signed at `now` (seconds).
    pub async fn send(&self, endpoint: &Endpoint, message: &Claimed, now: i64) -> Sent {
        let body = &message.body;
        let response = self
            .client
            .post(&endpoint.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(MESSAGE_ID_HEADER, &message.id)
            .header(SEQUENCE_HEADER, message.seq.to_string())
            .header(
                SIGNATURE_HEADER,
                signature(endpoint.secret.as_bytes(), now, body),
            )
            .body(body.to_owned())
            .send()
            .await;
        match response {
            Ok(response) if response.status().is_success() => Sent::Delivered,
            Ok(response) => Sent::Failed(format!("HTTP {}", response.status().as_u16())),
            Err(error) if error.is_timeout() => Sent::Failed("timed out".into()),
            Err(error) if error.is_connect() => Sent::Failed("could not connect".into()),
            Err(_) => Sent::Failed("the request failed".into()),
        }
    }

    /// One round: claims the messages due at `now_ms` and sends them side by side, then
    /// records each outcome. Returns how many were claimed.
    pub async fn deliver_due(
        &self,
        store: &Arc<dyn Store>,
        now_ms: i64,
    ) -> Result<usize, StoreError> {
        let claim_until = now_ms + i64::try_from(self.claim.as_millis()).unwrap_or(i64::MAX);
        let claimed = store
            .claim_messages(&self.receivers(), now_ms, claim_until, BATCH)
            .await?;
        let count = claimed.len();
        let mut sends = tokio::task::JoinSet::new();
        for message in claimed {
            let Some(endpoint) = self
                .endpoints
                .iter()
                .find(|e| e.receiver == message.receiver)
                .cloned()
            else {
                continue;
            };
            let delivery = self.clone();
            let store = store.clone();
            sends.spawn(async move { delivery.deliver(&store, &endpoint, message).await });
        }
        // Every send is waited for, even when recording one failed: dropping the set would
        // cancel the others mid-send.
        let mut failed = None;
        while let Some(done) = sends.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(error)) => failed = Some(error),
                Err(error) => tracing::error!(%error, "an outbox send panicked"),
            }
        }
        failed.map_or(Ok(count), Err)
    }

    /// Sends one claimed message and records what came of it.
    async fn deliver(
        &self,
        store: &Arc<dyn Store>,
        endpoint: &Endpoint,
        message: Claimed,
    ) -> Result<(), StoreError> {
        let receiver = message.receiver.code();
        let sent = self.send(endpoint, &message, clock::now()).await;
        let now_ms = clock::now_millis();
        match sent {
            Sent::Delivered => {
                metrics::counter!("civic_outbox_messages_total", "receiver" => receiver, "outcome" => "delivered")
                    .increment(1);
                tracing::debug!(id = %message.id, receiver, attempts = message.attempts, "message delivered");
                store.message_delivered(message.seq, now_ms).await
            }
            Sent::Failed(error) => {
                let jitter = random_fraction();
                let wait = self.retry.after_failure(message.attempts, jitter);
                let outcome = if wait.is_some() { "failed" } else { "dead" };
                metrics::counter!("civic_outbox_messages_total", "receiver" => receiver, "outcome" => outcome)
                    .increment(1);
                tracing::warn!(
                    id = %message.id,
                    receiver,
                    attempts = message.attempts,
                    %error,
                    dead_letter = wait.is_none(),
                    "message not delivered"
                );
                let next = wait.map(|ms| now_ms + i64::try_from(ms).unwrap_or(i64::MAX));
                store.message_failed(message.seq, next, &error).await
            }
        }
    }

    /// Delivers due messages until the process stops: a round every half second, at once
    /// again while rounds come back full.
    pub async fn run(self, store: Arc<dyn Store>) {
        let mut every = tokio::time::interval(POLL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            loop {
                match self.deliver_due(&store, clock::now_millis()).await {
                    Ok(claimed) if claimed == BATCH as usize => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(?error, "the outbox could not be read");
                        break;
                    }
                }
            }
        }
    }
}

/// A number from 0 to 1 for the retry's jitter.
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_an_hmac_of_the_timestamp_and_body() {
        // The same as Python's
        // hmac.new(b"secret", b'1765000000.{"id":"abc"}', "sha256").hexdigest()
        assert_eq!(
            signature(b"secret", 1_765_000_000, r#"{"id":"abc"}"#),
            "t=1765000000,v1=bdf63c0c5be98448c0feabf7f9df959e43e845ccc52cdfddafbda13c94d14c56"
        );
        assert_ne!(
            signature(b"secret", 1, "{}")[4..],
            signature(b"secret", 2, "{}")[4..],
            "the timestamp is signed"
        );
        assert_ne!(signature(b"a", 1, "{}"), signature(b"b", 1, "{}"));
    }

    #[test]
    fn jitter_stays_between_zero_and_one() {
        for _ in 0..100 {
            assert!((0.0..=1.0).contains(&random_fraction()));
        }
    }
}
