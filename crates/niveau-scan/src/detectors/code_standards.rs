//! F16: technical documentation holds best practice for coding standards — CONTRIBUTING
//! with code standards, and formatter and linter configuration.

use niveau_model::Rating;

use super::{Detector, files_evidence, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};

/// F16 from CONTRIBUTING and tool configuration.
pub struct CodeStandards;

/// Files that configure a formatter or linter (exact lower-case names, anywhere).
pub const CONFIG_NAMES: &[&str] = &[
    ".editorconfig",
    "rustfmt.toml",
    ".rustfmt.toml",
    "clippy.toml",
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yml",
    ".prettierrc.yaml",
    ".prettierrc.js",
    "prettier.config.js",
    ".eslintrc",
    ".eslintrc.js",
    ".eslintrc.cjs",
    ".eslintrc.json",
    ".eslintrc.yml",
    "eslint.config.js",
    "eslint.config.mjs",
    "eslint.config.cjs",
    "ruff.toml",
    ".ruff.toml",
    ".flake8",
    ".pylintrc",
    "checkstyle.xml",
    ".pre-commit-config.yaml",
    ".golangci.yml",
    ".golangci.yaml",
    ".rubocop.yml",
    "phpcs.xml",
    "phpcs.xml.dist",
    ".php-cs-fixer.php",
    ".php-cs-fixer.dist.php",
    ".stylelintrc",
    ".stylelintrc.json",
    ".clang-format",
    "biome.json",
];

/// Words in CONTRIBUTING that show it describes code standards (Danish and English).
pub const STANDARD_WORDS: &[&str] = &[
    "code style",
    "coding standard",
    "code standard",
    "kodestandard",
    "kodestil",
    "style guide",
    "styleguide",
    "lint",
    "formatter",
    "formatering",
    "cargo fmt",
    "prettier",
    "eslint",
    "black",
    "ruff",
    "pep 8",
    "pep8",
    "conventions",
    "konventioner",
];

impl Detector for CodeStandards {
    fn id(&self) -> &'static str {
        "code-standards"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F16"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let configs: Vec<_> = cx
            .files()
            .iter()
            .filter(|f| CONFIG_NAMES.contains(&f.lower_name().as_str()))
            .collect();
        // pyproject.toml with [tool.ruff] / [tool.black] / [tool.flake8] / [tool.pylint].
        let mut tool_sections = Vec::new();
        if let Some(py) = cx.file("pyproject.toml")
            && let Some(text) = cx.text(py)
        {
            for (i, line) in text.lines().enumerate() {
                let t = line.trim();
                if [
                    "[tool.ruff",
                    "[tool.black",
                    "[tool.flake8",
                    "[tool.pylint",
                    "[tool.isort",
                ]
                .iter()
                .any(|p| t.starts_with(p))
                {
                    tool_sections.push(Evidence::line("pyproject.toml", i + 1));
                }
            }
        }
        let contributing = cx.named(&[".github", "docs"], &["contributing"]);
        let mut standards = None;
        for c in &contributing {
            let Some(text) = cx.text(c) else { continue };
            for (i, line) in text.lines().enumerate() {
                let lower = line.to_lowercase();
                if STANDARD_WORDS.iter().any(|w| lower.contains(w)) {
                    standards = Some(Evidence::line(c.path.clone(), i + 1));
                    break;
                }
            }
            if standards.is_some() {
                break;
            }
        }
        let has_config = !configs.is_empty() || !tool_sections.is_empty();
        let mut evidence = files_evidence(contributing.iter().copied(), 2);
        evidence.extend(standards.clone());
        evidence.extend(files_evidence(configs.iter().copied(), 5));
        evidence.extend(tool_sections.into_iter().take(2));
        let (rating, confidence, da, en) = match (standards.is_some(), has_config) {
            (true, true) => (
                Rating::Green,
                4,
                "CONTRIBUTING beskriver kodestandarder, og formattering og lint er sat op.",
                "CONTRIBUTING describes code standards, and formatting and linting are configured.",
            ),
            (true, false) => (
                Rating::Yellow,
                3,
                "CONTRIBUTING beskriver kodestandarder, men der er ingen formatter- eller lint-opsætning.",
                "CONTRIBUTING describes code standards, but no formatter or linter is configured.",
            ),
            (false, true) => (
                Rating::Yellow,
                3,
                "Formattering og lint er sat op, men kodestandarderne er ikke beskrevet (CONTRIBUTING).",
                "Formatting and linting are configured, but the code standards are not described (CONTRIBUTING).",
            ),
            (false, false) => (
                Rating::Red,
                3,
                "Der er hverken beskrevne kodestandarder eller formatter- og lint-opsætning.",
                "There are neither described code standards nor formatter and linter configuration.",
            ),
        };
        vec![finding(
            "F16",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
