//! SVG charts and the level badge: well-formed XML, accessible names and descriptions,
//! OS2's colours, the numbers of a real evaluation, edge cases, and snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use niveau_model::{CountTables, Counts, Rated, Rating, Ratings, Registry, count, indicate};
use niveau_report::Lang;
use niveau_report::svg::{level_badge, level_pies, pie, pie_with_id, rating_fill, theme_bars};
use proptest::prelude::*;
use roxmltree::{Document, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The OS2 test evaluation of model os2-1.1.0.
const GREEN: &[&str] = &[
    "R1", "R2", "R3", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F10", "F11", "F12", "S1", "S2",
    "S3", "S4", "S5", "G1", "G2", "G3", "G4", "G6", "G7", "G8", "G10", "G11", "G12", "G13",
];
const RED: &[&str] = &[
    "F13", "F14", "F15", "F16", "F17", "F18", "F19", "F20", "G5", "G9",
];
const GREY: &[&str] = &["R4", "F21", "F22", "G14"];

fn evaluation() -> Ratings {
    let mut r = Ratings::new();
    for id in GREEN {
        r.set(*id, Rated::new(Rating::Green));
    }
    for id in RED {
        r.set(*id, Rated::new(Rating::Red));
    }
    for id in GREY {
        r.set(*id, Rated::with_basis(Rating::Grey, "Ikke relevant"));
    }
    r
}

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

fn tables(reg: &Registry) -> CountTables {
    count(reg.get("os2-1.1.0").unwrap(), &evaluation())
}

// ---------------------------------------------------------------------------------------
// Helpers that read the SVG
// ---------------------------------------------------------------------------------------

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
}

/// All text below a node, concatenated.
fn text(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

/// The text of a node's own `<title>` child.
fn own_title(node: Node<'_, '_>) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name((SVG_NS, "title")))
        .map(text)
}

fn elements<'a, 'i>(doc: &'a Document<'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    doc.descendants()
        .filter(move |n| n.has_tag_name((SVG_NS, name)))
}

/// Checks the root: an SVG element with role="img", named and described by a `<title>` and
/// a `<desc>` through aria-labelledby. Returns (title, desc).
fn root_title_desc(doc: &Document<'_>) -> (String, String) {
    let root = doc.root_element();
    assert!(root.has_tag_name((SVG_NS, "svg")));
    assert_eq!(root.attribute("role"), Some("img"));
    let ids: Vec<&str> = root
        .attribute("aria-labelledby")
        .expect("aria-labelledby")
        .split_whitespace()
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let find = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no element with id {id}"))
    };
    let (t, d) = (find(ids[0]), find(ids[1]));
    assert!(t.has_tag_name((SVG_NS, "title")));
    assert!(d.has_tag_name((SVG_NS, "desc")));
    // The accessible name comes first in the document, as SVG expects.
    assert_eq!(root.first_element_child(), Some(t));
    let (t, d) = (text(t), text(d));
    assert!(!t.trim().is_empty() && !d.trim().is_empty());
    (t, d)
}

fn assert_unique_ids(doc: &Document<'_>) {
    let mut seen = HashSet::new();
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        assert!(seen.insert(id), "duplicate id {id}");
    }
}

/// The rating whose label ("Rød:", "Red:") a tooltip names.
fn rating_named(title: &str) -> Rating {
    let named: Vec<Rating> = Rating::ALL
        .into_iter()
        .filter(|r| {
            title.contains(&format!("{}:", r.label_da()))
                || title.contains(&format!("{}:", r.label_en()))
        })
        .collect();
    assert_eq!(named.len(), 1, "{title}");
    named[0]
}

