//! Repositories given as URLs are cloned (bare, with gix) into a cache directory first,
//! then scanned like local ones. Which locations may be cloned is decided by a
//! [`RemotePolicy`]; how large and how long a clone may grow by [`CloneLimits`].
//! `file://` locations are never cloned (gix would start `git-upload-pack` for them):
//! [`file_url_path`] turns them into the path to read directly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gix::bstr::ByteSlice;
use gix::protocol::transport::client::blocking_io::http;

use crate::error::ScanError;
use crate::remote_policy::{Host, Refusal, RemotePolicy, RemoteTarget, Scheme};
use niveau_model::Msg;

/// Whether an argument is a URL rather than a path: `scheme://…` or scp-like
/// `user@host:path`.
pub fn is_url(arg: &str) -> bool {
    arg.contains("://") || (arg.contains('@') && arg.contains(':') && !Path::new(arg).exists())
}

/// The cache directory name for a URL: its last path component (without `.git`), made
/// safe, and a hash of the whole URL so that different URLs never share a directory.
pub fn cache_name(url: &str) -> String {
    // FNV-1a: a stable, dependency-free hash for a directory name, not for security.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let last = url
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo")
        .trim_end_matches(".git");
    let safe: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{safe}-{hash:016x}.git")
}

/// The bounds of one clone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloneLimits {
    /// The most bytes the clone may occupy on disk (the received pack, its index and
    /// references); more, and the clone is stopped and removed. `None`: no bound.
    pub max_bytes: Option<u64>,
    /// The longest a clone may take; longer, and it is stopped and removed. `None`: no
    /// bound.
    pub timeout: Option<Duration>,
}

/// How often a running clone's size and time are looked at.
const WATCH_EVERY: Duration = Duration::from_millis(50);

/// The path of a `file://` location, which is read where it is instead of cloned.
/// `None` for anything else.
pub fn file_url_path(arg: &str) -> Option<PathBuf> {
    if !arg.get(..7)?.eq_ignore_ascii_case("file://") {
        return None;
    }
    let url = gix::url::parse(arg.as_bytes().as_bstr()).ok()?;
    if url.scheme != gix::url::Scheme::File {
        return None;
    }
    gix::path::from_bstring(url.path).ok()
}

/// Clones `url` (bare) into `cache/<name>`, replacing an earlier clone of the same URL,
/// and returns the path. The location must pass `policy` ([`RemotePolicy::check`]) and,
/// if the policy checks addresses, its host is resolved once, every address checked, and
/// the connection made to exactly those addresses. Redirects are not followed and no
/// proxy is used when addresses are checked. Configuration of the user and the system is
/// not read; nothing from the repository is run. A clone that fails or outgrows `limits`
/// is removed.
pub fn clone_to_cache(
    url: &str,
    cache: &Path,
    policy: &RemotePolicy,
    limits: &CloneLimits,
) -> Result<PathBuf, ScanError> {
    let refused = |refusal: Refusal| ScanError::Refused {
        url: url.to_owned(),
        refusal,
    };
    let remote = policy.check(url).map_err(refused)?;
    let addrs = policy.resolve(&remote).map_err(refused)?;
    let fail = |message: Msg| ScanError::Clone {
        url: url.to_owned(),
        message: message.en,
        message_da: message.da,
    };
    std::fs::create_dir_all(cache).map_err(|e| {
        let io = Msg::io(&e);
        fail(Msg::new(
            format!("kan ikke oprette {}: {}", cache.display(), io.da),
            format!("cannot create {}: {}", cache.display(), io.en),
        ))
    })?;
    let target = cache.join(cache_name(url));
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| {
            let io = Msg::io(&e);
            fail(Msg::new(
                format!("kan ikke erstatte {}: {}", target.display(), io.da),
                format!("cannot replace {}: {}", target.display(), io.en),
            ))
        })?;
    }
    let result = fetch(url, &remote, addrs, &target, limits);
    if let Err(first) = &result
        && let Err(e) = std::fs::remove_dir_all(&target)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        let io = Msg::io(&e);
        let first = first.msg();
        return Err(fail(Msg::new(
            format!(
                "{}; den delvise kopi {} kunne ikke fjernes: {}",
                first.da,
                target.display(),
                io.da
            ),
            format!(
                "{}; the partial clone {} could not be removed: {}",
                first.en,
                target.display(),
                io.en
            ),
        )));
    }
    result.map(|()| target)
}

