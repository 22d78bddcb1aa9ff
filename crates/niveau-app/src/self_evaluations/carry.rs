//! Carrying a self-evaluation to another model version (the 2021–2023 checklist to the
//! governance report 1.1.0) through the model registry's mappings.
//!
//! | The requirement in the new model | What it gets |
//! |---|---|
//! | paired one to one with an old requirement whose wording is the same (spelling, an example link or a Markdown link aside) | the old answer, documentation and links, under the new id |
//! | paired with an old requirement whose wording changed, merged from several, or split from one | not answered, the old documentation and links kept, marked "to re-answer" with the old answer named |
//! | new (paired with nothing) | not answered, marked "to re-answer" |
//!
//! Old requirements paired with nothing are listed as dropped; the old version stays in
//! the history, so nothing is lost. The marks are kept beside the answers, in the stored
//! document's `reanswer` object (requirement id → why, in Danish and English), until the
//! requirement is answered and saved (see [`super::reanswer_marks`]).

use std::collections::BTreeMap;

use niveau_model::{Answer, AnswerValue, Model, Msg, Registry, RequirementId, SelfEvaluation};

/// How one requirement of the new model was carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// The answer was kept (the old id, which may differ).
    Kept(RequirementId),
    /// Marked "to re-answer" (the old ids it came from; none for a new requirement).
    Reanswer(Vec<RequirementId>),
}

/// The self-evaluation in the new model, and what happened to each requirement.
#[derive(Debug, Clone)]
pub struct Carry {
    /// The self-evaluation in the new model.
    pub self_evaluation: SelfEvaluation,
    /// Per requirement of the new model, in the model's order.
    pub requirements: Vec<(RequirementId, Carried)>,
    /// Old requirements with an answer that no requirement of the new model takes.
    pub dropped: Vec<RequirementId>,
    /// The requirements marked "to re-answer", with why.
    pub marks: BTreeMap<String, Msg>,
}

impl Carry {
    /// The requirements whose answers were kept.
    pub fn kept(&self) -> usize {
        self.requirements
            .iter()
            .filter(|(_, c)| matches!(c, Carried::Kept(_)))
            .count()
    }

    /// The requirements marked "to re-answer".
    pub fn reanswer(&self) -> Vec<&RequirementId> {
        self.requirements
            .iter()
            .filter(|(_, c)| matches!(c, Carried::Reanswer(_)))
            .map(|(id, _)| id)
            .collect()
    }
}

