//! The case service: what the routes, the `civic-server case` command and housekeeping
//! do with a case, each as one call that puts a rule of `crate::domain` to a store. No
//! HTTP here, and no SQL.

use api::{CaseDetail, CaseNumber, FieldErrorCode, FieldErrors, Meta, Rating, StaffAction, Taxon};
use time::Date;

use crate::domain::filing::{self, Filing, ValidCase};
use crate::domain::notify::Notices;
use crate::domain::staff::Actor;
use crate::domain::{Refusal, lifecycle, owner, publication, staff};
use crate::rules::ReplyDays;
use crate::storage::{self, CaseKey, Store, StoreError};

/// What a staff action did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// The case moved; this is where it stands now.
    Done(api::StaffActionResult),
    /// The action's fields are not valid (or name an unknown department).
    Invalid(FieldErrors),
    /// No case has this number.
    NotFound,
    /// The lifecycle does not allow this action now.
    Illegal(api::IllegalMove),
    /// This member of staff may not take this action on this case.
    Forbidden,
}

/// What a resident's rating or follow-up did.
#[derive(Debug, Clone, PartialEq)]
pub enum CitizenOutcome {
    /// Done; the case as its owner now sees it.
    Done(Box<CaseDetail>),
    /// No case has this number and tracking code.
    NoMatch,
    /// The case's state does not allow it (already rated, not replied yet, …).
    NotAllowed,
}

/// What filing a case did.
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    /// A new case: its receipt.
    Created(api::CaseReceipt),
    /// A retry of a filing made before: its receipt again.
    Replayed(api::CaseReceipt),
    /// A field is not valid after all (a photo no upload has, or another case's).
    Invalid(FieldErrors),
    /// The idempotency key was used for a different case.
    KeyReused,
    /// Too many filings from this client: try again after this many seconds.
    Limited(u64),
}

/// What filing needs of the server.
pub struct Filer<'a> {
    pub store: &'a std::sync::Arc<dyn Store>,
    /// The key tracking codes of retried filings are derived with.
    pub filing_key: &'a [u8],
    pub reply_days: &'a ReplyDays,
    pub notices: &'a std::sync::Arc<Notices>,
    /// This process's limit on a client's filings (a flood stops here).
    pub gate: &'a std::sync::Arc<crate::ratelimit::Limiter>,
    /// The same limit across processes, in the database.
    pub limiter: &'a crate::ratelimit::SharedLimiter,
}

/// Files `case`, already checked as `valid`, for `client`, once per idempotency `key`: a
/// retry of a filing that was made is answered before any limit (a lost receipt can always
/// be fetched again); a new one takes a use of the filing limit, given back unless a case
/// is created.
pub async fn file_case(
    filer: &Filer<'_>,
    case: &api::NewCase,
    valid: ValidCase,
    key: Option<String>,
    client: std::net::IpAddr,
) -> Result<Filed, StoreError> {
    let request_hash = filing::request_hash(case);
    let code = filing::new_tracking_code(key.as_deref(), filer.filing_key);
    let earlier = match &key {
        Some(key) => filer.store.earlier_filing(key, &request_hash).await?,
        None => None,
    };
    let stored = match earlier {
        Some(earlier) => earlier,
        None => {
            let client = crate::client::limit_key(client);
            let gate = match filer.gate.reserve(client, std::time::Instant::now()) {
                Ok(gate) => gate,
                Err(wait) => return Ok(Filed::Limited(wait)),
            };
            let slot = match filer
                .limiter
                .reserve(filer.store, client, crate::clock::now_millis())
                .await?
            {
                Ok(slot) => slot,
                Err(wait) => return Ok(Filed::Limited(wait)),
            };
            let filing = Filing::new(
                valid,
                crate::clock::now(),
                filer.reply_days,
                &code,
                key.map(|key| (key, request_hash)),
            )
            .with_notices(filer.notices.clone());
            let stored = filer.store.file_case(&filing).await?;
            if matches!(stored, storage::Filed::Created(_)) {
                gate.keep();
                slot.keep();
            } else {
                slot.give_back().await;
            }
            stored
        }
    };
    let receipt = |filed: storage::FiledCase| api::CaseReceipt {
        number: filed.number,
        tracking_code: code.clone(),
        status: filed.status,
        submitted_at: crate::clock::rfc3339(filed.submitted_at),
        deadline: filed.deadline,
    };
    Ok(match stored {
        storage::Filed::Created(filed) => Filed::Created(receipt(filed)),
        storage::Filed::Replayed(filed) => Filed::Replayed(receipt(filed)),
        storage::Filed::UnknownPhotos => {
            let mut fields = FieldErrors::new();
            fields.add("photos", FieldErrorCode::UnknownCode, None);
            Filed::Invalid(fields)
        }
        storage::Filed::KeyReused => Filed::KeyReused,
    })
}

