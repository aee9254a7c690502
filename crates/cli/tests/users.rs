//! `reciprocity users add|list|remove`: the token is printed once and only its hash is stored;
//! bad input exits with code 2 and one line naming the flag.

mod common;

use std::path::Path;

use reciprocity_store::{SqliteStore, Store};

fn users(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::bin()
        .arg("users")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn users_add_list_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (code, token, _) = users(&db, &["add", "jpn-team", "--role", "team:Japan"]);
    assert_eq!(code, 0);
    let token = token.trim();
    assert!(token.starts_with("rcp_") && token.len() == 68, "{token}");
    assert!(token[4..].bytes().all(|b| b.is_ascii_hexdigit()));
    // Only the SHA-256 is stored: the store finds the user by the hash, not by the token.
    let store = SqliteStore::open(&db).unwrap();
    let hash = reciprocity_server::auth::hash_token(token);
    let user = store.user_by_token(&hash).unwrap().expect("found by hash");
    assert_eq!(
        (user.name.as_str(), user.role.as_str()),
        ("jpn-team", "team:JPN")
    );
    drop(store);
    let (_, second, _) = users(&db, &["add", "lead", "--role", "admin"]);
    assert_ne!(second.trim(), token);

    let (code, list, _) = users(&db, &["list", "--format", "csv"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines[0], "name,role,created");
    assert!(lines[1].starts_with("jpn-team,team:JPN,"), "{list}");
    assert!(lines[2].starts_with("lead,admin,"), "{list}");
    assert!(!list.contains("rcp_"));

    // Bad input: exit 2, one line naming what is wrong.
    let (code, _, err) = users(&db, &["add", "x", "--role", "root"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: --role: expected admin, analyst or team:ISO3"),
        "{err}"
    );
    let (code, _, err) = users(&db, &["add", "y", "--role", "team:XXQ"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = users(&db, &["add", "lead", "--role", "analyst"]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");

    let (code, _, _) = users(&db, &["remove", "jpn-team"]);
    assert_eq!(code, 0);
    let store = SqliteStore::open(&db).unwrap();
    assert!(store.user_by_token(&hash).unwrap().is_none());
    assert_eq!(store.users().unwrap().len(), 1);
    let (code, _, err) = users(&db, &["remove", "jpn-team"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
}
