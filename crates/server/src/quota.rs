//! Per-token write quotas (issue 15, item 6): token buckets, so a team cannot flood the record (a
//! team once wrote 53 MB in 10 s). Each team user has a bucket of writes and, per talk, a bucket
//! of bytes (the size of the request bodies it writes, as JSON without padding); a write that
//! finds a bucket short is a 429 with `Retry-After` (the seconds until it would pass) in the
//! API's JSON error shape. The admin (the US lead, who replays and imports the record) has no
//! quota, and analysts do not write. The limits are in docs/security.md ("The record").

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::auth::{Caller, Role};
use crate::error::ApiError;

/// Writes a team user may send at once.
pub const WRITE_BURST: f64 = 20.0;
/// Writes a minute a team user may keep sending.
pub const WRITES_PER_MINUTE: f64 = 60.0;
/// Bytes a team user may write to one talk at once (1 MiB).
pub const BYTES_BURST: f64 = 1024.0 * 1024.0;
/// Bytes an hour a team user may keep writing to one talk (1 MiB).
pub const BYTES_PER_HOUR: f64 = 1024.0 * 1024.0;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// Take `amount` from a bucket of `capacity` refilled at `rate` a second, or say how many
    /// seconds until it could be taken.
    fn take(&mut self, amount: f64, capacity: f64, rate: f64, now: Instant) -> Result<(), u64> {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(capacity);
        self.at = now;
        if self.tokens >= amount {
            self.tokens -= amount;
            Ok(())
        } else {
            Err(((amount - self.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// The buckets of every team user (one entry per user and talk written: bounded by the users).
#[derive(Debug, Default)]
pub struct Quotas {
    writes: Mutex<HashMap<String, Bucket>>,
    bytes: Mutex<HashMap<(String, String), Bucket>>,
}

fn bucket<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Bucket>,
    key: K,
    capacity: f64,
    now: Instant,
) -> &mut Bucket {
    map.entry(key).or_insert(Bucket {
        tokens: capacity,
        at: now,
    })
}

impl Quotas {
    /// Charge one write of `bytes` to talk `talk` by `caller`: a 429 `too_many_requests` with the
    /// seconds to wait when a bucket is short (nothing is taken then).
    pub fn charge(&self, caller: &Caller, talk: &str, bytes: usize) -> Result<(), ApiError> {
        if !matches!(caller.role, Role::Team(_)) {
            return Ok(());
        }
        let now = Instant::now();
        // A poisoned lock only means a panic elsewhere mid-update: the counts are still usable.
        let mut writes = self.writes.lock().unwrap_or_else(|e| e.into_inner());
        let mut sizes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        let w = bucket(&mut writes, caller.name.clone(), WRITE_BURST, now);
        let b = bucket(
            &mut sizes,
            (caller.name.clone(), talk.to_string()),
            BYTES_BURST,
            now,
        );
        let (w_before, b_before) = (*w, *b);
        if let Err(wait) = w.take(1.0, WRITE_BURST, WRITES_PER_MINUTE / 60.0, now) {
            return Err(ApiError::too_many_requests(
                format!(
                    "{} sent more than {WRITE_BURST} writes at once or {WRITES_PER_MINUTE} a minute: retry in {wait} s",
                    caller.name
                ),
            )
            .retry_after(u32::try_from(wait).unwrap_or(u32::MAX)));
        }
        if let Err(wait) = b.take(bytes as f64, BYTES_BURST, BYTES_PER_HOUR / 3600.0, now) {
            *w = w_before;
            *b = b_before;
            return Err(ApiError::too_many_requests(format!(
                "{} wrote more than {} KiB to talk {talk} in the last hour: retry in {wait} s",
                caller.name,
                BYTES_PER_HOUR as u64 / 1024
            ))
            .retry_after(u32::try_from(wait).unwrap_or(u32::MAX)));
        }
        Ok(())
    }
}

/// The size a body writes: its JSON without padding.
pub fn body_bytes<T: serde::Serialize>(body: &T) -> usize {
    serde_json::to_vec(body).map_or(0, |v| v.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refills_at_its_rate_and_says_how_long_to_wait() {
        let t0 = Instant::now();
        let mut b = Bucket {
            tokens: 2.0,
            at: t0,
        };
        assert!(b.take(1.0, 2.0, 1.0, t0).is_ok());
        assert!(b.take(1.0, 2.0, 1.0, t0).is_ok());
        assert_eq!(b.take(1.0, 2.0, 1.0, t0), Err(1));
        let later = t0 + std::time::Duration::from_millis(1500);
        assert!(b.take(1.0, 2.0, 1.0, later).is_ok());
        assert_eq!(b.take(2.0, 2.0, 0.5, later), Err(3));
    }
}
