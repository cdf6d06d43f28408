//! The database: one pool and one set of SQL for SQLite and PostgreSQL, through sqlx's
//! `Any` driver. The few real differences between the two live here:
//! - schema DDL (identity columns), in `migrations/sqlite` and `migrations/postgres`;
//! - SQLite reads the database with plain reads, not through a memory map: a
//!   connection drops its whole map at the first read after any other connection's
//!   write, so under steady writes (ingestion) every statement unmapped and mapped the
//!   file again (ingestion through the API ran at 0.55 of the rate it has without);
//! - SQLite write transactions begin `IMMEDIATE`, so concurrent writers queue on
//!   `busy_timeout` instead of failing with "database is locked" on lock upgrade;
//!   within one process they queue first on an async lock (see [`Db::begin`]);
//! - flags are 0/1 integers on both (the `Any` driver reads no SQLite booleans), and
//!   times are integer milliseconds since the Unix epoch.

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::AppError;

/// A transaction that may write. On SQLite it holds this process's writer turn until
/// it ends (the field order drops the transaction, and so queues its rollback,
/// before the turn passes on).
pub struct Tx {
    transaction: Transaction<'static, Any>,
    _writer_turn: Option<OwnedMutexGuard<()>>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.transaction.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.transaction.rollback().await
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.transaction
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.transaction
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite: or postgres:".into(),
            ))
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Whose turn it is to write, among this process's SQLite transactions.
    writer: Arc<Mutex<()>>,
}

impl Db {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let options = match backend {
            Backend::Sqlite => {
                create_sqlite_directory(url)?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                            )
                            .await
                            .map(|_| ())
                        })
                    })
            }
            // A directory query is fast only when planned for its values: the filter's
            // selectivity and the LIMIT decide between walking an index and sorting.
            // After five runs of a prepared statement PostgreSQL may switch to one
            // generic plan, which for these sorted every match (1 s instead of 3 ms).
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("SET plan_cache_mode = force_custom_plan")
                                .await
                                .map(|_| ())
                        })
                    })
            }
        };
        let pool = options.connect(url).await?;
        Ok(Self {
            pool,
            backend,
            writer: Arc::new(Mutex::new(())),
        })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQL that selects, as `id`, the clients whose search text holds `phrase`,
    /// binding it to `sql`: SQLite's full-text index (`client_search`), or PostgreSQL's
    /// trigram-indexed LIKE on `clients.search_text`.
    pub fn clients_matching(&self, sql: &mut SqlBuilder, phrase: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!(
                "SELECT rowid AS id FROM client_search WHERE client_search MATCH {}",
                sql.bind(Param::Text(format!("\"{}\"", phrase.replace('"', "\"\""))))
            ),
            Backend::Postgres => format!(
                "SELECT node_id AS id FROM clients WHERE search_text LIKE {} ESCAPE '\\'",
                sql.bind(Param::Text(contains_pattern(phrase)))
            ),
        }
    }

    /// Begins a transaction that may write. SQLite has one writer at a time: a
    /// writer of this process first waits for its turn here, in order, because
    /// SQLite's own wait (`busy_timeout`) polls with sleeps of up to 100 ms and,
    /// with several writers, leaves the database idle between them. Other
    /// processes' writers still queue on `busy_timeout`.
    pub async fn begin(&self) -> Result<Tx, AppError> {
        let tx = match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                Tx {
                    transaction: self.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _writer_turn: Some(turn),
                }
            }
            Backend::Postgres => Tx {
                transaction: self.pool.begin().await?,
                _writer_turn: None,
            },
        };
        Ok(tx)
    }

    /// Holds back other transactions that lock the same `key` until this one ends, so
    /// a count and the row written after it are one step. SQLite's write transactions
    /// (begun IMMEDIATE) are serialized already; PostgreSQL takes an advisory lock.
    pub async fn lock_key(&self, conn: &mut AnyConnection, key: &str) -> Result<(), AppError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    pub async fn is_reachable(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn create_sqlite_directory(url: &str) -> Result<(), sqlx::Error> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir)
            .map_err(|e| sqlx::Error::Configuration(format!("cannot create {dir:?}: {e}").into())),
        _ => Ok(()),
    }
}

/// Milliseconds since the Unix epoch, the time unit of every stored timestamp.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}

pub fn flag(value: i64) -> bool {
    value != 0
}

pub fn flag_value(value: bool) -> i64 {
    i64::from(value)
}

/// Whether a database error is the violation of the named constraint or index.
pub fn violates(error: &sqlx::Error, constraint: &str) -> bool {
    match error {
        sqlx::Error::Database(db_error) => {
            db_error.constraint() == Some(constraint) || db_error.message().contains(constraint)
        }
        _ => false,
    }
}

/// Whether a database error is the violation of the unique `constraint` on
/// `table.column`: PostgreSQL names the constraint, SQLite the column.
pub fn violates_unique(error: &sqlx::Error, constraint: &str, table_column: &str) -> bool {
    violates(error, constraint)
        || matches!(error, sqlx::Error::Database(e) if e.message().contains(table_column))
}

/// A value bound to a query assembled at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    Int(i64),
    Text(String),
    OptionalText(Option<String>),
    OptionalInt(Option<i64>),
}

