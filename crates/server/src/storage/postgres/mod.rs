//! The city-scale store: PostgreSQL 15 or later (core only), migrated at start-up from
//! `migrations/postgres/`. The same tables, answers and orders as the SQLite store; what
//! SQLite gets from its single writer, PostgreSQL gets from row locks and constraints, so
//! several server processes can share one database (see `cases.rs`).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Postgres, QueryBuilder};

mod cases;
mod stats;

use super::rows::{
    AnnouncementHit, AnnouncementRow, CASE_COLUMNS, CaseRow, DOCUMENT_COLUMNS, DetailRow,
    DetailRows, DocumentHit, DocumentRow, EARLIER_FILING_COLUMNS, EXPORT_COLUMNS, EarlierRow,
    ExportRow, OWN_CASE_COLUMNS, SIMILAR_WINDOW, SideRows, case_file, case_slice, decode_body,
    decode_code, decode_number, detail_columns, earlier_filing, encode_body, export_records,
    migrations, pool_status, push_case_filter, push_document_filter, recipient, sort_key,
    unix_seconds,
};
use super::*;

/// A [`Store`] on a PostgreSQL database, one module per resource.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// A transaction that writes.
    async fn write(&self) -> Result<sqlx::Transaction<'static, Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Holds `key` for the rest of the transaction, in every process on the database: an
    /// advisory lock on the key's hash, let go at commit or rollback.
    async fn lock_key(tx: &mut sqlx::PgConnection, key: &str) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Nothing: PostgreSQL's planner picks the index itself (SQLite's store names it).
    fn indexed_by(_index: &str) -> String {
        String::new()
    }

    /// Indexes row `id` of `table` (documents, announcements) for search: its title's terms
    /// and all its terms, as arrays in the row (GIN-indexed).
    async fn index_text(
        tx: &mut sqlx::PgConnection,
        table: &str,
        id: i64,
        title: &str,
        body: &[api::Block],
    ) -> Result<(), StoreError> {
        let body_text = crate::search::blocks_text(body);
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET title_terms = $1, terms = $2 WHERE id = $3"
        )))
        .bind(term_array(&[title]))
        .bind(term_array(&[title, &body_text]))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    /// Pushes the condition that the row `alias` holds every term (in its title alone when
    /// `title_only`).
    fn push_text_match(
        query: &mut QueryBuilder<Postgres>,
        _table: &str,
        alias: &str,
        terms: &[String],
        title_only: bool,
    ) {
        let column = if title_only { "title_terms" } else { "terms" };
        query
            .push(format!("{alias}.{column} @> "))
            .push_bind(terms.to_vec());
    }

    /// Pushes the rows of `table` (as `alias`) whose terms hold every term in `tier` (GIN
    /// indexes on both arrays), and returns the column that orders them by id.
    fn push_text_scan(
        query: &mut QueryBuilder<Postgres>,
        table: &str,
        alias: &str,
        terms: &[String],
        tier: shared::TextTier,
        _rows: bool,
    ) -> String {
        query.push(format!("{table} {alias} WHERE "));
        match tier {
            shared::TextTier::Title => {
                query
                    .push(format!("{alias}.title_terms @> "))
                    .push_bind(terms.to_vec());
            }
            shared::TextTier::BodyOnly => {
                query
                    .push(format!("{alias}.terms @> "))
                    .push_bind(terms.to_vec())
                    .push(format!(" AND NOT {alias}.title_terms @> "))
                    .push_bind(terms.to_vec());
            }
        }
        format!("{alias}.id")
    }

    /// Checks deferrable constraints at commit instead of at each statement, for the rest
    /// of `tx`.
    async fn defer_foreign_keys(tx: &mut sqlx::PgConnection) -> Result<(), StoreError> {
        sqlx::query("SET CONSTRAINTS ALL DEFERRED")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Connects to the database at `url` (`postgres://user@host:port/name`) and applies the
    /// migrations (sqlx takes an advisory lock, so processes starting together migrate once).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?
            // Durable before 201: a commit waits for its WAL to reach the disk, whatever the
            // server's default.
            .options([("synchronous_commit", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Self { pool })
    }
}

/// Search terms as the arrays the GIN indexes hold (see `crate::search`).
fn term_array(parts: &[&str]) -> Vec<String> {
    let mut terms: Vec<String> = parts.iter().flat_map(|p| crate::search::terms(p)).collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// This build's migrations.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PostgresStore {
    /// Nothing: a PostgreSQL database is backed up with its own tools (`pg_dump`, base
    /// backups), not by the server.
    async fn snapshot(&self, _path: &std::path::Path) -> Result<bool, StoreError> {
        Ok(false)
    }
}

shared_queries!(PostgresStore, Postgres, " FOR UPDATE SKIP LOCKED");
