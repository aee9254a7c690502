//! `reciprocity users add|list|remove`: the users of the HTTP API. A token is printed once, at
//! `add`; the database keeps only its SHA-256.

use clap::Subcommand;
use reciprocity_server::{Role, Stores};
use reciprocity_store::{ApiUser, Store};

use super::negotiate::common::store_error;

use super::flags::{add_user, BackendArgs};
use crate::output::Format;
use crate::BadInput;

/// Flags of `reciprocity users`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArgs,
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Add a user and print their token (once: only its hash is kept).
    Add {
        /// A unique name (`us-lead`, `jpn-team`).
        name: String,
        /// admin (the US lead), analyst (reads), or team:ISO3 (the partner's team, its own talk only).
        #[arg(long)]
        role: String,
    },
    /// List the users (names and roles; tokens are not kept).
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Remove a user (their token stops working at once).
    Remove {
        /// The name.
        name: String,
    },
}

/// Run it.
pub fn run(args: Args) -> anyhow::Result<()> {
    let backend = args.backend.backend()?;
    let open = || -> anyhow::Result<_> {
        let stores = Stores::open(&backend).map_err(store_error)?;
        stores.get().map_err(store_error)
    };
    match args.command {
        Sub::Add { name, role } => {
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                return Err(BadInput(format!(
                    "NAME: expected a name without spaces, found {name:?}"
                ))
                .into());
            }
            let role = Role::parse(&role).map_err(|e| BadInput(format!("--{e}")))?;
            let token = add_user(&mut open()?, &name, &role)?;
            eprintln!(
                "added {name} ({}); the token below is shown once, keep it (the database keeps only its hash):",
                role.as_text()
            );
            println!("{token}");
        }
        Sub::List { format } => {
            // Reading only: the file is opened read-only and never created (issue 15, item 8).
            let store = backend.open_read_only().map_err(store_error)?;
            list(&*store, format)?;
        }
        Sub::Remove { name } => {
            open()?.remove_user(&name).map_err(store_error)?;
            eprintln!("removed {name}: their token no longer works");
        }
    }
    Ok(())
}

/// `users list`: names, roles and when they were added.
fn list(store: &dyn Store, format: Format) -> anyhow::Result<()> {
    let users = store.users().map_err(store_error)?;
    let text = match format {
        Format::Json => {
            let v: Vec<_> = users
                .iter()
                .map(|u| serde_json::json!({"name": u.name, "role": u.role, "created": u.created}))
                .collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["name", "role", "created"])?;
            for u in &users {
                w.write_record([&u.name, &u.role, &u.created])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table => {
            let width = |f: fn(&ApiUser) -> &str, head: &str| {
                users
                    .iter()
                    .map(|u| f(u).chars().count())
                    .fold(head.len(), usize::max)
            };
            let (wn, wr) = (width(|u| &u.name, "name"), width(|u| &u.role, "role"));
            let mut out = format!("{:<wn$}  {:<wr$}  created\n", "name", "role");
            out.push_str(&format!(
                "{}  {}  {}\n",
                "-".repeat(wn),
                "-".repeat(wr),
                "-".repeat(20)
            ));
            for u in &users {
                out.push_str(&format!(
                    "{:<wn$}  {:<wr$}  {}\n",
                    u.name, u.role, u.created
                ));
            }
            if users.is_empty() {
                out.push_str(
                    "(no users: add one with `reciprocity users add NAME --role admin`)\n",
                );
            }
            out
        }
    };
    crate::output::emit(None, &text)?;
    Ok(())
}
