//! OS2's Markdown reports (every generation of self-evaluation and evaluation) →
//! [`Report`].

use std::collections::HashMap;

use niveau_model::{
    Answer, AnswerValue, Evaluation, EvaluationStatus, Model, RatingEntry, Registry,
    SelfEvaluation, count,
};

use super::cells::{self, RatingCell, checkbox, has_broken_link};
use super::checks;
use super::columns::{Layout, Role, align, layout};
use super::hints;
use super::meta::{self, Field, LevelMention};
use super::printed;
use super::scan::{Block, Table, scan};
use super::{ImportError, ImportOptions, links, similarity};
use crate::document::{
    Cell, DocumentKind, Generation, Metadata, PrintedCounts, Report, Row, Warning,
};

fn warn(line: usize, code: &str, da: String, en: String) -> Warning {
    Warning::at_line(line, code, da, en)
}

/// The cells of one requirement row that the importer uses, lined up by role.
struct Parsed {
    line: usize,
    cells: Vec<String>,
    layout_index: usize,
}

impl Parsed {
    fn get<'a>(&'a self, layouts: &[Layout], role: Role) -> Option<&'a str> {
        layouts[self.layout_index]
            .find(role)
            .and_then(|i| self.cells.get(i))
            .map(String::as_str)
    }
}

/// Heading text without emoji and markup, lower-case: `## 📝 Resumé` → `resumé`.
fn heading_key(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || matches!(c, '/' | '-'))
        .collect();
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Summary,
    Overall,
    Recommendation,
}

fn section_of(text: &str) -> Option<Section> {
    let k = heading_key(text);
    if k == "resumé" || k == "resume" || k == "summary" || k == "sammenfatning" {
        Some(Section::Summary)
    } else if k.starts_with("overordnet vurdering") || k == "overall assessment" {
        Some(Section::Overall)
    } else if k == "anbefaling"
        || k == "anbefalinger"
        || k == "recommendation"
        || k == "recommendations"
    {
        Some(Section::Recommendation)
    } else {
        None
    }
}

/// Picks the model a document was written against.
fn choose_model<'r>(
    registry: &'r Registry,
    opts: &ImportOptions,
    declared: Option<&str>,
    generation: &Generation,
    ids: &[String],
    levels: &[String],
) -> Result<&'r Model, ImportError> {
    if let Some(id) = &opts.model {
        return registry.get(id).map_err(ImportError::UnknownModel);
    }
    if let Some(model) = declared.and_then(|d| registry.get(d.trim()).ok()) {
        return Ok(model);
    }
    let old = matches!(
        generation,
        Generation::Checklist2021 | Generation::Checklist2023
    ) || ids.iter().any(|i| matches!(i.as_str(), "R5" | "F8" | "F9"))
        || levels.iter().any(|l| l.trim() == "0");
    let id = if old { "os2-2021" } else { "os2-1.1.0" };
    registry.get(id).map_err(ImportError::UnknownModel)
}

/// The edition whose numbering fits the rows best (by the similarity of the requirement
/// texts); `None` for the model's own numbering, which wins ties.
fn choose_edition(model: &Model, rows: &[(String, String)]) -> Option<String> {
    let score = |edition: Option<&str>| -> f64 {
        rows.iter()
            .filter_map(|(id, text)| {
                let resolved = match edition {
                    Some(e) => model.resolve_in_edition(e, id),
                    None => model.resolve(id),
                };
                match resolved {
                    Some(niveau_model::Resolved::Requirement(r)) => Some(similarity(text, &r.text)),
                    _ => None,
                }
            })
            .sum()
    };
    let base = score(None);
    model
        .editions()
        .iter()
        .map(|e| (e.id.clone(), score(Some(&e.id))))
        .filter(|(_, s)| *s > base + 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, _)| id)
}

