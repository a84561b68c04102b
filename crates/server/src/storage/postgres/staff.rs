//! Staff accounts in PostgreSQL.

use super::*;

/// `name, role, department, created_at, revoked_at`.
type AccountRow = (String, String, Option<String>, i64, Option<i64>);

fn account(row: AccountRow) -> Result<StaffAccount, StoreError> {
    let (name, role, department, created_at, revoked_at) = row;
    Ok(StaffAccount {
        name,
        role: decode_code(&role, api::StaffRole::from_code)?,
        department,
        created_at,
        revoked_at,
    })
}

const ACCOUNT: &str = "SELECT name, role, department, created_at, revoked_at FROM staff";

#[async_trait]
impl StaffStore for PostgresStore {
    async fn add_staff(
        &self,
        account: &StaffAccount,
        token_hash: &str,
    ) -> Result<bool, StoreError> {
        let added = sqlx::query(
            "INSERT INTO staff (name, role, department, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
        )
        .bind(&account.name)
        .bind(account.role.code())
        .bind(&account.department)
        .bind(token_hash)
        .bind(account.created_at)
        .execute(&self.pool)
        .await?;
        Ok(added.rows_affected() == 1)
    }

    async fn staff_named(&self, name: &str) -> Result<Option<StaffAccount>, StoreError> {
        let row: Option<AccountRow> =
            sqlx::query_as(AssertSqlSafe(format!("{ACCOUNT} WHERE name = $1")))
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        row.map(account).transpose()
    }

    async fn staff_by_token(&self, token_hash: &str) -> Result<Option<StaffAccount>, StoreError> {
        let row: Option<AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{ACCOUNT} WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(account).transpose()
    }

    async fn list_staff(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let rows: Vec<AccountRow> =
            sqlx::query_as(AssertSqlSafe(format!("{ACCOUNT} ORDER BY name")))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(account).collect()
    }

    async fn revoke_staff(&self, name: &str, at: i64) -> Result<bool, StoreError> {
        let revoked =
            sqlx::query("UPDATE staff SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(name)
                .execute(&self.pool)
                .await?;
        Ok(revoked.rows_affected() == 1)
    }
}
