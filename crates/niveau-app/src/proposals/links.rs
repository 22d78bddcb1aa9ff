//! Links in a claim's documentation, checked against what Niveau can see without the
//! network: the file trees of the product's scanned repositories. A link into a scanned
//! repository (a blob or tree URL on its forge, or a bare path such as `docs/drift.md`)
//! either names a file that is there, which confirms the claim as far as a file can, or
//! one that is not, which is stated. Links elsewhere are left to the secretariat.

use niveau_model::{Msg, ProposalSource, Rating, RequirementId};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use url::Url;

use super::Candidate;

/// The files of one scanned repository, as the scan recorded them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedTree {
    /// What was scanned (URL or path as given).
    pub target: String,
    /// Paths at the scanned commit.
    pub files: Vec<String>,
}

#[derive(Deserialize)]
struct TreeEntry {
    target: String,
    #[serde(default)]
    files: Vec<String>,
}

/// The file trees in a scan run's result (one `niveau.check/1` report per repository;
/// reports without a file list, and errors, are skipped).
pub fn trees_from_scan(result: &serde_json::Value) -> Vec<ScannedTree> {
    let entries: Vec<&serde_json::Value> = match result {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    entries
        .into_iter()
        .filter_map(|e| serde_json::from_value::<TreeEntry>(e.clone()).ok())
        .filter(|t| !t.files.is_empty())
        .map(|t| ScannedTree {
            target: t.target,
            files: t.files,
        })
        .collect()
}

/// Host and `owner/name` of a forge URL, lower case
/// (`https://github.com/OS2faktor/OS2faktor-Login.git` → `github.com`,
/// `os2faktor/os2faktor-login`).
fn repository_of(url: &Url) -> Option<(String, String)> {
    let host = url.host_str()?.to_lowercase();
    let mut segments = url.path_segments()?;
    let owner = segments.next()?.to_lowercase();
    let name = segments.next()?.trim_end_matches(".git").to_lowercase();
    (!owner.is_empty() && !name.is_empty()).then(|| (host, format!("{owner}/{name}")))
}

/// What a link points at inside a repository: host, `owner/name` and the path for
/// `…/owner/name/blob/BRANCH/path` (also `tree`, `raw`), or "" for the repository itself.
fn target_of(link: &str) -> Option<(String, String, String)> {
    let url = Url::parse(link).ok()?;
    let (host, repo) = repository_of(&url)?;
    let segments: Vec<&str> = url.path_segments()?.collect();
    let path = match segments.get(2) {
        Some(&"blob") | Some(&"tree") | Some(&"raw") => {
            segments.get(4..).map(|p| p.join("/")).unwrap_or_default()
        }
        _ => String::new(),
    };
    let path = percent_decode_str(&path).decode_utf8_lossy().into_owned();
    Some((host, repo, path))
}

fn has_path(tree: &ScannedTree, path: &str) -> bool {
    let path = path.trim_matches('/');
    tree.files
        .iter()
        .any(|f| f == path || f.starts_with(&format!("{path}/")) || f.eq_ignore_ascii_case(path))
}

/// One checked link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheck {
    /// The link or path as written.
    pub link: String,
    /// The scanned repository it points into.
    pub repository: String,
    /// The path looked for ("" for the repository itself).
    pub path: String,
    /// Whether the scanned tree has it.
    pub found: bool,
}

/// Checks the links and paths of one claim's references against the trees.
pub fn check(references: &[niveau_model::Reference], trees: &[ScannedTree]) -> Vec<LinkCheck> {
    let mut out = Vec::new();
    for r in references {
        match r.kind.as_str() {
            "url" => {
                let Some((host, repo, path)) = target_of(&r.text) else {
                    continue;
                };
                let tree = trees.iter().find(|t| {
                    Url::parse(&t.target)
                        .ok()
                        .and_then(|u| repository_of(&u))
                        .is_some_and(|(h, name)| h == host && name == repo)
                });
                if let Some(t) = tree {
                    out.push(LinkCheck {
                        link: r.text.clone(),
                        repository: t.target.clone(),
                        found: path.is_empty() || has_path(t, &path),
                        path,
                    });
                }
            }
            "file" => {
                if trees.is_empty() {
                    continue;
                }
                let found = trees.iter().find(|t| has_path(t, &r.text));
                out.push(LinkCheck {
                    link: r.text.clone(),
                    repository: found
                        .or(trees.first())
                        .map(|t| t.target.clone())
                        .unwrap_or_default(),
                    path: r.text.clone(),
                    found: found.is_some(),
                });
            }
            _ => {}
        }
    }
    out
}