/// Every shape with a tooltip has the fill of the rating the tooltip names. Returns how
/// many shapes were checked.
fn assert_fills_match_titles(root: Node<'_, '_>) -> usize {
    let mut checked = 0;
    for node in root.descendants().filter(|n| {
        n.has_tag_name((SVG_NS, "path"))
            || n.has_tag_name((SVG_NS, "circle"))
            || (n.has_tag_name((SVG_NS, "rect")) && own_title(*n).is_some())
    }) {
        let Some(title) = own_title(node) else {
            continue;
        };
        let rating = rating_named(&title);
        assert_eq!(node.attribute("fill"), Some(rating_fill(rating)), "{title}");
        checked += 1;
    }
    checked
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

/// The angle of a point, in degrees clockwise from 12 o'clock, in [0, 360).
fn angle(cx: f64, cy: f64, x: f64, y: f64) -> f64 {
    (x - cx).atan2(cy - y).to_degrees().rem_euclid(360.0)
}

/// The sweep in degrees of a slice path `M cx cy L x0 y0 A r r 0 large 1 x1 y1 Z`; checks
/// that both points lie on the circle and the large-arc flag agrees with the sweep.
fn slice_sweep(d: &str) -> f64 {
    let t: Vec<&str> = d
        .split(|c: char| c.is_whitespace() || c.is_ascii_alphabetic())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(t.len(), 11, "{d}");
    assert!(d.starts_with('M') && d.contains(" L") && d.contains(" A") && d.ends_with('Z'));
    let (cx, cy, x0, y0) = (num(t[0]), num(t[1]), num(t[2]), num(t[3]));
    let (r, large, sweep_flag, x1, y1) = (num(t[4]), t[7], t[8], num(t[9]), num(t[10]));
    assert_eq!(num(t[5]), r);
    assert_eq!(sweep_flag, "1", "clockwise");
    for (x, y) in [(x0, y0), (x1, y1)] {
        assert!(((x - cx).hypot(y - cy) - r).abs() < 0.02, "{d}");
    }
    let mut sweep = (angle(cx, cy, x1, y1) - angle(cx, cy, x0, y0)).rem_euclid(360.0);
    if sweep < 1e-9 {
        sweep = 360.0;
    }
    // Half a circle may take either flag: coordinates are rounded to two decimals.
    if (sweep - 180.0).abs() > 0.05 {
        assert_eq!(large == "1", sweep > 180.0, "{d}");
    }
    sweep
}

/// Checks the slices below `root` against `counts`: full circle, outline, or slices whose
/// sweeps are proportional to the counts and add up to 360°.
fn assert_slices(root: Node<'_, '_>, counts: &Counts) {
    let paths: Vec<Node<'_, '_>> = root
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "path")))
        .collect();
    let circles: Vec<Node<'_, '_>> = root
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "circle")))
        .collect();
    let present = Rating::ALL.iter().filter(|&&r| counts.get(r) > 0).count();
    match present {
        0 => {
            assert!(paths.is_empty());
            assert_eq!(circles.len(), 1);
            assert_eq!(circles[0].attribute("fill"), Some("#ffffff"));
            assert_eq!(circles[0].attribute("stroke"), Some("#808080"));
        }
        1 => {
            assert!(paths.is_empty());
            assert_eq!(circles.len(), 1);
        }
        _ => {
            assert!(circles.is_empty());
            assert_eq!(paths.len(), present);
            let mut total = 0.0;
            for p in &paths {
                let sweep = slice_sweep(p.attribute("d").unwrap());
                let rating = rating_named(&own_title(*p).unwrap());
                let expected = 360.0 * f64::from(counts.get(rating)) / f64::from(counts.rated());
                assert!(
                    (sweep - expected).abs() < 0.1,
                    "{rating:?}: {sweep} ≠ {expected}"
                );
                total += sweep;
            }
            assert!((total - 360.0).abs() < 0.1, "slices add up to {total}°");
        }
    }
}

/// The texts of all `<text>` elements below `root`.
fn visible_texts(root: Node<'_, '_>) -> Vec<String> {
    root.descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "text")))
        .map(text)
        .collect()
}

