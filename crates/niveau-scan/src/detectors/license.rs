//! F2: open-source licence criteria are met — licence files (LICENSE*, COPYING*,
//! LICENSES/ as in REUSE) identified as SPDX ids above a score threshold (several
//! licences in one file are found too), OSI approval, SPDX headers in a sample of source
//! files, and agreement with publiccode.yml's legal.license.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use niveau_model::Rating;
use spdx::detection::scan::{ScanMode, Scanner};
use spdx::detection::{Store, TextData};

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};
use crate::source::FileEntry;

/// F2 from licence files.
pub struct License;

/// The lowest detection score that counts as identifying a licence.
pub const THRESHOLD: f32 = 0.8;

/// How many source files are sampled for SPDX headers.
pub const HEADER_SAMPLE: usize = 40;

const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "py", "js", "mjs", "ts", "tsx", "jsx", "vue", "java", "kt", "go", "c", "h", "cc", "cpp",
    "hpp", "cs", "php", "rb", "swift", "scala", "sh", "sql", "css", "scss", "html",
];

/// Whether the full-text scan of [`identify`] knows a licence: the OSI-approved
/// licences (what an open-source product may use; OS2 asks for an OSI-approved one), the
/// current Creative Commons licences (4.0 and CC0: documentation, and the non-commercial
/// variants a product must not use), and the source-available licences sometimes
/// mistaken for open source. Deprecated ids are left out (their current ids are in), and
/// so are the FSF-only and older Creative Commons versions: each licence in the store
/// costs memory, and the scan must stay under 64 MB (docs/performance.md).
fn searched(id: &str) -> bool {
    const SOURCE_AVAILABLE: &[&str] = &["BUSL-1.1", "SSPL-1.0", "Elastic-2.0"];
    spdx::license_id(id).is_some_and(|l| {
        !l.is_deprecated()
            && (l.is_osi_approved()
                || (id.starts_with("CC-") && id.ends_with("-4.0"))
                || id == "CC0-1.0"
                || id.starts_with("PolyForm-")
                || SOURCE_AVAILABLE.contains(&id))
    })
}

/// A searched licence is a candidate for the full scan when at least this share of its
/// own three-word shingles occurs in the file (a licence inside a file of several still
/// has nearly all of its shingles there).
const CANDIDATE_CONTAINMENT: f32 = 0.25;
/// The best-matching candidates always taken, whatever their share.
const MIN_CANDIDATES: usize = 8;
/// The most candidates a store holds.
const MAX_CANDIDATES: usize = 24;

/// A store of the licences of [`searched`] that the text could be: each licence's
/// shingles are compared with the file's one licence at a time (nothing kept), and only
/// the candidates ([`MIN_CANDIDATES`] best, more while their share is at least
/// [`CANDIDATE_CONTAINMENT`], at most [`MAX_CANDIDATES`]) are put in the store the
/// scanner matches with. A store of all 153 searched licences held about 17 MB of
/// n-grams for the whole run (73 MB peak on a repository with a zlib licence against
/// 56 MB with MPL-2.0; docs/performance.md, target 64 MB); the full SPDX store
/// (`Store::load_inline`) about 65 MB.
fn candidate_store(text: &str) -> Store {
    candidate_store_of(text, MIN_CANDIDATES, MAX_CANDIDATES)
}

