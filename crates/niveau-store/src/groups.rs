//! Groups (styregruppe, koordinationsgruppe, arkitekturgruppe, faggruppe) and their members.

use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{group_meeting, group_member, work_group};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::organisations::{ensure_organisation, ensure_person};
use crate::products::ensure_product;
use crate::query::{lower_like, order, page};
use crate::types::{GroupKind, GroupRole};
use crate::validate;
use crate::versioned::{self, Change, plain_aggregate};
use crate::write::{Actor, load};

/// What a client sends to create or change a group.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    /// The product, or none for a community-wide group.
    #[serde(default)]
    pub product_id: Option<i32>,
    /// Kind.
    pub kind: GroupKind,
    /// Name.
    pub name: String,
    /// Link to the group's mandate (kommissorium), an http(s) address.
    #[serde(default)]
    pub mandate_url: Option<String>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// What a client sends to add or change a member.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    /// The person, if named.
    #[serde(default)]
    pub person_id: Option<i32>,
    /// The organisation.
    #[serde(default)]
    pub organisation_id: Option<i32>,
    /// Role.
    pub role: GroupRole,
    /// Member since.
    #[serde(default)]
    pub since: Option<chrono::NaiveDate>,
    /// Member until (inclusive).
    #[serde(default)]
    pub until: Option<chrono::NaiveDate>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// What a client sends to record or change a group's meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupMeetingInput {
    /// The day of the meeting.
    pub held_on: chrono::NaiveDate,
    /// Title or agenda in one line.
    pub title: String,
    /// Link to the minutes, an http(s) address.
    #[serde(default)]
    pub minutes_url: Option<String>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the group list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupFilter {
    /// Only groups of this product.
    pub product_id: Option<i32>,
    /// Only this kind.
    pub kind: Option<GroupKind>,
    /// Include archived groups.
    pub archived: Option<bool>,
}

/// A group with its members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupWithMembers {
    /// The group.
    #[serde(flatten)]
    pub group: work_group::Model,
    /// Its members.
    pub members: Vec<group_member::Model>,
    /// Its meetings, newest first (at most [`MEETINGS_SHOWN`]; in the group's own view,
    /// empty in a product's list of groups).
    #[serde(default)]
    pub meetings: Vec<group_meeting::Model>,
}

plain_aggregate!(
    work_group,
    group_member => work_group.group_id,
    group_meeting => work_group.group_id
);

/// A group input, checked.
struct GroupChange {
    name: String,
    mandate_url: Option<String>,
    input: GroupInput,
}

fn check_group(input: GroupInput) -> Result<GroupChange> {
    let name = validate::required("name", &input.name, 200)?;
    let mandate_url = validate::url("mandate_url", input.mandate_url.as_deref())?;
    Ok(GroupChange {
        name,
        mandate_url,
        input,
    })
}

impl Change for GroupChange {
    type Of = work_group::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&work_group::Model>,
    ) -> Result<()> {
        if let Some(product) = self.input.product_id {
            ensure_product(txn, "product_id", product).await?;
        }
        Ok(())
    }

    fn fields(&self) -> work_group::ActiveModel {
        work_group::ActiveModel {
            product_id: Set(self.input.product_id),
            kind: Set(self.input.kind),
            name: Set(self.name.clone()),
            mandate_url: Set(self.mandate_url.clone()),
            ..Default::default()
        }
    }
}

/// A member input, checked; `group_id` is the group a new member joins.
struct MemberChange {
    group_id: Option<i32>,
    input: MemberInput,
}

fn check_member(group_id: Option<i32>, input: MemberInput) -> Result<MemberChange> {
    if input.person_id.is_none() && input.organisation_id.is_none() {
        return Err(StoreError::invalid(
            "organisation_id",
            "angiv en person eller en organisation",
            "give a person or an organisation",
        ));
    }
    validate::period("until", input.since, input.until)?;
    Ok(MemberChange { group_id, input })
}

/// A meeting input, checked; `group_id` is the group of a new meeting.
struct MeetingChange {
    group_id: Option<i32>,
    title: String,
    minutes_url: Option<String>,
    note: Option<String>,
    held_on: chrono::NaiveDate,
}

fn check_meeting(group_id: Option<i32>, input: GroupMeetingInput) -> Result<MeetingChange> {
    Ok(MeetingChange {
        group_id,
        title: validate::required("title", &input.title, 300)?,
        minutes_url: validate::url("minutes_url", input.minutes_url.as_deref())?,
        note: validate::optional("note", input.note.as_deref(), 5000)?,
        held_on: input.held_on,
    })
}

impl Change for MeetingChange {
    type Of = group_meeting::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&group_meeting::Model>,
    ) -> Result<()> {
        if let Some(group_id) = self.group_id {
            load::<work_group::Entity>(txn, group_id).await?;
        }
        Ok(())
    }

    fn fields(&self) -> group_meeting::ActiveModel {
        group_meeting::ActiveModel {
            held_on: Set(self.held_on),
            title: Set(self.title.clone()),
            minutes_url: Set(self.minutes_url.clone()),
            note: Set(self.note.clone()),
            ..Default::default()
        }
    }

    fn created(&self, row: &mut group_meeting::ActiveModel) {
        if let Some(group_id) = self.group_id {
            row.group_id = Set(group_id);
        }
    }
}

