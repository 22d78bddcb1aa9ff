//! Computes the detector set's fingerprint: a SHA-256 over everything that can change a
//! check's result — this crate's sources (the detectors, the git reader, publiccode.yml
//! validation), niveau-model's sources (levels, mappings), the built-in models and the
//! workspace's Cargo.lock (the versions of the licence matcher, the YAML parser and
//! gix). It is exposed as `NIVEAU_SCAN_FINGERPRINT` for `niveau_scan::SCANNER_VERSION`,
//! so that a cached result is never reused by a scanner that could decide differently.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Every file below `dir` (sorted, recursive), or nothing if it does not exist.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("..").join("..");
    let inputs = [
        (manifest.join("src"), "rs"),
        (root.join("crates").join("niveau-model").join("src"), "rs"),
        (root.join("models"), "toml"),
    ];
    let mut hasher = Sha256::new();
    for (dir, ext) in &inputs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut found = Vec::new();
        files(dir, &mut found);
        for path in found
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == *ext))
        {
            let relative = path.strip_prefix(&root).unwrap_or(path);
            hasher.update(relative.to_string_lossy().replace('\\', "/").as_bytes());
            hasher.update([0]);
            hasher.update(fs::read(path).unwrap_or_default());
            hasher.update([0]);
        }
    }
    let lock = root.join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    hasher.update(fs::read(&lock).unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    let digest = hasher.finalize();
    let short: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=NIVEAU_SCAN_FINGERPRINT={short}");
}
