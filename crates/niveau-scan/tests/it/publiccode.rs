//! Integration tests of the publiccode.yml validator: valid files of every supported
//! version of the standard (and the project's own publiccode.yml), invalid files with
//! the exact key, position and severity of each problem, version-specific rules, YAML
//! syntax errors, the bounds on hostile input, and property tests that `validate` never
//! panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use niveau_scan::publiccode::{
    MAX_INPUT_BYTES, MAX_NODES, Outcome, Severity, SpecVersion, Validation, validate,
};
use niveau_testkit::mutate::{apply, mutation};
use proptest::prelude::*;
use std::path::PathBuf;

use Severity::{Error, Warning};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publiccode")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The problems as (key, line, column, severity), for exact comparisons.
fn found(v: &Validation) -> Vec<(String, usize, usize, Severity)> {
    v.problems
        .iter()
        .map(|p| (p.key.clone(), p.line, p.column, p.severity))
        .collect()
}

fn expect(list: &[(&str, usize, usize, Severity)]) -> Vec<(String, usize, usize, Severity)> {
    list.iter()
        .map(|(k, l, c, s)| ((*k).to_owned(), *l, *c, *s))
        .collect()
}

/// Every problem, one per line, as `Display` renders it.
fn rendered(v: &Validation) -> String {
    v.problems
        .iter()
        .map(|p| format!("{p}\n"))
        .collect::<String>()
}

fn message<'v>(v: &'v Validation, key: &str) -> &'v str {
    v.problems
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.message.as_str())
        .unwrap_or_else(|| panic!("no problem for {key}:\n{}", rendered(v)))
}

// ---- valid files ----------------------------------------------------------------------

#[test]
fn valid_0_2_file_only_warns_about_the_older_version() {
    let v = validate(&fixture("valid-0.2.yml"));
    assert_eq!(v.outcome(), Outcome::ValidWithWarnings, "{}", rendered(&v));
    assert_eq!(v.version.as_deref(), Some("0.2"));
    assert_eq!(v.spec, Some(SpecVersion::V0_2));
    // genericName, monochromeLogo-era keys and lowercase countries are fine in 0.2; the
    // `it:` section is accepted without checks.
    assert_eq!(
        found(&v),
        expect(&[("publiccodeYmlVersion", 3, 1, Warning)]),
        "{}",
        rendered(&v)
    );
    assert_eq!(
        v.problems[0].message,
        "version 0.2 is not the latest version of the standard; the latest is 0.5"
    );
    let data = v.data.unwrap();
    assert_eq!(data.name.as_deref(), Some("Borgerdialog"));
    assert_eq!(data.release_date, NaiveDate::from_ymd_opt(2019, 6, 14));
    assert_eq!(data.software_version.as_deref(), Some("2.3.1"));
    assert_eq!(data.license.as_deref(), Some("EUPL-1.2"));
    assert_eq!(data.maintenance_type.as_deref(), Some("contract"));
    assert_eq!(data.maintenance_contacts, vec!["Jens Jensen"]);
    assert_eq!(data.languages, vec!["da"]);
    assert_eq!(data.available_languages, vec!["da", "en"]);
    assert_eq!(data.lines.get("releaseDate"), Some(&10));
    assert_eq!(data.lines.get("legal.license"), Some(&60));
}

#[test]
fn valid_0_3_file_only_warns_about_the_older_version() {
    let v = validate(&fixture("valid-0.3.yml"));
    assert_eq!(v.spec, Some(SpecVersion::V0_3));
    assert_eq!(
        found(&v),
        expect(&[("publiccodeYmlVersion", 1, 1, Warning)]),
        "{}",
        rendered(&v)
    );
    let data = v.data.unwrap();
    assert_eq!(data.languages, vec!["en", "da"]);
    assert_eq!(
        data.short_descriptions,
        vec![
            (
                "en".to_owned(),
                "A lightweight messaging app for schools, parents and pupils.".to_owned()
            ),
            (
                "da".to_owned(),
                "En let beskedapp til skoler, forældre og elever.".to_owned()
            ),
        ]
    );
    assert_eq!(data.platforms, vec!["web", "android", "ios"]);
    assert_eq!(data.localisation_ready, Some(false));
    assert_eq!(data.maintenance_contacts, vec!["Mette Hansen"]);
}

