//! F12, evidence the branch detector does not give: parallel versions of the core code
//! kept for a customer ("kommune-x", "customer-…", "kunde/…") with changes the default
//! branch lacks, and release or version branches that have carried such changes for over
//! a year (a version line maintained beside the main one rather than merged back).
//! Says nothing when there are none.

use niveau_model::Rating;

use super::{Detector, count, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};
use crate::source::BranchInfo;

/// The parallel-versions detector.
pub struct ParallelVersions;

/// A release branch carrying unmerged changes older than this is a parallel version.
pub const RELEASE_BRANCH_DAYS: i64 = 365;

/// Name parts of customer branches (lower-case).
const CUSTOMER_WORDS: &[&str] = &[
    "kommune", "customer", "kunde", "client-", "client/", "region-", "region/", "tenant-",
    "tenant/",
];

/// Whether a branch name names a customer's version.
pub fn is_customer_branch(name: &str) -> bool {
    let n = name.to_lowercase();
    CUSTOMER_WORDS.iter().any(|w| n.contains(w))
}

/// Whether a branch name names a release or version line.
pub fn is_release_branch(name: &str) -> bool {
    let n = name.to_lowercase();
    let last = n.rsplit('/').next().unwrap_or(&n);
    n.starts_with("release")
        || n.starts_with("stable")
        || n.starts_with("maint")
        || n.starts_with("support/")
        || n.starts_with("hotfix/") && last.starts_with(|c: char| c.is_ascii_digit())
        || last.starts_with('v') && last[1..].starts_with(|c: char| c.is_ascii_digit())
}

impl Detector for ParallelVersions {
    fn id(&self) -> &'static str {
        "parallel_versions"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F12"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let snap = cx.snapshot();
        let customer: Vec<&BranchInfo> = snap
            .branches
            .iter()
            .filter(|b| b.unique_commits > 0 && is_customer_branch(&b.name))
            .collect();
        let release: Vec<&BranchInfo> = snap
            .branches
            .iter()
            .filter(|b| {
                b.unique_commits > 0
                    && !is_customer_branch(&b.name)
                    && is_release_branch(&b.name)
                    && b.oldest_unique_time
                        .is_some_and(|t| cx.older_than(t, RELEASE_BRANCH_DAYS))
            })
            .collect();
        if customer.is_empty() && release.is_empty() {
            return Vec::new();
        }
        let describe = |b: &BranchInfo| {
            format!(
                "{} ({} commits, {} days)",
                b.name,
                b.unique_commits,
                b.oldest_unique_time.map(|t| cx.days_ago(t)).unwrap_or(0)
            )
        };
        let mut evidence: Vec<Evidence> = customer
            .iter()
            .take(5)
            .map(|b| Evidence::value("customer_branch", describe(b)))
            .collect();
        evidence.extend(
            release
                .iter()
                .take(5)
                .map(|b| Evidence::value("release_branch_unmerged", describe(b))),
        );
        let names = |v: &[&BranchInfo]| {
            v.iter()
                .take(5)
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut da = Vec::new();
        let mut en = Vec::new();
        if !customer.is_empty() {
            da.push(format!(
                "{} for enkelte kunder med ændringer, som hovedgrenen ikke har ({})",
                count(customer.len(), "gren", "grene"),
                names(&customer)
            ));
            en.push(format!(
                "{} for single customers with changes the main branch lacks ({})",
                count(customer.len(), "branch", "branches"),
                names(&customer)
            ));
        }
        if !release.is_empty() {
            da.push(format!(
                "{} med ændringer, der i over et år ikke er ført tilbage ({})",
                count(release.len(), "versionsgren", "versionsgrene"),
                names(&release)
            ));
            en.push(format!(
                "{} with changes not merged back for over a year ({})",
                count(release.len(), "version branch", "version branches"),
                names(&release)
            ));
        }
        vec![finding(
            "F12",
            self.id(),
            Rating::Yellow,
            if customer.is_empty() { 2 } else { 3 },
            evidence,
            format!(
                "Der kan være flere versioner af core-koden: {}.",
                da.join("; ")
            ),
            format!(
                "There may be several versions of the core code: {}.",
                en.join("; ")
            ),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names() {
        assert!(is_customer_branch("kommune-aarhus"));
        assert!(is_customer_branch("customer/frederiksberg"));
        assert!(!is_customer_branch(
            "feature/customer_field".replace("customer", "x").as_str()
        ));
        assert!(is_release_branch("release/2023"));
        assert!(is_release_branch("v3.x"));
        assert!(is_release_branch("stable-2.1"));
        assert!(!is_release_branch("feature/video"));
        assert!(!is_release_branch("vue-upgrade"));
    }
}
