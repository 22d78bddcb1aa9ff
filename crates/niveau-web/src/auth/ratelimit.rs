//! An in-process limiter for login attempts, keyed by a string such as the client's IP address.
//!
//! Each key may make at most `max_attempts` attempts in any sliding window of length `window`.
//! The limiter is per process: with several server instances behind a load balancer each
//! instance counts on its own, so the effective limit is the per-instance limit times the
//! number of instances.
//!
//! Callers choose the key. For IPv6 clients, key by the /64 prefix rather than the full address,
//! since one client usually controls a whole /64.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The default bound on the number of keys held at once (see [`RateLimiter::with_max_keys`]).
pub const DEFAULT_MAX_KEYS: usize = 100_000;

/// A thread-safe sliding-window rate limiter with bounded memory.
///
/// Memory is bounded by `max_keys × max_attempts` timestamps. Keys whose attempts have all left
/// the window are dropped once per window. When the limiter is full of active keys, the tenth
/// of keys that were least recently active are forgotten to make room, which gives those keys
/// a fresh allowance: under a flood of distinct keys the limiter degrades by forgetting, never
/// by refusing everyone or growing without bound.
pub struct RateLimiter {
    max_attempts: usize,
    window: Duration,
    max_keys: usize,
    state: Mutex<State>,
}

impl std::fmt::Debug for RateLimiter {
    /// Shows the limits, not the keys (client addresses).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("max_attempts", &self.max_attempts)
            .field("window", &self.window)
            .field("max_keys", &self.max_keys)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// Per key, the times of its attempts within the window, oldest first.
    attempts: HashMap<String, VecDeque<Instant>>,
    /// When keys with no attempt in the window were last dropped.
    last_purge: Option<Instant>,
}

impl RateLimiter {
    /// Returns a limiter that allows `max_attempts` attempts per key in any window of length
    /// `window`, holding at most [`DEFAULT_MAX_KEYS`] keys.
    ///
    /// A `max_attempts` of 0 is treated as 1.
    pub fn new(max_attempts: u32, window: Duration) -> Self {
        let max_attempts = usize::try_from(max_attempts.max(1)).unwrap_or(usize::MAX);
        Self {
            max_attempts,
            window,
            max_keys: DEFAULT_MAX_KEYS,
            state: Mutex::new(State::default()),
        }
    }

    /// Returns this limiter holding at most `max_keys` keys (at least 1) instead of
    /// [`DEFAULT_MAX_KEYS`].
    #[must_use]
    pub fn with_max_keys(mut self, max_keys: usize) -> Self {
        self.max_keys = max_keys.max(1);
        self
    }

    /// Records an attempt for `key` at `now` if the key is within its limit.
    ///
    /// Returns `Ok(())` and counts the attempt when fewer than `max_attempts` attempts of this
    /// key lie within the window before `now`. Otherwise returns `Err(retry_after)`, the time
    /// until the oldest counted attempt leaves the window, and does not count the refused
    /// attempt (so a client that keeps trying is not locked out for longer than the window).
    ///
    /// `now` is passed in so that tests control time; pass `Instant::now()`.
    pub fn check_and_record(&self, key: &str, now: Instant) -> Result<(), Duration> {
        // A panic while holding the lock cannot leave the map in a state that breaks later
        // calls (at worst one key's log is missing an entry), so a poisoned lock is used as is.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.purge_if_due(now, self.window);

        if let Some(log) = state.attempts.get_mut(key) {
            drop_expired(log, now, self.window);
            if log.len() >= self.max_attempts {
                let oldest = log.front().copied().unwrap_or(now);
                let retry_after = oldest
                    .checked_add(self.window)
                    .map_or(self.window, |free_at| {
                        free_at.saturating_duration_since(now)
                    });
                return Err(retry_after);
            }
            log.push_back(now);
            return Ok(());
        }

        if state.attempts.len() >= self.max_keys {
            state.make_room(now, self.window, self.max_keys);
        }
        state.attempts.insert(key.to_owned(), VecDeque::from([now]));
        Ok(())
    }

