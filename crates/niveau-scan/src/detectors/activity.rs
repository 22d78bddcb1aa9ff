//! F1: the code is developed visibly and actively — last commit, commits and distinct
//! authors in the last 90 and 365 days, and age.

use std::collections::BTreeSet;

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};

/// F1 from the history.
pub struct Activity;

/// Fewer commits than this in the whole history are too little to show active
/// development (the finding says so with confidence 1).
pub const MIN_COMMITS: usize = 10;

/// A history younger than this many days is too short to show active development.
pub const MIN_AGE_DAYS: i64 = 7;

/// Commits in the last year (by at least two people) that count as active even when
/// the last 90 days were quiet.
pub const BUSY_YEAR_COMMITS: usize = 50;

impl Detector for Activity {
    fn id(&self) -> &'static str {
        "activity"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F1"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let snap = cx.snapshot();
        let Some(last) = snap.commits.iter().map(|c| c.time).max() else {
            return vec![finding(
                "F1",
                self.id(),
                Rating::Red,
                3,
                Vec::new(),
                "Repositoriet har ingen historik, der kan læses.",
                "The repository has no readable history.",
            )];
        };
        let window = |days: i64| {
            let commits: Vec<_> = snap
                .commits
                .iter()
                .filter(|c| cx.within(c.time, days))
                .collect();
            let authors: BTreeSet<&str> = commits.iter().map(|c| c.author_email.as_str()).collect();
            (commits.len(), authors.len())
        };
        let (c90, a90) = window(90);
        let (c365, a365) = window(365);
        let first = snap.commits.iter().map(|c| c.time).min().unwrap_or(last);
        let age_days = cx.days_ago(first);
        let last_days = cx.days_ago(last);
        let mut evidence = vec![
            Evidence::value("last_commit_days_ago", last_days),
            Evidence::value("commits_90_days", c90),
            Evidence::value("authors_90_days", a90),
            Evidence::value("commits_365_days", c365),
            Evidence::value("authors_365_days", a365),
            Evidence::value(
                "age_days",
                if snap.history_complete {
                    age_days.to_string()
                } else {
                    format!("≥ {age_days}")
                },
            ),
        ];
        if let Some(newest) = snap.commits.first() {
            evidence.push(Evidence::Commit {
                id: newest.id.clone(),
                summary: newest.summary().to_owned(),
            });
        }
        if let Some(status) = cx
            .publiccode()
            .and_then(|(_, v)| v.data.as_ref()?.development_status.clone())
        {
            evidence.extend(cx.publiccode_location("developmentStatus"));
            evidence.push(Evidence::value("publiccode_development_status", status));
        }
        let total = snap.commits.len();
        // The decisions below ask the context (not the day counts shown), so that it
        // knows when they would change: `last_days <= 90` is `!recent(90)` and so on.
        let quiet_for = |days: i64| cx.older_than(last, days);
        let young = total < MIN_COMMITS || !cx.older_than(first, MIN_AGE_DAYS - 1);
        let (rating, confidence, da, en) = if !quiet_for(90) && young {
            // A handful of commits or a few days of history say nothing yet about
            // whether the code is developed actively: too little to carry a level.
            (
                Rating::Green,
                1,
                format!(
                    "For lidt historik til at vise aktiv udvikling: {} over {}.",
                    super::count(total, "commit", "commits"),
                    super::count(usize::try_from(age_days).unwrap_or(0), "dag", "dage")
                ),
                format!(
                    "Too little history to show active development: {} over {}.",
                    super::count(total, "commit", "commits"),
                    super::count(usize::try_from(age_days).unwrap_or(0), "day", "days")
                ),
            )
        } else if !quiet_for(90) {
            // Several people over a year of history is strong evidence; a young or
            // one-person repository is evidence, but weaker.
            let confidence = if cx.older_than(first, 364) && a365 >= 2 {
                4
            } else {
                3
            };
            (
                Rating::Green,
                confidence,
                format!(
                    "Der er udviklet aktivt: {} fra {} de seneste 90 dage (seneste for {} siden).",
                    super::count(c90, "commit", "commits"),
                    super::count(a90, "person", "personer"),
                    super::count(usize::try_from(last_days).unwrap_or(0), "dag", "dage")
                ),
                format!(
                    "Developed actively: {} by {} in the last 90 days (the latest {} ago).",
                    super::count(c90, "commit", "commits"),
                    super::count(a90, "person", "people"),
                    super::count(usize::try_from(last_days).unwrap_or(0), "day", "days")
                ),
            )
        } else if !quiet_for(365) && c365 >= BUSY_YEAR_COMMITS && a365 >= 2 {
            // A quiet quarter in a busy year (a release freeze, a stale mirror) does not
            // make a product with hundreds of commits by several people inactive.
            (
                Rating::Green,
                3,
                format!(
                    "Der er udviklet aktivt det seneste år: {} fra {}; dog ingen de seneste 90 dage (seneste for {last_days} dage siden).",
                    super::count(c365, "commit", "commits"),
                    super::count(a365, "person", "personer")
                ),
                format!(
                    "Developed actively in the last year: {} by {}; none in the last 90 days, though (the latest {last_days} days ago).",
                    super::count(c365, "commit", "commits"),
                    super::count(a365, "person", "people")
                ),
            )
        } else if !quiet_for(365) {
            (
                Rating::Yellow,
                3,
                format!(
                    "Seneste commit er {last_days} dage gammelt; {c365} commits det seneste år, ingen de seneste 90 dage."
                ),
                format!(
                    "The latest commit is {last_days} days old; {c365} commits in the last year, none in the last 90 days."
                ),
            )
        } else {
            (
                Rating::Red,
                3,
                format!("Ingen commits det seneste år; seneste for {last_days} dage siden."),
                format!("No commits in the last year; the latest {last_days} days ago."),
            )
        };
        vec![finding(
            "F1",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
