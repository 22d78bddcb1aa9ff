//! Accessible SVG charts of evaluation ratings, and a shields-style level badge.
//!
//! Every function returns a complete, standalone SVG document as a `String`; nothing here
//! prints or reads anything.
//!
//! # Accessibility
//!
//! - The root element has `role="img"`. Charts are named by a `<title>` and described by a
//!   `<desc>` through `aria-labelledby="ID-title ID-desc"`; the description gives every
//!   number in words, so a screen reader gets the whole chart. The badge, a single line,
//!   carries `aria-label` and a `<title>`.
//! - Each slice or bar segment has its own `<title>`, which browsers show as a tooltip.
//! - A legend lists every rating in OS2's order (Grøn, Gul, Rød, Grå) with its count and
//!   percentage as text, so the chart reads without colour. Legend squares have a 1px
//!   dark outline, so yellow on white stays visible.
//! - Text is dark (`#1a1a1a`) on a white background. A count on a coloured bar segment
//!   is white on green and dark on yellow, red and grey (black on red and grey, where
//!   `#1a1a1a` would fall just short); every pair passes WCAG AA (4.5:1).
//! - Unrated requirements are not drawn, but the description and the legend name them.
//! - The root carries the document language (`lang="da"` or `lang="en"`).
//!
//! # Colours
//!
//! Fills use OS2's rating colours ([`rating_fill`]): Green `#008000`, Yellow `#FFFF00`,
//! Red `#FF0000`, Grey `#808080`.
//!
//! # Ids
//!
//! SVG ids are global in an HTML page, so each chart gets its own. By default they are
//! derived from the content: a slug of the title (for [`pie`]) or a fixed word (for the
//! other charts), plus eight hex digits of an FNV-1a hash of the title and the description
//! (which holds every number). The ids are stable: the same input always gives the same
//! SVG, which keeps snapshots and caches useful. Two *identical* charts on one page get the
//! same ids; they describe the same content, but a page that shows the same pie twice
//! should give each its own prefix with [`pie_with_id`].
//!
//! # Text widths
//!
//! SVG cannot measure text without a font engine, so widths are estimated from the
//! characters, by classes of characters with an average width each. The estimate is tuned
//! for Verdana, which the charts ask for first and which is one of the widest common
//! sans-serif fonts, so a fallback font usually takes a little less room than reserved.

use std::fmt::Write as _;

use niveau_model::{CountTables, Counts, Model, Rating};

use crate::lang::Lang;
use crate::text::escape_xml;

/// Dark text colour, 17.4:1 on white.
const TEXT: &str = "#1a1a1a";
/// Background of the charts.
const BACKGROUND: &str = "#ffffff";
/// Font list of the charts and the badge (Verdana first, like shields.io).
const FONT: &str = "Verdana, Geneva, 'DejaVu Sans', sans-serif";
/// The SVG namespace.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// OS2's fill colour for a rating: Green `#008000`, Yellow `#FFFF00`, Red `#FF0000`, Grey
/// `#808080`.
pub fn rating_fill(rating: Rating) -> &'static str {
    match rating {
        Rating::Green => "#008000",
        Rating::Yellow => "#FFFF00",
        Rating::Red => "#FF0000",
        Rating::Grey => "#808080",
    }
}

/// The text colour for a label drawn on a rating's fill: white where white contrasts more
/// than black, else dark (`#1a1a1a`, or black where `#1a1a1a` would fall below WCAG AA's
/// 4.5:1). Contrast ratios (WCAG): white on green 5.1:1, `#1a1a1a` on yellow 16.2:1, black
/// on red 5.3:1 (white would be 4.0:1, `#1a1a1a` 4.4:1), black on grey 5.3:1 (white would
/// be 4.0:1, `#1a1a1a` 4.4:1).
fn text_on(rating: Rating) -> &'static str {
    match rating {
        Rating::Green => "#ffffff",
        Rating::Yellow => TEXT,
        Rating::Red | Rating::Grey => "#000000",
    }
}

/// The rating's name in the language, without symbol (Grøn / Green).
fn label(rating: Rating, lang: Lang) -> &'static str {
    match lang {
        Lang::Da => rating.label_da(),
        Lang::En => rating.label_en(),
    }
}

// ----------------------------------------------------------------------------------------
// Small helpers
// ----------------------------------------------------------------------------------------

/// A coordinate with at most two decimals and no trailing zeros (`12.5`, `40`, never `-0`).
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// `part` of `whole` in whole percent, rounded half up; `None` when `whole` is 0.
fn percent(part: u32, whole: u32) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u64::from(part), u64::from(whole));
    u32::try_from((200 * part + whole) / (2 * whole)).ok()
}

