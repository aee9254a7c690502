//! The HTTP side of Reciprocity: a JSON API over the use cases of `reciprocity-service`, with
//! bearer tokens and roles (docs/service.md), an OpenAPI document at `/openapi.json`, and the
//! dashboard's static files at `/`.
//!
//! Blocking work (the store, GE solves) runs on tokio's blocking pool; a store lives inside one
//! request. GE work has a budget of its own (`budget.rs`: permits apart from the store's, a limit
//! per caller, a deadline, a stop when the client leaves), and connections have timeouts and a
//! limit (`listen.rs`); both are set by [`Limits`]. The scoring world is loaded and calibrated
//! once at start and shared. Shutdown is graceful: the listener stops accepting, solves are
//! stopped (answered 503), other in-flight requests finish, and every blocking job started (a
//! store write included) runs to its end before [`Server::run`] returns.
#![deny(missing_docs)]

pub mod assets;
pub mod auth;
mod budget;
pub mod dto;
pub mod error;
pub mod extract;
pub mod head;
pub mod json;
pub mod limits;
mod listen;
pub mod openapi;
pub mod quota;
pub mod routes;
pub mod stores;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use chrono::NaiveDate;
use reciprocity_model::ge::Stop;
use reciprocity_service::policy::TariffTimeline;
use reciprocity_service::{NegotiationWorld, ServiceError};
use reciprocity_store::StoreError;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use auth::{Caller, Role};
pub use error::ApiError;
pub use limits::Limits;
pub use stores::{Backend, Stores};

/// The largest request body accepted (bytes); a larger one is a 413.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The database.
    pub backend: Backend,
    /// The address to listen on (`127.0.0.1:8080`; port 0 picks a free port).
    pub bind: SocketAddr,
    /// The server's today (a write's default date); `None`: the real date.
    pub clock: Option<NaiveDate>,
    /// The dataset proposals are scored on; `None`: the embedded world.
    pub world: Option<PathBuf>,
    /// Without `world`, which embedded world: `default` (one sector) or `sectors` (ICIO 2022).
    pub world_name: Option<String>,
    /// The compute budget, timeouts and the connection limit.
    pub limits: Limits,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database cannot be opened or migrated.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The scoring world cannot be loaded.
    #[error("world: {0}")]
    World(#[from] ServiceError),
    /// The address cannot be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The limits do not make sense (`Limits::check`).
    #[error("limits: {0}")]
    Limits(String),
}

/// How many blocking jobs (store work, GE solves) run at once: four per core, at least 8. The
/// rest wait their turn without holding a thread or a database connection, so a burst of
/// writes queues here instead of timing out on SQLite's write lock.
fn workers() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (4 * cores).max(8)
}

// A semaphore with this many permits counts the blocking jobs in flight: each holds one permit;
// shutdown waits until it can take them all.
const MAX_JOBS: u32 = 1 << 20;

struct Inner {
    stores: Stores,
    world: Arc<NegotiationWorld>,
    world_path: Option<PathBuf>,
    clock: Option<NaiveDate>,
    jobs: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    budget: Arc<budget::Budget>,
    timeline: OnceLock<Arc<TariffTimeline>>,
    scenarios: OnceLock<Arc<routes::scenarios::Scenarios>>,
    quotas: quota::Quotas,
}

/// What every handler shares: the store source, the scoring world, the clock.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", self.inner.stores.backend())
            .field("world", &self.inner.world.source)
            .field("clock", &self.inner.clock)
            .finish()
    }
}

impl AppState {
    /// Open the backend (migrating it) and load the scoring world (blocking: seconds for the
    /// embedded world's calibration).
    pub fn new(config: &ServerConfig) -> Result<AppState, ServerError> {
        let stores = Stores::open(&config.backend)?;
        let world = Arc::new(NegotiationWorld::load_named(
            config.world.as_deref(),
            config.world_name.as_deref(),
        )?);
        Ok(AppState::with_world(stores, world, config))
    }

