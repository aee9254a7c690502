//! The accept loop (issue 15, item 5): HTTP/1.1 connections served by hyper with a header-read
//! timeout (which also closes idle keep-alive connections: hyper starts it whenever the
//! connection waits for a request head), at most [`Limits::max_connections`] at once (the rest
//! wait in the kernel's backlog, holding no file descriptor of ours), and a graceful shutdown
//! (idle connections close at once, requests in flight are answered first).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

use crate::limits::Limits;

/// Serve `app` on `listener` until `shutdown` resolves, then shut every connection down
/// gracefully and return once they have all closed.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = std::sync::Arc::new(Semaphore::new(limits.max_connections));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(crate::head::HYPER_MAX_HEADERS)
        .keep_alive(true);
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning (as
                    // axum::serve does); a failed handshake concerns that client only.
                    if !is_per_connection(&e) {
                        eprintln!("reciprocity serve: accept: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _slot = slot;
            tokio::pin!(connection);
            let asked = async move {
                let _ = stopping.wait_for(|s| *s).await;
            };
            let stopped = tokio::select! {
                _ = connection.as_mut() => false,
                () = asked => true,
            };
            if stopped {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(true);
    while connections.join_next().await.is_some() {}
}

/// Errors of `accept` that concern one connection only (the next accept may succeed at once).
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}
