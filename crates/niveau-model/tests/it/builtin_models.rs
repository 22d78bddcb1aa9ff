//! The built-in models against the OS2 documents they come from.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use niveau_model::{BUILTIN_FILES, Model, Obligation, Registry, Resolved, Rule, load_model};
use niveau_testkit::{fixture, table_cells};

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

fn pairs(expected: &[(&str, usize)]) -> Vec<(String, usize)> {
    expected.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

fn per_level(model: &Model) -> Vec<(String, usize)> {
    model
        .levels()
        .iter()
        .map(|l| (l.id.to_string(), model.requirements_at(&l.id).count()))
        .collect()
}

fn per_theme(model: &Model) -> Vec<(String, usize)> {
    model
        .themes()
        .iter()
        .map(|t| (t.id.to_string(), model.requirements_in(&t.id).count()))
        .collect()
}

/// Rows of the requirement tables between OS2's BEGIN/END REPORT TEMPLATE markers (or
/// the whole text): every row whose cell `id_col` is a requirement id.
fn requirement_rows(text: &str, id_col: usize) -> Vec<Vec<String>> {
    let body = match text.split("<!-- BEGIN REPORT TEMPLATE -->").nth(1) {
        Some(b) => b,
        None => text,
    };
    body.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .map(table_cells)
        .filter(|cells| {
            cells.get(id_col).is_some_and(|c| {
                let mut chars = c.chars();
                chars.next().is_some_and(|ch| ch.is_ascii_uppercase())
                    && chars.as_str().parse::<u32>().is_ok()
            })
        })
        .collect()
}

#[test]
fn every_builtin_model_validates_and_cites_its_source() {
    let reg = registry();
    assert_eq!(reg.ids(), ["os2-1.1.0", "os2-2018", "os2-2021"]);
    for file in BUILTIN_FILES {
        let model = load_model(file.text, file.path).unwrap();
        assert_eq!(model.id().as_str(), file.id);
        let src = model.source();
        assert_eq!(src.license.as_deref(), Some("CC BY-SA 4.0"), "{}", file.id);
        assert!(
            src.attribution
                .as_deref()
                .unwrap_or_default()
                .contains("OS2"),
            "{}",
            file.id
        );
        assert!(
            file.text.contains("CC BY-SA 4.0"),
            "{} header cites the licence",
            file.id
        );
        let (problems, unknown) = reg.check_mappings(&model);
        assert!(problems.is_empty(), "{}: {problems:?}", file.id);
        assert!(unknown.is_empty(), "{}: {unknown:?}", file.id);
    }
}

#[test]
fn unknown_model_lists_the_known_ones() {
    let err = registry().get("os2-9").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown model `os2-9`; known models: os2-1.1.0, os2-2018, os2-2021"
    );
}

#[test]
fn os2_1_1_0_counts_as_os2_does() {
    let reg = registry();
    let m = reg.get("os2-1.1.0").unwrap();
    assert_eq!(m.requirements().len(), 43);
    assert_eq!(
        per_level(m),
        pairs(&[("sandkasse", 6), ("1", 10), ("2", 19), ("3", 8)])
    );
    // evaluation-report-0.9.2.md, "Antal krav fordelt på tema".
    assert_eq!(
        per_theme(m),
        pairs(&[
            ("relevans", 4),
            ("formkrav", 20),
            ("strategisk-sammenhaeng", 5),
            ("governance", 14)
        ])
    );
}

#[test]
fn os2_1_1_0_equals_the_governance_report_template() {
    let reg = registry();
    let m = reg.get("os2-1.1.0").unwrap();
    let template = fixture("os2/templates/governance-report-1.1.0.md");
    let rows = requirement_rows(&template, 0);
    assert_eq!(rows.len(), 43);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let model_ids: Vec<&str> = m.requirements().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, model_ids, "same ids in the same order");
    for row in &rows {
        let r = m.requirement(&row[0]).unwrap();
        assert_eq!(r.text, row[1], "{} text", row[0]);
        assert_eq!(r.level.as_str(), row[2], "{} level", row[0]);
        assert_eq!(
            r.guideline.as_deref(),
            Some(row[3].as_str()),
            "{} guideline",
            row[0]
        );
        let should = row[1].contains("(anbefaling)");
        assert_eq!(
            r.obligation == Obligation::Should,
            should,
            "{} obligation",
            row[0]
        );
    }
}