/// Why the watchdog stopped a clone.
const STOPPED_NOT: u8 = 0;
const STOPPED_SIZE: u8 = 1;
const STOPPED_TIME: u8 = 2;

fn fetch(
    url: &str,
    remote: &RemoteTarget,
    addrs: Vec<SocketAddr>,
    target: &Path,
    limits: &CloneLimits,
) -> Result<(), ScanError> {
    // What gix says is quoted as it is, after `git:` in Danish.
    let fail = |message: String| ScanError::Clone {
        url: url.to_owned(),
        message_da: format!("git: {message}"),
        message,
    };
    let mut prepare = gix::clone::PrepareFetch::new(
        remote.url.clone(),
        target,
        gix::create::Kind::Bare,
        gix::create::Options::default(),
        gix::open::Options::isolated(),
    )
    .map_err(|e| fail(e.to_string()))?;
    if matches!(remote.scheme, Scheme::Https | Scheme::Http) {
        let host = remote.host.name();
        let pin = matches!(remote.host, Host::Name(_)) && !addrs.is_empty();
        let checked = !addrs.is_empty();
        let timeout = limits.timeout;
        prepare = prepare.configure_connection(move |connection| {
            connection.set_transport_options(Box::new(http_options(
                &host, &addrs, pin, checked, timeout,
            )));
            Ok(())
        });
    }
    let interrupt = AtomicBool::new(false);
    let done = AtomicBool::new(false);
    let stopped = AtomicU8::new(STOPPED_NOT);
    let started = Instant::now();
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let why = if limits.max_bytes.is_some_and(|max| dir_size(target) > max) {
                    STOPPED_SIZE
                } else if limits.timeout.is_some_and(|t| started.elapsed() > t) {
                    STOPPED_TIME
                } else {
                    std::thread::sleep(WATCH_EVERY);
                    continue;
                };
                stopped.store(why, Ordering::Relaxed);
                interrupt.store(true, Ordering::Relaxed);
                break;
            }
        });
        let outcome = prepare
            .fetch_only(gix::progress::Discard, &interrupt)
            .map(|_| ());
        done.store(true, Ordering::Relaxed);
        outcome
    });
    // A clone that finished between two looks may still be too large.
    let stopped = match stopped.load(Ordering::Relaxed) {
        STOPPED_NOT if limits.max_bytes.is_some_and(|max| dir_size(target) > max) => STOPPED_SIZE,
        other => other,
    };
    match (stopped, limits.max_bytes, limits.timeout) {
        (STOPPED_SIZE, Some(max_bytes), _) => Err(ScanError::TooLarge {
            url: url.to_owned(),
            max_bytes,
        }),
        (STOPPED_TIME, _, Some(timeout)) => Err(ScanError::TimedOut {
            url: url.to_owned(),
            seconds: timeout.as_secs(),
        }),
        _ => outcome.map_err(|e| fail(e.to_string())),
    }
}

/// The HTTP transport's options: no redirects; when the addresses were checked, no proxy
/// and the host pinned to them.
fn http_options(
    host: &str,
    addrs: &[SocketAddr],
    pin: bool,
    checked: bool,
    timeout: Option<Duration>,
) -> http::Options {
    let host = host.to_owned();
    let addrs = addrs.to_vec();
    let backend = http::reqwest::Options {
        configure_client: Some(Box::new(move |mut builder| {
            if checked {
                builder = builder.no_proxy();
            }
            if pin {
                builder = builder.resolve_to_addrs(&host, &addrs);
            }
            if let Some(t) = timeout {
                builder = builder.timeout(t);
            }
            Ok(builder)
        })),
        configure_request: None,
    };
    let backend: Arc<Mutex<dyn std::any::Any + Send + Sync>> = Arc::new(Mutex::new(backend));
    http::Options {
        follow_redirects: http::options::FollowRedirects::None,
        connect_timeout: Some(Duration::from_secs(20)),
        user_agent: Some(format!("niveau/{}", env!("CARGO_PKG_VERSION"))),
        backend: Some(backend),
        ..http::Options::default()
    }
}

