//! The board's work: meetings with their agenda, and cases (sagsoplæg) the secretariat
//! prepares for them. The board's decision on a case is recorded once, in one transaction
//! with the decisions it writes in the log (niveau-app's process says which).

use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::decisions::{DecisionInput, process_log, record};
use crate::entity::{board_case, board_meeting, decision, evaluation, product, work_group};
use crate::error::{Result, StoreError};
use crate::json::StringList;
use crate::list::{ListParams, Page};
use crate::products::lock_product;
use crate::query::{order, page};
use crate::types::{BoardCaseKind, BoardOutcome};
use crate::validate;
use crate::versioned::{self, Change, ensure_exists, plain_aggregate};
use crate::write::{Actor, at_version, load_locked, save};

plain_aggregate!(board_meeting, board_case);

/// What a client sends to create or change a board meeting.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    /// The day of the meeting.
    pub held_on: chrono::NaiveDate,
    /// Title.
    pub title: String,
    /// The agenda beyond the cases (Markdown).
    #[serde(default)]
    pub agenda: Option<String>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

struct MeetingChange {
    title: String,
    agenda: Option<String>,
    held_on: chrono::NaiveDate,
}

fn check_meeting(input: MeetingInput) -> Result<MeetingChange> {
    Ok(MeetingChange {
        title: validate::required("title", &input.title, 200)?,
        agenda: validate::optional("agenda", input.agenda.as_deref(), 20_000)?,
        held_on: input.held_on,
    })
}

impl Change for MeetingChange {
    type Of = board_meeting::Entity;

    fn fields(&self) -> board_meeting::ActiveModel {
        board_meeting::ActiveModel {
            held_on: Set(self.held_on),
            title: Set(self.title.clone()),
            agenda: Set(self.agenda.clone()),
            ..Default::default()
        }
    }
}

/// What a client sends to create or change a board case. Once the board has decided,
/// the case no longer changes.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    /// The product.
    pub product_id: i32,
    /// What the board is asked to decide.
    pub kind: BoardCaseKind,
    /// The meeting it is on the agenda of.
    #[serde(default)]
    pub meeting_id: Option<i32>,
    /// Title.
    pub title: String,
    /// The secretariat's presentation (sagsoplæg, Markdown).
    pub presentation: String,
    /// Links to the material: http(s) addresses or paths in Niveau beginning with `/`.
    #[serde(default)]
    pub material: Vec<String>,
    /// The steering group a `styregruppe` case concerns.
    #[serde(default)]
    pub group_id: Option<i32>,
    /// The evaluation an `evaluering` case escalates.
    #[serde(default)]
    pub evaluation_id: Option<i32>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

struct CaseChange {
    title: String,
    presentation: String,
    material: Vec<String>,
    input: CaseInput,
    created_by: String,
}

fn check_case(input: CaseInput, created_by: &str) -> Result<CaseChange> {
    let title = validate::required("title", &input.title, 300)?;
    let presentation = validate::required("presentation", &input.presentation, 50_000)?;
    if input.material.len() > 50 {
        return Err(StoreError::invalid(
            "material",
            "højst 50 links til materiale",
            "at most 50 links to material",
        ));
    }
    let mut material = Vec::new();
    for (i, link) in input.material.iter().enumerate() {
        let field = format!("material[{i}]");
        let link = validate::required(&field, link, 2000)?;
        if link.starts_with('/') && !link.starts_with("//") {
            // A backslash or whitespace would let a browser read the path as another
            // host (`/\evil.example`) or split it.
            if link.contains(|c: char| c.is_whitespace() || c == '\\') {
                return Err(StoreError::invalid(
                    field,
                    "en sti i Niveau må ikke indeholde mellemrum eller omvendt skråstreg",
                    "a path in Niveau must not contain spaces or backslashes",
                ));
            }
            material.push(link);
        } else if let Some(url) = validate::url(&field, Some(&link))? {
            material.push(url);
        }
    }
    if input.kind == BoardCaseKind::Styregruppe && input.group_id.is_none() {
        return Err(StoreError::invalid(
            "group_id",
            "en sag om godkendelse af en styregruppe skal nævne gruppen",
            "a case about approving a steering group must name the group",
        ));
    }
    if input.kind == BoardCaseKind::Evaluering && input.evaluation_id.is_none() {
        return Err(StoreError::invalid(
            "evaluation_id",
            "en eskaleret evaluering skal nævne evalueringen",
            "an escalated evaluation must name the evaluation",
        ));
    }
    Ok(CaseChange {
        title,
        presentation,
        material,
        input,
        created_by: created_by.to_owned(),
    })
}

