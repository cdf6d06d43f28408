//! What a message needs to know of its recipient's partner.

use sqlx::{AnyConnection, Row};

use crate::core::{NodeId, UserId};
use crate::error::AppError;

/// The part of a partner's brand its messages show.
pub struct PartnerBrand {
    pub product_name: String,
    pub primary_colour: String,
    pub support_email: String,
    /// Its branding domains, in order.
    pub domains: Vec<String>,
}

/// `partner`'s brand, if it has set one up.
pub async fn partner_brand(
    conn: &mut AnyConnection,
    partner: NodeId,
) -> Result<Option<PartnerBrand>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT product_name, primary_colour, support_email FROM partner_settings \
         WHERE partner_id = $1",
    )
    .bind(partner.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let domains: Vec<String> = sqlx::query_scalar(
        "SELECT domain FROM branding_domains WHERE partner_id = $1 ORDER BY domain",
    )
    .bind(partner.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(PartnerBrand {
        product_name: row.try_get("product_name")?,
        primary_colour: row.try_get("primary_colour")?,
        support_email: row.try_get("support_email")?,
        domains,
    }))
}

/// The partner `user`'s roles are in (the first, if several); none for the
/// platform's own staff.
pub async fn partner_of_user(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Option<NodeId>, AppError> {
    let partner: Option<i64> = sqlx::query_scalar(
        "SELECT p.ancestor_id FROM memberships m \
         JOIN node_paths p ON p.descendant_id = m.node_id \
         JOIN nodes n ON n.id = p.ancestor_id AND n.kind = 'partner' \
         WHERE m.user_id = $1 ORDER BY m.id LIMIT 1",
    )
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(partner.map(NodeId))
}
