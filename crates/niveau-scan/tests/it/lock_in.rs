//! The lock-in detector (F6, F11, F17, F19) on generated repositories: each sign fires
//! with its file and line, and an openly run repository shows none.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Rating;
use niveau_testkit::repo::TestRepo;

use crate::support::{by, check, days_ago, locations, one, value};

fn locked_in() -> TestRepo {
    let r = TestRepo::new();
    r.write(
        "README.md",
        "# OS2x\n\nEt fælles produkt.\n\n## Dokumentation\n\nSe https://docs.leverandor.dk/os2x/ for dokumentation.\n\n## Fejl\n\nFejl meldes i [Redmine](https://redmine.leverandor.dk/projects/os2x/issues).\n\n## Installation\n\nKontakt leverandøren for installation.\n",
    );
    r.write(
        "CONTRIBUTING.md",
        "# Bidrag\n\nOpret en sag i https://leverandor.atlassian.net/browse/OS2X\n",
    );
    r.write("Dockerfile", "FROM python:3.12\nCOPY . /app\n");
    r.write(
        "docker-compose.yml",
        "services:\n  app:\n    image: leverandor/os2x:2024.2\n  db:\n    image: postgres:16\n",
    );
    r.write(
        ".github/workflows/test.yml",
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
    );
    r.commit("Første", &days_ago(20));
    r
}

#[test]
fn each_lock_in_sign_is_flagged_with_file_and_line() {
    let report = check(&locked_in());

    let f11 = one(&report, "lock_in", "F11");
    assert_eq!((f11.rating, f11.confidence), (Rating::Yellow, 3));
    assert_eq!(locations(f11), vec!["README.md:11", "CONTRIBUTING.md:3"]);
    assert_eq!(
        value(f11, "closed_tracker"),
        Some("https://redmine.leverandor.dk/projects/os2x/issues")
    );

    let f6 = one(&report, "lock_in", "F6");
    assert_eq!(f6.rating, Rating::Yellow);
    assert_eq!(locations(f6), vec!["README.md:7"]);
    assert_eq!(value(f6, "docs_hosts"), Some("docs.leverandor.dk"));
    assert!(f6.explanation.da.contains("docs.leverandor.dk"));

    let f17 = one(&report, "lock_in", "F17");
    assert_eq!((f17.rating, f17.confidence), (Rating::Yellow, 3));
    assert_eq!(locations(f17), vec!["README.md:15"]);

    let f19 = one(&report, "lock_in", "F19");
    assert_eq!(f19.rating, Rating::Yellow);
    assert_eq!(locations(f19), vec!["docker-compose.yml:3"]);
    assert_eq!(
        value(f19, "external_images"),
        Some("leverandor/os2x:2024.2")
    );
    assert!(
        f19.explanation.en.starts_with("1 container image come"),
        "{}",
        f19.explanation.en
    );
}

#[test]
fn an_openly_run_repository_shows_no_lock_in() {
    let r = TestRepo::new();
    r.write(
        "README.md",
        "# OS2y\n\nDokumentation: https://os2y.readthedocs.io/ og i docs/.\n\nFejl meldes på https://github.com/OS2/os2y/issues.\n\n## Installation\n\n```sh\ndocker compose up\n```\n",
    );
    for n in ["install", "drift", "arkitektur"] {
        r.write(format!("docs/{n}.md"), format!("# {n}\n"));
    }
    r.write("Dockerfile", "FROM python:3.12\n");
    r.write(
        "docker-compose.yml",
        "services:\n  app:\n    image: ghcr.io/os2/os2y:latest\n",
    );
    r.write(
        ".github/workflows/image.yml",
        "on: push\njobs:\n  i:\n    steps:\n      - uses: docker/build-push-action@v6\n",
    );
    r.commit("Første", &days_ago(20));
    let report = check(&r);
    assert!(
        by(&report, "lock_in").is_empty(),
        "{:#?}",
        by(&report, "lock_in")
    );
}

#[test]
fn a_closed_tracker_beside_public_issues_is_a_weaker_sign() {
    let r = TestRepo::new();
    r.write(
        "README.md",
        "# OS2z\n\nIssues: https://github.com/OS2/os2z/issues\nIntern sagsstyring: https://git.leverandor.dk/os2/os2z/-/issues\n",
    );
    r.commit("Første", &days_ago(20));
    let report = check(&r);
    let f11 = one(&report, "lock_in", "F11");
    assert_eq!(f11.confidence, 2);
    assert_eq!(locations(f11), vec!["README.md:4"]);
    assert!(f11.explanation.en.contains("beside a public issue tracker"));
}
