//! The real server for the CLI's integration tests: `reciprocity serve` on a free port, an admin
//! token, and a few lines of std HTTP (one request per connection), so a test measures the server,
//! not a client library.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use super::bin;

/// Add an admin user to the store `db`; returns their token.
pub fn add_admin(db: &Path) -> String {
    add_admin_on(&db_args(db))
}

/// `--db PATH` as arguments.
pub fn db_args(db: &Path) -> Vec<std::ffi::OsString> {
    vec!["--db".into(), db.as_os_str().to_owned()]
}

/// Add an admin user to the store the arguments name (`--db PATH` or `--database-url URL`).
pub fn add_admin_on(db: &[std::ffi::OsString]) -> String {
    let out = bin()
        .arg("users")
        .args(db)
        .args(["add", "lead", "--role", "admin"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let token = text.split_whitespace().find(|w| w.starts_with("rcp_"));
    token.expect("a token on stdout").to_string()
}

/// Start the server on a free port; returns the child and its address (read from its stdout).
pub fn start(db: &Path) -> (Child, SocketAddr) {
    start_on(&db_args(db))
}

/// Start the server on the store the arguments name; returns the child and its address.
pub fn start_on(db: &[std::ffi::OsString]) -> (Child, SocketAddr) {
    let mut child = bin()
        .args(["serve", "--bind", "127.0.0.1:0", "--clock", "2025-05-01"])
        .args(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// POST (or GET when `body` is None); returns the status and body, or None when the connection
/// failed or was cut (the server died).
pub fn request(
    addr: SocketAddr,
    token: &str,
    path: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let (method, payload) = match body {
        Some(b) => ("POST", b),
        None => ("GET", ""),
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(payload.as_bytes()).ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    let status = raw.split_whitespace().nth(1)?.parse().ok()?;
    let body = raw.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}