/// A percentage as written in the language: `67 %` in Danish, `67%` in English.
fn percent_text(p: u32, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("{p} %"),
        Lang::En => format!("{p}%"),
    }
}

/// "19 krav" / "19 requirements" (or "1 requirement").
fn requirements_text(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Da, _) => format!("{n} krav"),
        (Lang::En, 1) => "1 requirement".to_owned(),
        (Lang::En, _) => format!("{n} requirements"),
    }
}

/// Estimated width in px of `text` set in Verdana at `font_size` px (regular weight; bold
/// is about 15 % wider). Per character, in em: 0.35 for narrow glyphs (`i j l t f r I`,
/// space and most punctuation), 0.95 for wide ones (`m w M W % @ æ Æ`), 0.72 for other
/// capitals, 0.64 for digits, 0.6 for other letters, and 1.0 for anything outside Latin-1
/// (symbols, emoji). No kerning. For the lower-case words and digits of these charts the
/// estimate is within a few percent of Verdana's real advance widths.
fn text_width(text: &str, font_size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 't' | 'f' | 'r' | 'I' | ' ' | '.' | ',' | ':' | ';' | '\'' | '!'
            | '|' | '(' | ')' | '[' | ']' | '-' | '·' => 0.35,
            'm' | 'w' | 'M' | 'W' | '%' | '@' | 'æ' | 'Æ' => 0.95,
            '0'..='9' => 0.64,
            c if c.is_uppercase() && u32::from(c) < 0x100 => 0.72,
            c if u32::from(c) < 0x100 => 0.6,
            _ => 1.0,
        })
        .sum();
    em * font_size
}

/// A lower-case ASCII slug of at most `max` characters: letters and digits kept (æ ø å as
/// ae oe aa), every other run of characters one hyphen, no hyphen at either end.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let piece = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            c if c.is_ascii_alphanumeric() => {
                if hyphen && !out.is_empty() {
                    out.push('-');
                }
                hyphen = false;
                out.push(c);
                continue;
            }
            _ => {
                hyphen = true;
                continue;
            }
        };
        if hyphen && !out.is_empty() {
            out.push('-');
        }
        hyphen = false;
        out.push_str(piece);
    }
    out.truncate(max);
    out.trim_end_matches('-').to_owned()
}

/// Eight hex digits of a 64-bit FNV-1a hash of the parts (folded to 32 bits). FNV is used
/// rather than `std`'s hasher because its output is fixed across Rust versions and
/// platforms, so ids stay stable.
fn short_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // 0xff never occurs in UTF-8, so it separates the parts unambiguously.
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", (h ^ (h >> 32)) & 0xffff_ffff)
}

/// A valid XML id from a caller's prefix: its slug, with `id-` in front when it does not
/// start with a letter.
fn xml_id(prefix: &str) -> String {
    let s = slug(prefix, 48);
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s
    } else {
        format!("id-{s}")
    }
}

/// The point at `deg` degrees clockwise from 12 o'clock on a circle.
fn point(cx: f64, cy: f64, r: f64, deg: f64) -> (f64, f64) {
    let rad = deg.to_radians();
    (cx + r * rad.sin(), cy - r * rad.cos())
}

/// Path data of a pie slice from `start` to `end` degrees (clockwise from 12 o'clock),
/// `end - start` below 360: centre, line to the start point, arc to the end point, close.
fn arc_path(cx: f64, cy: f64, r: f64, start: f64, end: f64) -> String {
    let (x0, y0) = point(cx, cy, r, start);
    let (x1, y1) = point(cx, cy, r, end);
    // Exactly half a circle (up to rounding) takes the small-arc flag; either would do.
    let large = u8::from(end - start > 180.0 + 1e-9);
    format!(
        "M{} {} L{} {} A{} {} 0 {large} 1 {} {} Z",
        num(cx),
        num(cy),
        num(x0),
        num(y0),
        num(r),
        num(r),
        num(x1),
        num(y1),
    )
}

// ----------------------------------------------------------------------------------------
// Texts shared by the charts
// ----------------------------------------------------------------------------------------

/// "Grøn 29 (67 %)"; without a percentage ("Grøn 0") when nothing is rated.
fn legend_entry(rating: Rating, counts: &Counts, lang: Lang) -> String {
    let n = counts.get(rating);
    match percent(n, counts.rated()) {
        Some(p) => format!("{} {n} ({})", label(rating, lang), percent_text(p, lang)),
        None => format!("{} {n}", label(rating, lang)),
    }
}

