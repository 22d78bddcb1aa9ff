//! Comparing models, and carrying ratings from an old model to a new one.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use niveau_model::{Change, Rated, Rating, Ratings, Registry, diff, indicate};

fn ids(refs: &[niveau_model::diff::ReqRef]) -> Vec<String> {
    refs.iter().map(|r| r.id.to_string()).collect()
}

fn summary(changes: &[Change]) -> BTreeSet<String> {
    changes
        .iter()
        .filter(|c| !matches!(c, Change::TextChanged { .. }))
        .map(|c| match c {
            Change::Added { to } => format!("added {}", to.id),
            Change::Removed { from } => format!("removed {}", from.id),
            Change::Renumbered { from, to } => format!("renumbered {}→{}", from.id, to.id),
            Change::Merged { from, to } => format!("merged {}→{}", ids(from).join("+"), to.id),
            Change::Split { from, to } => format!("split {}→{}", from.id, ids(to).join("+")),
            Change::LevelMoved { from, to } => {
                format!("level {}→{} {}→{}", from.id, to.id, from.level, to.level)
            }
            Change::ThemeMoved { from, to } => format!("theme {}→{}", from.id, to.id),
            Change::ObligationChanged { from, to } => format!(
                "obligation {}→{} {:?}→{:?}",
                from.id, to.id, from.obligation, to.obligation
            ),
            Change::TextChanged { .. } => unreachable!(),
        })
        .collect()
}