impl Change for CaseChange {
    type Of = board_case::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        before: Option<&board_case::Model>,
    ) -> Result<()> {
        if let Some(before) = before {
            refuse_decided(before)?;
            if before.product_id != self.input.product_id {
                return Err(StoreError::invalid(
                    "product_id",
                    "en sag kan ikke flyttes til et andet produkt; opret en ny sag",
                    "a case cannot be moved to another product; create a new case",
                ));
            }
        }
        ensure_exists::<product::Entity>(
            txn,
            "product_id",
            self.input.product_id,
            ("produkt", "product"),
        )
        .await?;
        if let Some(meeting) = self.input.meeting_id {
            ensure_exists::<board_meeting::Entity>(
                txn,
                "meeting_id",
                meeting,
                ("bestyrelsesmøde", "board meeting"),
            )
            .await?;
        }
        if let Some(group) = self.input.group_id {
            let found = work_group::Entity::find_by_id(group).one(txn).await?;
            if found.is_none_or(|g| g.product_id != Some(self.input.product_id)) {
                return Err(StoreError::invalid(
                    "group_id",
                    format!("gruppe {group} hører ikke til produktet"),
                    format!("group {group} does not belong to the product"),
                ));
            }
        }
        if let Some(id) = self.input.evaluation_id {
            let found = evaluation::Entity::find_by_id(id).one(txn).await?;
            if found.is_none_or(|e| e.product_id != self.input.product_id) {
                return Err(StoreError::invalid(
                    "evaluation_id",
                    format!("evaluering {id} hører ikke til produktet"),
                    format!("evaluation {id} does not belong to the product"),
                ));
            }
        }
        Ok(())
    }

    fn fields(&self) -> board_case::ActiveModel {
        board_case::ActiveModel {
            kind: Set(self.input.kind),
            meeting_id: Set(self.input.meeting_id),
            title: Set(self.title.clone()),
            presentation: Set(self.presentation.clone()),
            material: Set(StringList(self.material.clone())),
            group_id: Set(self.input.group_id),
            evaluation_id: Set(self.input.evaluation_id),
            ..Default::default()
        }
    }

    fn created(&self, row: &mut board_case::ActiveModel) {
        row.product_id = Set(self.input.product_id);
        row.created_by = Set(self.created_by.clone());
        row.outcome = Set(None);
        row.priority = Set(None);
        row.reasons = Set(None);
        row.decided_on = Set(None);
        row.decision_id = Set(None);
    }
}

fn refuse_decided(case: &board_case::Model) -> Result<()> {
    match (case.outcome, case.decided_on) {
        (Some(outcome), decided_on) => {
            let on = decided_on.map(|d| d.to_string()).unwrap_or_default();
            Err(StoreError::state(
                format!(
                    "bestyrelsen har allerede truffet afgørelse i sag {} ({outcome} {on}); en afgørelse registreres kun én gang",
                    case.id
                ),
                format!(
                    "the board has already decided case {} ({outcome} {on}); a decision is recorded only once",
                    case.id
                ),
            ))
        }
        (None, _) => Ok(()),
    }
}

