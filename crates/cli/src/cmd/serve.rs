//! `reciprocity serve`: the JSON API and the dashboard for everyone at the table, until Ctrl-C or
//! SIGTERM (then in-flight requests and store writes finish before the process exits).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDate;
use reciprocity_server::{AppState, Backend, Limits, Server, ServerConfig, ServerError};
use reciprocity_store::Store;

use super::flags::BackendArgs;
use crate::BadInput;

/// Flags of `reciprocity serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArgs,
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// The server's today, YYYY-MM-DD (a write's default date), e.g. 2025-05-01 to replay the 2025
    /// pause. Default: the real date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    clock: Option<String>,
    /// The dataset proposals are scored on (default: the embedded world).
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,
    /// An embedded world instead: `default` (194 countries, one sector) or `sectors` (OECD ICIO
    /// 2022, 30 regions x 14 sectors, so a proposal's autos line lands in motor vehicles).
    #[arg(long, conflicts_with = "data")]
    world: Option<String>,
    /// When the database has no users, `serve` creates an admin and prints its token once, to
    /// stderr (never stdout, which service managers log); with this flag the token is written to
    /// this new file instead, readable by its owner only (0600). The file must not exist.
    #[arg(long, value_name = "PATH")]
    admin_token_file: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The compute budget, timeouts and connection limit of `serve` (docs/security.md).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// GE computations (scenarios, strategy, proposal scoring) running at once [default: one
    /// per core].
    #[arg(long, value_name = "N")]
    solvers: Option<usize>,
    /// Computations admitted to wait for a solver; more are answered 503 with Retry-After
    /// [default: 16].
    #[arg(long, value_name = "N")]
    solve_queue: Option<usize>,
    /// Computations one user may have running or waiting; more are answered 429 with
    /// Retry-After [default: 2].
    #[arg(long, value_name = "N")]
    solves_per_caller: Option<usize>,
    /// Seconds a computation may take, waiting included, before it is stopped and answered 503
    /// [default: 120].
    #[arg(long, value_name = "SECONDS")]
    solve_deadline: Option<u64>,
    /// Seconds a connection may take to send a request head, and stay idle between requests,
    /// before it is closed [default: 10].
    #[arg(long, value_name = "SECONDS")]
    header_timeout: Option<u64>,
    /// Seconds from a request's head to its answer before it is answered 503 [default: 180].
    #[arg(long, value_name = "SECONDS")]
    request_timeout: Option<u64>,
    /// Connections served at once; more wait in the backlog [default: the open-file limit less
    /// 128, within 64..=4096].
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
}

impl LimitArgs {
    /// The limits, the defaults where a flag is not given; bad input names the flag.
    fn limits(&self) -> Result<Limits, BadInput> {
        let d = Limits::default();
        let secs = |v: Option<u64>, default: Duration| v.map_or(default, Duration::from_secs);
        let limits = Limits {
            solvers: self.solvers.unwrap_or(d.solvers),
            solve_queue: self.solve_queue.unwrap_or(d.solve_queue),
            solves_per_caller: self.solves_per_caller.unwrap_or(d.solves_per_caller),
            solve_deadline: secs(self.solve_deadline, d.solve_deadline),
            header_timeout: secs(self.header_timeout, d.header_timeout),
            request_timeout: secs(self.request_timeout, d.request_timeout),
            max_connections: self.max_connections.unwrap_or(d.max_connections),
            retry_after_secs: d.retry_after_secs,
        };
        // The limits' field names are the flags' with dashes.
        limits.check().map_err(|e| {
            let (field, rest) = e.split_once(':').unwrap_or(("limits", &e));
            let rest = rest.replace("solve_deadline", "--solve-deadline");
            BadInput(format!("--{}:{rest}", field.replace('_', "-")))
        })?;
        Ok(limits)
    }
}

