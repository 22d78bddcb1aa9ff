//! `niveau report propose --to text`: per requirement the claim, the evidence found, the
//! proposal and its reason; the claims that lack evidence collected at the top, so that
//! the secretariat can ask the product for exactly those.

use std::fmt::Write;

use niveau_app::proposals::{Candidate, RatingProposal, Verdict};
use niveau_model::{Model, ProposalSource, Rating, RatingEntry, Ratings};
use niveau_report::Lang;
use niveau_report::text::one_line;

fn rating(r: Rating, lang: Lang) -> String {
    format!("{} {}", r.symbol(), lang.pick(r.label_da(), r.label_en()))
}

fn source(s: ProposalSource, lang: Lang) -> &'static str {
    match s {
        ProposalSource::Answer => lang.pick("selvevaluering", "self-evaluation"),
        ProposalSource::Scan => lang.pick("scanning", "scan"),
        ProposalSource::Portfolio => lang.pick("portefølje", "portfolio"),
    }
}

fn verdict(v: Verdict, lang: Lang) -> &'static str {
    lang.pick(v.label_da(), v.label_en())
}

fn evidence_line(c: &Candidate, lang: Lang) -> String {
    format!(
        "{} {} ({} {}/5): {}",
        source(c.source, lang),
        c.rating.symbol(),
        lang.pick("sikkerhed", "confidence"),
        c.confidence,
        one_line(c.reason.pick(lang == Lang::En), 160)
    )
}

/// The proposals as text for people.
pub fn render(proposals: &[RatingProposal], model: &Model, lang: Lang) -> String {
    let mut out = String::new();
    let lacking: Vec<&RatingProposal> = proposals.iter().filter(|p| p.lacks_evidence).collect();
    if lacking.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            lang.pick(
                "Ingen påstande uden dokumentation.",
                "No claims without documentation."
            )
        );
    } else {
        let _ = writeln!(
            out,
            "{} ({}):",
            lang.pick(
                "Påstande uden dokumentation — bed produktet om netop disse",
                "Claims without documentation — ask the product for exactly these"
            ),
            lacking.len()
        );
        for p in &lacking {
            let claim = p.claim.as_ref();
            let answer = claim.and_then(|c| c.answer.as_deref()).unwrap_or("–");
            let doc = claim
                .and_then(|c| c.documentation.as_deref())
                .map(|d| format!(" »{}«", one_line(d, 60)))
                .unwrap_or_default();
            let check = claim
                .and_then(|c| c.check.as_ref())
                .map(|m| one_line(m.pick(lang == Lang::En), 200))
                .unwrap_or_default();
            let _ = writeln!(out, "  {:<4} {answer}{doc}: {check}", p.requirement);
        }
        out.push('\n');
    }
    for p in proposals {
        let flag = if p.claim.as_ref().is_some_and(|c| c.flagged) {
            lang.pick(" [sekretariatets skøn]", " [secretariat's judgment]")
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<4} {:<8} ({} {}/5, {}){flag}",
            p.requirement,
            rating(p.chosen.rating, lang),
            lang.pick("sikkerhed", "confidence"),
            p.chosen.confidence,
            verdict(p.verdict, lang),
        );
        if let Some(c) = &p.claim {
            let answer = c.answer.as_deref().unwrap_or("–");
            let doc = c
                .documentation
                .as_deref()
                .map(|d| format!(" »{}«", one_line(d, 120)))
                .unwrap_or_default();
            let _ = writeln!(out, "     {}: {answer}{doc}", lang.pick("Påstand", "Claim"));
        }
        for c in std::iter::once(&p.chosen)
            .chain(&p.alternatives)
            .filter(|c| c.source != ProposalSource::Answer)
        {
            let _ = writeln!(
                out,
                "     {}: {}",
                lang.pick("Evidens", "Evidence"),
                evidence_line(c, lang)
            );
        }
        let _ = writeln!(
            out,
            "     {}: {}",
            lang.pick("Forslag", "Proposal"),
            one_line(p.chosen.reason.pick(lang == Lang::En), 400)
        );
        if let Some(check) = p.claim.as_ref().and_then(|c| c.check.as_ref()) {
            let _ = writeln!(
                out,
                "     {}: {}",
                lang.pick("Kontrollér", "Check"),
                one_line(check.pick(lang == Lang::En), 300)
            );
        }
        if let Some(d) = &p.disagreement {
            let _ = writeln!(out, "     {}", d.pick(lang == Lang::En));
        }
    }
    let entries: Vec<RatingEntry> = niveau_app::proposals::initial_ratings(model, proposals);
    let ratings: Ratings = niveau_model::evaluation::ratings_of(&entries);
    let ind = niveau_model::indicate(model, &ratings);
    let _ = writeln!(
        out,
        "\n{}: {}",
        lang.pick(
            "Vejledende niveau, hvis forslagene bekræftes",
            "Indicated level if the proposals are confirmed"
        ),
        ind.level.as_ref().map_or_else(
            || lang.pick("intet niveau", "no level").to_owned(),
            |l| l.to_string()
        )
    );
    out
}