impl Change for MemberChange {
    type Of = group_member::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&group_member::Model>,
    ) -> Result<()> {
        if let Some(group_id) = self.group_id {
            load::<work_group::Entity>(txn, group_id).await?;
        }
        if let Some(person) = self.input.person_id {
            ensure_person(txn, "person_id", person).await?;
        }
        if let Some(org) = self.input.organisation_id {
            ensure_organisation(txn, "organisation_id", org).await?;
        }
        Ok(())
    }

    fn fields(&self) -> group_member::ActiveModel {
        group_member::ActiveModel {
            person_id: Set(self.input.person_id),
            organisation_id: Set(self.input.organisation_id),
            role: Set(self.input.role),
            since: Set(self.input.since),
            until: Set(self.input.until),
            ..Default::default()
        }
    }

    fn created(&self, row: &mut group_member::ActiveModel) {
        if let Some(group_id) = self.group_id {
            row.group_id = Set(group_id);
        }
    }
}

/// The most meetings of a group that a group's view reads (the newest).
pub const MEETINGS_SHOWN: u64 = 200;

impl Store {
    /// Record a meeting of group `group_id`.
    pub async fn add_group_meeting(
        &self,
        actor: &Actor,
        group_id: i32,
        input: GroupMeetingInput,
    ) -> Result<group_meeting::Model> {
        versioned::create(self, actor, check_meeting(Some(group_id), input)?).await
    }

    /// Change a meeting that is still at version `expected`.
    pub async fn update_group_meeting(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: GroupMeetingInput,
    ) -> Result<group_meeting::Model> {
        versioned::update(self, actor, id, expected, check_meeting(None, input)?).await
    }

    /// Remove a meeting registered by mistake.
    pub async fn remove_group_meeting(&self, actor: &Actor, id: i32, expected: i32) -> Result<()> {
        versioned::remove::<group_meeting::Entity>(self, actor, id, expected).await
    }

    /// One meeting.
    pub async fn group_meeting(&self, id: i32) -> Result<group_meeting::Model> {
        group_meeting::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("group_meeting", id))
    }

    /// Create a group.
    pub async fn create_group(
        &self,
        actor: &Actor,
        input: GroupInput,
    ) -> Result<work_group::Model> {
        versioned::create(self, actor, check_group(input)?).await
    }

    /// Change a group that is still at version `expected`.
    pub async fn update_group(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: GroupInput,
    ) -> Result<work_group::Model> {
        versioned::update(self, actor, id, expected, check_group(input)?).await
    }

    /// Archive a group.
    pub async fn archive_group(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<work_group::Model> {
        versioned::archive::<work_group::Entity>(self, actor, id, expected).await
    }

    /// One group with its members.
    pub async fn group(&self, id: i32) -> Result<GroupWithMembers> {
        let group = work_group::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("group", id))?;
        let members = group_member::Entity::find()
            .filter(group_member::Column::GroupId.eq(id))
            .order_by_asc(group_member::Column::Id)
            .all(self.conn())
            .await?;
        let meetings = group_meeting::Entity::find()
            .filter(group_meeting::Column::GroupId.eq(id))
            .order_by_desc(group_meeting::Column::HeldOn)
            .order_by_desc(group_meeting::Column::Id)
            .limit(MEETINGS_SHOWN)
            .all(self.conn())
            .await?;
        Ok(GroupWithMembers {
            group,
            members,
            meetings,
        })
    }

    /// Groups; sort keys `name`, `kind`, `updated_at`.
    pub async fn list_groups(
        &self,
        filter: &GroupFilter,
        params: &ListParams,
    ) -> Result<Page<work_group::Model>> {
        use work_group::Column as C;
        let mut q = work_group::Entity::find();
        if !filter.archived.unwrap_or(false) {
            q = q.filter(C::Archived.eq(false));
        }
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(C::Kind.eq(kind));
        }
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Name, &text));
        }
        let (key, desc) = params.sort_key(&["name", "kind", "updated_at"], "name")?;
        let col = match key {
            "kind" => C::Kind,
            "updated_at" => C::UpdatedAt,
            _ => C::Name,
        };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        page(q, params, self.conn()).await
    }

    /// The groups of a product, with members.
    pub async fn groups_of_product(&self, product_id: i32) -> Result<Vec<GroupWithMembers>> {
        let groups = work_group::Entity::find()
            .filter(work_group::Column::ProductId.eq(product_id))
            .filter(work_group::Column::Archived.eq(false))
            .order_by_asc(work_group::Column::Id)
            .all(self.conn())
            .await?;
        let ids: Vec<i32> = groups.iter().map(|g| g.id).collect();
        let mut members = group_member::Entity::find()
            .filter(group_member::Column::GroupId.is_in(ids))
            .order_by_asc(group_member::Column::Id)
            .all(self.conn())
            .await?;
        Ok(groups
            .into_iter()
            .map(|group| {
                let (mine, rest): (Vec<_>, Vec<_>) =
                    members.drain(..).partition(|m| m.group_id == group.id);
                members = rest;
                GroupWithMembers {
                    group,
                    members: mine,
                    meetings: Vec::new(),
                }
            })
            .collect())
    }

    /// Add a member to a group.
    pub async fn add_member(
        &self,
        actor: &Actor,
        group_id: i32,
        input: MemberInput,
    ) -> Result<group_member::Model> {
        versioned::create(self, actor, check_member(Some(group_id), input)?).await
    }

    /// Change a member that is still at version `expected`.
    pub async fn update_member(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: MemberInput,
    ) -> Result<group_member::Model> {
        versioned::update(self, actor, id, expected, check_member(None, input)?).await
    }

    /// Remove a member.
    pub async fn remove_member(&self, actor: &Actor, id: i32, expected: i32) -> Result<()> {
        versioned::remove::<group_member::Entity>(self, actor, id, expected).await
    }

    /// One member.
    pub async fn member(&self, id: i32) -> Result<group_member::Model> {
        group_member::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("group_member", id))
    }
}
