//! The board's annual report draft ("bestyrelsens beretning"): the year's figures,
//! computed by niveau-app (`niveau_app::annual`), written as editable Markdown with the
//! figures, tables and charts filled in and the narrative sections left as clearly
//! marked placeholders for the board, and as a PDF ([`crate::pdf`]).
//!
//! Charts are embedded in the Markdown as SVG `data:` images, so the draft is one
//! self-contained file that can be edited, committed or converted as it is; the same
//! charts are images in the PDF.

use std::fmt::Write as _;

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::lang::Lang;
use crate::markdown;
use crate::pdf::{Block, Cell, PdfDoc, PdfError};
use crate::text::escape_xml;

/// A count at the start and at the end of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartEnd {
    /// What is counted (a stage, a level).
    pub label: Msg,
    /// On 31 December of the year before.
    pub start: u32,
    /// On 31 December of the year.
    pub end: u32,
}

/// A product in operation (stage "produkt") at the end of the year and its governance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductGovernance {
    /// The product's name.
    pub product: String,
    /// It has a coordination group.
    pub coordination_group: bool,
    /// It has a steering group.
    pub steering_group: bool,
    /// It has a joining agreement in force at the end of the year.
    pub joining_agreement: bool,
}

/// A decision of the year: a stage change or a level decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When.
    pub date: NaiveDate,
    /// The product's name.
    pub product: String,
    /// From (empty if none).
    pub from: Msg,
    /// To.
    pub to: Msg,
}

/// An evaluation published in the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDone {
    /// When it was published.
    pub date: NaiveDate,
    /// The product's name.
    pub product: String,
}

/// The figures of one year. Everything is counted over what the reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualFigures {
    /// The year.
    pub year: i32,
    /// The day the draft was made.
    pub made_on: NaiveDate,
    /// Members (organisations other than suppliers) that joined in the year.
    pub members_joined: u32,
    /// Members at the end of the year.
    pub members_total: u32,
    /// Members at the end of each year up to this one (for the chart).
    pub members_by_year: Vec<(i32, u32)>,
    /// Products at the stage "produkt" at the end of each year up to this one.
    pub products_by_year: Vec<(i32, u32)>,
    /// Products by stage at the start and end of the year.
    pub by_stage: Vec<StartEnd>,
    /// Products by official level at the start and end of the year.
    pub by_level: Vec<StartEnd>,
    /// The products in operation at the end of the year, with their governance.
    pub in_operation: Vec<ProductGovernance>,
    /// Stage changes decided in the year.
    pub stage_changes: Vec<Change>,
    /// Level decisions of the year.
    pub level_decisions: Vec<Change>,
    /// Evaluations published in the year.
    pub evaluations: Vec<EvaluationDone>,
    /// Board meetings held in the year.
    pub board_meetings: u32,
    /// Development wishes delivered in the year.
    pub wishes_delivered: u32,
    /// Co-funding pledges made in the year (not withdrawn).
    pub pledges: u32,
    /// Their sum in øre.
    pub pledged_ore: i64,
}

impl AnnualFigures {
    /// Products in operation with a coordination group.
    pub fn with_coordination_group(&self) -> u32 {
        self.in_operation
            .iter()
            .filter(|p| p.coordination_group)
            .count() as u32
    }

    /// Products in operation with a steering group.
    pub fn with_steering_group(&self) -> u32 {
        self.in_operation
            .iter()
            .filter(|p| p.steering_group)
            .count() as u32
    }

    /// Products in operation with a joining agreement.
    pub fn with_joining_agreement(&self) -> u32 {
        self.in_operation
            .iter()
            .filter(|p| p.joining_agreement)
            .count() as u32
    }
}

