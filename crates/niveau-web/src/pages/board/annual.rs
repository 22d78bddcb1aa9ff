//! The board's annual report draft (#16): `/bestyrelse/aarsrapport/{year}` shows the
//! draft for the year (the Markdown rendered, charts inline) with downloads of the
//! editable Markdown (`{year}.md`) and the PDF (`{year}.pdf`); `/bestyrelse/aarsrapport`
//! goes to last year's. The board and the secretariat only
//! ([`niveau_app::annual::figures`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use niveau_app::permissions::Action;
use niveau_model::Msg;

use super::super::lang::PageLang;
use super::super::workspace::{here, refuse};
use super::super::{Layout, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "board_annual.html")]
struct AnnualPage {
    layout: Layout,
    year: i32,
    /// The draft as HTML: the Markdown through the sanitiser, charts put back inline.
    draft: String,
}

/// `GET /bestyrelse/aarsrapport`: last year's draft.
pub async fn latest(State(state): State<AppState>) -> Response {
    let year = state.app().store().now().year() - 1;
    super::super::form::see_other(&format!("/bestyrelse/aarsrapport/{year}"))
}

/// `GET /bestyrelse/aarsrapport/{file}` with `file` a year, `YEAR.md` or `YEAR.pdf`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/bestyrelse/aarsrapport");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadBoard)) {
        return Ok(answer);
    }
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file.as_str(), ""));
    let year = match (stem.parse::<i32>(), ext) {
        (Ok(y), "" | "md" | "pdf") => y,
        _ => {
            return Ok(super::super::error_page(
                &state,
                &auth,
                lang,
                path,
                ApiError::not_found(Msg::new(
                    format!("filen {file}"),
                    format!("the file {file}"),
                )),
            ));
        }
    };
    let figures = niveau_app::annual::figures(state.app(), auth.who(), year).await?;
    let attachment = |content_type: &'static str, body: Vec<u8>, ext: &str| {
        let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
        let name = format!(
            "attachment; filename=\"{}-{year}.{ext}\"",
            lang.pick("aarsrapport", "annual-report")
        );
        if let Ok(value) = HeaderValue::from_str(&name) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
        response
    };
    match ext {
        "md" => Ok(attachment(
            "text/markdown; charset=utf-8",
            niveau_report::annual::markdown(&figures, lang).into_bytes(),
            "md",
        )),
        "pdf" => {
            let bytes =
                tokio::task::spawn_blocking(move || niveau_report::annual::pdf(&figures, lang))
                    .await
                    .map_err(|e| ApiError::internal(&e))?
                    .map_err(|e| ApiError::internal(&e))?;
            Ok(attachment("application/pdf", bytes, "pdf"))
        }
        _ => {
            // The Markdown without its charts goes through the sanitiser; the charts
            // (our own SVG) are shown after it.
            let markdown = niveau_report::annual::markdown(&figures, lang);
            let text: String = markdown
                .lines()
                .filter(|l| !l.starts_with("![") && !l.starts_with("# "))
                .collect::<Vec<_>>()
                .join("\n");
            let mut draft = niveau_report::export::html::user_markdown(&text);
            for (title, series) in [
                (
                    lang.pick("Udvikling i antal medlemmer", "Members over time"),
                    &figures.members_by_year,
                ),
                (
                    lang.pick("Udvikling i antal produkter", "Products over time"),
                    &figures.products_by_year,
                ),
            ] {
                if !series.is_empty() {
                    draft.push_str("<figure class=\"niveau-chart\">");
                    draft.push_str(&niveau_report::annual::year_bars(
                        if series == &figures.members_by_year {
                            "aarsrapport-medlemmer"
                        } else {
                            "aarsrapport-produkter"
                        },
                        title,
                        series,
                        lang,
                    ));
                    draft.push_str("</figure>");
                }
            }
            let title = match lang {
                niveau_report::Lang::Da => format!("Bestyrelsens beretning {} (udkast)", year + 1),
                niveau_report::Lang::En => {
                    format!("The board's annual report {} (draft)", year + 1)
                }
            };
            Ok(render(&AnnualPage {
                layout: Layout::new(&state, &auth, lang, &title, "board", path),
                year,
                draft,
            }))
        }
    }
}