/// Checks a staff action's fields and its department against the taxonomy.
pub fn validate_action(action: &StaffAction, meta: &Meta) -> Result<(), FieldErrors> {
    let mut errors = action.validate().err().unwrap_or_default();
    if let StaffAction::Assign { department } | StaffAction::Transfer { department, .. } = action
        && !department.trim().is_empty()
        && !meta.knows(Taxon::Department, department)
    {
        errors.add("department", FieldErrorCode::UnknownCode, None);
    }
    errors.into_result()
}

/// Applies `actor`'s staff action to case `number` at the instant `at`.
pub async fn act(
    store: &dyn Store,
    meta: &Meta,
    notices: &Notices,
    number: &CaseNumber,
    action: &StaffAction,
    at: i64,
    actor: &Actor,
) -> Result<Applied, StoreError> {
    if let Err(errors) = validate_action(action, meta) {
        return Ok(Applied::Invalid(errors));
    }
    let key = CaseKey {
        number,
        owner: None,
    };
    let decided = store
        .change_case(key, &|state| {
            notices.tell(number, state, staff::act(actor, state, action, at))
        })
        .await?;
    Ok(match decided {
        None => Applied::NotFound,
        Some((state, Ok(change))) => {
            let mut result = lifecycle::result(number, &state, &change);
            result.allowed = actor.allowed(result.allowed, change.department.as_deref());
            Applied::Done(result)
        }
        Some((state, Err(Refusal::Illegal(mut illegal)))) => {
            illegal.allowed = actor.allowed(illegal.allowed, state.department.as_deref());
            Applied::Illegal(illegal)
        }
        Some((_, Err(Refusal::Forbidden))) => Applied::Forbidden,
        Some((_, Err(Refusal::NotAllowed))) => {
            return Err(StoreError::Corrupt(
                "a staff action refused without a move".into(),
            ));
        }
    })
}

/// Adds a staff account and answers its token (shown once; only its SHA-256 is stored), or
/// why not, in words for the command line.
pub async fn add_staff(
    store: &dyn Store,
    meta: &Meta,
    name: &str,
    role: &str,
    department: Option<&str>,
    at: i64,
) -> Result<Result<String, String>, StoreError> {
    let account = match staff::new_account(meta, name, role, department, at) {
        Ok(account) => account,
        Err(why) => return Ok(Err(why)),
    };
    let token = staff::new_token();
    let hash = crate::hashing::hex_sha256(token.as_bytes());
    Ok(if store.add_staff(&account, &hash).await? {
        Ok(token)
    } else {
        Err(format!("an account named {} exists", account.name))
    })
}

/// A case as `actor` sees it, or why not.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffView {
    /// The case, its contact, photos, audit trail and what the actor may do.
    Case(Box<api::StaffCase>),
    /// No case has this number.
    NotFound,
    /// The actor's department does not hold the case.
    Forbidden,
}

/// Case `number` as `actor` sees it on `today`.
pub async fn staff_case(
    store: &dyn Store,
    number: &CaseNumber,
    actor: &Actor,
    today: Date,
) -> Result<StaffView, StoreError> {
    let Some(record) = store.staff_case(number).await? else {
        return Ok(StaffView::NotFound);
    };
    let audit = staff::audit(&record.file.events);
    let mut case = crate::presenter::case_detail(record.file, today);
    let holder = case.summary.department.clone();
    if !actor.may_see(holder.as_deref()) {
        return Ok(StaffView::Forbidden);
    }
    let owner = case.owner.take();
    let publication = owner.as_ref().map(|o| o.publication).unwrap_or_default();
    let withheld_reason = owner.as_ref().and_then(|o| o.withheld_reason.clone());
    let contact = owner
        .map(|owner| owner.contact)
        .filter(|c| !c.name.is_empty() || !c.phone.is_empty());
    let mut allowed = api::allowed_actions(case.summary.status, record.extended);
    if publication::reviewable(publication) {
        allowed.push(api::ActionKind::Review);
        allowed.sort();
    }
    let allowed = actor.allowed(allowed, holder.as_deref());
    let personal_details = publication::personal_details(&case);
    Ok(StaffView::Case(Box::new(api::StaffCase {
        case,
        contact,
        photos: record.photos,
        audit,
        allowed,
        publication,
        withheld_reason,
        public_text: record.public_text,
        personal_details,
    })))
}

