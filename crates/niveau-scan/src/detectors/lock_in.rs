//! Signs of supplier lock-in, as OS2's quick-glance reviews note them by hand:
//!
//! - F11: an issue tracker in a closed system (Redmine, Jira, YouTrack, a supplier's own
//!   GitLab) named in README, CONTRIBUTING, docs or publiccode.yml;
//! - F6: documentation linked only on a supplier's domain, with no documentation in the
//!   repository itself;
//! - F19: container images in compose files or Helm values that no workflow of the
//!   repository builds, while the repository has a Dockerfile of its own;
//! - F17: installation documented only as "contact the supplier".
//!
//! Every sign names the file and line. Says nothing where no sign is found.

use niveau_model::Rating;

use super::{Detector, count, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};
use crate::source::FileEntry;

/// The lock-in detector.
pub struct LockIn;

/// The most documents read for links and phrases.
const MAX_DOCS: usize = 40;

/// Hosts of open forges and OS2's own sites: links there are not lock-in.
const OPEN_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "codeberg.org",
    "bitbucket.org",
    "os2.eu",
    "github.io",
    "gitlab.io",
    "readthedocs.io",
    "readthedocs.org",
    "docs.rs",
    "pypi.org",
    "npmjs.com",
    "crates.io",
    "hub.docker.com",
    "docker.com",
    "wikipedia.org",
    "shields.io",
    "digst.dk",
    "kl.dk",
    "publiccode.net",
    "spdx.org",
    "opensource.org",
    "creativecommons.org",
];

/// Hosts or paths of closed trackers (lower-case).
const CLOSED_TRACKERS: &[&str] = &["redmine", "jira", "atlassian.net", "youtrack", "/browse/"];

/// Phrases that leave installation to the supplier (lower-case).
const CONTACT_SUPPLIER: &[&str] = &[
    "kontakt leverandøren",
    "kontakt leverandør",
    "henvend dig til leverandøren",
    "henvendelse til leverandøren",
    "kontakt os for installation",
    "kontakt os for at få",
    "installation foretages af leverandøren",
    "installeres af leverandøren",
    "contact the supplier",
    "contact the vendor",
    "contact us for installation",
    "contact us to install",
    "installation is done by",
    "installation is performed by",
];

/// Images that are common third-party services, not the product's own (the name
/// without registry, namespace and tag).
const THIRD_PARTY_IMAGES: &[&str] = &[
    "postgres",
    "postgresql",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "memcached",
    "nginx",
    "httpd",
    "traefik",
    "caddy",
    "haproxy",
    "rabbitmq",
    "keycloak",
    "elasticsearch",
    "opensearch",
    "kibana",
    "minio",
    "mailhog",
    "mailpit",
    "adminer",
    "pgadmin4",
    "grafana",
    "prometheus",
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    "python",
    "node",
    "openjdk",
    "eclipse-temurin",
    "kafka",
    "zookeeper",
    "solr",
    "clamav",
    "samba",
    "openldap",
    "ldap",
    "selenium",
    "standalone-chrome",
    "wiremock",
    "localstack",
    "azurite",
    "mssql-server",
];

/// Whether a line leaves installation to the supplier: one of [`CONTACT_SUPPLIER`],
/// not quoted (documentation that quotes the phrase, like this detector's, does not
/// count).
pub fn tells_to_contact_supplier(line: &str) -> bool {
    let lower = line.to_lowercase();
    CONTACT_SUPPLIER.iter().any(|p| {
        lower.match_indices(p).any(|(i, _)| {
            !lower[..i]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '"' | '\'' | '«' | '“' | '„' | '`'))
        })
    })
}

/// The URLs of a line: `http://` or `https://` up to whitespace or a closing bracket.
pub fn urls(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("http") {
        let tail = &rest[i..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            let end = tail
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\'' | '`')
                })
                .unwrap_or(tail.len());
            out.push(&tail[..end]);
            rest = &tail[end..];
        } else {
            rest = &tail[4..];
        }
    }
    out
}

/// The host of a URL, lower-case, without `www.` and port.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    host.trim_start_matches("www.").to_lowercase()
}