/// Insert a case prepared inside another write's transaction (the orientation a process
/// step prepares), with its checks and audit event.
pub(crate) async fn insert_case(
    tx: &crate::write::Tx<'_>,
    input: CaseInput,
) -> Result<board_case::Model> {
    let change = check_case(input, &tx.actor.name)?;
    change.check_in(&tx.txn, None).await?;
    let mut row = change.fields();
    change.created(&mut row);
    row.version = Set(1);
    row.created_at = Set(tx.now);
    row.updated_at = Set(tx.now);
    let row = sea_orm::ActiveModelTrait::insert(row, &tx.txn).await?;
    tx.audit(
        "create",
        "board_case",
        Some(row.id),
        None::<&()>,
        Some(&row),
    )
    .await?;
    Ok(row)
}

/// The board's decision on a case, as recorded.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDecisionInput {
    /// The decision.
    pub outcome: BoardOutcome,
    /// The day of the decision.
    pub decided_on: chrono::NaiveDate,
    /// The priority given to an approved concept (1 = highest).
    #[serde(default)]
    pub priority: Option<i32>,
    /// The board's reasons (required for tilbageløb and afvist).
    #[serde(default)]
    pub reasons: Option<String>,
    /// Reference (minutes).
    #[serde(default)]
    pub reference: Option<String>,
    /// The version of the case the decision is based on.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the list of cases.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    /// Only cases about this product.
    pub product_id: Option<i32>,
    /// Only cases on this meeting's agenda.
    pub meeting_id: Option<i32>,
    /// Only undecided (`true`) or decided (`false`) cases.
    pub open: Option<bool>,
}

/// A meeting with the cases on its agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    /// The meeting.
    #[serde(flatten)]
    pub meeting: board_meeting::Model,
    /// The cases on its agenda, in the order they were created.
    pub cases: Vec<board_case::Model>,
}

/// What the board's decision on a case writes: the product and its process log as they
/// are inside the transaction, for the caller's rules to decide the decisions.
pub struct DecisionContext<'a> {
    /// The case.
    pub case: &'a board_case::Model,
    /// The product, locked for the transaction.
    pub product: &'a product::Model,
    /// The product's stage, approval and orientation decisions, oldest first.
    pub log: &'a [decision::Model],
}

impl Store {
    /// Create a board meeting.
    pub async fn create_meeting(
        &self,
        actor: &Actor,
        input: MeetingInput,
    ) -> Result<board_meeting::Model> {
        versioned::create(self, actor, check_meeting(input)?).await
    }

