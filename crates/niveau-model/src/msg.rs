//! A text in Danish and English, for messages that reach people.

use serde::{Deserialize, Serialize};

/// A text in Danish and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    /// Danish.
    pub da: String,
    /// English.
    pub en: String,
}

impl Msg {
    /// A message in both languages.
    pub fn new(da: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            da: da.into(),
            en: en.into(),
        }
    }

    /// The text in Danish (`english == false`) or English.
    pub fn pick(&self, english: bool) -> &str {
        if english { &self.en } else { &self.da }
    }
}