#[test]
fn valid_0_4_file_only_warns_about_the_older_version() {
    let v = validate(&fixture("valid-0.4.yml"));
    assert_eq!(v.spec, Some(SpecVersion::V0_4));
    // Upper-case countries and the 0.4 category regulations-and-directives are fine.
    assert_eq!(
        found(&v),
        expect(&[("publiccodeYmlVersion", 1, 1, Warning)]),
        "{}",
        rendered(&v)
    );
    let data = v.data.unwrap();
    assert_eq!(data.license.as_deref(), Some("MIT OR Apache-2.0"));
    assert_eq!(data.software_type.as_deref(), Some("library"));
    assert_eq!(
        data.categories,
        vec!["document-management", "regulations-and-directives"]
    );
    assert_eq!(data.languages, vec!["en-GB"]);
    assert_eq!(
        data.lines.get("description.en-GB.shortDescription"),
        Some(&19)
    );
}

#[test]
fn valid_0_5_files_have_no_problems() {
    for name in ["valid-0.5.yml", "valid-minimal-0.5.yml"] {
        let v = validate(&fixture(name));
        assert_eq!(v.outcome(), Outcome::Valid, "{name}:\n{}", rendered(&v));
        assert_eq!(v.spec, Some(SpecVersion::V0_5));
    }
    let data = validate(&fixture("valid-0.5.yml")).data.unwrap();
    assert_eq!(data.organisation.as_deref(), Some("Roma Capitale"));
    assert_eq!(
        data.categories,
        vec!["content-management", "office", "other"]
    );
    assert_eq!(
        data.main_copyright_owner.as_deref(),
        Some("City of Chicago")
    );
    assert_eq!(data.lines.get("organisation.name"), Some(&13));
    assert_eq!(data.lines.get("maintenance.contacts"), Some(&76));
}

