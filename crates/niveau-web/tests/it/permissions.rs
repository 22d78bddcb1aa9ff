#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The role × endpoint matrix: every endpoint of the API (taken from the generated OpenAPI
//! document, so a new endpoint without a row here fails the test) is called by every role
//! and by an anonymous caller, and the answer must be allowed or forbidden as the table
//! says. "Forbidden" is 401 for anonymous callers and 403 for logged-in ones (404 where
//! the table says the thing is hidden); "allowed" is any 2xx or a 409 (an earlier allowed
//! role already changed the record).

use crate::common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::TestApp;
use niveau_store::Actor;
use niveau_store::evaluations::NewEvaluation;
use niveau_store::types::EvaluationStatus;
use serde_json::{Value, json};

/// Callers in the order they are tried: anonymous first, the most powerful last, so that
/// allowed writes by early roles leave something for later roles to conflict with.
const CALLERS: [Option<&str>; 6] = [
    None,
    Some("læser"),
    Some("produktredaktør"),
    Some("bestyrelse"),
    Some("sekretariat"),
    Some("admin"),
];

/// Ids of the rows every case can refer to.
#[derive(Debug, Clone, Default)]
struct Fixture {
    ids: Vec<(&'static str, String)>,
}

impl Fixture {
    fn fill(&self, text: &str, caller: usize) -> String {
        let mut out = text.replace("{n}", &caller.to_string());
        for (name, value) in &self.ids {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// Who may: a set of letters, `-` anonymous, `L` læser, `P` produktredaktør (of the
/// product the case uses), `B` bestyrelse, `S` sekretariat, `A` admin; `*` everybody.
struct Case {
    method: Method,
    template: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    allowed: &'static str,
    /// Anonymous callers get 404 instead of 401 (the thing is hidden from them).
    hidden: bool,
    /// Some callers are refused for what this body asks (an editor publishing), not for
    /// calling the endpoint: with another body they may call it.
    by_body: bool,
}

fn case(
    method: Method,
    template: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    allowed: &'static str,
) -> Case {
    Case {
        method,
        template,
        path,
        body,
        allowed,
        hidden: false,
        by_body: false,
    }
}

const LOGGED_IN: &str = "LPBSA";
const STAFF: &str = "SA";

fn cases() -> Vec<Case> {
    use Method as M;
    let product = r#"{"slug": "ny-{n}", "name": "Nyt produkt {n}"}"#;
    let product_update = r#"{"slug": "os2mo", "name": "OS2mo", "published": true, "repositories": ["https://github.com/OS2mo/os2mo"], "version": 1}"#;
    let participant = r#"{"organisation_id": {org}, "role": "anvender"}"#;
    let participant_update = r#"{"organisation_id": {org}, "role": "anvender", "version": 1}"#;
    let org = r#"{"name": "Kommune {n}", "kind": "kommune"}"#;
    let org_update = r#"{"name": "Aarhus Kommune", "kind": "kommune", "version": 1}"#;
    let person = r#"{"name": "Person {n}"}"#;
    let person_update = r#"{"name": "Person", "version": 1}"#;
    let group = r#"{"product_id": {product}, "kind": "faggruppe", "name": "Faggruppe {n}"}"#;
    let group_update =
        r#"{"product_id": {product}, "kind": "styregruppe", "name": "Styregruppen", "version": 2}"#;
    let member = r#"{"organisation_id": {org}, "role": "medlem"}"#;
    let member_update = r#"{"organisation_id": {org}, "role": "formand", "version": 1}"#;
    let agreement = r#"{"product_id": {product}, "kind": "tilslutningsaftale", "title": "Aftale {n}", "parties": [{"organisation_id": {org}}]}"#;
    let agreement_update = r#"{"product_id": {product}, "kind": "tilslutningsaftale", "title": "Aftalen", "version": 1}"#;
    let round = r#"{"name": "Runde {n}", "opens_on": "2026-09-01", "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-01"}"#;
    let round_update = r#"{"name": "Efterår 2026", "opens_on": "2026-09-01", "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-01", "version": 1}"#;
    let decision = r#"{"product_id": {product}, "decided_on": "2026-11-01", "kind": "andet", "basis": "Beslutning {n}", "decided_by": "bestyrelse"}"#;
    let token = r#"{"name": "token {n}", "scopes": ["read"]}"#;
    let user = r#"{"username": "ny-{n}", "display_name": "Ny", "roles": ["læser"]}"#;
    let user_update = r#"{"display_name": "Læser", "roles": ["læser"], "version": 1}"#;
    let password = r#"{"password": "en-rigtig-lang-adgangskode"}"#;
    let login = r#"{"username": "ingen", "password": "forkert"}"#;

    let mut all = vec![
        // Accounts.
        case(
            M::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login",
            Some(login),
            "*",
        ),
        case(
            M::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout",
            None,
            "*",
        ),
        case(
            M::GET,
            "/api/v1/auth/providers",
            "/api/v1/auth/providers",
            None,
            "*",
        ),
        case(M::GET, "/api/v1/meta", "/api/v1/meta", None, "*"),
        case(M::GET, "/api/v1/me", "/api/v1/me", None, LOGGED_IN),
        case(
            M::GET,
            "/api/v1/me/tokens",
            "/api/v1/me/tokens",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/me/tokens",
            "/api/v1/me/tokens",
            Some(token),
            LOGGED_IN,
        ),
        // Issue 16: the e-mail outbox (the secretariat) and one's notification settings.
        case(M::GET, "/api/v1/outbox", "/api/v1/outbox", None, STAFF),
        case(
            M::POST,
            "/api/v1/outbox/{id}/retry",
            "/api/v1/outbox/{failed_mail}/retry",
            None,
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/me/notifications",
            "/api/v1/me/notifications",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/me/notifications",
            "/api/v1/me/notifications",
            Some(r#"{"mode": "digest", "language": "en"}"#),
            LOGGED_IN,
        ),
        case(M::GET, "/api/v1/users", "/api/v1/users", None, "A"),
        case(M::POST, "/api/v1/users", "/api/v1/users", Some(user), "A"),
        case(
            M::GET,
            "/api/v1/users/{id}",
            "/api/v1/users/{læser_id}",
            None,
            "A",
        ),
        case(
            M::PUT,
            "/api/v1/users/{id}",
            "/api/v1/users/{læser_id}",
            Some(user_update),
            "A",
        ),
        case(
            M::POST,
            "/api/v1/users/{id}/password",
            "/api/v1/users/{læser_id}/password",
            Some(password),
            "A",
        ),
        // Products.
        case(M::GET, "/api/v1/products", "/api/v1/products", None, "*"),
        case(
            M::POST,
            "/api/v1/products",
            "/api/v1/products",
            Some(product),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}",
            "/api/v1/products/os2mo",
            None,
            "*",
        ),
        case(
            M::PUT,
            "/api/v1/products/{key}",
            "/api/v1/products/os2mo",
            Some(product_update),
            "PSA",
        ),
        case(
            M::DELETE,
            "/api/v1/products/{key}",
            "/api/v1/products/other",
            None,
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/participants",
            "/api/v1/products/os2mo/participants",
            None,
            "*",
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/participants",
            "/api/v1/products/os2mo/participants",
            Some(participant),
            "PSA",
        ),
        case(
            M::PUT,
            "/api/v1/participants/{id}",
            "/api/v1/participants/{participant}",
            Some(participant_update),
            "PSA",
        ),
        case(
            M::DELETE,
            "/api/v1/participants/{id}",
            "/api/v1/participants/{participant}",
            None,
            "PSA",
        ),
        // Organisations and persons.
        case(
            M::GET,
            "/api/v1/organisations",
            "/api/v1/organisations",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/organisations",
            "/api/v1/organisations",
            Some(org),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/organisations/{id}",
            "/api/v1/organisations/{org}",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/organisations/{id}",
            "/api/v1/organisations/{org}",
            Some(org_update),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/organisations/{id}",
            "/api/v1/organisations/{org2}",
            None,
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/persons",
            "/api/v1/persons",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/persons",
            "/api/v1/persons",
            Some(person),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/persons/{id}",
            "/api/v1/persons/{person}",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/persons/{id}",
            "/api/v1/persons/{person}",
            Some(person_update),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/persons/{id}",
            "/api/v1/persons/{person}",
            None,
            STAFF,
        ),
        // Groups.
        case(M::GET, "/api/v1/groups", "/api/v1/groups", None, LOGGED_IN),
        case(
            M::POST,
            "/api/v1/groups",
            "/api/v1/groups",
            Some(group),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/groups/{id}",
            "/api/v1/groups/{group}",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/groups/{id}",
            "/api/v1/groups/{group}",
            Some(group_update),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/groups/{id}",
            "/api/v1/groups/{group}",
            None,
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/groups/{id}/members",
            "/api/v1/groups/{group}/members",
            Some(member),
            STAFF,
        ),
        case(
            M::PUT,
            "/api/v1/members/{id}",
            "/api/v1/members/{member}",
            Some(member_update),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/members/{id}",
            "/api/v1/members/{member}",
            None,
            STAFF,
        ),
        // Agreements.
        case(
            M::GET,
            "/api/v1/agreements",
            "/api/v1/agreements",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/agreements",
            "/api/v1/agreements",
            Some(agreement),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/agreements/{id}",
            "/api/v1/agreements/{agreement}",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/agreements/{id}",
            "/api/v1/agreements/{agreement}",
            Some(agreement_update),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/agreements/{id}",
            "/api/v1/agreements/{agreement}",
            None,
            STAFF,
        ),
        // Rounds.
        case(M::GET, "/api/v1/rounds", "/api/v1/rounds", None, LOGGED_IN),
        case(
            M::POST,
            "/api/v1/rounds",
            "/api/v1/rounds",
            Some(round),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/rounds/{id}",
            "/api/v1/rounds/{round}",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/rounds/{id}",
            "/api/v1/rounds/{round}",
            Some(round_update),
            STAFF,
        ),
        // A round's repository issues (#16).
        case(
            M::GET,
            "/api/v1/rounds/{id}/forge-issues",
            "/api/v1/rounds/{round}/forge-issues",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/rounds/{id}/forge-issues",
            "/api/v1/rounds/{round}/forge-issues",
            Some(r#"{"enabled": true}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/rounds/{id}/forge-issues/run",
            "/api/v1/rounds/{round}/forge-issues/run",
            None,
            STAFF,
        ),
        // The iCalendar feed (#16): everybody; what is in it depends on the caller
        // (tests/it/calendar.rs), and anonymous callers get an empty calendar.
        case(
            M::GET,
            "/api/v1/calendar.ics",
            "/api/v1/calendar.ics",
            None,
            "*",
        ),
        // Decisions and audit.
        case(M::GET, "/api/v1/decisions", "/api/v1/decisions", None, "*"),
        case(
            M::POST,
            "/api/v1/decisions",
            "/api/v1/decisions",
            Some(decision),
            "BSA",
        ),
        case(
            M::GET,
            "/api/v1/decisions/{id}",
            "/api/v1/decisions/{decision}",
            None,
            "*",
        ),
        case(M::GET, "/api/v1/audit", "/api/v1/audit", None, "BSA"),
        case(
            M::GET,
            "/api/v1/audit/{entity}/{id}",
            "/api/v1/audit/product/{product}",
            None,
            "BSA",
        ),
    ];
    all.push(Case {
        hidden: true,
        ..case(
            M::GET,
            "/api/v1/products/{key}",
            "/api/v1/products/hidden",
            None,
            LOGGED_IN,
        )
    });
    all.push(case(
        M::PUT,
        "/api/v1/products/{key}",
        "/api/v1/products/other",
        Some(r#"{"slug": "other", "name": "Other", "published": true, "version": 1}"#),
        STAFF,
    ));
    all.push(case(
        M::DELETE,
        "/api/v1/me/tokens/{id}",
        "/api/v1/me/tokens/{own_token}",
        None,
        LOGGED_IN,
    ));
    // An editor may change the fields of their product, not publish, unpublish or
    // rename it (by id, so the renamed product is still found by later callers).
    all.push(Case {
        by_body: true,
        ..case(
            M::PUT,
            "/api/v1/products/{key}",
            "/api/v1/products/{product}",
            Some(r#"{"slug": "os2mo", "name": "OS2mo", "published": false, "version": 1}"#),
            STAFF,
        )
    });
    all.push(Case {
        by_body: true,
        ..case(
            M::PUT,
            "/api/v1/products/{key}",
            "/api/v1/products/{product}",
            Some(r#"{"slug": "os2mo-{n}", "name": "OS2mo", "published": true, "version": 1}"#),
            STAFF,
        )
    });
    all.extend(evaluation_cases());
    all.extend(process_cases());
    all.extend(wish_cases());
    all.extend(wish_transfer_cases());
    all.extend(supplier_cases());
    all
}

/// Suppliers and their partner agreements (#14).
fn supplier_cases() -> Vec<Case> {
    use Method as M;
    let partner = r#"{"signed_on": "2024-01-01", "code_of_conduct": true, "competences": ["Drift {n}"], "version": 1}"#;
    vec![
        case(
            M::GET,
            "/api/v1/suppliers/concentration",
            "/api/v1/suppliers/concentration",
            None,
            LOGGED_IN,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/suppliers",
            "/api/v1/products/os2mo/suppliers",
            None,
            "*",
        ),
        case(
            M::GET,
            "/api/v1/organisations/{id}/partner-agreement",
            "/api/v1/organisations/{supplier}/partner-agreement",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/organisations/{id}/partner-agreement",
            "/api/v1/organisations/{supplier}/partner-agreement",
            Some(partner),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/organisations/{id}/partner-agreement",
            "/api/v1/organisations/{supplier}/partner-agreement",
            None,
            STAFF,
        ),
    ]
}

/// A supplier (Magenta ApS) with a partner agreement at version 1, developing os2mo (#14).
async fn supplier_fixture(app: &TestApp, product_id: i32) -> i32 {
    let store = app.store();
    let sys = Actor::system("fixture");
    let supplier = store
        .create_organisation(
            &sys,
            serde_json::from_value(json!({"name": "Magenta ApS", "kind": "leverandør"})).unwrap(),
        )
        .await
        .unwrap();
    store
        .put_partner_agreement(
            &sys,
            supplier.id,
            &serde_json::from_value(json!({"signed_on": "2019-06-01", "code_of_conduct": true}))
                .unwrap(),
        )
        .await
        .unwrap();
    store
        .add_participant(
            &sys,
            product_id,
            serde_json::from_value(
                json!({"organisation_id": supplier.id, "role": "udviklingsleverandør"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    supplier.id
}

/// Wishes in and out as CSV (#14). The import's body is a CSV file; the matrix's JSON body
/// is no backlog, so an allowed caller gets 422 from the reading of the file (see
/// [`reaches_the_import`]), and a refused one 401/403 before it is read.
fn wish_transfer_cases() -> Vec<Case> {
    use Method as M;
    vec![
        case(
            M::GET,
            "/api/v1/wishes.csv",
            "/api/v1/wishes.csv",
            None,
            "*",
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/wishes/import",
            "/api/v1/products/os2mo/wishes/import",
            Some(r#"{"titel": "Ønske {n}"}"#),
            "PSA",
        ),
    ]
}

/// An allowed caller of the backlog import whose body is not a backlog: the file was read
/// (and refused with its reasons), which only an allowed caller gets to.
fn reaches_the_import(template: &str, status: StatusCode) -> bool {
    template == "/api/v1/products/{key}/wishes/import" && status == StatusCode::UNPROCESSABLE_ENTITY
}

/// Development wishes (#14): the public reads published products' wishes, every
/// signed-in person raises and comments, the product's editors and the secretariat
/// handle them.
fn wish_cases() -> Vec<Case> {
    use Method as M;
    let hidden = |c: Case| Case { hidden: true, ..c };
    let handlers = "PSA";
    let wish = r#"{"title": "Ønske {n}", "need": "Et behov", "priority": "lav"}"#;
    let describe = r#"{"title": "Ønsket", "need": "Behovet", "version": 1}"#;
    let screening = r#"{"entries": [
        {"criterion": "Passer til produktets formål og køreplan", "rating": "grøn"},
        {"criterion": "Gavner flere organisationer end den, der ønsker det", "rating": "grøn"},
        {"criterion": "Er teknisk og arkitektonisk forsvarligt", "rating": "gul"},
        {"criterion": "Kan finansieres", "rating": "grøn"}], "version": 1}"#;
    let estimate = r#"{"supplier_id": {org}, "solution": "Løsningen", "estimate_hours": 10, "estimate_ore": 1000000, "version": 1}"#;
    let funding = r#"{"payer": "fællesskabet", "target_ore": 3000000, "version": 1}"#;
    let pledge = r#"{"organisation_id": {org2}, "amount_ore": 100000, "version": 3}"#;
    let settings = r#"{"criteria": ["Passer til køreplanen"], "target_days": 120}"#;
    vec![
        case(
            M::GET,
            "/api/v1/wish-process",
            "/api/v1/wish-process",
            None,
            "*",
        ),
        case(
            M::GET,
            "/api/v1/wishes",
            "/api/v1/wishes?open=true",
            None,
            "*",
        ),
        case(
            M::GET,
            "/api/v1/wishes/overview",
            "/api/v1/wishes/overview",
            None,
            LOGGED_IN,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/wishes",
            "/api/v1/products/os2mo/wishes",
            None,
            "*",
        ),
        hidden(case(
            M::GET,
            "/api/v1/products/{key}/wishes",
            "/api/v1/products/hidden/wishes",
            None,
            LOGGED_IN,
        )),
        case(
            M::POST,
            "/api/v1/products/{key}/wishes",
            "/api/v1/products/os2mo/wishes",
            Some(wish),
            LOGGED_IN,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/wishes/prioritisation",
            "/api/v1/products/os2mo/wishes/prioritisation",
            None,
            handlers,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/wishes/prioritisation",
            "/api/v1/products/other/wishes/prioritisation",
            None,
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/wish-settings",
            "/api/v1/products/os2mo/wish-settings",
            None,
            LOGGED_IN,
        ),
        case(
            M::PUT,
            "/api/v1/products/{key}/wish-settings",
            "/api/v1/products/os2mo/wish-settings",
            Some(settings),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/products/{key}/wish-settings",
            "/api/v1/products/other/wish-settings",
            Some(settings),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/wishes/{id}",
            "/api/v1/wishes/{wish}",
            None,
            "*",
        ),
        hidden(case(
            M::GET,
            "/api/v1/wishes/{id}",
            "/api/v1/wishes/{hidden_wish}",
            None,
            LOGGED_IN,
        )),
        case(
            M::PUT,
            "/api/v1/wishes/{id}",
            "/api/v1/wishes/{wish}",
            Some(describe),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/wishes/{id}",
            "/api/v1/wishes/{other_wish}",
            Some(describe),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/wishes/{id}/steps",
            "/api/v1/wishes/{wish}/steps",
            Some(r#"{"to": "screening", "version": 1}"#),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/wishes/{id}/screening",
            "/api/v1/wishes/{wish}/screening",
            Some(screening),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/wishes/{id}/estimate",
            "/api/v1/wishes/{wish}/estimate",
            Some(estimate),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/wishes/{id}/funding",
            "/api/v1/wishes/{wish}/funding",
            Some(funding),
            handlers,
        ),
        case(
            M::PUT,
            "/api/v1/wishes/{id}/rank",
            "/api/v1/wishes/{wish}/rank",
            Some(r#"{"rank": 1, "version": 1}"#),
            handlers,
        ),
        case(
            M::POST,
            "/api/v1/wishes/{id}/pledges",
            "/api/v1/wishes/{funded_wish}/pledges",
            Some(pledge),
            handlers,
        ),
        case(
            M::POST,
            "/api/v1/wishes/{id}/pledges/{pledge_id}/withdrawal",
            "/api/v1/wishes/{funded_wish}/pledges/{pledge}/withdrawal",
            Some(r#"{"version": 3}"#),
            handlers,
        ),
        case(
            M::POST,
            "/api/v1/wishes/{id}/comments",
            "/api/v1/wishes/{wish}/comments",
            Some(r#"{"body": "Kommentar {n}"}"#),
            LOGGED_IN,
        ),
        hidden(case(
            M::POST,
            "/api/v1/wishes/{id}/comments",
            "/api/v1/wishes/{hidden_wish}/comments",
            Some(r#"{"body": "Kommentar {n}"}"#),
            LOGGED_IN,
        )),
    ]
}

/// The product process, the board's meetings and cases, progress reports (#13).
fn process_cases() -> Vec<Case> {
    use Method as M;
    let by_body = |c: Case| Case { by_body: true, ..c };
    let step = r#"{"transition": "koncept", "decided_by": "sekretariat", "decided_on": "2026-11-01", "basis": "Formet til koncept {n}"}"#;
    let withdraw = r#"{"transition": "traek-tilbage", "decided_by": "initiativtager", "decided_on": "2026-11-01", "basis": "Trukket tilbage {n}"}"#;
    let meeting = r#"{"held_on": "2027-03-12", "title": "Bestyrelsesmøde {n}"}"#;
    let meeting_update = r#"{"held_on": "2027-03-12", "title": "Bestyrelsesmødet", "version": 1}"#;
    let board_case = r#"{"product_id": {product}, "kind": "koncept", "title": "Sag {n}", "presentation": "Konceptet til godkendelse"}"#;
    let board_case_update = r#"{"product_id": {product}, "kind": "orientering", "title": "Sagen", "presentation": "Til orientering", "version": 1}"#;
    let decision =
        r#"{"outcome": "taget til efterretning", "decided_on": "2027-03-12", "version": 1}"#;
    let progress = r#"{"period_from": "2026-07-01", "period_to": "2026-09-30", "status": "på sporet", "progress": "Rapport {n}"}"#;
    vec![
        case(M::GET, "/api/v1/process", "/api/v1/process", None, "*"),
        case(
            M::GET,
            "/api/v1/products/{key}/process",
            "/api/v1/products/os2mo/process",
            None,
            "*",
        ),
        by_body(case(
            M::POST,
            "/api/v1/products/{key}/process/steps",
            "/api/v1/products/os2mo/process/steps",
            Some(step),
            STAFF,
        )),
        by_body(case(
            M::POST,
            "/api/v1/products/{key}/process/steps",
            "/api/v1/products/os2mo/process/steps",
            Some(withdraw),
            "PSA",
        )),
        case(
            M::GET,
            "/api/v1/board/meetings",
            "/api/v1/board/meetings",
            None,
            "BSA",
        ),
        case(
            M::POST,
            "/api/v1/board/meetings",
            "/api/v1/board/meetings",
            Some(meeting),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/board/meetings/{id}",
            "/api/v1/board/meetings/{meeting}",
            None,
            "BSA",
        ),
        case(
            M::PUT,
            "/api/v1/board/meetings/{id}",
            "/api/v1/board/meetings/{meeting}",
            Some(meeting_update),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/board/cases",
            "/api/v1/board/cases?open=true&product_id={product}",
            None,
            "BSA",
        ),
        case(
            M::POST,
            "/api/v1/board/cases",
            "/api/v1/board/cases",
            Some(board_case),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/board/cases/{id}",
            "/api/v1/board/cases/{board_case}",
            None,
            "BSA",
        ),
        case(
            M::PUT,
            "/api/v1/board/cases/{id}",
            "/api/v1/board/cases/{board_case}",
            Some(board_case_update),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/board/cases/{id}/decision",
            "/api/v1/board/cases/{board_case}/decision",
            Some(decision),
            "BSA",
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/progress",
            "/api/v1/products/os2mo/progress",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/progress",
            "/api/v1/products/os2mo/progress",
            Some(progress),
            "PSA",
        ),
        case(M::GET, "/api/v1/progress", "/api/v1/progress", None, "BSA"),
        case(
            M::POST,
            "/api/v1/rounds/{id}/close",
            "/api/v1/rounds/{round}/close",
            Some(r#"{"version": 1}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/groups/{id}/meetings",
            "/api/v1/groups/{meeting_group}/meetings",
            Some(
                r#"{"held_on": "2026-10-01", "title": "Styregruppemøde {n}", "minutes_url": "https://os2.eu/referat"}"#,
            ),
            STAFF,
        ),
        case(
            M::PUT,
            "/api/v1/group-meetings/{id}",
            "/api/v1/group-meetings/{group_meeting}",
            Some(r#"{"held_on": "2026-10-01", "title": "Mødet", "version": 1}"#),
            STAFF,
        ),
        case(
            M::DELETE,
            "/api/v1/group-meetings/{id}",
            "/api/v1/group-meetings/{group_meeting}",
            None,
            STAFF,
        ),
    ]
}

/// Self-evaluations, evaluations, evidence and scans.
fn evaluation_cases() -> Vec<Case> {
    use Method as M;
    let form = include_str!("../../../../fixtures/os2/forms/selfeval-form-os2-test.json");
    let hidden = |c: Case| Case { hidden: true, ..c };
    vec![
        case(
            M::POST,
            "/api/v1/products/{key}/self-evaluations",
            "/api/v1/products/os2mo/self-evaluations",
            Some(form),
            "PSA",
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/self-evaluations",
            "/api/v1/products/other/self-evaluations",
            Some(form),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/self-evaluations",
            "/api/v1/products/os2mo/self-evaluations",
            None,
            LOGGED_IN,
        ),
        case(
            M::GET,
            "/api/v1/self-evaluations/{id}",
            "/api/v1/self-evaluations/{self_evaluation}",
            None,
            LOGGED_IN,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/self-evaluations/{number}",
            "/api/v1/products/os2mo/self-evaluations/1",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/self-evaluations/{number}/restore",
            "/api/v1/products/os2mo/self-evaluations/1/restore",
            Some("{}"),
            "PSA",
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/self-evaluations/carry",
            "/api/v1/products/os2mo/self-evaluations/carry",
            Some(r#"{"model": "os2-2021"}"#),
            "PSA",
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/self-evaluations/carry",
            "/api/v1/products/other/self-evaluations/carry",
            Some(r#"{"model": "os2-2021"}"#),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/upload-quota",
            "/api/v1/products/os2mo/upload-quota",
            None,
            "PSA",
        ),
        case(
            M::PUT,
            "/api/v1/products/{key}/upload-quota",
            "/api/v1/products/os2mo/upload-quota",
            Some(r#"{"upload_quota_bytes": 104857600, "version": 1}"#),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/products/{key}/evidence",
            "/api/v1/products/os2mo/evidence",
            None,
            LOGGED_IN,
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/evaluations",
            "/api/v1/products/os2mo/evaluations",
            Some("{}"),
            STAFF,
        ),
        case(
            M::GET,
            "/api/v1/evaluations",
            "/api/v1/evaluations",
            None,
            "*",
        ),
        hidden(case(
            M::GET,
            "/api/v1/evaluations/{id}",
            "/api/v1/evaluations/{evaluation}",
            None,
            LOGGED_IN,
        )),
        hidden(case(
            M::GET,
            "/api/v1/evaluations/{id}",
            "/api/v1/evaluations/{other_evaluation}",
            None,
            "LBSA",
        )),
        hidden(case(
            M::GET,
            "/api/v1/evaluations/{id}",
            "/api/v1/evaluations/{draft}",
            None,
            STAFF,
        )),
        hidden(case(
            M::GET,
            "/api/v1/evaluations/{id}/versions",
            "/api/v1/evaluations/{evaluation}/versions",
            None,
            LOGGED_IN,
        )),
        case(
            M::PUT,
            "/api/v1/evaluations/{id}",
            "/api/v1/evaluations/{evaluation}",
            Some(r#"{"ratings": [], "version": 2}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/evaluations/{id}/status",
            "/api/v1/evaluations/{evaluation}/status",
            Some(r#"{"status": "kladde", "version": 2}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/evaluations/{id}/finalise",
            "/api/v1/evaluations/{evaluation}/finalise",
            Some(
                r#"{"version": 2, "level": "1", "basis": "Skal-kravene er opfyldt", "justification": "Dokumenteret i dialogen"}"#,
            ),
            STAFF,
        ),
        hidden(case(
            M::GET,
            "/api/v1/evaluations/{id}/comments",
            "/api/v1/evaluations/{evaluation}/comments",
            None,
            LOGGED_IN,
        )),
        case(
            M::POST,
            "/api/v1/evaluations/{id}/comments",
            "/api/v1/evaluations/{evaluation}/comments",
            Some(r#"{"requirement": "R1", "body": "Hvor er dokumentationen?"}"#),
            "PSA",
        ),
        case(
            M::POST,
            "/api/v1/evaluations/{id}/publish",
            "/api/v1/evaluations/{evaluation}/publish",
            Some(r#"{"version": 2}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/evaluations/{id}/discard",
            "/api/v1/evaluations/{draft}/discard",
            Some(r#"{"version": 1}"#),
            STAFF,
        ),
        case(
            M::POST,
            "/api/v1/products/{key}/scans",
            "/api/v1/products/os2mo/scans",
            None,
            "PSA",
        ),
        case(M::GET, "/api/v1/scans", "/api/v1/scans", None, LOGGED_IN),
        case(
            M::GET,
            "/api/v1/scans/{id}",
            "/api/v1/scans/{scan}",
            None,
            LOGGED_IN,
        ),
    ]
}

async fn fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    let sys = Actor::system("fixture");
    let mut ids: Vec<(&'static str, String)> = Vec::new();
    let product = |slug: &str, published: bool| {
        serde_json::from_value::<niveau_store::products::ProductInput>(json!({
            "slug": slug, "name": slug, "published": published,
            "repositories": ["https://github.com/OS2mo/os2mo"]
        }))
        .unwrap()
    };
    let os2mo = store
        .create_product(&sys, product("os2mo", true))
        .await
        .unwrap();
    let other = store
        .create_product(&sys, product("other", true))
        .await
        .unwrap();
    let hidden = store
        .create_product(&sys, product("hidden", false))
        .await
        .unwrap();
    app.set_editor_products(vec![os2mo.id]).await;
    let org_input = |name: &str| {
        serde_json::from_value::<niveau_store::organisations::OrganisationInput>(
            json!({"name": name, "kind": "kommune"}),
        )
        .unwrap()
    };
    let org = store
        .create_organisation(&sys, org_input("Aarhus Kommune"))
        .await
        .unwrap();
    let org2 = store
        .create_organisation(&sys, org_input("Odense Kommune"))
        .await
        .unwrap();
    let person = store
        .create_person(
            &sys,
            serde_json::from_value(json!({"name": "Person", "organisation_id": org.id})).unwrap(),
        )
        .await
        .unwrap();
    let participant = store
        .add_participant(
            &sys,
            os2mo.id,
            serde_json::from_value(json!({"organisation_id": org.id, "role": "initiativtager"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let group = store
        .create_group(
            &sys,
            serde_json::from_value(
                json!({"product_id": os2mo.id, "kind": "styregruppe", "name": "Styregruppen"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let member = store
        .add_member(
            &sys,
            group.id,
            serde_json::from_value(json!({"organisation_id": org.id, "role": "medlem"})).unwrap(),
        )
        .await
        .unwrap();
    let agreement = store
        .create_agreement(
            &sys,
            serde_json::from_value(json!({"product_id": os2mo.id, "kind": "tilslutningsaftale", "title": "Aftalen", "parties": [{"organisation_id": org.id}]})).unwrap(),
        )
        .await
        .unwrap();
    let round = store
        .create_round(
            &sys,
            serde_json::from_value(json!({"name": "Efterår 2026", "opens_on": "2026-09-01", "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-01", "product_ids": [os2mo.id]})).unwrap(),
        )
        .await
        .unwrap();
    let decision = store
        .record_decision(
            &sys,
            serde_json::from_value(json!({"product_id": os2mo.id, "decided_on": "2026-01-01", "kind": "stadie", "to": "koncept", "basis": "Godkendt", "decided_by": "bestyrelse"})).unwrap(),
        )
        .await
        .unwrap();
    let form = include_str!("../../../../fixtures/os2/forms/selfeval-form-os2-test.json");
    let new_se = niveau_app::self_evaluations::prepare(
        app.state.registry(),
        os2mo.id,
        niveau_app::self_evaluations::Upload {
            kind: niveau_app::self_evaluations::UploadKind::Json,
            body: form.as_bytes(),
            based_on: None,
        },
    )
    .unwrap();
    let se = store.create_self_evaluation(&sys, new_se).await.unwrap();
    let new_eval = |product_id| NewEvaluation {
        product_id,
        self_evaluation_id: None,
        model_id: "os2-1.1.0".into(),
        model_version: "1.1.0".into(),
        ratings: json!([]),
        proposals: json!([]),
        summary: None,
        indicated_level: None,
    };
    let dialog = store
        .create_evaluation(&sys, new_eval(os2mo.id))
        .await
        .unwrap();
    store
        .set_evaluation_status(&sys, dialog.head.id, 1, EvaluationStatus::IDialog)
        .await
        .unwrap();
    // A product has one open evaluation at a time: the draft is of a product of its own.
    let drafted = store
        .create_product(&sys, product("drafted", true))
        .await
        .unwrap();
    let draft = store
        .create_evaluation(&sys, new_eval(drafted.id))
        .await
        .unwrap();
    let other_dialog = store
        .create_evaluation(&sys, new_eval(other.id))
        .await
        .unwrap();
    store
        .set_evaluation_status(&sys, other_dialog.head.id, 1, EvaluationStatus::IDialog)
        .await
        .unwrap();
    let scan = store.request_scan(&sys, os2mo.id).await.unwrap();
    // A group of its own for the meeting: a meeting bumps its group's version, which the
    // rows for {group} expect at 2.
    let meeting_group = store
        .create_group(
            &sys,
            serde_json::from_value(
                json!({"product_id": os2mo.id, "kind": "koordinationsgruppe", "name": "Koordinationsgruppen"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let group_meeting = store
        .add_group_meeting(
            &sys,
            meeting_group.id,
            serde_json::from_value(json!({"held_on": "2026-09-01", "title": "Styregruppemøde"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let meeting = store
        .create_meeting(
            &sys,
            serde_json::from_value(json!({"held_on": "2027-03-12", "title": "Bestyrelsesmøde"}))
                .unwrap(),
        )
        .await
        .unwrap();
    let board_case = store
        .create_case(
            &sys,
            serde_json::from_value(json!({
                "product_id": os2mo.id, "kind": "orientering", "meeting_id": meeting.id,
                "title": "OS2mo til orientering", "presentation": "Niveau 1-produkt"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let wish = |title: &str| {
        serde_json::from_value::<niveau_store::wishes::WishInput>(
            json!({"title": title, "need": "Et behov", "organisation_id": org.id}),
        )
        .unwrap()
    };
    let os2mo_wish = store
        .raise_wish(&sys, os2mo.id, &wish("Ønsket"))
        .await
        .unwrap();
    let other_wish = store
        .raise_wish(&sys, other.id, &wish("Ønsket"))
        .await
        .unwrap();
    let hidden_wish = store
        .raise_wish(&sys, hidden.id, &wish("Skjult"))
        .await
        .unwrap();
    // A wish collecting co-funding (version 3 after its decision and one pledge).
    let funded_wish = store
        .raise_wish(&sys, os2mo.id, &wish("Samfinansieret"))
        .await
        .unwrap();
    store
        .fund_wish(
            &sys,
            funded_wish.id,
            &serde_json::from_value(
                json!({"payer": "fællesskabet", "target_ore": 3_000_000, "version": 1}),
            )
            .unwrap(),
            |_| Ok(()),
        )
        .await
        .unwrap();
    let (_, pledge) = store
        .pledge(
            &sys,
            funded_wish.id,
            &serde_json::from_value(
                json!({"organisation_id": org.id, "amount_ore": 1_000_000, "version": 2}),
            )
            .unwrap(),
            |_| Ok(()),
        )
        .await
        .unwrap();
    let supplier = supplier_fixture(app, os2mo.id).await;
    // A message the mail server refused for good, for the outbox's "send again".
    store
        .enqueue_mail(&[niveau_store::outbox::NewMessage {
            event_key: "fixture".into(),
            event_kind: "test".into(),
            entity: "wish".into(),
            entity_id: None,
            recipient_user_id: None,
            recipient: "rikke@kommune.example".into(),
            language: "da".into(),
            subject: "Fejlet".into(),
            body: "Tekst".into(),
            link: None,
            hold: false,
        }])
        .await
        .unwrap();
    let taken = store
        .claim_mail("fixture", std::time::Duration::from_secs(60), 1)
        .await
        .unwrap();
    store
        .mail_failed(taken[0].id, "fixture", "550 no such user", None)
        .await
        .unwrap();
    for (name, id) in [
        ("failed_mail", taken[0].id),
        ("supplier", supplier),
        ("wish", os2mo_wish.id),
        ("other_wish", other_wish.id),
        ("hidden_wish", hidden_wish.id),
        ("funded_wish", funded_wish.id),
        ("pledge", pledge.id),
        ("product", os2mo.id),
        ("other_product", other.id),
        ("org", org.id),
        ("org2", org2.id),
        ("person", person.id),
        ("participant", participant.id),
        ("group", group.id),
        ("member", member.id),
        ("agreement", agreement.agreement.id),
        ("round", round.round.id),
        ("decision", decision.id),
        ("self_evaluation", se.id),
        ("evaluation", dialog.head.id),
        ("draft", draft.head.id),
        ("other_evaluation", other_dialog.head.id),
        ("scan", scan.id),
        ("meeting", meeting.id),
        ("board_case", board_case.id),
        ("group_meeting", group_meeting.id),
        ("meeting_group", meeting_group.id),
        ("læser_id", app.users["læser"]),
    ] {
        ids.push((name, id.to_string()));
    }
    Fixture { ids }
}

fn letter(caller: Option<&str>) -> char {
    match caller {
        None => '-',
        Some("læser") => 'L',
        Some("produktredaktør") => 'P',
        Some("bestyrelse") => 'B',
        Some("sekretariat") => 'S',
        Some("admin") => 'A',
        Some(other) => panic!("unknown role {other}"),
    }
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let documented: BTreeSet<(String, String)> = {
        let app = TestApp::new().await;
        let doc = app.get("/api/v1/openapi.json", None).await.body;
        doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.to_uppercase(), path.clone()))
            })
            .collect()
    };
    let cases = cases();
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_string(), c.template.to_string()))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "rows for endpoints that do not exist: {stale:?}"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        // A fresh application per endpoint, so one endpoint's writes never decide another's
        // answer; deletions get one per caller, so each caller deletes a row that exists.
        let mut app = TestApp::new().await;
        let mut base = fixture(&app).await;
        for (i, caller) in CALLERS.iter().enumerate() {
            if case.method == Method::DELETE && i > 0 {
                app = TestApp::new().await;
                base = fixture(&app).await;
            }
            // Each role revokes its own token in the token case.
            let mut fixture = base.clone();
            if let Some(role) = caller {
                let tokens = app.store().api_tokens(app.users[*role]).await.unwrap();
                fixture.ids.push(("own_token", tokens[0].id.to_string()));
            } else {
                fixture.ids.push(("own_token", "1".into()));
            }
            let path = fixture.fill(case.path, i);
            let body: Option<Value> = case
                .body
                .map(|b| serde_json::from_str(&fixture.fill(b, i)).unwrap());
            let method = case.method.clone();
            let answer = if method == Method::DELETE {
                let version: i32 = if path.contains("/groups/") { 2 } else { 1 };
                app.delete(&path, *caller, version).await
            } else {
                app.call(method.clone(), &path, *caller, body).await
            };
            let may = case.allowed == "*" || case.allowed.contains(letter(*caller));
            let status = answer.status;
            let ok = if may {
                status.is_success()
                    || status == StatusCode::CONFLICT
                    || status.is_redirection()
                    || reaches_the_import(case.template, status)
                    || (case.template == "/api/v1/auth/login" && status == StatusCode::UNAUTHORIZED)
            } else if caller.is_none() {
                if case.hidden {
                    status == StatusCode::NOT_FOUND
                } else {
                    status == StatusCode::UNAUTHORIZED
                }
            } else {
                status == StatusCode::FORBIDDEN || (case.hidden && status == StatusCode::NOT_FOUND)
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {} {}",
                    case.method,
                    path,
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "forbidden" },
                    status,
                    answer.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} calls disagree with the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, cases.len() * CALLERS.len());
}

/// Endpoints every caller may use whatever their token: logging in uses no token, and
/// logging out only ends the caller's own session. Every other unsafe endpoint of the
/// matrix is in the refusal tests below.
const OPEN_TO_ALL: [&str; 2] = ["/api/v1/auth/login", "/api/v1/auth/logout"];

/// The unsafe (POST, PUT, PATCH, DELETE) rows of the matrix, which covers every endpoint
/// of the OpenAPI document (checked by [`every_role_against_every_endpoint`]), so a new
/// endpoint is in these tests as soon as it is in the matrix.
fn unsafe_cases() -> Vec<Case> {
    let unsafe_cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| !matches!(c.method, Method::GET | Method::HEAD | Method::OPTIONS))
        .filter(|c| !OPEN_TO_ALL.contains(&c.template))
        .collect();
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        assert!(
            unsafe_cases.iter().any(|c| c.method == method),
            "no {method} rows: the filter is wrong"
        );
    }
    unsafe_cases
}

/// One app with the fixture, and per role a read-only and an expired token (write scope,
/// expired yesterday) besides the write token of [`TestApp`].
struct Refusals {
    app: TestApp,
    fixture: Fixture,
    read_only: std::collections::BTreeMap<&'static str, String>,
    expired: std::collections::BTreeMap<&'static str, String>,
}

async fn refusals() -> Refusals {
    let app = TestApp::new().await;
    let fixture = fixture(&app).await;
    refusals_on(app, fixture).await
}

/// [`refusals`] on `app` with `fixture`.
async fn refusals_on(app: TestApp, fixture: Fixture) -> Refusals {
    let mut read_only = std::collections::BTreeMap::new();
    let mut expired = std::collections::BTreeMap::new();
    for role in CALLERS.iter().flatten() {
        for (scopes, expires_at, into) in [
            (vec!["read".to_string()], None, &mut read_only),
            (
                vec!["read".to_string(), "write".to_string()],
                Some(app.store().now() - chrono::Duration::days(1)),
                &mut expired,
            ),
        ] {
            let secret = niveau_web::auth::token::new_api_token();
            app.store()
                .create_api_token(
                    &Actor::system("test"),
                    app.users[*role],
                    "extra",
                    &niveau_web::auth::token::hash_secret(&secret),
                    scopes,
                    expires_at,
                )
                .await
                .unwrap();
            into.insert(*role, secret);
        }
    }
    Refusals {
        app,
        fixture,
        read_only,
        expired,
    }
}

/// A body to send: JSON text with its content type.
#[derive(Clone, Copy)]
struct RawBody {
    content_type: &'static str,
    text: &'static str,
}

impl Refusals {
    /// The case's path and JSON body for a caller (`own_token` is the caller's write
    /// token, so revoking it would be a real change).
    async fn request(&self, case: &Case, caller: Option<&str>) -> (String, Option<String>) {
        let mut fixture = self.fixture.clone();
        let own = match caller {
            Some(role) => self
                .app
                .store()
                .api_tokens(self.app.users[role])
                .await
                .unwrap()[0]
                .id
                .to_string(),
            None => "1".into(),
        };
        fixture.ids.push(("own_token", own));
        (
            fixture.fill(case.path, 9),
            case.body.map(|b| fixture.fill(b, 9)),
        )
    }

    async fn send(
        &self,
        method: &Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<RawBody>,
    ) -> common::Answer {
        let mut req = axum::http::Request::builder()
            .method(method.clone())
            .uri(path)
            .header(axum::http::header::IF_MATCH, "1");
        if let Some(secret) = bearer {
            req = req.header(
                axum::http::header::AUTHORIZATION,
                format!("Bearer {secret}"),
            );
        }
        let req = match body {
            Some(b) => req
                .header(axum::http::header::CONTENT_TYPE, b.content_type)
                .body(axum::body::Body::from(b.text)),
            None => req.body(axum::body::Body::empty()),
        };
        self.app.send(req.unwrap()).await
    }

    async fn audit_count(&self) -> u64 {
        self.app
            .store()
            .list_audit(&Default::default(), &niveau_store::ListParams::default())
            .await
            .unwrap()
            .total
    }
}

/// Issue #10, finding 1: every unsafe endpoint refuses a read-only token (403
/// `insufficient_scope`, whatever the role) and an expired token (401), and writes
/// nothing: the audit log, where every change is recorded, stays as it was.
#[tokio::test]
async fn finding_1_read_only_and_expired_tokens_change_nothing_anywhere() {
    let r = refusals().await;
    let before = r.audit_count().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in unsafe_cases() {
        for role in CALLERS.iter().flatten() {
            let (path, body) = r.request(&case, Some(role)).await;
            let body: Option<&'static str> = body.map(|b| &*Box::leak(b.into_boxed_str()));
            let json = body.map(|text| RawBody {
                content_type: "application/json",
                text,
            });
            let read = r
                .send(&case.method, &path, Some(&r.read_only[role]), json)
                .await;
            if read.status != StatusCode::FORBIDDEN
                || read.body["error"]["code"] != "insufficient_scope"
            {
                failures.push(format!(
                    "{} {path} with {role}'s read-only token: {} {}",
                    case.method, read.status, read.body
                ));
            }
            let expired = r
                .send(&case.method, &path, Some(&r.expired[role]), json)
                .await;
            if expired.status != StatusCode::UNAUTHORIZED
                || expired.body["error"]["code"] != "invalid_token"
            {
                failures.push(format!(
                    "{} {path} with {role}'s expired token: {} {}",
                    case.method, expired.status, expired.body
                ));
            }
            checked += 2;
        }
        let after = r.audit_count().await;
        if after != before {
            failures.push(format!(
                "{} {}: the audit log grew from {before} to {after}",
                case.method, case.path
            ));
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} calls were not refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
    for role in CALLERS.iter().flatten() {
        for path in ["/api/v1/me", "/api/v1/me/tokens"] {
            let read = r
                .send(&Method::GET, path, Some(&r.read_only[role]), None)
                .await;
            assert_eq!(read.status, StatusCode::OK, "{role} reads {path}");
        }
    }
}

/// Issue #10, lesser finding: bodies were validated before permissions, so an anonymous
/// caller learnt the valid values from a 422. Now every unsafe endpoint answers a
/// malformed body (wrong values, broken JSON, not JSON) with 401 for anonymous callers
/// and 403 for roles without the permission, and writes nothing.
#[tokio::test]
async fn lesser_authorise_before_validating_body() {
    let r = refusals().await;
    let before = r.audit_count().await;
    let bad = [
        RawBody {
            content_type: "application/json",
            text: r#"{"kind": "ugyldig", "role": "ugyldig", "status": "ugyldig", "roles": ["ugyldig"], "scopes": ["ugyldig"], "expires_days": 100000000, "level": 7, "ukendt": true}"#,
        },
        RawBody {
            content_type: "application/json",
            text: "{",
        },
        RawBody {
            content_type: "text/plain",
            text: "hej",
        },
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in unsafe_cases().into_iter().filter(|c| !c.by_body) {
        for caller in CALLERS {
            if case.allowed == "*" || case.allowed.contains(letter(caller)) {
                continue;
            }
            let (path, _) = r.request(&case, caller).await;
            let bearer = caller.map(|role| r.app.tokens[role].as_str());
            for body in bad {
                let answer = r.send(&case.method, &path, bearer, Some(body)).await;
                let expected = match (caller, case.hidden) {
                    (_, true) => StatusCode::NOT_FOUND,
                    (None, false) => StatusCode::UNAUTHORIZED,
                    (Some(_), false) => StatusCode::FORBIDDEN,
                };
                checked += 1;
                if answer.status != expected {
                    failures.push(format!(
                        "{} {path} as {} with {:?}: expected {expected}, got {} {}",
                        case.method,
                        caller.unwrap_or("anonymous"),
                        body.text,
                        answer.status,
                        answer.body
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} calls");
    assert!(
        failures.is_empty(),
        "{} of {checked} calls judged the body before the caller:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(r.audit_count().await, before, "nothing was written");
}

// ---- The workspace pages for groups, agreements and rounds (#13). ----

/// The workspace pages (HTML, sessions with CSRF) by role: `(method, path, form fields,
/// who may)`. The letters are those of [`Case::allowed`].
fn workspace_page_cases() -> Vec<(Method, &'static str, &'static str, &'static str)> {
    use Method as M;
    vec![
        (M::GET, "/runder", "", LOGGED_IN),
        (M::GET, "/runder/{round}", "", LOGGED_IN),
        (M::GET, "/grupper", "", "SA"),
        (M::GET, "/grupper?produkt=os2mo&type=styregruppe", "", "SA"),
        (M::GET, "/grupper/{group}", "", "SA"),
        (M::GET, "/aftaler", "", "SA"),
        (M::GET, "/aftaler/{agreement}", "", "SA"),
        (M::GET, "/runder/ny", "", "SA"),
        (M::GET, "/runder/{round}/rediger", "", "SA"),
        (
            M::POST,
            "/grupper",
            "name=Faggruppe+{n}&kind=faggruppe&product_id={product}",
            "SA",
        ),
        (
            M::POST,
            "/grupper/{group}/medlemmer",
            "organisation_id={org2}&role=medlem",
            "SA",
        ),
        (
            M::POST,
            "/grupper/{group}/medlemmer/{member}",
            "organisation_id={org}&role=formand&version=1",
            "SA",
        ),
        (
            M::POST,
            "/grupper/{group}",
            "name=Styregruppen&kind=styregruppe&product_id={product}&version=2",
            "SA",
        ),
        (
            M::POST,
            "/grupper/{group}/medlemmer/{member}/fjern",
            "version=2",
            "SA",
        ),
        (M::POST, "/grupper/{group}/arkiver", "version=5", "SA"),
        (
            M::POST,
            "/grupper/{meeting_group}/moeder",
            "held_on=2026-10-01&title=M%C3%B8de+{n}",
            "SA",
        ),
        (
            M::POST,
            "/grupper/{meeting_group}/moeder/{group_meeting}/fjern",
            "version=1",
            "SA",
        ),
        (
            M::POST,
            "/aftaler",
            "title=Aftale+{n}&kind=driftsaftale&parties={org}",
            "SA",
        ),
        (
            M::POST,
            "/aftaler/{agreement}",
            "title=Aftalen&kind=tilslutningsaftale&version=1",
            "SA",
        ),
        (M::POST, "/aftaler/{agreement}/arkiver", "version=2", "SA"),
        (
            M::POST,
            "/runder/ny",
            "name=Runde+{n}&opens_on=2026-09-01&self_evaluation_deadline=2026-10-01&evaluation_deadline=2026-11-01",
            "SA",
        ),
        (
            M::POST,
            "/runder/{round}/rediger",
            "name=Efter%C3%A5r+2026&opens_on=2026-09-01&self_evaluation_deadline=2026-10-01&evaluation_deadline=2026-11-01&version=1",
            "SA",
        ),
        (M::POST, "/runder/{round}/afslut", "version=2", "SA"),
        (M::POST, "/runder/{round}/issues", "enabled=ja", "SA"),
        (M::POST, "/runder/{round}/issues/koer", "", "SA"),
        // Suppliers and partner agreements (#14).
        (M::GET, "/leverandoerer", "", LOGGED_IN),
        (
            M::POST,
            "/organisationer/{supplier}/partneraftale",
            "signed_on=2024-01-01&code_of_conduct=ja&competences=Drift&version=1",
            "SA",
        ),
        (
            M::POST,
            "/organisationer/{supplier}/partneraftale/fjern",
            "version=1",
            "SA",
        ),
    ]
}

/// The rows the workspace pages work on: products os2mo and other, organisations
/// Aarhus and Odense, os2mo's steering group with Aarhus as a member, an agreement and a
/// round.
async fn workspace_fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    let sys = Actor::system("fixture");
    let product = |slug: &str| {
        serde_json::from_value::<niveau_store::products::ProductInput>(
            json!({"slug": slug, "name": slug, "published": true}),
        )
        .unwrap()
    };
    let os2mo = store.create_product(&sys, product("os2mo")).await.unwrap();
    store.create_product(&sys, product("other")).await.unwrap();
    let org_input = |name: &str| {
        serde_json::from_value::<niveau_store::organisations::OrganisationInput>(
            json!({"name": name, "kind": "kommune"}),
        )
        .unwrap()
    };
    let org = store
        .create_organisation(&sys, org_input("Aarhus Kommune"))
        .await
        .unwrap();
    let org2 = store
        .create_organisation(&sys, org_input("Odense Kommune"))
        .await
        .unwrap();
    let group = store
        .create_group(
            &sys,
            serde_json::from_value(
                json!({"product_id": os2mo.id, "kind": "styregruppe", "name": "Styregruppen"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let member = store
        .add_member(
            &sys,
            group.id,
            serde_json::from_value(json!({"organisation_id": org.id, "role": "medlem"})).unwrap(),
        )
        .await
        .unwrap();
    // The meetings' own group: a meeting bumps its group's version, which the rows for
    // {group} count on.
    let meeting_group = store
        .create_group(
            &sys,
            serde_json::from_value(
                json!({"product_id": os2mo.id, "kind": "koordinationsgruppe", "name": "Koordinationsgruppen"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let group_meeting = store
        .add_group_meeting(
            &sys,
            meeting_group.id,
            serde_json::from_value(json!({"held_on": "2026-09-01", "title": "Møde"})).unwrap(),
        )
        .await
        .unwrap();
    let agreement = store
        .create_agreement(
            &sys,
            serde_json::from_value(json!({"product_id": os2mo.id, "kind": "tilslutningsaftale", "title": "Aftalen", "parties": [{"organisation_id": org.id}]})).unwrap(),
        )
        .await
        .unwrap();
    let round = store
        .create_round(
            &sys,
            serde_json::from_value(json!({"name": "Efterår 2026", "opens_on": "2026-09-01", "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-01", "product_ids": [os2mo.id]})).unwrap(),
        )
        .await
        .unwrap();
    let supplier = supplier_fixture(app, os2mo.id).await;
    let ids = [
        ("supplier", supplier),
        ("product", os2mo.id),
        ("org", org.id),
        ("org2", org2.id),
        ("group", group.id),
        ("member", member.id),
        ("meeting_group", meeting_group.id),
        ("group_meeting", group_meeting.id),
        ("agreement", agreement.agreement.id),
        ("round", round.round.id),
    ]
    .into_iter()
    .map(|(name, id)| (name, id.to_string()))
    .collect();
    Fixture { ids }
}

/// Every workspace page and form against every role, logged in with a session: a page is
/// 200 for those who may and 403 for other logged-in users, anonymous visitors are sent
/// to the login page (GET) or refused with 401 (POST); a post by someone who may is
/// never refused for who they are (303 after a change, or a page saying what is wrong
/// with the record: 404, 409, 422). A form never takes a bearer token, not even a
/// write token of the secretariat, nor a read-only or an expired one: 401, and nothing
/// changes.
#[tokio::test]
async fn workspace_pages_by_role_and_forms_without_a_session() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = &TestApp::new().await;
    let fixture = &workspace_fixture(app).await;
    let password = "en-lang-adgangskode-til-siderne";
    let mut sessions = Vec::new();
    for (i, caller) in CALLERS.iter().enumerate() {
        let Some(role) = caller else {
            sessions.push(None);
            continue;
        };
        let username = format!("side-{i}");
        app.store()
            .create_user(
                &Actor::system("test"),
                niveau_store::accounts::NewUser {
                    username: username.clone(),
                    display_name: format!("Side {role}"),
                    email: None,
                    password_hash: Some(
                        niveau_web::auth::password::hash_password(password).unwrap(),
                    ),
                    roles: vec![niveau_store::types::Role::parse(role).unwrap()],
                    product_ids: vec![],
                    oidc: None,
                },
            )
            .await
            .unwrap();
        sessions.push(Some(app.session(&username, password).await));
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, template, body, allowed) in workspace_page_cases() {
        for (i, caller) in CALLERS.iter().enumerate() {
            let path = fixture.fill(template, i);
            let may = allowed.contains(letter(*caller));
            let answer = match (&sessions[i], method.clone()) {
                (Some(s), Method::GET) => s.get(&path).await,
                (Some(s), _) => {
                    let fields: Vec<(String, String)> =
                        url::form_urlencoded::parse(fixture.fill(body, i).as_bytes())
                            .into_owned()
                            .collect();
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    s.post(&path, &pairs, true).await
                }
                (None, m) => {
                    app.send(
                        Request::builder()
                            .method(m)
                            .uri(&path)
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(Body::from(fixture.fill(body, i)))
                            .unwrap(),
                    )
                    .await
                }
            };
            let status = answer.status;
            let to_login = status == StatusCode::SEE_OTHER
                && answer.headers[header::LOCATION]
                    .to_str()
                    .unwrap()
                    .starts_with("/log-ind");
            let ok = match (caller, method == Method::GET, may) {
                (None, true, _) => to_login,
                (None, false, _) => status == StatusCode::UNAUTHORIZED,
                (Some(_), true, true) => status == StatusCode::OK,
                (Some(_), false, true) => {
                    !to_login
                        && (status == StatusCode::SEE_OTHER
                            || status == StatusCode::NOT_FOUND
                            || status == StatusCode::CONFLICT
                            || status == StatusCode::UNPROCESSABLE_ENTITY)
                }
                (Some(_), _, false) => status == StatusCode::FORBIDDEN,
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: expected {}, got {status}",
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "forbidden" },
                ));
            }
        }
    }
    // Bearer tokens on the forms: refused before anything is read or changed.
    let audit_count = || async {
        app.store()
            .list_audit(&Default::default(), &niveau_store::ListParams::default())
            .await
            .unwrap()
            .total
    };
    let audit_before = audit_count().await;
    let mut tokens = vec![("write", app.tokens["sekretariat"].clone())];
    for (kind, scopes, expires_at) in [
        ("read-only", vec!["read".to_string()], None),
        (
            "expired",
            vec!["read".to_string(), "write".to_string()],
            Some(app.store().now() - chrono::Duration::days(1)),
        ),
    ] {
        let secret = niveau_web::auth::token::new_api_token();
        app.store()
            .create_api_token(
                &Actor::system("test"),
                app.users["sekretariat"],
                kind,
                &niveau_web::auth::token::hash_secret(&secret),
                scopes,
                expires_at,
            )
            .await
            .unwrap();
        tokens.push((kind, secret));
    }
    let audit_before = audit_before + 2;
    for (kind, secret) in tokens {
        for (method, template, body, _) in workspace_page_cases() {
            if method == Method::GET {
                continue;
            }
            let path = fixture.fill(template, 0);
            let answer = app
                .send(
                    Request::post(&path)
                        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(fixture.fill(body, 0)))
                        .unwrap(),
                )
                .await;
            checked += 1;
            if answer.status != StatusCode::UNAUTHORIZED {
                failures.push(format!(
                    "POST {path} with the secretariat's {kind} token: expected 401, got {}",
                    answer.status
                ));
            }
        }
    }
    assert_eq!(
        audit_count().await,
        audit_before,
        "a token changed something"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} requests disagree with the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// --- The product workspace pages (issue #13): every page and form route of
// `niveau_web::pages::product_work`, by every role with a real session and CSRF token. ---

/// A page or form route of the product workspace, and who may use it (the letters of
/// [`Case::allowed`]). Posts carry `fields` (`{org}`, `{participant}` and `{n}` filled
/// in) and the session's CSRF token.
struct PageCase {
    method: Method,
    path: &'static str,
    fields: &'static str,
    allowed: &'static str,
}

fn page_cases() -> Vec<PageCase> {
    let get = |path, allowed| PageCase {
        method: Method::GET,
        path,
        fields: "",
        allowed,
    };
    let post = |path, fields, allowed| PageCase {
        method: Method::POST,
        path,
        fields,
        allowed,
    };
    vec![
        get("/produkter/ny", STAFF),
        post("/produkter/ny", "name=Nyt+produkt+{n}", STAFF),
        get("/produkter/os2mo/rediger", "PSA"),
        get("/produkter/other/rediger", STAFF),
        post(
            "/produkter/os2mo/rediger",
            "name=OS2mo&slug=os2mo&published=1&version=1",
            "PSA",
        ),
        post(
            "/produkter/other/rediger",
            "name=Other&slug=other&published=1&version=1",
            STAFF,
        ),
        post("/produkter/os2mo/arkiver", "bekraeft=1&version=1", STAFF),
        get("/produkter/os2mo/deltagere", "PSA"),
        get("/produkter/other/deltagere", STAFF),
        post(
            "/produkter/os2mo/deltagere",
            "organisation={org}&role=anvender",
            "PSA",
        ),
        post(
            "/produkter/os2mo/deltagere/{participant}",
            "role=tovholder&since=2025-01-01&version=1",
            "PSA",
        ),
        post(
            "/produkter/os2mo/deltagere/{participant}/fjern",
            "version=1",
            "PSA",
        ),
        get("/produkter/os2mo/scanninger", LOGGED_IN),
        post("/produkter/os2mo/scanninger", "", "PSA"),
        post("/produkter/other/scanninger", "", STAFF),
        get("/produkter/os2mo/proces", LOGGED_IN),
        post(
            "/produkter/os2mo/proces",
            "transition=traek-tilbage&decided_by=initiativtager&decided_on=2026-03-01&basis=Trukket+tilbage+{n}",
            "PSA",
        ),
        post(
            "/produkter/os2mo/fremdrift",
            "period_from=2026-01-01&period_to=2026-03-31&status=p%C3%A5+sporet&progress=Rapport+{n}",
            "PSA",
        ),
        get("/beslutninger", "*"),
        post(
            "/beslutninger",
            "kind=andet&decided_on=2026-03-01&basis=Besluttet+{n}&decided_by=sekretariat",
            "BSA",
        ),
    ]
}

/// What the workspace pages need: OS2mo (published, with a repository; the
/// produktredaktør edits it), Other and a hidden product, an organisation and OS2mo's
/// participant.
async fn page_fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    let sys = Actor::system("fixture");
    let product = |slug: &str, published: bool| {
        serde_json::from_value::<niveau_store::products::ProductInput>(json!({
            "slug": slug, "name": slug, "published": published,
            "repositories": ["https://github.com/OS2mo/os2mo"]
        }))
        .unwrap()
    };
    let os2mo = store
        .create_product(&sys, product("os2mo", true))
        .await
        .unwrap();
    store
        .create_product(&sys, product("other", true))
        .await
        .unwrap();
    store
        .create_product(&sys, product("hidden", false))
        .await
        .unwrap();
    app.set_editor_products(vec![os2mo.id]).await;
    let org = store
        .create_organisation(
            &sys,
            serde_json::from_value(json!({"name": "Aarhus Kommune", "kind": "kommune"})).unwrap(),
        )
        .await
        .unwrap();
    let participant = store
        .add_participant(
            &sys,
            os2mo.id,
            serde_json::from_value(json!({"organisation_id": org.id, "role": "initiativtager"}))
                .unwrap(),
        )
        .await
        .unwrap();
    Fixture {
        ids: vec![
            ("org", org.id.to_string()),
            ("participant", participant.id.to_string()),
        ],
    }
}

/// A session cookie and its CSRF token for the role's test account.
async fn page_session(app: &TestApp, role: &str) -> (String, String) {
    let user = app.store().user(app.users[role]).await.unwrap();
    let session =
        niveau_app::accounts::start_session(app.state.app(), &user, chrono::Duration::hours(1))
            .await
            .unwrap();
    (
        format!("niveau_session={}", session.secret),
        session.csrf_token,
    )
}

async fn send_page(
    app: &TestApp,
    case: &PageCase,
    path: &str,
    fields: &str,
    cookie: Option<&str>,
    bearer: Option<&str>,
) -> common::Answer {
    use axum::http::header;
    let mut req = axum::http::Request::builder()
        .method(case.method.clone())
        .uri(path);
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    if let Some(secret) = bearer {
        req = req.header(header::AUTHORIZATION, format!("Bearer {secret}"));
    }
    let body = if case.method == Method::POST {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        axum::body::Body::from(fields.to_owned())
    } else {
        axum::body::Body::empty()
    };
    app.send(req.body(body).unwrap()).await
}

/// Every role against every page of the product workspace: allowed is a page (200), a
/// 303 after a change (not to the login page) or a 409 (an earlier role changed the
/// record); refused is the login page (303) for anonymous visitors on a GET and 401 on a
/// post, and 403 for logged-in users. A fresh application per case, and per caller for
/// the posts that archive or remove.
#[tokio::test]
async fn every_role_against_every_product_workspace_page() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in page_cases() {
        let destructive = case.path.ends_with("/arkiver") || case.path.ends_with("/fjern");
        let mut app = TestApp::new().await;
        let mut ids = page_fixture(&app).await;
        for (i, caller) in CALLERS.iter().enumerate() {
            if destructive && i > 0 {
                app = TestApp::new().await;
                ids = page_fixture(&app).await;
            }
            let path = ids.fill(case.path, i);
            let session = match caller {
                Some(role) => Some(page_session(&app, role).await),
                None => None,
            };
            let mut fields = ids.fill(case.fields, i);
            if let Some((_, csrf)) = &session {
                let token = format!("csrf_token={csrf}");
                fields = if fields.is_empty() {
                    token
                } else {
                    format!("{token}&{fields}")
                };
            }
            let cookie = session.as_ref().map(|(c, _)| c.as_str());
            let answer = send_page(&app, &case, &path, &fields, cookie, None).await;
            let status = answer.status;
            let to_login = status == StatusCode::SEE_OTHER
                && answer.headers[axum::http::header::LOCATION]
                    .to_str()
                    .unwrap()
                    .starts_with("/log-ind");
            let may = case.allowed == "*" || case.allowed.contains(letter(*caller));
            let ok = if may {
                status == StatusCode::OK
                    || (status == StatusCode::SEE_OTHER && !to_login)
                    || status == StatusCode::CONFLICT
            } else if caller.is_none() {
                if case.method == Method::GET {
                    to_login
                } else {
                    status == StatusCode::UNAUTHORIZED
                }
            } else {
                status == StatusCode::FORBIDDEN
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{} {path} as {}: expected {}, got {} {}",
                    case.method,
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "refused" },
                    status,
                    common::text(&answer).chars().take(300).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} page calls disagree with the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, page_cases().len() * CALLERS.len());
}

/// The workspace's forms take no API token, read-only or not (forms come from browsers
/// with a session), and refuse a session's post without its CSRF token or with a wrong
/// one; nothing is written.
#[tokio::test]
async fn product_workspace_forms_refuse_tokens_and_missing_csrf_and_write_nothing() {
    let app = TestApp::new().await;
    let fixture = page_fixture(&app).await;
    let r = refusals_on(app, fixture).await;
    let mut sessions = std::collections::BTreeMap::new();
    for role in CALLERS.iter().flatten() {
        sessions.insert(*role, page_session(&r.app, role).await);
    }
    let before = r.audit_count().await;
    let mut failures = Vec::new();
    for case in page_cases()
        .into_iter()
        .filter(|c| c.method == Method::POST)
    {
        let path = r.fixture.fill(case.path, 9);
        let fields = r.fixture.fill(case.fields, 9);
        for role in CALLERS.iter().flatten() {
            for bearer in [
                r.app.tokens[*role].as_str(),
                r.read_only[role].as_str(),
                r.expired[role].as_str(),
            ] {
                let answer = send_page(&r.app, &case, &path, &fields, None, Some(bearer)).await;
                if answer.status != StatusCode::UNAUTHORIZED {
                    failures.push(format!(
                        "POST {path} with a token of {role}: {}",
                        answer.status
                    ));
                }
            }
            let (cookie, csrf) = &sessions[role];
            for sent in ["", "csrf_token=forkert&"] {
                let body = format!("{sent}{fields}");
                let answer = send_page(&r.app, &case, &path, &body, Some(cookie), None).await;
                if answer.status != StatusCode::FORBIDDEN {
                    failures.push(format!(
                        "POST {path} as {role} with {sent:?} for the token {csrf:.4}…: {}",
                        answer.status
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(r.audit_count().await, before, "nothing was written");
}

// ---- The board's pages: meetings, cases and the projects' follow-up (#13). ----

/// The board's pages (HTML, sessions with CSRF) by role: `(method, path, form fields,
/// who may)`. The letters are those of [`Case::allowed`]. The decision is taken by the
/// first caller who may; the others are refused for the case (409), not for who they are.
fn board_page_cases() -> Vec<(Method, &'static str, &'static str, &'static str)> {
    use Method as M;
    vec![
        (M::GET, "/bestyrelse", "", "BSA"),
        (
            M::GET,
            "/bestyrelse?produkt=os2mo&art=genovervejelse",
            "",
            "BSA",
        ),
        (M::GET, "/bestyrelse/moeder/{meeting}", "", "BSA"),
        (M::GET, "/bestyrelse/sager/{case}", "", "BSA"),
        (M::GET, "/fremdrift", "", "BSA"),
        // The annual report draft (#16): the page, its Markdown and its PDF.
        (M::GET, "/bestyrelse/aarsrapport/2026", "", "BSA"),
        (M::GET, "/bestyrelse/aarsrapport/2026.md", "", "BSA"),
        (M::GET, "/bestyrelse/aarsrapport/2026.pdf", "", "BSA"),
        (
            M::POST,
            "/bestyrelse/moeder",
            "held_on=2026-09-01&title=M%C3%B8de+{n}",
            "SA",
        ),
        (
            M::POST,
            "/bestyrelse/moeder/{meeting}",
            "held_on=2026-09-02&title=M%C3%B8det&version=1",
            "SA",
        ),
        (
            M::POST,
            "/bestyrelse/sager",
            "product_id={product}&kind=orientering&title=Sag+{n}&presentation=Oplæg",
            "SA",
        ),
        (
            M::POST,
            "/bestyrelse/sager/{case}",
            "kind=orientering&title=Sagen&presentation=Opl%C3%A6g&version=1",
            "SA",
        ),
        (
            M::POST,
            "/bestyrelse/sager/{decide}/afgoer",
            "outcome=taget+til+efterretning&decided_on=2026-09-01&version=1&fra=moede",
            "BSA",
        ),
    ]
}

/// The rows the board's pages work on: product os2mo, a meeting with a case to change
/// and a case to decide.
async fn board_fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    let sys = Actor::system("fixture");
    let os2mo = store
        .create_product(
            &sys,
            serde_json::from_value(json!({"slug": "os2mo", "name": "OS2mo", "published": true}))
                .unwrap(),
        )
        .await
        .unwrap();
    let meeting = store
        .create_meeting(
            &sys,
            serde_json::from_value(json!({"held_on": "2026-09-01", "title": "Mødet"})).unwrap(),
        )
        .await
        .unwrap();
    let case = |title: &str| {
        serde_json::from_value::<niveau_store::board::CaseInput>(json!({
            "product_id": os2mo.id, "kind": "orientering", "meeting_id": meeting.id,
            "title": title, "presentation": "Til orientering"}))
        .unwrap()
    };
    let to_change = store.create_case(&sys, case("Sagen")).await.unwrap();
    let to_decide = store.create_case(&sys, case("Afgøres")).await.unwrap();
    let ids = [
        ("product", os2mo.id),
        ("meeting", meeting.id),
        ("case", to_change.id),
        ("decide", to_decide.id),
    ]
    .into_iter()
    .map(|(name, id)| (name, id.to_string()))
    .collect();
    Fixture { ids }
}

/// Every board page and form against every role, logged in with a session, as
/// [`workspace_pages_by_role_and_forms_without_a_session`] does for the workspace: 200
/// or 403 for pages, the login page or 401 for anonymous visitors, never a refusal for
/// who they are to those who may post; bearer tokens (write, read-only, expired) are
/// refused on the forms with 401 and change nothing.
#[tokio::test]
async fn board_pages_by_role_and_forms_without_a_session() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = &TestApp::new().await;
    let fixture = &board_fixture(app).await;
    let password = "en-lang-adgangskode-til-bestyrelsen";
    let mut sessions = Vec::new();
    for (i, caller) in CALLERS.iter().enumerate() {
        let Some(role) = caller else {
            sessions.push(None);
            continue;
        };
        let username = format!("bestyrelsesside-{i}");
        app.store()
            .create_user(
                &Actor::system("test"),
                niveau_store::accounts::NewUser {
                    username: username.clone(),
                    display_name: format!("Side {role}"),
                    email: None,
                    password_hash: Some(
                        niveau_web::auth::password::hash_password(password).unwrap(),
                    ),
                    roles: vec![niveau_store::types::Role::parse(role).unwrap()],
                    product_ids: vec![],
                    oidc: None,
                },
            )
            .await
            .unwrap();
        sessions.push(Some(app.session(&username, password).await));
    }
    let form = |body: &str, i: usize| -> Vec<(String, String)> {
        url::form_urlencoded::parse(fixture.fill(body, i).as_bytes())
            .into_owned()
            .collect()
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, template, body, allowed) in board_page_cases() {
        for (i, caller) in CALLERS.iter().enumerate() {
            let path = fixture.fill(template, i);
            let may = allowed.contains(letter(*caller));
            let answer = match (&sessions[i], method.clone()) {
                (Some(s), Method::GET) => s.get(&path).await,
                (Some(s), _) => {
                    let fields = form(body, i);
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    s.post(&path, &pairs, true).await
                }
                (None, m) => {
                    app.send(
                        Request::builder()
                            .method(m)
                            .uri(&path)
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(Body::from(fixture.fill(body, i)))
                            .unwrap(),
                    )
                    .await
                }
            };
            let status = answer.status;
            let to_login = status == StatusCode::SEE_OTHER
                && answer.headers[header::LOCATION]
                    .to_str()
                    .unwrap()
                    .starts_with("/log-ind");
            let ok = match (caller, method == Method::GET, may) {
                (None, true, _) => to_login,
                (None, false, _) => status == StatusCode::UNAUTHORIZED,
                (Some(_), true, true) => status == StatusCode::OK,
                (Some(_), false, true) => {
                    !to_login
                        && [
                            StatusCode::SEE_OTHER,
                            StatusCode::NOT_FOUND,
                            StatusCode::CONFLICT,
                            StatusCode::UNPROCESSABLE_ENTITY,
                        ]
                        .contains(&status)
                }
                (Some(_), _, false) => status == StatusCode::FORBIDDEN,
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: expected {}, got {status}",
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "forbidden" },
                ));
            }
        }
    }
    let audit_count = || async {
        app.store()
            .list_audit(&Default::default(), &niveau_store::ListParams::default())
            .await
            .unwrap()
            .total
    };
    let mut tokens = vec![("write", app.tokens["sekretariat"].clone())];
    for (kind, scopes, expires_at) in [
        ("read-only", vec!["read".to_string()], None),
        (
            "expired",
            vec!["read".to_string(), "write".to_string()],
            Some(app.store().now() - chrono::Duration::days(1)),
        ),
    ] {
        let secret = niveau_web::auth::token::new_api_token();
        app.store()
            .create_api_token(
                &Actor::system("test"),
                app.users["sekretariat"],
                kind,
                &niveau_web::auth::token::hash_secret(&secret),
                scopes,
                expires_at,
            )
            .await
            .unwrap();
        tokens.push((kind, secret));
    }
    let audit_before = audit_count().await;
    for (kind, secret) in tokens {
        for (method, template, body, _) in board_page_cases() {
            if method == Method::GET {
                continue;
            }
            let path = fixture.fill(template, 0);
            let answer = app
                .send(
                    Request::post(&path)
                        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(fixture.fill(body, 0)))
                        .unwrap(),
                )
                .await;
            checked += 1;
            if answer.status != StatusCode::UNAUTHORIZED {
                failures.push(format!(
                    "POST {path} with the secretariat's {kind} token: expected 401, got {}",
                    answer.status
                ));
            }
        }
    }
    assert_eq!(
        audit_count().await,
        audit_before,
        "a token changed something"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} requests disagree with the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---- The pages of development wishes (#14): lists, the form to raise one, the wish page
// with its forms, the prioritisation view, the settings and the overview. ----

/// The wish pages (HTML, sessions with CSRF) by role: `(method, path, form fields, who
/// may)`, letters as in [`Case::allowed`]; `*` lets anonymous visitors read the page
/// (the public summary of a published product, and the form's page that asks them to
/// log in). Forms may be refused for what they carry (422) or because an earlier caller
/// changed the wish (409), never for who sends them when the letter is there.
fn wish_page_cases() -> Vec<(Method, &'static str, &'static str, &'static str)> {
    use Method as M;
    vec![
        (M::GET, "/oensker", "", LOGGED_IN),
        (M::GET, "/produkter/os2mo/oensker", "", "*"),
        (
            M::GET,
            "/produkter/os2mo/oensker?vis=alle&status=ny",
            "",
            "*",
        ),
        (M::GET, "/produkter/os2mo/oensker/nyt", "", "*"),
        (
            M::POST,
            "/produkter/os2mo/oensker/nyt",
            "title=%C3%98nske+{n}&need=Behov&priority=lav",
            LOGGED_IN,
        ),
        (M::GET, "/produkter/os2mo/oensker/prioritering", "", "PSA"),
        (M::GET, "/produkter/other/oensker/prioritering", "", STAFF),
        (
            M::POST,
            "/produkter/os2mo/oensker/prioritering",
            "wish={wish}&rank=1&version=1",
            "PSA",
        ),
        (
            M::POST,
            "/produkter/other/oensker/prioritering",
            "wish={other}&rank=1&version=1",
            STAFF,
        ),
        (M::GET, "/produkter/os2mo/oensker/indstillinger", "", "PSA"),
        (
            M::POST,
            "/produkter/os2mo/oensker/indstillinger",
            "criteria=Kriterium+{n}&target_days=100&version=0",
            "PSA",
        ),
        (M::GET, "/oensker/{wish}", "", "*"),
        (M::GET, "/oensker/{fund}", "", "*"),
        (
            M::POST,
            "/oensker/{wish}/trin",
            "to=screening&version=1",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{other}/trin",
            "to=screening&version=1",
            STAFF,
        ),
        (
            M::POST,
            "/oensker/{wish}/screening",
            "criterion-0=x&rating-0=gr%C3%B8n&version=1",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{wish}/estimat",
            "supplier_id={org}&solution=L%C3%B8sning&estimate=1.000&version=1",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{wish}/finansiering",
            "payer=opgavestiller&version=1",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{fund}/tilsagn",
            "organisation_id={org}&amount=100&version=2",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{fund}/tilsagn/{pledge}/traek-tilbage",
            "version=3",
            "PSA",
        ),
        (
            M::POST,
            "/oensker/{wish}/kommentarer",
            "body=Kommentar+{n}",
            LOGGED_IN,
        ),
    ]
}

/// The rows the wish pages work on: os2mo (its produktredaktør handles its wishes) with
/// a new wish and a co-funded wish with a pledge, `other` with a wish, and an organisation.
async fn wish_fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    let sys = Actor::system("fixture");
    let product = |slug: &str| {
        serde_json::from_value::<niveau_store::products::ProductInput>(
            json!({"slug": slug, "name": slug, "published": true}),
        )
        .unwrap()
    };
    let os2mo = store.create_product(&sys, product("os2mo")).await.unwrap();
    store.create_product(&sys, product("other")).await.unwrap();
    app.set_editor_products(vec![os2mo.id]).await;
    let org = store
        .create_organisation(
            &sys,
            serde_json::from_value(json!({"name": "Aarhus Kommune", "kind": "kommune"})).unwrap(),
        )
        .await
        .unwrap();
    let operator = niveau_app::Principal::system("fixture");
    let who = Some(&operator);
    let raise = |slug: &'static str, title: &'static str| {
        let input: niveau_store::wishes::WishInput =
            serde_json::from_value(json!({"title": title, "need": "Et behov"})).unwrap();
        async move {
            niveau_app::wishes::raise(app.state.app(), who, slug, &input)
                .await
                .unwrap()
        }
    };
    let wish = raise("os2mo", "Ønsket").await;
    let fund = raise("os2mo", "Samfinansieret").await;
    let other_wish = raise("other", "Andet").await;
    niveau_app::wishes::fund(
        app.state.app(),
        who,
        fund.id,
        &serde_json::from_value(
            json!({"payer": "fællesskabet", "target_ore": 100_000_000, "version": 1}),
        )
        .unwrap(),
    )
    .await
    .unwrap();
    let (_, pledge) = niveau_app::wishes::pledge(
        app.state.app(),
        who,
        fund.id,
        &serde_json::from_value(
            json!({"organisation_id": org.id, "amount_ore": 10_000, "version": 2}),
        )
        .unwrap(),
    )
    .await
    .unwrap();
    let ids = [
        ("wish", wish.id),
        ("fund", fund.id),
        ("other", other_wish.id),
        ("pledge", pledge.id),
        ("org", org.id),
    ]
    .into_iter()
    .map(|(name, id)| (name, id.to_string()))
    .collect();
    Fixture { ids }
}

/// Every wish page and form against every role with a session, as
/// [`board_pages_by_role_and_forms_without_a_session`] does for the board: public pages
/// are 200 for anonymous visitors, others send them to the login page; posts without a
/// session are 401; the forms take no bearer token (write, read-only or expired) and a
/// session's post without its CSRF token is 403; neither changes anything.
#[tokio::test]
async fn wish_pages_by_role_and_forms_without_a_session() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = &TestApp::new().await;
    let fixture = &wish_fixture(app).await;
    let password = "en-lang-adgangskode-til-oenskerne";
    let mut sessions = Vec::new();
    for (i, caller) in CALLERS.iter().enumerate() {
        let Some(role) = caller else {
            sessions.push(None);
            continue;
        };
        let username = format!("oenskeside-{i}");
        let mut product_ids = vec![];
        if *role == "produktredaktør" {
            product_ids.push(app.store().product_by_slug("os2mo").await.unwrap().id);
        }
        app.store()
            .create_user(
                &Actor::system("test"),
                niveau_store::accounts::NewUser {
                    username: username.clone(),
                    display_name: format!("Side {role}"),
                    email: None,
                    password_hash: Some(
                        niveau_web::auth::password::hash_password(password).unwrap(),
                    ),
                    roles: vec![niveau_store::types::Role::parse(role).unwrap()],
                    product_ids,
                    oidc: None,
                },
            )
            .await
            .unwrap();
        sessions.push(Some(app.session(&username, password).await));
    }
    let form = |body: &str, i: usize| -> Vec<(String, String)> {
        url::form_urlencoded::parse(fixture.fill(body, i).as_bytes())
            .into_owned()
            .collect()
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (method, template, body, allowed) in wish_page_cases() {
        for (i, caller) in CALLERS.iter().enumerate() {
            let path = fixture.fill(template, i);
            let may = allowed == "*" || allowed.contains(letter(*caller));
            let answer = match (&sessions[i], method.clone()) {
                (Some(s), Method::GET) => s.get(&path).await,
                (Some(s), _) => {
                    let fields = form(body, i);
                    let pairs: Vec<(&str, &str)> = fields
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    s.post(&path, &pairs, true).await
                }
                (None, m) => {
                    app.send(
                        Request::builder()
                            .method(m)
                            .uri(&path)
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(Body::from(fixture.fill(body, i)))
                            .unwrap(),
                    )
                    .await
                }
            };
            let status = answer.status;
            let to_login = status == StatusCode::SEE_OTHER
                && answer.headers[header::LOCATION]
                    .to_str()
                    .unwrap()
                    .starts_with("/log-ind");
            let ok = match (caller, method == Method::GET, may) {
                (None, true, true) => status == StatusCode::OK,
                (None, true, false) => to_login,
                (None, false, _) => status == StatusCode::UNAUTHORIZED,
                (Some(_), true, true) => status == StatusCode::OK,
                (Some(_), false, true) => {
                    !to_login
                        && [
                            StatusCode::SEE_OTHER,
                            StatusCode::CONFLICT,
                            StatusCode::UNPROCESSABLE_ENTITY,
                        ]
                        .contains(&status)
                }
                (Some(_), _, false) => status == StatusCode::FORBIDDEN,
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: expected {}, got {status} {}",
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "forbidden" },
                    common::text(&answer).chars().take(200).collect::<String>()
                ));
            }
        }
    }
    let audit_count = || async {
        app.store()
            .list_audit(&Default::default(), &niveau_store::ListParams::default())
            .await
            .unwrap()
            .total
    };
    let mut tokens = vec![("write", app.tokens["sekretariat"].clone())];
    for (kind, scopes, expires_at) in [
        ("read-only", vec!["read".to_string()], None),
        (
            "expired",
            vec!["read".to_string(), "write".to_string()],
            Some(app.store().now() - chrono::Duration::days(1)),
        ),
    ] {
        let secret = niveau_web::auth::token::new_api_token();
        app.store()
            .create_api_token(
                &Actor::system("test"),
                app.users["sekretariat"],
                kind,
                &niveau_web::auth::token::hash_secret(&secret),
                scopes,
                expires_at,
            )
            .await
            .unwrap();
        tokens.push((kind, secret));
    }
    let audit_before = audit_count().await;
    let secretariat = sessions[4].as_ref().unwrap();
    for (method, template, body, _) in wish_page_cases() {
        if method == Method::GET {
            continue;
        }
        let path = fixture.fill(template, 0);
        for (kind, secret) in &tokens {
            let answer = app
                .send(
                    Request::post(&path)
                        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(fixture.fill(body, 0)))
                        .unwrap(),
                )
                .await;
            checked += 1;
            if answer.status != StatusCode::UNAUTHORIZED {
                failures.push(format!(
                    "POST {path} with the secretariat's {kind} token: expected 401, got {}",
                    answer.status
                ));
            }
        }
        let fields = form(body, 0);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let answer = secretariat.post(&path, &pairs, false).await;
        checked += 1;
        if answer.status != StatusCode::FORBIDDEN {
            failures.push(format!(
                "POST {path} without the CSRF token: expected 403, got {}",
                answer.status
            ));
        }
    }
    assert_eq!(
        audit_count().await,
        audit_before,
        "a token or a post without CSRF changed something"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} requests disagree with the matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// --- Issue 16: the outbox page and the notification settings form. ---

fn mail_page_cases() -> Vec<PageCase> {
    vec![
        PageCase {
            method: Method::GET,
            path: "/admin/udbakke",
            fields: "",
            allowed: STAFF,
        },
        PageCase {
            method: Method::POST,
            path: "/admin/udbakke/{failed_mail}/send-igen",
            fields: "",
            allowed: STAFF,
        },
        PageCase {
            method: Method::POST,
            path: "/profil/notifikationer",
            fields: "mode=digest&language=en",
            allowed: LOGGED_IN,
        },
    ]
}

async fn mail_fixture(app: &TestApp) -> Fixture {
    let store = app.store();
    store
        .enqueue_mail(&[niveau_store::outbox::NewMessage {
            event_key: "fixture".into(),
            event_kind: "test".into(),
            entity: "wish".into(),
            entity_id: None,
            recipient_user_id: None,
            recipient: "rikke@kommune.example".into(),
            language: "da".into(),
            subject: "Fejlet".into(),
            body: "Tekst".into(),
            link: None,
            hold: false,
        }])
        .await
        .unwrap();
    let taken = store
        .claim_mail("fixture", std::time::Duration::from_secs(60), 1)
        .await
        .unwrap();
    store
        .mail_failed(taken[0].id, "fixture", "550 no such user", None)
        .await
        .unwrap();
    Fixture {
        ids: vec![("failed_mail", taken[0].id.to_string())],
    }
}

/// Every role against the outbox page, its "send igen" form and the notification form:
/// allowed is a page (200), a 303 not to the login page, or a 409 (an earlier role sent
/// the message again already); refused is the login page or 401 for anonymous visitors
/// and 403 for the others. The forms refuse API tokens (write, read-only, expired) and a
/// missing or wrong CSRF token, and write nothing then.
#[tokio::test]
async fn mail_pages_by_role_and_forms_without_a_session() {
    let mut failures = Vec::new();
    for case in mail_page_cases() {
        let app = TestApp::new().await;
        let ids = mail_fixture(&app).await;
        for (i, caller) in CALLERS.iter().enumerate() {
            let path = ids.fill(case.path, i);
            let session = match caller {
                Some(role) => Some(page_session(&app, role).await),
                None => None,
            };
            let mut fields = case.fields.to_owned();
            if let Some((_, csrf)) = &session {
                fields = format!("csrf_token={csrf}&{fields}");
            }
            let cookie = session.as_ref().map(|(c, _)| c.as_str());
            let answer = send_page(&app, &case, &path, &fields, cookie, None).await;
            let status = answer.status;
            let to_login = status == StatusCode::SEE_OTHER
                && answer.headers[axum::http::header::LOCATION]
                    .to_str()
                    .unwrap()
                    .starts_with("/log-ind");
            let may = case.allowed.contains(letter(*caller));
            let ok = if may {
                status == StatusCode::OK
                    || (status == StatusCode::SEE_OTHER && !to_login)
                    || status == StatusCode::CONFLICT
            } else if caller.is_none() {
                if case.method == Method::GET {
                    to_login
                } else {
                    status == StatusCode::UNAUTHORIZED
                }
            } else {
                status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{} {path} as {}: expected {}, got {}",
                    case.method,
                    caller.unwrap_or("anonymous"),
                    if may { "allowed" } else { "refused" },
                    status
                ));
            }
        }
    }
    let app = TestApp::new().await;
    let fixture = mail_fixture(&app).await;
    let r = refusals_on(app, fixture).await;
    let mut sessions = std::collections::BTreeMap::new();
    for role in CALLERS.iter().flatten() {
        sessions.insert(*role, page_session(&r.app, role).await);
    }
    let before = r.audit_count().await;
    for case in mail_page_cases()
        .into_iter()
        .filter(|c| c.method == Method::POST)
    {
        let path = r.fixture.fill(case.path, 9);
        for role in CALLERS.iter().flatten() {
            for bearer in [
                r.app.tokens[*role].as_str(),
                r.read_only[role].as_str(),
                r.expired[role].as_str(),
            ] {
                let answer = send_page(&r.app, &case, &path, case.fields, None, Some(bearer)).await;
                if answer.status != StatusCode::UNAUTHORIZED {
                    failures.push(format!(
                        "POST {path} with a token of {role}: {}",
                        answer.status
                    ));
                }
            }
            let (cookie, _) = &sessions[role];
            for sent in ["", "csrf_token=forkert&"] {
                let body = format!("{sent}{}", case.fields);
                let answer = send_page(&r.app, &case, &path, &body, Some(cookie), None).await;
                if answer.status != StatusCode::FORBIDDEN {
                    failures.push(format!(
                        "POST {path} as {role} with csrf {sent:?}: {}",
                        answer.status
                    ));
                }
            }
        }
    }
    assert_eq!(r.audit_count().await, before, "nothing was written");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- The iCalendar feed (#16): both addresses, every role, every kind of token. ----

/// `/kalender.ics` and `/api/v1/calendar.ics` by role: every caller gets 200 with the
/// events it may see (a round's three dates for every logged-in role, a board meeting for
/// the board, the secretariat and the admin, nothing for anonymous callers), by bearer
/// token and by a read-only token in the address; a read-only token works as a bearer
/// token too; an expired token is 401 either way; a write token in the address is 403;
/// and the feed answers no unsafe method.
#[tokio::test]
async fn calendar_feed_by_role_and_token() {
    let r = refusals().await;
    let sys = Actor::system("fixture");
    r.app
        .store()
        .create_meeting(
            &sys,
            serde_json::from_value(json!({"held_on": "2026-12-10", "title": "Mødet"})).unwrap(),
        )
        .await
        .unwrap();
    let events = |a: &common::Answer| common::text(a).matches("BEGIN:VEVENT").count();
    let rounds = {
        let a = r.app.get("/kalender.ics", Some("læser")).await;
        events(&a)
    };
    let board = {
        let a = r.app.get("/kalender.ics", Some("sekretariat")).await;
        events(&a)
    };
    assert!(rounds >= 3 && rounds % 3 == 0, "the fixture has a round");
    assert!(board > rounds, "and a board meeting");
    let mut failures = Vec::new();
    for path in ["/kalender.ics", "/api/v1/calendar.ics"] {
        for caller in CALLERS {
            let expected = match letter(caller) {
                '-' => 0,
                'L' | 'P' => rounds,
                _ => board,
            };
            let by_bearer = r.app.get(path, caller).await;
            if by_bearer.status != StatusCode::OK || events(&by_bearer) != expected {
                failures.push(format!(
                    "{path} as {caller:?}: {} events {}",
                    by_bearer.status,
                    events(&by_bearer)
                ));
            }
            let Some(role) = caller else {
                continue;
            };
            let in_address = r
                .app
                .get(&format!("{path}?token={}", r.read_only[role]), None)
                .await;
            let read_bearer = r
                .send(&Method::GET, path, Some(&r.read_only[role]), None)
                .await;
            let expired_address = r
                .app
                .get(&format!("{path}?token={}", r.expired[role]), None)
                .await;
            let expired_bearer = r
                .send(&Method::GET, path, Some(&r.expired[role]), None)
                .await;
            let write_address = r
                .app
                .get(&format!("{path}?token={}", r.app.tokens[role]), None)
                .await;
            let unsafe_post = r
                .send(&Method::POST, path, Some(&r.app.tokens[role]), None)
                .await;
            let ok = in_address.status == StatusCode::OK
                && events(&in_address) == expected
                && read_bearer.status == StatusCode::OK
                && expired_address.status == StatusCode::UNAUTHORIZED
                && expired_bearer.status == StatusCode::UNAUTHORIZED
                && write_address.status == StatusCode::FORBIDDEN
                && unsafe_post.status == StatusCode::METHOD_NOT_ALLOWED;
            if !ok {
                failures.push(format!(
                    "{path} as {role}: address {} ({} events), read bearer {}, expired {} / {}, write in address {}, POST {}",
                    in_address.status,
                    events(&in_address),
                    read_bearer.status,
                    expired_address.status,
                    expired_bearer.status,
                    write_address.status,
                    unsafe_post.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- A published evaluation's own page and its downloads (#16), for every role. ----

/// The evaluation's own page (`/produkter/SLUG/evalueringer/ID`, the static site's
/// permanent address) and its downloads (Markdown, JSON, CSV, PDF; newest and by id)
/// answer every caller who may see the product (a product not yet published: every
/// logged-in role, as in the portfolio), and are "not found" (never "forbidden", which
/// would tell that the product exists) for a product the caller may not see; an
/// unsafe method is refused on each of them whatever the caller sends, and nothing is
/// written.
#[tokio::test]
async fn published_evaluation_pages_and_downloads_by_role() {
    let app = TestApp::new().await;
    page_fixture(&app).await;
    let rate =
        |id: &str| json!({"requirement": id, "rating": "green", "basis": "Set af sekretariatet"});
    common::publish_evaluation_with(&app, "os2mo", rate, "Runden").await;
    common::publish_evaluation_with(&app, "hidden", rate, "Runden").await;
    let id_of = |slug: &str| {
        let app = &app;
        let slug = slug.to_owned();
        async move {
            let product = app
                .get(&format!("/api/v1/products/{slug}"), Some("sekretariat"))
                .await;
            let product_id = product.body["product"]["id"].as_i64().unwrap();
            let list = app.get("/api/v1/evaluations", Some("sekretariat")).await;
            assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
            list.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["product_id"].as_i64() == Some(product_id))
                .and_then(|e| e["id"].as_i64())
                .unwrap()
        }
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (slug, allowed) in [("os2mo", "*"), ("hidden", LOGGED_IN)] {
        let id = id_of(slug).await;
        let paths = [
            format!("/produkter/{slug}/evalueringer/{id}"),
            format!("/produkter/{slug}/evaluering.md"),
            format!("/produkter/{slug}/evaluering.json"),
            format!("/produkter/{slug}/evaluering-{id}.csv"),
            format!("/produkter/{slug}/evaluering-{id}.pdf"),
        ];
        for path in &paths {
            for caller in CALLERS {
                let answer = app.get(path, caller).await;
                let may = allowed == "*" || allowed.contains(letter(caller));
                let expected = if may {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                checked += 1;
                if answer.status != expected {
                    failures.push(format!(
                        "GET {path} as {}: expected {expected}, got {}",
                        caller.unwrap_or("anonymous"),
                        answer.status
                    ));
                }
            }
        }
    }
    // Unsafe methods: no route takes them, whether the caller has a session, a token, a
    // read-only token or an expired one.
    let r = refusals().await;
    let before = r.audit_count().await;
    let id = id_of("os2mo").await;
    for path in [
        format!("/produkter/os2mo/evalueringer/{id}"),
        format!("/produkter/os2mo/evaluering-{id}.pdf"),
    ] {
        let case = PageCase {
            method: Method::POST,
            path: "",
            fields: "",
            allowed: "",
        };
        for role in ["sekretariat", "admin"] {
            for bearer in [
                r.app.tokens[role].as_str(),
                r.read_only[role].as_str(),
                r.expired[role].as_str(),
            ] {
                let answer = send_page(&r.app, &case, &path, "", None, Some(bearer)).await;
                if answer.status != StatusCode::METHOD_NOT_ALLOWED {
                    failures.push(format!(
                        "POST {path} with a token of {role}: {}",
                        answer.status
                    ));
                }
            }
        }
    }
    assert_eq!(r.audit_count().await, before, "nothing was written");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 2 * 5 * CALLERS.len());
}
