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
        let found = cx.find(|p| {
            p.ends_with(".pptx")
                || p.ends_with(".ppt")
                || p.ends_with(".odp")
                || p.ends_with(".key")
                || p.contains("slides/")
                || p.contains("presentation")
                || p.contains("praesentation")
                || p.contains("præsentation")
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
