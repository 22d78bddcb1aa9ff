//! In-process limits on login attempts: a sliding-window [`RateLimiter`] keyed by a string,
//! and the [`LoginGuard`] that the password login (API and login page) goes through.
//!
//! # What the login guard does
//!
//! Every password login names an account (the typed user name, whether or not it exists)
//! and comes from a client (its IP address, an IPv6 client by its /64 prefix, see
//! [`crate::auth::login::client_key`]). The guard keeps four counts:
//!
//! 1. **Attempts per client** (`attempts_per_minute`, default 20 in any minute): every
//!    attempt counts, successful or not, and nothing resets the count, so logging into
//!    one's own account does not buy more guesses at another.
//! 2. **Failures per client** (`failures_per_hour`, default 30 in any hour), across all
//!    accounts: bounds password spraying (one guess at many accounts) from one client. A
//!    success does not reset it either.
//! 3. **Failures per account and client**: the first `max_failures` (default 5) failures in
//!    a row are free; each further failure makes *that client* wait before its next attempt
//!    *on that account*: 1 minute (`first_wait_seconds`), then 2, 4, 8 … up to
//!    `lock_minutes` (default 15). A success from that client on that account clears it.
//!    Another client is not affected, so an attacker cannot lock the secretariat out.
//! 4. **Failures per account** from all clients (`account_failures_per_hour`, default 20 in
//!    any hour): when an account reaches it, it is under attack from several clients, and
//!    from then on every client that fails on it waits after its first failure (the free
//!    failures of 3. are gone). Clients that have not failed on it still log in at once.
//!
//! A client that must wait gets `429` with `Retry-After`, whether or not the account
//! exists. A wrong password, an unknown account and a disabled account all get the same
//! `401` (the caller runs a dummy argon2id verification for unknown accounts so the time
//! is alike). No account is ever locked for everyone.
//!
//! The guard lives in memory and is per process: with several server instances behind a
//! load balancer each instance counts on its own, so the effective limits are the
//! per-instance limits times the number of instances. Time is passed in (`now`), so tests
//! control the clock. Memory is bounded: each table holds at most [`DEFAULT_MAX_KEYS`]
//! keys and forgets the least recently active tenth when full.

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
        let mut state = self.lock();
        state.purge_if_due(now, self.window);
        if let Some(wait) = self.full_for(&mut state, key, now) {
            return Err(wait);
        }
        self.push(&mut state, key, now);
        Ok(())
    }

    /// Returns `Err(retry_after)` if `key` has used up its attempts in the window before
    /// `now`, like [`check_and_record`](Self::check_and_record), but counts nothing.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut state = self.lock();
        match self.full_for(&mut state, key, now) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Counts an attempt for `key` at `now` even if the key is over its limit (then the
    /// oldest counted attempt is forgotten, so a key never holds more than `max_attempts`).
    /// Returns whether the key has now used up its attempts.
    pub fn record(&self, key: &str, now: Instant) -> bool {
        let mut state = self.lock();
        state.purge_if_due(now, self.window);
        if let Some(log) = state.attempts.get_mut(key) {
            drop_expired(log, now, self.window);
            while log.len() >= self.max_attempts {
                log.pop_front();
            }
        }
        self.push(&mut state, key, now);
        state
            .attempts
            .get(key)
            .is_some_and(|log| log.len() >= self.max_attempts)
    }

    /// A panic while holding the lock cannot leave the map in a state that breaks later
    /// calls (at worst one key's log is missing an entry), so a poisoned lock is used as is.
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The time until `key` may try again, if it has used up its attempts.
    fn full_for(&self, state: &mut State, key: &str, now: Instant) -> Option<Duration> {
        let log = state.attempts.get_mut(key)?;
        drop_expired(log, now, self.window);
        if log.len() < self.max_attempts {
            return None;
        }
        let oldest = log.front().copied().unwrap_or(now);
        Some(
            oldest
                .checked_add(self.window)
                .map_or(self.window, |free_at| {
                    free_at.saturating_duration_since(now)
                }),
        )
    }

    /// Appends an attempt at `now` to `key`'s log, making room for a new key if needed.
    fn push(&self, state: &mut State, key: &str, now: Instant) {
        if let Some(log) = state.attempts.get_mut(key) {
            log.push_back(now);
            return;
        }
        if state.attempts.len() >= self.max_keys {
            state.make_room(now, self.window, self.max_keys);
        }
        state.attempts.insert(key.to_owned(), VecDeque::from([now]));
    }

    /// Forgets all attempts of `key` (the login guard forgets an account's failures when it
    /// gets a new password).
    pub fn reset(&self, key: &str) {
        self.lock().attempts.remove(key);
    }

    /// Returns the number of keys currently held.
    pub fn len(&self) -> usize {
        self.lock().attempts.len()
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

/// The limits of a [`LoginGuard`] (see the module documentation for what each one does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardSettings {
    /// Attempts per client in any minute, successful or not.
    pub attempts_per_minute: u32,
    /// Failed attempts per client in any hour, on any account.
    pub failures_per_hour: u32,
    /// Failures in a row per account and client before that client has to wait.
    pub free_failures: u32,
    /// The first wait; each further failure doubles it.
    pub first_wait: Duration,
    /// The longest wait.
    pub longest_wait: Duration,
    /// Failed attempts on one account from all clients in any hour before every failing
    /// client has to wait after its first failure.
    pub account_failures_per_hour: u32,
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardSettings {
            attempts_per_minute: 20,
            failures_per_hour: 30,
            free_failures: 5,
            first_wait: Duration::from_secs(60),
            longest_wait: Duration::from_secs(15 * 60),
            account_failures_per_hour: 20,
        }
    }
}

