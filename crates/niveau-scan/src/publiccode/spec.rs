//! The versions of the publiccode.yml standard this module knows, and the controlled
//! vocabularies (categories, scopes, enumerations) with the version that introduced each
//! value.
//!
//! Sources: the standard's `CHANGELOG.rst`, `docs/standard/schema.core.rst`,
//! `categories-list.rst` and `scope-list.rst` (github.com/publiccodeyml/publiccode.yml), and
//! the reference parser's `v0.go` and `validators/v0.go`
//! (github.com/italia/publiccode-parser-go, v5).

use serde::Serialize;
use std::fmt;

/// A version of the publiccode.yml standard, as selected by `publiccodeYmlVersion`.
///
/// Patch releases share the rules of their minor version (`0.2.1` is validated as 0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum SpecVersion {
    /// 0.2 (0.2, 0.2.0, 0.2.1, 0.2.2), March–December 2019.
    #[serde(rename = "0.2")]
    V0_2,
    /// 0.3 (0.3, 0.3.0).
    #[serde(rename = "0.3")]
    V0_3,
    /// 0.4 (0.4, 0.4.0).
    #[serde(rename = "0.4")]
    V0_4,
    /// 0.5 (0.5, 0.5.0), the latest version this module knows.
    #[serde(rename = "0.5")]
    V0_5,
}

impl SpecVersion {
    /// The latest version this module validates against.
    pub const LATEST: SpecVersion = SpecVersion::V0_5;

    /// The version as `major.minor`, e.g. `"0.4"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V0_2 => "0.2",
            SpecVersion::V0_3 => "0.3",
            SpecVersion::V0_4 => "0.4",
            SpecVersion::V0_5 => "0.5",
        }
    }

    /// Reads a `publiccodeYmlVersion` value.
    ///
    /// Accepts `0.N` and `0.N.P` for N from 2 to 5, and `0`, which the reference parser
    /// accepts as "the latest 0.x". The boolean is false for a patch release the standard
    /// never published (`0.4.7`), which is validated as its minor version (lenient reading;
    /// the reference parser rejects it). Everything else is `None`.
    pub fn parse(value: &str) -> Option<(SpecVersion, bool)> {
        if value == "0" {
            return Some((SpecVersion::LATEST, true));
        }
        let mut parts = value.split('.');
        let (Some("0"), Some(minor)) = (parts.next(), parts.next()) else {
            return None;
        };
        let patch = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let version = match minor {
            "2" => SpecVersion::V0_2,
            "3" => SpecVersion::V0_3,
            "4" => SpecVersion::V0_4,
            "5" => SpecVersion::V0_5,
            _ => return None,
        };
        let known = match patch {
            None => true,
            Some(p) if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) => return None,
            Some(p) => matches!(
                (version, p),
                (SpecVersion::V0_2, "0" | "1" | "2") | (_, "0")
            ),
        };
        Some((version, known))
    }
}

impl fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `publiccodeYmlVersion` values the reference parser lists as supported.
pub(super) const SUPPORTED_VERSIONS: &str =
    "0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5 and 0.5.0";

/// Allowed values of `developmentStatus` (all versions).
pub(super) const DEVELOPMENT_STATUS: &[&str] =
    &["concept", "development", "beta", "stable", "obsolete"];

/// Allowed values of `softwareType` (all versions since 0.2, which replaced `standalone`
/// with the `standalone/…` values).
pub(super) const SOFTWARE_TYPES: &[&str] = &[
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
];

/// Allowed values of `maintenance.type` (all versions).
pub(super) const MAINTENANCE_TYPES: &[&str] = &["internal", "contract", "community", "none"];

