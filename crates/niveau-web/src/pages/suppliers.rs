//! Suppliers in the browser: `/leverandoerer` shows the portfolio's supplier
//! concentration (niveau-app's `suppliers::concentration`) to signed-in readers — counts,
//! one row per product with a column per supplier role, the flags in words, how many
//! products each supplier holds, and what ends soon. The product page's "Leverandører"
//! section and the organisation page's partner agreement reuse the rows built here; the
//! secretariat records, renews and removes a partner agreement through the forms posted
//! to `/organisationer/{id}/partneraftale` (CSRF, version, the typed text kept on errors).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::suppliers::{self, ENDING_SOON_DAYS, Ending, ProductSuppliers, SUPPLIER_ROLES};
use niveau_report::Lang;
use niveau_store::entity::partner_agreement;
use niveau_store::json::Contact;
use niveau_store::partners::PartnerInput;
use niveau_store::types::{AgreementKind, ParticipantRole};

use super::form::{Fields, FormPost, see_other};
use super::lang::PageLang;
use super::organisation::{self, PartnerForm};
use super::workspace::{Errors, date, form_version, here, in_lang, refuse};
use super::{Layout, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The column heading of a supplier role.
pub fn role_heading(role: ParticipantRole, lang: Lang) -> &'static str {
    match role {
        ParticipantRole::Udviklingsleverandor => lang.pick("Udvikling", "Development"),
        ParticipantRole::Reviewer => {
            lang.pick("Kvalitetssikring (review)", "Quality assurance (review)")
        }
        ParticipantRole::Driftsleverandor => lang.pick("Drift", "Operations"),
        ParticipantRole::Hostingleverandor => lang.pick("Hosting", "Hosting"),
        ParticipantRole::Supportleverandor => lang.pick("Support", "Support"),
        _ => "",
    }
}

/// The headings of the supplier-role columns, in [`SUPPLIER_ROLES`]' order.
pub fn role_headings(lang: Lang) -> Vec<&'static str> {
    SUPPLIER_ROLES
        .iter()
        .map(|r| role_heading(*r, lang))
        .collect()
}

/// A supplier in a cell.
pub struct Named {
    /// The organisation's id (for its page).
    pub id: i32,
    /// Its name.
    pub name: String,
    /// "(uden aftale)" when it has no current partner agreement; empty otherwise.
    pub mark: String,
}

/// One product's suppliers as the tables show them.
pub struct SupplierRow {
    /// The product's slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Per supplier role (in [`SUPPLIER_ROLES`]' order), the suppliers.
    pub cells: Vec<Vec<Named>>,
    /// What is worth a look, in words.
    pub flags: Vec<String>,
}

/// One product's suppliers as a row; the flags about agreements only when `agreements`.
pub fn row(p: &ProductSuppliers, lang: Lang) -> SupplierRow {
    let mut flags = Vec::new();
    if p.single_supplier {
        flags.push(
            lang.pick("én leverandør i alle roller", "one supplier in every role")
                .to_owned(),
        );
    }
    if p.self_review {
        flags.push(
            lang.pick("review af egen kode", "reviews its own code")
                .to_owned(),
        );
    }
    if p.no_third_party_review && !p.self_review {
        flags.push(
            lang.pick("ingen review fra tredjepart", "no third-party review")
                .to_owned(),
        );
    }
    if !p.without_agreement.is_empty() {
        flags.push(format!(
            "{}: {}",
            lang.pick(
                "uden gældende leverandørpartneraftale",
                "without a current supplier partner agreement"
            ),
            p.without_agreement.join(", ")
        ));
    }
    SupplierRow {
        slug: p.slug.clone(),
        name: p.name.clone(),
        cells: p
            .roles
            .iter()
            .map(|r| {
                r.suppliers
                    .iter()
                    .map(|s| Named {
                        id: s.organisation_id,
                        name: s.name.clone(),
                        mark: if s.without_agreement {
                            lang.pick("(uden aftale)", "(no agreement)").to_owned()
                        } else {
                            String::new()
                        },
                    })
                    .collect()
            })
            .collect(),
        flags,
    }
}

/// What ends soon, as shown.
struct EndingRow {
    what: String,
    label: String,
    product: String,
    ends_on: String,
    days_left: i64,
}

/// The app's label names a role or an agreement kind in Danish; the page says it in its
/// language.
fn ending_row(e: &Ending, lang: Lang) -> EndingRow {
    let (head, rest) = e.label.split_once(": ").unwrap_or(("", e.label.as_str()));
    let (what, label) = match e.kind {
        "partner_agreement" => (
            lang.pick("Leverandørpartneraftale", "Supplier partner agreement")
                .to_owned(),
            rest.to_owned(),
        ),
        "participant" => match ParticipantRole::parse(head) {
            Some(role) => (labels::role(role, lang), rest.to_owned()),
            None => (
                lang.pick("Leverandørrolle", "Supplier role").to_owned(),
                e.label.clone(),
            ),
        },
        _ => match AgreementKind::parse(head) {
            Some(kind) => (
                labels::agreement_kind(kind, lang).to_owned(),
                rest.to_owned(),
            ),
            None => (lang.pick("Aftale", "Agreement").to_owned(), e.label.clone()),
        },
    };
    EndingRow {
        what,
        label,
        product: e.product.clone().unwrap_or_default(),
        ends_on: e.ends_on.to_string(),
        days_left: e.days_left,
    }
}