    /// A state over an already loaded world (tests share one world between servers).
    pub fn with_world(
        stores: Stores,
        world: Arc<NegotiationWorld>,
        config: &ServerConfig,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                stores,
                world,
                world_path: config.world.clone(),
                clock: config.clock,
                jobs: Arc::new(Semaphore::new(MAX_JOBS as usize)),
                workers: Arc::new(Semaphore::new(workers())),
                budget: Arc::new(budget::Budget::new(&config.limits)),
                timeline: OnceLock::new(),
                scenarios: OnceLock::new(),
                quotas: quota::Quotas::default(),
            }),
        }
    }

    /// The server's today: the `--clock` day, else the real date.
    pub fn today(&self) -> NaiveDate {
        self.inner
            .clock
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The scoring world.
    pub fn world(&self) -> &Arc<NegotiationWorld> {
        &self.inner.world
    }

    /// The world's dataset path, when not embedded.
    pub fn world_path(&self) -> Option<&PathBuf> {
        self.inner.world_path.as_ref()
    }

    /// The per-token write quotas.
    pub fn quotas(&self) -> &quota::Quotas {
        &self.inner.quotas
    }

    /// The backend.
    pub fn backend(&self) -> &Backend {
        self.inner.stores.backend()
    }

    /// The tariff registry with its import weights (loaded on first use).
    pub async fn timeline(&self) -> Result<Arc<TariffTimeline>, ApiError> {
        if let Some(t) = self.inner.timeline.get() {
            return Ok(t.clone());
        }
        let t = self
            .compute(|| Ok(Arc::new(TariffTimeline::load(None)?)))
            .await?;
        Ok(self.inner.timeline.get_or_init(|| t).clone())
    }

    /// The world of scenarios and strategy (the `--data` dataset or the embedded one, without the
    /// scoring world's partner tariffs) with its calibrations: loaded on first use (blocking).
    pub(crate) fn scenario_world(&self) -> Result<Arc<routes::scenarios::Scenarios>, ApiError> {
        if let Some(s) = self.inner.scenarios.get() {
            return Ok(s.clone());
        }
        let world = reciprocity_service::scenario::load_world(self.inner.world_path.as_deref())?;
        let loaded = Arc::new(routes::scenarios::Scenarios {
            world,
            cache: std::sync::Mutex::new(Default::default()),
        });
        Ok(self.inner.scenarios.get_or_init(|| loaded).clone())
    }

    /// Run `f` on the blocking pool. The job runs to its end even when the request is dropped
    /// (a client that hangs up does not abort a write), and shutdown waits for it.
    pub async fn compute<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    {
        let closed = |_| ApiError::internal("the server is shutting down");
        let worker = self
            .inner
            .workers
            .clone()
            .acquire_owned()
            .await
            .map_err(closed)?;
        let job = self
            .inner
            .jobs
            .clone()
            .acquire_owned()
            .await
            .map_err(closed)?;
        tokio::task::spawn_blocking(move || {
            let out = f();
            drop((job, worker));
            out
        })
        .await?
    }

    /// The server's limits.
    pub fn limits(&self) -> &Limits {
        self.inner.budget.limits()
    }

    /// Run the GE work `f` of `caller` under the compute budget (`budget.rs`): 429 or 503 with
    /// `Retry-After` when it cannot be admitted; then it waits for a solver and runs on the
    /// blocking pool with a [`Stop`] that is requested when this future is dropped (the client
    /// went away), at the deadline (503 `deadline_exceeded`) and at shutdown (503).
    pub async fn solve<T, F>(&self, caller: &Caller, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Stop) -> Result<T, ApiError> + Send + 'static,
    {
        let budget = &self.inner.budget;
        let limits = budget.limits();
        let deadline = tokio::time::Instant::now() + limits.solve_deadline;
        let late = || {
            ApiError::deadline_exceeded(format!(
                "the computation did not finish within the deadline of {} s (waiting included)",
                limits.solve_deadline.as_secs()
            ))
            .retry_after(limits.retry_after_secs)
        };
        let ticket = budget.admit(&caller.name)?;
        let stop_on_drop = ticket.stop_on_drop();
        let solver = tokio::time::timeout_at(deadline, budget.solver())
            .await
            .map_err(|_| late())??;
        let closed = |_| budget::shutting_down(limits.retry_after_secs);
        let job = self
            .inner
            .jobs
            .clone()
            .acquire_owned()
            .await
            .map_err(closed)?;
        let stop = ticket.stop();
        let run = tokio::task::spawn_blocking(move || {
            let out = match stop.requested() {
                true => Err(ApiError::from(reciprocity_service::ServiceError::Stopped)),
                false => f(&stop),
            };
            drop((job, solver, ticket));
            out
        });
        match tokio::time::timeout_at(deadline, run).await {
            Err(_) => {
                stop_on_drop.stop();
                Err(late())
            }
            Ok(joined) => match joined? {
                Err(_) if budget.is_closed() => Err(budget::shutting_down(limits.retry_after_secs)),
                out => out,
            },
        }
    }

    /// Run the store work `f` that scores in general equilibrium (tabling a proposal): it waits
    /// for a GE solver first, so scoring never holds the store's jobs that reads and `/health`
    /// need. It is not stopped once started: a write runs to its end, and one accepted before a
    /// shutdown is still written (without waiting for a solver once the solvers are closed).
    pub async fn with_store_scoring<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn reciprocity_store::Store) -> Result<T, ApiError> + Send + 'static,
    {
        let solver = self.inner.budget.solver().await.ok();
        self.with_store(move |store| {
            let out = f(store);
            drop(solver);
            out
        })
        .await
    }

    /// Run `f` with a store of its own on the blocking pool (see [`AppState::compute`]).
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn reciprocity_store::Store) -> Result<T, ApiError> + Send + 'static,
    {
        let state = self.clone();
        self.compute(move || {
            let mut store = state.inner.stores.get()?;
            f(&mut store)
        })
        .await
    }

    /// Wait until every blocking job started has ended.
    pub async fn wait_for_jobs(&self) {
        // Closed only by us; an error cannot happen while we hold the Arc.
        if let Ok(all) = self.inner.jobs.acquire_many(MAX_JOBS).await {
            drop(all);
        }
    }
}

