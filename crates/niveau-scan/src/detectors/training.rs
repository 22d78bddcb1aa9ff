//! F20: training material — user guides, manuals, tutorials (low confidence).

use super::{Detector, documents, material_finding};
use crate::context::Context;
use crate::finding::Finding;

/// F20 from user guides.
pub struct Training;

impl Detector for Training {
    fn id(&self) -> &'static str {
        "training"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F20"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut found = documents(
            cx,
            &[".md", ".pdf", ".docx", ".rst", ".mp4", ".html"],
            &[
                "brugervejledning",
                "vejledning",
                "user-guide",
                "user_guide",
                "userguide",
                "manual",
                "tutorial",
                "guide",
            ],
        );
        found.extend(cx.find(|p| p.starts_with("docs/user") || p.starts_with("docs/bruger")));
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found.dedup_by(|a, b| a.path == b.path);
        vec![material_finding(
            "F20",
            self.id(),
            &found,
            "uddannelsesmateriale eller brugervejledning",
            "training material or user guide",
        )]
    }
}
