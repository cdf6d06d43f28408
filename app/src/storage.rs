//! Where files too large for the database are kept (call recordings): a folder under
//! the data directory by default, or S3-compatible object storage, which several
//! server processes on one database need. One interface for both.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as Key;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload};

use crate::error::AppError;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Where it keeps things, for the log.
    place: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.place)
    }
}

impl Storage {
    /// Files in `folder`, made if missing.
    pub fn folder(folder: &Path) -> Result<Storage, String> {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("storage folder {}: {error}", folder.display()))?;
        let store = LocalFileSystem::new_with_prefix(folder)
            .map_err(|error| format!("storage folder {}: {error}", folder.display()))?;
        Ok(Storage {
            store: Arc::new(store),
            place: folder.display().to_string(),
        })
    }

    /// A bucket of S3-compatible object storage, as `s3://bucket`; the region,
    /// endpoint and credentials come from the usual `AWS_*` environment variables.
    pub fn s3(url: &str) -> Result<Storage, String> {
        let store = AmazonS3Builder::from_env()
            .with_url(url)
            .build()
            .map_err(|error| format!("object storage {url}: {error}"))?;
        Ok(Storage {
            store: Arc::new(store),
            place: url.to_string(),
        })
    }

    /// Kept in this process's memory only: for tests.
    pub fn in_memory() -> Storage {
        Storage {
            store: Arc::new(InMemory::new()),
            place: "memory".into(),
        }
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), AppError> {
        self.store
            .put(&Key::from(key), PutPayload::from(bytes))
            .await
            .map_err(AppError::internal)?;
        Ok(())
    }

    /// How many bytes `key` holds.
    pub async fn size(&self, key: &str) -> Result<u64, AppError> {
        Ok(self
            .store
            .head(&Key::from(key))
            .await
            .map_err(AppError::internal)?
            .size)
    }

    /// The bytes of `key` in `range`.
    pub async fn read(&self, key: &str, range: Range<u64>) -> Result<Bytes, AppError> {
        let options = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..GetOptions::default()
        };
        self.store
            .get_opts(&Key::from(key), options)
            .await
            .map_err(AppError::internal)?
            .bytes()
            .await
            .map_err(AppError::internal)
    }
}