    /// Forgets all attempts of `key`, for example after a successful login.
    pub fn reset(&self, key: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.attempts.remove(key);
    }

    /// Returns the number of keys currently held.
    pub fn len(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .attempts
            .len()
    }

    /// Returns whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops the attempts of one key that lie outside the window ending at `now`.
fn drop_expired(log: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while log
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= window)
    {
        log.pop_front();
    }
}

impl State {
    /// Drops keys with no attempt in the window, at most once per window so that the cost of
    /// the scan is spread over the calls of a whole window.
    fn purge_if_due(&mut self, now: Instant, window: Duration) {
        let due = self
            .last_purge
            .is_none_or(|last| now.saturating_duration_since(last) >= window);
        if due {
            self.purge(now, window);
        }
    }

    fn purge(&mut self, now: Instant, window: Duration) {
        self.attempts.retain(|_, log| {
            log.back()
                .is_some_and(|t| now.saturating_duration_since(*t) < window)
        });
        self.last_purge = Some(now);
    }

    /// Makes room for one more key when `max_keys` are held: first drops inactive keys, then,
    /// if still full, the least recently active tenth (at least one key), so that the linear
    /// scan happens at most once per tenth of `max_keys` insertions.
    fn make_room(&mut self, now: Instant, window: Duration, max_keys: usize) {
        self.purge(now, window);
        if self.attempts.len() < max_keys {
            return;
        }
        let mut last_seen: Vec<Instant> = self
            .attempts
            .values()
            .filter_map(|log| log.back().copied())
            .collect();
        let evict = (last_seen.len() / 10).max(1);
        let Some(index) = evict.checked_sub(1) else {
            return;
        };
        if index >= last_seen.len() {
            self.attempts.clear();
            return;
        }
        let (_, threshold, _) = last_seen.select_nth_unstable(index);
        let threshold = *threshold;
        self.attempts
            .retain(|_, log| log.back().is_some_and(|t| *t > threshold));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn allows_max_attempts_then_refuses_with_retry_after() {
        let limiter = RateLimiter::new(3, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("10.0.0.1", t0), Ok(()));
        assert_eq!(
            limiter.check_and_record("10.0.0.1", t0 + Duration::from_secs(10)),
            Ok(())
        );
        assert_eq!(
            limiter.check_and_record("10.0.0.1", t0 + Duration::from_secs(20)),
            Ok(())
        );
        // The first attempt leaves the window at t0 + 60 s.
        assert_eq!(
            limiter.check_and_record("10.0.0.1", t0 + Duration::from_secs(25)),
            Err(Duration::from_secs(35))
        );
        assert_eq!(
            limiter.check_and_record("10.0.0.1", t0 + Duration::from_secs(59)),
            Err(Duration::from_secs(1))
        );
    }

    #[test]
    fn window_slides() {
        let limiter = RateLimiter::new(2, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("k", t0), Ok(()));
        assert_eq!(
            limiter.check_and_record("k", t0 + Duration::from_secs(30)),
            Ok(())
        );
        assert_eq!(
            limiter.check_and_record("k", t0 + Duration::from_secs(45)),
            Err(Duration::from_secs(15))
        );
        // At t0 + 60 s the first attempt has left the window; the second is still in it.
        assert_eq!(limiter.check_and_record("k", t0 + MINUTE), Ok(()));
        assert_eq!(
            limiter.check_and_record("k", t0 + Duration::from_secs(61)),
            Err(Duration::from_secs(29))
        );
    }

    #[test]
    fn refused_attempts_are_not_counted() {
        let limiter = RateLimiter::new(1, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("k", t0), Ok(()));
        for second in 1..60 {
            assert!(
                limiter
                    .check_and_record("k", t0 + Duration::from_secs(second))
                    .is_err()
            );
        }
        assert_eq!(limiter.check_and_record("k", t0 + MINUTE), Ok(()));
    }

    #[test]
    fn keys_are_independent() {
        let limiter = RateLimiter::new(1, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("a", t0), Ok(()));
        assert_eq!(limiter.check_and_record("a", t0), Err(MINUTE));
        assert_eq!(limiter.check_and_record("b", t0), Ok(()));
    }

    #[test]
    fn reset_forgets_a_key() {
        let limiter = RateLimiter::new(1, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("a", t0), Ok(()));
        assert!(limiter.check_and_record("a", t0).is_err());
        limiter.reset("a");
        assert_eq!(limiter.check_and_record("a", t0), Ok(()));
    }

    #[test]
    fn zero_max_attempts_means_one() {
        let limiter = RateLimiter::new(0, MINUTE);
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("a", t0), Ok(()));
        assert_eq!(limiter.check_and_record("a", t0), Err(MINUTE));
    }