fn candidate_store_of(text: &str, min: usize, max: usize) -> Store {
    let own = shingles(text);
    let mut scored: Vec<(f32, &'static str, &'static str)> = spdx::text::LICENSE_TEXTS
        .iter()
        .filter(|(id, _)| searched(id))
        .filter_map(|(id, licence)| {
            let theirs = shingles(licence);
            if theirs.is_empty() {
                return None;
            }
            let common = theirs.iter().filter(|h| own.contains(h)).count();
            let share = common as f32 / theirs.len() as f32;
            (common > 0).then_some((share, *id, *licence))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut store = Store::new();
    for (i, (share, id, licence)) in scored.into_iter().enumerate() {
        if i >= max || (i >= min && share < CANDIDATE_CONTAINMENT) {
            break;
        }
        // The store's own copy of the normalised text is not needed for matching (only
        // its n-grams are), so it is dropped as askalono does.
        store.add_license(id.to_owned(), TextData::new(licence).without_text());
    }
    store
}

/// The licence texts most often used in OS2 products (copied from the SPDX licence list
/// into `data/licenses/`), for the quick path of [`identify`].
const COMMON: &[(&str, &str)] = &[
    ("MPL-2.0", include_str!("../../data/licenses/MPL-2.0.txt")),
    ("MIT", include_str!("../../data/licenses/MIT.txt")),
    (
        "Apache-2.0",
        include_str!("../../data/licenses/Apache-2.0.txt"),
    ),
    ("EUPL-1.2", include_str!("../../data/licenses/EUPL-1.2.txt")),
    ("EUPL-1.1", include_str!("../../data/licenses/EUPL-1.1.txt")),
    (
        "GPL-2.0-only",
        include_str!("../../data/licenses/GPL-2.0-only.txt"),
    ),
    (
        "GPL-3.0-only",
        include_str!("../../data/licenses/GPL-3.0-only.txt"),
    ),
    (
        "AGPL-3.0-only",
        include_str!("../../data/licenses/AGPL-3.0-only.txt"),
    ),
    (
        "LGPL-2.1-only",
        include_str!("../../data/licenses/LGPL-2.1-only.txt"),
    ),
    (
        "LGPL-3.0-only",
        include_str!("../../data/licenses/LGPL-3.0-only.txt"),
    ),
    (
        "BSD-2-Clause",
        include_str!("../../data/licenses/BSD-2-Clause.txt"),
    ),
    (
        "BSD-3-Clause",
        include_str!("../../data/licenses/BSD-3-Clause.txt"),
    ),
    ("ISC", include_str!("../../data/licenses/ISC.txt")),
    (
        "CC-BY-SA-4.0",
        include_str!("../../data/licenses/CC-BY-SA-4.0.txt"),
    ),
    (
        "CC-BY-4.0",
        include_str!("../../data/licenses/CC-BY-4.0.txt"),
    ),
    ("CC0-1.0", include_str!("../../data/licenses/CC0-1.0.txt")),
    (
        "Unlicense",
        include_str!("../../data/licenses/Unlicense.txt"),
    ),
];

/// The three-word shingles of a text (lower-case words of letters and digits), hashed.
fn shingles(text: &str) -> std::collections::HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(3)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The quick path: a text that is, nearly word for word, one of [`COMMON`]. Hand-written
/// because loading the full SPDX store costs about 140 ms and 65 MB, which a scan of a
/// repository with an ordinary MPL-2.0 or MIT licence should not pay. Returns the id
/// and the Dice coefficient of the shingles (≥ 0.9) when at least 97 % of the file's
/// shingles are the licence's, or `None`.
pub fn quick_identify(text: &str) -> Option<(String, f32)> {
    static REFERENCES: OnceLock<Vec<(&'static str, std::collections::HashSet<u64>)>> =
        OnceLock::new();
    let refs = REFERENCES.get_or_init(|| COMMON.iter().map(|(id, t)| (*id, shingles(t))).collect());
    let own = shingles(text);
    if own.is_empty() {
        return None;
    }
    refs.iter()
        .filter_map(|(id, r)| {
            let common = own.intersection(r).count() as f32;
            // Nearly all of the file must be this licence: a second licence in the same
            // file leaves a part unexplained and needs the full scan.
            let coverage = common / own.len() as f32;
            (coverage >= 0.97).then(|| (*id, 2.0 * common / (own.len() + r.len()) as f32))
        })
        .filter(|(_, score)| *score >= 0.9)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(id, score)| (id.to_owned(), score))
}

/// The SPDX ids identified in a licence text, with their scores. A file that is one of
/// the common licences nearly word for word is identified without the SPDX store
/// ([`quick_identify`]); otherwise a quick elimination scan finds the main licence; when a good part of the file is left unexplained
/// (several licences in one file), a slower top-down scan looks for the others.
pub fn identify(text: &str) -> Vec<(String, f32)> {
    if let Some(hit) = quick_identify(text) {
        return vec![hit];
    }
    scan_with(text, &candidate_store(text))
}

/// The full-text scan of `text` against `store`.
fn scan_with(text: &str, store: &Store) -> Vec<(String, f32)> {
    let data = TextData::new(text);
    let scanner = Scanner::new(store)
        .confidence_threshold(THRESHOLD)
        .shallow_limit(1.0)
        .optimize(true)
        .max_passes(8);
    let result = scanner.scan(&data);
    let mut out: Vec<(String, f32)> = Vec::new();
    let mut push = |name: &str, score: f32| {
        if score >= THRESHOLD && !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_owned(), score));
        }
    };
    if let Some(l) = &result.license {
        push(l.name, result.score);
    }
    for c in &result.containing {
        push(c.license.name, c.score);
    }
    // Lines with words that no identified licence covers.
    let lines: Vec<&str> = text.lines().collect();
    let covered = |i: usize| {
        result
            .containing
            .iter()
            .any(|c| i >= c.line_range.0 && i < c.line_range.1)
    };
    let unexplained = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !covered(*i) && l.split_whitespace().count() >= 3)
        .count();
    if unexplained >= 8 {
        let top_down = Scanner::with_scan_mode(store, ScanMode::top_down())
            .confidence_threshold(THRESHOLD)
            .optimize(true)
            .max_passes(8);
        let deeper = top_down.scan(&data);
        for c in &deeper.containing {
            push(c.license.name, c.score);
        }
    }
    out
}

