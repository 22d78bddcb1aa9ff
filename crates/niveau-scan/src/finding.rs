//! What detectors report: findings with a proposed rating, a confidence and evidence;
//! and warnings about what could not be read.

use niveau_model::{Msg, Rating, RequirementId};
use serde::{Deserialize, Serialize};

/// Where a finding's evidence is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A file, optionally a line in it.
    File {
        /// Path from the repository root.
        path: String,
        /// 1-based line, if the evidence is a line.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<usize>,
    },
    /// A commit.
    Commit {
        /// Commit id (hex).
        id: String,
        /// Its first line.
        summary: String,
    },
    /// A measured or read value.
    Value {
        /// What it is, e.g. `commits_90_days`.
        name: String,
        /// The value.
        value: String,
    },
}

impl Evidence {
    /// A file as evidence.
    pub fn file(path: impl Into<String>) -> Self {
        Evidence::File {
            path: path.into(),
            line: None,
        }
    }

    /// A line of a file as evidence.
    pub fn line(path: impl Into<String>, line: usize) -> Self {
        Evidence::File {
            path: path.into(),
            line: Some(line),
        }
    }

    /// A value as evidence.
    pub fn value(name: impl Into<String>, value: impl ToString) -> Self {
        Evidence::Value {
            name: name.into(),
            value: value.to_string(),
        }
    }
}

/// A proposed rating of one requirement from a repository, for a person to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The requirement (in os2-1.1.0 ids; translated for other models).
    pub requirement: RequirementId,
    /// The detector that produced it.
    pub detector: String,
    /// The proposed rating.
    pub rating: Rating,
    /// How sure the detector is: 1 (a hint) to 5 (certain).
    pub confidence: u8,
    /// Where the evidence is.
    pub evidence: Vec<Evidence>,
    /// One sentence a coordinator understands, in Danish and English.
    pub explanation: Msg,
    /// The commit and date the finding rests on: HEAD by default, the last change of
    /// the document for findings about a document. Absent in reports from before it
    /// existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rests_on: Option<RestsOn>,
}

/// The commit (and its date) a finding rests on, so that a reader can tell how fresh
/// the evidence is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestsOn {
    /// Commit id (hex).
    pub commit: String,
    /// Commit time, seconds since the Unix epoch.
    pub time: i64,
    /// The same time as an ISO 8601 date (`YYYY-MM-DD`, UTC).
    pub date: String,
}

impl RestsOn {
    /// A commit at `time` (seconds since the Unix epoch).
    pub fn new(commit: impl Into<String>, time: i64) -> Self {
        let date = chrono::DateTime::from_timestamp(time, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        RestsOn {
            commit: commit.into(),
            time,
            date,
        }
    }
}

/// Something the scan could not read or had to cut short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanWarning {
    /// Stable kebab-case code, e.g. `missing-object`.
    pub code: String,
    /// The path concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What happened.
    pub message: Msg,
}

impl ScanWarning {
    /// A warning.
    pub fn new(
        code: &str,
        path: Option<String>,
        da: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ScanWarning {
            code: code.to_owned(),
            path,
            message: Msg::new(da, en),
        }
    }
}