fn no_emoji(texts: &[String]) {
    for t in texts {
        for r in Rating::ALL {
            assert!(!t.contains(r.symbol()), "emoji in {t}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The OS2 test evaluation
// ---------------------------------------------------------------------------------------

#[test]
fn total_pie_of_the_evaluation() {
    let reg = registry();
    let tables = tables(&reg);
    let svg = pie("Samlet (43 krav)", &tables.total, Lang::Da);
    let doc = parse(&svg);
    let (title, desc) = root_title_desc(&doc);
    assert_eq!(title, "Samlet (43 krav)");
    for expected in [
        "Grøn 29 (67 %)",
        "Gul 0 (0 %)",
        "Rød 10 (23 %)",
        "Grå 4 (9 %)",
    ] {
        assert!(desc.contains(expected), "{expected} not in {desc}");
    }
    assert_eq!(doc.root_element().attribute("lang"), Some("da"));
    assert_unique_ids(&doc);
    assert_eq!(assert_fills_match_titles(doc.root_element()), 3);
    assert_slices(doc.root_element(), &tables.total);

    let tooltips: Vec<String> = elements(&doc, "path").filter_map(own_title).collect();
    assert_eq!(
        tooltips,
        [
            "Grøn: 29 af 43 (67 %)",
            "Rød: 10 af 43 (23 %)",
            "Grå: 4 af 43 (9 %)"
        ]
    );

    // The legend: every rating in OS2's order, with count and percentage, as text.
    let texts = visible_texts(doc.root_element());
    assert_eq!(
        texts,
        [
            "Samlet (43 krav)",
            "Grøn 29 (67 %)",
            "Gul 0 (0 %)",
            "Rød 10 (23 %)",
            "Grå 4 (9 %)"
        ]
    );
    // Dark text, and legend squares with a dark outline.
    for t in elements(&doc, "text") {
        assert_eq!(t.attribute("fill"), Some("#1a1a1a"));
    }
    let squares: Vec<Node<'_, '_>> = elements(&doc, "rect")
        .filter(|r| r.attribute("stroke") == Some("#1a1a1a"))
        .collect();
    let fills: Vec<&str> = squares.iter().filter_map(|r| r.attribute("fill")).collect();
    assert_eq!(fills, ["#008000", "#FFFF00", "#FF0000", "#808080"]);
    assert!(
        squares
            .iter()
            .all(|r| r.attribute("stroke-width") == Some("1"))
    );
}

#[test]
fn english_pie() {
    let reg = registry();
    let tables = tables(&reg);
    let svg = pie("Total (43 requirements)", &tables.total, Lang::En);
    let doc = parse(&svg);
    let (_, desc) = root_title_desc(&doc);
    assert_eq!(
        desc,
        "Green 29 (67%), Yellow 0 (0%), Red 10 (23%), Grey 4 (9%)."
    );
    assert_eq!(doc.root_element().attribute("lang"), Some("en"));
    let tooltips: Vec<String> = elements(&doc, "path").filter_map(own_title).collect();
    assert_eq!(tooltips[1], "Red: 10 of 43 (23%)");
    assert_fills_match_titles(doc.root_element());
}

#[test]
fn level_pies_of_the_evaluation() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let tables = tables(&reg);
    let svg = level_pies(model, &tables, Lang::Da);
    let doc = parse(&svg);
    let (title, desc) = root_title_desc(&doc);
    assert_eq!(
        title,
        "Vurderinger pr. niveau – OS2's governancerapport 1.1.0"
    );
    assert!(
        desc.contains("Samlet (43 krav): Grøn 29 (67 %), Gul 0 (0 %), Rød 10 (23 %), Grå 4 (9 %)."),
        "{desc}"
    );
    assert_unique_ids(&doc);

    let groups: Vec<Node<'_, '_>> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "g")) && n.attribute("role") == Some("img"))
        .collect();
    let labels: Vec<&str> = groups
        .iter()
        .map(|g| g.attribute("aria-label").unwrap())
        .collect();
    let titles: Vec<&str> = labels
        .iter()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Sandkasse (6 krav)",
            "Niveau 1 (10 krav)",
            "Niveau 2 (19 krav)",
            "Niveau 3 (8 krav)",
            "Samlet (43 krav)"
        ]
    );
    // Each pie's label carries its numbers; the document's desc carries all of them.
    let all_counts: Vec<&Counts> = tables
        .by_level
        .iter()
        .map(|(_, c)| c)
        .chain([&tables.total])
        .collect();
    for ((group, label), counts) in groups.iter().zip(&labels).zip(&all_counts) {
        assert!(desc.contains(label), "{label} not in desc");
        assert_fills_match_titles(*group);
        assert_slices(*group, counts);
        let texts = visible_texts(*group);
        for r in Rating::ALL {
            let entry = format!("{} {}", r.label_da(), counts.get(r));
            assert!(
                texts.iter().any(|t| t.starts_with(&format!("{entry} ("))),
                "{entry} not in legend {texts:?}"
            );
        }
    }
    assert!(labels[4].ends_with("Grøn 29 (67 %), Gul 0 (0 %), Rød 10 (23 %), Grå 4 (9 %)"));
    // The grid leaves no pie outside the view box.
    let root = doc.root_element();
    let (w, h) = (
        num(root.attribute("width").unwrap()),
        num(root.attribute("height").unwrap()),
    );
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {w} {h}").as_str())
    );
}

