//! `negotiate import FILE`: load a JSON export into an empty store, all or nothing.

use std::path::PathBuf;

use std::path::Path;

use reciprocity_store::{dto, Store, StoreError};
use serde_json::json;

use reciprocity_service::talks::resolve_partner;

use super::common::{render_rows, store_error, StoreArgs};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `negotiate import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON file written by `negotiate export`.
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Run it.
pub fn run(store_args: &StoreArgs, args: Args) -> anyhow::Result<()> {
    let path = &args.file;
    let text =
        std::fs::read_to_string(path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    let snapshot: dto::Snapshot = serde_json::from_str(&text).map_err(|e| {
        BadInput(format!(
            "{}:{}:{}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    for (i, n) in snapshot.negotiations.iter().enumerate() {
        let (code, _) = resolve_partner(&n.partner).map_err(|e| {
            BadInput(format!(
                "{}: negotiations[{i}]: partner: {e}",
                path.display()
            ))
        })?;
        if code != n.id || code != n.partner {
            return Err(BadInput(format!(
                "{}: negotiations[{i}]: id: expected the partner code {code}, found id {:?} and partner {:?}",
                path.display(),
                n.id,
                n.partner
            ))
            .into());
        }
    }
    let import_error = |e: StoreError| match e {
        StoreError::Import(m) => BadInput(format!("{}: {m}", path.display())).into(),
        other => store_error(other),
    };
    // Every value and reference is checked before a database is created for the file.
    reciprocity_store::import_plan(&snapshot).map_err(import_error)?;
    let db = store_args.path()?;
    let created = NewFiles::before(&db);
    let mut store = match store_args.open() {
        Ok(store) => store,
        Err(e) => {
            created.remove();
            return Err(e);
        }
    };
    let summary = match store.import(&snapshot) {
        Ok(summary) => summary,
        Err(e) => {
            drop(store);
            created.remove();
            return Err(import_error(e));
        }
    };
    let row = vec![
        summary.negotiations.to_string(),
        summary.proposals.to_string(),
        summary.scores.to_string(),
        summary.events.to_string(),
        store.path().display().to_string(),
    ];
    let out = render_rows(
        args.format,
        &["talks", "proposals", "scores", "events", "db"],
        &[row],
        json!({"talks": summary.negotiations, "proposals": summary.proposals, "scores": summary.scores,
               "events": summary.events, "db": store.path().display().to_string()}),
    )?;
    emit(None, &out)
}

/// What opening a database at a path would create: the file (and its journals) when it does not
/// exist yet, and the folders above it that do not. A failed import removes them, so it leaves
/// nothing behind (issue 15, item 11); an existing database is left as it is.
struct NewFiles {
    file: Option<PathBuf>,
    folders: Vec<PathBuf>,
}

impl NewFiles {
    fn before(db: &Path) -> NewFiles {
        if db.exists() {
            return NewFiles {
                file: None,
                folders: Vec::new(),
            };
        }
        let folders = db
            .ancestors()
            .skip(1)
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf)
            .collect();
        NewFiles {
            file: Some(db.to_path_buf()),
            folders,
        }
    }

    fn remove(self) {
        let Some(file) = self.file else { return };
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = file.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        // Innermost first; a folder something else has written to since is not empty and stays.
        for dir in &self.folders {
            let _ = std::fs::remove_dir(dir);
        }
    }
}