/// A supplier and how many products it holds.
struct LoadRow {
    id: i32,
    name: String,
    products: usize,
    develops: usize,
    partner: bool,
}

#[derive(Template)]
#[template(path = "suppliers.html")]
struct SuppliersPage {
    layout: Layout,
    today: String,
    soon_days: u64,
    single_supplier: usize,
    self_review: usize,
    no_third_party_review: usize,
    headings: Vec<&'static str>,
    rows: Vec<SupplierRow>,
    loads: Vec<LoadRow>,
    ending: Vec<EndingRow>,
}

/// `GET /leverandoerer` (signed-in readers of the portfolio).
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/leverandoerer");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadPortfolio)) {
        return Ok(answer);
    }
    let c = suppliers::concentration(state.app(), auth.who()).await?;
    Ok(render(&SuppliersPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Leverandører", "Suppliers"),
            "suppliers",
            path,
        ),
        today: c.today.to_string(),
        soon_days: ENDING_SOON_DAYS,
        single_supplier: c.single_supplier,
        self_review: c.self_review,
        no_third_party_review: c.no_third_party_review,
        headings: role_headings(lang),
        rows: c.products.iter().map(|p| row(p, lang)).collect(),
        loads: c
            .suppliers
            .iter()
            .map(|s| LoadRow {
                id: s.organisation_id,
                name: s.name.clone(),
                products: s.products,
                develops: s.develops,
                partner: s.partner,
            })
            .collect(),
        ending: c.ending_soon.iter().map(|e| ending_row(e, lang)).collect(),
    }))
}

/// The fields of the partner form that errors can be shown at.
const FIELDS: &[&str] = &[
    "signed_on",
    "ends_on",
    "contacts",
    "competences",
    "logo_url",
    "document_url",
    "note",
];

/// What the visitor typed in the partner form (as text, so nothing is lost).
#[derive(Debug, Default, Clone)]
pub struct Draft {
    /// Signed on.
    pub signed_on: String,
    /// Ends on.
    pub ends_on: String,
    /// Code of conduct accepted.
    pub code_of_conduct: bool,
    /// `navn; rolle; e-mail; telefon`, one per line.
    pub contacts: String,
    /// One per line.
    pub competences: String,
    /// Logo link.
    pub logo_url: String,
    /// Document link.
    pub document_url: String,
    /// Note.
    pub note: String,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            signed_on: fields.one("signed_on").to_owned(),
            ends_on: fields.one("ends_on").to_owned(),
            code_of_conduct: fields.one("code_of_conduct") == "ja",
            contacts: fields.one("contacts").to_owned(),
            competences: fields.one("competences").to_owned(),
            logo_url: fields.one("logo_url").to_owned(),
            document_url: fields.one("document_url").to_owned(),
            note: fields.one("note").to_owned(),
        }
    }

    /// The stored agreement as the form shows it.
    pub fn of(a: &partner_agreement::Model) -> Draft {
        Draft {
            signed_on: a.signed_on.to_string(),
            ends_on: a.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            code_of_conduct: a.code_of_conduct,
            contacts: a
                .contacts
                .0
                .iter()
                .map(contact_line)
                .collect::<Vec<_>>()
                .join("\n"),
            competences: a.competences.0.join("\n"),
            logo_url: a.logo_url.clone().unwrap_or_default(),
            document_url: a.document_url.clone().unwrap_or_default(),
            note: a.note.clone().unwrap_or_default(),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<PartnerInput, Errors> {
        let signed_on = date(&self.signed_on, lang)
            .map_err(|e| Errors::at_field("signed_on", e))?
            .ok_or_else(|| {
                Errors::at_field(
                    "signed_on",
                    lang.pick(
                        "Skriv den dag, aftalen blev underskrevet.",
                        "Give the day the agreement was signed.",
                    )
                    .to_owned(),
                )
            })?;
        let ends_on = date(&self.ends_on, lang).map_err(|e| Errors::at_field("ends_on", e))?;
        let contacts =
            parse_contacts(&self.contacts, lang).map_err(|e| Errors::at_field("contacts", e))?;
        let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        Ok(PartnerInput {
            signed_on,
            ends_on,
            code_of_conduct: self.code_of_conduct,
            contacts,
            competences: self
                .competences
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            logo_url: optional(&self.logo_url),
            document_url: optional(&self.document_url),
            note: optional(&self.note),
            version,
        })
    }
}

/// `navn; rolle; e-mail; telefon`.
fn contact_line(c: &Contact) -> String {
    let mut parts = vec![
        c.name.clone(),
        c.role.clone().unwrap_or_default(),
        c.email.clone().unwrap_or_default(),
        c.phone.clone().unwrap_or_default(),
    ];
    while parts.len() > 1 && parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts.join("; ")
}

/// Contacts typed one per line as `navn; rolle; e-mail; telefon` (the last three may be
/// left out).
pub fn parse_contacts(text: &str, lang: Lang) -> Result<Vec<Contact>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        if parts.len() > 4 {
            return Err(format!(
                "{} {}: {}",
                lang.pick("Linje", "Line"),
                n + 1,
                lang.pick(
                    "højst fire felter adskilt af semikolon (navn; rolle; e-mail; telefon).",
                    "at most four fields separated by semicolons (name; role; e-mail; phone)."
                )
            ));
        }
        let field = |i: usize| {
            parts
                .get(i)
                .copied()
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        out.push(Contact {
            name: parts.first().copied().unwrap_or("").to_owned(),
            role: field(1),
            email: field(2),
            phone: field(3),
        });
    }
    Ok(out)
}