/// Whether an SPDX id is OSI-approved.
pub fn osi_approved(id: &str) -> bool {
    spdx::license_id(id).is_some_and(|l| l.is_osi_approved())
}

/// The licence ids an SPDX expression names (`MPL-2.0 OR MIT` → both).
pub fn expression_ids(expr: &str) -> Option<BTreeSet<String>> {
    let parsed = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX).ok()?;
    Some(
        parsed
            .requirements()
            .filter_map(|r| match &r.req.license {
                spdx::LicenseItem::Spdx { id, .. } => Some(id.name.to_owned()),
                spdx::LicenseItem::Other(_) => None,
            })
            .collect(),
    )
}

fn licence_files<'c>(cx: &'c Context<'_>) -> Vec<&'c FileEntry> {
    cx.files()
        .iter()
        .filter(|f| {
            let n = f.lower_name();
            let root = f.dir().is_empty()
                && (n.starts_with("license")
                    || n.starts_with("licence")
                    || n.starts_with("copying")
                    || n == "unlicense");
            let reuse = f.dir().eq_ignore_ascii_case("LICENSES");
            root || reuse
        })
        .collect()
}

/// The SPDX headers found in a sample of source files: (path, line, expression).
fn headers(cx: &Context<'_>) -> (usize, Vec<(String, usize, String)>) {
    let sources: Vec<&FileEntry> = cx
        .files()
        .iter()
        .filter(|f| {
            f.name()
                .rsplit_once('.')
                .is_some_and(|(_, ext)| SOURCE_EXTENSIONS.contains(&ext.to_lowercase().as_str()))
        })
        .collect();
    let step = (sources.len() / HEADER_SAMPLE).max(1);
    let sample: Vec<&FileEntry> = sources
        .iter()
        .step_by(step)
        .take(HEADER_SAMPLE)
        .copied()
        .collect();
    let mut found = Vec::new();
    for f in &sample {
        let Some(text) = cx.text(f) else { continue };
        for (i, line) in text.lines().take(30).enumerate() {
            if let Some(pos) = line.find("SPDX-License-Identifier:") {
                let expr = line[pos + "SPDX-License-Identifier:".len()..]
                    .trim()
                    .trim_end_matches("*/")
                    .trim_end_matches("-->")
                    .trim()
                    .to_owned();
                found.push((f.path.clone(), i + 1, expr));
                break;
            }
        }
    }
    (sample.len(), found)
}

