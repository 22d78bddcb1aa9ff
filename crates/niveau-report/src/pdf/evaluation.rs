//! The published evaluation as a PDF: document information and the level, summary,
//! overall assessment and recommendations, the count tables and charts, then every
//! requirement with its rating and basis, theme by theme.

use niveau_model::{Model, Rating, count, indicate};

use super::{Block, Cell, PdfDoc, PdfError};
use crate::document::Report;
use crate::export::{date_text, level_label};
use crate::lang::Lang;
use crate::svg;

/// The evaluation in `report` as a PDF in `lang`. A report without an evaluation (a
/// self-evaluation) gives a PDF of its requirements without ratings. `today` dates the
/// PDF file itself.
pub fn evaluation(
    report: &Report,
    model: &Model,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    super::render(&evaluation_doc(report, model, lang), today)
}

fn rating_cell(rating: Option<Rating>, lang: Lang) -> Cell {
    match rating {
        Some(r) => Cell::swatch(svg::rating_fill(r), lang.pick(r.label_da(), r.label_en())),
        None => Cell::text(lang.pick("ikke vurderet", "not rated")),
    }
}

fn level_name(model: &Model, id: &niveau_model::LevelId) -> String {
    model
        .level(id.as_str())
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The document [`evaluation`] typesets, before typesetting (for tests and previews).
pub fn evaluation_doc(report: &Report, model: &Model, lang: Lang) -> PdfDoc {
    let product = if report.product().trim().is_empty() {
        lang.pick("(uden produktnavn)", "(no product name)")
            .to_owned()
    } else {
        report.product().to_owned()
    };
    let draft = if report.metadata.draft {
        lang.pick("[KLADDE] ", "[DRAFT] ")
    } else {
        ""
    };
    let title = format!(
        "{draft}{} {product}",
        lang.pick("Evaluering af OS2-produkt:", "Evaluation of OS2 product:")
    );
    let mut blocks = Vec::new();
    let mut files = Vec::new();

    let mut facts = vec![(
        lang.pick("Governancemodel", "Governance model").to_owned(),
        model.name().to_owned(),
    )];
    let date = report.date();
    facts.push((
        lang.pick("Dato", "Date").to_owned(),
        date_text(date, report.metadata.date_original.as_deref()),
    ));
    let ev = report.evaluation.as_ref();
    if let Some(ev) = ev {
        if let Some(by) = &ev.evaluated_by {
            facts.push((
                lang.pick("Evalueret af", "Evaluated by").to_owned(),
                by.clone(),
            ));
        }
        let repository = ev.repository.clone().or_else(|| {
            report
                .self_evaluation
                .as_ref()
                .and_then(|s| s.repository.clone())
        });
        if let Some(repo) = repository {
            facts.push((
                lang.pick("Git-organisation", "Git organisation").to_owned(),
                repo,
            ));
        }
        facts.push((
            lang.pick("Status", "Status").to_owned(),
            lang.pick(ev.status.label_da(), ev.status.label_en())
                .to_owned(),
        ));
        let indicated = indicate(model, &ev.ratings()).level;
        facts.push((
            lang.pick("Niveau ifølge vurderingerne", "Level by the ratings")
                .to_owned(),
            indicated
                .as_ref()
                .map(|l| level_name(model, l))
                .unwrap_or_else(|| {
                    lang.pick("intet niveau nået", "no level reached")
                        .to_owned()
                }),
        ));
        if let Some(level) = &ev.recommended_level {
            facts.push((
                lang.pick("Anbefalet niveau", "Recommended level")
                    .to_owned(),
                level_name(model, level),
            ));
        }
    }
    blocks.push(Block::Facts { items: facts });

    if let Some(ev) = ev {
        for (heading, text) in [
            (lang.pick("Resumé", "Summary"), &ev.summary),
            (
                lang.pick("Overordnet vurdering", "Overall assessment"),
                &ev.overall,
            ),
        ] {
            if let Some(t) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                blocks.push(Block::Heading {
                    level: 2,
                    text: heading.to_owned(),
                });
                blocks.push(Block::Rich {
                    blocks: super::rich::from_markdown(t),
                });
            }
        }
        let points: Vec<String> = model
            .requirements()
            .iter()
            .filter_map(|r| {
                let e = ev.ratings.iter().find(|e| e.requirement == r.id)?;
                let text = e.recommendation.as_deref()?.trim();
                (!text.is_empty()).then(|| {
                    format!(
                        "{} {}: {text}",
                        r.id,
                        r.short_text.as_deref().unwrap_or(&r.text)
                    )
                })
            })
            .collect();
        let overall = ev
            .recommendation
            .as_deref()
            .filter(|t| !t.trim().is_empty());
        if overall.is_some() || !points.is_empty() {
            blocks.push(Block::Heading {
                level: 2,
                text: lang.pick("Anbefaling", "Recommendation").to_owned(),
            });
            if let Some(t) = overall {
                blocks.push(Block::Rich {
                    blocks: super::rich::from_markdown(t),
                });
            }
            if !points.is_empty() {
                blocks.push(Block::List { items: points });
            }
        }

        // Counts per level and per theme, then the charts.
        let tables = count(model, &ev.ratings());
        blocks.push(Block::Heading {
            level: 2,
            text: lang
                .pick(
                    "Optælling af vurderinger pr. niveau og tema",
                    "Ratings per level and theme",
                )
                .to_owned(),
        });
        let header = || {
            let mut h = vec![Cell::text("")];
            h.extend(Rating::ALL.iter().map(|r| {
                Cell::swatch(svg::rating_fill(*r), lang.pick(r.label_da(), r.label_en()))
            }));
            h
        };
        let counts_row = |label: String, c: &niveau_model::Counts, strong: bool| {
            let mut row = vec![if strong {
                Cell::strong(label)
            } else {
                Cell::text(label)
            }];
            row.extend(
                Rating::ALL
                    .iter()
                    .map(|r| Cell::text(c.get(*r).to_string())),
            );
            row
        };
        let mut level_header = header();
        level_header[0] = Cell::text(lang.pick("Niveau", "Level"));
        let mut rows: Vec<Vec<Cell>> = tables
            .by_level
            .iter()
            .map(|(l, c)| counts_row(level_name(model, l), c, false))
            .collect();
        rows.push(counts_row(
            lang.pick("I alt", "Total").to_owned(),
            &tables.total,
            true,
        ));
        blocks.push(Block::Table {
            columns: vec![2, 1, 1, 1, 1],
            header: level_header,
            rows,
        });
        let mut theme_header = header();
        theme_header[0] = Cell::text(lang.pick("Tema", "Theme"));
        let rows = tables
            .by_theme
            .iter()
            .map(|row| {
                let name = model
                    .theme(row.theme.as_str())
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| row.theme.to_string());
                counts_row(name, &row.total, false)
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![2, 1, 1, 1, 1],
            header: theme_header,
            rows,
        });
        let pies = svg::level_pies(model, &tables, lang);
        let bars = svg::theme_bars(model, &tables, lang);
        files.push(("/charts/levels.svg".to_owned(), pies.into_bytes()));
        files.push(("/charts/themes.svg".to_owned(), bars.into_bytes()));
        blocks.push(Block::Image {
            file: "/charts/levels.svg".to_owned(),
            alt: lang
                .pick("Vurderinger pr. niveau", "Ratings per level")
                .to_owned(),
            width: 80,
        });
        blocks.push(Block::Image {
            file: "/charts/themes.svg".to_owned(),
            alt: lang
                .pick("Vurderinger pr. tema", "Ratings per theme")
                .to_owned(),
            width: 90,
        });
    }

    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading {
        level: 2,
        text: lang
            .pick(
                "Evaluering i henhold til krav i OS2s styringsmodel",
                "Evaluation against the requirements of OS2's governance model",
            )
            .to_owned(),
    });
    for theme in model.themes() {
        blocks.push(Block::Heading {
            level: 3,
            text: theme.name.clone(),
        });
        let mut header = vec![
            Cell::text("#"),
            Cell::text(lang.pick("Niveau", "Level")),
            Cell::text(lang.pick("Krav", "Requirement")),
        ];
        if ev.is_some() {
            header.push(Cell::text(lang.pick("Vurdering", "Rating")));
            header.push(Cell::text(lang.pick("Vurderingsgrundlag", "Basis")));
        }
        let rows = model
            .requirements_in(&theme.id)
            .map(|r| {
                let mut row = vec![
                    Cell::strong(r.id.to_string()),
                    Cell::text(level_label(model, &r.level)),
                    Cell::text(r.short_text.as_deref().unwrap_or(&r.text)),
                ];
                if let Some(ev) = ev {
                    let e = ev.ratings.iter().find(|e| e.requirement == r.id);
                    row.push(rating_cell(e.and_then(|e| e.rating), lang));
                    row.push(Cell::text(
                        e.and_then(|e| e.basis.clone()).unwrap_or_default(),
                    ));
                }
                row
            })
            .collect();
        blocks.push(Block::Table {
            columns: if ev.is_some() {
                vec![0, 0, 3, 0, 4]
            } else {
                vec![0, 0, 1]
            },
            header,
            rows,
        });
    }

    let footer = format!(
        "{} · {}",
        product,
        date.map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_default()
    );
    PdfDoc {
        lang: lang.code().to_owned(),
        title,
        subtitle: Some(model.name().to_owned()),
        footer,
        blocks,
        files,
    }
}