#[test]
fn os2_1_1_0_criteria_equal_the_evaluation_template() {
    let reg = registry();
    let m = reg.get("os2-1.1.0").unwrap();
    let template = fixture("os2/templates/evaluation-report-0.9.2.md");
    let rows = requirement_rows(&template, 0);
    assert_eq!(rows.len(), 43);
    for row in &rows {
        let r = m.requirement(&row[0]).unwrap();
        let level = match row[1].as_str() {
            "Sandkasse" => "sandkasse",
            other => other,
        };
        assert_eq!(r.level.as_str(), level, "{} level", row[0]);
        let short = r.short_text.as_deref().unwrap_or(&r.text);
        assert_eq!(short, row[2], "{} short text", row[0]);
        assert_eq!(
            r.criterion.as_deref(),
            Some(row[3].as_str()),
            "{} criterion",
            row[0]
        );
    }
}

#[test]
fn os2_1_1_0_records_f8_and_f9_as_merged_into_f7() {
    let reg = registry();
    let m = reg.get("os2-1.1.0").unwrap();
    for id in ["F8", "F9", "f8"] {
        match m.resolve(id) {
            Some(Resolved::MergedInto(req, retired)) => {
                assert_eq!(req.id.as_str(), "F7");
                assert_eq!(retired.id.as_str(), id.to_uppercase());
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    assert!(m.requirement("F8").is_none());
    assert!(m.resolve("F23").is_none());
}

fn strip_italics(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix('_')
        .and_then(|t| t.strip_suffix('_'))
        .map(str::trim)
        .unwrap_or(t)
}

fn level_of_digit(d: &str) -> &str {
    if d == "0" { "sandkasse" } else { d }
}

/// A checklist row (`| box | id | text | hint | level |`) agrees with the requirement on
/// level (0 = sandkasse) and obligation ("(anbefaling)" = Should).
fn assert_checklist_level_and_obligation(r: &niveau_model::Requirement, row: &[String]) {
    assert_eq!(
        r.level.as_str(),
        level_of_digit(&row[4]),
        "{} level",
        row[1]
    );
    let should = row[2].contains("(anbefaling)");
    assert_eq!(
        r.obligation == Obligation::Should,
        should,
        "{} obligation",
        row[1]
    );
}

#[test]
fn os2_2021_equals_the_2023_checklist() {
    let reg = registry();
    let m = reg.get("os2-2021").unwrap();
    let rows = requirement_rows(&fixture("os2/templates/governance-checklist-2023.md"), 1);
    assert_eq!(rows.len(), 46);
    assert_eq!(m.requirements().len(), 46);
    for row in &rows {
        let r = m.requirement(&row[1]).unwrap();
        assert_eq!(r.text, strip_italics(&row[2]), "{} text", row[1]);
        assert_checklist_level_and_obligation(r, row);
        let hint = (!row[3].is_empty()).then_some(row[3].as_str());
        assert_eq!(r.guideline.as_deref(), hint, "{} guideline", row[1]);
    }
    assert_eq!(
        per_level(m),
        pairs(&[("sandkasse", 6), ("1", 13), ("2", 19), ("3", 8)])
    );
    // Level "0" as the checklists write it.
    assert_eq!(m.level("0").unwrap().id.as_str(), "sandkasse");
}

#[test]
fn os2_2021_reads_the_2021_edition_through_its_renumbering() {
    let reg = registry();
    let m = reg.get("os2-2021").unwrap();
    let rows = requirement_rows(&fixture("os2/templates/governance-checklist-2021.md"), 1);
    assert_eq!(rows.len(), 45, "the 2021 edition has no S5");
    // Wordings OS2 changed between 2021 and 2023 (typos fixed, text sharpened); every
    // other 2021 requirement must resolve to a model requirement with the same text.
    let reworded: BTreeMap<&str, &str> = [
        ("F3", "lovformidling → lovformlighed"),
        ("F6", "placeret på → overdraget og er placeret under"),
        ("F11", "værktøjer → styringsværktøj"),
        ("F16", "… i forhold til de anvendte teknologier"),
        ("F22", "example link moved"),
        ("S1", "link added"),
        ("S2", "Open Source → open source"),
        ("S3", "mission and link added"),
        ("G1", "(Hjemmeside) added"),
    ]
    .into_iter()
    .collect();
    let mut same = 0;
    for row in &rows {
        let r = match m.resolve_in_edition("2021", &row[1]) {
            Some(Resolved::Requirement(r)) => r,
            other => panic!("{}: {other:?}", row[1]),
        };
        assert_checklist_level_and_obligation(r, row);
        let text_2021 = strip_italics(&row[2]);
        if reworded.contains_key(row[1].as_str()) {
            assert_ne!(r.text, text_2021, "{} is listed as reworded", row[1]);
        } else {
            assert_eq!(r.text, text_2021, "{} → {}", row[1], r.id);
            same += 1;
        }
    }
    assert_eq!(same, 45 - reworded.len());
    // The renumbered ones.
    let to = |id: &str| match m.resolve_in_edition("2021", id) {
        Some(Resolved::Requirement(r)) => r.id.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(to("F13"), "F14");
    assert_eq!(to("F14"), "F13");
    assert_eq!(to("S4"), "S5");
    assert_eq!(m.resolve_in_edition("2021", "S5"), None);
    assert_eq!(to("R1"), "R1");
}

#[test]
fn os2_2021_maps_onto_os2_1_1_0_completely() {
    let reg = registry();
    let old = reg.get("os2-2021").unwrap();
    let new = reg.get("os2-1.1.0").unwrap();
    let mapping = old.mapping_to("os2-1.1.0").unwrap();
    let mut covered = std::collections::BTreeSet::new();
    for c in mapping.correspondences(old, new) {
        assert!(!c.to.is_empty(), "{} has a counterpart in 1.1.0", c.from);
        covered.extend(c.to.iter().map(|t| t.to_string()));
    }
    assert_eq!(
        covered.len(),
        43,
        "every 1.1.0 requirement has a 2021 source"
    );
    for level in old.levels() {
        let target = mapping.level(old, new, &level.id).unwrap();
        assert_eq!(new.level(target.as_str()).unwrap().rank, level.rank);
    }
}

/// The bullets of the seed text, with the theme and level heading they stand under.
fn seed_bullets() -> Vec<(String, String, String)> {
    let text = fixture("os2/seeds/governance-model-three-levels.txt");
    let mut theme = String::new();
    let mut level = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        match t {
            "Relevans" => theme = "relevans".into(),
            "Formkrav" => theme = "formkrav".into(),
            "Governance" => theme = "governance".into(),
            "Strategiske sammenhæng" => theme = "strategisk-sammenhaeng".into(),
            "Minimumskrav" => level = "minimum".into(),
            _ => {}
        }
        for n in ["1", "2", "3"] {
            if t.starts_with(&format!("Niveau {n} –")) {
                level = n.into();
            }
        }
        if let Some(b) = t.strip_prefix('•') {
            out.push((theme.clone(), level.clone(), b.trim().to_owned()));
        }
    }
    out
}

#[test]
fn os2_2018_has_one_requirement_per_bullet_of_the_seed_text() {
    let reg = registry();
    let m = reg.get("os2-2018").unwrap();
    let bullets = seed_bullets();
    assert_eq!(bullets.len(), 51, "bullets in the seed text");
    let mut matched = std::collections::BTreeSet::new();
    for (theme, level, text) in &bullets {
        if text == "Politisk kommunikation udarbejdes:" {
            continue; // a heading for its two sub-bullets, not a requirement itself
        }
        let r = m
            .requirements()
            .iter()
            .find(|r| {
                r.text == *text || r.text == format!("Politisk kommunikation udarbejdes: {text}")
            })
            .unwrap_or_else(|| panic!("no requirement for bullet {text:?}"));
        assert_eq!(r.theme.as_str(), theme, "{} theme", r.id);
        assert_eq!(r.level.as_str(), level, "{} level", r.id);
        let should = text.contains(" bør ") || text.starts_with("Evt.");
        assert_eq!(
            r.obligation == Obligation::Should,
            should,
            "{} obligation",
            r.id
        );
        assert!(matched.insert(r.id.to_string()), "{} matched twice", r.id);
    }
    assert_eq!(
        matched.len(),
        m.requirements().len(),
        "every requirement is a bullet"
    );
    assert_eq!(
        per_level(m),
        pairs(&[("minimum", 6), ("1", 16), ("2", 18), ("3", 10)])
    );
}

#[test]
fn a_broken_builtin_would_be_reported_with_its_path() {
    // The same text with one requirement's level removed from the model must fail with
    // the built-in file's path, so a broken edit of models/ is easy to find.
    let file = BUILTIN_FILES.iter().find(|f| f.id == "os2-1.1.0").unwrap();
    let broken = file.text.replacen("level = \"3\"", "level = \"4\"", 1);
    let err = load_model(&broken, file.path).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(err.problems[0].rule, Rule::UnknownLevel);
    assert!(err.problems[0].location.file.ends_with("os2-1.1.0.toml"));
}
