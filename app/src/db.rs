//! The database: one pool and one set of SQL for SQLite and PostgreSQL, through sqlx's
//! `Any` driver. The few real differences between the two live here:
//! - schema DDL (identity columns), in `migrations/sqlite` and `migrations/postgres`;
//! - SQLite write transactions begin `IMMEDIATE`, so concurrent writers queue on
//!   `busy_timeout` instead of failing with "database is locked" on lock upgrade;
//! - flags are 0/1 integers on both (the `Any` driver reads no SQLite booleans), and
//!   times are integer milliseconds since the Unix epoch.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

use crate::error::AppError;

pub type Tx = Transaction<'static, Any>;

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
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = options.connect(url).await?;
        Ok(Self { pool, backend })
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

    /// Begins a transaction that may write.
    pub async fn begin(&self) -> Result<Tx, AppError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
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
