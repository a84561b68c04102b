//! A backup taken while residents file cases, restored to a new server: every case
//! acknowledged before the backup began is there, with its photos.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use api::{CaseReceipt, UploadReceipt};
use civic_server::photos::test_images::jpeg_with_gps;
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
                    let receipt: UploadReceipt = app
                        .upload(jpeg_with_gps(), "p.jpg")
                        .await
                        .json()
                        .await
                        .unwrap();
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
    let manifest = civic_server::backup::backup(&app.database_url, app.dir.path(), &to)
        .await
        .unwrap();
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

    if manifest.database.is_none() {
        // PostgreSQL: the database is pg_dump's; the backup holds every photo named by then.
        assert!(std::env::var("CIVIC_TEST_STORE").as_deref() == Ok("postgres"));
        for (_, photo) in &before {
            if let Some(id) = photo {
                assert!(to.join(format!("uploads/{id}.jpg")).exists(), "{id}");
            }
        }
        return;
    }

    // Restore into a new database (of the store under test) and a new data folder.
    let restored_dir = tempfile::tempdir().unwrap();
    let url = new_database(restored_dir.path()).await;
    let restored = civic_server::backup::restore(&to, &url, restored_dir.path())
        .await
        .unwrap();
    assert_eq!(restored, manifest);
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
    assert_eq!(Some(cases.len()), manifest.counts.map(|c| c.cases));
    for (number, photo) in &before {
        let photos = cases
            .get(number)
            .unwrap_or_else(|| panic!("case {number}, acknowledged before the backup, is missing"));
        if let Some(id) = photo {
            assert_eq!(photos, &vec![id.clone()], "{number}");
            let name = format!("uploads/{id}.jpg");
            assert_eq!(
                std::fs::read(restored_dir.path().join(&name)).unwrap(),
                std::fs::read(app.dir.path().join(&name)).unwrap(),
                "{name}"
            );
        }
    }

    // A backup folder is written once, and a restore checks what it reads.
    let again = civic_server::backup::backup(&app.database_url, app.dir.path(), &to).await;
    assert!(again.unwrap_err().contains("not empty"));
    let photo = manifest.files.first().expect("photos were backed up");
    std::fs::write(to.join(&photo.path), b"tampered").unwrap();
    let other = tempfile::tempdir().unwrap();
    let url = new_database(other.path()).await;
    let refused = civic_server::backup::restore(&to, &url, other.path()).await;
    assert!(refused.unwrap_err().contains("does not match the manifest"));
}
