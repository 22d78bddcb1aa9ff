//! Groups (steering, coordination, architecture, professional) of a product or of the
//! whole community, and their members: people and organisations with a role.
//!
//! Who may: the secretariat changes them ([`Action::EditPortfolio`]); logged-in readers
//! read them.

use niveau_store::entity::{group_meeting, group_member, work_group};
use niveau_store::{ListParams, Page};

pub use niveau_store::groups::{
    GroupFilter, GroupInput, GroupMeetingInput, GroupWithMembers, MemberInput,
};

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, require};
use crate::principal::Caller;

/// The groups without their members, one page (logged-in readers).
pub async fn list(
    app: &App,
    who: Caller<'_>,
    filter: &GroupFilter,
    params: &ListParams,
) -> AppResult<Page<work_group::Model>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_groups(filter, params).await?)
}

/// Create a group, for a product or for the whole community (the secretariat).
pub async fn create(app: &App, who: Caller<'_>, input: GroupInput) -> AppResult<work_group::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app.store().create_group(&who.actor(), input).await?)
}

/// Group `id` with its members (logged-in readers).
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<GroupWithMembers> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().group(id).await?)
}

/// Change group `id`, still at version `expected` (not its members).
pub async fn update(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: GroupInput,
) -> AppResult<work_group::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_group(&who.actor(), id, expected, input)
        .await?)
}

/// Archive group `id` ("delete"), still at version `expected`.
pub async fn archive(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
) -> AppResult<work_group::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .archive_group(&who.actor(), id, expected)
        .await?)
}

/// Add a person or an organisation to group `group_id`.
pub async fn add_member(
    app: &App,
    who: Caller<'_>,
    group_id: i32,
    input: MemberInput,
) -> AppResult<group_member::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .add_member(&who.actor(), group_id, input)
        .await?)
}

/// Change member `id`'s person, organisation or role, still at version `expected`.
pub async fn update_member(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: MemberInput,
) -> AppResult<group_member::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_member(&who.actor(), id, expected, input)
        .await?)
}

/// Remove member `id` from its group, still at version `expected` (the audit log keeps
/// the row).
pub async fn remove_member(app: &App, who: Caller<'_>, id: i32, expected: i32) -> AppResult<()> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .remove_member(&who.actor(), id, expected)
        .await?)
}

/// Record a meeting of group `group_id` (date, title, link to the minutes).
pub async fn add_meeting(
    app: &App,
    who: Caller<'_>,
    group_id: i32,
    input: GroupMeetingInput,
) -> AppResult<group_meeting::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .add_group_meeting(&who.actor(), group_id, input)
        .await?)
}

/// Change meeting `id`, still at version `expected`.
pub async fn update_meeting(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: GroupMeetingInput,
) -> AppResult<group_meeting::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_group_meeting(&who.actor(), id, expected, input)
        .await?)
}

/// Remove meeting `id` (registered by mistake), still at version `expected`.
pub async fn remove_meeting(app: &App, who: Caller<'_>, id: i32, expected: i32) -> AppResult<()> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .remove_group_meeting(&who.actor(), id, expected)
        .await?)
}

#[cfg(test)]
mod tests {
    use niveau_store::types::{GroupKind, GroupRole, Role};

    use super::*;
    use crate::AppError;
    use crate::error::ErrorKind;
    use crate::products::testing::{app, product, secretariat, who};

    #[tokio::test]
    async fn the_secretariat_manages_groups_and_members_and_editors_may_not() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        let input = GroupInput {
            product_id: Some(p.id),
            kind: GroupKind::Styregruppe,
            name: "Styregruppen for OS2mo".into(),
            version: None,
            mandate_url: None,
        };
        assert!(matches!(
            create(&app, Some(&editor), input.clone()).await,
            Err(AppError::Forbidden)
        ));
        let group = create(&app, Some(&secretariat()), input)
            .await
            .expect("group");
        let org = crate::organisations::create(
            &app,
            Some(&secretariat()),
            crate::organisations::testing::organisation_input("Aarhus Kommune"),
        )
        .await
        .expect("organisation");
        let member = |organisation_id| MemberInput {
            person_id: None,
            organisation_id,
            role: GroupRole::Medlem,
            version: None,
            since: None,
            until: None,
        };
        let nobody = add_member(&app, Some(&secretariat()), group.id, member(None))
            .await
            .expect_err("a member is someone");
        assert_eq!(nobody.kind(), ErrorKind::Invalid);
        let added = add_member(&app, Some(&secretariat()), group.id, member(Some(org.id)))
            .await
            .expect("member");
        let read = get(&app, Some(&editor), group.id).await.expect("read");
        assert_eq!(read.members.len(), 1);
        assert_eq!(read.members[0].organisation_id, Some(org.id));
        assert!(matches!(
            remove_member(&app, Some(&editor), added.id, 1).await,
            Err(AppError::Forbidden)
        ));
        remove_member(&app, Some(&secretariat()), added.id, 1)
            .await
            .expect("removed");
        // Each change of its members is a change of the group.
        let current = get(&app, Some(&secretariat()), group.id)
            .await
            .expect("group")
            .group
            .version;
        assert_eq!(current, 3);
        let archived = archive(&app, Some(&secretariat()), group.id, current)
            .await
            .expect("archived");
        assert!(archived.archived);
        assert!(matches!(
            list(&app, None, &GroupFilter::default(), &ListParams::all()).await,
            Err(AppError::Unauthenticated)
        ));
    }
}
