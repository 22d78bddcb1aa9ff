//! Recognising the columns of a requirement table and lining up irregular rows.

use niveau_model::normalise_requirement_id;

use super::cells::{CheckBox, RatingCell, checkbox, clean_label, rating};
use super::scan::{Table, TableRow};
use crate::document::{Msg, Warning};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A check box (`[x]`).
    Box,
    /// The product's answer (Efterlevet?, 🔽).
    Answer,
    /// The requirement id (#).
    Id,
    /// The requirement text (Krav).
    Requirement,
    /// The product's documentation (Henvisning, Dokumentation).
    Documentation,
    /// The level (Niveau, Produktniveau).
    Level,
    /// Guidance (Retningslinjer).
    Guideline,
    /// Assessment criterion (Vurderingskriterie).
    Criterion,
    /// The secretariat's rating (Vurdering).
    Rating,
    /// The basis of the rating (Vurderingsgrundlag).
    Basis,
    /// A recommendation per requirement (Anbefaling).
    Recommendation,
    /// Not recognised.
    Unknown,
}

/// The role a header names.
pub fn role_of(header: &str) -> Role {
    let h = clean_label(header).to_lowercase();
    let h = h.trim_end_matches('?').trim();
    if h.contains('🔽') {
        return Role::Answer;
    }
    match h {
        "#" | "id" | "nr" | "nr." | "krav-id" | "kravnr" => Role::Id,
        "krav" | "requirement" | "kravtekst" => Role::Requirement,
        "henvisning"
        | "dokumentation"
        | "beskrivelse / dokumentation"
        | "beskrivelse/dokumentation"
        | "beskrivelse"
        | "documentation"
        | "reference"
        | "henvisning / dokumentation" => Role::Documentation,
        "niveau" | "produktniveau" | "level" => Role::Level,
        "retningslinjer" | "retningslinje" | "guideline" | "guidelines" => Role::Guideline,
        "efterlevet" | "svar" | "status" | "opfyldt" | "answer" | "efterleves" => Role::Answer,
        "vurderingskriterie" | "vurderingskriterier" | "kriterie" | "criterion" => Role::Criterion,
        "vurdering" | "rating" | "evaluering" => Role::Rating,
        "vurderingsgrundlag" | "grundlag" | "basis" | "begrundelse" => Role::Basis,
        "anbefaling" | "anbefalinger" | "recommendation" => Role::Recommendation,
        _ => Role::Unknown,
    }
}

/// Whether a cell holds a requirement id such as `R1`, `F10`, `**G7**`.
pub fn is_requirement_id(cell: &str) -> bool {
    let id = normalise_requirement_id(cell);
    let letters = id.chars().take_while(|c| c.is_ascii_uppercase()).count();
    (1..=3).contains(&letters)
        && id.len() > letters
        && id.len() <= letters + 3
        && id[letters..].chars().all(|c| c.is_ascii_digit())
}

/// The widest table that is considered as a requirement table.
pub const MAX_COLUMNS: usize = 32;

/// The recognised layout of a requirement table.
#[derive(Debug, Clone)]
pub struct Layout {
    /// One role per column.
    pub roles: Vec<Role>,
    /// The header cells as written (empty strings for a header-less table).
    pub headers: Vec<String>,
    /// The id column.
    pub id: usize,
}

impl Layout {
    /// The first column with this role.
    pub fn find(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == role)
    }

    /// Whether some column has this role.
    pub fn has(&self, role: Role) -> bool {
        self.find(role).is_some()
    }
}