#[test]
fn level_pies_in_english() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let svg = level_pies(model, &tables(&reg), Lang::En);
    let doc = parse(&svg);
    let (title, desc) = root_title_desc(&doc);
    assert!(title.starts_with("Ratings by level"));
    assert!(
        desc.contains(
            "Total (43 requirements): Green 29 (67%), Yellow 0 (0%), Red 10 (23%), Grey 4 (9%)."
        ),
        "{desc}"
    );
    assert_unique_ids(&doc);
    assert_fills_match_titles(doc.root_element());
}

#[test]
fn theme_bars_of_the_evaluation() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let tables = tables(&reg);
    let svg = theme_bars(model, &tables, Lang::Da);
    let doc = parse(&svg);
    let (title, desc) = root_title_desc(&doc);
    assert_eq!(
        title,
        "Vurderinger pr. tema – OS2's governancerapport 1.1.0"
    );
    assert_unique_ids(&doc);
    for row in &tables.by_theme {
        let name = &model.theme(row.theme.as_str()).unwrap().name;
        let numbers = Rating::ALL
            .iter()
            .map(|&r| format!("{} {}", r.label_da(), row.total.get(r)))
            .collect::<Vec<_>>();
        let pos = desc.find(name.as_str()).unwrap();
        let sentence = &desc[pos..];
        let sentence = &sentence[..sentence.find('.').unwrap()];
        for n in numbers {
            assert!(
                sentence.contains(&format!("{n} (")),
                "{n} not in {sentence}"
            );
        }
    }
    assert!(
        desc.contains("Relevans (4 krav): Grøn 3 (75 %), Gul 0 (0 %), Rød 0 (0 %), Grå 1 (25 %).")
    );

    let texts = visible_texts(doc.root_element());
    no_emoji(&texts);
    for expected in [
        "Relevans",
        "Formkrav",
        "Strategisk sammenhæng",
        "Governance",
        "3 grøn · 1 grå",
        "10 grøn · 8 rød · 2 grå",
        "5 grøn",
        "11 grøn · 2 rød · 1 grå",
        "Grøn",
        "Gul",
        "Rød",
        "Grå",
    ] {
        assert!(
            texts.iter().any(|t| t == expected),
            "{expected} not in {texts:?}"
        );
    }

    // Segments: OS2's fills, in OS2's order, lengths on one scale for all bars.
    let segments: Vec<Node<'_, '_>> = elements(&doc, "rect")
        .filter(|r| own_title(*r).is_some())
        .collect();
    assert_eq!(
        assert_fills_match_titles(doc.root_element()),
        segments.len()
    );
    assert_eq!(segments.len(), 2 + 3 + 1 + 3);
    let mut scale = None;
    for s in &segments {
        let title = own_title(*s).unwrap();
        let n: f64 = num(title.split(": ").nth(1).unwrap().split(' ').next().unwrap());
        let per = num(s.attribute("width").unwrap()) / n;
        let scale = *scale.get_or_insert(per);
        assert!((per - scale).abs() < 0.01, "{title}");
    }
    let first: Vec<String> = segments[..2].iter().filter_map(|s| own_title(*s)).collect();
    assert_eq!(
        first,
        [
            "Relevans – Grøn: 3 af 4 (75 %)",
            "Relevans – Grå: 1 af 4 (25 %)"
        ]
    );

    // Counts on the segments: white on green, dark on the others.
    let on_segments: Vec<(String, &str)> = elements(&doc, "text")
        .filter(|t| t.attribute("pointer-events") == Some("none"))
        .map(|t| (text(t), t.attribute("fill").unwrap()))
        .collect();
    assert!(on_segments.contains(&("10".to_owned(), "#ffffff")));
    assert!(on_segments.contains(&("8".to_owned(), "#000000")));
    for (_, fill) in &on_segments {
        assert!(["#ffffff", "#000000", "#1a1a1a"].contains(fill));
    }
}

