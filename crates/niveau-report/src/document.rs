//! An imported (or newly created) OS2 governance document: the normalised data, every
//! original cell, and what the importer noticed.

use chrono::NaiveDate;
use niveau_model::{Evaluation, LevelId, Model, ModelRef, Ratings, RequirementId, SelfEvaluation};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
pub use niveau_model::Msg;

/// The schema id of a [`Report`] as JSON.
pub const REPORT_SCHEMA: &str = "niveau.report/1";

/// The schema id of `niveau report import --format json`: `{schema, report, assessment}`.
pub const IMPORT_SCHEMA: &str = "niveau.import/1";

/// Self-evaluation (governancerapport) or evaluation (evalueringsrapport).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The product's own claim.
    SelfEvaluation,
    /// The secretariat's judgment.
    Evaluation,
}

impl DocumentKind {
    /// Danish name.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DocumentKind::SelfEvaluation => lang.pick("selvevaluering", "self-evaluation"),
            DocumentKind::Evaluation => lang.pick("evaluering", "evaluation"),
        }
    }
}

/// The generation (template) a document was written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "version")]
pub enum Generation {
    /// The 2021 checklist: `<ul><li> [x] </li>` boxes, levels 0–3.
    Checklist2021,
    /// The 2023 checklist: bare `[x]` / `[]` boxes, levels 0–3.
    Checklist2023,
    /// The 2025 checklist: a 🔽 column with ✅ ❌ ➖ ❓.
    Checklist2025Emoji,
    /// The governance report 1.1.0 as OS2's form generator writes it (Efterlevet? /
    /// Dokumentation), or its blank template.
    GovernanceReport110,
    /// The JSON saved by OS2's self-evaluation web form.
    SelfEvaluationForm,
    /// An evaluation report; the template version as the document states it (0.9,
    /// 0.9.1, 0.9.2), or `unknown`.
    EvaluationReport(String),
}

impl Generation {
    /// A short name for people and tables.
    pub fn name(&self) -> String {
        match self {
            Generation::Checklist2021 => "tjekliste 2021".into(),
            Generation::Checklist2023 => "tjekliste 2023".into(),
            Generation::Checklist2025Emoji => "tjekliste 2025 (emoji)".into(),
            Generation::GovernanceReport110 => "governancerapport 1.1.0".into(),
            Generation::SelfEvaluationForm => "selvevalueringsformular (JSON)".into(),
            Generation::EvaluationReport(v) => format!("evalueringsrapport {v}"),
        }
    }
}

/// Something odd the importer recovered from: it names the line (or, for JSON, the path)
/// and says what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// 1-based line in the source, if it has lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Location in a JSON source, e.g. `krav[3].efterlevet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Stable kebab-case code, e.g. `missing-cell`.
    pub code: String,
    /// What happened.
    pub message: Msg,
}

impl Warning {
    /// A warning about a line of a text document.
    pub fn at_line(line: usize, code: &str, da: impl Into<String>, en: impl Into<String>) -> Self {
        Warning {
            line: Some(line),
            path: None,
            code: code.to_owned(),
            message: Msg::new(da, en),
        }
    }

    /// A warning about a field of a JSON document.
    pub fn at_path(
        path: impl Into<String>,
        code: &str,
        da: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Warning {
            line: None,
            path: Some(path.into()),
            code: code.to_owned(),
            message: Msg::new(da, en),
        }
    }
}

/// A consistency problem in the content (not in the syntax): counts that do not add up,
/// a requirement twice, an unknown id, a Grey without explanation, a Ja without
/// documentation, a requirement missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// 1-based line in the source, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Location in a JSON source, e.g. `krav[3]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The requirement concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<RequirementId>,
    /// Stable kebab-case code, e.g. `count-mismatch`.
    pub code: String,
    /// What is inconsistent.
    pub message: Msg,
}