/// Candidates from the links of the answer candidates: a link whose target is missing is
/// a yellow scan candidate that says so; links that all resolve are a green one.
pub fn candidates(
    answers: &[(RequirementId, Candidate)],
    trees: &[ScannedTree],
) -> Vec<(RequirementId, Candidate)> {
    let mut out = Vec::new();
    for (id, c) in answers {
        let Some(claim) = &c.claim else {
            continue;
        };
        let checks = check(&claim.references, trees);
        if checks.is_empty() {
            continue;
        }
        let missing: Vec<&LinkCheck> = checks.iter().filter(|l| !l.found).collect();
        let evidence = checks
            .iter()
            .map(|l| {
                serde_json::json!({"kind": "link", "link": l.link, "repository": l.repository,
                                   "path": l.path, "found": l.found})
            })
            .collect();
        let (rating, reason) = if missing.is_empty() {
            let list = checks
                .iter()
                .map(|l| l.link.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            (
                Rating::Green,
                Msg::new(
                    format!(
                        "Det, dokumentationen henviser til, findes i det scannede repositorie: {list}."
                    ),
                    format!(
                        "What the documentation refers to is in the scanned repository: {list}."
                    ),
                ),
            )
        } else {
            let list = missing
                .iter()
                .map(|l| format!("{} ({})", l.link, l.repository))
                .collect::<Vec<_>>()
                .join(", ");
            (
                Rating::Yellow,
                Msg::new(
                    format!(
                        "Det, dokumentationen henviser til, findes ikke i det scannede repositorie: {list}."
                    ),
                    format!(
                        "What the documentation refers to is not in the scanned repository: {list}."
                    ),
                ),
            )
        };
        out.push((
            id.clone(),
            Candidate {
                source: ProposalSource::Scan,
                rating,
                confidence: 3,
                basis: Some(reason.da.clone()),
                reason,
                detail: Some("links".into()),
                evidence,
                claim: None,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use niveau_model::Reference;

    use super::*;

    fn tree() -> ScannedTree {
        ScannedTree {
            target: "https://github.com/OS2faktor/OS2faktor-Login.git".into(),
            files: vec![
                "LICENSE".into(),
                "README.md".into(),
                "docs/drift guide.md".into(),
                "docs/install/README.md".into(),
            ],
        }
    }

    fn url(t: &str) -> Reference {
        Reference {
            kind: "url".into(),
            text: t.into(),
        }
    }

    #[test]
    fn links_into_a_scanned_repository_are_resolved() {
        let refs = vec![
            url("https://github.com/OS2faktor/OS2faktor-Login/blob/master/LICENSE"),
            url("https://github.com/os2faktor/os2faktor-login/blob/main/docs/drift%20guide.md"),
            url("https://github.com/OS2faktor/OS2faktor-Login/tree/master/docs/install"),
            url("https://github.com/OS2faktor/OS2faktor-Login/blob/master/SECURITY.md"),
            url("https://github.com/OS2faktor/OS2faktor-Login"),
            url("https://www.os2faktor.dk/docs.html"),
            Reference {
                kind: "file".into(),
                text: "CONTRIBUTING.md".into(),
            },
        ];
        let checks = check(&refs, &[tree()]);
        let found: Vec<(&str, bool)> = checks.iter().map(|c| (c.path.as_str(), c.found)).collect();
        assert_eq!(
            found,
            [
                ("LICENSE", true),
                ("docs/drift guide.md", true),
                ("docs/install", true),
                ("SECURITY.md", false),
                ("", true),
                ("CONTRIBUTING.md", false)
            ]
        );
    }

    #[test]
    fn trees_are_read_from_a_scan_result() {
        let result = serde_json::json!([
            {"target": "https://github.com/a/b", "files": ["README.md"]},
            {"target": "https://github.com/a/c", "error": "kunne ikke klones"},
            {"target": "https://github.com/a/d"}
        ]);
        let trees = trees_from_scan(&result);
        assert_eq!(trees.len(), 1);
        assert_eq!(trees[0].files, ["README.md"]);
    }
}
