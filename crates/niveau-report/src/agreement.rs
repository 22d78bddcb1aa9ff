//! How well proposals agree with the secretariat: a self-evaluation's proposals (and the
//! naive mapping Ja→🟢, Nej→🔴, Planlagt→🟡 for comparison) against the ratings of an
//! evaluation of the same product.
//!
//! An evaluation that OS2's own generator wrote from the self-evaluation — every rating is
//! the generator's mapping of the answer (either version: Planlagt→🔴 or →🟡) and every
//! basis the product's own documentation or "Ingen data i selvevalueringsrapport" — is not
//! a judgment: it is reported as
//! `generated`, so that a measurement does not count agreement with a mechanical copy.

use niveau_model::{AnswerValue, Model, Proposal, ProposalTable, Rating, SelfEvaluation};
use serde::Serialize;

use crate::document::Report;
use crate::markdown::{cell, inline};
use crate::text::one_line;

/// One requirement compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementRow {
    /// The requirement.
    pub requirement: String,
    /// The answer as written, if any.
    pub answer: Option<String>,
    /// The product's documentation, if any.
    pub documentation: Option<String>,
    /// The secretariat's rating.
    pub secretariat: Rating,
    /// The secretariat's basis, if any.
    pub basis: Option<String>,
    /// Niveau's proposal.
    pub proposal: Rating,
    /// The proposal's reason (Danish).
    pub reason: String,
    /// The naive mapping of the answer.
    pub naive: Rating,
}

impl AgreementRow {
    /// Whether the proposal is the secretariat's rating.
    pub fn proposal_agrees(&self) -> bool {
        self.proposal == self.secretariat
    }

    /// Whether the naive mapping is the secretariat's rating.
    pub fn naive_agrees(&self) -> bool {
        self.naive == self.secretariat
    }
}

/// A self-evaluation's proposals against an evaluation's ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// The product, as the evaluation names it.
    pub product: String,
    /// Whether the evaluation is OS2's generator's copy of the answers, not a judgment.
    pub generated: bool,
    /// The requirements rated in the evaluation and proposed from the self-evaluation.
    pub rows: Vec<AgreementRow>,
}

impl Agreement {
    /// Requirements compared.
    pub fn compared(&self) -> usize {
        self.rows.len()
    }

    /// Requirements where the proposal is the secretariat's rating.
    pub fn proposals_agree(&self) -> usize {
        self.rows.iter().filter(|r| r.proposal_agrees()).count()
    }

    /// Requirements where the naive mapping is the secretariat's rating.
    pub fn naive_agrees(&self) -> usize {
        self.rows.iter().filter(|r| r.naive_agrees()).count()
    }

    /// The rows where the proposal differs from the secretariat.
    pub fn disagreements(&self) -> impl Iterator<Item = &AgreementRow> {
        self.rows.iter().filter(|r| !r.proposal_agrees())
    }
}

/// The naive mapping of an answer: Ja→🟢, Nej→🔴, Planlagt→🟡, Delvist→🟡, Ved ikke→🟡,
/// Ikke relevant→⚪, nothing→🔴.
pub fn naive(value: &AnswerValue) -> Rating {
    match value {
        AnswerValue::Yes => Rating::Green,
        AnswerValue::No | AnswerValue::Unanswered => Rating::Red,
        AnswerValue::NotRelevant => Rating::Grey,
        _ => Rating::Yellow,
    }
}

/// OS2's evaluation generator's mapping (docs/evaluering/evalueringsrapport-generator.md in
/// OS2offdig/os2-product-reviews): Ja→🟢, Nej→🔴, Ikke relevant→⚪, Ved ikke→🟡, else 🔴.
fn generator(value: &AnswerValue) -> Rating {
    match value {
        AnswerValue::Yes => Rating::Green,
        AnswerValue::NotRelevant => Rating::Grey,
        AnswerValue::DontKnow => Rating::Yellow,
        _ => Rating::Red,
    }
}

