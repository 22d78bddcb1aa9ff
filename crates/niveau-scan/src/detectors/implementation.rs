//! F15: best practice for implementing the solution in an organisation (low
//! confidence).

use super::{Detector, material_finding};
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
        let found = cx.find(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            (p.ends_with(".md")
                || p.ends_with(".pdf")
                || p.ends_with(".docx")
                || p.ends_with(".rst"))
                && (name.contains("implement")
                    || name.contains("kom-i-gang")
                    || name.contains("getting-started")
                    || name.contains("onboarding")
                    || name.contains("erfaring")
                    || name.contains("best-practice")
                    || name.contains("best_practice"))
        });
        vec![material_finding(
            "F15",
            self.id(),
            &found,
            "en implementeringsvejledning",
            "implementation guide",
        )]
    }
}
