//! F5: the purpose and value of the solution are described — a README that says what
//! the product is for; a README still holding template placeholders does not.

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::{Context, placeholders, prose_words};
use crate::finding::{Evidence, Finding};

/// F5 from the README.
pub struct Readme;

/// Fewer words of prose than this is too short to describe purpose and value.
pub const MIN_WORDS: usize = 60;

impl Detector for Readme {
    fn id(&self) -> &'static str {
        "readme"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F5"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let Some(readme) = cx.readme() else {
            return vec![finding(
                "F5",
                self.id(),
                Rating::Red,
                3,
                Vec::new(),
                "Der er ingen README, der beskriver formål og værdi.",
                "There is no README describing purpose and value.",
            )];
        };
        let Some(text) = cx.text(readme) else {
            return vec![finding(
                "F5",
                self.id(),
                Rating::Yellow,
                1,
                vec![Evidence::file(readme.path.clone())],
                "README kan ikke læses (for stor eller ikke tekst).",
                "The README cannot be read (too large or not text).",
            )];
        };
        let words = prose_words(&text);
        let holes = placeholders(&text);
        let mut evidence = vec![
            Evidence::file(readme.path.clone()),
            Evidence::value("readme_words", words),
        ];
        evidence.extend(
            holes
                .iter()
                .take(3)
                .map(|(l, _)| Evidence::line(readme.path.clone(), *l)),
        );
        let (rating, confidence, da, en) = if !holes.is_empty() {
            (
                Rating::Yellow,
                3,
                format!(
                    "README indeholder stadig skabelontekst ({}), fx linje {}.",
                    holes.len(),
                    holes[0].0
                ),
                format!(
                    "The README still holds template text ({}), e.g. line {}.",
                    holes.len(),
                    holes[0].0
                ),
            )
        } else if words < MIN_WORDS {
            (
                Rating::Yellow,
                2,
                format!("README er kort ({words} ord); formål og værdi er næppe beskrevet."),
                format!(
                    "The README is short ({words} words); purpose and value are hardly described."
                ),
            )
        } else {
            (
                Rating::Green,
                3,
                format!(
                    "README beskriver løsningen ({words} ord); at den forklarer formål og værdi, skal en person bekræfte."
                ),
                format!(
                    "The README describes the solution ({words} words); a person must confirm it explains purpose and value."
                ),
            )
        };
        vec![finding(
            "F5",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