/// Compares the proposals for `se` (read against `model` with `table`) with the ratings of
/// `evaluation`. Requirements are matched by id; those the evaluation does not rate are
/// left out.
pub fn compare(
    se: &SelfEvaluation,
    evaluation: &Report,
    model: &Model,
    table: &ProposalTable,
) -> Agreement {
    let proposals: Vec<Proposal> = table.propose_all(model, se);
    let mut rows = Vec::new();
    let mut copied = 0usize;
    let ratings = evaluation
        .evaluation
        .as_ref()
        .map(|e| e.ratings.as_slice())
        .unwrap_or_default();
    for entry in ratings {
        let Some(secretariat) = entry.rating else {
            continue;
        };
        let Some(req) = model.requirement(entry.requirement.as_str()) else {
            continue;
        };
        let Some(p) = proposals.iter().find(|p| p.requirement == req.id) else {
            continue;
        };
        let answer = se.answer(req.id.as_str());
        let value = answer.map_or(AnswerValue::Unanswered, |a| a.value.clone());
        let documentation = answer.and_then(|a| a.documentation.clone());
        let basis = entry.basis.clone();
        let basis_copied = match (&basis, &documentation) {
            (Some(b), Some(d)) => {
                b.trim() == d.trim() || b.contains("Ingen data i selvevalueringsrapport")
            }
            (Some(b), None) => b.contains("Ingen data i selvevalueringsrapport"),
            (None, _) => true,
        };
        if basis_copied && (generator(&value) == secretariat || naive(&value) == secretariat) {
            copied += 1;
        }
        rows.push(AgreementRow {
            requirement: req.id.to_string(),
            answer: p.answer.clone(),
            documentation,
            secretariat,
            basis,
            proposal: p.rating,
            reason: p.reason.clone(),
            naive: naive(&value),
        });
    }
    Agreement {
        product: evaluation.product().to_owned(),
        generated: !rows.is_empty() && copied == rows.len(),
        rows,
    }
}

/// The comparison as Markdown for a report (docs/quality.md): the figures, then every
/// disagreement with the claim, the secretariat's basis and the proposal's reason.
pub fn render_markdown(a: &Agreement) -> String {
    let mut out = String::new();
    let n = a.compared();
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    out.push_str(&format!("### {}\n\n", inline(&a.product)));
    if a.generated {
        out.push_str("The evaluation is OS2's generator's copy of the answers, not a judgment: not counted.\n\n");
    }
    out.push_str(&format!(
        "Compared: {n} requirements. Proposals agree: {} ({:.0} %). Naive mapping agrees: {} ({:.0} %).\n\n",
        a.proposals_agree(),
        pct(a.proposals_agree()),
        a.naive_agrees(),
        pct(a.naive_agrees())
    ));
    let dis: Vec<&AgreementRow> = a.disagreements().collect();
    if !dis.is_empty() {
        out.push_str("| # | answer | documentation | secretariat | basis | proposal | reason |\n|---|---|---|---|---|---|---|\n");
        for r in dis {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                r.requirement,
                cell(r.answer.as_deref().unwrap_or("–")),
                cell(&one_line(r.documentation.as_deref().unwrap_or("–"), 70)),
                r.secretariat.symbol(),
                cell(&one_line(r.basis.as_deref().unwrap_or("–"), 70)),
                r.proposal.symbol(),
                cell(&one_line(&r.reason, 90)),
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use niveau_model::Registry;

    use super::*;
    use crate::import::{ImportOptions, import_str};

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/../../../shared/fixtures/os2/reports/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_generator_pair_is_recognised_as_a_copy() {
        let registry = Registry::builtin().unwrap();
        let opts = ImportOptions::default();
        let se = import_str(
            &fixture("selfeval-1.1.0-os2-test.md"),
            "se.md",
            &registry,
            &opts,
        )
        .unwrap();
        let ev = import_str(
            &fixture("evaluation-0.9.2-os2-test.md"),
            "ev.md",
            &registry,
            &opts,
        )
        .unwrap();
        let model = registry.get("os2-1.1.0").unwrap();
        let table = ProposalTable::builtin().unwrap();
        let a = compare(se.self_evaluation.as_ref().unwrap(), &ev, model, &table);
        assert_eq!(a.compared(), 43);
        assert!(a.generated, "{}", render_markdown(&a));
        // The naive mapping is the generator's, but for G7 ("Ja" with nothing written,
        // which the generator rates green): so it agrees everywhere.
        assert_eq!(a.naive_agrees(), 43);
    }
}
