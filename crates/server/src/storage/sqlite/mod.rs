//! The embedded store: one SQLite file in WAL mode, migrated at start-up.

use std::str::FromStr;
use std::time::Duration;

use api::Block;
use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
// Dynamic SQL here is only ever assembled from this file's constants and fixed table
// names; every value a request carries is bound, never formatted in.
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite};

mod cases;
mod stats;

use super::rows::{
    AnnouncementHit, AnnouncementRow, CASE_COLUMNS, CaseRow, DOCUMENT_COLUMNS, DetailRow,
    DetailRows, DocumentHit, DocumentRow, EARLIER_FILING_COLUMNS, EXPORT_COLUMNS, EarlierRow,
    ExportRow, OWN_CASE_COLUMNS, SIMILAR_WINDOW, SideRows, case_file, case_slice, decode_body,
    decode_code, decode_number, detail_columns, earlier_filing, encode_body, export_records,
    migrations, pool_status, push_case_filter, push_document_filter, recipient, unix_seconds,
};
use super::*;

/// A [`Store`] on an SQLite file, one module per resource.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    // This process's turn to write (see `write`).
    turn: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction in this process's turn to write (see [`SqliteStore::write`]): the
/// connection of the transaction, and the turn, given up after the transaction ends.
pub(super) struct Write {
    // Dropped first: a transaction neither committed nor rolled back rolls back before the
    // turn passes on.
    tx: sqlx::Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl Write {
    pub(super) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub(super) async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Write {
    type Target = sqlx::SqliteConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl SqliteStore {
    /// A transaction that writes, in this process's turn. SQLite has one writer: the
    /// process's writers queue for their turn here (fairly, without a time limit) rather than
    /// in SQLite's busy handler, which polls, so a writer that arrives while others hand the
    /// lock on to each other could wait past the busy timeout and fail with "database is
    /// locked". In its turn the transaction takes SQLite's write lock at `BEGIN IMMEDIATE`
    /// instead of reading first and upgrading later: an upgrade fails at once
    /// (`SQLITE_BUSY_SNAPSHOT`) when another connection committed in between, as a
    /// single-statement write outside the turn (an upload, the housekeeping's expiry) may.
    async fn write(&self) -> Result<Write, StoreError> {
        let turn = self.turn.clone().lock_owned().await;
        Ok(self.begin(turn).await?)
    }

    /// [`Self::write`] if it is this process's turn now, else `None` (for a request that
    /// must not wait behind the writers).
    async fn try_write(&self) -> Result<Option<Write>, StoreError> {
        match self.turn.clone().try_lock_owned() {
            Ok(turn) => Ok(Some(self.begin(turn).await?)),
            Err(_) => Ok(None),
        }
    }

    async fn begin(&self, turn: tokio::sync::OwnedMutexGuard<()>) -> Result<Write, sqlx::Error> {
        Ok(Write {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
            _turn: turn,
        })
    }

    /// Holds `key` for the rest of a [`Self::write`] transaction: nothing to do, as that
    /// transaction holds SQLite's one writer lock already.
    async fn lock_key(_tx: &mut sqlx::SqliteConnection, _key: &str) -> Result<(), StoreError> {
        Ok(())
    }

    /// ` INDEXED BY index`: SQLite's planner, without statistics tables, sometimes picks a
    /// worse index for the counts' range scans.
    fn indexed_by(index: &str) -> String {
        format!(" INDEXED BY {index}")
    }

    /// Indexes row `id` of `table` (documents, announcements) for search: its title and
    /// body go into the FTS5 table `{table}_search`.
    async fn index_text(
        tx: &mut sqlx::SqliteConnection,
        table: &str,
        id: i64,
        title: &str,
        body: &[Block],
    ) -> Result<(), StoreError> {
        index_item(tx, &format!("{table}_search"), id, title, body).await
    }

    /// Pushes the condition that the row `alias` of `table` holds every term (in its title
    /// alone when `title_only`).
    fn push_text_match(
        query: &mut QueryBuilder<Sqlite>,
        table: &str,
        alias: &str,
        terms: &[String],
        title_only: bool,
    ) {
        let expression = fts5_match(terms);
        query
            .push(format!(
                "{alias}.id IN (SELECT rowid FROM {table}_search WHERE {table}_search MATCH "
            ))
            .push_bind(if title_only {
                format!("title : ({expression})")
            } else {
                expression
            })
            .push(")");
    }

    /// Pushes the rows of `table` (as `alias`) whose text holds every term in `tier`: FROM
    /// its FTS5 table, joined to the rows only when `rows` (a bare count needs no join), and
    /// the WHERE that matches. Returns the column that orders them by id as FTS5 streams
    /// them, so a page stops early instead of sorting every match.
    fn push_text_scan(
        query: &mut QueryBuilder<Sqlite>,
        table: &str,
        alias: &str,
        terms: &[String],
        tier: shared::TextTier,
        rows: bool,
    ) -> String {
        let expression = fts5_match(terms);
        let index = format!("{table}_search");
        if rows {
            query.push(format!(
                "{index} JOIN {table} {alias} ON {alias}.id = {index}.rowid"
            ));
        } else {
            query.push(&index);
        }
        query
            .push(format!(" WHERE {index} MATCH "))
            .push_bind(match tier {
                shared::TextTier::Title => format!("title : ({expression})"),
                shared::TextTier::BodyOnly => format!("({expression}) NOT title : ({expression})"),
            });
        format!("{index}.rowid")
    }

    /// Checks foreign keys at commit instead of at each statement, for the rest of `tx`.
    async fn defer_foreign_keys(tx: &mut sqlx::SqliteConnection) -> Result<(), StoreError> {
        sqlx::query("PRAGMA defer_foreign_keys = ON")
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Opens (creating if needed) the database at `url` (`sqlite://data/civic.db`, or
    /// `sqlite::memory:`), switches it to WAL with foreign keys on, and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|path| !path.starts_with(":memory:") && !path.is_empty())
            && let Some(parent) = std::path::Path::new(path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL with NORMAL is durable against a crash of the process; FULL adds an fsync
            // per commit, which is what filing needs before it answers 201.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        let store = Self {
            pool,
            turn: Default::default(),
        };
        store.index_unindexed_text().await?;
        Ok(store)
    }

    /// Indexes documents and announcements stored before their search tables existed.
    async fn index_unindexed_text(&self) -> Result<(), StoreError> {
        for (table, index) in [
            ("documents", "documents_search"),
            ("announcements", "announcements_search"),
        ] {
            let (items, indexed): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT (SELECT COUNT(*) FROM {table}), (SELECT COUNT(*) FROM {index}_docsize)"
            )))
            .fetch_one(&self.pool)
            .await?;
            if items == indexed {
                continue;
            }
            let rows: Vec<(i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT id, title, body FROM {table} WHERE id NOT IN (SELECT id FROM {index}_docsize)"
            )))
            .fetch_all(&self.pool)
            .await?;
            let mut tx = self.write().await?;
            for (id, title, body) in rows {
                index_item(&mut tx, index, id, &title, &decode_body(&body)?).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Puts an item's title and body into its search table.
async fn index_item(
    tx: &mut sqlx::SqliteConnection,
    index: &str,
    id: i64,
    title: &str,
    body: &[Block],
) -> Result<(), StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {index} (rowid, title, body) VALUES (?, ?, ?)"
    )))
    .bind(id)
    .bind(crate::search::index_text(&[title]))
    .bind(crate::search::index_text(&[&crate::search::blocks_text(
        body,
    )]))
    .execute(tx)
    .await?;
    Ok(())
}

/// The FTS5 MATCH expression of search terms: each quoted, all required.
fn fts5_match(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// This build's migrations.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl SqliteStore {
    /// Writes a consistent copy of the database to `path` (see
    /// [`BaseStore::snapshot_into`]).
    async fn snapshot(&self, path: &std::path::Path) -> Result<bool, StoreError> {
        // One read transaction: the copy is the database as of its start, whatever is
        // written meanwhile (WAL readers do not block the writer).
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Database("the snapshot path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }
}

shared_queries!(SqliteStore, Sqlite, "");