impl From<Option<i64>> for Param {
    fn from(value: Option<i64>) -> Self {
        Param::OptionalInt(value)
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Int(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(value.to_string())
    }
}

impl From<&String> for Param {
    fn from(value: &String) -> Self {
        Param::Text(value.clone())
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(value)
    }
}

impl From<Option<&str>> for Param {
    fn from(value: Option<&str>) -> Self {
        Param::OptionalText(value.map(str::to_string))
    }
}

impl From<&Option<String>> for Param {
    fn from(value: &Option<String>) -> Self {
        Param::OptionalText(value.clone())
    }
}

/// SQL assembled from optional parts, with `$n` placeholders numbered as values are
/// bound: both databases accept them, and no value is ever spliced into the text.
#[derive(Debug, Default)]
pub struct SqlBuilder {
    text: String,
    params: Vec<Param>,
}

impl SqlBuilder {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Binds `value` and returns its placeholder, to be pushed where it belongs.
    pub fn bind(&mut self, value: Param) -> String {
        self.params.push(value);
        format!("${}", self.params.len())
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
        self.params
            .iter()
            .fold(sqlx::query(&self.text), |query, param| match param {
                Param::Int(value) => query.bind(*value),
                Param::Text(value) => query.bind(value.as_str()),
                Param::OptionalText(value) => query.bind(value.as_deref()),
                Param::OptionalInt(value) => query.bind(*value),
            })
    }
}

/// A change to one versioned row: it sets the given columns, steps the row's
/// `version` and stamps its `updated_at`, so a form still holding the old version
/// learns that it went stale. Table and column names are the caller's constants.
#[derive(Debug)]
pub struct RowUpdate {
    table: &'static str,
    assignments: Vec<(&'static str, Param)>,
    row: Vec<(&'static str, i64)>,
}

impl RowUpdate {
    pub fn of(table: &'static str) -> Self {
        Self {
            table,
            assignments: Vec::new(),
            row: Vec::new(),
        }
    }

    pub fn set(mut self, column: &'static str, value: impl Into<Param>) -> Self {
        self.assignments.push((column, value.into()));
        self
    }

    /// Narrows the update to the row whose `column` is `value` (all such conditions
    /// together name one row).
    pub fn of_row(mut self, column: &'static str, value: i64) -> Self {
        self.row.push((column, value));
        self
    }

    /// Applies the change only while the row is still at `version`: false when it has
    /// changed since (or is gone).
    pub async fn if_at<'e>(
        self,
        version: i64,
        db: impl Executor<'e, Database = Any>,
    ) -> Result<bool, AppError> {
        let sql = self.sql(Some(version));
        Ok(sql.query().execute(db).await?.rows_affected() == 1)
    }

    /// Applies the change whatever version the row is at, for changes no form
    /// could have raced.
    pub async fn apply<'e>(self, db: impl Executor<'e, Database = Any>) -> Result<(), AppError> {
        self.sql(None).query().execute(db).await?;
        Ok(())
    }

    fn sql(self, version: Option<i64>) -> SqlBuilder {
        let mut sql = SqlBuilder::new(&format!("UPDATE {} SET ", self.table));
        for (column, value) in self.assignments {
            let placeholder = sql.bind(value);
            sql.push(&format!("{column} = {placeholder}, "));
        }
        let now = sql.bind(Param::Int(now_ms()));
        sql.push(&format!("version = version + 1, updated_at = {now} WHERE "));
        let guard = version.map(|version| ("version", version));
        let conditions: Vec<String> = (self.row.into_iter().chain(guard))
            .map(|(column, value)| format!("{column} = {}", sql.bind(Param::Int(value))))
            .collect();
        sql.push(&conditions.join(" AND "));
        sql
    }
}

/// Deletes row `id` of `table` (the caller's constant) while it is still at
/// `version`: false when it has changed since or is gone.
pub async fn delete_if_at(
    conn: &mut AnyConnection,
    table: &'static str,
    id: i64,
    version: i64,
) -> Result<bool, AppError> {
    let sql = format!("DELETE FROM {table} WHERE id = $1 AND version = $2");
    let deleted = sqlx::query(&sql)
        .bind(id)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// `text` as a LIKE pattern matching it anywhere, with its own `%`, `_` and `\` taken
/// literally (the query says `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_binding_order() {
        let mut sql = SqlBuilder::new("SELECT 1 WHERE a = ");
        let first = sql.bind(Param::Int(1));
        sql.push(&first).push(" AND b = ");
        let second = sql.bind(Param::Text("x".into()));
        sql.push(&second);
        assert_eq!(sql.text(), "SELECT 1 WHERE a = $1 AND b = $2");
    }

    #[test]
    fn a_row_update_steps_the_version_of_the_row_it_names_while_current() {
        let update = RowUpdate::of("clients")
            .set("status", "active")
            .set("seat_limit", 5)
            .of_row("node_id", 7);
        let sql = update.sql(Some(3));
        assert_eq!(
            sql.text(),
            "UPDATE clients SET status = $1, seat_limit = $2, version = version + 1, \
             updated_at = $3 WHERE node_id = $4 AND version = $5"
        );
        assert_eq!(sql.params[3], Param::Int(7));
        assert_eq!(sql.params[4], Param::Int(3));
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
