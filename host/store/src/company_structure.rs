//! The org chart of one company: teams and users in one tree under the company admin, stored
//! with materialized paths ("/<root id>/.../<own id>/"), so a subtree is a prefix match.

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ids::new_id;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError, audit};

/// One node of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureNode {
    /// Node id (`nod_...`).
    pub id: String,
    /// The node above; `None` for the company admin at the root.
    pub parent_id: Option<String>,
    /// Order among siblings.
    pub position: i64,
    /// A team, or a user.
    pub kind: NodeKind,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A team.
    Team {
        /// Name.
        name: String,
        /// Description.
        description: String,
    },
    /// A user of the company.
    User {
        /// Buyer id.
        buyer_id: String,
        /// Their name, for display.
        name: String,
    },
}

/// The org chart of one company.
pub struct CompanyStructure<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company_id: &'a str,
}

impl Store {
    /// The org chart of `company_id` in `tenant`.
    pub fn company_structure<'a>(&'a self, tenant: &'a TenantId, company_id: &'a str) -> CompanyStructure<'a> {
        CompanyStructure { store: self, tenant, company_id }
    }
}

impl CompanyStructure<'_> {
    /// Every node, parents before children, siblings by position.
    pub async fn nodes(&self) -> Result<Vec<StructureNode>> {
        let rows = sqlx::query(
            "SELECT s.id, s.parent_id, s.position, s.kind, s.team_name, s.description, s.buyer_id, b.first_name, b.last_name
             FROM company_structure s LEFT JOIN buyers b ON b.tenant_id = s.tenant_id AND b.id = s.buyer_id
             WHERE s.tenant_id = $1 AND s.company_id = $2 ORDER BY LENGTH(s.path), s.position, s.id",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(node_from_row).collect()
    }

    /// Buyer ids of every user below `buyer_id` in the chart (the subordinates: all
    /// descendants, not only direct reports).
    pub async fn subordinates(&self, buyer_id: &str) -> Result<Vec<String>> {
        let path = self.path_of_user(buyer_id).await?;
        Ok(sqlx::query_scalar(
            "SELECT buyer_id FROM company_structure
             WHERE tenant_id = $1 AND company_id = $2 AND kind = 'member' AND path LIKE $3 AND path <> $4 ORDER BY path",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(format!("{path}%"))
        .bind(&path)
        .fetch_all(&self.store.pool)
        .await?)
    }

    /// Buyer ids of every user above `buyer_id` (the managers), nearest first.
    pub async fn managers(&self, buyer_id: &str) -> Result<Vec<String>> {
        let path = self.path_of_user(buyer_id).await?;
        let ancestors: Vec<&str> = path.trim_matches('/').split('/').rev().skip(1).collect();
        let mut managers = Vec::new();
        for node in ancestors {
            let buyer: Option<Option<String>> = sqlx::query_scalar("SELECT buyer_id FROM company_structure WHERE tenant_id = $1 AND id = $2")
                .bind(self.tenant.as_str())
                .bind(node)
                .fetch_optional(&self.store.pool)
                .await?;
            if let Some(Some(buyer)) = buyer {
                managers.push(buyer);
            }
        }
        Ok(managers)
    }

    async fn path_of_user(&self, buyer_id: &str) -> Result<String> {
        sqlx::query_scalar("SELECT path FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND buyer_id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(buyer_id)
            .fetch_optional(&self.store.pool)
            .await?
            .ok_or(StoreError::NotFound("user"))
    }

    async fn path_of(&self, conn: &mut sqlx::AnyConnection, node: &str) -> Result<Option<(String, String)>> {
        let row = sqlx::query("SELECT path, kind FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(node)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(|r| Ok((r.try_get("path")?, r.try_get("kind")?))).transpose()
    }

    async fn root(&self, conn: &mut sqlx::AnyConnection) -> Result<String> {
        sqlx::query_scalar("SELECT id FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND parent_id IS NULL")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound("company"))
    }

    /// Adds a team under `parent` (the admin at the root when `None`); returns its node id.
    pub async fn create_team(&self, name: &str, description: &str, parent: Option<&str>, actor: &str) -> Result<String> {
        let mut tx = self.store.begin_write().await?;
        let parent = match parent {
            Some(parent) => parent.to_owned(),
            None => self.root(&mut tx).await?,
        };
        let (parent_path, _) = self.path_of(&mut tx, &parent).await?.ok_or_else(unknown_parent)?;
        let id = new_id("nod_");
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM company_structure WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(&parent)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO company_structure (tenant_id, company_id, id, kind, team_name, description, parent_id, path, position)
             VALUES ($1, $2, $3, 'team', $4, $5, $6, $7, $8)",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(&id)
        .bind(name)
        .bind(description)
        .bind(&parent)
        .bind(format!("{parent_path}{id}/"))
        .bind(position)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "team.created", &json!({"node": id, "name": name})).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames a team or changes its description.
    pub async fn update_team(&self, node: &str, name: Option<&str>, description: Option<&str>, actor: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query(
            "UPDATE company_structure SET team_name = COALESCE($4, team_name), description = COALESCE($5, description)
             WHERE tenant_id = $1 AND company_id = $2 AND id = $3 AND kind = 'team'",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(node)
        .bind(name)
        .bind(description)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("team"));
        }
        audit::record(&mut tx, self.tenant, self.company_id, actor, "team.updated", &json!({"node": node, "name": name, "description": description})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an empty team (`team_not_empty` otherwise).
    pub async fn delete_team(&self, node: &str, actor: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        match self.path_of(&mut tx, node).await? {
            Some((_, kind)) if kind == "team" => {}
            _ => return Err(StoreError::NotFound("team")),
        }
        let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM company_structure WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(node)
            .fetch_one(&mut *tx)
            .await?;
        if children > 0 {
            return Err(StoreError::Refused("team_not_empty", "move the team's users and teams elsewhere first".into()));
        }
        sqlx::query("DELETE FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(node)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "team.deleted", &json!({"node": node})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a node (with everything below it) under `parent`. The root cannot move, and a node
    /// cannot go under itself or its own descendants (`invalid_move`).
    pub async fn move_node(&self, node: &str, parent: &str, actor: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let (old_path, _) = self.path_of(&mut tx, node).await?.ok_or(StoreError::NotFound("node"))?;
        if self.root(&mut tx).await? == node {
            return Err(StoreError::Refused("invalid_move", "the company admin stays at the top of the chart".into()));
        }
        let (parent_path, _) = self.path_of(&mut tx, parent).await?.ok_or_else(unknown_parent)?;
        if parent_path.starts_with(&old_path) {
            return Err(StoreError::Refused("invalid_move", "a node cannot be moved under itself or its own descendants".into()));
        }
        let new_path = format!("{parent_path}{node}/");
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM company_structure WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(parent)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE company_structure SET parent_id = $4, position = $5 WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(node)
            .bind(parent)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        // Every path in the subtree swaps its old prefix for the new one.
        sqlx::query(
            "UPDATE company_structure SET path = $4 || SUBSTR(path, CAST($5 AS INTEGER))
             WHERE tenant_id = $1 AND company_id = $2 AND path LIKE $3",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(format!("{old_path}%"))
        .bind(&new_path)
        .bind(i64::try_from(old_path.len() + 1).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "structure.moved", &json!({"node": node, "parent": parent})).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn unknown_parent() -> StoreError {
    StoreError::Refused("unknown_parent", "the parent node is not in this company's chart".into())
}

fn node_from_row(row: &AnyRow) -> Result<StructureNode> {
    let kind: String = row.try_get("kind")?;
    let kind = if kind == "team" {
        NodeKind::Team {
            name: row.try_get::<Option<String>, _>("team_name")?.unwrap_or_default(),
            description: row.try_get::<Option<String>, _>("description")?.unwrap_or_default(),
        }
    } else {
        let first: Option<String> = row.try_get("first_name")?;
        let last: Option<String> = row.try_get("last_name")?;
        NodeKind::User {
            buyer_id: row.try_get::<Option<String>, _>("buyer_id")?.unwrap_or_default(),
            name: format!("{} {}", first.unwrap_or_default(), last.unwrap_or_default()).trim().to_owned(),
        }
    };
    Ok(StructureNode { id: row.try_get("id")?, parent_id: row.try_get("parent_id")?, position: row.try_get("position")?, kind })
}