/// Reads a Markdown report.
pub fn import(
    text: &str,
    source: &str,
    registry: &Registry,
    opts: &ImportOptions,
) -> Result<Report, ImportError> {
    let scanned = scan(text);
    let mut warnings = scanned.warnings.clone();
    let raw_lines: Vec<&str> = text.lines().collect();

    let tables: Vec<&Table> = scanned.tables().collect();
    let mut layouts: Vec<Layout> = Vec::new();
    let mut req_tables: Vec<&Table> = Vec::new();
    for t in &tables {
        if let Some(l) = layout(t) {
            layouts.push(l);
            req_tables.push(t);
        }
    }
    if req_tables.is_empty() {
        return Err(ImportError::NoRequirementTable {
            file: source.to_owned(),
        });
    }
    let first_table_line = req_tables.iter().map(|t| t.line).min().unwrap_or(0);

    // Header fields, title, draft mark.
    let mut metadata = Metadata {
        front_matter: scanned.front_matter.clone(),
        ..Metadata::default()
    };
    let mut fields: HashMap<Field, (String, usize)> = HashMap::new();
    for t in scanned.texts() {
        if t.line > first_table_line {
            break;
        }
        let Some((label, value)) = meta::labelled(&t.text) else {
            continue;
        };
        if has_broken_link(&value) {
            warnings.push(warn(
                t.line,
                "broken-link",
                format!("«{label}» har et Markdown-link, der ikke er lukket; værdien er gemt, som den står."),
                format!("“{label}” has a Markdown link that is not closed; the value is kept as written."),
            ));
        }
        match meta::field_of(&label) {
            Some(f) => {
                fields.entry(f).or_insert((value, t.line));
            }
            None => {
                warnings.push(warn(
                    t.line,
                    "unknown-field",
                    format!("Feltet «{label}» kendes ikke; værdien er gemt."),
                    format!("The field “{label}” is not known; its value is kept."),
                ));
                metadata.extra.push((label, value));
            }
        }
    }
    let mut product = None;
    // The title is an H1; a document without any H1 may use an H2 (the 2021 checklist).
    let title_level = if scanned.headings().any(|h| h.level == 1) {
        1
    } else {
        2
    };
    for h in scanned.headings() {
        let (name, draft) = meta::product_from_title(&h.text);
        metadata.draft |= draft;
        if product.is_none() && h.level == title_level && h.line < first_table_line {
            if let Some(name) = name {
                product = Some(name);
                metadata.title = Some(h.text.clone());
            } else if metadata.title.is_none() {
                metadata.title = Some(h.text.clone());
            }
        }
    }
    let field = |f: Field| fields.get(&f);
    metadata.template_version = field(Field::TemplateVersion)
        .or_else(|| field(Field::ReportVersion))
        .and_then(|(v, _)| meta::value_or_none(v));
    metadata.website = field(Field::Website).and_then(|(v, _)| meta::value_or_none(v));
    let repository = field(Field::Repository).and_then(|(v, _)| meta::value_or_none(v));
    let filled_by = field(Field::FilledBy).and_then(|(v, _)| meta::value_or_none(v));
    let evaluated_by = field(Field::EvaluatedBy).and_then(|(v, _)| meta::value_or_none(v));
    let mut date = None;
    if let Some((value, line)) = field(Field::Date) {
        if meta::value_or_none(value).is_some() {
            metadata.date_original = Some(value.clone());
        }
        match meta::parse_date(value) {
            Ok(d) => date = d,
            Err(meta::NotADate) => warnings.push(warn(
                *line,
                "invalid-date",
                format!("Datoen «{value}» kan ikke læses (dd-mm-åååå eller åååå-mm-dd); den er gemt som tekst."),
                format!("The date “{value}” cannot be read (dd-mm-yyyy or yyyy-mm-dd); it is kept as text."),
            )),
        }
    }

    // Rows.
    let mut parsed: Vec<Parsed> = Vec::new();
    for (index, (table, layout)) in req_tables.iter().zip(&layouts).enumerate() {
        if !table.header.is_empty() {
            for (i, h) in table.header.iter().enumerate() {
                if layout.roles[i] == Role::Unknown && !h.trim().is_empty() {
                    warnings.push(warn(
                        table.line,
                        "unknown-column",
                        format!("Kolonnen «{h}» kendes ikke; dens celler gemmes, men bruges ikke."),
                        format!("The column “{h}” is not known; its cells are kept but not used."),
                    ));
                }
            }
        }
        for row in &table.rows {
            let cells = align(row, layout, &mut warnings);
            let id = cells.get(layout.id).map(String::as_str).unwrap_or_default();
            if !super::columns::is_requirement_id(id) {
                if cells.iter().any(|c| !c.trim().is_empty()) {
                    warnings.push(warn(
                        row.line,
                        "row-without-id",
                        format!("Rækken har intet krav-id («{id}»); den er sprunget over."),
                        format!("The row has no requirement id (“{id}”); it is skipped."),
                    ));
                }
                continue;
            }
            for c in &cells {
                if has_broken_link(c) {
                    warnings.push(warn(
                        row.line,
                        "broken-link",
                        "Cellen har et Markdown-link, der ikke er lukket; teksten er gemt som den står.".into(),
                        "The cell has a Markdown link that is not closed; the text is kept as written.".into(),
                    ));
                    break;
                }
            }
            parsed.push(Parsed {
                line: row.line,
                cells,
                layout_index: index,
            });
        }
    }

    // Kind and generation.
    let has = |role: Role| layouts.iter().any(|l| l.has(role));
    let eval_hint = fields.iter().any(|(k, _)| *k == Field::EvaluatedBy)
        || metadata
            .title
            .as_deref()
            .map(|t| {
                let t = t.to_lowercase();
                t.contains("evaluering") || t.contains("vurdering af")
            })
            .unwrap_or(false);
    // The self-evaluation's columns followed by the secretariat's (Vurdering with
    // Vurderingsgrundlag or Anbefaling) make an evaluation, whatever the header says.
    let claims = has(Role::Box) || has(Role::Answer);
    let rated_columns = has(Role::Rating) && (has(Role::Basis) || has(Role::Recommendation));
    let kind = if rated_columns {
        DocumentKind::Evaluation
    } else if claims {
        DocumentKind::SelfEvaluation
    } else if has(Role::Rating) || eval_hint {
        DocumentKind::Evaluation
    } else {
        DocumentKind::SelfEvaluation
    };
    let generation = if kind == DocumentKind::Evaluation {
        // Only an evaluation template's version names the generation; the version of
        // the governance report an evaluation was written on does not.
        Generation::EvaluationReport(
            field(Field::TemplateVersion)
                .and_then(|(v, _)| meta::value_or_none(v))
                .unwrap_or_else(|| "unknown".into()),
        )
    } else if layouts
        .iter()
        .any(|l| l.headers.iter().any(|h| h.contains('🔽')))
    {
        Generation::Checklist2025Emoji
    } else if has(Role::Box) {
        let ul = parsed.iter().any(|p| {
            p.get(&layouts, Role::Box)
                .is_some_and(|c| c.to_lowercase().contains("<li>"))
        });
        if ul {
            Generation::Checklist2021
        } else {
            Generation::Checklist2023
        }
    } else {
        Generation::GovernanceReport110
    };

    // Model and edition.
    let ids: Vec<String> = parsed
        .iter()
        .map(|p| niveau_model::normalise_requirement_id(&p.cells[layouts[p.layout_index].id]))
        .collect();
    let levels: Vec<String> = parsed
        .iter()
        .filter_map(|p| p.get(&layouts, Role::Level).map(str::to_owned))
        .collect();
    let declared = field(Field::Model).map(|(v, _)| v.as_str());
    let model = choose_model(registry, opts, declared, &generation, &ids, &levels)?;
    let texts: Vec<(String, String)> = parsed
        .iter()
        .zip(&ids)
        .map(|(p, id)| {
            (
                id.clone(),
                p.get(&layouts, Role::Requirement)
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let edition = choose_edition(model, &texts);

    let mut report = Report {
        source: source.to_owned(),
        kind,
        generation: generation.clone(),
        model: Report::model_ref(model),
        edition,
        metadata,
        self_evaluation: None,
        evaluation: None,
        rows: parsed
            .iter()
            .map(|p| Row {
                line: p.line,
                id_original: p.cells[layouts[p.layout_index].id].clone(),
                requirement: None,
                cells: layouts[p.layout_index]
                    .headers
                    .iter()
                    .zip(&p.cells)
                    .map(|(h, c)| Cell {
                        header: h.clone(),
                        text: c.clone(),
                    })
                    .collect(),
            })
            .collect(),
        printed_counts: None,
        warnings: Vec::new(),
        findings: Vec::new(),
    };
    let resolved = checks::resolve_rows(model, &mut report);

    // How a row's requirement is named in messages: the document's id, and the model's
    // where the edition numbers it differently ("S4 (S5 i os2-2021)").
    let shown: Vec<String> = parsed
        .iter()
        .zip(&ids)
        .zip(&resolved)
        .map(|((_, doc), id)| match id {
            Some(id) if id.as_str() != doc => format!("{doc} ({id} i {})", model.id()),
            _ => doc.clone(),
        })
        .collect();

    // Level cells against the model.
    for ((p, id), shown_id) in parsed.iter().zip(&resolved).zip(&shown) {
        let (Some(id), Some(cell)) = (id, p.get(&layouts, Role::Level)) else {
            continue;
        };
        let token = cell.trim().trim_matches('*');
        if token.is_empty() {
            continue;
        }
        let Some(req) = model.requirement(id.as_str()) else {
            continue;
        };
        match model.level(token) {
            Some(l) if l.id == req.level => {}
            Some(l) => warnings.push(warn(
                p.line,
                "level-differs",
                format!(
                    "Dokumentet placerer {shown_id} på {}, men {} placerer det på {}.",
                    l.name,
                    model.id(),
                    model
                        .level(req.level.as_str())
                        .map(|x| x.name.as_str())
                        .unwrap_or_default()
                ),
                format!(
                    "The document puts {shown_id} at {}, but {} puts it at {}.",
                    l.name,
                    model.id(),
                    model
                        .level(req.level.as_str())
                        .map(|x| x.name.as_str())
                        .unwrap_or_default()
                ),
            )),
            None => warnings.push(warn(
                p.line,
                "unknown-level",
                format!("Niveauet «{token}» for {shown_id} kendes ikke."),
                format!("The level “{token}” of {shown_id} is not known."),
            )),
        }
    }

    // Answers (also the claims an evaluation repeats next to its ratings).
    if kind == DocumentKind::SelfEvaluation || claims {
        let any_checked = parsed.iter().any(|p| {
            p.get(&layouts, Role::Box)
                .is_some_and(super::columns::checked)
        });
        let boxes = has(Role::Box);
        if boxes && !any_checked {
            warnings.push(warn(
                first_table_line,
                "all-boxes-empty",
                "Ingen felter er krydset af; alle svar læses som ikke besvaret.".into(),
                "No box is ticked; every answer is read as not answered.".into(),
            ));
        }
        let mut answers = Vec::new();
        for (((p, id), shown_id), doc_id) in parsed.iter().zip(&resolved).zip(&shown).zip(&ids) {
            let Some(id) = id else { continue };
            let documentation = p
                .get(&layouts, Role::Documentation)
                .and_then(cells::md_text);
            let (value, original, documentation) = if let Some(cell) = p.get(&layouts, Role::Box) {
                let hint = documentation.as_deref().is_some_and(hints::is_hint);
                let value = match checkbox(cell) {
                    Some(cells::CheckBox::Checked)
                        if hint && hints::TICKED_IN_TEMPLATE.contains(&doc_id.as_str()) =>
                    {
                        warnings.push(warn(
                            p.line,
                            "template-tick",
                            format!("Linje {}: {shown_id}: feltet er krydset af som i den tomme skabelon, og teksten er stadig skabelonens hjælpetekst «{}»; svaret læses som ikke besvaret.", p.line, documentation.as_deref().unwrap_or_default()),
                            format!("Line {}: {shown_id}: the box is ticked as in the blank template and the text is still the template's hint “{}”; the answer is read as not answered.", p.line, documentation.as_deref().unwrap_or_default()),
                        ));
                        AnswerValue::Unanswered
                    }
                    Some(cells::CheckBox::Checked) => AnswerValue::Yes,
                    Some(cells::CheckBox::Unchecked) if !any_checked => AnswerValue::Unanswered,
                    Some(cells::CheckBox::Unchecked) => {
                        match hints::unticked(documentation.as_deref()) {
                            hints::Unticked::Blank => AnswerValue::Unanswered,
                            hints::Unticked::NotRelevant => {
                                warnings.push(warn(
                                    p.line,
                                    "not-relevant-from-text",
                                    format!("{shown_id}: feltet er ikke krydset af, og dokumentationen siger «Ikke relevant»; svaret læses som Ikke relevant."),
                                    format!("{shown_id}: the box is not ticked and the documentation says “Ikke relevant”; the answer is read as Not relevant."),
                                ));
                                AnswerValue::NotRelevant
                            }
                            hints::Unticked::No => AnswerValue::No,
                            hints::Unticked::Claims(why) => {
                                let text = excerpt(documentation.as_deref().unwrap_or_default());
                                warnings.push(warn(
                                    p.line,
                                    "unticked-claim",
                                    format!("Linje {}: {shown_id}: feltet er ikke krydset af, men {} («{text}»); det er en modstrid, og svaret læses som ikke besvaret.", p.line, why.da),
                                    format!("Line {}: {shown_id}: the box is not ticked, but {} (“{text}”); that is a conflict, and the answer is read as not answered.", p.line, why.en),
                                ));
                                AnswerValue::Unanswered
                            }
                        }
                    }
                    None => {
                        let v = cells::answer(cell);
                        if !cell.trim().is_empty() {
                            warnings.push(warn(
                                p.line,
                                "unexpected-answer",
                                format!("{shown_id}: «{cell}» står i afkrydsningskolonnen; det læses som et svar."),
                                format!("{shown_id}: “{cell}” is in the check-box column; it is read as an answer."),
                            ));
                        }
                        v
                    }
                };
                // The template's hint is not documentation.
                let documentation = documentation.filter(|d| !hints::is_hint(d));
                (value, Some(cell.to_owned()), documentation)
            } else if let Some(cell) = p.get(&layouts, Role::Answer) {
                (cells::answer(cell), Some(cell.to_owned()), documentation)
            } else {
                (AnswerValue::Unanswered, None, documentation)
            };
            let evidence = documentation.as_deref().map(links).unwrap_or_default();
            answers.push(Answer {
                requirement: id.clone(),
                value,
                original,
                documentation,
                evidence,
            });
        }
        // A claimed or target level in the prose before the tables.
        let mut target_level = None;
        for t in scanned.texts() {
            if t.line > first_table_line || t.quoted {
                continue;
            }
            if meta::labelled(&t.text).is_some() {
                continue;
            }
            match meta::level_mention(model, &t.text) {
                Some(LevelMention::Level(l)) => {
                    target_level = Some(l);
                    report.metadata.claimed_level_original = Some(t.text.clone());
                    break;
                }
                Some(LevelMention::Placeholder) => {
                    report.metadata.claimed_level_original = Some(t.text.clone());
                    warnings.push(warn(
                        t.line,
                        "level-placeholder",
                        "Målniveauet er ikke udfyldt («niveau x»).".into(),
                        "The target level is not filled in (“niveau x”).".into(),
                    ));
                    break;
                }
                None => {}
            }
        }
        answers.sort_by_key(|a| model_position(model, &a.requirement));
        report.self_evaluation = Some(SelfEvaluation {
            model: report.model.clone(),
            product: product.clone().unwrap_or_default(),
            date,
            filled_by: filled_by.clone(),
            target_level,
            repository: repository.clone(),
            answers,
        });
    }

    // Ratings (an evaluation recognised by its title or header fields but without a
    // rating column still gets its evaluation, with every requirement unrated).
    if has(Role::Rating) || kind == DocumentKind::Evaluation {
        let mut ratings = Vec::new();
        for ((p, id), shown_id) in parsed.iter().zip(&resolved).zip(&shown) {
            let Some(id) = id else { continue };
            let cell = p.get(&layouts, Role::Rating).unwrap_or_default();
            let rating = match cells::rating(cell) {
                RatingCell::Rated(r) => Some(r),
                RatingCell::Blank => None,
                RatingCell::Unreadable => {
                    warnings.push(warn(
                        p.line,
                        "unreadable-rating",
                        format!("{shown_id}: vurderingen «{cell}» kan ikke læses (🟢 🟡 🔴 ⚪); kravet regnes som ikke vurderet."),
                        format!("{shown_id}: the rating “{cell}” cannot be read (🟢 🟡 🔴 ⚪); the requirement counts as not rated."),
                    ));
                    None
                }
            };
            ratings.push(RatingEntry {
                requirement: id.clone(),
                rating,
                original: (!cell.trim().is_empty()).then(|| cell.to_owned()),
                basis: p.get(&layouts, Role::Basis).and_then(cells::md_text),
                recommendation: p
                    .get(&layouts, Role::Recommendation)
                    .and_then(cells::md_text),
            });
        }
        ratings.sort_by_key(|r| model_position(model, &r.requirement));
        let sections = read_sections(&scanned.blocks, &raw_lines);
        let prose: Vec<&str> = [&sections.0, &sections.1, &sections.2]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let recommended_level = recommended_level(model, &prose.join("\n"));
        let rated = ratings.iter().any(|r| r.rating.is_some());
        let status = if report.metadata.draft || !rated {
            EvaluationStatus::Draft
        } else {
            EvaluationStatus::Published
        };
        report.evaluation = Some(Evaluation {
            model: report.model.clone(),
            product: product.clone().unwrap_or_default(),
            date,
            evaluated_by: evaluated_by.clone(),
            repository: repository.clone(),
            status,
            summary: sections.0,
            overall: sections.1,
            recommendation: sections.2,
            recommended_level,
            ratings,
        });
        // The document's own count tables.
        let printed = printed::read(model, &tables);
        if !printed.is_empty() {
            if let Some(ev) = &report.evaluation {
                let tables_now = count(model, &ev.ratings());
                report
                    .findings
                    .extend(printed::check(model, &tables_now, &printed));
            }
            report.printed_counts = Some(PrintedCounts { cells: printed });
        }
    }

    if product.is_none() {
        warnings.push(warn(
            report
                .metadata
                .title
                .as_ref()
                .map(|_| first_line_of_title(&scanned))
                .unwrap_or(1),
            "missing-product",
            "Produktets navn står ikke i dokumentet (eller er skabelonens pladsholder).".into(),
            "The product name is not in the document (or is the template's placeholder).".into(),
        ));
    }
    checks::content(&mut report);
    warnings.sort_by_key(|w| w.line.unwrap_or(0));
    report.warnings = warnings;
    Ok(report)
}

/// At most 80 characters of a text, on one line, for a message.
fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 80 {
        one_line
    } else {
        let cut: String = one_line.chars().take(79).collect();
        format!("{cut}…")
    }
}

/// The position of a requirement in the model, for listing answers in model order.
fn model_position(model: &Model, id: &niveau_model::RequirementId) -> usize {
    model
        .requirements()
        .iter()
        .position(|r| &r.id == id)
        .unwrap_or(usize::MAX)
}

fn first_line_of_title(scanned: &super::scan::Scanned) -> usize {
    scanned.headings().next().map(|h| h.line).unwrap_or(1)
}

/// The summary, overall assessment and recommendation sections, as Markdown (with the
/// writer's entities undone, see [`cells::unescape`]).
fn read_sections(
    blocks: &[Block],
    raw: &[&str],
) -> (Option<String>, Option<String>, Option<String>) {
    let headings: Vec<(usize, usize, String)> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) => Some((h.line, h.level, h.text.clone())),
            _ => None,
        })
        .collect();
    let mut out = (None, None, None);
    for (i, (line, level, text)) in headings.iter().enumerate() {
        let Some(section) = section_of(text) else {
            continue;
        };
        let slot = match section {
            Section::Summary => &mut out.0,
            Section::Overall => &mut out.1,
            Section::Recommendation => &mut out.2,
        };
        if slot.is_some() {
            continue;
        }
        let end = headings[i + 1..]
            .iter()
            .find(|(_, l, _)| l <= level)
            .map(|(l, _, _)| *l - 1)
            .unwrap_or(raw.len());
        let body: Vec<&str> = raw
            .get(*line..end.min(raw.len()))
            .unwrap_or_default()
            .iter()
            .map(|l| l.trim_end())
            .collect();
        let mut body: Vec<&str> = body;
        while body
            .last()
            .is_some_and(|l| l.trim().is_empty() || l.trim() == "---")
        {
            body.pop();
        }
        while body.first().is_some_and(|l| l.trim().is_empty()) {
            body.remove(0);
        }
        let text = body.join("\n");
        let text = text.trim();
        // Written text is kept as written ("Udfyldes senere." too); only the template's
        // bracketed instruction means the section is empty.
        let value =
            (!text.is_empty() && !cells::is_template_hint(text)).then(|| cells::unescape(text));
        *slot = value;
    }
    out
}

