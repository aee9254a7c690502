//! A pool of stores for a server: one [`StorePool`] per process, one [`PooledStore`] per request.
//!
//! SQLite: each [`StorePool::get`] opens the file (cheap; WAL lets readers and one writer work at
//! once, and the schema check takes no lock once the file is current). PostgreSQL: connections are
//! kept and reused, at most `max_connections` at a time; a `get` while all are in use waits for one
//! to come back, up to the pool's wait (30 s unless [`StorePool::with_wait`]), then fails with
//! [`StoreError::PoolTimeout`]. A connection that failed for a lost link or a fatal server error is
//! not reused; one idle for over [`IDLE_PING_AFTER`] is pinged before it is handed out (a server
//! restart otherwise costs the next request an error).
//!
//! **Blocking.** Every call here blocks (file or network I/O, and the PostgreSQL client runs its own
//! runtime). In an async server, call [`StorePool::get`], use the store and drop it inside one
//! `tokio::task::spawn_blocking` closure; on a runtime thread the PostgreSQL client panics.
//!
//! The pool is written here (a mutex, a condition variable and a list of idle connections) rather
//! than taken from r2d2: it is ~100 lines, needs no new dependency, and SQLite's per-request open
//! would not fit r2d2's model anyway.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reciprocity_negotiation::{Event, Negotiation, Proposal};

use crate::postgres::{redact_url, PgStore};
use crate::{
    dto, ApiUser, Change, Committed, ImportSummary, ScoreRecord, SqliteStore, Store, StoreError,
};

/// Where the talks are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user:password@host:port/db`).
    Postgres(String),
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// The file path, or the URL with its password hidden: safe to log.
impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backend::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Backend::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl Backend {
    /// A store for a command that only reads (issue 15, item 8). SQLite: the file opened
    /// read-only, never created, nor its folder ([`SqliteStore::open_read_only`]); PostgreSQL:
    /// a connection (which brings an older schema up to date, as any command does).
    pub fn open_read_only(&self) -> Result<Box<dyn Store + Send>, StoreError> {
        Ok(match self {
            Backend::Sqlite(path) => Box::new(SqliteStore::open_read_only(path)?),
            Backend::Postgres(url) => Box::new(PgStore::connect(url)?),
        })
    }
}

/// The default wait of [`StorePool::get`] for a PostgreSQL connection.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// Hands out a store per request. Cheap to clone (shared state); `Send + Sync`.
#[derive(Clone)]
pub struct StorePool {
    shared: Arc<Shared>,
    wait: Duration,
    ping_after: Duration,
}

impl std::fmt::Debug for StorePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorePool")
            .field("backend", &self.shared.backend.to_string())
            .field("max_connections", &self.shared.max)
            .field("wait", &self.wait)
            .finish()
    }
}

struct Shared {
    backend: Backend,
    max: usize,
    idle: Mutex<Idle>,
    returned: Condvar,
}

/// PostgreSQL connections not in use (with when they came back), and how many are open in all
/// (idle or handed out).
struct Idle {
    stores: Vec<(PgStore, Instant)>,
    open: usize,
}