/// A section of the draft.
enum Part {
    Heading(String),
    Text(String),
    Placeholder(String),
    Table(Vec<u8>, Vec<String>, Vec<Vec<String>>),
    Chart(&'static str, String, String),
}

fn yes_no(b: bool, lang: Lang) -> String {
    if b {
        lang.pick("ja", "yes").to_owned()
    } else {
        lang.pick("nej", "no").to_owned()
    }
}

fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Da => d.format("%d-%m-%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

fn changes_table(changes: &[Change], lang: Lang) -> Part {
    Part::Table(
        vec![0, 2, 1, 1],
        vec![
            lang.pick("Dato", "Date").to_owned(),
            lang.pick("Produkt", "Product").to_owned(),
            lang.pick("Fra", "From").to_owned(),
            lang.pick("Til", "To").to_owned(),
        ],
        changes
            .iter()
            .map(|c| {
                vec![
                    date(c.date, lang),
                    c.product.clone(),
                    lang.msg(&c.from).to_owned(),
                    lang.msg(&c.to).to_owned(),
                ]
            })
            .collect(),
    )
}

/// The draft's parts, in order, shared by the Markdown and the PDF.
fn parts(f: &AnnualFigures, lang: Lang) -> Vec<Part> {
    let y = f.year;
    let placeholder = |da: &str, en: &str| Part::Placeholder(lang.pick(da, en).to_owned());
    let mut p = vec![
        Part::Heading(lang.pick("Indledning", "Introduction").to_owned()),
        placeholder(
            "BESTYRELSEN SKRIVER: årets overblik, møder og seminarer, fokusområder.",
            "FOR THE BOARD TO WRITE: the year at a glance, meetings and seminars, focus areas.",
        ),
        Part::Text(match lang {
            Lang::Da => format!("Bestyrelsen holdt {} møder i {y}.", f.board_meetings),
            Lang::En => format!("The board held {} meetings in {y}.", f.board_meetings),
        }),
        Part::Heading(
            lang.pick("Status på fællesskabet", "The community")
                .to_owned(),
        ),
        Part::Text(match lang {
            Lang::Da => format!(
                "I løbet af {y} har {} nye medlemmer meldt sig ind, og foreningen har {} medlemmer ved årets udgang.",
                f.members_joined, f.members_total
            ),
            Lang::En => format!(
                "{} new members joined in {y}, and the association has {} members at the end of the year.",
                f.members_joined, f.members_total
            ),
        }),
    ];
    if !f.members_by_year.is_empty() {
        p.push(Part::Chart(
            "members",
            lang.pick("Udvikling i antal medlemmer", "Members over time")
                .to_owned(),
            year_bars(
                "members",
                lang.pick("Udvikling i antal medlemmer", "Members over time"),
                &f.members_by_year,
                lang,
            ),
        ));
    }
    let in_operation = f.in_operation.len();
    p.push(Part::Text(match lang {
        Lang::Da => format!("Ved udgangen af {y} er der {in_operation} driftsklare produkter (stadie «produkt») i porteføljen."),
        Lang::En => format!("At the end of {y} the portfolio has {in_operation} products in operation (stage \"product\")."),
    }));
    if !f.products_by_year.is_empty() {
        p.push(Part::Chart(
            "products",
            lang.pick("Udvikling i antal produkter", "Products over time")
                .to_owned(),
            year_bars(
                "products",
                lang.pick("Udvikling i antal produkter", "Products over time"),
                &f.products_by_year,
                lang,
            ),
        ));
    }
    p.push(placeholder(
        "BESTYRELSEN SKRIVER: kommentar til medlemmer og produkter, priser, anerkendelse.",
        "FOR THE BOARD TO WRITE: comments on members and products, awards, recognition.",
    ));

    p.push(Part::Heading(
        lang.pick("En styrket portefølje", "The portfolio")
            .to_owned(),
    ));
    let start_end = |rows: &[StartEnd], what: &str| {
        Part::Table(
            vec![2, 1, 1, 1],
            vec![
                what.to_owned(),
                format!("{} {}", lang.pick("Ultimo", "End of"), y - 1),
                format!("{} {y}", lang.pick("Ultimo", "End of")),
                lang.pick("Ændring", "Change").to_owned(),
            ],
            rows.iter()
                .map(|r| {
                    let change = i64::from(r.end) - i64::from(r.start);
                    vec![
                        lang.msg(&r.label).to_owned(),
                        r.start.to_string(),
                        r.end.to_string(),
                        if change > 0 {
                            format!("+{change}")
                        } else {
                            change.to_string()
                        },
                    ]
                })
                .collect(),
        )
    };
    p.push(start_end(&f.by_stage, lang.pick("Stadie", "Stage")));
    p.push(start_end(
        &f.by_level,
        lang.pick("Officielt niveau", "Official level"),
    ));
    p.push(Part::Text(match lang {
        Lang::Da => format!(
            "Af de {in_operation} driftsklare produkter har {} en koordinationsgruppe, {} en styregruppe og {} en tilslutningsaftale.",
            f.with_coordination_group(),
            f.with_steering_group(),
            f.with_joining_agreement()
        ),
        Lang::En => format!(
            "Of the {in_operation} products in operation, {} have a coordination group, {} a steering group and {} a joining agreement.",
            f.with_coordination_group(),
            f.with_steering_group(),
            f.with_joining_agreement()
        ),
    }));
    p.push(Part::Table(
        vec![3, 2, 2, 2],
        vec![
            lang.pick("Produkt i drift", "Product in operation")
                .to_owned(),
            lang.pick("Koordinationsgruppe", "Coordination group")
                .to_owned(),
            lang.pick("Styregruppe", "Steering group").to_owned(),
            lang.pick("Tilslutningsaftale", "Joining agreement")
                .to_owned(),
        ],
        f.in_operation
            .iter()
            .map(|g| {
                vec![
                    g.product.clone(),
                    yes_no(g.coordination_group, lang),
                    yes_no(g.steering_group, lang),
                    yes_no(g.joining_agreement, lang),
                ]
            })
            .collect(),
    ));
    p.push(Part::Heading(
        lang.pick("Årets beslutninger", "Decisions of the year")
            .to_owned(),
    ));
    p.push(Part::Text(match lang {
        Lang::Da => format!(
            "{} stadieskift og {} niveaubeslutninger i {y}.",
            f.stage_changes.len(),
            f.level_decisions.len()
        ),
        Lang::En => format!(
            "{} stage changes and {} level decisions in {y}.",
            f.stage_changes.len(),
            f.level_decisions.len()
        ),
    }));
    if !f.stage_changes.is_empty() {
        p.push(changes_table(&f.stage_changes, lang));
    }
    if !f.level_decisions.is_empty() {
        p.push(changes_table(&f.level_decisions, lang));
    }
    p.push(Part::Text(match lang {
        Lang::Da => format!("{} evalueringer offentliggjort i {y}.", f.evaluations.len()),
        Lang::En => format!("{} evaluations published in {y}.", f.evaluations.len()),
    }));
    if !f.evaluations.is_empty() {
        p.push(Part::Table(
            vec![0, 3],
            vec![
                lang.pick("Offentliggjort", "Published").to_owned(),
                lang.pick("Produkt", "Product").to_owned(),
            ],
            f.evaluations
                .iter()
                .map(|e| vec![date(e.date, lang), e.product.clone()])
                .collect(),
        ));
    }
    p.push(Part::Heading(
        lang.pick(
            "Udviklingsønsker og samfinansiering",
            "Development wishes and co-funding",
        )
        .to_owned(),
    ));
    let pledged = crate::amount::format_dkk(f.pledged_ore, lang);
    p.push(Part::Text(match lang {
        Lang::Da => format!(
            "{} udviklingsønsker blev leveret i {y}. Der blev givet {} tilsagn om samfinansiering (i alt {pledged}).",
            f.wishes_delivered, f.pledges
        ),
        Lang::En => format!(
            "{} development wishes were delivered in {y}. {} co-funding pledges were made ({pledged} in total).",
            f.wishes_delivered, f.pledges
        ),
    }));
    p.push(placeholder(
        "BESTYRELSEN SKRIVER: nye produkter, sekretariatet, samarbejdet med andre, tak.",
        "FOR THE BOARD TO WRITE: new products, the secretariat, working with others, thanks.",
    ));
    p.push(Part::Heading(
        lang.pick("Fokus det kommende år", "Focus for the coming year")
            .to_owned(),
    ));
    p.push(placeholder(
        "BESTYRELSEN SKRIVER: fokus for det kommende år.",
        "FOR THE BOARD TO WRITE: focus for the coming year.",
    ));
    p
}

fn title(f: &AnnualFigures, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("Bestyrelsens beretning {}", f.year + 1),
        Lang::En => format!("The board's annual report {}", f.year + 1),
    }
}

fn subtitle(f: &AnnualFigures, lang: Lang) -> String {
    match lang {
        Lang::Da => format!(
            "Udkast med tallene for {} · dannet af Niveau {}",
            f.year,
            date(f.made_on, lang)
        ),
        Lang::En => format!(
            "Draft with the figures for {} · made by Niveau on {}",
            f.year,
            date(f.made_on, lang)
        ),
    }
}

/// The draft as editable Markdown in `lang`. Product names and other user text go
/// through [`crate::markdown`]'s escaping; charts are SVG `data:` images.
pub fn markdown(f: &AnnualFigures, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(f, lang));
    let _ = writeln!(out, "*{}*\n", subtitle(f, lang));
    for part in parts(f, lang) {
        match part {
            Part::Heading(h) => {
                let _ = writeln!(out, "## {h}\n");
            }
            Part::Text(t) => {
                let _ = writeln!(out, "{}\n", markdown::block(&t));
            }
            Part::Placeholder(t) => {
                let _ = writeln!(out, "> **[{}]**\n", markdown::line(&t));
            }
            Part::Table(_, header, rows) => {
                let cells: Vec<String> = header.iter().map(|h| markdown::cell(h)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| markdown::cell(c)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
            Part::Chart(_, alt, svg) => {
                let _ = writeln!(
                    out,
                    "![{}](data:image/svg+xml;base64,{})\n",
                    markdown::line(&alt).replace(['[', ']'], ""),
                    base64(svg.as_bytes())
                );
            }
        }
    }
    out
}

/// The draft as a PDF in `lang`.
pub fn pdf(f: &AnnualFigures, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let mut blocks = Vec::new();
    let mut files = Vec::new();
    for part in parts(f, lang) {
        blocks.push(match part {
            Part::Heading(h) => Block::Heading { level: 2, text: h },
            Part::Text(t) => Block::Paragraphs { text: t },
            Part::Placeholder(t) => Block::Placeholder { text: t },
            Part::Table(columns, header, rows) => Block::Table {
                columns,
                header: header.into_iter().map(Cell::from).collect(),
                rows: rows
                    .into_iter()
                    .map(|r| r.into_iter().map(Cell::from).collect())
                    .collect(),
            },
            Part::Chart(id, alt, svg) => {
                let file = format!("/charts/{id}.svg");
                files.push((file.clone(), svg.into_bytes()));
                Block::Image {
                    file,
                    alt,
                    width: 0,
                }
            }
        });
    }
    let doc = PdfDoc {
        lang: lang.code().to_owned(),
        title: title(f, lang),
        subtitle: Some(subtitle(f, lang)),
        footer: title(f, lang),
        blocks,
        files,
    };
    crate::pdf::render(&doc, f.made_on)
}

/// Standard base64 (RFC 4648) with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A vertical bar chart of a count per year: `role="img"`, a `<title>` and a `<desc>`
/// that gives every number, each bar labelled with its value and year.
pub fn year_bars(id: &str, title: &str, series: &[(i32, u32)], lang: Lang) -> String {
    let max = series.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let bar_w = 34.0_f64;
    let gap = 12.0_f64;
    let chart_h = 160.0_f64;
    let top = 40.0_f64;
    let width = (series.len() as f64 * (bar_w + gap) + gap).max(240.0);
    let height = top + chart_h + 30.0;
    let desc = series
        .iter()
        .map(|(y, v)| format!("{y}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" lang=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" aria-labelledby=\"{id}-title {id}-desc\">",
        lang.code()
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}.</desc>",
        escape_xml(title),
        escape_xml(&desc)
    );
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        out,
        "<text x=\"{gap}\" y=\"22\" font-family=\"sans-serif\" font-size=\"15\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
        escape_xml(title)
    );
    for (i, (year, value)) in series.iter().enumerate() {
        let x = gap + i as f64 * (bar_w + gap);
        let h = chart_h * f64::from(*value) / f64::from(max);
        let y = top + chart_h - h;
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar_w}\" height=\"{h}\" fill=\"#1f5f99\"><title>{year}: {value}</title></rect>"
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#1a1a1a\">{value}</text>",
            x + bar_w / 2.0,
            y - 4.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#1a1a1a\">{year}</text>",
            x + bar_w / 2.0,
            top + chart_h + 18.0
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
