//! `civic-server copy`: moves a town's data from one store to another (an SQLite file to the
//! city's PostgreSQL, typically) through the stores' own load and save, then checks that the
//! target holds as many of everything as the source.
//!
//! Copied: the taxonomy, the server's filing key (so a retried filing still gets its
//! tracking code), uploads with their photos, cases with
//! contacts, timelines, ratings, extensions, photos and idempotency keys, documents with
//! their attachments, announcements; the statistics are counted anew on the target.

use crate::storage::{DocumentFilter, Store};

/// How many of each thing a copy moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Copied {
    /// Cases.
    pub cases: usize,
    /// Uploaded photos (rows).
    pub uploads: usize,
    /// Documents.
    pub documents: usize,
    /// Document attachments.
    pub attachments: usize,
    /// Announcements.
    pub announcements: usize,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cases, {} uploads, {} documents ({} attachments), {} announcements",
            self.cases, self.uploads, self.documents, self.attachments, self.announcements
        )
    }
}

/// Cases per transaction on the target.
const BATCH: u32 = 1_000;
/// Uploads per batch: each carries its photo (a few hundred KB).
const UPLOAD_BATCH: u32 = 50;

/// Copies everything in `from` to `to`, which must be empty, and checks the counts.
pub async fn copy(from: &dyn Store, to: &dyn Store) -> Result<Copied, String> {
    fn fail(what: &'static str) -> impl Fn(crate::storage::StoreError) -> String {
        move |e| format!("{what}: {e}")
    }
    if !to.is_empty().await.map_err(fail("target"))? {
        return Err("the target database already holds data; copy into an empty one".into());
    }
    let taxonomy = from
        .taxonomy()
        .await
        .map_err(fail("reading the taxonomy"))?;
    to.install_taxonomy(&taxonomy)
        .await
        .map_err(fail("writing the taxonomy"))?;
    // A server that ran on the target once installed its own taxonomy and key: refuse rather
    // than copy cases whose codes or tracking codes would not match.
    if to.taxonomy().await.map_err(fail("target taxonomy"))? != taxonomy {
        return Err("the target database has another taxonomy; copy into a new database".into());
    }
    // The filing key's fingerprint goes along (the key itself lives outside the database:
    // the target's server needs the same key file), and so does the key a database made by
    // an older release still holds, which the target's server then moves out.
    for name in [
        crate::filing_key::FINGERPRINT_SECRET,
        crate::filing_key::LEGACY_SECRET,
    ] {
        let Some(value) = from
            .read_secret(name)
            .await
            .map_err(fail("reading the filing key's fingerprint"))?
        else {
            continue;
        };
        let kept = to
            .secret(name, &value)
            .await
            .map_err(fail("writing the filing key's fingerprint"))?;
        if kept != value {
            return Err(
                "the target database has a filing key of its own (a server ran on it); \
                 copy into a new database"
                    .into(),
            );
        }
    }

    let mut copied = Copied::default();
    let mut after = String::new();
    loop {
        let batch = from
            .export_uploads(&after, UPLOAD_BATCH)
            .await
            .map_err(fail("reading uploads"))?;
        let Some(last) = batch.last() else { break };
        after = last.id.clone();
        for upload in &batch {
            to.insert_upload(upload)
                .await
                .map_err(fail("writing an upload"))?;
        }
        copied.uploads += batch.len();
    }

    let mut after = 0;
    loop {
        let batch = from
            .export_cases(after, BATCH)
            .await
            .map_err(fail("reading cases"))?;
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        let records: Vec<_> = batch.into_iter().map(|(_, record)| record).collect();
        to.insert_cases(&records)
            .await
            .map_err(fail("writing cases"))?;
        copied.cases += records.len();
    }

    let documents = all_documents(from).await?;
    to.insert_documents(&documents)
        .await
        .map_err(fail("writing documents"))?;
    copied.documents = documents.len();
    for document in &documents {
        for position in 1..=document.attachments.len() as u32 {
            let Some((name, media_type, bytes)) = from
                .attachment(document.summary.id, position)
                .await
                .map_err(fail("reading an attachment"))?
            else {
                return Err(format!(
                    "document {} lists attachment {position}, which is missing",
                    document.summary.id
                ));
            };
            to.add_attachment(document.summary.id, &name, &media_type, &bytes)
                .await
                .map_err(fail("writing an attachment"))?;
            copied.attachments += 1;
        }
    }

    let announcements = all_announcements(from).await?;
    to.insert_announcements(&announcements)
        .await
        .map_err(fail("writing announcements"))?;
    copied.announcements = announcements.len();

    to.refresh_stats(None)
        .await
        .map_err(fail("counting statistics"))?;
    check(to, copied).await?;
    Ok(copied)
}

/// How many of everything `store` holds.
pub async fn count(store: &dyn Store) -> Result<Copied, String> {
    let mut found = Copied {
        uploads: store.count_uploads().await.map_err(|e| e.to_string())? as usize,
        ..Copied::default()
    };
    let mut after = 0;
    loop {
        let batch = store
            .export_cases(after, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        found.cases += batch.len();
    }
    let documents = all_documents(store).await?;
    found.documents = documents.len();
    found.attachments = documents.iter().map(|d| d.attachments.len()).sum();
    found.announcements = all_announcements(store).await?.len();
    Ok(found)
}

/// Every document of `store`, whole.
async fn all_documents(store: &dyn Store) -> Result<Vec<api::Document>, String> {
    let mut documents = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .documents(&DocumentFilter::default(), cursor, 200)
            .await
            .map_err(|e| format!("reading documents: {e}"))?;
        for summary in &page.items {
            if let Some(document) = store
                .document(summary.id)
                .await
                .map_err(|e| format!("reading a document: {e}"))?
            {
                documents.push(document);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(documents),
        }
    }
}

/// Every announcement of `store`, whole.
async fn all_announcements(store: &dyn Store) -> Result<Vec<api::Announcement>, String> {
    let mut announcements = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .announcements(cursor, 200)
            .await
            .map_err(|e| format!("reading announcements: {e}"))?;
        for summary in &page.items {
            if let Some(announcement) = store
                .announcement(summary.id)
                .await
                .map_err(|e| format!("reading an announcement: {e}"))?
            {
                announcements.push(announcement);
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(announcements),
        }
    }
}

/// Counts what the target holds and compares it with what was copied.
async fn check(to: &dyn Store, copied: Copied) -> Result<(), String> {
    let found = count(to).await?;
    if found == copied {
        Ok(())
    } else {
        Err(format!(
            "the target holds {found:?} after copying {copied:?}"
        ))
    }
}