#[test]
fn the_projects_own_publiccode_yml_is_valid() {
    let path = niveau_testkit::repo_root().join("publiccode.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let v = validate(&text);
    assert_ne!(v.outcome(), Outcome::Invalid, "{}", rendered(&v));
    assert_eq!(v.errors().count(), 0);
    let data = v.data.unwrap();
    assert_eq!(data.name.as_deref(), Some("Niveau"));
    assert!(
        data.languages.contains(&"da".to_owned()),
        "{:?}",
        data.languages
    );
    assert!(data.license.is_some());
    assert!(data.lines.contains_key("legal.license"));
}

// ---- invalid files --------------------------------------------------------------------

#[test]
fn missing_required_keys_point_at_the_parent_mapping() {
    let v = validate(&fixture("invalid-missing-required.yml"));
    assert_eq!(v.outcome(), Outcome::Invalid);
    assert_eq!(
        found(&v),
        expect(&[("name", 2, 1, Error), ("legal.license", 21, 3, Error)]),
        "{}",
        rendered(&v)
    );
    assert_eq!(message(&v, "name"), "required key is missing");
    // The rest of the file is still read.
    let data = v.data.unwrap();
    assert_eq!(data.name, None);
    assert_eq!(
        data.main_copyright_owner.as_deref(),
        Some("Example Kommune")
    );
}

#[test]
fn a_value_outside_an_enumeration_is_an_error() {
    let v = validate(&fixture("invalid-development-status.yml"));
    assert_eq!(found(&v), expect(&[("developmentStatus", 9, 1, Error)]));
    assert_eq!(
        v.problems[0].to_string(),
        "9:1: error: developmentStatus: must be one of \"concept\", \"development\", \"beta\", \"stable\" or \"obsolete\", found \"finished\""
    );
    assert_eq!(v.data.unwrap().development_status, None);
}

#[test]
fn a_short_description_over_150_characters_is_an_error() {
    let v = validate(&fixture("invalid-short-description.yml"));
    assert_eq!(
        found(&v),
        expect(&[("description.da.shortDescription", 13, 5, Error)])
    );
    assert_eq!(
        message(&v, "description.da.shortDescription"),
        "is 155 characters long; the maximum is 150"
    );
    let data = v.data.unwrap();
    assert!(data.short_descriptions.is_empty());
    assert_eq!(data.languages, vec!["da"]);
}

#[test]
fn a_license_that_is_not_spdx_is_an_error() {
    let v = validate(&fixture("invalid-license.yml"));
    assert_eq!(found(&v), expect(&[("legal.license", 22, 3, Error)]));
    assert_eq!(
        message(&v, "legal.license"),
        "\"Mozilla Public License 2\" is not a valid SPDX license expression (see https://spdx.org/licenses)"
    );
    assert_eq!(v.data.unwrap().license, None);
}

#[test]
fn a_date_not_in_iso_format_is_an_error() {
    let v = validate(&fixture("invalid-release-date.yml"));
    assert_eq!(found(&v), expect(&[("releaseDate", 5, 1, Error)]));
    assert_eq!(
        message(&v, "releaseDate"),
        "must be a date in the format YYYY-MM-DD, found \"15/04/2023\""
    );
}

#[test]
fn a_list_where_a_string_is_expected_is_an_error() {
    let v = validate(&fixture("invalid-wrong-type.yml"));
    assert_eq!(found(&v), expect(&[("name", 3, 1, Error)]));
    assert_eq!(
        message(&v, "name"),
        "wrong type: expected a string, found a list"
    );
}

#[test]
fn unknown_keys_are_errors() {
    // Issue #15: unknown keys are errors, as the reference parser has them (they were
    // warnings before).
    let v = validate(&fixture("warning-unknown-key.yml"));
    assert_eq!(v.outcome(), Outcome::Invalid);
    assert_eq!(
        found(&v),
        expect(&[
            ("homepage", 5, 1, Error),
            ("description.da.summary", 19, 5, Error)
        ]),
        "{}",
        rendered(&v)
    );
    assert_eq!(
        message(&v, "homepage"),
        "unknown key, not part of publiccode.yml 0.5"
    );
}

#[test]
fn contract_maintenance_without_contractors_is_an_error() {
    let v = validate(&fixture("invalid-contract.yml"));
    assert_eq!(
        found(&v),
        expect(&[("maintenance.contractors", 24, 3, Error)])
    );
    assert_eq!(
        v.problems[0].to_string(),
        "24:3: error: maintenance.contractors: required when maintenance.type is \"contract\""
    );
}

#[test]
fn contractors_are_only_allowed_with_contract_maintenance() {
    let text = fixture("valid-minimal-0.5.yml").replace(
        "  contacts:\n",
        "  contractors:\n    - name: Leverandør A/S\n      until: \"2030-01-01\"\n  contacts:\n",
    );
    let v = validate(&text);
    assert_eq!(
        found(&v),
        expect(&[("maintenance.contractors", 24, 3, Error)])
    );
    assert_eq!(
        message(&v, "maintenance.contractors"),
        "must not be present unless maintenance.type is \"contract\""
    );
}

#[test]
fn contacts_are_required_for_internal_and_community_maintenance() {
    let text = fixture("valid-minimal-0.5.yml").replace(
        "  type: internal\n  contacts:\n    - name: Anne Larsen\n",
        "  type: community\n",
    );
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("maintenance.contacts", 23, 3, Error)]));
    assert_eq!(
        message(&v, "maintenance.contacts"),
        "required when maintenance.type is \"community\""
    );
    let none = fixture("valid-minimal-0.5.yml").replace(
        "  type: internal\n  contacts:\n    - name: Anne Larsen\n",
        "  type: none\n",
    );
    assert_eq!(validate(&none).outcome(), Outcome::Valid);
}

#[test]
fn deprecated_keys_are_warnings_from_the_version_that_deprecated_them() {
    let text = fixture("warning-deprecated.yml");
    let v = validate(&text);
    assert_eq!(v.outcome(), Outcome::ValidWithWarnings);
    assert_eq!(
        found(&v),
        expect(&[
            ("description.da.genericName", 13, 5, Warning),
            ("legal.authorsFile", 24, 3, Warning),
        ]),
        "{}",
        rendered(&v)
    );
    assert_eq!(
        message(&v, "legal.authorsFile"),
        "this key is deprecated since publiccode.yml 0.4; it is safe to remove it"
    );
    // In 0.3, genericName is already deprecated, authorsFile not yet; releaseDate was
    // still mandatory.
    let v = validate(&text.replace("\"0.5\"", "\"0.3\""));
    assert_eq!(
        found(&v),
        expect(&[
            ("publiccodeYmlVersion", 2, 1, Warning),
            ("releaseDate", 2, 1, Warning),
            ("description.da.genericName", 13, 5, Warning),
        ]),
        "{}",
        rendered(&v)
    );
    assert_eq!(
        message(&v, "releaseDate"),
        "is mandatory in publiccode.yml 0.3 (optional since 0.4)"
    );
    // In 0.2, neither is deprecated and genericName is even mandatory.
    let v = validate(&text.replace("\"0.5\"", "\"0.2\""));
    assert!(
        !v.problems
            .iter()
            .any(|p| p.key.ends_with("genericName") || p.key.ends_with("authorsFile")),
        "{}",
        rendered(&v)
    );
}