/// A requirement's wording for comparison: lower case letters and digits only, Markdown
/// links reduced to their text, a parenthesis holding only a link (an example) dropped.
fn normalised(text: &str) -> Vec<char> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) => {
                let link_text = &after[..close];
                let target = &after[close + 2..];
                let end = target.find(')').map_or(target.len(), |e| e + 1);
                // "([eksempel](url))": a parenthesis with only a link in it goes.
                if out.trim_end().ends_with('(') && target[end..].starts_with(')') {
                    let keep = out.trim_end().len() - 1;
                    out.truncate(keep);
                    rest = &target[end + 1..];
                } else {
                    out.push_str(link_text);
                    rest = &target[end..];
                }
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Edit distance between two character sequences.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// Whether two wordings say the same: equal once normalised, or apart by spelling only
/// (at most three letters, and at most one in twelve).
pub fn same_wording(old: &str, new: &str) -> bool {
    let (a, b) = (normalised(old), normalised(new));
    let d = distance(&a, &b);
    d == 0 || (d <= 3 && d * 12 <= a.len().max(b.len()))
}

fn answer_label(value: &AnswerValue) -> (String, String) {
    match value {
        AnswerValue::Unanswered => ("ikke besvaret".into(), "not answered".into()),
        v => (v.label_da().to_owned(), v.label_en().to_owned()),
    }
}

/// Carries `se` (answering `from`) to `to`, pairing requirements through the registry's
/// chain of mappings (by id where none links the models).
pub fn carry(registry: &Registry, from: &Model, to: &Model, se: &SelfEvaluation) -> Carry {
    let pairs = match registry.pairs_between(from, to) {
        Some((pairs, _)) => pairs,
        None => niveau_model::diff::pairs_by_id(from, to),
    };
    let old_answer = |id: &RequirementId| -> Option<&Answer> {
        se.answers.iter().find(|a| {
            from.requirement(a.requirement.as_str())
                .is_some_and(|r| r.id == *id)
        })
    };
    let mut answers = Vec::new();
    let mut requirements = Vec::new();
    let mut marks = BTreeMap::new();
    for r in to.requirements() {
        let sources: Vec<&RequirementId> = pairs
            .iter()
            .filter(|(_, b)| *b == r.id)
            .map(|(a, _)| a)
            .filter(|a| from.requirement(a.as_str()).is_some())
            .collect();
        let one_to_one = match sources.as_slice() {
            [only] => pairs.iter().filter(|(a, _)| a == *only).count() == 1,
            _ => false,
        };
        let unchanged = one_to_one
            && from
                .requirement(sources[0].as_str())
                .is_some_and(|old| same_wording(&old.text, &r.text));
        if unchanged {
            let old = sources[0];
            if let Some(a) = old_answer(old) {
                let mut kept = a.clone();
                kept.requirement = r.id.clone();
                answers.push(kept);
            }
            requirements.push((r.id.clone(), Carried::Kept(old.clone())));
            continue;
        }
        let mut answer = Answer::new(r.id.clone(), AnswerValue::Unanswered);
        let mut documentation: Vec<String> = Vec::new();
        let mut before_da: Vec<String> = Vec::new();
        let mut before_en: Vec<String> = Vec::new();
        for old in &sources {
            let Some(a) = old_answer(old) else { continue };
            let (da, en) = answer_label(&a.value);
            before_da.push(format!("{old}: {da}"));
            before_en.push(format!("{old}: {en}"));
            if let Some(d) = a.documentation.as_deref().map(str::trim)
                && !d.is_empty()
            {
                documentation.push(if sources.len() > 1 {
                    format!("{old}: {d}")
                } else {
                    d.to_owned()
                });
            }
            for link in &a.evidence {
                if !answer.evidence.contains(link) {
                    answer.evidence.push(link.clone());
                }
            }
        }
        answer.documentation = (!documentation.is_empty()).then(|| documentation.join("\n"));
        let old_model = from.id();
        let why = if sources.is_empty() {
            Msg::new(
                format!("Nyt krav i {}: besvar det.", to.id()),
                format!("New requirement in {}: answer it.", to.id()),
            )
        } else {
            let ids: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
            let (was_da, was_en) = if before_da.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" Tidligere svar: {}.", before_da.join(", ")),
                    format!(" Earlier answer: {}.", before_en.join(", ")),
                )
            };
            Msg::new(
                format!(
                    "Kravet er ændret siden {old_model} ({}): besvar det igen.{was_da}",
                    ids.join(", ")
                ),
                format!(
                    "The requirement changed since {old_model} ({}): answer it again.{was_en}",
                    ids.join(", ")
                ),
            )
        };
        marks.insert(r.id.to_string(), why);
        if answer.documentation.is_some() || !answer.evidence.is_empty() {
            answers.push(answer);
        }
        requirements.push((
            r.id.clone(),
            Carried::Reanswer(sources.into_iter().cloned().collect()),
        ));
    }
    let dropped = se
        .answers
        .iter()
        .filter_map(|a| from.requirement(a.requirement.as_str()))
        .filter(|r| !pairs.iter().any(|(old, _)| *old == r.id))
        .map(|r| r.id.clone())
        .collect();
    let mut carried = se.clone();
    carried.model = niveau_model::ModelRef {
        id: to.id().clone(),
        version: to.version().to_owned(),
    };
    carried.target_level = se
        .target_level
        .as_ref()
        .and_then(|l| {
            from.mapping_to(to.id().as_str())
                .and_then(|m| m.level(from, to, l))
        })
        .or_else(|| {
            se.target_level
                .as_ref()
                .filter(|l| to.level(l.as_str()).is_some())
                .cloned()
        });
    carried.answers = answers;
    Carry {
        self_evaluation: carried,
        requirements,
        dropped,
        marks,
    }
}

#[cfg(test)]
mod tests {
    use niveau_report::import::{ImportOptions, import_str};

    use super::*;

