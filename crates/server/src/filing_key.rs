//! The filing key. A retried filing's tracking code is derived from its idempotency key with
//! this key (`domain::filing::tracking_code`), so whoever holds both the database and the key
//! could compute the code of nearly every case. The key therefore lives outside the database,
//! in a file only the server reads (mode 0600; a systemd credential; see the README), and the
//! database keeps only its fingerprint: a backup, a replica, a `pg_dump` or a read-only SQL
//! login yields no tracking code, and a server given the wrong key, or none, for a database
//! with cases refuses to start rather than hand out codes that open nothing.
//!
//! A database made before this release kept the key in `server_secrets`: at start the key is
//! written to the file and forgotten by the database, so every resident keeps tracking.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::storage::{SecretStore, StoreError};

/// The name of the key a database made by an older release still holds.
pub const LEGACY_SECRET: &str = "filing_key";
/// The name of the key's fingerprint in the database.
pub const FINGERPRINT_SECRET: &str = "filing_key_fingerprint";
/// The file's name under systemd's credentials folder (`LoadCredential=filing-key:…`).
pub const CREDENTIAL_NAME: &str = "filing-key";
/// The file's name in the data folder, when nothing else is said.
pub const DEFAULT_FILE: &str = "filing.key";

/// Why the server cannot have its filing key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The database has cases filed with a key, and the file is not there.
    #[error(
        "the filing key file {0} is missing, and this database has cases filed with a key \
         (fingerprint {1}): restore the file from where it was backed up (never from the \
         database's backup), or give its path with --filing-key-file"
    )]
    Missing(PathBuf, String),
    /// The file holds another key than the one the database's cases were filed with.
    #[error(
        "the filing key in {0} (fingerprint {1}) is not the one this database's cases were \
         filed with (fingerprint {2}): give the right file with --filing-key-file"
    )]
    Mismatch(PathBuf, String, String),
    /// The file is not a key.
    #[error("{0} is not a filing key: it must hold 64 hexadecimal digits")]
    Malformed(PathBuf),
    /// The file cannot be read or written.
    #[error("the filing key file {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The database could not be asked.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

/// Where the key is kept: the flag's file, else systemd's credential when the unit loads
/// one, else `filing.key` in the data folder.
pub fn key_path(flag: Option<&Path>, credentials_dir: Option<&Path>, data_dir: &Path) -> PathBuf {
    if let Some(path) = flag {
        return path.to_owned();
    }
    if let Some(dir) = credentials_dir
        && dir.join(CREDENTIAL_NAME).is_file()
    {
        return dir.join(CREDENTIAL_NAME);
    }
    data_dir.join(DEFAULT_FILE)
}

/// A key's fingerprint: what the database keeps to tell the right key from another. It
/// says nothing of the key (a hash of 32 random bytes).
pub fn fingerprint(key: &[u8]) -> String {
    let mut material = b"civic filing key fingerprint\0".to_vec();
    material.extend_from_slice(key);
    crate::hashing::hex_sha256(&material)[..16].to_owned()
}

/// What to do at start, from what is there: the key in the file, the key an older release
/// left in the database, the fingerprint the database keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Where the key comes from.
    pub source: Source,
    /// Write the fingerprint into the database (it has none yet).
    pub record_fingerprint: bool,
    /// Forget the key the database still holds (it is in the file now).
    pub forget_legacy: bool,
}

/// Where the key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The file.
    File,
    /// The database an older release made: written to the file first.
    Legacy,
    /// Nowhere yet (a new database): a new key, written to the file.
    New,
}

/// Why there is no plan: the key is missing, or another than the database's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The database has a fingerprint and no key is to be had.
    Missing { recorded: String },
    /// The key at hand has another fingerprint than the recorded one.
    Mismatch { found: String, recorded: String },
}

