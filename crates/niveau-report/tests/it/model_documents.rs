//! Rendered model documents (snapshots) and their JSON schema.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{ProposalTable, Registry, diff};
use niveau_report::Lang;
use niveau_report::model_doc::{
    MODEL_SCHEMA, diff_json, model_json, proposals_json, render_diff_markdown, render_diff_text,
    render_model_list, render_model_markdown, render_model_text, render_proposals_text,
};

#[test]
fn model_markdown_da() {
    let reg = Registry::builtin().unwrap();
    insta::assert_snapshot!(render_model_markdown(
        reg.get("os2-1.1.0").unwrap(),
        Lang::Da
    ));
}

#[test]
fn model_text_en() {
    let reg = Registry::builtin().unwrap();
    insta::assert_snapshot!(render_model_text(reg.get("os2-2021").unwrap(), Lang::En));
}

#[test]
fn model_text_2018_da() {
    let reg = Registry::builtin().unwrap();
    insta::assert_snapshot!(render_model_text(reg.get("os2-2018").unwrap(), Lang::Da));
}

#[test]
fn model_list_da() {
    let reg = Registry::builtin().unwrap();
    let models: Vec<_> = reg.models().iter().collect();
    insta::assert_snapshot!(render_model_list(&models, Lang::Da));
}

#[test]
fn diff_text_and_markdown() {
    let reg = Registry::builtin().unwrap();
    let d = diff(reg.get("os2-2021").unwrap(), reg.get("os2-1.1.0").unwrap());
    insta::assert_snapshot!("diff_2021_110_text_da", render_diff_text(&d, Lang::Da));
    insta::assert_snapshot!("diff_2021_110_md_en", render_diff_markdown(&d, Lang::En));
}

#[test]
fn proposals_text_da() {
    let table = ProposalTable::builtin().unwrap();
    insta::assert_snapshot!(render_proposals_text(&table, Lang::Da));
}

#[test]
fn model_json_is_versioned_and_complete() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let v: serde_json::Value = serde_json::from_str(&model_json(model).unwrap()).unwrap();
    assert_eq!(v["schema"], MODEL_SCHEMA);
    assert_eq!(v["id"], "os2-1.1.0");
    assert_eq!(v["version"], "1.1.0");
    let reqs = v["requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 43);
    let f19 = reqs.iter().find(|r| r["id"] == "F19").unwrap();
    assert_eq!(f19["obligation"], "should");
    assert_eq!(f19["level"], "2");
    assert_eq!(f19["theme"], "formkrav");
    assert_eq!(f19["criterion"], "Standard: Fx Docker anvendes.");
    assert_eq!(v["levels"][0]["id"], "sandkasse");
    assert_eq!(v["retired"][0]["merged_into"], "F7");
    assert_eq!(v["source"]["license"], "CC BY-SA 4.0");
}

#[test]
fn diff_and_proposal_json_are_versioned() {
    let reg = Registry::builtin().unwrap();
    let d = diff(reg.get("os2-2021").unwrap(), reg.get("os2-1.1.0").unwrap());
    let v: serde_json::Value = serde_json::from_str(&diff_json(&d).unwrap()).unwrap();
    assert_eq!(v["schema"], "niveau.model-diff/1");
    assert_eq!(v["mapping"]["steps"][0]["declared_in"], "os2-2021");
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"merged"));
    assert!(kinds.contains(&"level_moved"));
    let t = ProposalTable::builtin().unwrap();
    let v: serde_json::Value = serde_json::from_str(&proposals_json(&t).unwrap()).unwrap();
    assert_eq!(v["schema"], "niveau.proposal-table/1");
    assert_eq!(v["rules"][0]["answers"][0], "ja");
    assert_eq!(v["rules"][0]["rating"], "green");
}