/// The categories list with the version that added each category: 0.3 added
/// `educational-content` and `whistleblowing`, 0.4 added `design`, `design-system`,
/// `integrated-library-system` and `regulations-and-directives`, 0.5 added `other`.
pub(super) const CATEGORIES: &[(&str, SpecVersion)] = {
    use SpecVersion::{V0_2, V0_3, V0_4, V0_5};
    &[
        ("accounting", V0_2),
        ("agile-project-management", V0_2),
        ("applicant-tracking", V0_2),
        ("application-development", V0_2),
        ("appointment-scheduling", V0_2),
        ("backup", V0_2),
        ("billing-and-invoicing", V0_2),
        ("blog", V0_2),
        ("budgeting", V0_2),
        ("business-intelligence", V0_2),
        ("business-process-management", V0_2),
        ("cad", V0_2),
        ("call-center-management", V0_2),
        ("cloud-management", V0_2),
        ("collaboration", V0_2),
        ("communications", V0_2),
        ("compliance-management", V0_2),
        ("contact-management", V0_2),
        ("content-management", V0_2),
        ("crm", V0_2),
        ("customer-service-and-support", V0_2),
        ("data-analytics", V0_2),
        ("data-collection", V0_2),
        ("data-visualization", V0_2),
        ("design", V0_4),
        ("design-system", V0_4),
        ("digital-asset-management", V0_2),
        ("digital-citizenship", V0_2),
        ("document-management", V0_2),
        ("donor-management", V0_2),
        ("e-commerce", V0_2),
        ("e-signature", V0_2),
        ("educational-content", V0_3),
        ("email-management", V0_2),
        ("email-marketing", V0_2),
        ("employee-management", V0_2),
        ("enterprise-project-management", V0_2),
        ("enterprise-social-networking", V0_2),
        ("erp", V0_2),
        ("event-management", V0_2),
        ("facility-management", V0_2),
        ("feedback-and-reviews-management", V0_2),
        ("financial-reporting", V0_2),
        ("fleet-management", V0_2),
        ("fundraising", V0_2),
        ("gamification", V0_2),
        ("geographic-information-systems", V0_2),
        ("grant-management", V0_2),
        ("graphic-design", V0_2),
        ("help-desk", V0_2),
        ("hr", V0_2),
        ("ide", V0_2),
        ("identity-management", V0_2),
        ("instant-messaging", V0_2),
        ("integrated-library-system", V0_4),
        ("inventory-management", V0_2),
        ("it-asset-management", V0_2),
        ("it-development", V0_2),
        ("it-management", V0_2),
        ("it-security", V0_2),
        ("it-service-management", V0_2),
        ("knowledge-management", V0_2),
        ("learning-management-system", V0_2),
        ("marketing", V0_2),
        ("mind-mapping", V0_2),
        ("mobile-marketing", V0_2),
        ("mobile-payment", V0_2),
        ("network-management", V0_2),
        ("office", V0_2),
        ("online-booking", V0_2),
        ("online-community", V0_2),
        ("other", V0_5),
        ("payment-gateway", V0_2),
        ("payroll", V0_2),
        ("predictive-analysis", V0_2),
        ("procurement", V0_2),
        ("productivity-suite", V0_2),
        ("project-collaboration", V0_2),
        ("project-management", V0_2),
        ("property-management", V0_2),
        ("real-estate-management", V0_2),
        ("regulations-and-directives", V0_4),
        ("remote-support", V0_2),
        ("resource-management", V0_2),
        ("sales-management", V0_2),
        ("seo", V0_2),
        ("service-desk", V0_2),
        ("social-media-management", V0_2),
        ("survey", V0_2),
        ("talent-management", V0_2),
        ("task-management", V0_2),
        ("taxes-management", V0_2),
        ("test-management", V0_2),
        ("time-management", V0_2),
        ("time-tracking", V0_2),
        ("translation", V0_2),
        ("video-conferencing", V0_2),
        ("video-editing", V0_2),
        ("visitor-management", V0_2),
        ("voip", V0_2),
        ("warehouse-management", V0_2),
        ("web-collaboration", V0_2),
        ("web-conferencing", V0_2),
        ("website-builder", V0_2),
        ("whistleblowing", V0_3),
        ("workflow-management", V0_2),
    ]
};

/// The version that added `category` to the categories list, if it is on the list.
pub(super) fn category_since(category: &str) -> Option<SpecVersion> {
    CATEGORIES
        .iter()
        .find(|(name, _)| *name == category)
        .map(|(_, since)| *since)
}

/// The aliases a `supports[].id` may name as `alias:<name>` (the reference parser's
/// list, from the standard's `aliases-list.rst`).
pub(super) const SUPPORTS_ALIASES: &[&str] = &[
    "gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io",
];

/// The scope list of `intendedAudience.scope` (unchanged since 0.2).
pub(super) const SCOPES: &[&str] = &[
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "government",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(SpecVersion::parse("0.2"), Some((SpecVersion::V0_2, true)));
        assert_eq!(SpecVersion::parse("0.2.2"), Some((SpecVersion::V0_2, true)));
        assert_eq!(
            SpecVersion::parse("0.2.3"),
            Some((SpecVersion::V0_2, false))
        );
        assert_eq!(SpecVersion::parse("0.3.0"), Some((SpecVersion::V0_3, true)));
        assert_eq!(SpecVersion::parse("0.4"), Some((SpecVersion::V0_4, true)));
        assert_eq!(SpecVersion::parse("0.5.0"), Some((SpecVersion::V0_5, true)));
        assert_eq!(SpecVersion::parse("0"), Some((SpecVersion::V0_5, true)));
        for bad in [
            "", "0.1", "0.6", "1.0", "0.4.", "0.4.x", "0.4.0.0", "v0.4", " 0.4",
        ] {
            assert_eq!(SpecVersion::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn vocabularies() {
        assert!(CATEGORIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(CATEGORIES.len(), 106);
        assert_eq!(category_since("it-development"), Some(SpecVersion::V0_2));
        assert_eq!(category_since("whistleblowing"), Some(SpecVersion::V0_3));
        assert_eq!(category_since("other"), Some(SpecVersion::V0_5));
        assert_eq!(category_since("it"), None);
        assert_eq!(SCOPES.len(), 24);
    }
}
