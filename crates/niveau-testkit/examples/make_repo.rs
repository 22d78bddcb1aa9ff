//! Builds a synthetic git repository for benchmarks (used by `bench/scan.sh`):
//!
//! ```sh
//! cargo run --release -p niveau-testkit --example make_repo -- DIR COMMITS FILES [SEED]
//! ```
//!
//! DIR must not exist yet; it becomes a non-bare repository with the work tree checked
//! out, holding `niveau_testkit::repo::synthetic_history(COMMITS, FILES, SEED)` (SEED
//! defaults to 1). Prints one line with the sizes and the time it took.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use niveau_testkit::repo::{TestRepo, synthetic_history};

const USAGE: &str = "usage: make_repo DIR COMMITS FILES [SEED]";

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, commits, files, seed) = match args.as_slice() {
        [dir, commits, files] => (dir, commits, files, None),
        [dir, commits, files, seed] => (dir, commits, files, Some(seed)),
        _ => return Err(USAGE.into()),
    };
    let dir = PathBuf::from(dir);
    let commits: usize = commits
        .parse()
        .map_err(|e| format!("COMMITS {commits:?}: {e}\n{USAGE}"))?;
    let files: usize = files
        .parse()
        .map_err(|e| format!("FILES {files:?}: {e}\n{USAGE}"))?;
    let seed: u64 = match seed {
        Some(seed) => seed
            .parse()
            .map_err(|e| format!("SEED {seed:?}: {e}\n{USAGE}"))?,
        None => 1,
    };
    if dir.exists() {
        return Err(format!("{} already exists", dir.display()).into());
    }
    // Build next to DIR, so that moving the finished repository is a rename.
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;

    let started = Instant::now();
    let stream = synthetic_history(commits, files, seed);
    let generated = started.elapsed();
    let repo = TestRepo::new_in(&parent);
    repo.fast_import(&stream);
    let built = repo.keep();
    std::fs::rename(&built, &dir)?;
    // What is left of the temporary directory: the empty home of the git commands.
    if let Some(temp) = built.parent().filter(|p| *p != Path::new("")) {
        std::fs::remove_dir_all(temp)?;
    }
    println!(
        "{}: {commits} commits, {files} files (seed {seed}); stream of {:.1} MB generated in {:.2} s, repository built in {:.2} s",
        dir.display(),
        stream.len() as f64 / 1e6,
        generated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
