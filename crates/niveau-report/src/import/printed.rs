//! The count tables an evaluation prints about itself, read back so that they can be
//! checked against its own rows.

use niveau_model::{CountTables, Counts, Model, Rating};

use super::cells::{clean_label, normalise_breaks};
use super::scan::Table;
use crate::document::{Finding, Msg, PrintedCount};

fn label_key(text: &str) -> String {
    let t = normalise_breaks(text);
    let first = t.lines().next().unwrap_or_default();
    let first = first.split('(').next().unwrap_or_default();
    clean_label(first).to_lowercase()
}

fn is_total(key: &str) -> bool {
    matches!(key, "total" | "samlet" | "i alt" | "sum")
}

/// A row or column label as a level id, or `total`.
fn level_key(model: &Model, text: &str) -> Option<String> {
    let key = label_key(text);
    if is_total(&key) {
        return Some("total".into());
    }
    model.level(&key).map(|l| l.id.to_string())
}

fn rating_of_header(text: &str) -> Option<String> {
    let key = label_key(text);
    if is_total(&key) {
        return Some("all".into());
    }
    Rating::ALL
        .iter()
        .find(|r| text.contains(r.symbol()) || key == r.label_da().to_lowercase())
        .map(|r| r.as_id().to_owned())
}

/// `🟢 1 🟡 0 🔴 0 ⚪ 0`, `🟢 2 (33%)<br/>🟡 4 (67%)`, `🟢x` → the numbers after each
/// symbol; `None` if the cell holds a placeholder instead of numbers.
fn symbol_counts(cell: &str) -> Option<[Option<u32>; 4]> {
    let mut out = [None; 4];
    let mut any_symbol = false;
    for (i, r) in Rating::ALL.iter().enumerate() {
        if let Some(pos) = cell.find(r.symbol()) {
            any_symbol = true;
            let after = cell[pos + r.symbol().len()..].trim_start();
            let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() {
                return None;
            }
            out[i] = digits.parse().ok();
        }
    }
    if !any_symbol && !cell.trim().is_empty() {
        return None;
    }
    Some(out)
}

/// Reads the printed level table (`Niveau / Vurdering` × ratings) and theme table
/// (`Tema / Niveau` × levels) of an evaluation. Placeholder cells (`xx`, `[antal …]`)
/// are skipped.
pub fn read(model: &Model, tables: &[&Table]) -> Vec<PrintedCount> {
    let mut out = Vec::new();
    for table in tables {
        let Some(first) = table.header.first() else {
            continue;
        };
        let first = label_key(first);
        if first == "niveau / vurdering" || first == "niveau" || first == "niveau/vurdering" {
            let columns: Vec<Option<String>> = table
                .header
                .iter()
                .skip(1)
                .map(|h| rating_of_header(h))
                .collect();
            for row in &table.rows {
                let Some(level) = row.cells.first().and_then(|c| level_key(model, c)) else {
                    continue;
                };
                for (cell, rating) in row.cells.iter().skip(1).zip(&columns) {
                    let (Some(rating), Ok(value)) = (rating, cell.trim().parse::<u32>()) else {
                        continue;
                    };
                    out.push(PrintedCount {
                        line: row.line,
                        level: level.clone(),
                        theme: None,
                        rating: rating.clone(),
                        value,
                    });
                }
            }
        } else if first == "tema / niveau" || first == "tema/niveau" || first == "tema" {
            let columns: Vec<Option<String>> = table
                .header
                .iter()
                .skip(1)
                .map(|h| level_key(model, h))
                .collect();
            for row in &table.rows {
                let Some(label) = row.cells.first() else {
                    continue;
                };
                let key = label_key(label);
                let theme = if is_total(&key) {
                    "total".to_owned()
                } else {
                    match model.themes().iter().find(|t| t.name.to_lowercase() == key) {
                        Some(t) => t.id.to_string(),
                        None => continue,
                    }
                };
                let cells: Vec<Option<[Option<u32>; 4]>> = row
                    .cells
                    .iter()
                    .skip(1)
                    .map(|c| symbol_counts(&normalise_breaks(c)))
                    .collect();
                for (counts, level) in cells.iter().zip(&columns) {
                    let (Some(counts), Some(level)) = (counts, level) else {
                        continue;
                    };
                    for (i, r) in Rating::ALL.iter().enumerate() {
                        out.push(PrintedCount {
                            line: row.line,
                            level: level.clone(),
                            theme: Some(theme.clone()),
                            rating: r.as_id().to_owned(),
                            value: counts[i].unwrap_or(0),
                        });
                    }
                }
            }
        }
    }
    out
}

fn pick(c: &Counts, rating: &str) -> u32 {
    match rating {
        "green" => c.green,
        "yellow" => c.yellow,
        "red" => c.red,
        "grey" => c.grey,
        _ => c.requirements(),
    }
}

/// The computed value a printed cell should equal.
fn computed(tables: &CountTables, p: &PrintedCount) -> Option<u32> {
    let counts = match (&p.theme, p.level.as_str()) {
        (None, "total") => &tables.total,
        (None, level) => tables.level(level)?,
        (Some(t), "total") if t == "total" => &tables.total,
        (Some(t), level) if t == "total" => tables.level(level)?,
        (Some(theme), "total") => tables.theme_total(theme)?,
        (Some(theme), level) => tables.theme_level(theme, level)?,
    };
    Some(pick(counts, &p.rating))
}

/// One finding per printed number that differs from what the rows give.
pub fn check(model: &Model, tables: &CountTables, printed: &[PrintedCount]) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in printed {
        let Some(value) = computed(tables, p) else {
            continue;
        };
        if value == p.value {
            continue;
        }
        let level_name = if p.level == "total" {
            "I alt".to_owned()
        } else {
            model
                .level(&p.level)
                .map(|l| l.name.clone())
                .unwrap_or_else(|| p.level.clone())
        };
        let theme_name = p
            .theme
            .as_deref()
            .map(|t| match model.theme(t) {
                Some(th) => format!("{} / ", th.name),
                None => "Samlet / ".to_owned(),
            })
            .unwrap_or_default();
        let (rating_da, rating_en) = match Rating::ALL.iter().find(|r| r.as_id() == p.rating) {
            Some(r) => (
                format!("{} {}", r.symbol(), r.label_da()),
                format!("{} {}", r.symbol(), r.label_en()),
            ),
            None => ("i alt".to_owned(), "in all".to_owned()),
        };
        out.push(Finding {
            line: Some(p.line),
            path: None,
            requirement: None,
            code: "count-mismatch".into(),
            message: Msg::new(
                format!(
                    "Den trykte optælling siger {} for {theme_name}{level_name} ({rating_da}), men rapportens egne rækker giver {value}.",
                    p.value
                ),
                format!(
                    "The printed count says {} for {theme_name}{level_name} ({rating_en}), but the report's own rows give {value}.",
                    p.value
                ),
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_symbol_cells() {
        assert_eq!(
            symbol_counts("🟢 1 🟡 0 🔴 0 ⚪ 0"),
            Some([Some(1), Some(0), Some(0), Some(0)])
        );
        assert_eq!(
            symbol_counts("🟢 2 (33%)\n🟡 4 (67%)"),
            Some([Some(2), Some(4), None, None])
        );
        assert_eq!(symbol_counts(""), Some([None; 4]));
        assert_eq!(symbol_counts("🟢 [G] 🟡 [Y]"), None);
        assert_eq!(symbol_counts("🟢x <br/> 🟡y"), None);
    }
}