fn is_open_host(h: &str) -> bool {
    OPEN_HOSTS
        .iter()
        .any(|o| h == *o || h.ends_with(&format!(".{o}")))
        || h.starts_with("os2")
        || h.contains(".os2")
        || h == "localhost"
        || h.starts_with("127.")
}

/// Whether a URL points at a closed tracker: Redmine, Jira, YouTrack, or issues on a
/// self-hosted GitLab.
pub fn closed_tracker(url: &str) -> bool {
    let lower = url.to_lowercase();
    let h = host(&lower);
    if is_open_host(&h) {
        return false;
    }
    CLOSED_TRACKERS.iter().any(|t| lower.contains(t))
        || (h.contains("gitlab") || h.starts_with("git.")) && lower.contains("/issues")
}

/// The image of a compose `image:` line or a Helm `repository:` line, if any.
fn image_of(line: &str) -> Option<&str> {
    let t = line.trim().trim_start_matches("- ");
    let v = t
        .strip_prefix("image:")
        .or_else(|| t.strip_prefix("repository:"))?
        .trim();
    let v = v
        .split(" #")
        .next()
        .unwrap_or(v)
        .trim()
        .trim_matches(['"', '\'']);
    (!v.is_empty() && !v.contains("${") && !v.contains("{{")).then_some(v)
}

/// The bare name of an image: `registry/ns/name:tag` → `name`.
fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

impl LockIn {
    /// The documents read for links and phrases: README, CONTRIBUTING and Markdown at
    /// the root, in docs/ and in .github/.
    fn documents<'c>(&self, cx: &'c Context<'_>) -> Vec<&'c FileEntry> {
        let mut docs: Vec<&FileEntry> = cx
            .files()
            .iter()
            .filter(|f| {
                let dir = f.dir().to_lowercase();
                let name = f.lower_name();
                (dir.is_empty() || dir == "docs" || dir == "doc" || dir == ".github")
                    && (name.ends_with(".md")
                        || name.ends_with(".rst")
                        || name.ends_with(".txt") && name.starts_with("readme")
                        || name == "readme")
            })
            .collect();
        docs.sort_by_key(|f| (!f.dir().is_empty(), !f.lower_name().starts_with("readme")));
        docs.truncate(MAX_DOCS);
        docs
    }

    fn lines<'c>(
        &self,
        cx: &'c Context<'_>,
        files: &[&'c FileEntry],
    ) -> Vec<(&'c FileEntry, usize, String)> {
        let mut out = Vec::new();
        for f in files {
            if let Some(text) = cx.text(f) {
                for (i, l) in text.lines().enumerate() {
                    out.push((*f, i + 1, l.to_owned()));
                }
            }
        }
        out
    }
}

impl Detector for LockIn {
    fn id(&self) -> &'static str {
        "lock_in"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F6", "F11", "F17", "F19"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut docs = self.documents(cx);
        if let Some(pc) = cx
            .file("publiccode.yml")
            .or_else(|| cx.file("publiccode.yaml"))
        {
            docs.push(pc);
        }
        let lines = self.lines(cx, &docs);

        // F11: closed trackers.
        let mut closed: Vec<Evidence> = Vec::new();
        let mut open_issues = false;
        for (f, n, l) in &lines {
            for u in urls(l) {
                if closed_tracker(u) {
                    if closed.len() < 5 {
                        closed.push(Evidence::line(f.path.clone(), *n));
                        closed.push(Evidence::value("closed_tracker", u));
                    }
                } else if u.contains("/issues") && is_open_host(&host(u)) {
                    open_issues = true;
                }
            }
        }
        if !closed.is_empty() {
            let (confidence, da_tail, en_tail) = if open_issues {
                (
                    2,
                    " ved siden af et offentligt issue-system",
                    " beside a public issue tracker",
                )
            } else {
                (3, "", "")
            };
            out.push(finding(
                "F11",
                self.id(),
                Rating::Yellow,
                confidence,
                closed,
                format!("Dokumentationen henviser til et lukket issue-system (Redmine, Jira, en leverandørs GitLab){da_tail}; OS2 anviser offentlig issue-tracking."),
                format!("The documentation points to a closed issue tracker (Redmine, Jira, a supplier's GitLab){en_tail}; OS2 asks for public issue tracking."),
            ));
        }

