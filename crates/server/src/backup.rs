//! `civic-server backup --to DIR` and `civic-server restore --from DIR`.
//!
//! A backup is a folder: `civic.db`, a consistent snapshot of an SQLite database taken while
//! the server serves (`VACUUM INTO`, one read transaction); `uploads/`, the photo files the
//! snapshot's uploads name (photos live in the data folder, not the database; attachments do
//! live in it); and `manifest.json`, written last, with the counts and a SHA-256 of every
//! file. On PostgreSQL the database is backed up with `pg_dump` (README), and a backup holds
//! the photos and the manifest only.
//!
//! A restore checks every checksum, copies the snapshot into an empty database of either
//! kind through the stores (`crate::copy`, which checks the counts), checks them against the
//! manifest, and puts the photos into the data folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::copy::{self, Copied};
use crate::storage;

/// The manifest's format version.
const FORMAT: u32 = 1;

/// What a backup folder holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format.
    pub format: u32,
    /// When the snapshot was taken (RFC 3339, China Standard Time).
    pub taken_at: String,
    /// The server's version that took it.
    pub version: String,
    /// The database snapshot, when the store could take one (not on PostgreSQL).
    pub database: Option<FileEntry>,
    /// How many of everything the snapshot holds (when there is one).
    pub counts: Option<Copied>,
    /// The photo files, under `uploads/`.
    pub files: Vec<FileEntry>,
}

/// A file of the backup and its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its path inside the backup folder.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes, in hexadecimal.
    pub sha256: String,
}

fn entry(dir: &Path, path: &str) -> Result<FileEntry, String> {
    let bytes = std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
    Ok(FileEntry {
        path: path.to_owned(),
        bytes: bytes.len() as u64,
        sha256: crate::hashing::hex_sha256(&bytes),
    })
}

/// Takes a backup of the database at `database_url` and the photos under `data_dir` into
/// `to`, which must not exist or be empty; returns the manifest it wrote.
pub async fn backup(database_url: &str, data_dir: &Path, to: &Path) -> Result<Manifest, String> {
    if to.exists()
        && std::fs::read_dir(to)
            .map_err(|e| format!("{}: {e}", to.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty: back up into a new folder",
            to.display()
        ));
    }
    std::fs::create_dir_all(to.join("uploads")).map_err(|e| format!("{}: {e}", to.display()))?;
    let live = storage::open(database_url)
        .await
        .map_err(|e| format!("the database: {e}"))?;
    let taken_at = crate::clock::rfc3339(crate::clock::now());
    // The snapshot is opened (counted, its uploads listed) as a working copy, and the file
    // kept is a second snapshot of that copy: the kept file is never opened, so its bytes are
    // exactly what the checksum says.
    let working = to.join("snapshot-working.db");
    let (database, counts, uploads) = if live
        .snapshot_into(&working)
        .await
        .map_err(|e| format!("taking the snapshot: {e}"))?
    {
        let snapshot = storage::open(&sqlite_url(&working)?)
            .await
            .map_err(|e| format!("opening the snapshot: {e}"))?;
        let counts = copy::count(snapshot.as_ref()).await?;
        let uploads = snapshot
            .export_uploads()
            .await
            .map_err(|e| format!("listing uploads: {e}"))?;
        snapshot
            .snapshot_into(&to.join("civic.db"))
            .await
            .map_err(|e| format!("writing the snapshot: {e}"))?;
        drop(snapshot);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", working.display()));
        }
        (Some(entry(to, "civic.db")?), Some(counts), uploads)
    } else {
        // PostgreSQL: pg_dump takes the database; the photos of every upload it names now
        // are kept here.
        let uploads = live
            .export_uploads()
            .await
            .map_err(|e| format!("listing uploads: {e}"))?;
        (None, None, uploads)
    };
    let mut files = Vec::new();
    for (id, ..) in &uploads {
        let name = format!("uploads/{id}.jpg");
        std::fs::copy(data_dir.join(&name), to.join(&name))
            .map_err(|e| format!("{}: {e}", data_dir.join(&name).display()))?;
        files.push(entry(to, &name)?);
    }
    let manifest = Manifest {
        format: FORMAT,
        taken_at,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database,
        counts,
        files,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(to.join("manifest.json"), text).map_err(|e| format!("manifest.json: {e}"))?;
    Ok(manifest)
}

/// Restores the backup in `from` into the empty database at `database_url` and the data
/// folder `data_dir`, after checking every file against the manifest; returns the manifest.
pub async fn restore(from: &Path, database_url: &str, data_dir: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(from.join("manifest.json")).map_err(|e| {
        format!(
            "{}: {e} (an unfinished backup has no manifest)",
            from.display()
        )
    })?;
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!(
            "manifest format {} is not {FORMAT}",
            manifest.format
        ));
    }
    let Some(database) = &manifest.database else {
        return Err(
            "this backup holds no database (a PostgreSQL server's: restore the \
                    database with pg_restore, then the photos under uploads/ by hand)"
                .into(),
        );
    };
    for file in manifest.files.iter().chain([database]) {
        if entry(from, &file.path)? != *file {
            return Err(format!("{} does not match the manifest", file.path));
        }
    }
    // Open a copy: opening migrates, and a backup is never written to.
    let work = tempfile_dir()?;
    let working = work.join("civic.db");
    std::fs::copy(from.join(&database.path), &working).map_err(|e| e.to_string())?;
    let source = storage::open(&sqlite_url(&working)?)
        .await
        .map_err(|e| format!("opening the backup: {e}"))?;
    let target = storage::open(database_url)
        .await
        .map_err(|e| format!("the target database: {e}"))?;
    let copied = copy::copy(source.as_ref(), target.as_ref()).await?;
    drop(source);
    let _ = std::fs::remove_dir_all(&work);
    if Some(copied) != manifest.counts {
        return Err(format!(
            "restored {copied:?}, but the manifest says {:?}",
            manifest.counts
        ));
    }
    std::fs::create_dir_all(data_dir.join("uploads"))
        .map_err(|e| format!("{}: {e}", data_dir.display()))?;
    for file in &manifest.files {
        let target = data_dir.join(&file.path);
        if target.exists() && entry(data_dir, &file.path)? != *file {
            return Err(format!("{} exists with other bytes", target.display()));
        }
        std::fs::copy(from.join(&file.path), &target)
            .map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(manifest)
}

fn sqlite_url(path: &Path) -> Result<String, String> {
    path.to_str()
        .map(|p| format!("sqlite://{p}"))
        .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))
}

/// A new private folder for the restore's working copy.
fn tempfile_dir() -> Result<PathBuf, String> {
    let mut raw = [0u8; 8];
    getrandom::fill(&mut raw).map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("civic-restore-{}", crate::hashing::hex(&raw)));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}