/// Recognises a requirement table: one whose id column (by header `#` or by content)
/// holds requirement ids in at least half of its rows. Columns with an empty or unknown
/// header are recognised by their content (check boxes, ratings).
pub fn layout(table: &Table) -> Option<Layout> {
    // The header decides the columns; a table without one is as wide as its widest row.
    let width = if table.header.is_empty() {
        table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    } else {
        table.header.len()
    };
    // OS2's requirement tables have 4 to 9 columns; a much wider table is something else
    // (and recognising its columns would cost width × rows).
    if !(2..=MAX_COLUMNS).contains(&width) || table.rows.is_empty() {
        return None;
    }
    let mut roles: Vec<Role> = (0..width)
        .map(|i| {
            table
                .header
                .get(i)
                .map(|h| role_of(h))
                .unwrap_or(Role::Unknown)
        })
        .collect();
    let column = |i: usize| table.rows.iter().filter_map(move |r| r.cells.get(i));
    let share = |i: usize, pred: &dyn Fn(&str) -> bool| {
        let total = column(i).count().max(1);
        column(i).filter(|c| pred(c)).count() * 2 >= total
    };
    let id = match roles.iter().position(|r| *r == Role::Id) {
        Some(i) if share(i, &|c| is_requirement_id(c)) => i,
        _ => (0..width).find(|&i| share(i, &|c| is_requirement_id(c)))?,
    };
    roles[id] = Role::Id;
    for (i, role) in roles.iter_mut().enumerate() {
        if *role != Role::Unknown {
            continue;
        }
        if share(i, &|c| checkbox(c).is_some()) {
            *role = Role::Box;
        } else if share(i, &|c| matches!(rating(c), RatingCell::Rated(_)))
            && column(i).any(|c| !c.is_empty())
        {
            *role = Role::Rating;
        }
    }
    // A header-less table: the first unknown text column after the id is the
    // requirement, the next one the documentation.
    if table.header.is_empty() {
        let unknown: Vec<usize> = (0..width)
            .filter(|&i| roles[i] == Role::Unknown && i > id)
            .collect();
        if let Some(&i) = unknown.first() {
            roles[i] = Role::Requirement;
        }
        if let Some(&i) = unknown.get(1) {
            roles[i] = Role::Documentation;
        }
    }
    let headers = (0..width)
        .map(|i| table.header.get(i).cloned().unwrap_or_default())
        .collect();
    Some(Layout { roles, headers, id })
}

/// Whether a box column holds a checked box.
pub fn checked(cell: &str) -> bool {
    checkbox(cell) == Some(CheckBox::Checked)
}

/// How many typed cells of an aligned row read as their column's type.
fn fit(cells: &[String], layout: &Layout) -> usize {
    layout
        .roles
        .iter()
        .zip(cells)
        .filter(|(role, cell)| {
            let c = cell.trim();
            match role {
                Role::Id => is_requirement_id(c),
                Role::Box => checkbox(c).is_some(),
                Role::Rating => !matches!(rating(c), RatingCell::Unreadable),
                Role::Answer => !matches!(
                    niveau_model::AnswerValue::parse(c),
                    niveau_model::AnswerValue::Other(_)
                ),
                Role::Level => {
                    let l = c.to_lowercase();
                    let l = l.trim_start_matches("niveau").trim();
                    matches!(l, "" | "sandkasse" | "0" | "1" | "2" | "3" | "minimum")
                }
                _ => false,
            }
        })
        .count()
}