#[test]
fn theme_bars_in_english() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let svg = theme_bars(model, &tables(&reg), Lang::En);
    let doc = parse(&svg);
    let (_, desc) = root_title_desc(&doc);
    assert!(desc.contains(
        "Relevans (4 requirements): Green 3 (75%), Yellow 0 (0%), Red 0 (0%), Grey 1 (25%)."
    ));
    let texts = visible_texts(doc.root_element());
    assert!(texts.iter().any(|t| t == "3 green · 1 grey"));
    assert_fills_match_titles(doc.root_element());
}

// ---------------------------------------------------------------------------------------
// Edge cases
// ---------------------------------------------------------------------------------------

#[test]
fn one_rating_is_a_full_circle() {
    let counts = Counts {
        green: 6,
        ..Counts::default()
    };
    let svg = pie("Sandkasse (6 krav)", &counts, Lang::Da);
    let doc = parse(&svg);
    let (_, desc) = root_title_desc(&doc);
    assert_eq!(
        desc,
        "Grøn 6 (100 %), Gul 0 (0 %), Rød 0 (0 %), Grå 0 (0 %)."
    );
    assert_eq!(elements(&doc, "path").count(), 0);
    let circle = elements(&doc, "circle").next().unwrap();
    assert_eq!(circle.attribute("fill"), Some("#008000"));
    assert_eq!(own_title(circle).unwrap(), "Grøn: 6 af 6 (100 %)");
    assert_slices(doc.root_element(), &counts);
}

#[test]
fn nothing_rated() {
    for (counts, lang, words) in [
        (Counts::default(), Lang::Da, "ingen vurderinger"),
        (
            Counts {
                unrated: 8,
                ..Counts::default()
            },
            Lang::Da,
            "ingen vurderinger",
        ),
        (Counts::default(), Lang::En, "no ratings"),
    ] {
        let svg = pie("Niveau 3", &counts, lang);
        let doc = parse(&svg);
        let (_, desc) = root_title_desc(&doc);
        assert!(desc.to_lowercase().contains(words), "{desc}");
        let texts = visible_texts(doc.root_element());
        assert!(texts.iter().any(|t| t == words), "{texts:?}");
        assert_slices(doc.root_element(), &counts);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        if counts.unrated > 0 {
            assert!(desc.contains("ikke vurderet 8"), "{desc}");
            assert!(texts.iter().any(|t| t == "Ikke vurderet 8"), "{texts:?}");
        }
    }
}

#[test]
fn documents_of_an_evaluation_without_ratings() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let tables = count(model, &Ratings::new());
    for lang in [Lang::Da, Lang::En] {
        let words = lang.pick("ingen vurderinger", "no ratings");
        let pies = level_pies(model, &tables, lang);
        let bars = theme_bars(model, &tables, lang);
        assert!(!pies.contains("NaN") && !bars.contains("NaN"));
        let doc = parse(&pies);
        let (_, desc) = root_title_desc(&doc);
        assert_eq!(desc.matches(words).count(), 5, "{desc}");
        assert_unique_ids(&doc);
        assert_eq!(elements(&doc, "path").count(), 0);
        let doc = parse(&bars);
        root_title_desc(&doc);
        let texts = visible_texts(doc.root_element());
        let expected = lang.pick(
            "ingen vurderinger · 4 ikke vurderet",
            "no ratings · 4 not rated",
        );
        assert!(texts.iter().any(|t| t == expected), "{texts:?}");
    }
}

