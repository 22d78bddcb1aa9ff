//! F17: the operations and maintenance set-up is described — operations, deployment,
//! backup and monitoring documentation, Helm charts or Kubernetes manifests, and
//! publiccode.yml's maintenance data.

use niveau_model::Rating;

use super::{Detector, files_evidence, finding};
use crate::context::{Context, headings};
use crate::finding::{Evidence, Finding};

/// F17 from operations documentation.
pub struct Operations;

/// The topics operations documentation covers, with the words that show each.
pub const TOPICS: &[(&str, &[&str])] = &[
    ("drift", &["drift", "operation", "operations", "hosting"]),
    (
        "udrulning",
        &["deploy", "udrulning", "installation", "install"],
    ),
    (
        "backup",
        &["backup", "restore", "sikkerhedskopi", "genskab"],
    ),
    (
        "overvågning",
        &["monitor", "overvågning", "logging", "metrics", "alert"],
    ),
];

impl Detector for Operations {
    fn id(&self) -> &'static str {
        "operations"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F17"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let docs = cx.find(|p| {
            (p.ends_with(".md")
                || p.ends_with(".rst")
                || p.ends_with(".adoc")
                || p.ends_with(".txt"))
                && TOPICS.iter().any(|(_, words)| {
                    let name = p.rsplit('/').next().unwrap_or(p);
                    words.iter().any(|w| name.contains(w))
                })
        });
        let charts = cx.find(|p| p.ends_with("chart.yaml") || p.ends_with("chart.yml"));
        let manifests = cx.find(|p| {
            (p.starts_with("k8s/")
                || p.starts_with("kubernetes/")
                || p.starts_with("deploy/")
                || p.contains("/k8s/")
                || p.contains("manifests/"))
                && (p.ends_with(".yaml") || p.ends_with(".yml"))
        });
        // Topics covered: in file names, README headings and operations documents' headings.
        let mut covered: Vec<&str> = Vec::new();
        let mut evidence = Vec::new();
        let mut texts = Vec::new();
        if let Some(r) = cx.readme()
            && let Some(t) = cx.text(r)
        {
            texts.push((r.path.clone(), t));
        }
        for d in docs.iter().take(10) {
            if let Some(t) = cx.text(d) {
                texts.push((d.path.clone(), t));
            }
        }
        for (topic, words) in TOPICS {
            let in_name = docs
                .iter()
                .any(|d| words.iter().any(|w| d.lower_name().contains(w)));
            let heading = texts.iter().find_map(|(path, t)| {
                headings(t)
                    .into_iter()
                    .find(|h| words.iter().any(|w| h.text.contains(w)))
                    .map(|h| Evidence::line(path.clone(), h.line))
            });
            if in_name || heading.is_some() {
                covered.push(topic);
                evidence.extend(heading);
            }
        }
        evidence.extend(files_evidence(docs.iter().copied(), 5));
        evidence.extend(files_evidence(charts.iter().copied(), 2));
        evidence.extend(files_evidence(manifests.iter().copied(), 2));
        if let Some((path, v)) = cx.publiccode()
            && let Some(d) = &v.data
        {
            if let Some(t) = &d.maintenance_type {
                evidence.push(Evidence::file(path.clone()));
                evidence.push(Evidence::value("publiccode_maintenance_type", t));
            }
            if !d.maintenance_contacts.is_empty() {
                evidence.push(Evidence::value(
                    "publiccode_maintenance_contacts",
                    d.maintenance_contacts.join(", "),
                ));
            }
            if !d.platforms.is_empty() {
                evidence.push(Evidence::value(
                    "publiccode_platforms",
                    d.platforms.join(", "),
                ));
            }
        }
        let deploy_artifacts = !charts.is_empty() || !manifests.is_empty();
        let n = covered.len();
        let (rating, confidence, da, en) = if n >= 3 || n >= 2 && deploy_artifacts {
            (
                Rating::Green,
                2,
                format!(
                    "Drift og vedligehold er beskrevet ({}).",
                    covered.join(", ")
                ),
                format!(
                    "Operations and maintenance are described ({}).",
                    covered.join(", ")
                ),
            )
        } else if n >= 1 || deploy_artifacts {
            let missing: Vec<&str> = TOPICS
                .iter()
                .map(|(t, _)| *t)
                .filter(|t| !covered.contains(t))
                .collect();
            (
                Rating::Yellow,
                2,
                format!(
                    "Drift er kun delvist beskrevet; mangler: {}.",
                    missing.join(", ")
                ),
                format!(
                    "Operations are only partly described; missing: {}.",
                    missing.join(", ")
                ),
            )
        } else {
            (
                Rating::Red,
                2,
                "Der er ikke fundet beskrivelse af drift, udrulning, backup eller overvågning."
                    .to_owned(),
                "No description of operations, deployment, backup or monitoring was found."
                    .to_owned(),
            )
        };
        vec![finding(
            "F17",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
