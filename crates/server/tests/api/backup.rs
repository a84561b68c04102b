//! A backup taken while residents file cases, restored to a new server: every case
//! acknowledged before the backup began is there, with its photos.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use api::{CaseReceipt, UploadReceipt};
use serde_json::json;

use crate::filing::valid_case;
use crate::helpers::{TestApp, new_database};

/// When a filing was answered, its number, and its photo's upload id.
type Acknowledged = (Instant, String, Option<String>);

#[tokio::test]
async fn a_backup_taken_while_filing_restores_every_acknowledged_case_and_photo() {
    let app = Arc::new(TestApp::spawn().await);
    // Residents file all along: every other case with a photo.
    let acknowledged: Arc<Mutex<Vec<Acknowledged>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let filer = {
        let (app, acknowledged, stop) = (app.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let mut case = valid_case();
                let photo = if n % 2 == 0 {
                    let receipt: UploadReceipt = app.photo().await;
                    case["photos"] = json!([receipt.id]);
                    Some(receipt.id)
                } else {
                    None
                };
                let response = app.post_case(&case, None).await;
                assert_eq!(response.status(), 201);
                let receipt: CaseReceipt = response.json().await.unwrap();
                acknowledged.lock().unwrap().push((
                    Instant::now(),
                    receipt.number.to_string(),
                    photo,
                ));
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let backup_dir = tempfile::tempdir().unwrap();
    let to = backup_dir.path().join("backup");
    let began = Instant::now();
    let backed_up = civic_server::backup::backup(&app.database_url, app.dir.path(), &to).await;
    // Filings went on during the backup; stop them now.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    filer.await.unwrap();
    let before: Vec<(String, Option<String>)> = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, ..)| *at < began)
        .map(|(_, number, photo)| (number.clone(), photo.clone()))
        .collect();
    assert!(before.len() >= 10);

    if std::env::var("CIVIC_TEST_STORE").as_deref() == Ok("postgres") {
        // PostgreSQL holds the photos too: pg_dump backs it up, and the command says so.
        assert!(backed_up.unwrap_err().contains("pg_dump"));
        return;
    }
    let manifest = backed_up.unwrap();

    // Restore into a new database (of the store under test) and a new data folder.
    let restored_dir = tempfile::tempdir().unwrap();
    let url = new_database(restored_dir.path()).await;
    let restored = civic_server::backup::restore(&to, &url).await.unwrap();
    assert_eq!(restored, manifest);
    // The filing limit's recent uses (keyed hashes of addresses) stay out of the backup.
    sqlx::any::install_default_drivers();
    let count_uses = |url: String| async move {
        let (uses,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM limit_uses")
            .fetch_one(&sqlx::AnyPool::connect(&url).await.unwrap())
            .await
            .unwrap();
        uses
    };
    assert!(count_uses(app.database_url.clone()).await > 0);
    assert_eq!(
        count_uses(format!(
            "sqlite://{}?immutable=true",
            to.join("civic.db").display()
        ))
        .await,
        0
    );
    let store = civic_server::storage::open(&url).await.unwrap();
    let mut cases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut after = 0;
    loop {
        let batch = store.export_cases(after, 100).await.unwrap();
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        for (_, record) in batch {
            cases.insert(record.number.to_string(), record.extras.photos.clone());
        }
    }
    assert_eq!(cases.len(), manifest.counts.cases);
    let live = app.store().await;
    for (number, photo) in &before {
        let photos = cases
            .get(number)
            .unwrap_or_else(|| panic!("case {number}, acknowledged before the backup, is missing"));
        if let Some(id) = photo {
            assert_eq!(photos, &vec![id.clone()], "{number}");
            let number = api::CaseNumber::parse(number).unwrap();
            let restored = store.case_photo(&number, id).await.unwrap();
            assert!(
                restored.as_ref().is_some_and(|jpeg| !jpeg.is_empty()),
                "{id}"
            );
            assert_eq!(
                restored,
                live.case_photo(&number, id).await.unwrap(),
                "{id}"
            );
        }
    }

    // A backup folder is written once, and a restore checks what it reads.
    let again = civic_server::backup::backup(&app.database_url, app.dir.path(), &to).await;
    assert!(again.unwrap_err().contains("not empty"));
    let mut snapshot = std::fs::read(to.join("civic.db")).unwrap();
    let last = snapshot.len() - 1;
    snapshot[last] ^= 0xFF;
    std::fs::write(to.join("civic.db"), snapshot).unwrap();
    let other = tempfile::tempdir().unwrap();
    let url = new_database(other.path()).await;
    let refused = civic_server::backup::restore(&to, &url).await;
    assert!(refused.unwrap_err().contains("does not match the manifest"));
}

/// A backup in the first format (photos as files beside the snapshot, their rows without
/// the JPEG) still restores, the photos moving into the restored rows.
#[tokio::test]
async fn a_backup_of_the_first_format_restores_with_its_photo_files() {
    if std::env::var("CIVIC_TEST_STORE").as_deref() == Ok("postgres") {
        return; // the backup to convert is an SQLite snapshot: the SQLite pass covers it
    }
    let app = TestApp::spawn_with(false).await;
    let photo: UploadReceipt = app.photo().await;
    let mut case = valid_case();
    case["photos"] = json!([photo.id]);
    let receipt: CaseReceipt = app.post_case(&case, None).await.json().await.unwrap();
    let current = tempfile::tempdir().unwrap();
    let manifest = civic_server::backup::backup(&app.database_url, app.dir.path(), current.path())
        .await
        .unwrap();

    // The same backup as format 1 wrote it.
    let old = tempfile::tempdir().unwrap();
    let snapshot = old.path().join("civic.db");
    std::fs::copy(current.path().join("civic.db"), &snapshot).unwrap();
    {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", snapshot.display()))
            .await
            .unwrap();
        let jpeg: Vec<u8> = sqlx::query_scalar("SELECT jpeg FROM uploads WHERE id = ?")
            .bind(&photo.id)
            .fetch_one(&mut db)
            .await
            .unwrap();
        std::fs::create_dir_all(old.path().join("uploads")).unwrap();
        std::fs::write(old.path().join(format!("uploads/{}.jpg", photo.id)), jpeg).unwrap();
        sqlx::query("UPDATE uploads SET jpeg = NULL")
            .execute(&mut db)
            .await
            .unwrap();
        sqlx::query("PRAGMA journal_mode = DELETE")
            .execute(&mut db)
            .await
            .unwrap();
        db.close().await.unwrap();
    }
    let entry = |path: &str| {
        let bytes = std::fs::read(old.path().join(path)).unwrap();
        json!({"path": path, "bytes": bytes.len(), "sha256": civic_server::hashing::hex_sha256(&bytes)})
    };
    let photo_file = format!("uploads/{}.jpg", photo.id);
    let v1 = json!({
        "format": 1,
        "taken_at": manifest.taken_at,
        "version": manifest.version,
        "database": entry("civic.db"),
        "counts": manifest.counts,
        "files": [entry(&photo_file)],
    });
    std::fs::write(old.path().join("manifest.json"), v1.to_string()).unwrap();

    let target = tempfile::tempdir().unwrap();
    let url = new_database(target.path()).await;
    let restored = civic_server::backup::restore(old.path(), &url)
        .await
        .unwrap();
    assert_eq!((restored.format, restored.counts), (1, manifest.counts));
    let store = civic_server::storage::open(&url).await.unwrap();
    let jpeg = store
        .case_photo(&receipt.number, &photo.id)
        .await
        .unwrap()
        .expect("the photo file moved into its row");
    assert_eq!(jpeg.len() as u64, photo.bytes);
    // A photo file that does not match its manifest is refused.
    std::fs::write(old.path().join(&photo_file), b"tampered").unwrap();
    let again = tempfile::tempdir().unwrap();
    let url = new_database(again.path()).await;
    let refused = civic_server::backup::restore(old.path(), &url).await;
    assert!(refused.unwrap_err().contains("does not match the manifest"));
}
