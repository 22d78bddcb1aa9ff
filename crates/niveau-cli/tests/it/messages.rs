//! Every failing command speaks one language: the one asked for with `--lang`. No
//! Danish prefix before an English library sentence, and no Danish in English output.

#![allow(clippy::unwrap_used, clippy::panic)]

use crate::common::{niveau, stderr, stdout, tmp, tmp_dir};

/// Words and letters only Danish output has.
const DANISH: &[&str] = &[
    "æ",
    "ø",
    "å",
    "fejl",
    "kan ikke",
    "findes ikke",
    "systemfejl",
    "ikke ",
    "databasen",
];
/// Words only English output has.
const ENGLISH: &[&str] = &[
    "error",
    "cannot",
    "No such",
    "os error",
    "not ",
    "the ",
    "database configuration",
    "Not a directory",
    "supported",
];

/// Commands that fail, each run in both languages.
fn failing_commands() -> Vec<Vec<String>> {
    let prose = tmp("messages-prose.md", b"Bare fri tekst.\n");
    let bad_json = tmp("messages-bad.json", b"{\"format\":");
    let not_a_dir = tmp("messages-file", b"x");
    let db = tmp_dir().join("messages.db");
    let s = |p: &std::path::Path| p.display().to_string();
    vec![
        vec!["report".into(), "import".into(), "no/such/report.md".into()],
        vec!["report".into(), "import".into(), s(&prose)],
        vec!["model".into(), "show".into(), "os2-1999".into()],
        vec![
            "migrate".into(),
            "--database".into(),
            format!("sqlite://{}/x.db", s(&not_a_dir)),
        ],
        vec!["migrate".into(), "--database".into(), "mysql://db/x".into()],
        vec![
            "restore".into(),
            "--database".into(),
            format!("sqlite://{}", s(&db)),
            "no-such-backup.json".into(),
        ],
        vec![
            "restore".into(),
            "--database".into(),
            format!("sqlite://{}", s(&db)),
            s(&bad_json),
        ],
        vec![
            "user".into(),
            "add".into(),
            "bob".into(),
            "--password-stdin".into(),
        ],
    ]
}

fn run(lang: &str, args: &[String]) -> String {
    let mut all: Vec<&str> = vec!["--lang", lang];
    all.extend(args.iter().map(String::as_str));
    let o = niveau(&all);
    assert!(!o.status.success(), "{args:?} should fail");
    format!("{}{}", stdout(&o), stderr(&o))
}

/// The output without the command's own arguments (paths and URLs are not words).
fn words_of(output: &str, args: &[String]) -> String {
    let mut out = output.to_owned();
    for a in args {
        out = out.replace(a.as_str(), "ARG");
    }
    out.replace(&tmp_dir().display().to_string(), "TMP")
}

#[test]
fn english_output_has_no_danish_and_danish_output_has_no_english() {
    for args in failing_commands() {
        let en = run("en", &args);
        assert!(en.starts_with("error: "), "{args:?}: {en}");
        let en_words = words_of(&en, &args);
        for w in DANISH {
            assert!(
                !en_words.contains(w),
                "{args:?}: Danish “{w}” in English output: {en}"
            );
        }
        let da = run("da", &args);
        assert!(da.starts_with("fejl: "), "{args:?}: {da}");
        let da_words = words_of(&da, &args);
        for w in ENGLISH {
            assert!(
                !da_words.contains(w),
                "{args:?}: English “{w}” in Danish output: {da}"
            );
        }
    }
}

#[test]
fn a_database_that_cannot_be_opened_is_said_in_one_language() {
    let args = vec![
        "migrate".to_owned(),
        "--database".into(),
        "mysql://db/x".into(),
    ];
    assert_eq!(
        run("da", &args).trim_end(),
        "fejl: kan ikke åbne databasen mysql://db/x: databasens opsætning kan ikke bruges: \
         mysql://db/x: kun SQLite-filer og postgres://-adresser understøttes"
    );
    assert_eq!(
        run("en", &args).trim_end(),
        "error: cannot open the database mysql://db/x: database configuration: \
         mysql://db/x: only sqlite files and postgres:// URLs are supported"
    );
}
