//! Read helpers shared by the list functions.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QuerySelect,
    Select, sea_query::SimpleExpr,
};

use crate::error::Result;
use crate::list::{ListParams, Page, contains_pattern};

/// `lower(column) LIKE '%text%'` with the pattern characters escaped; `text` is lowercase.
pub(crate) fn lower_like(column: impl ColumnTrait, text: &str) -> SimpleExpr {
    Expr::expr(Func::lower(Expr::col(column.as_column_ref())))
        .like(LikeExpr::new(contains_pattern(text)).escape('\\'))
}

/// Count and fetch one page of `select`.
pub(crate) async fn page<E, C>(
    select: Select<E>,
    params: &ListParams,
    db: &C,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
    C: ConnectionTrait,
{
    let total = select.clone().count(db).await?;
    let items = select
        .offset(params.offset())
        .limit(params.limit())
        .all(db)
        .await?;
    Ok(Page {
        items,
        total,
        limit: params.limit(),
        offset: params.offset(),
    })
}

/// Ascending or descending.
pub(crate) fn order(desc: bool) -> sea_orm::Order {
    if desc {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    }
}
