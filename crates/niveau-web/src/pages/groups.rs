//! Groups in the browser (`/grupper`): the secretariat lists the steering, coordination,
//! architecture and professional groups (by product and kind), creates, edits and
//! archives them, and adds, changes and removes their members (an organisation or a
//! person with a role). Every change goes through niveau-app's `groups` operations, based
//! on the version the form was made from; a refusal shows the page again with what the
//! visitor typed and, after a conflict, the stored values.
//!
//! The store keeps no mandate (kommissorium) link, no membership period and no meetings
//! for groups, so the pages have none.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::groups::{
    self, GroupFilter, GroupInput, GroupMeetingInput, GroupWithMembers, MemberInput,
};
use niveau_app::organisations;
use niveau_app::permissions::Action;
use niveau_app::products::{self, ProductFilter};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::{group_meeting, group_member, work_group};
use niveau_store::types::{GroupKind, GroupRole};
use serde::Deserialize;

use super::form::{Fields, FormPost, see_other};
use super::lang::PageLang;
use super::workspace::{
    Errors, choices, chosen_id, date, form_version, here, in_lang, notice, refuse,
};
use super::{Choice, Layout, error_page, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The fields of the group form that errors can be shown at.
const GROUP_FIELDS: &[&str] = &["name", "kind", "product_id", "mandate_url"];
/// The fields of a member form that errors can be shown at.
const MEMBER_FIELDS: &[&str] = &["organisation_id", "person_id", "role", "since", "until"];
/// The meeting form's fields (the store's names are the form's).
const MEETING_FIELDS: &[&str] = &["held_on", "title", "minutes_url", "note"];

/// `?produkt=&type=&arkiverede=&besked=` of the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    produkt: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arkiverede: Option<String>,
    #[serde(default)]
    besked: Option<String>,
}

/// `?besked=` of a group's page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    besked: Option<String>,
}

/// The names the workspace pages show: products, organisations, persons.
pub(super) struct Names {
    /// (id, slug, name) by name.
    pub(super) products: Vec<(i32, String, String)>,
    /// (id, name) by name.
    pub(super) organisations: Vec<(i32, String)>,
    /// (id, name) by name.
    pub(super) persons: Vec<(i32, String)>,
}

impl Names {
    pub(super) async fn load(state: &AppState, auth: &Auth) -> Result<Names, ApiError> {
        let mut products: Vec<(i32, String, String)> = products::list(
            state.app(),
            auth.who(),
            ProductFilter::default(),
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .map(|p| (p.id, p.slug, p.name))
        .collect();
        products.sort_by_key(|a| a.2.to_lowercase());
        let organisations = organisations::list(
            state.app(),
            auth.who(),
            &Default::default(),
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
        let persons = organisations::list_persons(
            state.app(),
            auth.who(),
            &Default::default(),
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
        Ok(Names {
            products,
            organisations,
            persons,
        })
    }

    pub(super) fn product(&self, id: Option<i32>, lang: Lang) -> String {
        match id {
            None => lang
                .pick("Hele fællesskabet", "The whole community")
                .to_owned(),
            Some(id) => self
                .products
                .iter()
                .find(|p| p.0 == id)
                .map(|p| p.2.clone())
                .unwrap_or_else(|| format!("{} {id}", lang.pick("produkt", "product"))),
        }
    }

    pub(super) fn product_choices(&self, chosen: &str, lang: Lang) -> Vec<Choice> {
        let items: Vec<(String, String)> = self
            .products
            .iter()
            .map(|p| (p.0.to_string(), p.2.clone()))
            .collect();
        choices(
            &items,
            chosen,
            Some(lang.pick(
                "Hele fællesskabet (intet produkt)",
                "The whole community (no product)",
            )),
        )
    }

    pub(super) fn organisation_choices(&self, chosen: &str, lang: Lang) -> Vec<Choice> {
        let items: Vec<(String, String)> = self
            .organisations
            .iter()
            .map(|o| (o.0.to_string(), o.1.clone()))
            .collect();
        choices(&items, chosen, Some(lang.pick("Ingen", "None")))
    }

    pub(super) fn person_choices(&self, chosen: &str, lang: Lang) -> Vec<Choice> {
        let items: Vec<(String, String)> = self
            .persons
            .iter()
            .map(|p| (p.0.to_string(), p.1.clone()))
            .collect();
        choices(&items, chosen, Some(lang.pick("Ingen", "None")))
    }

    /// "Aarhus Kommune", "Person (Aarhus Kommune)".
    fn member(&self, m: &group_member::Model) -> String {
        let org = m.organisation_id.and_then(|id| {
            self.organisations
                .iter()
                .find(|o| o.0 == id)
                .map(|o| o.1.clone())
        });
        let person = m
            .person_id
            .and_then(|id| self.persons.iter().find(|p| p.0 == id).map(|p| p.1.clone()));
        match (person, org) {
            (Some(p), Some(o)) => format!("{p} ({o})"),
            (Some(p), None) => p,
            (None, Some(o)) => o,
            (None, None) => "–".to_owned(),
        }
    }
}

fn kind_choices(chosen: &str, lang: Lang, empty: Option<&str>) -> Vec<Choice> {
    let items: Vec<(String, String)> = GroupKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                labels::group_kind(*k, lang).to_owned(),
            )
        })
        .collect();
    choices(&items, chosen, empty)
}

