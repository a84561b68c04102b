//! Queries both stores run with the very same SQL (`$1`-style parameters, which SQLite reads
//! too), written once: the staff accounts, and the staff's views of cases. A macro, because
//! the two stores' pools are of different types.

/// Implements [`super::StaffStore`] for a store and adds the staff's case queries
/// (`queue_cases`, `staff_case_record`) to it; `$db` is its sqlx database.
macro_rules! shared_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Every case matching `filter`, published or not, with the titles residents
            /// wrote (the work queue; no text search: `filter.terms` is never set for it).
            async fn queue_cases(
                &self,
                filter: &CaseFilter,
                cursor: Option<CaseCursor>,
                limit: u32,
                today: Date,
            ) -> Result<Slice<CaseSummary, CaseCursor>, StoreError> {
                let mut query: QueryBuilder<$db> =
                    QueryBuilder::new(format!("SELECT {OWN_CASE_COLUMNS} FROM cases WHERE true"));
                push_case_filter(&mut query, filter, cursor, limit, |_, _| {});
                let rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
                case_slice(rows, filter.sort, limit, today)
            }

            /// A case as staff see it (see [`super::CaseStore::staff_case`]).
            async fn staff_case_record(
                &self,
                number: &CaseNumber,
                today: Date,
            ) -> Result<Option<StaffCaseRecord>, StoreError> {
                type Row = (i64, bool, bool, String, String, String);
                let row: Option<Row> = sqlx::query_as(
                    "SELECT id, extended_at IS NOT NULL, original_title IS NOT NULL, title, \
                     description, place FROM cases WHERE number = $1",
                )
                .bind(number.as_str())
                .fetch_optional(&self.pool)
                .await?;
                let Some((id, extended, redacted, title, description, place)) = row else {
                    return Ok(None);
                };
                let public_text = redacted.then_some(api::PublicText {
                    title,
                    description,
                    place,
                });
                let detail = self.load_detail(id, today, true).await?;
                let events: Vec<super::rows::EventRow> = sqlx::query_as(
                    "SELECT at, status, department, note, rating, follow_up, action, actor \
                     FROM case_events WHERE case_id = $1 ORDER BY at, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let photos: Vec<String> = sqlx::query_scalar(
                    "SELECT id FROM uploads WHERE case_id = $1 ORDER BY created_at, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let events = events
                    .into_iter()
                    .map(super::rows::event_record)
                    .collect::<Result<_, _>>()?;
                Ok(Some(StaffCaseRecord {
                    detail,
                    events,
                    photos,
                    extended,
                    public_text,
                }))
            }
        }

        #[async_trait]
        impl StaffStore for $store {
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
                let row: Option<super::rows::AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
                    "{} WHERE name = $1",
                    super::rows::ACCOUNT_COLUMNS
                )))
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
                row.map(super::rows::staff_account).transpose()
            }

            async fn staff_by_token(
                &self,
                token_hash: &str,
            ) -> Result<Option<StaffAccount>, StoreError> {
                let row: Option<super::rows::AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
                    "{} WHERE token_hash = $1 AND revoked_at IS NULL",
                    super::rows::ACCOUNT_COLUMNS
                )))
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(super::rows::staff_account).transpose()
            }

            async fn list_staff(&self) -> Result<Vec<StaffAccount>, StoreError> {
                let rows: Vec<super::rows::AccountRow> = sqlx::query_as(AssertSqlSafe(format!(
                    "{} ORDER BY name",
                    super::rows::ACCOUNT_COLUMNS
                )))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(super::rows::staff_account).collect()
            }

            async fn revoke_staff(&self, name: &str, at: i64) -> Result<bool, StoreError> {
                let revoked = sqlx::query(
                    "UPDATE staff SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
                )
                .bind(at)
                .bind(name)
                .execute(&self.pool)
                .await?;
                Ok(revoked.rows_affected() == 1)
            }
        }
    };
}
