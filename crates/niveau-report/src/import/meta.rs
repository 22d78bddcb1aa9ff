//! Header fields, dates, product names and level statements.

use chrono::NaiveDate;
use niveau_model::{LevelId, Model};

use super::cells::{clean_label, is_template_hint, normalise_breaks, strip_autolinks, unescape};

/// What a labelled header field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Template version (of an evaluation template, or of a report without a more
    /// specific label).
    TemplateVersion,
    /// The version of the governance report a document follows ("Version for anvendt
    /// governancerapport"): a self-evaluation's template, or the report an evaluation
    /// was written on.
    ReportVersion,
    /// Date filled in.
    Date,
    /// Who filled in a self-evaluation.
    FilledBy,
    /// Who evaluated.
    EvaluatedBy,
    /// Link to the git organisation or repository.
    Repository,
    /// Link to the product's website.
    Website,
    /// The governance model id (written by Niveau for models other than os2-1.1.0).
    Model,
}

/// The field a label names, in Danish or English, as OS2's templates write them.
pub fn field_of(label: &str) -> Option<Field> {
    let l = clean_label(label).to_lowercase();
    let l = l.trim();
    let field = match l {
        "version for anvendt governancerapport" => Field::ReportVersion,
        "version for anvendt evalueringsskabelon"
        | "evalueringsskabelon version"
        | "evalueringsskabelon"
        | "skabelonversion"
        | "template version"
        | "version" => Field::TemplateVersion,
        "dato for udfyldelse" | "dato" | "date" | "udfyldt dato" | "date filled" => Field::Date,
        "udfyldt af" | "filled by" | "filled in by" | "filled out by" => Field::FilledBy,
        "evaluering lavet af"
        | "evalueret af"
        | "evaluering foretaget af"
        | "vurderet af"
        | "audit udført af"
        | "audit made by"
        | "audit by"
        | "evaluated by" => Field::EvaluatedBy,
        "link til git organisation"
        | "link til git-organisation"
        | "produktets github organisation"
        | "github organisation"
        | "git organisation"
        | "link til github"
        | "repository"
        | "repositorie" => Field::Repository,
        "os2 hjemmeside link" | "os2 website link" | "hjemmeside" | "website" => Field::Website,
        "governancemodel" | "styringsmodel" | "model" | "governance model" => Field::Model,
        _ => return None,
    };
    Some(field)
}

/// A `**Label:** value` line split into label and value, or `None` if the line is not
/// labelled that way. The value has `<br/>` and trailing spaces removed, autolinks'
/// angle brackets removed ([`strip_autolinks`]) and the writer's entities undone
/// ([`unescape`]).
pub fn labelled(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let rest = t.strip_prefix("**")?;
    let end = rest.find("**")?;
    let label = &rest[..end];
    let mut value = rest[end + 2..].trim_start();
    let label_has_colon = label.trim_end().ends_with(':');
    if !label_has_colon {
        value = value.strip_prefix(':')?;
    }
    let label = clean_label(label);
    if label.is_empty() || label.chars().count() > 80 {
        return None;
    }
    let value = unescape(&strip_autolinks(normalise_breaks(value).trim()));
    Some((label, value))
}

/// A header value, or `None` if it is empty or a template hint (`[Navn]`).
pub fn value_or_none(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || is_template_hint(v) {
        None
    } else {
        Some(v.to_owned())
    }
}

/// Text that is there but is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a date (dd-mm-yyyy or yyyy-mm-dd)")]
pub struct NotADate;

/// Parses a date as OS2's documents write it: `dd-mm-yyyy`, `yyyy-mm-dd`, `dd.mm.yyyy`,
/// `dd/mm/yyyy`, possibly in brackets. `Ok(None)` for an empty or placeholder date.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, NotADate> {
    let t = text
        .trim()
        .trim_matches(|c| c == '[' || c == ']' || c == '*')
        .trim();
    if t.is_empty() || t.eq_ignore_ascii_case("dd-mm-yyyy") {
        return Ok(None);
    }
    for fmt in ["%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return Ok(Some(d));
        }
    }
    Err(NotADate)
}

/// What a level statement says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelMention {
    /// A level of the model.
    Level(LevelId),
    /// A placeholder such as "niveau x".
    Placeholder,
}

/// The first level mentioned in `text` ("niveau 2", "Niveau 3", "**niveau 1**",
/// "sandkasse", "niveau x").
pub fn level_mention(model: &Model, text: &str) -> Option<LevelMention> {
    let lower = text.to_lowercase().replace(['*', '_'], "");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(['.', '!']);
        if (w == "sandkasse" || w == "sandkasseniveau")
            && let Some(l) = model.level("sandkasse")
        {
            return Some(LevelMention::Level(l.id.clone()));
        }
        if w == "niveau" || w == "level" {
            let Some(next) = words.get(i + 1) else {
                continue;
            };
            let next = next.trim_end_matches(['.', '!', '-']);
            if next == "x" || next == "[x]" || next == "?" {
                return Some(LevelMention::Placeholder);
            }
            if let Some(l) = model.level(next) {
                return Some(LevelMention::Level(l.id.clone()));
            }
        }
    }
    None
}