fn role_choices(chosen: &str, lang: Lang) -> Vec<Choice> {
    let items: Vec<(String, String)> = GroupRole::ALL
        .iter()
        .map(|r| {
            (
                r.as_str().to_owned(),
                labels::capitalise(labels::group_role(*r, lang)),
            )
        })
        .collect();
    choices(&items, chosen, None)
}

/// What the visitor wrote in a group form (as text, so nothing is lost).
#[derive(Debug, Default)]
struct GroupDraft {
    name: String,
    kind: String,
    product_id: String,
    mandate_url: String,
}

impl GroupDraft {
    fn read(fields: &Fields) -> GroupDraft {
        GroupDraft {
            name: fields.one("name").to_owned(),
            kind: fields.one("kind").to_owned(),
            product_id: fields.one("product_id").to_owned(),
            mandate_url: fields.one("mandate_url").to_owned(),
        }
    }

    fn of(g: &work_group::Model) -> GroupDraft {
        GroupDraft {
            name: g.name.clone(),
            kind: g.kind.as_str().to_owned(),
            product_id: g.product_id.map(|p| p.to_string()).unwrap_or_default(),
            mandate_url: g.mandate_url.clone().unwrap_or_default(),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<GroupInput, Errors> {
        let kind = GroupKind::parse(&self.kind).ok_or_else(|| {
            Errors::at_field(
                "kind",
                lang.pick("Vælg en type.", "Choose a kind.").to_owned(),
            )
        })?;
        let product_id =
            chosen_id(&self.product_id, lang).map_err(|e| Errors::at_field("product_id", e))?;
        Ok(GroupInput {
            product_id,
            kind,
            name: self.name.clone(),
            mandate_url: (!self.mandate_url.trim().is_empty()).then(|| self.mandate_url.clone()),
            version,
        })
    }
}

/// What the visitor wrote in a member form.
#[derive(Debug, Default, Clone)]
struct MemberDraft {
    organisation_id: String,
    person_id: String,
    role: String,
    since: String,
    until: String,
}

impl MemberDraft {
    fn read(fields: &Fields) -> MemberDraft {
        MemberDraft {
            organisation_id: fields.one("organisation_id").to_owned(),
            person_id: fields.one("person_id").to_owned(),
            role: fields.one("role").to_owned(),
            since: fields.one("since").to_owned(),
            until: fields.one("until").to_owned(),
        }
    }

    fn of(m: &group_member::Model) -> MemberDraft {
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        MemberDraft {
            organisation_id: m.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            person_id: m.person_id.map(|i| i.to_string()).unwrap_or_default(),
            role: m.role.as_str().to_owned(),
            since: day(m.since),
            until: day(m.until),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<MemberInput, Errors> {
        let role = GroupRole::parse(&self.role).ok_or_else(|| {
            Errors::at_field(
                "role",
                lang.pick("Vælg en rolle.", "Choose a role.").to_owned(),
            )
        })?;
        let organisation_id = chosen_id(&self.organisation_id, lang)
            .map_err(|e| Errors::at_field("organisation_id", e))?;
        let person_id =
            chosen_id(&self.person_id, lang).map_err(|e| Errors::at_field("person_id", e))?;
        let since = date(&self.since, lang).map_err(|e| Errors::at_field("since", e))?;
        let until = date(&self.until, lang).map_err(|e| Errors::at_field("until", e))?;
        Ok(MemberInput {
            person_id,
            organisation_id,
            role,
            since,
            until,
            version,
        })
    }
}

/// What the visitor wrote in the meeting form.
#[derive(Debug, Default, Clone)]
struct MeetingDraft {
    held_on: String,
    title: String,
    minutes_url: String,
    note: String,
}

impl MeetingDraft {
    fn read(fields: &Fields) -> MeetingDraft {
        MeetingDraft {
            held_on: fields.one("held_on").to_owned(),
            title: fields.one("title").to_owned(),
            minutes_url: fields.one("minutes_url").to_owned(),
            note: fields.one("note").to_owned(),
        }
    }

    fn input(&self, lang: Lang) -> Result<GroupMeetingInput, Errors> {
        let held_on = match date(&self.held_on, lang) {
            Ok(Some(d)) => d,
            Ok(None) => {
                return Err(Errors::at_field(
                    "held_on",
                    lang.pick("Skriv mødets dato.", "Give the date of the meeting.")
                        .to_owned(),
                ));
            }
            Err(e) => return Err(Errors::at_field("held_on", e)),
        };
        let optional = |t: &str| (!t.trim().is_empty()).then(|| t.to_owned());
        Ok(GroupMeetingInput {
            held_on,
            title: self.title.clone(),
            minutes_url: optional(&self.minutes_url),
            note: optional(&self.note),
            version: None,
        })
    }
}

/// A meeting as the group page lists it.
struct MeetingRow {
    id: i32,
    version: i32,
    held_on: String,
    title: String,
    minutes_url: String,
    note: String,
}

impl MeetingRow {
    fn of(m: &group_meeting::Model) -> MeetingRow {
        MeetingRow {
            id: m.id,
            version: m.version,
            held_on: m.held_on.to_string(),
            title: m.title.clone(),
            minutes_url: m.minutes_url.clone().unwrap_or_default(),
            note: m.note.clone().unwrap_or_default(),
        }
    }
}

/// A group in the list.
struct GroupRow {
    id: i32,
    name: String,
    kind: &'static str,
    product: String,
    archived: bool,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    layout: Layout,
    groups: Vec<GroupRow>,
    notice: String,
    filter_products: Vec<Choice>,
    filter_kinds: Vec<Choice>,
    archived: bool,
    errors: Errors,
    draft: GroupDraft,
    kinds: Vec<Choice>,
    products: Vec<Choice>,
}

/// A member as its row shows it, with its own form.
struct MemberRow {
    id: i32,
    version: i32,
    who: String,
    role: String,
    roles: Vec<Choice>,
    organisations: Vec<Choice>,
    persons: Vec<Choice>,
    /// The period typed or stored, for the change form.
    since: String,
    until: String,
    /// "2024-01-01 – " / "–".
    period: String,
    errors: Errors,
    /// After a conflict: the stored member, in words.
    stored: String,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    layout: Layout,
    id: i32,
    archived: bool,
    version: i32,
    product: String,
    product_slug: String,
    notice: String,
    errors: Errors,
    draft: GroupDraft,
    kinds: Vec<Choice>,
    products: Vec<Choice>,
    stored: Option<(String, String, String)>,
    members: Vec<MemberRow>,
    new_member_errors: Errors,
    new_roles: Vec<Choice>,
    new_organisations: Vec<Choice>,
    new_persons: Vec<Choice>,
    new_since: String,
    new_until: String,
    meetings: Vec<MeetingRow>,
    meeting: MeetingDraft,
    meeting_errors: Errors,
}

/// `GET /grupper`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/grupper");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    show_list(
        &state,
        &auth,
        lang,
        path,
        &query,
        notice(query.besked.as_deref(), lang),
        Errors::none(),
        GroupDraft::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn show_list(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    query: &ListQuery,
    notice: String,
    errors: Errors,
    draft: GroupDraft,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let names = Names::load(state, auth).await?;
    let product_slug = super::non_empty(&query.produkt).unwrap_or("");
    let product = names.products.iter().find(|p| p.1 == product_slug);
    let kind_text = super::non_empty(&query.kind).unwrap_or("");
    let archived = query.arkiverede.as_deref() == Some("ja");
    let filter = GroupFilter {
        product_id: product.map(|p| p.0),
        kind: GroupKind::parse(kind_text),
        archived: Some(archived),
    };
    // An unknown product in the address shows no groups rather than every group.
    let mut rows: Vec<GroupRow> = if !product_slug.is_empty() && product.is_none() {
        Vec::new()
    } else {
        groups::list(state.app(), auth.who(), &filter, &ListParams::all())
            .await?
            .items
            .into_iter()
            .map(|g| GroupRow {
                id: g.id,
                kind: labels::group_kind(g.kind, lang),
                product: names.product(g.product_id, lang),
                archived: g.archived,
                name: g.name,
            })
            .collect()
    };
    rows.sort_by(|a, b| {
        (a.archived, a.product.to_lowercase(), a.name.to_lowercase()).cmp(&(
            b.archived,
            b.product.to_lowercase(),
            b.name.to_lowercase(),
        ))
    });
    let slugs: Vec<(String, String)> = names
        .products
        .iter()
        .map(|p| (p.1.clone(), p.2.clone()))
        .collect();
    let mut response = render(&GroupsPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Grupper", "Groups"),
            "groups",
            path,
        ),
        groups: rows,
        notice,
        filter_products: choices(&slugs, product_slug, Some(lang.pick("Alle", "All"))),
        filter_kinds: kind_choices(kind_text, lang, Some(lang.pick("Alle", "All"))),
        archived,
        kinds: kind_choices(&draft.kind, lang, Some(lang.pick("Vælg …", "Choose …"))),
        products: names.product_choices(&draft.product_id, lang),
        errors,
        draft,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /grupper`: a new group; on success to its page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = "/grupper";
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let draft = GroupDraft::read(&fields);
    let result = match draft.input(None, lang) {
        Ok(input) => groups::create(state.app(), auth.who(), input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                let errors = Errors::of(&e, lang, ("Gruppen", "The group"), GROUP_FIELDS);
                (errors, e.status)
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(created) => Ok(see_other(&format!(
            "/grupper/{}?besked=oprettet",
            created.id
        ))),
        Err((errors, status)) => {
            show_list(
                &state,
                &auth,
                lang,
                path,
                &ListQuery::default(),
                String::new(),
                errors,
                draft,
                status,
            )
            .await
        }
    }
}

/// Group `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<GroupWithMembers, Response>, ApiError> {
    let missing = |e: AppError| error_page(state, auth, lang, &format!("/grupper/{id}"), e.into());
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(AppError::not_found(Msg::new(
            format!("gruppe {id}"),
            format!("group {id}"),
        )))));
    };
    match groups::get(state.app(), auth.who(), number).await {
        Ok(g) => Ok(Ok(g)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(e))),
        Err(e) => Err(e.into()),
    }
}

/// What the group page shows besides the stored group: the visitor's drafts and errors.
#[derive(Default)]
struct Shown {
    notice: String,
    /// The group form's draft and errors, and whether the stored group is shown next to it.
    group: Option<GroupDraft>,
    group_errors: Errors,
    conflict: bool,
    /// The version the group form carries (after a refusal other than a conflict: the
    /// one it had).
    version: Option<i32>,
    /// A member form's draft and errors: `None` for the new member's form.
    member: Option<(Option<i32>, MemberDraft, Errors, bool)>,
    /// The meeting form's draft and errors.
    meeting: Option<(MeetingDraft, Errors)>,
    status: Option<StatusCode>,
}

async fn show_one(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: &GroupWithMembers,
    shown: Shown,
) -> Result<Response, ApiError> {
    let names = Names::load(state, auth).await?;
    let g = &stored.group;
    let draft = shown.group.unwrap_or_else(|| GroupDraft::of(g));
    let (meeting_draft, meeting_errors) = shown.meeting.unwrap_or_default();
    let (member_for, member_draft, member_errors, member_conflict) = match shown.member {
        Some((id, draft, errors, conflict)) => (Some(id), Some(draft), errors, conflict),
        None => (None, None, Errors::none(), false),
    };
    let mut member_errors = Some(member_errors);
    let mut members: Vec<MemberRow> = Vec::new();
    for m in &stored.members {
        let mine = member_for == Some(Some(m.id));
        let d = match (&member_draft, mine) {
            (Some(d), true) => d.clone(),
            _ => MemberDraft::of(m),
        };
        members.push(MemberRow {
            id: m.id,
            version: m.version,
            who: names.member(m),
            role: labels::group_role(m.role, lang).to_owned(),
            roles: role_choices(&d.role, lang),
            organisations: names.organisation_choices(&d.organisation_id, lang),
            persons: names.person_choices(&d.person_id, lang),
            period: match (m.since, m.until) {
                (None, None) => String::new(),
                (since, until) => format!(
                    "{} – {}",
                    since.map(|d| d.to_string()).unwrap_or_default(),
                    until.map(|d| d.to_string()).unwrap_or_default()
                ),
            },
            since: d.since.clone(),
            until: d.until.clone(),
            errors: if mine {
                member_errors.take().unwrap_or_default()
            } else {
                Errors::none()
            },
            stored: if mine && member_conflict {
                format!(
                    "{} {}, {}",
                    lang.pick("Gemt:", "Stored:"),
                    names.member(m),
                    labels::group_role(m.role, lang)
                )
            } else {
                String::new()
            },
        });
    }
    let new_draft = match (&member_draft, member_for) {
        (Some(d), Some(None)) => d.clone(),
        _ => MemberDraft {
            role: GroupRole::Medlem.as_str().to_owned(),
            ..Default::default()
        },
    };
    let new_member_errors = if member_for == Some(None) {
        member_errors.take().unwrap_or_default()
    } else {
        Errors::none()
    };
    let product_slug = g
        .product_id
        .and_then(|id| names.products.iter().find(|p| p.0 == id))
        .map(|p| p.1.clone())
        .unwrap_or_default();
    let mut response = render(&GroupPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            g.name.clone(),
            "groups",
            &format!("/grupper/{}", g.id),
        ),
        id: g.id,
        archived: g.archived,
        version: shown.version.unwrap_or(g.version),
        product: names.product(g.product_id, lang),
        product_slug,
        notice: shown.notice,
        errors: shown.group_errors,
        kinds: kind_choices(&draft.kind, lang, Some(lang.pick("Vælg …", "Choose …"))),
        products: names.product_choices(&draft.product_id, lang),
        draft,
        stored: shown.conflict.then(|| {
            (
                g.name.clone(),
                labels::group_kind(g.kind, lang).to_owned(),
                names.product(g.product_id, lang),
            )
        }),
        members,
        new_member_errors,
        new_roles: role_choices(&new_draft.role, lang),
        new_organisations: names.organisation_choices(&new_draft.organisation_id, lang),
        new_persons: names.person_choices(&new_draft.person_id, lang),
        new_since: new_draft.since.clone(),
        new_until: new_draft.until.clone(),
        meetings: stored.meetings.iter().map(MeetingRow::of).collect(),
        meeting: meeting_draft,
        meeting_errors,
    });
    *response.status_mut() = shown.status.unwrap_or(StatusCode::OK);
    Ok(response)
}