#[test]
fn lowercase_country_codes_are_deprecated_in_0_5_only() {
    let audience = "intendedAudience:\n  countries:\n    - dk\n    - SE\n";
    let text = fixture("valid-minimal-0.5.yml")
        .replace("description:\n", &format!("{audience}description:\n"));
    let v = validate(&text);
    assert_eq!(
        found(&v),
        expect(&[("intendedAudience.countries[0]", 12, 7, Warning)]),
        "{}",
        rendered(&v)
    );
    assert_eq!(
        message(&v, "intendedAudience.countries[0]"),
        "lowercase country codes are deprecated since publiccode.yml 0.5; write \"DK\""
    );
    let v = validate(&text.replace("\"0.5\"", "\"0.4\""));
    assert_eq!(
        found(&v),
        expect(&[("publiccodeYmlVersion", 1, 1, Warning)]),
        "{}",
        rendered(&v)
    );
}

// ---- versions -------------------------------------------------------------------------

#[test]
fn an_unquoted_version_is_a_number_and_an_error() {
    let text = fixture("valid-minimal-0.5.yml").replace("\"0.5\"", "0.5");
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("publiccodeYmlVersion", 1, 1, Error)]));
    assert_eq!(
        v.problems[0].message,
        "must be a string, found the number 0.5; write it in quotes: \"0.5\""
    );
    // The version is still read, and the rest of the file checked.
    assert_eq!(v.spec, Some(SpecVersion::V0_5));
    assert_eq!(v.data.unwrap().name.as_deref(), Some("Kalenderbooking"));
}

#[test]
fn every_published_version_string_is_accepted() {
    let base = fixture("valid-minimal-0.5.yml");
    for (written, spec) in [
        ("0.2", SpecVersion::V0_2),
        ("0.2.0", SpecVersion::V0_2),
        ("0.2.1", SpecVersion::V0_2),
        ("0.2.2", SpecVersion::V0_2),
        ("0.3", SpecVersion::V0_3),
        ("0.3.0", SpecVersion::V0_3),
        ("0.4", SpecVersion::V0_4),
        ("0.4.0", SpecVersion::V0_4),
        ("0.5", SpecVersion::V0_5),
        ("0.5.0", SpecVersion::V0_5),
        ("0", SpecVersion::V0_5),
    ] {
        let v = validate(&base.replace("\"0.5\"", &format!("\"{written}\"")));
        assert_eq!(v.spec, Some(spec), "{written}");
        assert_eq!(v.errors().count(), 0, "{written}:\n{}", rendered(&v));
        let version_warnings = v
            .warnings()
            .filter(|p| p.key == "publiccodeYmlVersion")
            .count();
        assert_eq!(
            version_warnings,
            usize::from(spec < SpecVersion::V0_5),
            "{written}"
        );
    }
}

#[test]
fn unsupported_versions_stop_the_validation() {
    for written in ["0.1", "0.6", "1.0", "latest"] {
        let text = fixture("valid-minimal-0.5.yml").replace("\"0.5\"", &format!("\"{written}\""));
        let v = validate(&text);
        assert_eq!(
            found(&v),
            expect(&[("publiccodeYmlVersion", 1, 1, Error)]),
            "{written}"
        );
        assert_eq!(
            v.problems[0].message,
            format!(
                "unsupported version \"{written}\"; supported versions are 0.2, 0.2.0, 0.2.1, 0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5 and 0.5.0"
            )
        );
        assert_eq!(v.version.as_deref(), Some(written));
        assert_eq!(v.data, None);
    }
}

#[test]
fn an_unpublished_patch_release_is_checked_as_its_minor_version() {
    let text = fixture("valid-minimal-0.5.yml").replace("\"0.5\"", "\"0.5.3\"");
    let v = validate(&text);
    assert_eq!(v.spec, Some(SpecVersion::V0_5));
    assert_eq!(
        found(&v),
        expect(&[("publiccodeYmlVersion", 1, 1, Warning)])
    );
}