/// The product name in a title line (with the writer's entities undone, see
/// [`unescape`]), and whether it is marked as a draft. `None` for a template
/// placeholder or a guide heading.
pub fn product_from_title(title: &str) -> (Option<String>, bool) {
    let mut t = title.replace("**", "").replace('`', "");
    let mut draft = false;
    for marker in ["[KLADDE]", "(KLADDE)", "KLADDE:", "[Kladde]", "[DRAFT]"] {
        if t.contains(marker) {
            draft = true;
            t = t.replace(marker, "");
        }
    }
    let mut t = t.trim().to_owned();
    let lower = t.to_lowercase();
    const PREFIXES: &[&str] = &[
        "governancerapport for",
        "governance rapport for",
        "evaluering af os2-produkt:",
        "evaluering af os2-produktet:",
        "vurdering af os2-produktet:",
        "vurdering af os2-produkt:",
        "evaluering af",
        "selvevaluering for",
        "governance report for",
    ];
    for p in PREFIXES {
        if lower.starts_with(p) {
            t = t[p.len()..].trim().to_owned();
            break;
        }
    }
    let lower = t.to_lowercase();
    const SUFFIXES: &[&str] = &[
        "'s governance report",
        "’s governance report",
        " governance report",
        " - governancerapport",
        " – governancerapport",
        " governancerapport",
        " - governance rapport",
    ];
    for s in SUFFIXES {
        if lower.ends_with(s) {
            t = t[..t.len() - s.len()].trim().to_owned();
            break;
        }
    }
    let t = t
        .trim()
        .trim_matches(|c: char| c == ':' || c == '-' || c == '–')
        .trim();
    let lower = t.to_lowercase();
    let placeholder = t.is_empty()
        || is_template_hint(t)
        || lower.contains("indsæt navnet")
        || lower.starts_with("guide")
        || lower.starts_with("evaluering i henhold")
        || lower == "produktnavn";
    if placeholder {
        (None, draft)
    } else {
        (Some(unescape(t)), draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use niveau_model::Registry;

    #[test]
    fn labels_and_values() {
        assert_eq!(
            labelled("**Dato for udfyldelse:** 06-05-2026<br/>"),
            Some(("Dato for udfyldelse".into(), "06-05-2026".into()))
        );
        assert_eq!(
            labelled("**Audit made by:** [Name], [email]  "),
            Some(("Audit made by".into(), "[Name], [email]".into()))
        );
        assert_eq!(labelled("**RELEVANS**"), None);
        assert_eq!(
            labelled("**Link til Git organisation:** <https://github.com/OS2iot><br/>"),
            Some((
                "Link til Git organisation".into(),
                "https://github.com/OS2iot".into()
            ))
        );
        assert_eq!(field_of("Audit made by"), Some(Field::EvaluatedBy));
        assert_eq!(
            field_of("Evalueringsskabelon version"),
            Some(Field::TemplateVersion)
        );
        assert_eq!(
            field_of("Produktets GitHub organisation"),
            Some(Field::Repository)
        );
    }

    #[test]
    fn dates_in_both_orders_and_brackets() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 6);
        assert_eq!(parse_date("06-05-2026"), Ok(d));
        assert_eq!(parse_date("2026-05-06"), Ok(d));
        assert_eq!(parse_date("[06-05-2026]"), Ok(d));
        assert_eq!(parse_date("[dd-mm-yyyy]"), Ok(None));
        assert_eq!(parse_date("31-02-2026"), Err(NotADate));
    }

    #[test]
    fn levels_in_prose() {
        let reg = Registry::builtin().unwrap();
        let m = reg.get("os2-1.1.0").unwrap();
        let l = |t: &str| level_mention(m, t);
        assert_eq!(
            l("OS2loop har en målsætning om at efterleve: **Niveau 2.**"),
            Some(LevelMention::Level("2".into()))
        );
        assert_eq!(
            l("OS2iot er klassificeret som et niveau 3 produkt"),
            Some(LevelMention::Level("3".into()))
        );
        assert_eq!(l("Målet er niveau x"), Some(LevelMention::Placeholder));
        assert_eq!(l("niveauet af et OS2 produkt"), None);
    }

    #[test]
    fn product_names() {
        assert_eq!(
            product_from_title("Governancerapport for OS2BorgerPC"),
            (Some("OS2BorgerPC".into()), false)
        );
        assert_eq!(
            product_from_title("Vurdering af OS2-produktet: **OS2faktor**"),
            (Some("OS2faktor".into()), false)
        );
        assert_eq!(
            product_from_title("OS2iot's Governance Report"),
            (Some("OS2iot".into()), false)
        );
        assert_eq!(
            product_from_title("OS2loop - Governancerapport"),
            (Some("OS2loop".into()), false)
        );
        assert_eq!(
            product_from_title("Governancerapport for [produktnavn]"),
            (None, false)
        );
        assert_eq!(
            product_from_title("INDSÆT NAVNET PÅ PRODUKTET"),
            (None, false)
        );
        assert_eq!(
            product_from_title("[KLADDE] Governancerapport for OS2mo"),
            (Some("OS2mo".into()), true)
        );
    }
}
