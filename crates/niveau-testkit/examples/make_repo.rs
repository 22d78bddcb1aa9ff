//! Builds a synthetic git repository for benchmarks (used by `bench/scan.sh`):
//!
//! ```sh
//! cargo run --release -p niveau-testkit --example make_repo -- DIR COMMITS FILES [SEED]
//! cargo run --release -p niveau-testkit --example make_repo -- --shaped DIR COMMITS FILES BRANCHES [SEED]
//! ```
//!
//! DIR must not exist yet; it becomes a non-bare repository with the work tree checked
//! out, holding `niveau_testkit::repo::synthetic_history(COMMITS, FILES, SEED)` (one
//! linear branch), or with `--shaped` `niveau_testkit::repo::shaped_history` (merges,
//! BRANCHES branches off different points, tags). SEED defaults to 1. Prints one line
//! with the sizes and the time it took. The pack is as `git fast-import` writes it;
//! repack it (`git repack -adf --depth=50 --window=250`) for a real-shaped pack.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use niveau_testkit::repo::{Shape, TestRepo, shaped_history, synthetic_history};

const USAGE: &str = "usage: make_repo DIR COMMITS FILES [SEED] | make_repo --shaped DIR COMMITS FILES BRANCHES [SEED]";

fn main() -> Result<(), Box<dyn Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let shaped_branches = if args.first().map(String::as_str) == Some("--shaped") {
        args.remove(0);
        if args.len() < 4 {
            return Err(USAGE.into());
        }
        let branches = args.remove(3);
        Some(
            branches
                .parse::<usize>()
                .map_err(|e| format!("BRANCHES {branches:?}: {e}\n{USAGE}"))?,
        )
    } else {
        None
    };
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
    let stream = match shaped_branches {
        Some(branches) => shaped_history(Shape {
            commits,
            files,
            branches,
            seed,
        }),
        None => synthetic_history(commits, files, seed),
    };
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
        "{}: {commits} commits, {files} files, {} branches (seed {seed}); stream of {:.1} MB generated in {:.2} s, repository built in {:.2} s",
        dir.display(),
        shaped_branches.unwrap_or(0),
        stream.len() as f64 / 1e6,
        generated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