/// The rule: the file's key wins when it matches what the database knows (its fingerprint,
/// or the key an older release kept there); without a file, the older release's key is moved
/// out, and a new key is made only for a database that has never had one.
pub fn plan(
    file: Option<&[u8]>,
    legacy: Option<&[u8]>,
    recorded: Option<&str>,
) -> Result<Plan, Refusal> {
    let (key, source) = match (file, legacy) {
        (Some(key), _) => (Some(key), Source::File),
        (None, Some(key)) => (Some(key), Source::Legacy),
        (None, None) => (None, Source::New),
    };
    let known = recorded
        .map(str::to_owned)
        .or_else(|| legacy.map(fingerprint));
    match (key, known) {
        (Some(key), Some(known)) if fingerprint(key) != known => Err(Refusal::Mismatch {
            found: fingerprint(key),
            recorded: known,
        }),
        (None, Some(known)) => Err(Refusal::Missing { recorded: known }),
        _ => Ok(Plan {
            source,
            record_fingerprint: recorded.is_none(),
            forget_legacy: legacy.is_some(),
        }),
    }
}

/// Reads the key in `path`: `Ok(None)` when there is no file.
pub fn read_key(path: &Path) -> Result<Option<Vec<u8>>, KeyError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(KeyError::Io(path.to_owned(), error)),
    };
    let hex = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    match hex.and_then(decode_hex) {
        Some(key) if key.len() == 32 => Ok(Some(key)),
        _ => Err(KeyError::Malformed(path.to_owned())),
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Writes `key` to `path` as a new file only its owner reads (0600), whole or not at all:
/// written beside it, then linked into place, so a process starting at the same moment
/// finds either no file or the whole key, and an existing file is never overwritten.
pub fn write_key(path: &Path, key: &[u8]) -> Result<(), KeyError> {
    let fail = |error| KeyError::Io(path.to_owned(), error);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    let temporary = path.with_extension(format!(
        "tmp-{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temporary).and_then(|mut file| {
        writeln!(
            file,
            "# Civic's filing key: keep it secret, back it up apart from the database.\n{hex}"
        )?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    linked.map_err(fail)
}

/// The filing key for the database `store`, from the file at `path` (made for a new
/// database, or moved there from a database an older release made), checked against the
/// fingerprint the database keeps.
pub async fn load(store: &dyn SecretStore, path: &Path) -> Result<Vec<u8>, KeyError> {
    let legacy = store.read_secret(LEGACY_SECRET).await?;
    let recorded = store
        .read_secret(FINGERPRINT_SECRET)
        .await?
        .map(|v| String::from_utf8_lossy(&v).into_owned());
    let file = read_key(path)?;
    let plan =
        plan(file.as_deref(), legacy.as_deref(), recorded.as_deref()).map_err(|refusal| {
            match refusal {
                Refusal::Missing { recorded } => KeyError::Missing(path.to_owned(), recorded),
                Refusal::Mismatch { found, recorded } => {
                    KeyError::Mismatch(path.to_owned(), found, recorded)
                }
            }
        })?;
    let key = match plan.source {
        Source::File => file.unwrap_or_default(),
        Source::Legacy => {
            let key = legacy.clone().unwrap_or_default();
            write_or_take(path, &key)?
        }
        Source::New => {
            let mut key = vec![0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| KeyError::Io(path.to_owned(), std::io::Error::other(e.to_string())))?;
            write_or_take(path, &key)?
        }
    };
    let id = fingerprint(&key);
    if plan.record_fingerprint {
        // Two processes starting on a new database at once: the first fingerprint stands,
        // and the other process, with another key, is refused.
        let kept = store.secret(FINGERPRINT_SECRET, id.as_bytes()).await?;
        let kept = String::from_utf8_lossy(&kept).into_owned();
        if kept != id {
            return Err(KeyError::Mismatch(path.to_owned(), id, kept));
        }
    }
    if plan.forget_legacy {
        store.forget_secret(LEGACY_SECRET).await?;
        tracing::info!(file = %path.display(), "moved the filing key out of the database");
    }
    Ok(key)
}

/// Writes `key` to `path`; when another process wrote a key there first, takes that one.
fn write_or_take(path: &Path, key: &[u8]) -> Result<Vec<u8>, KeyError> {
    match write_key(path, key) {
        Ok(()) => Ok(key.to_vec()),
        Err(KeyError::Io(_, error)) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            read_key(path)?.ok_or_else(|| KeyError::Malformed(path.to_owned()))
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_keeps_one_key_per_database_and_moves_an_old_one_out() {
        let (a, b) = (&[1u8; 32][..], &[2u8; 32][..]);
        let (fa, fb) = (fingerprint(a), fingerprint(b));
        let ok = |source, record_fingerprint, forget_legacy| {
            Ok(Plan {
                source,
                record_fingerprint,
                forget_legacy,
            })
        };
        // (file, legacy key in the database, recorded fingerprint) → plan
        type Row<'a> = (
            Option<&'a [u8]>,
            Option<&'a [u8]>,
            Option<&'a str>,
            Result<Plan, Refusal>,
        );
        let table: Vec<Row> = vec![
            // A new database: a new key.
            (None, None, None, ok(Source::New, true, false)),
            // A new database given a key: it is taken.
            (Some(a), None, None, ok(Source::File, true, false)),
            // The usual start: the file matches the fingerprint.
            (Some(a), None, Some(&fa), ok(Source::File, false, false)),
            // A database an older release made: its key moves out to the file.
            (None, Some(a), None, ok(Source::Legacy, true, true)),
            // … and when the file was written but the database not yet cleared.
            (Some(a), Some(a), None, ok(Source::File, true, true)),
            (Some(a), Some(a), Some(&fa), ok(Source::File, false, true)),
            // The file is missing for a database with cases filed under a key.
            (
                None,
                None,
                Some(&fa),
                Err(Refusal::Missing {
                    recorded: fa.clone(),
                }),
            ),
            // Another key than the database's.
            (
                Some(b),
                None,
                Some(&fa),
                Err(Refusal::Mismatch {
                    found: fb.clone(),
                    recorded: fa.clone(),
                }),
            ),
            (
                Some(b),
                Some(a),
                None,
                Err(Refusal::Mismatch {
                    found: fb.clone(),
                    recorded: fa.clone(),
                }),
            ),
        ];
        for (file, legacy, recorded, expected) in table {
            assert_eq!(
                plan(file, legacy, recorded),
                expected,
                "{file:?} {legacy:?} {recorded:?}"
            );
        }
    }

    #[test]
    fn a_key_file_is_written_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/filing.key");
        assert!(read_key(&path).unwrap().is_none());
        write_key(&path, &[7u8; 32]).unwrap();
        assert_eq!(read_key(&path).unwrap(), Some(vec![7u8; 32]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Never overwritten.
        assert!(write_key(&path, &[8u8; 32]).is_err());
        assert_eq!(write_or_take(&path, &[8u8; 32]).unwrap(), vec![7u8; 32]);
        std::fs::write(&path, "not a key\n").unwrap();
        assert!(matches!(read_key(&path), Err(KeyError::Malformed(_))));
    }

    #[test]
    fn the_key_path_is_the_flag_then_the_credential_then_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let credentials = dir.path().join("credentials");
        std::fs::create_dir_all(&credentials).unwrap();
        let flag = dir.path().join("flag.key");
        assert_eq!(key_path(Some(&flag), Some(&credentials), &data), flag);
        assert_eq!(
            key_path(None, Some(&credentials), &data),
            data.join(DEFAULT_FILE),
            "no credential loaded"
        );
        std::fs::write(credentials.join(CREDENTIAL_NAME), "x").unwrap();
        assert_eq!(
            key_path(None, Some(&credentials), &data),
            credentials.join(CREDENTIAL_NAME)
        );
        assert_eq!(key_path(None, None, &data), data.join(DEFAULT_FILE));
    }
}
