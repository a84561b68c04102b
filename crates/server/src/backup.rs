//! `civic-server backup --to DIR` and `civic-server restore --from DIR`.
//!
//! A backup is a folder: `civic.db`, a consistent snapshot of an SQLite database taken while
//! the server serves (`VACUUM INTO`, one read transaction), photos and attachments included;
//! and `manifest.json`, written last, with the counts and the snapshot's SHA-256. On
//! PostgreSQL, which holds the photos too, the database is backed up with `pg_dump` (README).
//!
//! A restore checks the checksum, copies the snapshot into an empty database of either kind
//! through the stores (`crate::copy`, which checks the counts) and checks them against the
//! manifest.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::copy::{self, Copied};
use crate::storage;

/// The manifest's format version (1 kept photos as files beside the snapshot).
const FORMAT: u32 = 2;

/// What a backup folder holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format.
    pub format: u32,
    /// When the snapshot was taken (RFC 3339, China Standard Time).
    pub taken_at: String,
    /// The server's version that took it.
    pub version: String,
    /// The database snapshot.
    pub database: FileEntry,
    /// How many of everything the snapshot holds.
    pub counts: Copied,
}

/// What format 1 wrote: the database when there was one, and the photos as files.
#[derive(Debug, Deserialize)]
struct ManifestV1 {
    taken_at: String,
    version: String,
    database: Option<FileEntry>,
    counts: Option<Copied>,
    files: Vec<FileEntry>,
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

/// Takes a backup of the SQLite database at `database_url` into `to`, which must not exist
/// or be empty; returns the manifest it wrote. Photos still kept as files under `data_dir`
/// (uploaded before they moved into the database) are moved in first.
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
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let live = storage::open(database_url)
        .await
        .map_err(|e| format!("the database: {e}"))?;
    crate::photos::adopt_files(live.as_ref(), data_dir).await?;
    let taken_at = crate::clock::rfc3339(crate::clock::now());
    // The snapshot is opened (counted) as a working copy, and the file kept is a second
    // snapshot of that copy: the kept file is never opened, so its bytes are exactly what the
    // checksum says.
    let working = to.join("snapshot-working.db");
    if !live
        .snapshot_into(&working)
        .await
        .map_err(|e| format!("taking the snapshot: {e}"))?
    {
        return Err(
            "a PostgreSQL database, photos included, is backed up with pg_dump \
                    (see the README's backups)"
                .into(),
        );
    }
    let snapshot = storage::open(&sqlite_url(&working)?)
        .await
        .map_err(|e| format!("opening the snapshot: {e}"))?;
    let counts = copy::count(snapshot.as_ref()).await?;
    // The last window's filing-limit uses (keyed hashes of addresses, with times) are not
    // kept: a backup outlives them.
    snapshot
        .forget_uses(i64::MAX)
        .await
        .map_err(|e| format!("clearing the limit's uses: {e}"))?;
    snapshot
        .snapshot_into(&to.join("civic.db"))
        .await
        .map_err(|e| format!("writing the snapshot: {e}"))?;
    drop(snapshot);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", working.display()));
    }
    let manifest = Manifest {
        format: FORMAT,
        taken_at,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: entry(to, "civic.db")?,
        counts,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(to.join("manifest.json"), text).map_err(|e| format!("manifest.json: {e}"))?;
    Ok(manifest)
}

/// Restores the backup in `from` into the empty database at `database_url`, after checking
/// the snapshot against the manifest; returns the manifest.
pub async fn restore(from: &Path, database_url: &str) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(from.join("manifest.json")).map_err(|e| {
        format!(
            "{}: {e} (an unfinished backup has no manifest)",
            from.display()
        )
    })?;
    let format: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
    // Format 1 (before photos moved into the database) kept them as files beside the
    // snapshot: checked too, and moved into the restored rows.
    let (manifest, photos) = if format["format"] == 1 {
        let old: ManifestV1 =
            serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
        let (Some(database), Some(counts)) = (old.database, old.counts) else {
            return Err(
                "this backup holds no database (a PostgreSQL server's: restore the \
                        database with pg_restore; the photos under uploads/ then move in \
                        when the server starts with them in its data folder)"
                    .into(),
            );
        };
        let manifest = Manifest {
            format: 1,
            taken_at: old.taken_at,
            version: old.version,
            database,
            counts,
        };
        (manifest, old.files)
    } else if format["format"] == FORMAT {
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|e| format!("manifest.json: {e}"))?;
        (manifest, Vec::new())
    } else {
        return Err(format!(
            "manifest format {} is not one this version reads (1 or {FORMAT})",
            format["format"]
        ));
    };
    let database = &manifest.database;
    for file in photos.iter().chain([database]) {
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
    if copied != manifest.counts {
        return Err(format!(
            "restored {copied:?}, but the manifest says {:?}",
            manifest.counts
        ));
    }
    for photo in &photos {
        let Some(id) = photo
            .path
            .strip_prefix("uploads/")
            .and_then(|name| name.strip_suffix(".jpg"))
        else {
            continue;
        };
        let jpeg =
            std::fs::read(from.join(&photo.path)).map_err(|e| format!("{}: {e}", photo.path))?;
        target
            .set_upload_jpeg(id, &jpeg)
            .await
            .map_err(|e| format!("storing {}: {e}", photo.path))?;
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