fn user_error(e: ServerError) -> anyhow::Error {
    match e {
        ServerError::Store(s) if s.is_user_error() => BadInput(format!("database: {s}")).into(),
        ServerError::World(w) if w.is_user_error() => BadInput(format!("world: {w}")).into(),
        ServerError::Limits(l) => BadInput(l).into(),
        other => anyhow::Error::new(other),
    }
}

/// Run it.
pub fn run(args: Args) -> anyhow::Result<()> {
    let clock = args
        .clock
        .as_deref()
        .map(|c| {
            NaiveDate::parse_from_str(c.trim(), "%Y-%m-%d")
                .map_err(|_| BadInput(format!("--clock: expected a date YYYY-MM-DD, found {c:?}")))
        })
        .transpose()?;
    let config = ServerConfig {
        backend: args.backend.backend()?,
        bind: args.bind,
        clock,
        world: args.data,
        world_name: args.world,
        limits: args.limits.limits()?,
    };
    let admin_token_file = args.admin_token_file;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        eprintln!("reciprocity serve: loading the world and opening the database ...");
        let c = config.clone();
        let state = tokio::task::spawn_blocking(move || AppState::new(&c))
            .await
            .context("loading the server state")?
            .map_err(user_error)?;
        let backend = config.backend.clone();
        let token_file = admin_token_file.clone();
        let first_admin =
            tokio::task::spawn_blocking(move || first_admin(&backend, token_file.as_deref()))
                .await
                .context("checking the users")??;
        let server = Server::bind(&config, state)
            .await
            .map_err(|e| BadInput(format!("--bind {}: {e}", config.bind)))?;
        let addr = server.local_addr().map_err(user_error)?;
        println!("reciprocity serve: listening on http://{addr}/ (dashboard), http://{addr}/api/v1 (API), http://{addr}/openapi.json");
        if let Some(d) = config.clock {
            println!("reciprocity serve: clock set to {d}");
        }
        // The first admin's token goes to the terminal's stderr only (or its file): stdout is
        // what service managers and `> log` keep (issue 15, item 12).
        match (first_admin, &admin_token_file) {
            (Some(_), Some(file)) => eprintln!(
                "reciprocity serve: no users yet, so one was created: `admin` (role admin); its token is in {} (mode 0600)",
                file.display()
            ),
            (Some(token), None) => {
                eprintln!("reciprocity serve: no users yet, so one was created: `admin` (role admin). Sign in with this token; it is shown once, here on stderr (add more with `reciprocity users add`):");
                eprintln!("{token}");
            }
            (None, _) => {}
        }
        server.run(shutdown_signal()).await.map_err(user_error)?;
        eprintln!("reciprocity serve: stopped (every request in flight finished)");
        Ok(())
    })
}

/// A database with no users gets one admin, so the first `serve` on a fresh machine can be signed
/// into; its token is returned to be printed once. `None` when there are users already.
/// With `token_file`, the token is written there (a new file, 0600) and the file is created
/// before the user, so a file that cannot be created leaves no admin without a known token.
fn first_admin(backend: &Backend, token_file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let stores = reciprocity_server::Stores::open(backend).map_err(|e| user_error(e.into()))?;
    let mut store = stores.get().map_err(|e| user_error(e.into()))?;
    if !store.users().map_err(|e| user_error(e.into()))?.is_empty() {
        return Ok(None);
    }
    let Some(path) = token_file else {
        return super::flags::add_user(&mut store, "admin", &reciprocity_server::Role::Admin)
            .map(Some);
    };
    let flag = |e: std::io::Error| BadInput(format!("--admin-token-file {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(flag)?;
    let token = match super::flags::add_user(&mut store, "admin", &reciprocity_server::Role::Admin)
    {
        Ok(token) => token,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
    };
    writeln!(file, "{token}")
        .and_then(|()| file.sync_all())
        .map_err(flag)?;
    Ok(Some(token))
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: never resolve, rely on SIGTERM.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("reciprocity serve: shutting down: finishing the requests in flight ...");
}