#[test]
fn unrated_requirements_are_mentioned() {
    let counts = Counts {
        green: 3,
        red: 1,
        unrated: 2,
        ..Counts::default()
    };
    let doc_text = pie("Niveau 1 (6 krav)", &counts, Lang::Da);
    let doc = parse(&doc_text);
    let (_, desc) = root_title_desc(&doc);
    assert_eq!(
        desc,
        "Grøn 3 (75 %), Gul 0 (0 %), Rød 1 (25 %), Grå 0 (0 %); ikke vurderet 2."
    );
    assert_slices(doc.root_element(), &counts);
}

#[test]
fn texts_are_escaped() {
    let title = r#"Niveau <&> "2" 'x'"#;
    let svg = pie(title, &Counts::default(), Lang::Da);
    assert!(svg.contains("Niveau &lt;&amp;&gt; &quot;2&quot; &apos;x&apos;"));
    let doc = parse(&svg);
    let (t, _) = root_title_desc(&doc);
    assert_eq!(t, title);
    assert!(visible_texts(doc.root_element()).contains(&title.to_owned()));
    assert_unique_ids(&doc);

    let badge = level_badge(Some("<&>\"'"), Lang::Da);
    let doc = parse(&badge);
    assert_eq!(
        doc.root_element().attribute("aria-label"),
        Some("OS2 niveau: <&>\"'")
    );
}

