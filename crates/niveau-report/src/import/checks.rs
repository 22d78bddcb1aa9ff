//! Consistency checks that apply to every imported document, whatever its format.

use std::collections::BTreeMap;

use niveau_model::{AnswerValue, Model, Rating, RequirementId, Resolved};

use crate::document::{Finding, Msg, Report};

fn finding(
    line: Option<usize>,
    requirement: Option<&RequirementId>,
    code: &str,
    da: String,
    en: String,
) -> Finding {
    Finding {
        line,
        path: None,
        requirement: requirement.cloned(),
        code: code.to_owned(),
        message: Msg::new(da, en),
    }
}

/// Resolves the id of every row against the model (in the document's edition) and
/// records unknown, merged and duplicate ids. Returns, per row, the requirement it
/// counts for (`None` for unknown ids, merged ids and repeats).
pub fn resolve_rows(model: &Model, report: &mut Report) -> Vec<Option<RequirementId>> {
    let mut seen: BTreeMap<RequirementId, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(report.rows.len());
    for row in &mut report.rows {
        let resolved = match &report.edition {
            Some(ed) => model.resolve_in_edition(ed, &row.id_original),
            None => model.resolve(&row.id_original),
        };
        let id = match resolved {
            Some(Resolved::Requirement(r)) => Some(r.id.clone()),
            Some(Resolved::MergedInto(r, retired)) => {
                report.findings.push(finding(
                    Some(row.line),
                    Some(&r.id),
                    "merged-requirement",
                    format!(
                        "{} er lagt sammen med {} i {}; rækken er gemt, men tæller ikke selvstændigt.",
                        retired.id,
                        r.id,
                        model.id()
                    ),
                    format!(
                        "{} is merged into {} in {}; the row is kept but does not count on its own.",
                        retired.id,
                        r.id,
                        model.id()
                    ),
                ));
                None
            }
            Some(Resolved::Retired(retired)) => {
                report.findings.push(finding(
                    Some(row.line),
                    None,
                    "retired-requirement",
                    format!("{} er udgået i {}; rækken er gemt.", retired.id, model.id()),
                    format!(
                        "{} is retired in {}; the row is kept.",
                        retired.id,
                        model.id()
                    ),
                ));
                None
            }
            None => {
                report.findings.push(finding(
                    Some(row.line),
                    None,
                    "unknown-requirement",
                    format!(
                        "Kravet «{}» findes ikke i {}; rækken er gemt, men tæller ikke.",
                        row.id_original,
                        model.id()
                    ),
                    format!(
                        "The requirement “{}” does not exist in {}; the row is kept but does not count.",
                        row.id_original,
                        model.id()
                    ),
                ));
                None
            }
        };
        row.requirement = id.clone();
        let id = match id {
            Some(id) => match seen.get(&id) {
                Some(first) => {
                    report.findings.push(finding(
                        Some(row.line),
                        Some(&id),
                        "duplicate-requirement",
                        format!(
                            "{id} står to gange (også i linje {first}); kun den første række tæller."
                        ),
                        format!(
                            "{id} is listed twice (also on line {first}); only the first row counts."
                        ),
                    ));
                    None
                }
                None => {
                    seen.insert(id.clone(), row.line);
                    Some(id)
                }
            },
            None => None,
        };
        out.push(id);
    }
    let absent: Vec<&RequirementId> = report
        .edition
        .as_ref()
        .and_then(|ed| model.editions().iter().find(|e| &e.id == ed))
        .map(|e| e.absent.iter().collect())
        .unwrap_or_default();
    let missing: Vec<&str> = model
        .requirements()
        .iter()
        .filter(|r| !seen.contains_key(&r.id) && !absent.contains(&&r.id))
        .map(|r| r.id.as_str())
        .collect();
    if !missing.is_empty() {
        report.findings.push(finding(
            None,
            None,
            "missing-requirement",
            format!(
                "{} krav fra {} står ikke i dokumentet: {}.",
                missing.len(),
                model.id(),
                missing.join(", ")
            ),
            format!(
                "{} requirement(s) of {} are not in the document: {}.",
                missing.len(),
                model.id(),
                missing.join(", ")
            ),
        ));
    }
    out
}

/// Findings about the content: a Ja without documentation, Ikke relevant without an
/// explanation, a Grey rating without a basis, requirements not rated.
pub fn content(report: &mut Report) {
    let line_of = |report: &Report, id: &RequirementId| {
        report
            .rows
            .iter()
            .find(|r| r.requirement.as_ref() == Some(id))
            .map(|r| r.line)
    };
    let mut new = Vec::new();
    if let Some(se) = &report.self_evaluation {
        for a in &se.answers {
            let line = line_of(report, &a.requirement);
            if a.value == AnswerValue::Yes && !a.is_documented() {
                new.push(finding(
                    line,
                    Some(&a.requirement),
                    "yes-without-documentation",
                    format!("{} er besvaret Ja uden dokumentation.", a.requirement),
                    format!("{} is answered Yes without documentation.", a.requirement),
                ));
            }
            if a.value == AnswerValue::NotRelevant && !a.is_documented() {
                new.push(finding(
                    line,
                    Some(&a.requirement),
                    "not-relevant-without-explanation",
                    format!(
                        "{} er besvaret Ikke relevant uden forklaring (følg-eller-forklar).",
                        a.requirement
                    ),
                    format!(
                        "{} is answered Not relevant without an explanation (follow-or-explain).",
                        a.requirement
                    ),
                ));
            }
        }
    }
    if let Some(ev) = &report.evaluation {
        let mut unrated = Vec::new();
        for e in &ev.ratings {
            let line = line_of(report, &e.requirement);
            match e.rating {
                None => unrated.push(e.requirement.as_str().to_owned()),
                Some(Rating::Grey) if e.basis.as_deref().is_none_or(|b| b.trim().is_empty()) => {
                    new.push(finding(
                        line,
                        Some(&e.requirement),
                        "grey-without-explanation",
                        format!(
                            "{} er vurderet grå uden forklaring; efter følg-eller-forklar tæller den ikke som opfyldt.",
                            e.requirement
                        ),
                        format!(
                            "{} is rated grey without an explanation; under follow-or-explain it does not count as met.",
                            e.requirement
                        ),
                    ));
                }
                _ => {}
            }
        }
        if !unrated.is_empty() {
            new.push(finding(
                None,
                None,
                "not-rated",
                format!(
                    "{} krav er ikke vurderet: {}.",
                    unrated.len(),
                    unrated.join(", ")
                ),
                format!(
                    "{} requirement(s) are not rated: {}.",
                    unrated.len(),
                    unrated.join(", ")
                ),
            ));
        }
    }
    report.findings.extend(new);
}
