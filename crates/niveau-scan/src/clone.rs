//! Repositories given as URLs are cloned (bare, with gix) into a cache directory first,
//! then scanned like local ones.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::error::ScanError;

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

/// Clones `url` (bare) into `cache/<name>`, replacing an earlier clone of the same URL,
/// and returns the path. Configuration of the user and the system is not read; nothing
/// from the repository is run.
pub fn clone_to_cache(url: &str, cache: &Path) -> Result<PathBuf, ScanError> {
    let fail = |message: String| ScanError::Clone {
        url: url.to_owned(),
        message,
    };
    std::fs::create_dir_all(cache)
        .map_err(|e| fail(format!("cannot create {}: {e}", cache.display())))?;
    let target = cache.join(cache_name(url));
    if target.exists() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| fail(format!("cannot replace {}: {e}", target.display())))?;
    }
    let mut prepare = gix::clone::PrepareFetch::new(
        url,
        &target,
        gix::create::Kind::Bare,
        gix::create::Options::default(),
        gix::open::Options::isolated(),
    )
    .map_err(|e| fail(e.to_string()))?;
    let interrupt = AtomicBool::new(false);
    prepare
        .fetch_only(gix::progress::Discard, &interrupt)
        .map_err(|e| fail(e.to_string()))?;
    Ok(target)
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
}
