//! docs/models.md lists every requirement of every built-in model; this keeps those
//! tables in step with models/*.toml.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{Obligation, Registry};

#[test]
fn docs_models_md_lists_every_requirement_as_the_models_define_it() {
    let docs = std::fs::read_to_string(niveau_testkit::repo_root().join("docs/models.md")).unwrap();
    let reg = Registry::builtin().unwrap();
    let mut missing = Vec::new();
    for model in reg.models() {
        let section = docs
            .split(&format!("### `{}`", model.id()))
            .nth(1)
            .unwrap_or_else(|| panic!("docs/models.md has no section for {}", model.id()));
        let section = section.split("\n### `").next().unwrap_or(section);
        for r in model.requirements() {
            let row = format!(
                "| {} | {} | {} | {} | {} |",
                r.id,
                model.level(r.level.as_str()).unwrap().name,
                model.theme(r.theme.as_str()).unwrap().name,
                match r.obligation {
                    Obligation::Must => "must",
                    Obligation::Should => "should",
                },
                r.short_text
                    .as_deref()
                    .unwrap_or(&r.text)
                    .replace('|', "\\|"),
            );
            if !section.contains(&row) {
                missing.push(format!("{}: {row}", model.id()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/models.md is out of step with models/ — update these rows:\n{}",
        missing.join("\n")
    );
}
