//! F15: best practice for implementing the solution in an organisation (low
//! confidence).

use super::{Detector, documents, material_finding};
use crate::context::Context;
use crate::finding::Finding;

/// F15 from implementation guides.
pub struct Implementation;

impl Detector for Implementation {
    fn id(&self) -> &'static str {
        "implementation"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F15"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let found = documents(
            cx,
            &[".md", ".pdf", ".docx", ".rst", ".html"],
            &[
                "implement",
                "kom-i-gang",
                "getting-started",
                "onboarding",
                "erfaring",
                "best-practice",
                "best_practice",
            ],
        );
        vec![material_finding(
            "F15",
            self.id(),
            &found,
            "en implementeringsvejledning",
            "implementation guide",
        )]
    }
}
