//! Uploaded photos in SQLite (the files themselves live under the data folder).

use super::*;

#[async_trait]
impl UploadStore for SqliteStore {
    async fn insert_upload(
        &self,
        id: &str,
        created_at: i64,
        width: u32,
        height: u32,
        bytes: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO uploads (id, created_at, width, height, bytes) VALUES (?, ?, ?, ?, ?)",
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
            "DELETE FROM uploads WHERE case_id IS NULL AND created_at < ? RETURNING id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn export_uploads(&self) -> Result<Vec<(String, i64, u32, u32, u64)>, StoreError> {
        let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, created_at, width, height, bytes FROM uploads ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, at, w, h, b)| (id, at, w.max(0) as u32, h.max(0) as u32, b.max(0) as u64))
            .collect())
    }
}