impl Detector for License {
    fn id(&self) -> &'static str {
        "license"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F2"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let files = licence_files(cx);
        let mut evidence = Vec::new();
        let mut identified: BTreeSet<String> = BTreeSet::new();
        for f in &files {
            // REUSE names each file after its licence: LICENSES/MPL-2.0.txt.
            if f.dir().eq_ignore_ascii_case("LICENSES") {
                let stem = f
                    .name()
                    .rsplit_once('.')
                    .map(|(s, _)| s)
                    .unwrap_or(f.name());
                if spdx::license_id(stem).is_some() {
                    identified.insert(stem.to_owned());
                    evidence.push(Evidence::file(f.path.clone()));
                    evidence.push(Evidence::value("license", stem));
                    continue;
                }
            }
            let Some(text) = cx.text(f) else { continue };
            let ids = identify(&text);
            evidence.push(Evidence::file(f.path.clone()));
            for (id, score) in ids {
                evidence.push(Evidence::value(
                    "license",
                    format!("{id} (score {score:.2})"),
                ));
                identified.insert(id);
            }
        }
        let (sampled, header_hits) = headers(cx);
        if sampled > 0 {
            evidence.push(Evidence::value(
                "spdx_headers",
                format!("{} / {sampled}", header_hits.len()),
            ));
            for (path, line, _) in header_hits.iter().take(3) {
                evidence.push(Evidence::line(path.clone(), *line));
            }
        }
        let header_ids: BTreeSet<String> = header_hits
            .iter()
            .filter_map(|(_, _, e)| expression_ids(e))
            .flatten()
            .collect();
        // publiccode.yml's legal.license.
        let mut agreement: Option<bool> = None;
        if let Some(lic) = cx
            .publiccode()
            .and_then(|(_, v)| v.data.as_ref()?.license.clone())
        {
            evidence.extend(cx.publiccode_location("legal.license"));
            evidence.push(Evidence::value("publiccode_license", &lic));
            if let Some(ids) = expression_ids(&lic)
                && !identified.is_empty()
            {
                agreement = Some(ids.iter().any(|i| identified.contains(i)));
            }
        }
        let osi: Vec<&String> = identified.iter().filter(|i| osi_approved(i)).collect();
        let names = identified.iter().cloned().collect::<Vec<_>>().join(", ");
        let (rating, confidence, da, en) = if files.is_empty() {
            if header_ids.is_empty() {
                (
                    Rating::Red,
                    4,
                    "Der er ingen licensfil (LICENSE, COPYING eller LICENSES/).".to_owned(),
                    "There is no licence file (LICENSE, COPYING or LICENSES/).".to_owned(),
                )
            } else {
                (
                    Rating::Yellow,
                    2,
                    "Kildefilerne har SPDX-licensangivelser, men der er ingen licensfil."
                        .to_owned(),
                    "Source files carry SPDX licence headers, but there is no licence file."
                        .to_owned(),
                )
            }
        } else if identified.is_empty() {
            (
                Rating::Yellow,
                2,
                "Der er en licensfil, men licensen kan ikke genkendes som en SPDX-licens."
                    .to_owned(),
                "There is a licence file, but the licence cannot be recognised as an SPDX licence."
                    .to_owned(),
            )
        } else if osi.is_empty() {
            (
                Rating::Red,
                3,
                format!("Licensen ({names}) er ikke OSI-godkendt."),
                format!("The licence ({names}) is not OSI-approved."),
            )
        } else if agreement == Some(false) {
            (
                Rating::Yellow,
                3,
                format!("Licensfilen ({names}) og publiccode.yml's legal.license er ikke enige."),
                format!("The licence file ({names}) and publiccode.yml's legal.license disagree."),
            )
        } else {
            (
                Rating::Green,
                if agreement == Some(true) { 5 } else { 4 },
                format!("OSI-godkendt licens: {names}."),
                format!("OSI-approved licence: {names}."),
            )
        };
        vec![finding(
            "F2",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_path_knows_the_common_licences_and_leaves_the_rest() {
        for (id, text) in COMMON {
            let hit = quick_identify(text).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(hit.0, *id);
            assert!(hit.1 > 0.99, "{id} {}", hit.1);
        }
        let with_header = format!("Copyright (c) 2026 Kommunen\n\n{}", COMMON[1].1);
        assert_eq!(
            quick_identify(&with_header).map(|h| h.0),
            Some("MIT".to_owned())
        );
        assert_eq!(quick_identify("All rights reserved."), None);
        let two = format!("{}\n\n{}", COMMON[1].1, COMMON[2].1);
        assert_eq!(
            quick_identify(&two),
            None,
            "two licences need the full scan"
        );
    }

    fn spdx_text(id: &str) -> &'static str {
        spdx::text::LICENSE_TEXTS
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| *t)
            .unwrap_or_else(|| panic!("{id}"))
    }

