//! The JSON that OS2's self-evaluation web form saves:
//! `{productName, filledBy, filledDate, generatedAt, krav: [{id, kategori, krav,
//! produktniveau, retningslinjer, efterlevet, dokumentation}]}`.

use niveau_model::{Answer, Registry, SelfEvaluation};
use serde_json::Value;

use super::{ImportError, ImportOptions, cells, checks, links, meta};
use crate::document::{Cell, DocumentKind, Generation, Metadata, Report, Row, Warning};

const KNOWN_TOP: &[&str] = &[
    "productName",
    "filledBy",
    "filledDate",
    "generatedAt",
    "krav",
];
const KNOWN_KRAV: &[&str] = &[
    "id",
    "kategori",
    "krav",
    "produktniveau",
    "retningslinjer",
    "efterlevet",
    "dokumentation",
];

fn warn(path: String, code: &str, da: String, en: String) -> Warning {
    Warning::at_path(path, code, da, en)
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Reads the form's JSON.
pub fn import(
    value: &Value,
    source: &str,
    registry: &Registry,
    opts: &ImportOptions,
) -> Result<Report, ImportError> {
    let model_id = opts.model.as_deref().unwrap_or("os2-1.1.0");
    let model = registry.get(model_id)?;
    let mut warnings = Vec::new();
    let Some(obj) = value.as_object() else {
        return Err(ImportError::NoRequirementTable {
            file: source.to_owned(),
        });
    };
    let mut metadata = Metadata::default();
    for (k, v) in obj {
        if !KNOWN_TOP.contains(&k.as_str()) {
            metadata.extra.push((k.clone(), as_text(v)));
            warnings.push(warn(
                k.clone(),
                "unknown-field",
                format!("Feltet «{k}» kendes ikke; værdien er gemt."),
                format!("The field “{k}” is not known; its value is kept."),
            ));
        }
    }
    let text = |key: &str| obj.get(key).map(as_text).filter(|s| !s.trim().is_empty());
    let product = text("productName");
    let filled_by = text("filledBy");
    if let Some(g) = text("generatedAt") {
        metadata.extra.push(("generatedAt".into(), g));
    }
    let mut date = None;
    if let Some(d) = text("filledDate") {
        match meta::parse_date(&d) {
            Ok(v) => date = v,
            Err(meta::NotADate) => warnings.push(warn(
                "filledDate".into(),
                "invalid-date",
                format!("Datoen «{d}» kan ikke læses; den er gemt som tekst."),
                format!("The date “{d}” cannot be read; it is kept as text."),
            )),
        }
        metadata.date_original = Some(d);
    }
    let Some(krav) = obj.get("krav").and_then(Value::as_array) else {
        return Err(ImportError::NoRequirementTable {
            file: source.to_owned(),
        });
    };
    let mut rows = Vec::new();
    for (i, item) in krav.iter().enumerate() {
        let path = format!("krav[{i}]");
        let Some(entry) = item.as_object() else {
            warnings.push(warn(
                path,
                "not-an-object",
                "Elementet er ikke et objekt; det er sprunget over.".into(),
                "The element is not an object; it is skipped.".into(),
            ));
            continue;
        };
        let mut cells = Vec::new();
        for key in KNOWN_KRAV {
            if let Some(v) = entry.get(*key) {
                cells.push(Cell {
                    header: (*key).to_owned(),
                    text: as_text(v),
                });
            }
        }
        for (k, v) in entry {
            if !KNOWN_KRAV.contains(&k.as_str()) {
                cells.push(Cell {
                    header: k.clone(),
                    text: as_text(v),
                });
                warnings.push(warn(
                    format!("{path}.{k}"),
                    "unknown-field",
                    format!("Feltet «{k}» kendes ikke; værdien er gemt."),
                    format!("The field “{k}” is not known; its value is kept."),
                ));
            }
        }
        let id = entry.get("id").map(as_text).unwrap_or_default();
        if !super::columns::is_requirement_id(&id) {
            warnings.push(warn(
                format!("{path}.id"),
                "row-without-id",
                format!("Elementet har intet krav-id («{id}»); det er sprunget over."),
                format!("The element has no requirement id (“{id}”); it is skipped."),
            ));
            continue;
        }
        rows.push(Row {
            line: i + 1,
            id_original: id,
            requirement: None,
            cells,
        });
    }
    let mut report = Report {
        source: source.to_owned(),
        kind: DocumentKind::SelfEvaluation,
        generation: Generation::SelfEvaluationForm,
        model: Report::model_ref(model),
        edition: None,
        metadata,
        self_evaluation: None,
        evaluation: None,
        rows,
        printed_counts: None,
        warnings: Vec::new(),
        findings: Vec::new(),
    };
    let resolved = checks::resolve_rows(model, &mut report);
    let mut answers = Vec::new();
    for (row, id) in report.rows.iter().zip(&resolved) {
        let Some(id) = id else { continue };
        let cell = |k: &str| {
            row.cells
                .iter()
                .find(|c| c.header == k)
                .map(|c| c.text.as_str())
        };
        let original = cell("efterlevet").map(str::to_owned);
        let value = cells::answer(original.as_deref().unwrap_or_default());
        let documentation = cell("dokumentation").and_then(cells::text);
        let evidence = documentation.as_deref().map(links).unwrap_or_default();
        answers.push(Answer {
            requirement: id.clone(),
            value,
            original,
            documentation,
            evidence,
        });
    }
    if product.is_none() {
        warnings.push(warn(
            "productName".into(),
            "missing-product",
            "Produktets navn mangler.".into(),
            "The product name is missing.".into(),
        ));
    }
    report.self_evaluation = Some(SelfEvaluation {
        model: report.model.clone(),
        product: product.unwrap_or_default(),
        date,
        filled_by,
        target_level: None,
        repository: None,
        answers,
    });
    checks::content(&mut report);
    // A JSON document has no lines: findings name the element of `krav` instead.
    for f in &mut report.findings {
        if let Some(n) = f.line.take() {
            f.path = Some(format!("krav[{}]", n.saturating_sub(1)));
        }
    }
    report.warnings = warnings;
    Ok(report)
}
