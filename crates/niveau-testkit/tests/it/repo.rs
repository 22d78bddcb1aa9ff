//! The temporary git repositories of `niveau_testkit::repo` do what the scanner's tests
//! rely on: fixed authors and dates, branches and merges, shallow and bare clones,
//! really missing or corrupt objects, committed symlinks, and synthetic histories of the
//! requested size.

use std::collections::BTreeSet;
use std::path::Path;

use niveau_testkit::repo::{
    AUTHOR_EMAIL, AUTHOR_NAME, SYNTHETIC_END, SYNTHETIC_FIXED_FILES, SYNTHETIC_SPAN_SECONDS,
    TestRepo, synthetic_history,
};

const JAN: &str = "2026-01-31T12:00:00Z";
const FEB: &str = "2026-02-01T08:30:00Z";
const MAR: &str = "2026-03-01T00:00:00Z";

/// A repository with one commit of README.md and src/main.rs.
fn one_commit() -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write("README.md", "# Demo\n")
        .write("src/main.rs", "fn main() {}\n");
    let id = repo.commit("Initial import", JAN);
    (repo, id)
}

#[test]
fn new_repository_is_empty_on_main_with_isolated_configuration() {
    let repo = TestRepo::new();
    assert!(repo.path().join(".git").is_dir());
    assert_eq!(repo.git_dir(), repo.path().join(".git"));
    assert_eq!(repo.run(["symbolic-ref", "HEAD"]), "refs/heads/main");
    assert!(!repo.succeeds(["rev-parse", "--verify", "HEAD"]));
    // Only the repository's own configuration applies: no system or global file.
    let origins = repo.run(["config", "--list", "--show-origin"]);
    for line in origins.lines() {
        assert!(
            line.starts_with("file:.git/config"),
            "configuration from outside the repository: {line}"
        );
    }
    assert_eq!(repo.run(["config", "gc.auto"]), "0");
    assert_eq!(repo.run(["config", "commit.gpgsign"]), "false");
    assert_eq!(repo.run(["config", "user.name"]), AUTHOR_NAME);
}

#[test]
fn commits_have_the_given_dates_and_fixed_identity() {
    let (repo, first) = one_commit();
    assert_eq!(first.len(), 40);
    assert_eq!(
        repo.run(["log", "-1", "--format=%aI|%cI|%an|%ae|%cn|%ce|%s", &first]),
        format!(
            "2026-01-31T12:00:00Z|2026-01-31T12:00:00Z|{AUTHOR_NAME}|{AUTHOR_EMAIL}|{AUTHOR_NAME}|{AUTHOR_EMAIL}|Initial import"
        )
    );

    repo.write("README.md", "# Demo\n\nMore.\n");
    let second = repo.commit_as("Explain more", "Mette Sørensen", "mette@example.org", FEB);
    assert_eq!(
        repo.run(["log", "-1", "--format=%at|%an|%ae|%cn|%P", &second]),
        format!("1769934600|Mette Sørensen|mette@example.org|Mette Sørensen|{first}")
    );

    let empty = repo.empty_commit("Nothing", MAR);
    assert_eq!(repo.head(), empty);
    assert_eq!(repo.run(["diff", "--name-only", &second, &empty]), "");
    assert_eq!(repo.run(["rev-list", "--count", "HEAD"]), "3");
}

#[test]
fn the_same_commits_give_the_same_ids() {
    let (a, first_a) = one_commit();
    let (b, first_b) = one_commit();
    assert_ne!(a.path(), b.path());
    assert_eq!(first_a, first_b);
}

#[test]
fn remove_and_write_are_committed() {
    let (repo, _) = one_commit();
    repo.remove("src").write("docs/deep/er/index.md", "x");
    repo.commit("Move to docs", FEB);
    assert_eq!(
        repo.run(["ls-tree", "-r", "--name-only", "HEAD"]),
        "README.md\ndocs/deep/er/index.md"
    );
}

