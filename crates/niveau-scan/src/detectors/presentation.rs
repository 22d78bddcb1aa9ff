//! F13: presentation material about the solution (low confidence: such material often
//! lives outside the repository).

use super::{Detector, documents, material_finding};
use crate::context::Context;
use crate::finding::Finding;

/// F13 from slides and presentation files.
pub struct Presentation;

impl Detector for Presentation {
    fn id(&self) -> &'static str {
        "presentation"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F13"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut found = documents(
            cx,
            &[
                ".md", ".pdf", ".html", ".rst", ".adoc", ".txt", ".odt", ".docx",
            ],
            &["presentation", "praesentation", "præsentation", "slides"],
        );
        found.extend(cx.find(|p| {
            [".pptx", ".ppt", ".odp", ".key"]
                .iter()
                .any(|e| p.ends_with(e))
                || p.contains("slides/")
        }));
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found.dedup_by(|a, b| a.path == b.path);
        vec![material_finding(
            "F13",
            self.id(),
            &found,
            "præsentationsmateriale",
            "presentation material",
        )]
    }
}
