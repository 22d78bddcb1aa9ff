//! F20: training material — user guides, manuals, tutorials (low confidence).

use super::{Detector, material_finding};
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
        let found = cx.find(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            (p.ends_with(".md")
                || p.ends_with(".pdf")
                || p.ends_with(".docx")
                || p.ends_with(".rst")
                || p.ends_with(".mp4"))
                && (name.contains("brugervejledning")
                    || name.contains("vejledning")
                    || name.contains("user-guide")
                    || name.contains("user_guide")
                    || name.contains("userguide")
                    || name.contains("manual")
                    || name.contains("tutorial")
                    || name.contains("guide")
                    || p.starts_with("docs/user")
                    || p.starts_with("docs/bruger"))
        });
        vec![material_finding(
            "F20",
            self.id(),
            &found,
            "uddannelsesmateriale eller brugervejledning",
            "training material or user guide",
        )]
    }
}
