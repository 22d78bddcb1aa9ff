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

    /// An input/output error from the operating system in both languages. The English
    /// text is the system's own ("No such file or directory (os error 2)"); the Danish
    /// one says the same by the error's kind, with the system's error number when known.
    pub fn io(error: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let da = match error.kind() {
            K::NotFound => "findes ikke",
            K::PermissionDenied => "adgang nægtet",
            K::AlreadyExists => "findes allerede",
            K::IsADirectory => "er en mappe",
            K::NotADirectory => "en del af stien er ikke en mappe",
            K::DirectoryNotEmpty => "mappen er ikke tom",
            K::ReadOnlyFilesystem => "filsystemet er skrivebeskyttet",
            K::StorageFull => "der er ikke mere plads på disken",
            K::InvalidData => "ugyldige data",
            K::InvalidInput => "ugyldigt input",
            K::UnexpectedEof => "filen slutter for tidligt",
            K::TimedOut => "tiden løb ud",
            K::Interrupted => "afbrudt",
            K::OutOfMemory => "der er ikke mere hukommelse",
            K::ConnectionRefused => "forbindelsen blev afvist",
            K::ConnectionReset => "forbindelsen blev nulstillet",
            K::BrokenPipe => "modtageren lukkede forbindelsen",
            K::Unsupported => "understøttes ikke",
            _ => "ind- eller uddata mislykkedes",
        };
        let da = match error.raw_os_error() {
            Some(code) => format!("{da} (systemfejl {code})"),
            None => da.to_owned(),
        };
        Msg::new(da, error.to_string())
    }

    /// A deserialisation problem in both languages: `message` is serde's English sentence
    /// (`missing field `id``, `unknown field `x`, expected one of …`, `invalid type: …`),
    /// kept as the English text; the Danish text says the same for serde's standard
    /// sentences, naming the field or value, and is `fallback_da` for any other.
    pub fn serde(message: &str, fallback_da: &str) -> Self {
        let message = message.trim();
        // The first `name` in back-quotes, e.g. the field of "missing field `id`".
        let quoted = || {
            let rest = &message[message.find('`')? + 1..];
            Some(&rest[..rest.find('`')?])
        };
        let da = if message.starts_with("missing field") {
            quoted().map(|f| format!("feltet `{f}` mangler"))
        } else if message.starts_with("unknown field") {
            quoted().map(|f| format!("ukendt felt `{f}`"))
        } else if message.starts_with("duplicate field") || message.starts_with("duplicate key") {
            Some(match quoted() {
                Some(f) => format!("feltet `{f}` står mere end én gang"),
                None => "en nøgle står mere end én gang".to_owned(),
            })
        } else if message.starts_with("unknown variant") {
            quoted().map(|v| format!("ukendt værdi `{v}`"))
        } else if message.starts_with("invalid type") {
            Some("værdien har en forkert type".to_owned())
        } else if message.starts_with("invalid value") {
            Some("ugyldig værdi".to_owned())
        } else if message.starts_with("invalid length") {
            Some("forkert antal elementer".to_owned())
        } else {
            None
        };
        Msg::new(da.unwrap_or_else(|| fallback_da.to_owned()), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_in_both_languages() {
        let e = std::io::Error::from_raw_os_error(2);
        let m = Msg::io(&e);
        assert_eq!(m.da, "findes ikke (systemfejl 2)");
        assert_eq!(m.en, e.to_string());
        let m = Msg::io(&std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "x",
        ));
        assert_eq!(m.da, "adgang nægtet");
        assert_eq!(m.en, "x");
    }

    #[test]
    fn serde_messages_in_both_languages() {
        let m = Msg::serde("missing field `id`", "forkert opbygning");
        assert_eq!(m, Msg::new("feltet `id` mangler", "missing field `id`"));
        let m = Msg::serde("unknown field `nme`, expected `name`", "x");
        assert_eq!(m.da, "ukendt felt `nme`");
        let m = Msg::serde("unknown variant `blue`, expected one of `red`", "x");
        assert_eq!(m.da, "ukendt værdi `blue`");
        let m = Msg::serde("invalid type: string \"a\", expected u32", "x");
        assert_eq!(m.da, "værdien har en forkert type");
        let m = Msg::serde("expected `,` or `}`", "ugyldig syntaks");
        assert_eq!(m, Msg::new("ugyldig syntaks", "expected `,` or `}`"));
    }
}
