//! The outbox: notifications written in the same transaction as the change they announce, so
//! none is lost or sent for a change that was rolled back. Delivery reads them later.

use hanse_domain::time::Timestamp;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::sql::{Batch, Bind};
use crate::tenants::TenantId;
use crate::{Result, Store};

/// A queued notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Id.
    pub id: String,
    /// What happened (`company.status_changed`).
    pub topic: String,
    /// Who is told (an e-mail address).
    pub recipient: String,
    /// The details, JSON.
    pub payload: serde_json::Value,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When it was delivered, once it is.
    pub sent_at: Option<Timestamp>,
}

/// Queues a notification inside the caller's transaction.
pub(crate) async fn enqueue(conn: &mut AnyConnection, tenant: &TenantId, topic: &str, recipient: &str, payload: &serde_json::Value) -> Result<()> {
    let mut batch = Batch::default();
    enqueue_in(&mut batch, tenant, topic, recipient, payload);
    batch.run(conn).await
}

/// Adds the queueing of a notification to `batch`.
pub(crate) fn enqueue_in(batch: &mut Batch, tenant: &TenantId, topic: &str, recipient: &str, payload: &serde_json::Value) {
    batch.push(
        "INSERT INTO outbox (tenant_id, id, topic, recipient, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            Bind::Text(tenant.as_str().to_owned()),
            Bind::Text(new_id("msg_")),
            Bind::Text(topic.to_owned()),
            Bind::Text(recipient.to_owned()),
            Bind::Text(payload.to_string()),
            Bind::Int(now().millis()),
        ],
    );
}

/// Queues an event for the tenant's subscribers (webhooks, ERPs) inside the caller's
/// transaction. Events have no single recipient: theirs is empty.
pub(crate) async fn event(conn: &mut AnyConnection, tenant: &TenantId, topic: &str, payload: &serde_json::Value) -> Result<()> {
    enqueue(conn, tenant, topic, "", payload).await
}

/// Adds an event to `batch` (see [`event`]).
pub(crate) fn event_in(batch: &mut Batch, tenant: &TenantId, topic: &str, payload: &serde_json::Value) {
    enqueue_in(batch, tenant, topic, "", payload);
}

impl Store {
    /// A tenant's queued notifications, newest first.
    pub async fn outbox(&self, tenant: &TenantId, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(
            "SELECT id, topic, recipient, payload, created_at, sent_at FROM outbox WHERE tenant_id = $1
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(tenant.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let payload: String = row.try_get("payload")?;
                Ok(OutboxMessage {
                    id: row.try_get("id")?,
                    topic: row.try_get("topic")?,
                    recipient: row.try_get("recipient")?,
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    created_at: Timestamp::from_millis(row.try_get("created_at")?),
                    sent_at: row.try_get::<Option<i64>, _>("sent_at")?.map(Timestamp::from_millis),
                })
            })
            .collect()
    }
}
