//! Uploaded photos in PostgreSQL (the files themselves live under the data folder).

use super::*;

#[async_trait]
impl UploadStore for PostgresStore {
    async fn insert_upload(
        &self,
        id: &str,
        created_at: i64,
        width: u32,
        height: u32,
        bytes: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO uploads (id, created_at, width, height, bytes) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(created_at)
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(bytes as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn expire_uploads(&self, before: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "DELETE FROM uploads WHERE case_id IS NULL AND created_at < $1 RETURNING id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }
}