    #[test]
    fn the_searched_store_is_a_bounded_share_of_the_spdx_list() {
        let searched_ids: Vec<&str> = spdx::text::LICENSE_TEXTS
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| searched(id))
            .collect();
        println!(
            "{} of {}",
            searched_ids.len(),
            spdx::text::LICENSE_TEXTS.len()
        );
        // The memory of the store grows with it: the OSI list and a few more, not the
        // ~700 texts of the whole SPDX list.
        assert!(
            (100..=200).contains(&searched_ids.len()),
            "{}",
            searched_ids.len()
        );
        for id in [
            "EUPL-1.2",
            "MPL-2.0",
            "GPL-3.0-only",
            "CC0-1.0",
            "CC-BY-NC-SA-4.0",
        ] {
            assert!(searched_ids.contains(&id), "{id}");
        }
        assert!(!searched_ids.contains(&"CC-BY-2.0"));
    }

    #[test]
    fn unusual_licences_are_found_without_the_full_store() {
        // Not among the common licences: the bounded store finds them.
        for id in ["Zlib", "MPL-1.1", "BSL-1.0", "CC-BY-NC-4.0"] {
            let text = spdx_text(id);
            assert_eq!(quick_identify(text), None, "{id} is not a common licence");
            let found = identify(text);
            assert_eq!(found.first().map(|f| f.0.as_str()), Some(id), "{found:?}");
        }
        // The candidates give what the whole searched set gives, also for files of
        // several licences and licences with a header.
        let texts = [
            spdx_text("Zlib").to_owned(),
            spdx_text("MPL-1.1").to_owned(),
            format!("{}\n\n{}", spdx_text("BSL-1.0"), spdx_text("MPL-1.1")),
            format!("{}\n\n{}", spdx_text("MIT"), spdx_text("Zlib")),
            format!("Copyright 2026 Kommunen\n\n{}", spdx_text("CC-BY-NC-4.0")),
        ];
        for text in &texts {
            let narrow = scan_with(text, &candidate_store(text));
            let all = scan_with(text, &candidate_store_of(text, usize::MAX, usize::MAX));
            let ids = |v: &[(String, f32)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&narrow), ids(&all), "{}", &text[..60]);
            assert!(!narrow.is_empty());
        }
        // A licence outside the searched set stays unidentified rather than loading
        // every SPDX text.
        assert!(!searched("Beerware"));
        assert!(searched("EUPL-1.2") && searched("CC-BY-NC-4.0") && searched("BUSL-1.1"));
    }
}