#[test]
fn diff_2021_to_1_1_0_follows_the_declared_mapping() {
    let reg = Registry::builtin().unwrap();
    let d = diff(reg.get("os2-2021").unwrap(), reg.get("os2-1.1.0").unwrap());
    let m = d.mapping.as_ref().unwrap();
    assert_eq!(m.steps.len(), 1);
    assert_eq!(m.steps[0].declared_in.as_str(), "os2-2021");
    assert!(!m.steps[0].reversed);
    let expected: BTreeSet<String> = [
        "renumbered R3→R2",
        "renumbered R5→R4",
        "merged R2+R4→R3",
        "merged F7+F8+F9→F7",
        "level R2→R3 1→2",
        "obligation R4→R3 Should→Must",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(summary(&d.changes), expected);
    let reworded = d
        .changes
        .iter()
        .filter(|c| matches!(c, Change::TextChanged { .. }))
        .count();
    assert_eq!(reworded, 18);
}

#[test]
fn diff_read_backwards_splits_what_was_merged() {
    let reg = Registry::builtin().unwrap();
    let d = diff(reg.get("os2-1.1.0").unwrap(), reg.get("os2-2021").unwrap());
    assert!(d.mapping.as_ref().unwrap().steps[0].reversed);
    let s = summary(&d.changes);
    assert!(s.contains("split R3→R2+R4"), "{s:?}");
    assert!(s.contains("split F7→F7+F8+F9"), "{s:?}");
    assert!(s.contains("renumbered R2→R3"), "{s:?}");
    assert!(s.contains("level R3→R2 2→1"), "{s:?}");
}

#[test]
fn diff_2018_to_2021_counts_what_changed() {
    let reg = Registry::builtin().unwrap();
    let d = diff(reg.get("os2-2018").unwrap(), reg.get("os2-2021").unwrap());
    let s = summary(&d.changes);
    assert!(s.contains("added S4"), "{s:?}");
    assert!(s.contains("removed G6"), "{s:?}");
    assert!(s.contains("removed S5"), "{s:?}");
    assert!(s.contains("merged F22+F23→F21"), "{s:?}");
    assert!(s.contains("merged F3+F4→F3"), "{s:?}");
    assert!(s.contains("level R1→R1 1→sandkasse"), "{s:?}");
}

#[test]
fn a_model_does_not_differ_from_itself_and_unmapped_models_pair_by_id() {
    let reg = Registry::builtin().unwrap();
    let m = reg.get("os2-1.1.0").unwrap();
    assert!(diff(m, m).is_empty());
    assert!(reg.diff(m, m).is_empty());
    let d = diff(reg.get("os2-2018").unwrap(), m);
    assert!(d.mapping.is_none());
    // Paired by id: 2018's F23 and F24 do not exist in 1.1.0.
    let s = summary(&d.changes);
    assert!(s.contains("removed F23"), "{s:?}");
    assert!(s.contains("removed F24"), "{s:?}");
}

#[test]
fn the_registry_chains_mappings_through_other_models() {
    let reg = Registry::builtin().unwrap();
    let old = reg.get("os2-2018").unwrap();
    let new = reg.get("os2-1.1.0").unwrap();
    let d = reg.diff(old, new);
    let steps: Vec<(String, String, bool)> = d
        .mapping
        .as_ref()
        .unwrap()
        .steps
        .iter()
        .map(|s| (s.from.to_string(), s.to.to_string(), s.reversed))
        .collect();
    assert_eq!(
        steps,
        [
            ("os2-2018".into(), "os2-2021".into(), false),
            ("os2-2021".into(), "os2-1.1.0".into(), false)
        ]
    );
    let s = summary(&d.changes);
    // 2018 F7 (code on OS2's GitHub) is 2021 F6, which is 1.1.0 F6.
    assert!(
        !s.iter()
            .any(|c| c.contains("F7→F7") && c.starts_with("renumbered")),
        "{s:?}"
    );
    assert!(s.contains("merged F8+F9+F10→F7"), "{s:?}");
    assert!(s.contains("renumbered F7→F6"), "{s:?}");
    assert!(s.contains("merged F22+F23→F21"), "{s:?}");
    // 2018 R2 (potential value for others, level 1) ends in 1.1.0 R3 (level 2).
    assert!(s.contains("level R2→R3 1→2"), "{s:?}");
    assert!(s.contains("added S4"), "{s:?}");
    assert!(s.contains("removed G6"), "{s:?}");
    // Backwards, the chain is read the other way.
    let back = reg.diff(new, old);
    let m = back.mapping.unwrap();
    assert_eq!(m.steps.len(), 2);
    assert!(m.steps.iter().all(|s| s.reversed));
}

#[test]
fn ratings_carry_over_from_2021_to_1_1_0() {
    let reg = Registry::builtin().unwrap();
    let old = reg.get("os2-2021").unwrap();
    let new = reg.get("os2-1.1.0").unwrap();
    let mapping = old.mapping_to("os2-1.1.0").unwrap();

    let mut r = Ratings::new();
    for req in old.requirements() {
        r.set(
            req.id.clone(),
            Rated::with_basis(Rating::Green, format!("ok {}", req.id)),
        );
    }
    let all_green = mapping.translate_ratings(old, new, &r);
    assert_eq!(all_green.len(), 43);
    let f7 = all_green.get("F7").unwrap();
    assert_eq!(f7.rating, Rating::Green);
    assert_eq!(f7.basis.as_deref(), Some("F7: ok F7\nF8: ok F8\nF9: ok F9"));
    assert_eq!(
        indicate(new, &all_green).level.as_ref().map(|l| l.as_str()),
        Some("3")
    );

    // The weakest of merged ratings wins.
    r.set("F8", Rated::new(Rating::Red));
    r.set("R2", Rated::new(Rating::Yellow));
    let t = mapping.translate_ratings(old, new, &r);
    assert_eq!(t.get("F7").unwrap().rating, Rating::Red);
    assert_eq!(t.get("R3").unwrap().rating, Rating::Yellow);
    // R3 (2021) became R2 (1.1.0) unchanged.
    assert_eq!(t.get("R2").unwrap().rating, Rating::Green);
    assert_eq!(t.get("R2").unwrap().basis.as_deref(), Some("ok R3"));
    assert_eq!(
        indicate(new, &t).level.as_ref().map(|l| l.as_str()),
        Some("sandkasse")
    );

    // An unexplained grey is weaker than green.
    r.set("F8", Rated::new(Rating::Grey));
    let t = mapping.translate_ratings(old, new, &r);
    assert_eq!(t.get("F7").unwrap().rating, Rating::Grey);

    // An unrated source leaves the target unrated.
    r.remove("F9");
    let t = mapping.translate_ratings(old, new, &r);
    assert!(t.get("F7").is_none());
    assert_eq!(t.len(), 42);
}