/// The bytes below `dir` (files only; what cannot be read counts as nothing).
fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if t.is_file() => {
                    total += entry.metadata().map(|m| m.len()).unwrap_or(0);
                }
                _ => {}
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_cache_names() {
        assert!(is_url("https://github.com/OS2offdig/niveau.git"));
        assert!(is_url("file:///tmp/x"));
        assert!(!is_url("."));
        let a = cache_name("https://github.com/OS2offdig/niveau.git");
        assert!(a.starts_with("niveau-"), "{a}");
        assert!(a.ends_with(".git"));
        assert_ne!(a, cache_name("https://gitlab.com/OS2offdig/niveau.git"));
    }

    #[test]
    fn file_urls_are_paths() {
        assert_eq!(
            file_url_path("file:///tmp/x.git"),
            Some(PathBuf::from("/tmp/x.git"))
        );
        assert_eq!(file_url_path("https://github.com/x"), None);
        assert_eq!(file_url_path("/tmp/x"), None);
    }

    /// A listener on 127.0.0.1 that counts the connections it is offered.
    fn listener() -> (std::net::TcpListener, u16) {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let port = l.local_addr().unwrap().port();
        (l, port)
    }

    fn connections(l: &std::net::TcpListener) -> usize {
        let mut n = 0;
        while l.accept().is_ok() {
            n += 1;
        }
        n
    }

    #[test]
    fn finding_8_scan_refuses_loopback_and_link_local() {
        let (l, port) = listener();
        let cache = std::env::temp_dir().join(format!("niveau-f8-{}", std::process::id()));
        // Even with the host on the allow-list and http enabled, the address decides.
        let policy = RemotePolicy::server(
            vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
                "169.254.169.254".into(),
                "[fe80::1]".into(),
            ],
            true,
            false,
        );
        let limits = CloneLimits::default();
        for (url, class) in [
            (format!("http://127.0.0.1:{port}/x.git"), "loopback"),
            (format!("http://localhost:{port}/x.git"), "loopback"),
            (format!("http://[::1]:{port}/x.git"), "loopback"),
            (
                "http://169.254.169.254/latest/meta-data".to_owned(),
                "link-local",
            ),
            ("http://[fe80::1]/x.git".to_owned(), "link-local"),
        ] {
            let err = clone_to_cache(&url, &cache, &policy, &limits).unwrap_err();
            assert!(err.is_permanent(), "{url}: {err}");
            let ScanError::Refused { refusal, .. } = &err else {
                panic!("{url}: {err}");
            };
            assert!(refusal.to_string().contains(class), "{url}: {refusal}");
            assert!(refusal.message(true).contains(class), "{url}: {refusal:?}");
        }
        assert_eq!(connections(&l), 0, "a refused location was connected to");
        assert!(!cache.exists(), "nothing is written for a refused location");

        // The same listener does see a clone the policy lets through (the test switch),
        // so the count above means something.
        let mut open = policy.clone();
        open.allow_loopback = true;
        let url = format!("http://127.0.0.1:{port}/x.git");
        let limits = CloneLimits {
            max_bytes: None,
            timeout: Some(Duration::from_secs(2)),
        };
        let err = clone_to_cache(&url, &cache, &open, &limits).unwrap_err();
        assert!(!matches!(err, ScanError::Refused { .. }), "{err}");
        assert!(connections(&l) >= 1, "{err}");
        // The failed clone leaves nothing behind.
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 0);
        std::fs::remove_dir_all(&cache).unwrap();
    }
}