#[test]
fn branches_merges_and_tags() {
    let (repo, base) = one_commit();
    repo.tag("v1.0.0").branch("feature").checkout("feature");
    repo.write("feature.txt", "new\n");
    let feature = repo.commit("Add feature", FEB);
    repo.checkout("main");
    assert_eq!(repo.head(), base);
    assert!(!repo.path().join("feature.txt").exists());

    let merge = repo.merge("feature", "Merge feature", MAR);
    assert_eq!(
        repo.run(["log", "-1", "--format=%P|%s|%cI", &merge]),
        format!("{base} {feature}|Merge feature|2026-03-01T00:00:00Z")
    );
    assert!(repo.path().join("feature.txt").exists());
    assert_eq!(repo.rev_parse("v1.0.0"), base);

    repo.annotated_tag("v2.0.0", "Release 2", MAR);
    assert_eq!(repo.run(["cat-file", "-t", "v2.0.0"]), "tag");
    assert_eq!(repo.rev_parse("v2.0.0^{commit}"), merge);
    assert_eq!(
        repo.run(["branch", "--format=%(refname:short)"]),
        "feature\nmain"
    );
}

#[test]
fn symlinks_are_committed_as_links_and_point_outside() {
    let (repo, _) = one_commit();
    let outside = repo.write_outside("secret.txt", "do not read\n");
    assert!(!outside.starts_with(repo.path()));
    repo.symlink("passwd", "/etc/passwd")
        .symlink("nested/dir/escape", "../../../secret.txt");
    repo.commit("Add links", FEB);

    let tree = repo.run(["ls-tree", "-r", "HEAD"]);
    let modes: Vec<(&str, &str)> = tree
        .lines()
        .map(|l| {
            let (meta, path) = l.split_once('\t').unwrap();
            (meta.split(' ').next().unwrap(), path)
        })
        .collect();
    assert!(modes.contains(&("120000", "passwd")), "{tree}");
    assert!(modes.contains(&("120000", "nested/dir/escape")), "{tree}");
    assert!(modes.contains(&("100644", "README.md")), "{tree}");
    // The blob of a link is its target.
    assert_eq!(repo.run(["cat-file", "-p", "HEAD:passwd"]), "/etc/passwd");

    let link = repo.path().join("nested/dir/escape");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // The link really resolves to the file outside the repository.
    assert_eq!(std::fs::read_to_string(&link).unwrap(), "do not read\n");
}

#[test]
fn remove_object_makes_it_missing() {
    let (repo, _) = one_commit();
    let blob = repo.blob_id("README.md");
    assert!(repo.succeeds(["cat-file", "-e", &blob]));
    repo.remove_object(&blob);
    assert!(!repo.succeeds(["cat-file", "-e", &blob]));
    // Everything else is still there.
    assert!(repo.succeeds(["cat-file", "-e", &repo.blob_id("src/main.rs")]));
    assert!(!repo.succeeds(["fsck", "--no-dangling"]));
}

#[test]
fn remove_object_unpacks_a_packed_repository() {
    let repo = TestRepo::new();
    repo.fast_import(&synthetic_history(20, 10, 3));
    assert!(
        std::fs::read_dir(repo.git_dir().join("objects/pack"))
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "pack")),
        "fast-import writes a pack"
    );
    let blob = repo.blob_id("README.md");
    let commit = repo.head();
    repo.remove_object(&blob);
    assert!(!repo.succeeds(["cat-file", "-e", &blob]));
    assert!(repo.succeeds(["cat-file", "-e", &commit]));
    assert_eq!(repo.run(["rev-list", "--count", "HEAD"]), "20");
}

