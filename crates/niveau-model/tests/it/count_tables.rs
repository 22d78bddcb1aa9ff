//! The count tables and the indicated level computed from the ratings of a real OS2
//! evaluation (fixtures/os2/reports/evaluation-0.9.2-os2-test.md) must equal the numbers
//! that report prints.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use niveau_model::{Counts, Gap, Rated, Rating, Ratings, Registry, count, indicate};
use niveau_testkit::{fixture, table_cells};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Plain(Rating),
    WithBasis { rating: Rating, basis: String },
}

#[derive(Deserialize)]
struct RatingsFile {
    model: String,
    ratings: BTreeMap<String, Entry>,
}

fn hand_read_ratings() -> (String, Ratings) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/evaluation-0.9.2-os2-test.ratings.toml"
    ))
    .unwrap();
    let file: RatingsFile = toml::from_str(&text).unwrap();
    let ratings = file
        .ratings
        .into_iter()
        .map(|(id, e)| {
            let rated = match e {
                Entry::Plain(r) => Rated::new(r),
                Entry::WithBasis { rating, basis } => Rated::with_basis(rating, basis),
            };
            (id.into(), rated)
        })
        .collect();
    (file.model, ratings)
}

fn level_id(label: &str) -> &str {
    match label {
        "Sandkasse" => "sandkasse",
        "Niveau 1" => "1",
        "Niveau 2" => "2",
        "Niveau 3" => "3",
        other => panic!("unexpected level label {other}"),
    }
}

fn theme_id(label: &str) -> &str {
    match label {
        "Relevans" => "relevans",
        "Formkrav" => "formkrav",
        "Strategisk sammenhæng" => "strategisk-sammenhaeng",
        "Governance" => "governance",
        other => panic!("unexpected theme label {other}"),
    }
}

/// `🟢 1 🟡 0 🔴 0 ⚪ 0` → counts.
fn parse_symbol_cell(cell: &str) -> [u32; 4] {
    let mut out = [0; 4];
    for (i, r) in Rating::ALL.iter().enumerate() {
        let after = cell.split(r.symbol()).nth(1).unwrap();
        out[i] = after.split_whitespace().next().unwrap().parse().unwrap();
    }
    out
}

fn as_array(c: &Counts) -> [u32; 4] {
    [c.green, c.yellow, c.red, c.grey]
}

#[test]
fn count_tables_equal_the_numbers_printed_in_the_report() {
    let report = fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    let (model_id, ratings) = hand_read_ratings();
    let registry = Registry::builtin().unwrap();
    let model = registry.get(&model_id).unwrap();
    assert_eq!(
        ratings.len(),
        43,
        "every requirement is rated in the report"
    );
    let tables = count(model, &ratings);

    let section = report.split("# Optælling").nth(1).unwrap();
    let rows: Vec<Vec<String>> = section
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .filter(|l| l.starts_with('|') && !l.contains("---"))
        .map(table_cells)
        .collect();

    let mut level_rows = 0;
    let mut theme_rows = 0;
    for row in &rows {
        let label = row[0].trim_matches('*');
        match label {
            "Niveau / Vurdering" | "Tema / Niveau" => {}
            "Sandkasse" | "Niveau 1" | "Niveau 2" | "Niveau 3" => {
                let printed: Vec<u32> = row[1..5].iter().map(|c| c.parse().unwrap()).collect();
                let computed = as_array(tables.level(level_id(label)).unwrap());
                assert_eq!(printed, computed, "level row {label}");
                level_rows += 1;
            }
            "Total" if row[1].chars().all(|c| c.is_ascii_digit()) => {
                let printed: Vec<u32> = row[1..5].iter().map(|c| c.parse().unwrap()).collect();
                assert_eq!(printed, as_array(&tables.total), "total row");
                level_rows += 1;
            }
            theme => {
                let theme = theme_id(theme);
                let levels = ["sandkasse", "1", "2", "3"];
                for (i, level) in levels.iter().enumerate() {
                    let printed = parse_symbol_cell(&row[1 + i]);
                    let computed = as_array(tables.theme_level(theme, level).unwrap());
                    assert_eq!(printed, computed, "theme {theme} level {level}");
                }
                let printed = parse_symbol_cell(&row[5]);
                assert_eq!(
                    printed,
                    as_array(tables.theme_total(theme).unwrap()),
                    "theme {theme} total"
                );
                theme_rows += 1;
            }
        }
    }
    assert_eq!(
        level_rows, 5,
        "the report prints four level rows and a total"
    );
    assert_eq!(theme_rows, 4, "the report prints four theme rows");
    assert_eq!(tables.total.unrated, 0);
    assert_eq!(tables.total.requirements(), 43);
}

#[test]
fn the_report_indicates_level_1_and_names_what_blocks_level_2() {
    let (model_id, ratings) = hand_read_ratings();
    let registry = Registry::builtin().unwrap();
    let model = registry.get(&model_id).unwrap();
    let ind = indicate(model, &ratings);
    assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("1"));
    let next = ind.next.as_ref().unwrap();
    assert_eq!(next.level.as_str(), "2");
    let missing: Vec<&str> = next
        .missing
        .iter()
        .map(|u| u.requirement.as_str())
        .collect();
    // F19, F20 and G9 are red too, but they are recommendations and never block.
    assert_eq!(missing, ["F13", "F14", "F15", "F16", "F17", "F18", "G5"]);
    assert!(next.missing.iter().all(|u| u.gap == Gap::Red));
    let open: Vec<&str> = ind
        .status("2")
        .unwrap()
        .open_recommendations
        .iter()
        .map(|u| u.requirement.as_str())
        .collect();
    assert_eq!(open, ["F19", "F20", "G9"]);
    // Level 3's own requirements are met (four green, four explained grey) but it is
    // not reached, because level 2 is not.
    let l3 = ind.status("3").unwrap();
    assert!(l3.satisfied);
    assert!(!l3.reached);
}