/// One cell of a requirement row, exactly as written (trimmed), with its column header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// The column header as written (empty for a header-less column).
    pub header: String,
    /// The cell text as written, surrounding whitespace trimmed.
    pub text: String,
}

/// A requirement row of the source document, kept whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based line of the row (for JSON: the index in `krav`, 1-based).
    pub line: usize,
    /// The id as written.
    pub id_original: String,
    /// The model requirement it was read as, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<RequirementId>,
    /// Every cell as written.
    pub cells: Vec<Cell>,
}

/// Header fields of the document, with their original texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The title line (H1) as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The date exactly as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_original: Option<String>,
    /// Link to the product's website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The template version the document states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version: Option<String>,
    /// The sentence that states a claimed or target level, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_level_original: Option<String>,
    /// Marked as a draft (`[KLADDE]`).
    #[serde(default)]
    pub draft: bool,
    /// YAML front matter, verbatim (without the `---` lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_matter: Option<String>,
    /// Other labelled header fields: label and value as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
}

/// Counts printed in an evaluation's own summary tables, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedCounts {
    /// (table label, row label, column label, printed number, line).
    pub cells: Vec<PrintedCount>,
}

/// One printed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedCount {
    /// 1-based line.
    pub line: usize,
    /// The row: a level id, or `total`.
    pub level: String,
    /// The theme id for the theme table; `None` for the level table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The rating counted (`green` …) or `all` for an "I alt" column.
    pub rating: String,
    /// The number printed.
    pub value: u32,
}

/// An OS2 governance document as Niveau reads and writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Where it came from (file name), as given to the importer.
    pub source: String,
    /// Self-evaluation or evaluation.
    pub kind: DocumentKind,
    /// The template generation.
    pub generation: Generation,
    /// The model the requirements were read against.
    pub model: ModelRef,
    /// The model edition whose numbering the document uses (e.g. `2021`), if not the
    /// current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Header fields as written.
    pub metadata: Metadata,
    /// The product's answers (for a self-evaluation, or a self-evaluation with rating
    /// columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_evaluation: Option<SelfEvaluation>,
    /// The secretariat's ratings (for an evaluation, or rating columns in a
    /// self-evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
    /// Every requirement row as written.
    pub rows: Vec<Row>,
    /// Counts printed in the document's own summary tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_counts: Option<PrintedCounts>,
    /// What the importer recovered from.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Consistency problems in the content.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl Report {
    /// The product name, from the self-evaluation or evaluation.
    pub fn product(&self) -> &str {
        self.evaluation
            .as_ref()
            .map(|e| e.product.as_str())
            .or(self.self_evaluation.as_ref().map(|s| s.product.as_str()))
            .unwrap_or_default()
    }

    /// The date of the document.
    pub fn date(&self) -> Option<NaiveDate> {
        match self.kind {
            DocumentKind::Evaluation => self.evaluation.as_ref().and_then(|e| e.date),
            DocumentKind::SelfEvaluation => self.self_evaluation.as_ref().and_then(|s| s.date),
        }
    }

    /// The ratings the level engine reads: the evaluation's ratings if there are any.
    pub fn ratings(&self) -> Option<Ratings> {
        self.evaluation.as_ref().map(Evaluation::ratings)
    }

    /// The level the document claims or recommends (target level of a self-evaluation,
    /// recommended level of an evaluation).
    pub fn stated_level(&self) -> Option<&LevelId> {
        match self.kind {
            DocumentKind::Evaluation => self
                .evaluation
                .as_ref()
                .and_then(|e| e.recommended_level.as_ref()),
            DocumentKind::SelfEvaluation => self
                .self_evaluation
                .as_ref()
                .and_then(|s| s.target_level.as_ref()),
        }
    }

    /// The model reference for `model`.
    pub fn model_ref(model: &Model) -> ModelRef {
        ModelRef {
            id: model.id().clone(),
            version: model.version().to_owned(),
        }
    }
}
