//! New documents: a blank official template, and a draft evaluation with ratings
//! proposed from a self-evaluation's answers.

use niveau_model::{
    Evaluation, EvaluationStatus, Model, Proposal, ProposalTable, RatingEntry, SelfEvaluation,
};

use crate::document::{DocumentKind, Generation, Metadata, Report, Row};

/// A blank document of `kind` for `product` against `model`: every requirement listed,
/// nothing answered or rated.
pub fn blank(kind: DocumentKind, model: &Model, product: &str) -> Report {
    let model_ref = Report::model_ref(model);
    let (self_evaluation, evaluation, generation) = match kind {
        DocumentKind::SelfEvaluation => (
            Some(SelfEvaluation {
                model: model_ref.clone(),
                product: product.to_owned(),
                date: None,
                filled_by: None,
                target_level: None,
                repository: None,
                answers: Vec::new(),
            }),
            None,
            Generation::GovernanceReport110,
        ),
        DocumentKind::Evaluation => (
            None,
            Some(Evaluation {
                model: model_ref.clone(),
                product: product.to_owned(),
                date: None,
                evaluated_by: None,
                repository: None,
                status: EvaluationStatus::Draft,
                summary: None,
                overall: None,
                recommendation: None,
                recommended_level: None,
                ratings: model
                    .requirements()
                    .iter()
                    .map(|r| RatingEntry {
                        requirement: r.id.clone(),
                        rating: None,
                        original: None,
                        basis: None,
                        recommendation: None,
                    })
                    .collect(),
            }),
            Generation::EvaluationReport("0.9.2".into()),
        ),
    };
    Report {
        source: String::new(),
        kind,
        generation,
        model: model_ref,
        edition: None,
        metadata: Metadata::default(),
        self_evaluation,
        evaluation,
        rows: Vec::<Row>::new(),
        printed_counts: None,
        warnings: Vec::new(),
        findings: Vec::new(),
    }
}

/// A draft evaluation of a self-evaluation: every requirement gets the rating the
/// proposal table proposes from the answer, with the product's documentation as the
/// basis followed by the proposal's reason in brackets, for the secretariat to confirm
/// or change. Returns the draft and the proposals.
pub fn propose(
    source: &Report,
    se: &SelfEvaluation,
    model: &Model,
    table: &ProposalTable,
) -> (Report, Vec<Proposal>) {
    let mut proposals = table.propose_all(model, se);
    // Requirements the document's edition does not have are not proposed Red: they are
    // Grey, explained by the edition (as `summary::assess` counts them).
    let mut excused = niveau_model::Ratings::new();
    crate::summary::excuse_absent(source, model, &mut excused);
    for p in &mut proposals {
        if let Some(r) = excused.get(p.requirement.as_str()) {
            p.rating = r.rating;
            p.basis = r.basis.clone();
            p.confidence = 5;
            p.reason = "Kravet findes ikke i dokumentets udgave af modellen.".into();
            p.reason_en = "The requirement is not in the document's edition of the model.".into();
        }
    }
    let ratings = proposals
        .iter()
        .map(|p| {
            let reason = format!("[Forslag, sikkerhed {}/5: {}]", p.confidence, p.reason);
            let basis = match &p.basis {
                Some(b) => format!("{b}\n{reason}"),
                None => reason,
            };
            RatingEntry {
                requirement: p.requirement.clone(),
                rating: Some(p.rating),
                original: None,
                basis: Some(basis),
                recommendation: None,
            }
        })
        .collect();
    let mut draft = blank(DocumentKind::Evaluation, model, &se.product);
    draft.source = source.source.clone();
    draft.self_evaluation = Some(se.clone());
    if let Some(ev) = draft.evaluation.as_mut() {
        ev.ratings = ratings;
        ev.summary = Some(format!(
            "Kladde: vurderingerne er foreslået ud fra selvevalueringens svar og skal bekræftes af sekretariatet. Kilde: {}.",
            if source.source.is_empty() {
                "selvevaluering"
            } else {
                &source.source
            }
        ));
    }
    draft.metadata.draft = true;
    (draft, proposals)
}
