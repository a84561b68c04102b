//! Queries both stores run with the very same SQL (`$1`-style parameters, which SQLite reads
//! too), written once: the staff accounts, the staff's views of cases, the outbox, the
//! server's secrets (here), uploads and coordination (one file each). Macros, because the two
//! stores' pools are of different types; where the databases truly differ, a store's own
//! method says how (`write`, `lock_key`).

#[macro_use]
mod announcements;
#[macro_use]
mod base;
#[macro_use]
mod cases;
#[macro_use]
mod coordination;
#[macro_use]
mod documents;
#[macro_use]
mod stats;
#[macro_use]
mod uploads;

/// Which of a text's parts a search scan matches the terms in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextTier {
    /// Every term in the title.
    Title,
    /// Every term in the title and body together, but not every one in the title.
    BodyOnly,
}

/// Implements [`super::StaffStore`] and [`super::OutboxStore`] for a store and adds the
/// staff's case queries (`queue_cases`, `staff_case_record`) to it; `$db` is its sqlx
/// database, `$skip_locked` what a claim of outbox rows adds to skip rows another
/// transaction holds (PostgreSQL's `FOR UPDATE SKIP LOCKED`; SQLite has one writer).
macro_rules! shared_queries {
    ($store:ty, $db:ty, $skip_locked:literal) => {
        shared_uploads!($store);
        shared_coordination!($store);
        shared_announcements!($store, $db);
        shared_stats!($store, $db);
        shared_documents!($store, $db);
        shared_cases!($store, $db);
        shared_base!($store);

        /// Writes `messages` about case `id` into the outbox, due at once, in the caller's
        /// transaction: they are kept exactly when the change they tell of is.
        async fn write_outbox(
            tx: &mut <$db as sqlx::Database>::Connection,
            id: i64,
            messages: &[crate::domain::notify::Outgoing],
            at: i64,
        ) -> Result<(), StoreError> {
            if messages.is_empty() {
                return Ok(());
            }
            let now_ms = at.saturating_mul(1000);
            let mut query: QueryBuilder<$db> = QueryBuilder::new(
                "INSERT INTO outbox (id, case_id, receiver, topic, body, created_at, next_at) ",
            );
            query.push_values(messages, |mut row, message| {
                row.push_bind(&message.id)
                    .push_bind(id)
                    .push_bind(message.receiver.code())
                    .push_bind(&message.topic)
                    .push_bind(&message.body)
                    .push_bind(now_ms)
                    .push_bind(now_ms);
            });
            query.build().execute(&mut *tx).await?;
            Ok(())
        }

        impl $store {
            /// Every case matching `filter`, published or not, with the titles residents
            /// wrote (the work queue; no text search: `filter.terms` is never set for it).
            async fn queue_cases(
                &self,
                filter: &CaseFilter,
                cursor: Option<CaseCursor>,
                limit: u32,
            ) -> Result<Slice<CaseListing, CaseCursor>, StoreError> {
                let mut query: QueryBuilder<$db> =
                    QueryBuilder::new(format!("SELECT {OWN_CASE_COLUMNS} FROM cases WHERE true"));
                push_case_filter(&mut query, filter, cursor, limit, |_, _| {});
                let rows: Vec<CaseRow> = query.build_query_as().fetch_all(&self.pool).await?;
                case_slice(rows, filter.sort, limit)
            }

            /// A case as staff see it (see [`super::CaseStore::staff_case`]).
            async fn staff_case_record(
                &self,
                number: &CaseNumber,
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
                let file = self.load_detail(id, true).await?;
                let photos: Vec<String> = sqlx::query_scalar(
                    "SELECT id FROM uploads WHERE case_id = $1 ORDER BY created_at, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(Some(StaffCaseRecord {
                    file,
                    photos,
                    extended,
                    public_text,
                }))
            }
        }

        #[async_trait]
        impl super::SecretStore for $store {
            async fn secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
                sqlx::query(
                    "INSERT INTO server_secrets (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(fresh)
                .execute(&self.pool)
                .await?;
                Ok(self.read_secret(name).await?.ok_or_else(|| {
                    StoreError::Corrupt("a secret vanished as it was written".into())
                })?)
            }

            async fn read_secret(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
                        .bind(name)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn forget_secret(&self, name: &str) -> Result<bool, StoreError> {
                let done = sqlx::query("DELETE FROM server_secrets WHERE name = $1")
                    .bind(name)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
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

        #[async_trait]
        impl OutboxStore for $store {
            async fn claim_messages(
                &self,
                receivers: &[Receiver],
                now_ms: i64,
                claim_until_ms: i64,
                limit: u32,
            ) -> Result<Vec<Claimed>, StoreError> {
                type Row = (i64, String, String, String, i32);
                let mut rows: Vec<Row> = sqlx::query_as(concat!(
                    "UPDATE outbox SET attempts = attempts + 1, next_at = $1 WHERE seq IN \
                     (SELECT seq FROM outbox WHERE state = 'pending' AND next_at <= $2 \
                     AND ((receiver = 'sms' AND $3) OR (receiver = 'events' AND $4)) \
                     ORDER BY next_at, seq LIMIT $5",
                    $skip_locked,
                    ") RETURNING seq, id, receiver, body, attempts"
                ))
                .bind(claim_until_ms)
                .bind(now_ms)
                .bind(receivers.contains(&Receiver::Sms))
                .bind(receivers.contains(&Receiver::Events))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.sort_by_key(|row| row.0);
                rows.into_iter()
                    .map(|(seq, id, receiver, body, attempts)| {
                        Ok(Claimed {
                            seq,
                            id,
                            receiver: decode_code(&receiver, Receiver::from_code)?,
                            body,
                            attempts: u32::try_from(attempts).unwrap_or_default(),
                        })
                    })
                    .collect()
            }

            async fn message_delivered(&self, seq: i64, at_ms: i64) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE outbox SET state = 'delivered', delivered_at = $1, last_error = NULL \
                     WHERE seq = $2",
                )
                .bind(at_ms)
                .bind(seq)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn message_failed(
                &self,
                seq: i64,
                next_at_ms: Option<i64>,
                error: &str,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE outbox SET state = $1, next_at = COALESCE($2, next_at), \
                     last_error = $3 WHERE seq = $4 AND state = 'pending'",
                )
                .bind(if next_at_ms.is_some() {
                    "pending"
                } else {
                    "dead"
                })
                .bind(next_at_ms)
                .bind(error)
                .bind(seq)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn retry_dead_letters(
                &self,
                receiver: Option<Receiver>,
                now_ms: i64,
            ) -> Result<u64, StoreError> {
                let retried = sqlx::query(
                    "UPDATE outbox SET state = 'pending', attempts = 0, next_at = $1 \
                     WHERE state = 'dead' AND ($2 = '' OR receiver = $2)",
                )
                .bind(now_ms)
                .bind(receiver.map_or("", Receiver::code))
                .execute(&self.pool)
                .await?;
                Ok(retried.rows_affected())
            }

            async fn outbox_counts(&self) -> Result<Vec<OutboxCount>, StoreError> {
                let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT receiver, state, COUNT(*), MIN(created_at) FROM outbox \
                     GROUP BY receiver, state ORDER BY receiver, state",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(receiver, state, count, oldest_ms)| OutboxCount {
                        receiver,
                        state,
                        count: u64::try_from(count).unwrap_or_default(),
                        oldest_ms,
                    })
                    .collect())
            }

            async fn forget_messages(
                &self,
                before_ms: i64,
            ) -> Result<super::ForgottenMessages, StoreError> {
                let delivered = sqlx::query(
                    "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < $1",
                )
                .bind(before_ms)
                .execute(&self.pool)
                .await?;
                let undelivered = sqlx::query(
                    "DELETE FROM outbox WHERE state <> 'delivered' AND created_at < $1",
                )
                .bind(before_ms)
                .execute(&self.pool)
                .await?;
                Ok(super::ForgottenMessages {
                    delivered: delivered.rows_affected(),
                    undelivered: undelivered.rows_affected(),
                })
            }

            async fn set_texts(
                &self,
                number: &CaseNumber,
                owner: &str,
                texts: bool,
            ) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                let id: Option<i64> = sqlx::query_scalar(
                    "UPDATE cases SET texts = $1 WHERE number = $2 AND tracking_hash = $3 \
                     RETURNING id",
                )
                .bind(texts)
                .bind(number.as_str())
                .bind(owner)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else {
                    return Ok(false);
                };
                if !texts {
                    sqlx::query(
                        "DELETE FROM outbox WHERE case_id = $1 AND receiver = 'sms' \
                         AND state = 'pending'",
                    )
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
