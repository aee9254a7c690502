//! Where the server gets a store for a request: the one place that knows the backends. A
//! [`StorePool`] of `reciprocity-store` hands out a store per request (SQLite: the file opened
//! per request; PostgreSQL: pooled connections). Every call blocks: use it on the blocking pool.

use reciprocity_store::{PooledStore, StoreError, StorePool};

pub use reciprocity_store::Backend;

/// At most this many PostgreSQL connections at a time (SQLite opens the file per request).
pub const MAX_CONNECTIONS: usize = 16;

/// The source of stores.
#[derive(Debug, Clone)]
pub struct Stores {
    pool: StorePool,
}

impl Stores {
    /// Open the backend once (creating and migrating the schema) and keep it (blocking).
    pub fn open(backend: &Backend) -> Result<Stores, StoreError> {
        Ok(Stores {
            pool: StorePool::open(backend, MAX_CONNECTIONS)?,
        })
    }

    /// The backend.
    pub fn backend(&self) -> &Backend {
        self.pool.backend()
    }

    /// A store for one request (blocking). Drop it on the same blocking thread.
    pub fn get(&self) -> Result<PooledStore, StoreError> {
        self.pool.get()
    }
}