/// The legend line of unrated requirements: "Ikke vurderet 3" / "Not rated 3".
fn unrated_entry(counts: &Counts, lang: Lang) -> String {
    format!(
        "{} {}",
        lang.pick("Ikke vurderet", "Not rated"),
        counts.unrated
    )
}

/// "ingen vurderinger" / "no ratings".
fn no_ratings(lang: Lang) -> &'static str {
    lang.pick("ingen vurderinger", "no ratings")
}

/// Every number of `counts` in words: "Grøn 9 (47 %), Gul 0 (0 %), Rød 10 (53 %), Grå 0
/// (0 %)", plus "; ikke vurderet 3" when some are unrated; "ingen vurderinger" when
/// nothing is rated.
fn counts_phrase(counts: &Counts, lang: Lang) -> String {
    let mut s = if counts.rated() == 0 {
        no_ratings(lang).to_owned()
    } else {
        Rating::ALL
            .iter()
            .map(|&r| legend_entry(r, counts, lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if counts.unrated > 0 {
        let _ = write!(
            s,
            "; {} {}",
            lang.pick("ikke vurderet", "not rated"),
            counts.unrated
        );
    }
    s
}

/// The first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "Rød: 10 af 19 (53 %)" / "Red: 10 of 19 (53%)".
fn part_title(rating: Rating, n: u32, of: u32, lang: Lang) -> String {
    let p = percent(n, of).unwrap_or(0);
    format!(
        "{}: {n} {} {of} ({})",
        label(rating, lang),
        lang.pick("af", "of"),
        percent_text(p, lang)
    )
}

/// The opening tag of a chart's root with its `<title>` and `<desc>`, and a white
/// background.
fn open_chart(
    out: &mut String,
    id: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
    lang: Lang,
) {
    let (w, h) = (num(width), num(height));
    let _ = writeln!(
        out,
        r#"<svg xmlns="{SVG_NS}" lang="{lang}" role="img" aria-labelledby="{id}-title {id}-desc" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#,
        lang = lang.code(),
    );
    let _ = writeln!(
        out,
        r#"<title id="{id}-title">{}</title>"#,
        escape_xml(title)
    );
    let _ = writeln!(out, r#"<desc id="{id}-desc">{}</desc>"#, escape_xml(desc));
    let _ = writeln!(
        out,
        r#"<rect width="{w}" height="{h}" fill="{BACKGROUND}"/>"#
    );
}

/// A visible heading.
fn heading(out: &mut String, x: f64, y: f64, size: f64, text: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{TEXT}">{}</text>"#,
        num(x),
        num(y),
        num(size),
        escape_xml(text)
    );
}

/// A legend square: the rating's fill with a 1px dark outline.
fn legend_square(out: &mut String, x: f64, y: f64, rating: Rating) {
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="{TEXT}" stroke-width="1"/>"#,
        num(x),
        num(y),
        rating_fill(rating)
    );
}

// ----------------------------------------------------------------------------------------
// Pies
// ----------------------------------------------------------------------------------------

/// Height of one pie with its heading and legend.
const PIE_CELL_H: f64 = 200.0;
const PIE_CX: f64 = 92.0;
const PIE_CY: f64 = 116.0;
const PIE_R: f64 = 70.0;
const LEGEND_X: f64 = 186.0;
const LEGEND_Y: f64 = 72.0;
const LEGEND_STEP: f64 = 26.0;
const HEADING_SIZE: f64 = 15.0;
const LEGEND_SIZE: f64 = 13.0;
/// Bold text is about this much wider than regular.
const BOLD: f64 = 1.15;

/// Width one pie with its heading and legend needs.
fn pie_cell_width(title: &str, counts: &Counts, lang: Lang) -> f64 {
    let legend = Rating::ALL
        .iter()
        .map(|&r| legend_entry(r, counts, lang))
        .chain((counts.unrated > 0).then(|| unrated_entry(counts, lang)))
        .map(|t| text_width(&t, LEGEND_SIZE))
        .fold(0.0, f64::max);
    let legend_end = LEGEND_X + 22.0 + legend + 16.0;
    let heading_end = 16.0 + text_width(title, HEADING_SIZE) * BOLD + 16.0;
    legend_end.max(heading_end).ceil()
}

/// One pie with its heading and legend, in its own coordinates (0,0 top left).
fn pie_cell(out: &mut String, title: &str, counts: &Counts, lang: Lang) {
    heading(out, 16.0, 26.0, HEADING_SIZE, title);
    pie_slices(out, counts, lang);
    for (i, &rating) in Rating::ALL.iter().enumerate() {
        let y = LEGEND_Y + LEGEND_STEP * i as f64;
        legend_square(out, LEGEND_X, y - 11.0, rating);
        legend_text(out, y, &legend_entry(rating, counts, lang));
    }
    if counts.unrated > 0 {
        let y = LEGEND_Y + LEGEND_STEP * 4.0;
        legend_text(out, y, &unrated_entry(counts, lang));
    }
}

fn legend_text(out: &mut String, y: f64, text: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" fill="{TEXT}">{}</text>"#,
        num(LEGEND_X + 22.0),
        num(y),
        num(LEGEND_SIZE),
        escape_xml(text)
    );
}

/// The slices: one `<path>` per non-zero rating, clockwise from 12 o'clock in OS2's order;
/// a filled `<circle>` when only one rating occurs (an arc of 360° does not render); a grey
/// outline with "ingen vurderinger" when nothing is rated.
fn pie_slices(out: &mut String, counts: &Counts, lang: Lang) {
    let (cx, cy, r) = (num(PIE_CX), num(PIE_CY), num(PIE_R));
    let rated = counts.rated();
    if rated == 0 {
        let _ = writeln!(
            out,
            r##"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{BACKGROUND}" stroke="{}" stroke-width="2"/>"##,
            rating_fill(Rating::Grey)
        );
        let _ = writeln!(
            out,
            r#"<text x="{cx}" y="{}" font-size="13" text-anchor="middle" fill="{TEXT}">{}</text>"#,
            num(PIE_CY + 4.5),
            escape_xml(no_ratings(lang))
        );
        return;
    }
    let present: Vec<Rating> = Rating::ALL
        .into_iter()
        .filter(|&rt| counts.get(rt) > 0)
        .collect();
    if let [only] = present.as_slice() {
        let _ = writeln!(
            out,
            r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{}"><title>{}</title></circle>"#,
            rating_fill(*only),
            escape_xml(&part_title(*only, rated, rated, lang))
        );
        return;
    }
    let mut done = 0u32;
    for rating in present {
        let n = counts.get(rating);
        let start = 360.0 * f64::from(done) / f64::from(rated);
        done += n;
        let end = 360.0 * f64::from(done) / f64::from(rated);
        let _ = writeln!(
            out,
            r#"<path d="{}" fill="{}" stroke="{BACKGROUND}" stroke-width="1.5" stroke-linejoin="round"><title>{}</title></path>"#,
            arc_path(PIE_CX, PIE_CY, PIE_R, start, end),
            rating_fill(rating),
            escape_xml(&part_title(rating, n, rated, lang))
        );
    }
}

/// One pie chart of one level (or of the total), as a standalone SVG: a heading, the pie,
/// and a legend with counts and percentages (of the rated requirements, whole numbers,
/// rounded half up).
///
/// `title` names the chart, e.g. "Niveau 2 (19 krav)"; it is the `<title>` and the visible
/// heading (a blank title becomes "Vurderinger" / "Ratings"). The `<desc>` lists every
/// rating with count and percentage, e.g. "Grøn 9 (47 %), Gul 0 (0 %), Rød 10 (53 %), Grå 0
/// (0 %).", or says "Ingen vurderinger." Unrated requirements are mentioned in the
/// description and the legend, but not drawn.
///
/// Ids are `pie-SLUG-HASH`, from the title and the numbers (see the [module
/// documentation](self)); use [`pie_with_id`] to choose them.
pub fn pie(title: &str, counts: &Counts, lang: Lang) -> String {
    let title = pie_title(title, lang);
    let desc = pie_descape_xml(counts, lang);
    let hash = short_hash(&[title, &desc]);
    let id = match slug(title, 32) {
        s if s.is_empty() => format!("pie-{hash}"),
        s => format!("pie-{s}-{hash}"),
    };
    render_pie(&id, title, &desc, counts, lang)
}

/// [`pie`] with ids chosen by the caller: `PREFIX-title` and `PREFIX-desc`. The prefix is
/// made a valid XML id: lower-case ASCII letters, digits and hyphens (æ ø å as ae oe aa),
/// with `id-` in front if it does not start with a letter.
pub fn pie_with_id(id_prefix: &str, title: &str, counts: &Counts, lang: Lang) -> String {
    let title = pie_title(title, lang);
    let desc = pie_descape_xml(counts, lang);
    render_pie(&xml_id(id_prefix), title, &desc, counts, lang)
}

/// The title, or "Vurderinger" / "Ratings" for a blank one: a chart without a name is
/// invisible to a screen reader.
fn pie_title(title: &str, lang: Lang) -> &str {
    if title.trim().is_empty() {
        lang.pick("Vurderinger", "Ratings")
    } else {
        title
    }
}

fn pie_descape_xml(counts: &Counts, lang: Lang) -> String {
    format!("{}.", capitalise(&counts_phrase(counts, lang)))
}

fn render_pie(id: &str, title: &str, desc: &str, counts: &Counts, lang: Lang) -> String {
    let mut out = String::new();
    let width = pie_cell_width(title, counts, lang);
    open_chart(&mut out, id, width, PIE_CELL_H, title, desc, lang);
    pie_cell(&mut out, title, counts, lang);
    out.push_str("</svg>\n");
    out
}

/// Number of pies side by side in [`level_pies`].
const PIE_COLUMNS: usize = 2;
/// Space above the grid of pies, for the heading.
const GRID_TOP: f64 = 44.0;

/// One SVG with a pie per level of the model, in the model's level order, and a pie of the
/// total, laid out in a grid of two columns.
///
/// Each pie's title is the level's name and its number of requirements, "Sandkasse (6
/// krav)", and the total's is "Samlet (43 krav)" / "Total (43 requirements)". The document
/// has one `<title>` ("Vurderinger pr. niveau – MODEL NAME") and a `<desc>` with every
/// pie's numbers. Each pie is a `<g role="img">` whose `aria-label` is its title and numbers,
/// for tools that address the pies one by one (ARIA makes the children of an image
/// presentational, so screen readers rely on the document's `<desc>`, which says it all).
pub fn level_pies(model: &Model, tables: &CountTables, lang: Lang) -> String {
    let mut pies: Vec<(String, String, &Counts)> = tables
        .by_level
        .iter()
        .map(|(level_id, counts)| {
            let name = model
                .level(level_id.as_str())
                .map_or(level_id.as_str(), |l| l.name.as_str());
            let n = model.requirements_at(level_id).count();
            let title = format!("{name} ({})", requirements_text(n, lang));
            (
                format!("level-{}", slug(level_id.as_str(), 24)),
                title,
                counts,
            )
        })
        .collect();
    // Level ids are unique, but two could still give the same slug.
    let mut seen = std::collections::HashSet::new();
    for (i, (key, _, _)) in pies.iter_mut().enumerate() {
        if !seen.insert(key.clone()) {
            let _ = write!(key, "-{i}");
            seen.insert(key.clone());
        }
    }
    let total_title = format!(
        "{} ({})",
        lang.pick("Samlet", "Total"),
        requirements_text(model.requirements().len(), lang)
    );
    pies.push(("total".to_owned(), total_title, &tables.total));

    let title = format!(
        "{} – {}",
        lang.pick("Vurderinger pr. niveau", "Ratings by level"),
        model.name()
    );
    let desc = pies
        .iter()
        .map(|(_, t, c)| format!("{t}: {}.", counts_phrase(c, lang)))
        .collect::<Vec<_>>()
        .join(" ");
    let id = format!("level-pies-{}", short_hash(&[&title, &desc]));

    let cell_w = pies
        .iter()
        .map(|(_, t, c)| pie_cell_width(t, c, lang))
        .fold(0.0, f64::max);
    let rows = pies.len().div_ceil(PIE_COLUMNS);
    let width = (cell_w * PIE_COLUMNS as f64).max(32.0 + text_width(&title, 18.0) * BOLD);
    let height = GRID_TOP + PIE_CELL_H * rows as f64;

    let mut out = String::new();
    open_chart(&mut out, &id, width, height, &title, &desc, lang);
    heading(&mut out, 16.0, 30.0, 18.0, &title);
    for (i, (key, t, counts)) in pies.iter().enumerate() {
        let x = cell_w * (i % PIE_COLUMNS) as f64;
        let y = GRID_TOP + PIE_CELL_H * (i / PIE_COLUMNS) as f64;
        let _ = writeln!(
            out,
            r#"<g id="{id}-{key}" transform="translate({} {})" role="img" aria-label="{}">"#,
            num(x),
            num(y),
            escape_xml(&format!("{t}: {}", counts_phrase(counts, lang)))
        );
        pie_cell(&mut out, t, counts, lang);
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

// ----------------------------------------------------------------------------------------
// Bars
// ----------------------------------------------------------------------------------------

const BAR_TOP: f64 = 52.0;
const BAR_STEP: f64 = 40.0;
const BAR_H: f64 = 24.0;
/// Width of the bar of the theme with the most requirements.
const BAR_MAX_W: f64 = 360.0;
const BAR_LABEL_SIZE: f64 = 13.0;
const SEGMENT_SIZE: f64 = 12.0;

/// "3 grøn · 1 grå" (zero counts left out), "ingen vurderinger", plus "· 2 ikke vurderet".
fn bar_totals(counts: &Counts, lang: Lang) -> String {
    let mut parts: Vec<String> = Rating::ALL
        .iter()
        .filter(|&&r| counts.get(r) > 0)
        .map(|&r| format!("{} {}", counts.get(r), label(r, lang).to_lowercase()))
        .collect();
    if parts.is_empty() {
        parts.push(no_ratings(lang).to_owned());
    }
    if counts.unrated > 0 {
        parts.push(format!(
            "{} {}",
            counts.unrated,
            lang.pick("ikke vurderet", "not rated")
        ));
    }
    parts.join(" · ")
}

/// Horizontal stacked bars, one per theme of the table, in the model's theme order.
///
/// Each bar has the theme's name on its left and segments Green, Yellow, Red, Grey whose
/// lengths are proportional to the counts, on one scale for all bars (the theme with the
/// most requirements fills the full width; unrated requirements are not drawn). Each
/// segment has a `<title>` ("Formkrav – Rød: 8 af 20 (40 %)") and, where it is wide enough,
/// its count on it. After each bar its totals in words ("3 grøn · 1 grå"), since emoji
/// fonts vary. A legend follows the bars. The `<desc>` gives every theme's numbers.
pub fn theme_bars(model: &Model, tables: &CountTables, lang: Lang) -> String {
    // (theme name, number of requirements, counts)
    let rows: Vec<(&str, usize, &Counts)> = tables
        .by_theme
        .iter()
        .map(|row| {
            let name = model
                .theme(row.theme.as_str())
                .map_or(row.theme.as_str(), |t| t.name.as_str());
            (name, model.requirements_in(&row.theme).count(), &row.total)
        })
        .collect();

    let title = format!(
        "{} – {}",
        lang.pick("Vurderinger pr. tema", "Ratings by theme"),
        model.name()
    );
    let desc = rows
        .iter()
        .map(|(name, n, c)| {
            let n = requirements_text(*n, lang);
            format!("{name} ({n}): {}.", counts_phrase(c, lang))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let id = format!("theme-bars-{}", short_hash(&[&title, &desc]));

    let label_w = rows
        .iter()
        .map(|(name, _, _)| text_width(name, BAR_LABEL_SIZE))
        .fold(0.0, f64::max);
    let bar_x = (16.0 + label_w + 12.0).ceil();
    let most = rows
        .iter()
        .map(|(_, _, c)| c.requirements())
        .max()
        .unwrap_or(0);
    let scale = if most == 0 {
        0.0
    } else {
        BAR_MAX_W / f64::from(most)
    };
    let legend_y = BAR_TOP + BAR_STEP * rows.len() as f64 + 4.0;
    let legend_w: f64 = Rating::ALL
        .iter()
        .map(|&r| 20.0 + text_width(label(r, lang), BAR_LABEL_SIZE) + 20.0)
        .sum();
    let bars_end = rows
        .iter()
        .map(|(_, _, c)| {
            bar_x
                + scale * f64::from(c.rated())
                + 8.0
                + text_width(&bar_totals(c, lang), BAR_LABEL_SIZE)
        })
        .fold(0.0, f64::max);
    let width = (bars_end + 16.0)
        .max(16.0 + legend_w + 16.0)
        .max(32.0 + text_width(&title, 18.0) * BOLD)
        .ceil();
    let height = legend_y + 14.0 + 16.0;

    let mut out = String::new();
    open_chart(&mut out, &id, width, height, &title, &desc, lang);
    heading(&mut out, 16.0, 30.0, 18.0, &title);
    for (i, (name, _, counts)) in rows.iter().enumerate() {
        let y = BAR_TOP + BAR_STEP * i as f64;
        let baseline = num(y + BAR_H / 2.0 + 4.5);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{baseline}" font-size="{}" text-anchor="end" fill="{TEXT}">{}</text>"#,
            num(bar_x - 12.0),
            num(BAR_LABEL_SIZE),
            escape_xml(name)
        );
        let rated = counts.rated();
        let mut x = bar_x;
        for rating in Rating::ALL {
            let n = counts.get(rating);
            if n == 0 {
                continue;
            }
            let w = scale * f64::from(n);
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{BACKGROUND}" stroke-width="1"><title>{}</title></rect>"#,
                num(x),
                num(y),
                num(w),
                num(BAR_H),
                rating_fill(rating),
                escape_xml(&format!("{name} – {}", part_title(rating, n, rated, lang)))
            );
            let count = n.to_string();
            if w >= text_width(&count, SEGMENT_SIZE) + 6.0 {
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}" pointer-events="none">{count}</text>"#,
                    num(x + w / 2.0),
                    num(y + BAR_H / 2.0 + 4.0),
                    num(SEGMENT_SIZE),
                    text_on(rating)
                );
            }
            x += w;
        }
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{baseline}" font-size="{}" fill="{TEXT}">{}</text>"#,
            num(x + 8.0),
            num(BAR_LABEL_SIZE),
            escape_xml(&bar_totals(counts, lang))
        );
    }
    let mut x = 16.0;
    for rating in Rating::ALL {
        legend_square(&mut out, x, legend_y, rating);
        let name = label(rating, lang);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{TEXT}">{}</text>"#,
            num(x + 20.0),
            num(legend_y + 11.5),
            num(BAR_LABEL_SIZE),
            escape_xml(name)
        );
        x += 20.0 + text_width(name, BAR_LABEL_SIZE) + 20.0;
    }
    out.push_str("</svg>\n");
    out
}