    #[test]
    fn wording_is_compared_past_spelling_and_example_links() {
        assert!(same_wording(
            "Open Soruce licenskriterier overholdes",
            "Open Source licenskriterier overholdes"
        ));
        assert!(same_wording(
            "Produktet har en kobling til [OS2's strategi](https://os2.eu/side/os2-mission-vision)",
            "Produktet har en kobling til OS2's strategi"
        ));
        assert!(same_wording(
            "Procesplan + procesansvar for driftsimplementering er udarbejdet ([eksempel](https://os2mo.readthedocs.io/en/development/operation/cookbook.html))",
            "Procesplan + procesansvar for driftsimplementering er udarbejdet"
        ));
        assert!(!same_wording(
            "Kildekoden er overdraget og er placeret under OS2's github",
            "Kildekoden er overdraget og er placeret under OS2's kontrol"
        ));
        assert!(!same_wording("Kildekoden deles", "Kildekoden deles ikke"));
    }

    #[test]
    fn the_2021_os2iot_report_is_carried_to_1_1_0() {
        let registry = Registry::builtin().unwrap();
        let text = niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md");
        let report = import_str(
            &text,
            "selfeval-2021-os2iot.md",
            &registry,
            &ImportOptions::default(),
        )
        .unwrap();
        let se = report.self_evaluation.unwrap();
        assert_eq!(se.model.id.as_str(), "os2-2021");
        let from = registry.get("os2-2021").unwrap();
        let to = registry.get("os2-1.1.0").unwrap();
        let c = carry(&registry, from, to, &se);
        assert_eq!(c.self_evaluation.model.id.as_str(), "os2-1.1.0");
        assert_eq!(c.requirements.len(), to.requirements().len());
        let find = |id: &str| c.self_evaluation.answer(id).cloned();
        let old = |id: &str| se.answer(id).cloned().unwrap();
        // Renumbered with the same wording: R3 (2021) is R2 (1.1.0), answer kept.
        assert_eq!(
            c.requirements
                .iter()
                .find(|(id, _)| id.as_str() == "R2")
                .unwrap()
                .1,
            Carried::Kept("R3".into())
        );
        let r2 = find("R2").unwrap();
        assert_eq!(r2.value, old("R3").value);
        assert_eq!(r2.documentation, old("R3").documentation);
        assert!(!c.marks.contains_key("R2"));
        // A spelling fix only (Soruce → Source): F2 kept.
        assert_eq!(find("F2").unwrap().value, old("F2").value);
        // Reworded (the code shared → developed visibly in OS2's repository): F1 is to
        // be answered again, the old documentation kept, the old answer named.
        let f1 = find("F1").unwrap();
        assert_eq!(f1.value, AnswerValue::Unanswered);
        assert_eq!(f1.documentation, old("F1").documentation);
        let note = &c.marks["F1"];
        assert!(
            note.da
                .starts_with("Kravet er ændret siden os2-2021 (F1): besvar det igen."),
            "{}",
            note.da
        );
        assert!(
            note.da
                .contains(&format!("F1: {}", old("F1").value.label_da())),
            "{}",
            note.da
        );
        // Merged (R2 and R4 → R3; F7, F8, F9 → F7): to re-answer, naming the sources.
        let f7 = &c.marks["F7"];
        assert!(f7.en.contains("(F7, F8, F9)"), "{}", f7.en);
        assert_eq!(
            c.requirements
                .iter()
                .find(|(id, _)| id.as_str() == "R3")
                .unwrap()
                .1,
            Carried::Reanswer(vec!["R2".into(), "R4".into()])
        );
        // Nothing is silently lost: every old answer is kept or named.
        let reanswer: Vec<&str> = c.reanswer().iter().map(|r| r.as_str()).collect();
        assert!(reanswer.contains(&"F6"), "OS2's github → OS2's control");
        assert!(reanswer.contains(&"F11"));
        assert!(
            !reanswer.contains(&"S1"),
            "only a link dropped from the text"
        );
        assert_eq!(c.kept() + reanswer.len(), to.requirements().len());
        assert_eq!(c.marks.len(), reanswer.len());
        assert!(c.dropped.is_empty(), "{:?}", c.dropped);
    }
}
