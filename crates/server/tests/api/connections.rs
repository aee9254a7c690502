//! Connections (issue 15, item 5): a connection that sends nothing, half a head, or stays idle
//! after an answer is closed after the header timeout; a request whose body never comes is
//! answered 503 at the request timeout; connections beyond the limit wait for a free one.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reciprocity_server::{Limits, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::common::{app_with, App};

/// A real server with `limits` on 127.0.0.1 (keep the app: it holds the database); send on the
/// sender to stop it.
async fn serve(
    limits: Limits,
) -> (
    App,
    SocketAddr,
    oneshot::Sender<()>,
    JoinHandle<Result<(), reciprocity_server::ServerError>>,
) {
    let app = app_with(limits);
    let server = Server::bind(&app.config, app.state.clone()).await.unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    (app, addr, stop, running)
}

/// Read until the server closes the connection (at most `within`); what it sent, or None when it
/// kept the connection open.
async fn read_until_closed(s: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    match tokio::time::timeout(within, s.read_to_end(&mut got)).await {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

const HEALTH: &[u8] = b"GET /api/v1/health HTTP/1.1\r\nhost: t\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_half_sent_connections_are_closed_after_the_header_timeout() {
    let (_app, addr, stop, running) = serve(Limits {
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    // Sends nothing.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // Half a request head.
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/v1/health HTTP/1.1\r\nhost: t\r\n")
        .await
        .unwrap();
    // One request answered, then idle on keep-alive.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(HEALTH).await.unwrap();
    let t = Instant::now();
    let within = Duration::from_secs(15);
    let silent_got = read_until_closed(&mut silent, within).await;
    assert!(silent_got.is_some(), "a silent connection stayed open");
    assert!(
        read_until_closed(&mut half, within).await.is_some(),
        "a half-sent head kept its connection"
    );
    let answered = read_until_closed(&mut idle, within)
        .await
        .expect("an idle keep-alive connection stayed open");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    // Closed by the timeout, not at once (generous bounds for a loaded machine).
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_comes_is_answered_503_at_the_request_timeout() {
    let (app, addr, stop, running) = serve(Limits {
        request_timeout: Duration::from_secs(1),
        solve_deadline: Duration::from_secs(1),
        ..Limits::default()
    })
    .await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/negotiations HTTP/1.1\r\nhost: t\r\nauthorization: Bearer {}\r\n\
         content-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"partner\":",
        app.tokens.admin
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let got = read_until_closed(&mut slow, Duration::from_secs(15))
        .await
        .expect("the request was never answered");
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert!(got.contains("\"deadline_exceeded\""), "{got}");
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let (_app, addr, stop, running) = serve(Limits {
        max_connections: 2,
        ..Limits::default()
    })
    .await;
    let held: Vec<TcpStream> = vec![
        TcpStream::connect(addr).await.unwrap(),
        TcpStream::connect(addr).await.unwrap(),
    ];
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The kernel completes the handshake (backlog), but the server does not serve a third.
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(HEALTH).await.unwrap();
    let mut buf = [0u8; 12];
    let early = tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf)).await;
    assert!(
        early.is_err(),
        "a third connection was served beyond the limit of 2"
    );
    // One closes: the third is served.
    drop(held);
    let n = tokio::time::timeout(Duration::from_secs(15), third.read_exact(&mut buf))
        .await
        .expect("the waiting connection was not served once a place came free")
        .unwrap();
    assert_eq!(&buf[..n], b"HTTP/1.1 200");
    drop(third);
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}

/// Send `head` (and close the writing side) to a real server; the status and the JSON body.
async fn raw_exchange(addr: SocketAddr, head: &[u8]) -> (u16, serde_json::Value, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head).await.unwrap();
    let text = read_until_closed(&mut s, Duration::from_secs(10))
        .await
        .expect("answered and closed");
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
        text,
    )
}

/// Issue 15, item 12: an oversize URI (414), oversize or too many headers (431) and a path that is
/// not UTF-8 (`/%ff`, 400) answer the documented JSON error, like every other error. Before:
/// axum's plain text for `/%ff`; hyper's bare status line, no body, for the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_heads_and_undecodable_paths_answer_json_errors() {
    let (_app, addr, stop, running) = serve(Limits::default()).await;
    let long_uri = format!(
        "GET /api/v1/health?x={} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        "a".repeat(70_000)
    );
    let big_header = format!(
        "GET /api/v1/health HTTP/1.1\r\nhost: t\r\nx-big: {}\r\nconnection: close\r\n\r\n",
        "b".repeat(40_000)
    );
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let many_headers =
        format!("GET /api/v1/health HTTP/1.1\r\nhost: t\r\n{many}connection: close\r\n\r\n");
    let mid_uri = format!(
        "GET /{} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        "c".repeat(10_000)
    );
    for (what, head, status, code) in [
        ("a 10 KB URI", mid_uri.as_bytes(), 414, "uri_too_long"),
        (
            "40 KB of headers",
            big_header.as_bytes(),
            431,
            "headers_too_large",
        ),
        (
            "150 headers",
            many_headers.as_bytes(),
            431,
            "headers_too_large",
        ),
        (
            "/%ff",
            &b"GET /%ff HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n"[..],
            400,
            "bad_request",
        ),
        (
            "/api/v1/negotiations/%ff",
            &b"GET /api/v1/negotiations/%ff HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n"[..],
            401,
            "unauthorized",
        ),
    ] {
        let (got, body, text) = raw_exchange(addr, head).await;
        assert_eq!(got, status, "{what}: {}", &text[..text.len().min(300)]);
        assert_eq!(body["error"]["code"], code, "{what}: {text}");
        assert!(body["error"]["message"].is_string(), "{what}: {text}");
        assert!(
            text.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{what}: {text}"
        );
    }
    // Beyond hyper's own limit (a URI over 65,534 bytes) hyper answers alone: a bare 414.
    let (got, _, _) = raw_exchange(addr, long_uri.as_bytes()).await;
    assert_eq!(got, 414);
    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}
