//! F1: the code is developed visibly and actively — last commit, commits and distinct
//! authors in the last 90 and 365 days, and age.

use std::collections::BTreeSet;

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::{Context, DAY};
use crate::finding::{Evidence, Finding};

/// F1 from the history.
pub struct Activity;

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
            let since = cx.now - days * DAY;
            let commits: Vec<_> = snap.commits.iter().filter(|c| c.time >= since).collect();
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
        let (rating, confidence, da, en) = if last_days <= 90 {
            (
                Rating::Green,
                4,
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
        } else if last_days <= 365 {
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