#[test]
fn ids_come_from_the_title_or_the_caller() {
    let counts = Counts {
        green: 1,
        red: 1,
        ..Counts::default()
    };
    let a = pie("Niveau 2 (19 krav)", &counts, Lang::Da);
    let doc = parse(&a);
    let labelledby = doc.root_element().attribute("aria-labelledby").unwrap();
    assert!(
        labelledby.starts_with("pie-niveau-2-19-krav-"),
        "{labelledby}"
    );
    // Same input, same output; other numbers, other ids.
    assert_eq!(a, pie("Niveau 2 (19 krav)", &counts, Lang::Da));
    let other = Counts { green: 2, ..counts };
    let b = pie("Niveau 2 (19 krav)", &other, Lang::Da);
    let b_labelledby = parse(&b)
        .root_element()
        .attribute("aria-labelledby")
        .unwrap()
        .to_owned();
    assert_ne!(labelledby, b_labelledby);

    let c = pie_with_id("Product A / 2", "Niveau 2", &counts, Lang::Da);
    let doc = parse(&c);
    assert_eq!(
        doc.root_element().attribute("aria-labelledby"),
        Some("product-a-2-title product-a-2-desc")
    );
    root_title_desc(&doc);
    let d = pie_with_id("2024", "Niveau 2", &counts, Lang::Da);
    assert!(d.contains(r#"id="id-2024-title""#));
    root_title_desc(&parse(&d));
}

// ---------------------------------------------------------------------------------------
// Badge
// ---------------------------------------------------------------------------------------

fn badge_parts(svg: &str) -> (String, String, Vec<String>, Vec<String>) {
    let doc = parse(svg);
    let root = doc.root_element();
    assert!(root.has_tag_name((SVG_NS, "svg")));
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("height"), Some("20"));
    assert_unique_ids(&doc);
    // Every url(#…) reference points at an element of the badge.
    let ids: HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    for n in doc.descendants() {
        for a in n.attributes() {
            if let Some(rest) = a.value().strip_prefix("url(#") {
                assert!(ids.contains(rest.trim_end_matches(')')), "{}", a.value());
            }
        }
    }
    let clip = elements(&doc, "clipPath").next().unwrap();
    let rounded = clip.first_element_child().unwrap();
    assert_eq!(rounded.attribute("rx"), Some("3"));
    assert_eq!(rounded.attribute("width"), root.attribute("width"));
    let fills = elements(&doc, "rect")
        .filter(|r| r.parent() != Some(clip))
        .filter_map(|r| r.attribute("fill"))
        .map(str::to_owned)
        .collect();
    let texts = elements(&doc, "text")
        .filter(|t| t.attribute("aria-hidden").is_none())
        .map(text)
        .collect();
    (
        root.attribute("aria-label").unwrap().to_owned(),
        own_title(root).unwrap(),
        fills,
        texts,
    )
}

#[test]
fn badges() {
    for (label, lang, name, colour, texts) in [
        (
            Some("2"),
            Lang::Da,
            "OS2 niveau: 2",
            "#97ca00",
            ["OS2 niveau", "2"],
        ),
        (
            None,
            Lang::Da,
            "OS2 niveau: ikke vurderet",
            "#9f9f9f",
            ["OS2 niveau", "ikke vurderet"],
        ),
        (
            Some("2"),
            Lang::En,
            "OS2 level: 2",
            "#97ca00",
            ["OS2 level", "2"],
        ),
        (
            None,
            Lang::En,
            "OS2 level: not rated",
            "#9f9f9f",
            ["OS2 level", "not rated"],
        ),
        (
            Some("sandkasse"),
            Lang::Da,
            "OS2 niveau: sandkasse",
            "#9f9f9f",
            ["OS2 niveau", "sandkasse"],
        ),
        (
            Some("1"),
            Lang::Da,
            "OS2 niveau: 1",
            "#dfb317",
            ["OS2 niveau", "1"],
        ),
        (
            Some("3"),
            Lang::Da,
            "OS2 niveau: 3",
            "#4c1",
            ["OS2 niveau", "3"],
        ),
        (
            Some("9"),
            Lang::Da,
            "OS2 niveau: 9",
            "#9f9f9f",
            ["OS2 niveau", "9"],
        ),
    ] {
        let svg = level_badge(label, lang);
        let (aria, title, fills, shown) = badge_parts(&svg);
        assert_eq!(aria, name);
        assert_eq!(title, name);
        assert_eq!(fills[..2], ["#555", colour]);
        assert_eq!(shown, texts);
        assert!(svg.contains(&format!(r#"lang="{}""#, lang.code())));
    }
    // A longer label makes a wider badge.
    let width = |svg: &str| num(parse(svg).root_element().attribute("width").unwrap());
    assert!(width(&level_badge(None, Lang::Da)) > width(&level_badge(Some("2"), Lang::Da)));
}

// ---------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------

#[test]
fn snapshot_level_pies_da() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    insta::assert_snapshot!(level_pies(model, &tables(&reg), Lang::Da));
}

#[test]
fn snapshot_theme_bars_da() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    insta::assert_snapshot!(theme_bars(model, &tables(&reg), Lang::Da));
}

#[test]
fn snapshot_badge_da() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let indication = indicate(model, &evaluation());
    let label = indication
        .level
        .as_ref()
        .map(|id| model.level(id.as_str()).unwrap().id.as_str().to_owned());
    insta::assert_snapshot!(level_badge(label.as_deref(), Lang::Da));
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn counts() -> impl Strategy<Value = Counts> {
    (0u32..40, 0u32..40, 0u32..40, 0u32..40, 0u32..5).prop_map(
        |(green, yellow, red, grey, unrated)| Counts {
            green,
            yellow,
            red,
            grey,
            unrated,
        },
    )
}

proptest! {
    #[test]
    fn any_pie_is_well_formed_and_complete(title in any::<String>(), counts in counts()) {
        let svg = pie(&title, &counts, Lang::Da);
        let doc = parse(&svg);
        let (t, desc) = root_title_desc(&doc);
        // The title survives exactly, except characters XML cannot carry.
        let expected: String = if title.trim().is_empty() { "Vurderinger" } else { &title }
            .chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => c,
                '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
                c => c,
            })
            .collect();
        prop_assert_eq!(t, expected);
        assert_unique_ids(&doc);
        assert_fills_match_titles(doc.root_element());
        assert_slices(doc.root_element(), &counts);
        for r in Rating::ALL {
            let entry = format!("{} {}", r.label_da(), counts.get(r));
            prop_assert!(desc.contains(&entry) || counts.rated() == 0);
            prop_assert!(visible_texts(doc.root_element()).iter().any(|t| t.starts_with(&entry)));
        }
    }

    #[test]
    fn any_badge_is_well_formed(label in proptest::option::of(any::<String>())) {
        let svg = level_badge(label.as_deref(), Lang::En);
        badge_parts(&svg);
    }
}