// ----------------------------------------------------------------------------------------
// Badge
// ----------------------------------------------------------------------------------------

const BADGE_LEFT: &str = "#555";
const BADGE_GREY: &str = "#9f9f9f";
const BADGE_FONT_SIZE: f64 = 11.0;
/// Space on either side of a badge text.
const BADGE_PAD: f64 = 5.0;

/// The badge colour of a level label: sandkasse (also `0`, `sandbox`) `#9f9f9f`, `1`
/// `#dfb317`, `2` `#97ca00`, `3` `#4c1`, anything else `#9f9f9f`. "Niveau 2" and "level 2"
/// count as `2`.
fn badge_colour(level_label: &str) -> &'static str {
    let key = level_label.trim().to_lowercase();
    let key = key
        .strip_prefix("niveau")
        .or_else(|| key.strip_prefix("level"))
        .map_or(key.as_str(), str::trim);
    match key {
        "1" => "#dfb317",
        "2" => "#97ca00",
        "3" => "#4c1",
        _ => BADGE_GREY,
    }
}

/// A shields.io-style flat badge: "OS2 niveau" ("OS2 level") in white on `#555`, then the
/// level label ("2", "sandkasse", …) or "ikke vurderet" ("not rated") for `None`, on the
/// level's colour: sandkasse `#9f9f9f`, 1 `#dfb317`, 2 `#97ca00`, 3 `#4c1`, unknown
/// `#9f9f9f`.
///
/// 20px high with corners rounded 3px, like shields. The width of each part is the
/// estimated text width (Verdana 11px, from character classes; see the
/// [module documentation](self)), rounded to whole px, plus 5px on
/// either side, and each text is fitted to its estimate with `textLength`, so an estimate
/// that is a little off only changes the letter spacing slightly. Unlike shields, the label
/// on the coloured part is dark (`#1a1a1a`), not white: white on these light colours has a
/// contrast of 2–2.7:1, dark text 6.6–8.9:1.
///
/// The badge has `role="img"`, `aria-label="OS2 niveau: 2"` and the same `<title>`. Its two
/// ids (gradient and clip path) are `os2-badge-HASH-…`, from the texts and colour.
pub fn level_badge(level_label: Option<&str>, lang: Lang) -> String {
    let left = lang.pick("OS2 niveau", "OS2 level");
    let (right, colour) = match level_label.map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => (l, badge_colour(l)),
        None => (lang.pick("ikke vurderet", "not rated"), BADGE_GREY),
    };
    let name = format!("{left}: {right}");
    let id = format!("os2-badge-{}", short_hash(&[&name, colour]));

    let left_text = text_width(left, BADGE_FONT_SIZE).round();
    let right_text = text_width(right, BADGE_FONT_SIZE).round();
    let left_w = left_text + 2.0 * BADGE_PAD;
    let right_w = right_text + 2.0 * BADGE_PAD;
    let width = left_w + right_w;
    let (lw, rw, w) = (num(left_w), num(right_w), num(width));
    let (lx, rx) = (num(left_w / 2.0), num(left_w + right_w / 2.0));
    let (lt, rt) = (num(left_text), num(right_text));
    let (left, right, name) = (escape_xml(left), escape_xml(right), escape_xml(&name));

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="{SVG_NS}" lang="{lang}" width="{w}" height="20" viewBox="0 0 {w} 20" role="img" aria-label="{name}">"#,
        lang = lang.code()
    );
    let _ = writeln!(out, "<title>{name}</title>");
    let _ = writeln!(
        out,
        r##"<linearGradient id="{id}-s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>"##
    );
    let _ = writeln!(
        out,
        r##"<clipPath id="{id}-r"><rect width="{w}" height="20" rx="3" fill="#fff"/></clipPath>"##
    );
    let _ = writeln!(
        out,
        r##"<g clip-path="url(#{id}-r)"><rect width="{lw}" height="20" fill="{BADGE_LEFT}"/><rect x="{lw}" width="{rw}" height="20" fill="{colour}"/><rect width="{w}" height="20" fill="url(#{id}-s)"/></g>"##
    );
    let _ = writeln!(
        out,
        r#"<g text-anchor="middle" font-family="{FONT}" text-rendering="geometricPrecision" font-size="{}">"#,
        num(BADGE_FONT_SIZE)
    );
    let _ = writeln!(
        out,
        r##"<text aria-hidden="true" x="{lx}" y="15" fill="#010101" fill-opacity=".3" textLength="{lt}">{left}</text>"##
    );
    let _ = writeln!(
        out,
        r##"<text x="{lx}" y="14" fill="#fff" textLength="{lt}">{left}</text>"##
    );
    let _ = writeln!(
        out,
        r##"<text aria-hidden="true" x="{rx}" y="15" fill="#ccc" fill-opacity=".3" textLength="{rt}">{right}</text>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{rx}" y="14" fill="{TEXT}" textLength="{rt}">{right}</text>"#
    );
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let hex = hex.trim_start_matches('#');
        // #rgb is short for #rrggbb.
        let hex: String = if hex.len() == 3 {
            hex.chars().flat_map(|c| [c, c]).collect()
        } else {
            hex.to_owned()
        };
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_on_every_fill_passes_wcag_aa() {
        for r in Rating::ALL {
            let c = contrast(text_on(r), rating_fill(r));
            assert!(c >= 4.5, "{r:?}: {c}");
            // White where white contrasts more than black, dark text elsewhere.
            let other = if text_on(r) == "#ffffff" {
                "#000000"
            } else {
                "#ffffff"
            };
            assert!(contrast(other, rating_fill(r)) < c, "{r:?}");
        }
        // On red and grey, #1a1a1a would not reach AA; hence black there.
        for r in [Rating::Red, Rating::Grey] {
            assert!(contrast(TEXT, rating_fill(r)) < 4.5, "{r:?}");
        }
        assert!(contrast(TEXT, BACKGROUND) >= 4.5);
        assert!(contrast("#ffffff", BADGE_LEFT) >= 4.5);
        for colour in [BADGE_GREY, "#dfb317", "#97ca00", "#4c1"] {
            assert!(contrast(TEXT, colour) >= 4.5, "{colour}");
        }
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(escape_xml(r#"a<&>"'b"#), "a&lt;&amp;&gt;&quot;&apos;b");
        assert_eq!(escape_xml("x\ny\u{1}"), "x&#10;y\u{fffd}");
    }

    #[test]
    fn formats_numbers_with_at_most_two_decimals() {
        assert_eq!(num(40.0), "40");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(99.999), "100");
    }

    #[test]
    fn rounds_percent_half_up() {
        assert_eq!(percent(29, 43), Some(67));
        assert_eq!(percent(10, 43), Some(23));
        assert_eq!(percent(4, 43), Some(9));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(1, 200), Some(1));
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn arcs() {
        assert_eq!(
            arc_path(100.0, 100.0, 50.0, 0.0, 90.0),
            "M100 100 L100 50 A50 50 0 0 1 150 100 Z"
        );
        assert_eq!(
            arc_path(100.0, 100.0, 50.0, 90.0, 360.0),
            "M100 100 L150 100 A50 50 0 1 1 100 50 Z"
        );
    }

    #[test]
    fn slugs_and_ids() {
        assert_eq!(slug("Niveau 2 (19 krav)", 32), "niveau-2-19-krav");
        assert_eq!(slug("Strategisk sammenhæng", 32), "strategisk-sammenhaeng");
        assert_eq!(slug("  <&>  ", 32), "");
        assert_eq!(slug("abc def", 4), "abc");
        assert_eq!(xml_id("2 pies"), "id-2-pies");
        assert_eq!(xml_id("Rød"), "roed");
        assert_eq!(short_hash(&["a", "b"]).len(), 8);
        assert_ne!(short_hash(&["ab", ""]), short_hash(&["a", "b"]));
    }

    #[test]
    fn badge_colours() {
        assert_eq!(badge_colour("Sandkasse"), BADGE_GREY);
        assert_eq!(badge_colour("1"), "#dfb317");
        assert_eq!(badge_colour("Niveau 2"), "#97ca00");
        assert_eq!(badge_colour("level 3"), "#4c1");
        assert_eq!(badge_colour("7"), BADGE_GREY);
    }
}