        // F6: documentation only on a supplier's domain.
        let in_repo_docs = cx
            .files()
            .iter()
            .filter(|f| {
                let p = f.path.to_lowercase();
                (p.starts_with("docs/") || p.starts_with("doc/") || p.starts_with("documentation/"))
                    && (p.ends_with(".md") || p.ends_with(".rst") || p.ends_with(".adoc"))
            })
            .count();
        let has_docs_site = cx.file("mkdocs.yml").is_some() || cx.file("docs/conf.py").is_some();
        if in_repo_docs < 3 && !has_docs_site {
            let mut supplier: Vec<(&FileEntry, usize, String)> = Vec::new();
            let mut open_docs = false;
            for (f, n, l) in &lines {
                let lower = l.to_lowercase();
                let about_docs = lower.contains("dokumentation")
                    || lower.contains("documentation")
                    || lower.contains("docs");
                for u in urls(l) {
                    let h = host(u);
                    let docs_link = about_docs
                        || h.starts_with("docs.")
                        || h.contains(".docs.")
                        || u.contains("/docs");
                    if !docs_link {
                        continue;
                    }
                    if is_open_host(&h) {
                        open_docs = true;
                    } else {
                        supplier.push((*f, *n, h));
                    }
                }
            }
            if !supplier.is_empty() && !open_docs {
                let mut hosts: Vec<String> = supplier.iter().map(|(_, _, h)| h.clone()).collect();
                hosts.sort();
                hosts.dedup();
                let mut evidence: Vec<Evidence> = supplier
                    .iter()
                    .take(5)
                    .map(|(f, n, _)| Evidence::line(f.path.clone(), *n))
                    .collect();
                evidence.push(Evidence::value("docs_hosts", hosts.join(", ")));
                evidence.push(Evidence::value("docs_files_in_repository", in_repo_docs));
                out.push(finding(
                    "F6",
                    self.id(),
                    Rating::Yellow,
                    2,
                    evidence,
                    format!(
                        "Dokumentationen findes kun på {} og ikke i repositoriet; forsvinder den, hvis leverandøren skiftes?",
                        hosts.join(", ")
                    ),
                    format!(
                        "The documentation lives only on {} and not in the repository; would it vanish with a change of supplier?",
                        hosts.join(", ")
                    ),
                ));
            }
        }

        // F17: installation only through the supplier.
        let contact: Vec<Evidence> = lines
            .iter()
            .filter(|(_, _, l)| tells_to_contact_supplier(l))
            .take(5)
            .map(|(f, n, _)| Evidence::line(f.path.clone(), *n))
            .collect();
        if !contact.is_empty() {
            let documented = cx.readme().and_then(|r| cx.text(r)).is_some_and(|t| {
                let h = crate::context::headings(&t);
                crate::context::heading_with(&h, &["install", "opsætning", "deployment", "drift"])
                    .is_some()
                    && t.contains("```")
            });
            out.push(finding(
                "F17",
                self.id(),
                Rating::Yellow,
                if documented { 2 } else { 3 },
                contact,
                "Installationen henvises til leverandøren («kontakt leverandøren») i stedet for at være beskrevet, så andre kan drive løsningen.",
                "Installation is left to the supplier (“contact the supplier”) instead of being described so that others can run the solution.",
            ));
        }

