//! F13: presentation material about the solution (low confidence: such material often
//! lives outside the repository).

use super::{Detector, material_finding};
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
        const DOCUMENTS: &[&str] = &[
            ".md", ".pdf", ".html", ".rst", ".adoc", ".txt", ".odt", ".docx",
        ];
        let found = cx.find(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            let slides = [".pptx", ".ppt", ".odp", ".key"]
                .iter()
                .any(|e| p.ends_with(e));
            let named = ["presentation", "praesentation", "præsentation", "slides"]
                .iter()
                .any(|w| name.contains(w))
                && DOCUMENTS.iter().any(|e| p.ends_with(e));
            slides || named || p.contains("slides/")
        });
        vec![material_finding(
            "F13",
            self.id(),
            &found,
            "præsentationsmateriale",
            "presentation material",
        )]
    }
}