/// What a review did.
#[derive(Debug, Clone, PartialEq)]
pub enum Reviewed {
    /// Done; the case as the reviewer now sees it.
    Done(Box<api::StaffCase>),
    /// The decision's texts are not valid.
    Invalid(FieldErrors),
    /// No case has this number.
    NotFound,
    /// Only a dispatcher reviews.
    Forbidden,
    /// The case is not awaiting review.
    NotAwaiting,
}

/// `actor`'s review of case `number` at `at`.
pub async fn review(
    store: &dyn Store,
    notices: &Notices,
    number: &CaseNumber,
    decision: &api::ReviewDecision,
    at: i64,
    actor: &Actor,
) -> Result<Reviewed, StoreError> {
    // Only a dispatcher reviews, whatever the body says.
    if !actor.may_act(api::ActionKind::Review, None) {
        return Ok(Reviewed::Forbidden);
    }
    if let Err(errors) = decision.validate() {
        return Ok(Reviewed::Invalid(errors));
    }
    let key = CaseKey {
        number,
        owner: None,
    };
    let decided = store
        .change_case(key, &|state| {
            notices.tell(
                number,
                state,
                publication::review(actor, state, decision, at),
            )
        })
        .await?;
    Ok(match decided {
        None => Reviewed::NotFound,
        Some((_, Err(Refusal::Forbidden))) => Reviewed::Forbidden,
        Some((_, Err(_))) => Reviewed::NotAwaiting,
        Some((_, Ok(_))) => {
            match staff_case(store, number, actor, crate::clock::cst_date(at)).await? {
                StaffView::Case(case) => Reviewed::Done(case),
                StaffView::NotFound => Reviewed::NotFound,
                StaffView::Forbidden => Reviewed::Forbidden,
            }
        }
    })
}

/// The owner's rating of the reply to case `number`, whose tracking code hashes to
/// `tracking_hash`; it closes the case.
pub async fn rate(
    store: &dyn Store,
    notices: &Notices,
    number: &CaseNumber,
    tracking_hash: &str,
    rating: Rating,
    comment: Option<&str>,
    at: i64,
) -> Result<CitizenOutcome, StoreError> {
    let key = CaseKey {
        number,
        owner: Some(tracking_hash),
    };
    let decided = store
        .change_case(key, &|state| {
            notices.tell(number, state, owner::rate(state, rating, comment, at))
        })
        .await?;
    citizen_outcome(store, notices, key, decided.map(|(_, d)| d.is_ok()), at).await
}

/// The owner's follow-up (追问) on case `number`: back to its department, a new deadline.
pub async fn follow_up(
    store: &dyn Store,
    notices: &Notices,
    number: &CaseNumber,
    tracking_hash: &str,
    text: &str,
    at: i64,
    reply_days: &ReplyDays,
) -> Result<CitizenOutcome, StoreError> {
    let key = CaseKey {
        number,
        owner: Some(tracking_hash),
    };
    let decided = store
        .change_case(key, &|state| {
            notices.tell(number, state, owner::follow_up(state, text, at, reply_days))
        })
        .await?;
    citizen_outcome(store, notices, key, decided.map(|(_, d)| d.is_ok()), at).await
}

/// The owner's view after a change (`Some(true)`), or why there is none.
async fn citizen_outcome(
    store: &dyn Store,
    notices: &Notices,
    key: CaseKey<'_>,
    changed: Option<bool>,
    at: i64,
) -> Result<CitizenOutcome, StoreError> {
    match changed {
        None => Ok(CitizenOutcome::NoMatch),
        Some(false) => Ok(CitizenOutcome::NotAllowed),
        Some(true) => {
            let today = crate::clock::cst_date(at);
            let owner = key.owner.unwrap_or_default();
            match owner_case(store, notices, key.number, owner, today).await? {
                Some(detail) => Ok(CitizenOutcome::Done(Box::new(detail))),
                None => Ok(CitizenOutcome::NoMatch),
            }
        }
    }
}

/// What anyone with the number sees of case `number` (see [`publication::public_view`]).
pub async fn public_case(
    store: &dyn Store,
    number: &CaseNumber,
    today: Date,
) -> Result<Option<CaseDetail>, StoreError> {
    Ok(store
        .case_detail(number, None)
        .await?
        .map(|file| publication::public_view(crate::presenter::case_detail(file, today))))
}