#[test]
fn corrupt_object_keeps_the_file_but_breaks_reading() {
    let (repo, _) = one_commit();
    let blob = repo.blob_id("src/main.rs");
    let clone = repo.bare_clone();
    clone.corrupt_object(&blob);
    let file = clone
        .git_dir()
        .join("objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    assert!(file.is_file());
    assert!(!clone.succeeds(["cat-file", "-p", &blob]));
    // The original is untouched.
    assert_eq!(repo.run(["cat-file", "-p", &blob]), "fn main() {}");
}

#[test]
fn bare_clone_has_the_same_history_and_no_work_tree() {
    let (repo, first) = one_commit();
    let clone = repo.bare_clone();
    assert_eq!(clone.path(), clone.git_dir());
    assert_eq!(clone.run(["rev-parse", "--is-bare-repository"]), "true");
    assert_eq!(clone.head(), first);
    assert!(!clone.path().join(".git").exists());
    assert_eq!(clone.run(["config", "gc.auto"]), "0");
}

#[test]
fn shallow_clone_has_the_shallow_file_and_depth_commits() {
    let (repo, _) = one_commit();
    repo.empty_commit("Second", FEB);
    let third = repo.empty_commit("Third", MAR);
    let clone = repo.shallow_clone(2);
    let shallow = std::fs::read_to_string(clone.git_dir().join("shallow")).unwrap();
    assert_eq!(shallow.trim_end(), repo.rev_parse("HEAD~1"));
    assert_eq!(clone.head(), third);
    assert_eq!(clone.run(["rev-list", "--count", "HEAD"]), "2");
    assert_eq!(clone.run(["rev-parse", "--is-shallow-repository"]), "true");

    // Objects of a shallow clone arrive packed; removing one still works.
    let blob = clone.blob_id("README.md");
    clone.remove_object(&blob);
    assert!(!clone.succeeds(["cat-file", "-e", &blob]));
}

#[test]
fn file_url_clones_by_url() {
    let (repo, first) = one_commit();
    let url = repo.file_url();
    assert!(url.starts_with("file:///"), "{url}");
    let target = TestRepo::new();
    target.run(["fetch", "-q", &url, "main"]);
    assert_eq!(target.rev_parse("FETCH_HEAD"), first);
}

#[test]
fn the_temporary_directory_is_deleted_on_drop_unless_kept() {
    let (repo, _) = one_commit();
    let path = repo.path().to_path_buf();
    drop(repo);
    assert!(!path.exists());

    let (repo, _) = one_commit();
    let kept = repo.keep();
    assert!(kept.join("README.md").is_file());
    std::fs::remove_dir_all(kept.parent().unwrap()).unwrap();
}

#[test]
#[should_panic(expected = "`git rev-parse --verify --quiet no-such-branch`")]
fn failing_git_panics_with_the_command() {
    let (repo, _) = one_commit();
    repo.rev_parse("no-such-branch");
}

#[test]
#[should_panic(expected = "failed with exit status")]
fn commit_with_nothing_to_commit_panics_with_the_status() {
    let (repo, _) = one_commit();
    repo.commit("Nothing changed", FEB);
}

#[test]
#[should_panic(expected = "must be a relative path inside the work tree")]
fn paths_may_not_leave_the_work_tree() {
    let repo = TestRepo::new();
    repo.write("../escape.txt", "x");
}

/// Files touched by each commit of HEAD's history, oldest first.
fn touched_per_commit(repo: &TestRepo) -> Vec<Vec<String>> {
    let log = repo.run([
        "log",
        "--reverse",
        "--format=format:@@",
        "--name-only",
        "--no-renames",
    ]);
    log.split("@@")
        .skip(1)
        .map(|chunk| {
            chunk
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn synthetic_history_has_the_requested_commits_and_files() {
    let repo = TestRepo::new();
    repo.fast_import(&synthetic_history(200, 50, 1));
    assert_eq!(repo.run(["rev-list", "--count", "HEAD"]), "200");
    assert_eq!(repo.run(["ls-tree", "-r", "HEAD"]).lines().count(), 50);
    assert_eq!(repo.run(["symbolic-ref", "HEAD"]), "refs/heads/main");
    // The work tree is checked out and clean.
    assert_eq!(repo.run(["status", "--porcelain"]), "");
    assert!(
        std::fs::read_to_string(repo.path().join("LICENSE"))
            .unwrap()
            .starts_with("Mozilla Public License Version 2.0\n")
    );

    let names = repo.run(["ls-tree", "-r", "--name-only", "HEAD"]);
    let names: BTreeSet<&str> = names.lines().collect();
    for fixed in SYNTHETIC_FIXED_FILES {
        assert!(names.contains(fixed), "{fixed} missing from {names:?}");
    }
    assert!(
        names.iter().any(|n| n.matches('/').count() >= 2),
        "{names:?}"
    );

    // Each commit after the first touches one to five files; LICENSE only once.
    let touched = touched_per_commit(&repo);
    assert_eq!(touched.len(), 200);
    for fixed in SYNTHETIC_FIXED_FILES {
        assert!(
            touched[0].iter().any(|f| f == fixed),
            "{fixed} not in the first commit"
        );
    }
    for (i, files) in touched.iter().enumerate().skip(1) {
        assert!((1..=5).contains(&files.len()), "commit {i}: {files:?}");
        assert!(
            !files.iter().any(|f| f == "LICENSE"),
            "commit {i}: {files:?}"
        );
    }

    // Dates increase over about five years and end at the fixed date.
    let dates: Vec<i64> = repo
        .run(["log", "--reverse", "--format=%at"])
        .lines()
        .map(|d| d.parse().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(dates[199], SYNTHETIC_END);
    let span = dates[199] - dates[0];
    assert!(span > SYNTHETIC_SPAN_SECONDS * 9 / 10 && span <= SYNTHETIC_SPAN_SECONDS);

    let authors = repo.run(["log", "--format=%an"]);
    let authors: BTreeSet<&str> = authors.lines().collect();
    assert!(authors.len() >= 4, "{authors:?}");

    let subjects = repo.run(["log", "--format=%s"]);
    assert!(
        subjects.lines().any(|s| s.starts_with("Fix #")),
        "{subjects}"
    );
    assert!(
        subjects.lines().any(|s| s.starts_with("OS2-")),
        "{subjects}"
    );
    assert!(subjects.ends_with("Initial import"));
}

#[test]
fn synthetic_history_sizes_are_realistic() {
    let repo = TestRepo::new();
    repo.fast_import(&synthetic_history(300, 400, 9));
    let sizes = repo.run(["ls-tree", "-r", "-l", "HEAD"]);
    let mut max_depth = 0;
    let mut source_sizes = Vec::new();
    for line in sizes.lines() {
        let (meta, path) = line.split_once('\t').unwrap();
        let size: usize = meta.split_whitespace().nth(3).unwrap().parse().unwrap();
        max_depth = max_depth.max(path.matches('/').count());
        if !SYNTHETIC_FIXED_FILES.contains(&path) {
            source_sizes.push(size);
        }
    }
    assert_eq!(source_sizes.len(), 400 - SYNTHETIC_FIXED_FILES.len());
    assert!(max_depth >= 3, "deepest path has {max_depth} directories");
    assert!(source_sizes.iter().all(|&s| (150..=12_000).contains(&s)));
    assert!(source_sizes.iter().any(|&s| s < 600));
    assert!(source_sizes.iter().any(|&s| s > 2_000));
    // Shell scripts are executable.
    assert!(
        sizes
            .lines()
            .filter(|l| l.ends_with(".sh"))
            .all(|l| l.starts_with("100755 "))
    );
}

#[test]
fn synthetic_history_is_deterministic() {
    assert_eq!(synthetic_history(50, 30, 1), synthetic_history(50, 30, 1));
    assert_ne!(synthetic_history(50, 30, 1), synthetic_history(50, 30, 2));
    let a = TestRepo::new();
    let b = TestRepo::new();
    a.fast_import(&synthetic_history(50, 30, 1));
    b.fast_import(&synthetic_history(50, 30, 1));
    assert_eq!(a.head(), b.head());
}

#[test]
fn synthetic_history_with_few_files_or_commits() {
    let repo = TestRepo::new();
    repo.fast_import(&synthetic_history(1, 3, 5));
    assert_eq!(repo.run(["rev-list", "--count", "HEAD"]), "1");
    assert_eq!(
        repo.run(["ls-tree", "-r", "--name-only", "HEAD"]),
        "Dockerfile\nLICENSE\nREADME.md"
    );
    assert_eq!(
        repo.run(["log", "-1", "--format=%at"]),
        SYNTHETIC_END.to_string()
    );

    // More files than two commits can add one at a time: the first commit takes them.
    let repo = TestRepo::new();
    repo.fast_import(&synthetic_history(2, 100, 5));
    assert_eq!(repo.run(["ls-tree", "-r", "HEAD"]).lines().count(), 100);
}

#[test]
fn paths_are_inside_the_temporary_directory() {
    let repo = TestRepo::new();
    let root = repo.path().parent().unwrap();
    assert!(root.join("home").is_dir());
    assert!(Path::new(&repo.path()).is_absolute());
    assert_eq!(repo.path().file_name().unwrap(), "repo");
}