    #[test]
    fn inactive_keys_are_dropped_once_the_window_has_passed() {
        let limiter = RateLimiter::new(5, MINUTE);
        let t0 = Instant::now();
        for i in 0..50 {
            limiter.check_and_record(&format!("k{i}"), t0).unwrap();
        }
        assert_eq!(limiter.len(), 50);
        limiter.check_and_record("late", t0 + MINUTE).unwrap();
        assert_eq!(limiter.len(), 1);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_keys() {
        let limiter = RateLimiter::new(5, MINUTE).with_max_keys(100);
        let t0 = Instant::now();
        for i in 0..1_000u64 {
            let now = t0 + Duration::from_millis(i);
            assert_eq!(limiter.check_and_record(&format!("k{i}"), now), Ok(()));
            assert!(limiter.len() <= 100, "{} keys after {i}", limiter.len());
        }
        // The most recent key is still limited.
        let last = t0 + Duration::from_millis(999);
        for _ in 0..4 {
            assert_eq!(limiter.check_and_record("k999", last), Ok(()));
        }
        assert!(limiter.check_and_record("k999", last).is_err());
    }

    #[test]
    fn eviction_forgets_the_least_recently_active_keys() {
        let limiter = RateLimiter::new(1, MINUTE).with_max_keys(10);
        let t0 = Instant::now();
        for i in 0..10u64 {
            limiter
                .check_and_record(&format!("k{i}"), t0 + Duration::from_secs(i))
                .unwrap();
        }
        // Full: the next new key evicts k0, the least recently active.
        limiter
            .check_and_record("new", t0 + Duration::from_secs(10))
            .unwrap();
        assert_eq!(limiter.len(), 10);
        let now = t0 + Duration::from_secs(11);
        assert_eq!(
            limiter.check_and_record("k9", now),
            Err(Duration::from_secs(58))
        );
        assert_eq!(
            limiter.check_and_record("new", now),
            Err(Duration::from_secs(59))
        );
    }

    #[test]
    fn poisoned_lock_does_not_panic() {
        let limiter = std::sync::Arc::new(RateLimiter::new(1, MINUTE));
        let clone = std::sync::Arc::clone(&limiter);
        let joined = std::thread::spawn(move || {
            let _guard = clone.state.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        assert!(joined.is_err());
        assert!(limiter.state.is_poisoned());
        let t0 = Instant::now();
        assert_eq!(limiter.check_and_record("a", t0), Ok(()));
        assert_eq!(limiter.check_and_record("a", t0), Err(MINUTE));
    }

    #[test]
    fn is_shared_between_threads() {
        let limiter = std::sync::Arc::new(RateLimiter::new(100, MINUTE));
        let t0 = Instant::now();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let limiter = std::sync::Arc::clone(&limiter);
                std::thread::spawn(move || {
                    (0..50)
                        .filter(|_| limiter.check_and_record("shared", t0).is_ok())
                        .count()
                })
            })
            .collect();
        let allowed: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(allowed, 100);
    }
}
