//! F19: the solution is delivered in a container format — Dockerfile or Containerfile,
//! compose files, Helm charts.

use niveau_model::Rating;

use super::{Detector, files_evidence, finding};
use crate::context::Context;
use crate::finding::Finding;

/// F19 from container files.
pub struct Container;

impl Detector for Container {
    fn id(&self) -> &'static str {
        "container"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F19"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let images = cx
            .files()
            .iter()
            .filter(|f| {
                let n = f.lower_name();
                n == "dockerfile"
                    || n.starts_with("dockerfile.")
                    || n.ends_with(".dockerfile")
                    || n == "containerfile"
            })
            .collect::<Vec<_>>();
        let compose = cx
            .files()
            .iter()
            .filter(|f| {
                let n = f.lower_name();
                (n.starts_with("docker-compose") || n.starts_with("compose."))
                    && (n.ends_with(".yml") || n.ends_with(".yaml"))
            })
            .collect::<Vec<_>>();
        let charts = cx.find(|p| p.ends_with("chart.yaml") || p.ends_with("chart.yml"));
        let mut evidence = files_evidence(images.iter().copied(), 3);
        evidence.extend(files_evidence(compose.iter().copied(), 2));
        evidence.extend(files_evidence(charts.iter().copied(), 2));
        let findings = if !images.is_empty() {
            finding(
                "F19",
                self.id(),
                Rating::Green,
                4,
                evidence,
                format!("Løsningen kan bygges som container ({}).", images[0].path),
                format!(
                    "The solution can be built as a container ({}).",
                    images[0].path
                ),
            )
        } else if !compose.is_empty() || !charts.is_empty() {
            finding(
                "F19",
                self.id(),
                Rating::Green,
                3,
                evidence,
                "Løsningen køres med containere (compose eller Helm).",
                "The solution runs in containers (compose or Helm).",
            )
        } else {
            finding(
                "F19",
                self.id(),
                Rating::Red,
                3,
                evidence,
                "Der er ingen Dockerfile, Containerfile, compose-fil eller Helm-chart.",
                "There is no Dockerfile, Containerfile, compose file or Helm chart.",
            )
        };
        vec![findings]
    }
}