/// The whole application: `/api/v1/...`, `/openapi.json`, and the dashboard at `/`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/api/v1", routes::api())
        // Unknown API paths are 404 in every method (not the dashboard's GET-only 405).
        .route("/api/v1/{*rest}", axum::routing::any(routes::not_found))
        .route("/openapi.json", axum::routing::get(openapi::serve))
        .route("/", axum::routing::get(assets::index))
        .route("/{*path}", axum::routing::get(assets::file))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_timeout,
        ))
        .layer(axum::middleware::from_fn(head::limits))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// A request not answered within [`Limits::request_timeout`] of its head (a body sent slowly, a
/// handler waiting too long) is answered 503 `deadline_exceeded`; its handler is dropped.
async fn request_timeout(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let limit = state.limits().request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::deadline_exceeded(format!(
            "the request was not answered within {} s",
            limit.as_secs()
        ))
        .retry_after(state.limits().retry_after_secs)
        .into_response(),
    }
}

/// Headers on every answer: no MIME sniffing, no framing by other sites (clickjacking), no
/// referrer leaving the dashboard. (No `default-src` policy: it would need a review of the
/// dashboard's inline code first.)
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A bound server, not yet serving (so the caller can print its address first).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Bind `config.bind` with `state`.
    pub async fn bind(config: &ServerConfig, state: AppState) -> Result<Server, ServerError> {
        if let Err(e) = config.limits.check() {
            release(state).await;
            return Err(ServerError::Limits(e));
        }
        match TcpListener::bind(config.bind).await {
            Ok(listener) => Ok(Server { listener, state }),
            Err(e) => {
                release(state).await;
                Err(e.into())
            }
        }
    }

    /// The address bound (the port chosen when the config said 0).
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serve until `shutdown` resolves, then stop accepting, stop the solves in flight (their
    /// clients get a 503), let the other in-flight requests finish and wait for every blocking
    /// job (store writes included) to end.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let state = self.state.clone();
        let budget = state.inner.budget.clone();
        let limits = budget.limits().clone();
        let shutdown = async move {
            shutdown.await;
            budget.close();
        };
        listen::serve(self.listener, router(self.state), &limits, shutdown).await;
        state.wait_for_jobs().await;
        release(state).await;
        Ok(())
    }
}

/// Drop a state on the blocking pool: the last reference closes the PostgreSQL connections,
/// whose client blocks (and panics on a runtime thread).
async fn release(state: AppState) {
    let _ = tokio::task::spawn_blocking(move || drop(state)).await;
}

/// Load the state, bind and serve until `shutdown` resolves (see [`Server::run`]).
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let c = config.clone();
    let state = tokio::task::spawn_blocking(move || AppState::new(&c))
        .await
        .map_err(|e| ServerError::Io(std::io::Error::other(e)))??;
    Server::bind(&config, state).await?.run(shutdown).await
}