    /// Change a meeting that is still at version `expected`.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: MeetingInput,
    ) -> Result<board_meeting::Model> {
        versioned::update(self, actor, id, expected, check_meeting(input)?).await
    }

    /// One meeting with the cases on its agenda.
    pub async fn meeting(&self, id: i32) -> Result<MeetingView> {
        let meeting = board_meeting::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("board_meeting", id))?;
        let cases = board_case::Entity::find()
            .filter(board_case::Column::MeetingId.eq(id))
            .order_by_asc(board_case::Column::Id)
            .all(self.conn())
            .await?;
        Ok(MeetingView { meeting, cases })
    }

    /// Meetings, newest first by default; sort key `held_on`.
    pub async fn list_meetings(&self, params: &ListParams) -> Result<Page<board_meeting::Model>> {
        use board_meeting::Column as C;
        let (_, desc) = params.sort_key(&["held_on"], "-held_on")?;
        let q = board_meeting::Entity::find()
            .order_by(C::HeldOn, order(desc))
            .order_by(C::Id, order(desc));
        page(q, params, self.conn()).await
    }

    /// Per meeting: how many cases are on its agenda and how many of them are undecided,
    /// counted by the database (the overview needs the numbers, not the cases).
    pub async fn case_counts_by_meeting(
        &self,
    ) -> Result<std::collections::HashMap<i32, (u64, u64)>> {
        use board_case::Column as C;
        let count = |open: bool| {
            let mut q = board_case::Entity::find()
                .select_only()
                .column(C::MeetingId)
                .column_as(C::Id.count(), "n")
                .filter(C::MeetingId.is_not_null())
                .group_by(C::MeetingId);
            if open {
                q = q.filter(C::Outcome.is_null());
            }
            q.into_tuple::<(Option<i32>, i64)>().all(self.conn())
        };
        let mut counts = std::collections::HashMap::new();
        for (meeting, n) in count(false).await? {
            if let Some(m) = meeting {
                counts.insert(m, (u64::try_from(n).unwrap_or(0), 0));
            }
        }
        for (meeting, n) in count(true).await? {
            if let Some(entry) = meeting.and_then(|m| counts.get_mut(&m)) {
                entry.1 = u64::try_from(n).unwrap_or(0);
            }
        }
        Ok(counts)
    }

    /// Create a board case.
    pub async fn create_case(&self, actor: &Actor, input: CaseInput) -> Result<board_case::Model> {
        versioned::create(self, actor, check_case(input, &actor.name)?).await
    }

    /// Change an undecided case that is still at version `expected`.
    pub async fn update_case(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: CaseInput,
    ) -> Result<board_case::Model> {
        versioned::update(self, actor, id, expected, check_case(input, &actor.name)?).await
    }

    /// One case.
    pub async fn case(&self, id: i32) -> Result<board_case::Model> {
        board_case::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("board_case", id))
    }

    /// Cases, newest first.
    pub async fn list_cases(
        &self,
        filter: &CaseFilter,
        params: &ListParams,
    ) -> Result<Page<board_case::Model>> {
        use board_case::Column as C;
        let mut q = board_case::Entity::find();
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(meeting) = filter.meeting_id {
            q = q.filter(C::MeetingId.eq(meeting));
        }
        match filter.open {
            Some(true) => q = q.filter(C::Outcome.is_null()),
            Some(false) => q = q.filter(C::Outcome.is_not_null()),
            None => {}
        }
        let (_, desc) = params.sort_key(&["created_at"], "-created_at")?;
        q = q
            .order_by(C::CreatedAt, order(desc))
            .order_by(C::Id, order(desc));
        page(q, params, self.conn()).await
    }

    /// Record the board's decision on case `id` (at version `expected`), once: `decide`
    /// gets the case, the locked product and its process log and returns the decisions to
    /// write in the log (a stage change moves the product); the case keeps the outcome
    /// and the first decision's id. All in one transaction: a refusal writes nothing.
    pub async fn decide_case<F>(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: &CaseDecisionInput,
        decide: F,
    ) -> Result<(board_case::Model, Vec<decision::Model>)>
    where
        F: FnOnce(&DecisionContext<'_>) -> Result<Vec<DecisionInput>> + Send,
    {
        let reasons = validate::optional("reasons", input.reasons.as_deref(), 10_000)?;
        if let Some(priority) = input.priority
            && !(1..=1000).contains(&priority)
        {
            return Err(StoreError::invalid(
                "priority",
                "prioriteten er et tal fra 1 (højest) til 1000",
                "the priority is a number from 1 (highest) to 1000",
            ));
        }
        let tx = self.tx(actor).await?;
        // Locked (PostgreSQL): of two decisions sent at once, the second waits and then
        // finds the case decided. A decided case is refused as such, whatever version
        // the caller saw (a decision is recorded once); an undecided one at a newer
        // version is a conflict.
        let before = load_locked::<board_case::Entity>(&tx.txn, id).await?;
        refuse_decided(&before)?;
        let before = at_version::<board_case::Entity>(before, expected)?;
        let product = lock_product(&tx.txn, "product_id", before.product_id).await?;
        let log = process_log(&tx.txn, product.id).await?;
        let inputs = decide(&DecisionContext {
            case: &before,
            product: &product,
            log: &log,
        })?;
        let mut written = Vec::new();
        for d in &inputs {
            written.push(record(&tx, d, None).await?);
        }
        let changes = board_case::ActiveModel {
            outcome: Set(Some(input.outcome)),
            priority: Set(input.priority),
            reasons: Set(reasons),
            decided_on: Set(Some(input.decided_on)),
            decision_id: Set(written.first().map(|d| d.id)),
            updated_at: Set(tx.now),
            ..Default::default()
        };
        let after = save::<board_case::Entity>(&tx.txn, id, expected, changes).await?;
        tx.audit(
            "decide",
            "board_case",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok((after, written))
    }
}