#[test]
fn a_missing_version_is_an_error_and_the_latest_rules_apply() {
    let text = fixture("valid-minimal-0.5.yml").replace("publiccodeYmlVersion: \"0.5\"\n", "");
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("publiccodeYmlVersion", 1, 1, Error)]));
    assert_eq!(v.spec, None);
    assert_eq!(v.data.unwrap().name.as_deref(), Some("Kalenderbooking"));
}

// ---- snapshots of files with many problems --------------------------------------------

#[test]
fn many_problems_at_once() {
    let v = validate(&fixture("invalid-many.yml"));
    assert_eq!(v.outcome(), Outcome::Invalid);
    insta::assert_snapshot!("invalid_many", rendered(&v));
}

#[test]
fn rules_that_differ_in_0_2() {
    let v = validate(&fixture("invalid-0.2-legacy.yml"));
    assert_eq!(v.outcome(), Outcome::Invalid);
    assert_eq!(v.spec, Some(SpecVersion::V0_2));
    insta::assert_snapshot!("invalid_0_2_legacy", rendered(&v));
}

// ---- whole-file problems and bounds ----------------------------------------------------

#[test]
fn yaml_syntax_errors_have_the_parsers_position() {
    let v = validate("publiccodeYmlVersion: \"0.5\"\nname: Niveau\n url: https://example.org\n");
    assert_eq!(found(&v), expect(&[("", 3, 5, Error)]));
    assert_eq!(
        v.problems[0].to_string(),
        "3:5: error: YAML syntax error: mapping values are not allowed in this context"
    );
    assert_eq!(v.data, None);
    let v = validate("name: a\nname: b\n");
    assert_eq!(found(&v), expect(&[("", 2, 1, Error)]));
    assert_eq!(
        v.problems[0].message,
        "YAML syntax error: duplicated key in mapping"
    );
}

#[test]
fn the_top_level_must_be_one_mapping() {
    let v = validate("- a\n- b\n");
    assert_eq!(found(&v), expect(&[("", 1, 1, Error)]));
    assert_eq!(
        v.problems[0].message,
        "the top level must be a mapping of keys, found a list"
    );
    for empty in ["", "# nothing\n", "~\n"] {
        let v = validate(empty);
        assert_eq!(found(&v), expect(&[("", 1, 1, Error)]), "{empty:?}");
        assert_eq!(v.problems[0].message, "the file is empty");
    }
    let v = validate("a: 1\n---\nb: 2\n");
    assert_eq!(found(&v), expect(&[("", 3, 1, Error)]));
}

#[test]
fn a_billion_laughs_document_is_refused_within_bounds() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    assert!(text.len() < 1000);
    let v = validate(&text);
    assert_eq!(v.outcome(), Outcome::Invalid);
    assert_eq!(v.problems.len(), 1, "{}", rendered(&v));
    assert_eq!(v.problems[0].key, "");
    assert_eq!(
        v.problems[0].message,
        format!(
            "YAML aliases expand to more than {MAX_NODES} nodes (a \"billion laughs\" document); the file was not read"
        )
    );
    assert_eq!(v.data, None);
}

#[test]
fn a_document_with_too_many_nodes_is_not_validated() {
    let text = format!("a: [{}]\n", vec!["1"; MAX_NODES].join(","));
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("", 1, 1, Error)]));
    assert_eq!(
        v.problems[0].message,
        format!("the document has more than {MAX_NODES} YAML nodes; it was not validated")
    );
}

#[test]
fn many_anchors_with_aliases_are_refused() {
    let text: String = (0..40).map(|i| format!("k{i}: &a{i} [*a0]\n")).collect();
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("", 1, 5, Error)]));
    assert_eq!(
        v.problems[0].message,
        "the file has 40 YAML anchors, too many for its size and aliases; the file was not read"
    );
}