/// The level an evaluation's prose recommends. The sentence that recommends
/// ("anbefaler … placeres på niveau N", "anbefales det at fastholde produktet på
/// niveau 1") decides; only without one does the first sentence that judges ("vurderes
/// til niveau 1") count. Within the sentence, the level the product is to be placed at
/// wins over a level named as a goal ("… med mål om at hæve til niveau 2").
fn recommended_level(model: &Model, text: &str) -> Option<niveau_model::LevelId> {
    const RECOMMENDS: &[&str] = &["anbefal", "recommend", "indstill"];
    const JUDGES: &[&str] = &[
        "vurderes",
        "vurderer",
        "indplacer",
        "placeres",
        "placere",
        "sænke",
        "fastholde",
        "assessed",
    ];
    let sentences: Vec<&str> = sentences(text);
    let with = |verbs: &[&str]| {
        sentences.iter().find_map(|s| {
            let lower = s.to_lowercase();
            if verbs.iter().any(|v| lower.contains(v)) {
                placed_level(model, s)
            } else {
                None
            }
        })
    };
    with(RECOMMENDS).or_else(|| with(JUDGES))
}

/// The sentences of a text: split at line breaks and at `.`, `!` or `?` followed by a
/// space or the end (so "OS2's", "fx." in a word and "1.1.0" stay whole).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, c) in line.char_indices() {
            if matches!(c, '.' | '!' | '?') {
                let next = bytes.get(i + 1).copied();
                if next.is_none_or(|b| b == b' ' || b == b'*') {
                    out.push(&line[start..i]);
                    start = i + 1;
                }
            }
        }
        out.push(&line[start..]);
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// The level a sentence places the product at: the first level named after a placing
/// word ("placeres på", "fastholde(s) på", "sænkes til", "til niveau"), skipping levels
/// named as a goal ("hæve til", "løft til", "mod niveau", "målet om"); without such a
/// cue the first level that is not a goal; `None` if every level named is a goal.
fn placed_level(model: &Model, sentence: &str) -> Option<niveau_model::LevelId> {
    const PLACES: &[&str] = &["placer", "fasthold", "sænk", "indplacer", "forbliv"];
    const GOALS: &[&str] = &[
        "hæve",
        "hæves",
        "løft",
        "løfte",
        "løftes",
        "mål",
        "målet",
        "mod",
        "bringe",
        "avancere",
        "potentiale",
        "senere",
    ];
    let lower = sentence.to_lowercase().replace(['*', '_'], "");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    // Each level mention: its position and the level.
    let mut mentions: Vec<(usize, niveau_model::LevelId)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(['.', '!', '-']);
        let level = if w == "sandkasse" || w == "sandkasseniveau" {
            model.level("sandkasse")
        } else if w == "niveau" || w == "level" {
            words
                .get(i + 1)
                .and_then(|n| model.level(n.trim_end_matches(['.', '!', '-'])))
        } else {
            None
        };
        if let Some(l) = level {
            mentions.push((i, l.id.clone()));
        }
    }
    let before = |i: usize| &words[i.saturating_sub(4)..i];
    let is_goal = |i: usize| {
        before(i)
            .iter()
            .any(|w| GOALS.iter().any(|g| w.trim_end_matches(['.', ',']) == *g))
    };
    let is_placed = |i: usize| {
        before(i)
            .iter()
            .any(|w| PLACES.iter().any(|p| w.starts_with(p)))
    };
    mentions
        .iter()
        .find(|(i, _)| is_placed(*i) && !is_goal(*i))
        .or_else(|| mentions.iter().find(|(i, _)| !is_goal(*i)))
        .map(|(_, l)| l.clone())
}
