//! Uploaded photos, each JPEG in its row: the same SQL on both stores.

/// Implements [`crate::storage::UploadStore`] for `$store`.
macro_rules! shared_uploads {
    ($store:ty) => {
        type UploadRow = (String, i64, i64, i64, Option<Vec<u8>>);

        fn upload((id, created_at, width, height, jpeg): UploadRow) -> Upload {
            Upload {
                id,
                created_at,
                width: width.clamp(0, i64::from(u32::MAX)) as u32,
                height: height.clamp(0, i64::from(u32::MAX)) as u32,
                jpeg: jpeg.unwrap_or_default(),
            }
        }

        #[async_trait]
        impl UploadStore for $store {
            async fn insert_upload(&self, upload: &Upload) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO uploads (id, created_at, width, height, bytes, jpeg) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&upload.id)
                .bind(upload.created_at)
                .bind(i64::from(upload.width))
                .bind(i64::from(upload.height))
                .bind(upload.jpeg.len() as i64)
                // An upload copied before its file moved in has no JPEG yet
                // (`photos::adopt_files`).
                .bind((!upload.jpeg.is_empty()).then_some(&upload.jpeg))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn case_photo(
                &self,
                number: &CaseNumber,
                id: &str,
            ) -> Result<Option<Vec<u8>>, StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT u.jpeg FROM uploads u JOIN cases c ON c.id = u.case_id \
                     WHERE u.id = $1 AND c.number = $2 AND u.jpeg IS NOT NULL",
                )
                .bind(id)
                .bind(number.as_str())
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn expire_uploads(&self, before: i64) -> Result<u64, StoreError> {
                Ok(
                    sqlx::query("DELETE FROM uploads WHERE case_id IS NULL AND created_at < $1")
                        .bind(before)
                        .execute(&self.pool)
                        .await?
                        .rows_affected(),
                )
            }

            async fn export_uploads(
                &self,
                after: &str,
                limit: u32,
            ) -> Result<Vec<Upload>, StoreError> {
                let rows: Vec<UploadRow> = sqlx::query_as(
                    "SELECT id, created_at, width, height, jpeg FROM uploads WHERE id > $1 \
                     ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(upload).collect())
            }

            async fn count_uploads(&self) -> Result<u64, StoreError> {
                let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(count.max(0) as u64)
            }

            async fn uploads_without_jpeg(&self) -> Result<Vec<String>, StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT id FROM uploads WHERE jpeg IS NULL ORDER BY id")
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn set_upload_jpeg(&self, id: &str, jpeg: &[u8]) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE uploads SET jpeg = $1, bytes = $2 WHERE id = $3 AND jpeg IS NULL",
                )
                .bind(jpeg)
                .bind(jpeg.len() as i64)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}