/// What the owner sees of their case, when `tracking_hash` is its code's hash: texts are
/// "on" only while this server sends them.
pub async fn owner_case(
    store: &dyn Store,
    notices: &Notices,
    number: &CaseNumber,
    tracking_hash: &str,
    today: Date,
) -> Result<Option<CaseDetail>, StoreError> {
    let mut detail = store
        .case_detail(number, Some(tracking_hash))
        .await?
        .map(|file| crate::presenter::case_detail(file, today));
    if let Some(owner) = detail.as_mut().and_then(|d| d.owner.as_mut()) {
        owner.texts &= notices.texts;
    }
    Ok(detail)
}

/// Closes, at `at`, every replied case whose reply was given before `replied_before` and
/// never rated; returns their numbers. Each case is closed in its own transaction by the
/// rule, which checks again that it is still due (a rating may have come in meanwhile).
pub async fn auto_close(
    store: &dyn Store,
    notices: &Notices,
    replied_before: i64,
    at: i64,
) -> Result<Vec<CaseNumber>, StoreError> {
    let mut closed = Vec::new();
    for number in store.unrated_replies(replied_before).await? {
        let key = CaseKey {
            number: &number,
            owner: None,
        };
        let decided = store
            .change_case(key, &|state| {
                notices.tell(
                    &number,
                    state,
                    lifecycle::auto_close(state, replied_before, at),
                )
            })
            .await?;
        if matches!(decided, Some((_, Ok(_)))) {
            closed.push(number);
        }
    }
    Ok(closed)
}

/// The lease that makes housekeeping run in one process at a time.
pub const HOUSEKEEPING_LEASE: &str = "housekeeping";
/// How long a process holds housekeeping at most: if it dies midway, another takes over at
/// its next round after this (rounds are hourly; one takes seconds).
pub const HOUSEKEEPING_LEASE_SECONDS: i64 = 15 * 60;

/// What a round of housekeeping sets.
#[derive(Debug, Clone, Copy)]
pub struct Housekeeping {
    /// A reply unrated this long closes.
    pub rating_period_seconds: i64,
    /// An upload no case claimed this long is deleted.
    pub upload_seconds: i64,
    /// Uses of a per-client limit older than this are forgotten (the longest window).
    pub limit_window_ms: i64,
}

/// What a round of housekeeping did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Housekept {
    /// Uploads deleted, no case having claimed them.
    pub expired_uploads: u64,
    /// Cases closed, their reply unrated.
    pub closed: Vec<CaseNumber>,
    /// Uses of per-client limits forgotten.
    pub forgotten_uses: u64,
    /// Messages deleted from the outbox 30 days on (delivered, and dead or never sent).
    pub forgotten_messages: crate::storage::ForgottenMessages,
}

/// How long a message stays in the outbox, delivered or not (its body may hold a phone
/// number): from its delivery, or from its writing when it was never delivered.
pub const OUTBOX_KEPT_SECONDS: i64 = 30 * 86_400;

/// A round of housekeeping at `now` by the process `holder`, when no other process is
/// running one (`None` then): expire unclaimed uploads, close unrated replies, forget old
/// limit uses. Each case still closes in its own transaction by the rule, so even two
/// rounds at once could not close one twice.
pub async fn housekeep(
    store: &dyn Store,
    notices: &Notices,
    holder: &str,
    now: i64,
    rules: Housekeeping,
) -> Result<Option<Housekept>, StoreError> {
    let until = now + HOUSEKEEPING_LEASE_SECONDS;
    if !store
        .take_lease(HOUSEKEEPING_LEASE, holder, now, until)
        .await?
    {
        return Ok(None);
    }
    let round = async {
        Ok::<_, StoreError>(Housekept {
            expired_uploads: store.expire_uploads(now - rules.upload_seconds).await?,
            closed: auto_close(store, notices, now - rules.rating_period_seconds, now).await?,
            forgotten_uses: store
                .forget_uses(now.saturating_mul(1000) - rules.limit_window_ms)
                .await?,
            forgotten_messages: store
                .forget_messages((now - OUTBOX_KEPT_SECONDS).saturating_mul(1000))
                .await?,
        })
    }
    .await;
    // Given up either way; if that fails (or the process dies here) it expires. The round's
    // own outcome is what is answered.
    if let Err(error) = store.release_lease(HOUSEKEEPING_LEASE, holder).await {
        tracing::warn!(
            ?error,
            "could not give the housekeeping lease up; it will expire"
        );
    }
    round.map(Some)
}
