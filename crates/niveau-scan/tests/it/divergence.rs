//! Branch divergence on a real-shaped history: merges, 220 branches off different points
//! (merged back, diverging, nested on other branches and on one long-lived unmerged
//! branch), compared branch by branch with what the git CLI says.

use std::collections::BTreeMap;

use niveau_scan::Limits;
use niveau_scan::RepoSource;
use niveau_scan::git::GitSource;
use niveau_testkit::repo::{Shape, TestRepo, shaped_history};

/// `git rev-list B ^main`: how many commits and the oldest author time.
fn git_divergence(repo: &TestRepo, branch: &str) -> (usize, Option<i64>) {
    let out = repo.run(["rev-list", "--format=%at", branch, "^main", "--"]);
    let times: Vec<i64> = out
        .lines()
        .filter(|l| !l.starts_with("commit ") && !l.is_empty())
        .map(|l| l.trim().parse().unwrap_or(i64::MIN))
        .collect();
    (times.len(), times.iter().copied().min())
}

#[test]
fn divergence_matches_git_rev_list_on_a_real_shaped_history() {
    let repo = TestRepo::new();
    repo.fast_import(&shaped_history(Shape {
        commits: 900,
        files: 40,
        branches: 220,
        seed: 15,
    }));
    let limits = Limits {
        max_branches: 300,
        ..Limits::default()
    };
    let source = GitSource::open(repo.path(), None, limits).expect("the repository opens");
    let snapshot = source.snapshot();
    assert_eq!(snapshot.default_branch.as_deref(), Some("main"));
    assert_eq!(snapshot.branches.len(), 220);

    // Tips and their author times, from git.
    let tips: BTreeMap<String, (String, i64)> = repo
        .run([
            "for-each-ref",
            "--format=%(refname:short) %(objectname) %(authordate:unix)",
            "refs/heads/",
        ])
        .lines()
        .filter_map(|l| {
            let mut parts = l.split(' ');
            let name = parts.next()?.to_owned();
            let id = parts.next()?.to_owned();
            let time = parts.next()?.parse().ok()?;
            Some((name, (id, time)))
        })
        .collect();

    let mut merged = 0;
    let mut diverged = 0;
    for b in &snapshot.branches {
        let (count, oldest) = git_divergence(&repo, &b.name);
        assert_eq!(
            (b.unique_commits, b.oldest_unique_time),
            (count, oldest),
            "branch {}",
            b.name
        );
        let (id, time) = &tips[&b.name];
        assert_eq!((&b.tip, b.tip_time), (id, *time), "tip of {}", b.name);
        if count == 0 {
            merged += 1;
        } else {
            diverged += 1;
        }
    }
    // The shape holds every case: merged branches, diverging ones, and branches nested
    // on the long-lived unmerged one, which count its commits too.
    assert!(merged >= 60, "{merged} merged branches");
    assert!(diverged >= 100, "{diverged} diverging branches");
    let legacy = snapshot
        .branches
        .iter()
        .find(|b| b.name == "develop-legacy")
        .expect("develop-legacy");
    assert_eq!(legacy.unique_commits, 180);
    // Nested on develop-legacy: the fork point is one of its commits, not main's, and
    // the branch counts the legacy commits below the fork point too.
    let nested_on_legacy: Vec<_> = snapshot
        .branches
        .iter()
        .filter(|b| b.name != legacy.name)
        .filter(|b| {
            let fork = repo.run(["merge-base", "develop-legacy", &b.name]);
            !repo.succeeds(["merge-base", "--is-ancestor", &fork, "main"])
        })
        .collect();
    assert!(
        nested_on_legacy.len() >= 10,
        "{} branches nested on develop-legacy",
        nested_on_legacy.len()
    );
    for b in nested_on_legacy {
        let own = repo
            .run(["rev-list", "--count", &b.name, "^main", "^develop-legacy"])
            .parse::<usize>()
            .expect("a count");
        assert!(
            b.unique_commits > own,
            "{}: {} > {own}",
            b.name,
            b.unique_commits
        );
    }
}