/// Lines a row up with the layout: a missing cell becomes empty; surplus cells (most
/// often an unescaped `|` in a text) are joined back into the widest text column,
/// keeping the columns before it aligned from the left and the ones after it from the
/// right. Every repair is a warning.
pub fn align(row: &TableRow, layout: &Layout, warnings: &mut Vec<Warning>) -> Vec<String> {
    let want = layout.roles.len();
    let have = row.cells.len();
    if have == want {
        return row.cells.clone();
    }
    if have < want {
        warnings.push(Warning {
            line: Some(row.line),
            path: None,
            code: "missing-cell".into(),
            message: Msg::new(
                format!("Rækken har {have} celler, men tabellen har {want} kolonner; de manglende læses som tomme."),
                format!("The row has {have} cells but the table has {want} columns; the missing ones are read as empty."),
            ),
        });
        let mut cells = row.cells.clone();
        cells.resize(want, String::new());
        return cells;
    }
    let surplus = &row.cells[want..];
    if surplus.iter().all(|c| c.is_empty()) {
        warnings.push(Warning {
            line: Some(row.line),
            path: None,
            code: "extra-cell".into(),
            message: Msg::new(
                format!(
                    "Rækken har {} tomme celler for meget; de er ignoreret.",
                    have - want
                ),
                format!(
                    "The row has {} empty cells too many; they are ignored.",
                    have - want
                ),
            ),
        });
        return row.cells[..want].to_vec();
    }
    // Which text column swallowed a `|`? Try each and keep the alignment under which
    // the typed columns (id, level, answer, rating, check box) read best; ties go to the
    // rightmost text column.
    let extra = have - want;
    let aligned = |free: usize| -> Vec<String> {
        let mut cells: Vec<String> = row.cells[..free].to_vec();
        cells.push(row.cells[free..=free + extra].join(" | "));
        cells.extend(row.cells[free + extra + 1..].iter().cloned());
        cells
    };
    let text_columns: Vec<usize> = layout
        .roles
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            matches!(
                r,
                Role::Documentation
                    | Role::Basis
                    | Role::Recommendation
                    | Role::Requirement
                    | Role::Guideline
                    | Role::Criterion
                    | Role::Unknown
            )
        })
        .map(|(i, _)| i)
        .collect();
    let free = text_columns
        .iter()
        .copied()
        .max_by_key(|&i| (fit(&aligned(i), layout), i))
        .unwrap_or(want - 1);
    let cells = aligned(free);
    let header = layout.headers.get(free).cloned().unwrap_or_default();
    warnings.push(Warning {
        line: Some(row.line),
        path: None,
        code: "extra-cell".into(),
        message: Msg::new(
            format!("Rækken har {extra} celle(r) for meget, sandsynligvis et | i teksten; de er lagt sammen i kolonnen «{header}»."),
            format!("The row has {extra} cell(s) too many, probably a | in the text; they are joined into the column “{header}”."),
        ),
    });
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::scan::split_row;

    fn table(header: &str, rows: &[&str]) -> Table {
        Table {
            header: split_row(header).0,
            line: 1,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| TableRow {
                    line: i + 3,
                    cells: split_row(r).0,
                })
                .collect(),
        }
    }

    #[test]
    fn recognises_ids() {
        assert!(is_requirement_id("R1"));
        assert!(is_requirement_id(" F22 "));
        assert!(is_requirement_id("**G10**"));
        assert!(!is_requirement_id("2021-12-07"));
        assert!(!is_requirement_id("Sandkasse"));
        assert!(!is_requirement_id("#"));
    }

    #[test]
    fn recognises_2023_checklist_columns() {
        let t = table(
            "|     |  #  | Krav | Henvisning | Niveau |",
            &["| [x] | R1 | a | b | 0 |", "| [] | R2 | a | b | 1 |"],
        );
        let l = layout(&t).unwrap();
        assert_eq!(
            l.roles,
            [
                Role::Box,
                Role::Id,
                Role::Requirement,
                Role::Documentation,
                Role::Level
            ]
        );
    }

    #[test]
    fn a_log_table_is_not_a_requirement_table() {
        let t = table(
            "| Dato | Handling | Udført af |",
            &["| 2021-12-07 | x | y |"],
        );
        assert!(layout(&t).is_none());
    }

    #[test]
    fn joins_surplus_cells_into_the_text_column() {
        let t = table(
            "| 🔽 | # | Krav | Beskrivelse / Dokumentation | Produktniveau |",
            &["| ✅ | F4 | Sikkerhed | a | b | sandkasse |"],
        );
        let l = layout(&t).unwrap();
        let mut w = Vec::new();
        let cells = align(&t.rows[0], &l, &mut w);
        assert_eq!(cells, ["✅", "F4", "Sikkerhed", "a | b", "sandkasse"]);
        assert_eq!(w[0].code, "extra-cell");
        let t = table("| # | Krav | Niveau |", &["| R1 | a |"]);
        let l = layout(&t).unwrap();
        let cells = align(&t.rows[0], &l, &mut w);
        assert_eq!(cells, ["R1", "a", ""]);
        assert_eq!(w[1].code, "missing-cell");
    }
}