/// Organisation `id` from the path, or the 404 page.
fn parse_id(state: &AppState, auth: &Auth, lang: Lang, id: &str) -> Result<i32, Box<Response>> {
    id.parse::<i32>().map_err(|_| {
        Box::new(super::error_page(
            state,
            auth,
            lang,
            &format!("/organisationer/{id}"),
            ApiError::not_found(niveau_model::Msg::new(
                format!("organisation {id}"),
                format!("organisation {id}"),
            )),
        ))
    })
}

/// `POST /organisationer/{id}/partneraftale`: record or renew the partner agreement at
/// the form's version (none for a new one).
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/organisationer/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let number = match parse_id(&state, &auth, lang, &id) {
        Ok(n) => n,
        Err(answer) => return Ok(*answer),
    };
    let draft = Draft::read(&fields);
    let version = match fields.one("version") {
        "" => None,
        v => v.parse::<i32>().ok(),
    };
    let result = match draft.input(version, lang) {
        Ok(input) => suppliers::put_partner(state.app(), auth.who(), number, &input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                let conflict = e.detail.code == "conflict";
                (
                    Errors::of(
                        &e,
                        lang,
                        ("Leverandørpartneraftalen", "The partner agreement"),
                        FIELDS,
                    ),
                    e.status,
                    conflict,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY, false)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/organisationer/{number}?besked=partneraftale-gemt#partneraftale"
        ))),
        Err((errors, status, conflict)) => {
            organisation::show(
                &state,
                &auth,
                lang,
                &path,
                number,
                PartnerForm {
                    draft: Some(draft),
                    errors,
                    conflict,
                    // After a conflict the form carries the stored version: saving
                    // again is a deliberate choice to replace it.
                    version: if conflict { None } else { version },
                    notice: String::new(),
                },
                status,
            )
            .await
        }
    }
}

/// `POST /organisationer/{id}/partneraftale/fjern`: remove the partner agreement at the
/// form's version.
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/organisationer/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let number = match parse_id(&state, &auth, lang, &id) {
        Ok(n) => n,
        Err(answer) => return Ok(*answer),
    };
    let result = match form_version(&fields) {
        Ok(version) => suppliers::remove_partner(state.app(), auth.who(), number, version).await,
        Err(e) => Err(e),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/organisationer/{number}?besked=partneraftale-fjernet#partneraftale"
        ))),
        Err(e) => {
            let errors = if e.detail.code == "conflict" {
                Errors::general(
                    lang.pick(
                        "Leverandørpartneraftalen er ændret af en anden, siden du hentede siden. Den er ikke fjernet; siden viser nu den gemte udgave.",
                        "The partner agreement was changed by someone else after you loaded the page. It was not removed; the page now shows the stored version.",
                    )
                    .to_owned(),
                )
            } else {
                Errors::of(
                    &e,
                    lang,
                    ("Leverandørpartneraftalen", "The partner agreement"),
                    &[],
                )
            };
            organisation::show(
                &state,
                &auth,
                lang,
                &path,
                number,
                PartnerForm {
                    errors,
                    ..PartnerForm::default()
                },
                e.status,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_read_one_per_line() {
        let c = parse_contacts(
            "Anne Hansen; kontaktperson; anne@example.dk; 12345678\n\n Bo ;;bo@example.dk\n",
            Lang::Da,
        )
        .unwrap_or_default();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].phone.as_deref(), Some("12345678"));
        assert_eq!(c[1].name, "Bo");
        assert_eq!(c[1].role, None);
        assert_eq!(c[1].email.as_deref(), Some("bo@example.dk"));
        assert_eq!(contact_line(&c[1]), "Bo; ; bo@example.dk");
        assert!(parse_contacts("a;b;c;d;e", Lang::En).is_err());
    }
}