/// A connection idle for longer is pinged before it is handed out (see [`StorePool::with_idle_ping`]).
pub const IDLE_PING_AFTER: Duration = Duration::from_secs(30);
const PING_TIMEOUT: Duration = Duration::from_secs(2);

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Idle> {
        // A panic elsewhere while holding the lock leaves the list consistent (push/pop only).
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl StorePool {
    /// Open the backend once (creating and migrating the schema) and keep what is needed to hand
    /// out stores: at most `max_connections` PostgreSQL connections at a time (at least 1).
    /// For SQLite the bound does not apply (each `get` opens the file).
    pub fn open(backend: &Backend, max_connections: usize) -> Result<StorePool, StoreError> {
        if max_connections == 0 {
            return Err(StoreError::Invalid(
                "max_connections: expected at least 1, found 0".into(),
            ));
        }
        let mut idle = Idle {
            stores: Vec::new(),
            open: 0,
        };
        match backend {
            Backend::Sqlite(path) => drop(SqliteStore::open(path)?),
            Backend::Postgres(url) => {
                idle.stores.push((PgStore::connect(url)?, Instant::now()));
                idle.open = 1;
            }
        }
        Ok(StorePool {
            shared: Arc::new(Shared {
                backend: backend.clone(),
                max: max_connections,
                idle: Mutex::new(idle),
                returned: Condvar::new(),
            }),
            wait: DEFAULT_WAIT,
            ping_after: IDLE_PING_AFTER,
        })
    }

    /// The same pool with another wait for a free PostgreSQL connection.
    pub fn with_wait(mut self, wait: Duration) -> StorePool {
        self.wait = wait;
        self
    }

    /// The same pool, pinging a PostgreSQL connection idle for longer than `after` before handing
    /// it out (default [`IDLE_PING_AFTER`]; zero pings on every get).
    pub fn with_idle_ping(mut self, after: Duration) -> StorePool {
        self.ping_after = after;
        self
    }

    /// The backend.
    pub fn backend(&self) -> &Backend {
        &self.shared.backend
    }

    /// How many PostgreSQL connections are open, idle or handed out (0 for SQLite).
    pub fn open_connections(&self) -> usize {
        self.shared.lock().open
    }

    /// A store for one request (blocking: see the module documentation). Drop it to give a
    /// PostgreSQL connection back.
    pub fn get(&self) -> Result<PooledStore, StoreError> {
        let url = match &self.shared.backend {
            Backend::Sqlite(path) => {
                return Ok(PooledStore {
                    // `open` created and migrated the file once; a request needs a connection.
                    inner: Inner::Sqlite(SqliteStore::reopen(path)?),
                });
            }
            Backend::Postgres(url) => url,
        };
        let deadline = Instant::now() + self.wait;
        let mut idle = self.shared.lock();
        loop {
            // The most recently returned first: the warmest, and the others may age out.
            while let Some((store, since)) = idle.stores.pop() {
                if store.is_closed() {
                    idle.open -= 1;
                    continue;
                }
                if since.elapsed() < self.ping_after {
                    return Ok(self.lend(store));
                }
                drop(idle);
                if store.ping(PING_TIMEOUT) {
                    return Ok(self.lend(store));
                }
                drop(store);
                idle = self.shared.lock();
                idle.open -= 1;
            }
            if idle.open < self.shared.max {
                idle.open += 1;
                drop(idle);
                return match PgStore::connect(url) {
                    Ok(store) => Ok(self.lend(store)),
                    Err(e) => {
                        self.shared.lock().open -= 1;
                        self.shared.returned.notify_one();
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(StoreError::PoolTimeout {
                    max: self.shared.max,
                    waited_ms: self.wait.as_millis() as u64,
                });
            }
            idle = self
                .shared
                .returned
                .wait_timeout(idle, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn lend(&self, store: PgStore) -> PooledStore {
        PooledStore {
            inner: Inner::Postgres {
                store: Some(Box::new(store)),
                home: Arc::clone(&self.shared),
            },
        }
    }
}

/// A store from a [`StorePool`]; implements [`Store`]. A PostgreSQL connection goes back to the
/// pool when this is dropped (drop it on the blocking thread too).
pub struct PooledStore {
    inner: Inner,
}

enum Inner {
    Sqlite(SqliteStore),
    Postgres {
        // Always Some until Drop takes it. Boxed: a client is far larger than a SQLite handle.
        store: Option<Box<PgStore>>,
        home: Arc<Shared>,
    },
}

impl std::fmt::Debug for PooledStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner {
            Inner::Sqlite(s) => s.fmt(f),
            Inner::Postgres { store, .. } => store.fmt(f),
        }
    }
}

impl Drop for PooledStore {
    fn drop(&mut self) {
        if let Inner::Postgres { store, home } = &mut self.inner {
            if let Some(store) = store.take() {
                let mut idle = home.lock();
                if store.is_closed() {
                    idle.open -= 1;
                } else {
                    idle.stores.push((*store, Instant::now()));
                }
                drop(idle);
                home.returned.notify_one();
            }
        }
    }
}

impl PooledStore {
    fn store(&self) -> &(dyn Store + Send) {
        match &self.inner {
            Inner::Sqlite(s) => s,
            Inner::Postgres { store, .. } => &**store.as_ref().expect("taken only in drop"),
        }
    }

    fn store_mut(&mut self) -> &mut (dyn Store + Send) {
        match &mut self.inner {
            Inner::Sqlite(s) => s,
            Inner::Postgres { store, .. } => &mut **store.as_mut().expect("taken only in drop"),
        }
    }
}

impl Store for PooledStore {
    fn negotiations(&self) -> Result<Vec<Negotiation>, StoreError> {
        self.store().negotiations()
    }
    fn negotiation(&self, id: &str) -> Result<Option<Negotiation>, StoreError> {
        self.store().negotiation(id)
    }
    fn proposals_page(
        &self,
        negotiation: &str,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Proposal>, StoreError> {
        self.store().proposals_page(negotiation, after, limit)
    }
    fn scores_between(
        &self,
        negotiation: &str,
        first: u32,
        last: u32,
    ) -> Result<Vec<ScoreRecord>, StoreError> {
        self.store().scores_between(negotiation, first, last)
    }
    fn events(&self, negotiation: Option<&str>) -> Result<Vec<Event>, StoreError> {
        self.store().events(negotiation)
    }
    fn events_page(
        &self,
        negotiation: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError> {
        self.store().events_page(negotiation, after, limit)
    }
    fn commit(&mut self, changes: &[Change]) -> Result<Committed, StoreError> {
        self.store_mut().commit(changes)
    }
    fn schema_version(&self) -> Result<u32, StoreError> {
        self.store().schema_version()
    }
    fn add_user(&mut self, user: &ApiUser, token_sha256: &str) -> Result<(), StoreError> {
        self.store_mut().add_user(user, token_sha256)
    }
    fn remove_user(&mut self, name: &str) -> Result<(), StoreError> {
        self.store_mut().remove_user(name)
    }
    fn users(&self) -> Result<Vec<ApiUser>, StoreError> {
        self.store().users()
    }
    fn user_by_token(&self, token_sha256: &str) -> Result<Option<ApiUser>, StoreError> {
        self.store().user_by_token(token_sha256)
    }
    fn export(&self) -> Result<dto::Snapshot, StoreError> {
        self.store().export()
    }
    fn import(&mut self, snapshot: &dto::Snapshot) -> Result<ImportSummary, StoreError> {
        self.store_mut().import(snapshot)
    }
}
