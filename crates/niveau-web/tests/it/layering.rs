#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The crate boundaries of issue 11, checked on the source: niveau-web is HTTP only.
//!
//! - No module under `src/pages` imports from `src/api`, and no API module from the pages:
//!   both call the application layer (niveau-app), so nothing is implemented twice.
//! - No store write (a `Store` function that takes the acting `&Actor`, or one of the
//!   login machinery's unaudited writes) is called from niveau-web: every change goes
//!   through an operation of niveau-app.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The code of a file without its unit tests (`#[cfg(test)]` and what follows).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

#[test]
fn pages_and_api_do_not_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for (dir, forbidden) in [("pages", "crate::api"), ("api", "crate::pages")] {
        let files = rust_files(&src.join(dir));
        assert!(!files.is_empty(), "no files under src/{dir}");
        for file in files {
            let code = code_of(&file);
            for (n, line) in code.lines().enumerate() {
                if line.contains(forbidden)
                    || line.contains(&forbidden.replace("crate::", "super::super::"))
                {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

/// The store's functions that write and audit: `pub async fn name(&self, actor: &Actor, …)`.
fn audited_store_writes() -> Vec<String> {
    let mut names = Vec::new();
    for file in rust_files(&crate_dir("niveau-store").join("src")) {
        let code = code_of(&file);
        let mut rest = code.as_str();
        while let Some(i) = rest.find("pub async fn ") {
            rest = &rest[i + "pub async fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let signature = rest.split('{').next().unwrap_or_default();
            if signature.contains("&Actor") {
                names.push(name);
            }
        }
    }
    // Writes of the login machinery that are not audited: they belong to niveau-app's
    // account operations too (a session lookup ends an expired session and keeps a live
    // one alive; a token lookup notes its use).
    names.extend(
        [
            "record_login_success",
            "create_session",
            "session",
            "delete_session",
            "purge_expired",
            "api_token",
            "put_auth_flow",
            "take_auth_flow",
            // The outbox's unaudited writes: niveau-app's mail and notification operations.
            "enqueue_mail",
            "claim_mail",
            "mail_sent",
            "mail_failed",
            "give_back_mail",
            "make_digests",
        ]
        .map(String::from),
    );
    names.sort();
    names.dedup();
    names
}

#[test]
fn no_audited_store_write_is_called_from_the_web_crate() {
    let writes = audited_store_writes();
    assert!(
        writes.len() > 20 && writes.iter().any(|w| w == "create_product"),
        "the store's writes were not found: {writes:?}"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for file in rust_files(&src) {
        let code = code_of(&file);
        for (n, line) in code.lines().enumerate() {
            for write in &writes {
                let call = format!(".{write}(");
                let in_chain = line.contains(&call)
                    && (line.contains("store")
                        || code
                            .lines()
                            .nth(n.wrapping_sub(1))
                            .is_some_and(|l| l.contains("store")));
                if in_chain {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}