#[test]
fn deep_nesting_is_refused_and_allowed_nesting_does_not_overflow() {
    let deep = format!("a:\n{}x\n", "- ".repeat(100_000));
    let v = validate(&deep);
    assert_eq!(found(&v), expect(&[("", 2, 803, Error)]));
    let flow = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
    let v = validate(&flow);
    assert_eq!(v.problems.len(), 1);
    assert!(
        v.problems[0].message.starts_with("YAML syntax error"),
        "{}",
        rendered(&v)
    );
    // Just inside the bounds: ~200 block levels holding 250 flow levels.
    let allowed = format!(
        "a:\n{}{}{}\n",
        "- ".repeat(199),
        "[".repeat(250),
        "]".repeat(250)
    );
    let v = validate(&allowed);
    // Read and checked: the publiccode.yml keys are missing and `a` is an unknown key
    // (an error, as in the reference parser).
    assert!(v.data.is_some(), "{}", rendered(&v));
    assert!(
        v.problems.iter().all(|p| !p.key.is_empty()),
        "{}",
        rendered(&v)
    );
    assert_eq!(v.errors().count(), 11, "{}", rendered(&v));
}

#[test]
fn inputs_over_one_mebibyte_are_refused() {
    let line = "# padding padding padding padding padding padding padding padding\n";
    let mut text = fixture("valid-minimal-0.5.yml");
    while text.len() <= MAX_INPUT_BYTES {
        text.push_str(line);
    }
    let v = validate(&text);
    assert_eq!(found(&v), expect(&[("", 1, 1, Error)]));
    assert_eq!(
        v.problems[0].message,
        format!(
            "the file is {} bytes long, more than the {MAX_INPUT_BYTES} bytes (1 MiB) a publiccode.yml may have here; it was not read",
            text.len()
        )
    );
    assert_eq!(v.data, None);
}

#[test]
fn into_result_gives_the_data_or_the_problems() {
    let ok = validate(&fixture("valid-0.4.yml")).into_result().unwrap();
    assert_eq!(ok.name.as_deref(), Some("Aktindsigt"));
    let err = validate(&fixture("invalid-contract.yml"))
        .into_result()
        .unwrap_err();
    assert_eq!(err.problems.len(), 1);
    assert_eq!(
        err.to_string(),
        "invalid publiccode.yml: 1 error(s), first at 24:3: error: maintenance.contractors: required when maintenance.type is \"contract\""
    );
}

// ---- properties -----------------------------------------------------------------------

const FIXTURES: &[&str] = &[
    "valid-0.2.yml",
    "valid-0.3.yml",
    "valid-0.4.yml",
    "valid-0.5.yml",
    "invalid-many.yml",
    "invalid-0.2-legacy.yml",
];

/// Lines that matter to YAML and to publiccode.yml, for mutations.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("- - - - x".to_owned()),
        Just("  - &a [*a, *a]".to_owned()),
        Just("b: &b {x: *b}".to_owned()),
        Just("description:".to_owned()),
        Just("  en: {shortDescription: [1, 2]}".to_owned()),
        Just("maintenance: {type: contract, contractors: [{}]}".to_owned()),
        Just("legal: {license: \"MIT AND (\"}".to_owned()),
        Just("? [a]: b".to_owned()),
        Just("--- !tag".to_owned()),
        Just("\t\"unterminated".to_owned()),
        "[ -~]{0,30}",
        ".{0,20}",
    ]
}

/// What every validation must satisfy.
fn check_invariants(v: &Validation) -> Result<(), TestCaseError> {
    let positions: Vec<(usize, usize)> = v.problems.iter().map(|p| (p.line, p.column)).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    prop_assert_eq!(&positions, &sorted, "problems are in file order");
    for p in &v.problems {
        prop_assert!(p.line >= 1 && p.column >= 1, "1-based position: {}", p);
        prop_assert!(!p.message.is_empty());
    }
    let has_error = v.problems.iter().any(|p| p.severity == Severity::Error);
    prop_assert_eq!(v.outcome() == Outcome::Invalid, has_error);
    if v.data.is_none() {
        prop_assert!(has_error, "no data without an error");
    }
    prop_assert!(v.problems.len() <= niveau_scan::publiccode::MAX_PROBLEMS + 1);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn validate_never_panics_on_any_text(text in "\\PC{0,400}") {
        check_invariants(&validate(&text))?;
    }

    #[test]
    fn validate_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_invariants(&validate(&String::from_utf8_lossy(&bytes)))?;
    }

    #[test]
    fn validate_never_panics_on_mutated_fixtures(
        index in 0..FIXTURES.len(),
        mutations in proptest::collection::vec(mutation(fragment()), 1..8),
    ) {
        let text = apply(&fixture(FIXTURES[index]), &mutations);
        let v = validate(&text);
        check_invariants(&v)?;
        prop_assert_eq!(&v, &validate(&text), "deterministic");
    }
}