/// `GET /grupper/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/grupper");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let shown = Shown {
        notice: notice(query.besked.as_deref(), lang),
        ..Default::default()
    };
    show_one(&state, &auth, lang, &stored, shown).await
}

/// `POST /grupper/{id}`: change it, based on the form's version.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let draft = GroupDraft::read(&fields);
    let checked = fields
        .version(lang)
        .map_err(Errors::general)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let shown = Shown {
                group: Some(draft),
                group_errors: errors,
                version: fields.version(lang).ok(),
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                ..Default::default()
            };
            return show_one(&state, &auth, lang, &stored, shown).await;
        }
    };
    match groups::update(state.app(), auth.who(), stored.group.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!("/grupper/{}?besked=gemt", saved.id))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            let shown = Shown {
                group: Some(draft),
                group_errors: Errors::of(&e, lang, ("Gruppen", "The group"), GROUP_FIELDS),
                conflict,
                // After a conflict the form carries the stored version: saving again is
                // a deliberate choice to replace it.
                version: (!conflict).then_some(version),
                status: Some(e.status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// `POST /grupper/{id}/arkiver`: archive it, based on the form's version.
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let result = match form_version(&fields) {
        Ok(version) => groups::archive(state.app(), auth.who(), stored.group.id, version).await,
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(g) => Ok(see_other(&format!("/grupper/{}?besked=arkiveret", g.id))),
        Err(e) => {
            let errors = if e.detail.code == "conflict" {
                Errors::general(
                    lang.pick(
                        "Gruppen er ændret af en anden, siden du hentede siden. Den er ikke arkiveret; siden viser nu den gemte udgave.",
                        "The group was changed by someone else after you loaded the page. It was not archived; the page now shows the stored version.",
                    )
                    .to_owned(),
                )
            } else {
                Errors::of(&e, lang, ("Gruppen", "The group"), &[])
            };
            let shown = Shown {
                group_errors: errors,
                status: Some(e.status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// `POST /grupper/{id}/medlemmer`: add a member.
pub async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let draft = MemberDraft::read(&fields);
    let result = match draft.input(None, lang) {
        Ok(input) => groups::add_member(state.app(), auth.who(), stored.group.id, input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Gruppen", "The group"), MEMBER_FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/grupper/{}?besked=medlem-tilfoejet#medlemmer",
            stored.group.id
        ))),
        Err((errors, status)) => {
            let shown = Shown {
                member: Some((None, draft, errors, false)),
                status: Some(status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// The member `member` of `group`, if it is one of its members.
fn member_of(group: &GroupWithMembers, member: &str) -> Option<group_member::Model> {
    let id: i32 = member.parse().ok()?;
    group.members.iter().find(|m| m.id == id).cloned()
}

fn no_member(state: &AppState, auth: &Auth, lang: Lang, path: &str, member: &str) -> Response {
    error_page(
        state,
        auth,
        lang,
        path,
        AppError::not_found(Msg::new(
            format!("medlem {member}"),
            format!("member {member}"),
        ))
        .into(),
    )
}

/// `POST /grupper/{id}/medlemmer/{member}`: change a member's organisation, person or
/// role, based on the form's version.
pub async fn update_member(
    State(state): State<AppState>,
    Path((id, member)): Path<(String, String)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let Some(m) = member_of(&stored, &member) else {
        return Ok(no_member(&state, &auth, lang, &path, &member));
    };
    let draft = MemberDraft::read(&fields);
    let checked = form_version(&fields)
        .map_err(|e| {
            let e = in_lang(e.into(), lang);
            (Errors::general(e.detail.message.clone()), e.status)
        })
        .and_then(|v| {
            draft
                .input(Some(v), lang)
                .map(|input| (v, input))
                .map_err(|errors| (errors, StatusCode::UNPROCESSABLE_ENTITY))
        });
    let result = match checked {
        Ok((version, input)) => {
            groups::update_member(state.app(), auth.who(), m.id, version, input)
                .await
                .map_err(|e| {
                    let e = in_lang(e.into(), lang);
                    (
                        Errors::of(&e, lang, ("Medlemmet", "The member"), MEMBER_FIELDS),
                        e.status,
                    )
                })
        }
        Err(refused) => Err(refused),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/grupper/{}?besked=medlem-gemt#medlemmer",
            stored.group.id
        ))),
        Err((errors, status)) => {
            let conflict = status == StatusCode::CONFLICT;
            let shown = Shown {
                member: Some((Some(m.id), draft, errors, conflict)),
                status: Some(status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// `POST /grupper/{id}/medlemmer/{member}/fjern`: remove a member (the audit log keeps
/// the row), based on the form's version.
pub async fn remove_member(
    State(state): State<AppState>,
    Path((id, member)): Path<(String, String)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let Some(m) = member_of(&stored, &member) else {
        return Ok(no_member(&state, &auth, lang, &path, &member));
    };
    let result = match form_version(&fields) {
        Ok(version) => groups::remove_member(state.app(), auth.who(), m.id, version).await,
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/grupper/{}?besked=medlem-fjernet#medlemmer",
            stored.group.id
        ))),
        Err(e) => {
            let conflict = e.detail.code == "conflict";
            let errors = if conflict {
                Errors::general(
                    lang.pick(
                        "Medlemmet er ændret af en anden, siden du hentede siden. Det er ikke fjernet; rækken viser nu den gemte udgave.",
                        "The member was changed by someone else after you loaded the page. It was not removed; the row now shows the stored version.",
                    )
                    .to_owned(),
                )
            } else {
                Errors::of(&e, lang, ("Medlemmet", "The member"), &[])
            };
            let shown = Shown {
                member: Some((Some(m.id), MemberDraft::of(&m), errors, false)),
                status: Some(e.status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// `POST /grupper/{id}/moeder`: record a meeting of the group.
pub async fn add_meeting(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let draft = MeetingDraft::read(&fields);
    let result = match draft.input(lang) {
        Ok(input) => groups::add_meeting(state.app(), auth.who(), stored.group.id, input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Mødet", "The meeting"), MEETING_FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/grupper/{}?besked=moede-tilfoejet#moeder",
            stored.group.id
        ))),
        Err((errors, status)) => {
            let shown = Shown {
                meeting: Some((draft, errors)),
                status: Some(status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}

/// `POST /grupper/{id}/moeder/{meeting}/fjern`: remove a meeting registered by mistake.
pub async fn remove_meeting(
    State(state): State<AppState>,
    Path((id, meeting)): Path<(String, String)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/grupper/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(g) => g,
        Err(answer) => return Ok(answer),
    };
    let Some(m) = meeting
        .parse::<i32>()
        .ok()
        .and_then(|n| stored.meetings.iter().find(|m| m.id == n))
    else {
        return Ok(error_page(
            &state,
            &auth,
            lang,
            &path,
            AppError::not_found(Msg::new(
                format!("møde {meeting}"),
                format!("meeting {meeting}"),
            ))
            .into(),
        ));
    };
    let result = match form_version(&fields) {
        Ok(version) => groups::remove_meeting(state.app(), auth.who(), m.id, version).await,
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/grupper/{}?besked=moede-fjernet#moeder",
            stored.group.id
        ))),
        Err(e) => {
            let shown = Shown {
                meeting: Some((
                    MeetingDraft::default(),
                    Errors::of(&e, lang, ("Mødet", "The meeting"), &[]),
                )),
                status: Some(e.status),
                ..Default::default()
            };
            show_one(&state, &auth, lang, &stored, shown).await
        }
    }
}