/// How long failures of an account and client are remembered after the last one.
const PAIR_MEMORY: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest account name the guard keys by, in characters (longer names cannot exist;
/// cutting them keeps the tables small).
const MAX_NAME_CHARS: usize = 200;

const HOUR: Duration = Duration::from_secs(60 * 60);

/// Failures in a row of one client on one account.
#[derive(Debug, Clone, Copy)]
struct Pair {
    failures: u32,
    /// The client may try this account again from then on.
    wait_until: Option<Instant>,
    last_failure: Instant,
}

#[derive(Default)]
struct Pairs {
    /// (account name, client key) → failures in a row.
    map: HashMap<(String, String), Pair>,
    last_purge: Option<Instant>,
}

impl Pairs {
    /// Drops pairs whose last failure is older than [`PAIR_MEMORY`] and that do not wait,
    /// at most once an hour unless `force`.
    fn purge(&mut self, now: Instant, force: bool) {
        let due = force
            || self
                .last_purge
                .is_none_or(|last| now.saturating_duration_since(last) >= HOUR);
        if !due {
            return;
        }
        self.map.retain(|_, pair| {
            pair.wait_until.is_some_and(|until| until > now)
                || now.saturating_duration_since(pair.last_failure) < PAIR_MEMORY
        });
        self.last_purge = Some(now);
    }

    /// Makes room for one more pair: drops old pairs, then the tenth (at least one) whose
    /// last failure is the oldest.
    fn make_room(&mut self, now: Instant, max_keys: usize) {
        self.purge(now, true);
        if self.map.len() < max_keys {
            return;
        }
        let mut last: Vec<Instant> = self.map.values().map(|p| p.last_failure).collect();
        let evict = (last.len() / 10).max(1);
        let Some(index) = evict.checked_sub(1) else {
            return;
        };
        if index >= last.len() {
            self.map.clear();
            return;
        }
        let (_, threshold, _) = last.select_nth_unstable(index);
        let threshold = *threshold;
        self.map.retain(|_, pair| pair.last_failure > threshold);
    }
}

/// The password login's protection against guessing: per-client attempt and failure
/// budgets that a success does not reset, per account-and-client waits that double, and a
/// per-account budget across clients. See the module documentation.
pub struct LoginGuard {
    settings: GuardSettings,
    /// Per client: every attempt.
    attempts: RateLimiter,
    /// Per client: failures, on any account.
    client_failures: RateLimiter,
    /// Per account name: failures, from any client.
    account_failures: RateLimiter,
    pairs: Mutex<Pairs>,
    max_keys: usize,
}

impl std::fmt::Debug for LoginGuard {
    /// Shows the limits, not the keys (account names and client addresses).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginGuard")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The name the guard keys an account by: as the store looks it up (trimmed), cut to
/// [`MAX_NAME_CHARS`].
fn account_key(name: &str) -> String {
    name.trim().chars().take(MAX_NAME_CHARS).collect()
}

impl LoginGuard {
    /// A guard with these limits, holding at most [`DEFAULT_MAX_KEYS`] keys per table.
    pub fn new(settings: GuardSettings) -> Self {
        LoginGuard::with_max_keys(settings, DEFAULT_MAX_KEYS)
    }

    /// A guard whose tables hold at most `max_keys` keys each (at least 1).
    pub fn with_max_keys(settings: GuardSettings, max_keys: usize) -> Self {
        let max_keys = max_keys.max(1);
        LoginGuard {
            settings,
            attempts: RateLimiter::new(settings.attempts_per_minute, Duration::from_secs(60))
                .with_max_keys(max_keys),
            client_failures: RateLimiter::new(settings.failures_per_hour, HOUR)
                .with_max_keys(max_keys),
            account_failures: RateLimiter::new(settings.account_failures_per_hour, HOUR)
                .with_max_keys(max_keys),
            pairs: Mutex::new(Pairs::default()),
            max_keys,
        }
    }

    /// The limits.
    pub fn settings(&self) -> GuardSettings {
        self.settings
    }

    fn pairs(&self) -> std::sync::MutexGuard<'_, Pairs> {
        // As in RateLimiter::lock: a poisoned lock leaves usable data.
        self.pairs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks whether `client` may try to log into `account` at `now`, and counts the attempt
    /// if so. `Err(retry_after)` when it must wait (the same whether the account exists).
    pub fn check(&self, account: &str, client: &str, now: Instant) -> Result<(), Duration> {
        let key = (account_key(account), client.to_owned());
        if let Some(until) = self
            .pairs()
            .map
            .get(&key)
            .and_then(|pair| pair.wait_until)
            .filter(|until| *until > now)
        {
            return Err(until.saturating_duration_since(now));
        }
        self.client_failures.check(client, now)?;
        self.attempts.check_and_record(client, now)
    }

    /// Records a failed attempt (wrong password, unknown or disabled account) of `client`
    /// on `account` at `now`. Returns how long the client must now wait before its next
    /// attempt on this account, if it must.
    pub fn failure(&self, account: &str, client: &str, now: Instant) -> Option<Duration> {
        let account = account_key(account);
        self.client_failures.record(client, now);
        let under_attack = self.account_failures.record(&account, now);
        let free = if under_attack {
            0
        } else {
            self.settings.free_failures
        };
        let mut pairs = self.pairs();
        pairs.purge(now, false);
        let key = (account, client.to_owned());
        if !pairs.map.contains_key(&key) && pairs.map.len() >= self.max_keys {
            pairs.make_room(now, self.max_keys);
        }
        let pair = pairs.map.entry(key).or_insert(Pair {
            failures: 0,
            wait_until: None,
            last_failure: now,
        });
        pair.failures = pair.failures.saturating_add(1);
        pair.last_failure = now;
        let beyond = pair.failures.checked_sub(free).filter(|n| *n > 0)?;
        let wait = self.wait_after(beyond);
        pair.wait_until = now.checked_add(wait);
        Some(wait)
    }

    /// The wait after the `n`-th failure beyond the free ones (n ≥ 1): the first wait,
    /// doubled n − 1 times, at most the longest wait.
    fn wait_after(&self, n: u32) -> Duration {
        let doublings = n.saturating_sub(1).min(31);
        self.settings
            .first_wait
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.settings.longest_wait)
            .min(self.settings.longest_wait.max(self.settings.first_wait))
    }

    /// Records a successful login of `client` on `account`: forgets that pair's failures
    /// in a row. The per-client and per-account budgets are not reset.
    pub fn success(&self, account: &str, client: &str) {
        self.pairs()
            .map
            .remove(&(account_key(account), client.to_owned()));
    }

    /// Forgets every failure recorded for `account` (its password was just replaced).
    pub fn forget_account(&self, account: &str) {
        let account = account_key(account);
        self.pairs().map.retain(|(name, _), _| *name != account);
        self.account_failures.reset(&account);
    }

    /// The accounts that at least one client must wait for at `now` (for the admin pages).
    pub fn waiting_accounts(&self, now: Instant) -> std::collections::HashSet<String> {
        self.pairs()
            .map
            .iter()
            .filter(|(_, pair)| pair.wait_until.is_some_and(|until| until > now))
            .map(|((name, _), _)| name.clone())
            .collect()
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
    // The login guard, on an injected clock.

    const SECOND: Duration = Duration::from_secs(1);

    fn guard(settings: GuardSettings) -> LoginGuard {
        LoginGuard::new(settings)
    }

    /// Lots of attempts and failures per client, so a test sees only the limit it is about.
    fn roomy() -> GuardSettings {
        GuardSettings {
            attempts_per_minute: 1000,
            failures_per_hour: 1000,
            free_failures: 5,
            first_wait: MINUTE,
            longest_wait: 15 * MINUTE,
            account_failures_per_hour: 1000,
        }
    }

    #[test]
    fn finding_2_success_does_not_reset_limit_for_other_accounts() {
        let g = guard(GuardSettings {
            attempts_per_minute: 5,
            ..roomy()
        });
        let t0 = Instant::now();
        // Two guesses at the victim, a login to one's own account, and again.
        for round in 0..2u64 {
            let t = t0 + SECOND * u32::try_from(round).unwrap();
            assert_eq!(g.check("victim", "10.0.0.1", t), Ok(()));
            g.failure("victim", "10.0.0.1", t);
            assert_eq!(g.check("victim", "10.0.0.1", t), Ok(()));
            g.failure("victim", "10.0.0.1", t);
            if round == 0 {
                assert_eq!(g.check("mine", "10.0.0.1", t), Ok(()));
                g.success("mine", "10.0.0.1");
            }
        }
        // Five attempts in the minute: the sixth waits, on any account, own included.
        let t = t0 + 2 * SECOND;
        assert_eq!(g.check("victim", "10.0.0.1", t), Err(58 * SECOND));
        assert_eq!(g.check("mine", "10.0.0.1", t), Err(58 * SECOND));
        // Another client is not affected.
        assert_eq!(g.check("victim", "10.0.0.2", t), Ok(()));
    }

    #[test]
    fn finding_2_failure_budget_per_client_spans_accounts_and_survives_success() {
        let g = guard(GuardSettings {
            failures_per_hour: 3,
            ..roomy()
        });
        let t0 = Instant::now();
        for (i, account) in ["a", "b", "c"].iter().enumerate() {
            let t = t0 + MINUTE * u32::try_from(i).unwrap();
            assert_eq!(g.check(account, "c1", t), Ok(()));
            g.failure(account, "c1", t);
            g.success("mine", "c1");
        }
        let t = t0 + 3 * MINUTE;
        assert_eq!(g.check("d", "c1", t), Err(57 * MINUTE));
        assert_eq!(g.check("mine", "c1", t), Err(57 * MINUTE));
        assert_eq!(g.check("d", "c2", t), Ok(()));
        // An hour after the first failure, one more is allowed.
        assert_eq!(g.check("d", "c1", t0 + 60 * MINUTE), Ok(()));
    }

    #[test]
    fn waits_start_after_the_free_failures_and_double_up_to_the_longest() {
        let g = guard(roomy());
        let t0 = Instant::now();
        for _ in 0..5 {
            assert_eq!(g.check("sek", "c1", t0), Ok(()));
            assert_eq!(g.failure("sek", "c1", t0), None);
        }
        // The sixth failure: 1 minute.
        assert_eq!(g.check("sek", "c1", t0), Ok(()));
        assert_eq!(g.failure("sek", "c1", t0), Some(MINUTE));
        assert_eq!(g.check("sek", "c1", t0 + 30 * SECOND), Err(30 * SECOND));
        let mut t = t0 + MINUTE;
        let mut expected = vec![2, 4, 8, 15, 15];
        expected.reverse();
        while let Some(minutes) = expected.pop() {
            assert_eq!(g.check("sek", "c1", t), Ok(()));
            assert_eq!(g.failure("sek", "c1", t), Some(minutes * MINUTE));
            assert!(g.check("sek", "c1", t + minutes * MINUTE - SECOND).is_err());
            t += minutes * MINUTE;
        }
        // A success from that client clears the waits.
        assert_eq!(g.check("sek", "c1", t), Ok(()));
        g.success("sek", "c1");
        assert_eq!(g.failure("sek", "c1", t), None);
    }

    #[test]
    fn finding_2_attacker_cannot_lock_out_other_client() {
        let g = guard(roomy());
        let t0 = Instant::now();
        for _ in 0..10 {
            if g.check("sek", "attacker", t0).is_ok() {
                g.failure("sek", "attacker", t0);
            }
        }
        assert!(g.check("sek", "attacker", t0).is_err());
        assert_eq!(g.check("sek", "office", t0), Ok(()));
        assert!(g.waiting_accounts(t0).contains("sek"));
        assert!(!g.waiting_accounts(t0 + MINUTE).contains("sek"));
    }

    #[test]
    fn finding_2_unknown_and_known_accounts_are_guarded_alike() {
        // The guard never asks whether an account exists: any name gets the same answers.
        let g = guard(roomy());
        let t0 = Instant::now();
        let mut answers = Vec::new();
        for name in ["sek", "nobody-here"] {
            let mut seen = Vec::new();
            for i in 0..8u32 {
                let t = t0 + SECOND * i;
                let answer = g.check(name, name, t);
                if answer.is_ok() {
                    g.failure(name, name, t);
                }
                seen.push(answer);
            }
            answers.push(seen);
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(answers[0][6], Err(MINUTE - SECOND));
    }

    #[test]
    fn an_account_under_attack_from_many_clients_makes_each_failing_client_wait_at_once() {
        let g = guard(GuardSettings {
            account_failures_per_hour: 4,
            ..roomy()
        });
        let t0 = Instant::now();
        // Four clients fail once each: the account is now under attack.
        for i in 0..4 {
            let client = format!("bot{i}");
            assert_eq!(g.check("sek", &client, t0), Ok(()));
            let wait = g.failure("sek", &client, t0);
            assert_eq!(wait, (i == 3).then_some(MINUTE), "client {i}");
        }
        // A fifth client waits after its first failure.
        assert_eq!(g.check("sek", "bot4", t0), Ok(()));
        assert_eq!(g.failure("sek", "bot4", t0), Some(MINUTE));
        assert!(g.check("sek", "bot4", t0).is_err());
        // A client that has not failed still gets in.
        assert_eq!(g.check("sek", "office", t0), Ok(()));
        g.success("sek", "office");
        // Other accounts keep their free failures.
        assert_eq!(g.check("anna", "bot5", t0), Ok(()));
        assert_eq!(g.failure("anna", "bot5", t0), None);
        // An hour later the account is no longer under attack.
        let later = t0 + 61 * MINUTE;
        assert_eq!(g.check("sek", "bot6", later), Ok(()));
        assert_eq!(g.failure("sek", "bot6", later), None);
    }

    #[test]
    fn forgetting_an_account_ends_its_waits() {
        let g = guard(GuardSettings {
            free_failures: 0,
            ..roomy()
        });
        let t0 = Instant::now();
        assert_eq!(g.failure("sek", "c1", t0), Some(MINUTE));
        assert!(g.check("sek", "c1", t0).is_err());
        g.forget_account(" sek ");
        assert_eq!(g.check("sek", "c1", t0), Ok(()));
    }

    #[test]
    fn names_are_keyed_as_the_store_looks_them_up() {
        let g = guard(GuardSettings {
            free_failures: 0,
            ..roomy()
        });
        let t0 = Instant::now();
        g.failure(" sek", "c1", t0);
        assert!(g.check("sek ", "c1", t0).is_err());
        let long = "x".repeat(10_000);
        g.failure(&long, "c1", t0);
        assert!(g.check(&"x".repeat(MAX_NAME_CHARS), "c1", t0).is_err());
    }

    #[test]
    fn pairs_are_forgotten_a_day_after_the_last_failure_and_memory_is_bounded() {
        let g = LoginGuard::with_max_keys(roomy(), 50);
        let t0 = Instant::now();
        for i in 0..500u32 {
            g.failure(&format!("user{i}"), "c1", t0 + SECOND * i);
            assert!(g.pairs().map.len() <= 50);
        }
        for _ in 0..4 {
            g.failure("sek", "c1", t0);
        }
        // A day later, five more failures are free again.
        let later = t0 + PAIR_MEMORY + 10 * MINUTE;
        g.failure("other", "c2", later);
        for _ in 0..5 {
            assert_eq!(g.failure("sek", "c1", later), None);
        }
    }

    #[test]
    fn record_counts_beyond_the_limit_without_growing() {
        let limiter = RateLimiter::new(2, MINUTE);
        let t0 = Instant::now();
        assert!(!limiter.record("k", t0));
        assert!(limiter.record("k", t0 + SECOND));
        assert!(limiter.record("k", t0 + 2 * SECOND));
        // The two most recent are kept: free again a minute after the second-last.
        assert_eq!(limiter.check("k", t0 + 30 * SECOND), Err(31 * SECOND));
        assert_eq!(limiter.check("k", t0 + MINUTE + SECOND), Ok(()));
    }
}