        // F19: images that no workflow of the repository builds.
        let has_dockerfile = cx.files().iter().any(|f| {
            f.lower_name() == "dockerfile"
                || f.lower_name().ends_with(".dockerfile")
                || f.lower_name().starts_with("dockerfile.")
        });
        if has_dockerfile {
            let ci: Vec<&FileEntry> = cx.find(|p| {
                (p.starts_with(".github/workflows/")
                    && (p.ends_with(".yml") || p.ends_with(".yaml")))
                    || p == ".gitlab-ci.yml"
                    || p.starts_with(".gitlab-ci/")
                    || p.starts_with(".gitlab/ci/")
                    || p == ".woodpecker.yml"
                    || p.starts_with(".woodpecker/")
                    || p == "azure-pipelines.yml"
                    || p == "jenkinsfile"
            });
            let builds_images = ci.iter().any(|f| {
                cx.text(f).is_some_and(|t| {
                    let t = t.to_lowercase();
                    [
                        "docker push",
                        "build-push-action",
                        "docker buildx",
                        "buildah",
                        "kaniko",
                        "podman push",
                        "docker build",
                        "docker/build",
                        "publish-image",
                        "docker-publish",
                        "crane push",
                        "ko build",
                        "jib",
                        "ci_registry_image",
                        "registry_image",
                        "docker:dind",
                        "build-image",
                        "image-build",
                        "docker-build",
                    ]
                    .iter()
                    .any(|w| t.contains(w))
                })
            });
            if !builds_images {
                let deploy_files: Vec<&FileEntry> = cx.find(|p| {
                    let name = p.rsplit('/').next().unwrap_or(p);
                    (name.starts_with("docker-compose") || name.starts_with("compose."))
                        && (name.ends_with(".yml") || name.ends_with(".yaml"))
                        || name == "values.yaml" && !p.contains("/templates/")
                });
                let mut images: Vec<Evidence> = Vec::new();
                let mut names: Vec<String> = Vec::new();
                for f in deploy_files.iter().take(MAX_DOCS) {
                    let Some(text) = cx.text(f) else { continue };
                    for (i, l) in text.lines().enumerate() {
                        let Some(img) = image_of(l) else { continue };
                        let name = image_name(img).to_lowercase();
                        if !img.contains('/')
                            || THIRD_PARTY_IMAGES
                                .iter()
                                .any(|t| name == *t || name.starts_with(&format!("{t}-")))
                            || img.starts_with("bitnami/")
                            || img.starts_with("library/")
                        {
                            continue;
                        }
                        if images.len() < 10 {
                            images.push(Evidence::line(f.path.clone(), i + 1));
                        }
                        if !names.contains(&img.to_owned()) {
                            names.push(img.to_owned());
                        }
                    }
                }
                if !names.is_empty() {
                    images.push(Evidence::value(
                        "external_images",
                        names.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                    ));
                    images.push(Evidence::value("image_building_ci_files", 0));
                    out.push(finding(
                        "F19",
                        self.id(),
                        Rating::Yellow,
                        2,
                        images,
                        format!(
                            "{} hentes fra et register, men ingen workflow i repositoriet bygger dem: bygges de uden for repositoriet, fx af leverandøren?",
                            count(names.len(), "container-image", "container-images")
                        ),
                        format!(
                            "{} come from a registry, but no workflow in the repository builds them: are they built outside it, e.g. by the supplier?",
                            count(names.len(), "container image", "container images")
                        ),
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hosts_and_trackers() {
        let l = "Fejl meldes i [Redmine](https://redmine.leverandor.dk/projects/os2x/issues) eller <https://github.com/OS2/x/issues>.";
        let u = urls(l);
        assert_eq!(
            u,
            vec![
                "https://redmine.leverandor.dk/projects/os2x/issues",
                "https://github.com/OS2/x/issues"
            ]
        );
        assert_eq!(host(u[0]), "redmine.leverandor.dk");
        assert!(closed_tracker(u[0]));
        assert!(!closed_tracker(u[1]));
        assert!(closed_tracker(
            "https://git.magenta.dk/rammearkitektur/os2mo/-/issues"
        ));
        assert!(closed_tracker("https://firma.atlassian.net/browse/OS2-12"));
        assert!(!closed_tracker("https://gitlab.com/os2/x/-/issues"));
        assert_eq!(image_name("ghcr.io/os2/x:1.2@sha256:ab"), "x");
        assert_eq!(
            image_of("    image: magentaaps/os2mo:latest"),
            Some("magentaaps/os2mo:latest")
        );
        assert_eq!(image_of("  image: ${IMAGE}"), None);
        assert!(tells_to_contact_supplier(
            "Kontakt leverandøren for installation."
        ));
        assert!(!tells_to_contact_supplier(
            "A README saying «kontakt leverandøren» is a sign."
        ));
        assert!(!tells_to_contact_supplier("(\"contact the supplier\")"));
    }
}
