//! F12: one version of the core code — the default branch, and other branches that have
//! diverged from it for a long time.

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};

/// F12 from branches.
pub struct Branches;

/// A branch whose oldest unmerged commit is older than this is long-lived.
pub const LONG_LIVED_DAYS: i64 = 180;

impl Detector for Branches {
    fn id(&self) -> &'static str {
        "branches"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F12"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let snap = cx.snapshot();
        let default = snap
            .default_branch
            .clone()
            .unwrap_or_else(|| "(HEAD)".to_owned());
        let diverged: Vec<_> = snap
            .branches
            .iter()
            .filter(|b| b.unique_commits > 0)
            .collect();
        let long_lived: Vec<_> = diverged
            .iter()
            .filter(|b| {
                b.oldest_unique_time
                    .is_some_and(|t| cx.older_than(t, LONG_LIVED_DAYS))
            })
            .collect();
        let mut evidence = vec![
            Evidence::value("default_branch", &default),
            Evidence::value("branches", snap.branches.len() + 1),
            Evidence::value("diverged_branches", diverged.len()),
        ];
        for b in long_lived.iter().take(5) {
            evidence.push(Evidence::value(
                "long_lived_branch",
                format!(
                    "{} ({} commits, afveget for {} dage siden)",
                    b.name,
                    b.unique_commits,
                    b.oldest_unique_time.map(|t| cx.days_ago(t)).unwrap_or(0)
                ),
            ));
        }
        let (rating, confidence, da, en) = if long_lived.is_empty() {
            (
                Rating::Green,
                3,
                format!(
                    "Én hovedversion ({default}); ingen grene har levet længe ved siden af den."
                ),
                format!("One main version ({default}); no branch has lived beside it for long."),
            )
        } else {
            let names: Vec<&str> = long_lived.iter().map(|b| b.name.as_str()).collect();
            (
                Rating::Yellow,
                2,
                format!(
                    "{} har i over {LONG_LIVED_DAYS} dage haft ændringer, som {default} ikke har. Er det parallelle versioner?",
                    super::first_few(&names, super::FIRST_FEW, "gren", "grene", "fx")
                ),
                format!(
                    "{} have carried changes that {default} lacks for over {LONG_LIVED_DAYS} days. Are they parallel versions?",
                    super::first_few(&names, super::FIRST_FEW, "branch", "branches", "e.g.")
                ),
            )
        };
        vec![finding(
            "F12",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
