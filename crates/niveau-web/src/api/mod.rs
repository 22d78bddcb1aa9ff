//! The JSON API under /api/v1. Every handler is annotated for the OpenAPI document, which
//! is generated from these annotations and served at /api/v1/openapi.json.

use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub mod accounts;
pub mod agreements;
pub mod audit;
pub mod calendar;
pub mod decisions;
pub mod evaluations;
pub mod forge;
pub mod groups;
// Issue 16: the e-mail outbox and notification settings.
pub mod mail;
pub mod meta;
pub mod organisations;
pub mod process;
pub mod products;
pub mod rounds;
pub mod scans;
pub mod self_evaluations;
pub mod wish_transfer;
pub mod wishes;
// Issue 14: suppliers and partner agreements.
pub mod suppliers;

/// The OpenAPI document's frame; paths and schemas come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Niveau API",
        description = "Porteføljen, selvevalueringer, evalueringer, beslutningsloggen og evalueringsrunder. \
                       Fejl er JSON med en stabil kode, en besked og feltet der er galt.",
        license(name = "MPL-2.0", identifier = "MPL-2.0")
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security),
    tags(
        (name = "produkter", description = "Porteføljen: produkter og deltagere"),
        (name = "organisationer", description = "Kommuner, regioner, leverandører og personer"),
        (name = "grupper", description = "Styregrupper, koordinationsgrupper, arkitekturgrupper og faggrupper"),
        (name = "aftaler", description = "Tilslutningsaftaler og andre aftaler"),
        (name = "selvevalueringer", description = "Produkternes selvevalueringer"),
        (name = "evalueringer", description = "Sekretariatets evalueringer"),
        (name = "beslutninger", description = "Beslutningsloggen"),
        (name = "runder", description = "Evalueringsrunder (årshjul)"),
        (name = "proces", description = "Produktprocessen fra idé til produkt, fremdriftsrapporter"),
        (name = "ønsker", description = "Udviklingsønsker: screening, estimat, finansiering og samfinansiering"),
        (name = "bestyrelse", description = "Bestyrelsesmøder og bestyrelsessager"),
        (name = "leverandører", description = "Leverandører: roller på produkterne, koncentration og leverandørpartneraftaler"),
        (name = "scanninger", description = "Scanning af repositorier"),
        (name = "revision", description = "Revisionsloggen"),
        (name = "konti", description = "Log ind, konti og API-tokens"),
        (name = "system", description = "Om serveren"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::principal::SESSION_COOKIE,
            ))),
        );
    }
}

/// The API routes (mounted under /api/v1) and their OpenAPI document.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(products::routes())
        .merge(organisations::routes())
        .merge(groups::routes())
        .merge(agreements::routes())
        .merge(self_evaluations::routes())
        .merge(evaluations::routes())
        .merge(decisions::routes())
        .merge(rounds::routes())
        // Issue 16: the iCalendar feed.
        .merge(calendar::routes())
        .merge(forge::routes())
        .merge(process::routes())
        .merge(wish_transfer::routes())
        .merge(wishes::routes())
        .merge(scans::routes())
        .merge(audit::routes())
        .merge(accounts::routes())
        .merge(mail::routes())
        .merge(meta::routes())
        // Issue 14: suppliers and partner agreements.
        .merge(suppliers::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts()
}
