//! Deterministic demo data: the same seed and anchor day always give the same cases,
//! documents and announcements, in both languages, realistic for Chengdu. The same
//! generator makes the large data sets the benchmarks need (`civic-server demo --cases N`).

mod content;

use api::{
    Announcement, AnnouncementSummary, Block, CaseKind, CaseNumber, CaseStatus, ContentLanguage,
    Document, DocumentSummary, DocumentType, Validity,
};

use time::{Date, Duration};

use crate::clock;
use crate::rules::ReplyDays;
use crate::storage::{CaseRecord, EventRecord, Store, StoreError};
use crate::taxonomy;

/// The account the demo's staff moves are recorded under.
const DEMO_ACTOR: &str = "demo";

/// The staff action that moves a demo case into `status`.
fn demo_action(status: CaseStatus) -> Option<api::ActionKind> {
    use api::ActionKind as A;
    match status {
        CaseStatus::Accepted => Some(A::Accept),
        CaseStatus::Rejected => Some(A::Reject),
        CaseStatus::Assigned => Some(A::Assign),
        CaseStatus::InProgress => Some(A::Start),
        CaseStatus::Replied => Some(A::Reply),
        // A demo case closes by its rating or when the rating period ends: the resident's
        // move or the system's, not staff's.
        CaseStatus::Submitted | CaseStatus::Closed => None,
    }
}

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    /// Cases, spread over the days before the anchor.
    pub cases: usize,
    /// Policy documents.
    pub documents: usize,
    /// Announcements.
    pub announcements: usize,
}

impl Default for DemoSize {
    /// What `make run` shows: 300 cases, 120 documents, 60 announcements.
    fn default() -> Self {
        Self {
            cases: 300,
            documents: 120,
            announcements: 60,
        }
    }
}

/// A small deterministic generator (SplitMix64): demo data must not change between runs
/// or machines, and needs no cryptographic quality.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// An element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "胡", "郭", "何",
];
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华",
    "小红",
];

fn kind_for(category: &str, rng: &mut Rng) -> CaseKind {
    match category {
        "services.conduct" => CaseKind::Praise,
        "housing.provident"
        | "education.enrolment"
        | "health.insurance"
        | "social.pension"
        | "social.employment" => CaseKind::Consultation,
        "social.assistance" | "social.wages" => CaseKind::Help,
        "safety.fraud" | "urban.building" | "market.food" => CaseKind::Report,
        "transport.bus" | "services.procedures" => CaseKind::Suggestion,
        _ => {
            if rng.chance(80) {
                CaseKind::Complaint
            } else {
                CaseKind::Suggestion
            }
        }
    }
}

/// Generates `count` cases filed over the days up to the instant `now` (120 days for a demo,
/// three years for a benchmark set) and stores them in batches of at most `batch`, oldest first.
pub async fn generate_cases(
    store: &dyn Store,
    seed: u64,
    now: i64,
    count: usize,
    batch: usize,
) -> Result<(), StoreError> {
    let mut rng = Rng::new(seed);
    let span_days = if count <= 1000 { 120 } else { 3 * 365 };
    let anchor = clock::cst_date(now);
    let start = clock::start_of_day(anchor - Duration::days(span_days - 1));
    let end = now;
    let step = (end - start) as f64 / count.max(1) as f64;
    let mut buffer = Vec::with_capacity(batch.min(count));
    let mut day = None;
    let mut sequence = 0;
    for index in 0..count {
        // Spread cases evenly over the span, with jitter inside each slot, during 7:00-23:00.
        let slot = start + (index as f64 * step) as i64;
        let jitter = (rng.next_u64() % step.max(1.0) as u64) as i64;
        let mut submitted_at = slot + jitter;
        let seconds_of_day = (submitted_at - start).rem_euclid(86_400);
        if seconds_of_day < 7 * 3600 {
            submitted_at += 7 * 3600;
        }
        let submitted_at = submitted_at.min(now - 600);
        let date = clock::cst_date(submitted_at);
        if day != Some(date) {
            day = Some(date);
            sequence = 0;
        }
        sequence += 1;
        let case = make_case(
            &mut rng,
            date,
            sequence,
            submitted_at,
            now,
            count - 1 - index,
        );
        buffer.push(case);
        if buffer.len() == batch {
            store.insert_cases(&buffer).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        store.insert_cases(&buffer).await?;
    }
    Ok(())
}

/// The default rating period: a reply unrated for this long closes by itself.
const RATING_PERIOD_SECONDS: i64 = 7 * 86_400;

/// `from_end` counts back from the newest case: the newest two are always published and
/// still fresh (submitted, accepted), so a demo shows every status whatever the day.
fn make_case(
    rng: &mut Rng,
    date: Date,
    sequence: u32,
    submitted_at: i64,
    now: i64,
    from_end: usize,
) -> CaseRecord {
    let english = rng.chance(3);
    let (category, title, description, reply) = if english {
        *rng.pick(content::ENGLISH_CASES)
    } else {
        *rng.pick(content::CASES)
    };
    let (district, places) = rng.pick(content::PLACES);
    let place = *rng.pick(places);
    let kind = kind_for(category, rng);
    let department = taxonomy::default_department(category).unwrap_or("governance");
    let description = if english {
        format!("Near {place}: {description}")
    } else {
        format!("{place}{description}")
    };
    let age_days = (now - submitted_at) / 86_400;
    let hours = |n: i64| n * 3600;

    // Older cases have gone further: decide how far this one got.
    let rejected = from_end > 1 && rng.chance(5);
    let stage = match age_days {
        _ if from_end < 2 => from_end,
        0 => rng.below(3),
        1..=3 => 1 + rng.below(3),
        4..=10 => 2 + rng.below(3),
        11..=20 => 3 + rng.below(3),
        _ => 4 + rng.below(2),
    }
    .min(5);
    let deadline = clock::add_working_days(
        clock::cst_date(submitted_at),
        ReplyDays::default().days(kind),
    );
    let deadline_passed_at = clock::start_of_day(deadline) + 86_400;

    let mut events = vec![EventRecord {
        at: submitted_at,
        status: CaseStatus::Submitted,
        department: None,
        note: None,
        rating: None,
        follow_up: false,
        action: None,
        actor: None,
    }];
    let mut status = CaseStatus::Submitted;
    let mut assigned = None;
    let mut reply_record = None;
    let mut at = submitted_at;
    let mut step_to = |status_now: CaseStatus,
                       after: i64,
                       dep: Option<&str>,
                       note: Option<String>,
                       events: &mut Vec<EventRecord>| {
        at = (at + after).min(now - 60);
        events.push(EventRecord {
            at,
            status: status_now,
            department: dep.map(str::to_owned),
            note,
            rating: None,
            follow_up: false,
            action: demo_action(status_now),
            actor: demo_action(status_now).map(|_| DEMO_ACTOR.to_owned()),
        });
        at
    };
    if stage >= 1 {
        if rejected {
            let note = if english {
                "This matter is being handled through judicial proceedings and cannot be accepted here."
            } else {
                "该事项已进入司法程序，不属于本平台受理范围，请依法通过司法途径解决。"
            };
            step_to(
                CaseStatus::Rejected,
                hours(2),
                None,
                Some(note.to_owned()),
                &mut events,
            );
            status = CaseStatus::Rejected;
        } else {
            step_to(
                CaseStatus::Accepted,
                hours(1 + rng.below(3) as i64),
                None,
                None,
                &mut events,
            );
            status = CaseStatus::Accepted;
        }
    }
    if !rejected && stage >= 2 {
        step_to(
            CaseStatus::Assigned,
            hours(2 + rng.below(6) as i64),
            Some(department),
            None,
            &mut events,
        );
        status = CaseStatus::Assigned;
        assigned = Some(department.to_owned());
    }
    if !rejected && stage >= 3 {
        step_to(
            CaseStatus::InProgress,
            hours(12 + rng.below(24) as i64),
            Some(department),
            None,
            &mut events,
        );
        status = CaseStatus::InProgress;
    }
    // One case in eight that is still open has run past its deadline.
    let overdue = stage == 3 && now > deadline_passed_at && rng.chance(12);
    if !rejected && stage >= 4 && !overdue {
        let reply_at = step_to(
            CaseStatus::Replied,
            hours(24 + rng.below(72) as i64),
            Some(department),
            None,
            &mut events,
        );
        status = CaseStatus::Replied;
        reply_record = Some((reply_at, department.to_owned(), reply.to_owned()));
    }
    // A reply older than the rating period was rated or closed by the system by now (as the
    // server's housekeeping would), so a fresh demo database starts settled.
    let rating_period_over = reply_record
        .as_ref()
        .is_some_and(|(at, _, _)| now - at > RATING_PERIOD_SECONDS);
    if !rejected && stage < 5 && rating_period_over && !overdue {
        step_to(
            CaseStatus::Closed,
            RATING_PERIOD_SECONDS,
            Some(department),
            Some(crate::domain::lifecycle::AUTO_CLOSE_NOTE.to_owned()),
            &mut events,
        );
        status = CaseStatus::Closed;
    }
    if !rejected && stage >= 5 && !overdue {
        // Most residents rate the reply; the rest are closed when the rating period ends.
        let rating = match rng.below(6) {
            0..=2 => Some(api::Rating::Satisfied),
            3 => Some(api::Rating::BasicallySatisfied),
            4 => Some(api::Rating::Dissatisfied),
            _ => None,
        };
        let note = rating
            .is_none()
            .then(|| crate::domain::lifecycle::AUTO_CLOSE_NOTE.to_owned());
        step_to(
            CaseStatus::Closed,
            hours(24 + rng.below(72) as i64),
            Some(department),
            note,
            &mut events,
        );
        if let Some(last) = events.last_mut() {
            last.rating = rating;
        }
        status = CaseStatus::Closed;
    }
    let anonymous = rng.chance(8);
    let contact = (!anonymous).then(|| {
        let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES));
        let phone = format!("1{}{:09}", 3 + rng.below(7), rng.next_u64() % 1_000_000_000);
        (name, phone)
    });
    let tracking_code = format!("demo-{:016x}", rng.next_u64());
    CaseRecord {
        number: CaseNumber::from_parts(&clock::compact_date(date), sequence)
            .expect("generated case numbers are well formed"),
        kind,
        category: category.to_owned(),
        district: (*district).to_owned(),
        place: place.to_owned(),
        coordinates: None,
        title: title.to_owned(),
        description,
        status,
        department: assigned,
        // Three in four residents agree to publish; the centre has reviewed (and published)
        // all but a few of the newest cases a little way from the end.
        publication: match (from_end < 2 || rng.chance(75), from_end) {
            (false, _) => api::PublicationState::Private,
            (true, 2..=7) => api::PublicationState::AwaitingReview,
            (true, _) => api::PublicationState::Published,
        },
        contact,
        submitted_at,
        deadline: (stage >= 1 && !rejected).then_some(deadline),
        reply: reply_record,
        events,
        tracking_hash: crate::hashing::hex_sha256(tracking_code.as_bytes()),
        extras: Default::default(),
    }
}

fn body_zh(topic: &str, what: &str, rng: &mut Rng) -> Vec<Block> {
    let measures = [
        format!("健全{topic}工作协调机制，明确各区（市）县和部门职责。"),
        format!("推进{topic}领域“一网通办”，压减办理时限和申请材料。"),
        format!("依托12345热线和网络理政平台，及时回应市民关于{topic}的诉求。"),
        format!("加强{topic}领域监督检查，对群众反映集中的问题开展专项整治。"),
        format!("完善{topic}信息公开，主动公开政策文件和办理结果。"),
    ];
    let start = rng.below(measures.len());
    vec![
        Block::paragraph(format!(
            "为进一步做好{topic}工作，提升市民获得感和满意度，根据有关法律法规，结合我市实际，制定本{what}。"
        )),
        Block::Heading {
            text: "一、总体要求".into(),
        },
        Block::paragraph(format!(
            "坚持以人民为中心，聚焦市民关心的{topic}问题，到2028年基本建成覆盖全域、便捷高效的{topic}服务体系。"
        )),
        Block::Heading {
            text: "二、主要措施".into(),
        },
        Block::List {
            ordered: true,
            items: (0..3)
                .map(|i| measures[(start + i) % measures.len()].clone())
                .collect(),
        },
        Block::Heading {
            text: "三、办理时限".into(),
        },
        Block::Table {
            head: vec!["事项".into(), "办理时限".into()],
            rows: vec![
                vec!["咨询".into(), "5个工作日".into()],
                vec!["投诉".into(), "3个工作日".into()],
                vec!["求助".into(), "5个工作日".into()],
            ],
        },
        Block::Paragraph {
            text: "办理进度可在本平台“查询诉求”中查看。".into(),
            links: vec![api::Link {
                start: 10,
                end: 14,
                href: "/track".into(),
            }],
        },
        Block::Heading {
            text: "四、保障措施".into(),
        },
        Block::paragraph(
            "各责任单位要加强组织领导，落实工作经费，定期报送工作进展。市网络理政办公室对落实情况进行督查通报。",
        ),
    ]
}

fn body_en(topic: &str) -> Vec<Block> {
    vec![
        Block::paragraph(format!(
            "This guide explains, for international residents of Chengdu, how to use public services for {topic}."
        )),
        Block::Heading {
            text: "Who can apply".into(),
        },
        Block::paragraph("Anyone living in Chengdu with a valid passport and residence permit."),
        Block::Heading {
            text: "How to get help".into(),
        },
        Block::List {
            ordered: false,
            items: vec![
                "Call the 12345 hotline and press 8 for English.".into(),
                "File a case on this platform in English.".into(),
                "Visit the nearest government service centre.".into(),
            ],
        },
    ]
}

/// Generates `count` documents: policies of every type, some amended or repealed by later
/// ones, interpretations linked to the documents they explain, and guides in English.
pub fn generate_documents(seed: u64, anchor: Date, count: usize) -> Vec<Document> {
    let mut rng = Rng::new(seed ^ 0xD0C5);
    let mut documents: Vec<Document> = Vec::with_capacity(count);
    // The newest regulation or normative document (what an interpretation explains), and
    // the newest one of each type and topic (what a new one may replace): kept as we go,
    // so generating 100,000 documents takes no longer than it should.
    let mut newest_rule: Option<usize> = None;
    let mut newest_of: std::collections::HashMap<(DocumentType, &str), usize> =
        std::collections::HashMap::new();
    // Oldest first, so that a later document can replace or interpret an earlier one.
    for index in 0..count {
        let id = index as i64 + 1;
        let days_back = ((count - index) as i64 * 1400) / count.max(1) as i64;
        let issued = anchor - Duration::days(days_back + 3);
        let published = issued + Duration::days(1 + rng.below(5) as i64);
        let year = issued.year();
        let (topic, topic_zh, topic_en, agency) = *rng.pick(content::TOPICS);
        let serial = 1 + rng.below(60);
        let mut interprets = None;
        let (doc_type, title, number, language, body) = if index % 12 == 11 {
            (
                DocumentType::Notice,
                format!(
                    "Guide for International Residents: {}",
                    capitalise(topic_en)
                ),
                None,
                ContentLanguage::En,
                body_en(topic_en),
            )
        } else if index % 6 == 5 {
            // Interpret the latest normative document or regulation so far.
            let target = newest_rule.map(|at| &documents[at]);
            match target {
                Some(target) => {
                    interprets = Some(target.summary.id);
                    (
                        DocumentType::Interpretation,
                        format!("《{}》政策解读", target.summary.title),
                        None,
                        ContentLanguage::ZhCn,
                        body_zh(topic_zh, "解读", &mut rng),
                    )
                }
                None => (
                    DocumentType::Notice,
                    format!("关于做好{year}年{topic_zh}有关工作的通知"),
                    Some(format!("成办发〔{year}〕{serial}号")),
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "通知", &mut rng),
                ),
            }
        } else {
            match rng.below(5) {
                0 => (
                    DocumentType::Regulation,
                    format!("成都市{topic_zh}管理办法"),
                    Some(format!("成府令第{}号", 200 + index)),
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "办法", &mut rng),
                ),
                1 => (
                    DocumentType::Normative,
                    format!("关于进一步加强{topic_zh}工作的实施意见"),
                    Some(format!("成府发〔{year}〕{serial}号")),
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "意见", &mut rng),
                ),
                2 => (
                    DocumentType::Plan,
                    format!("成都市{topic_zh}三年行动计划（{year}—{}年）", year + 2),
                    Some(format!("成办函〔{year}〕{serial}号")),
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "计划", &mut rng),
                ),
                3 => (
                    DocumentType::Report,
                    format!("{}年{topic_zh}工作情况报告", year - 1),
                    None,
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "报告", &mut rng),
                ),
                _ => (
                    DocumentType::Notice,
                    format!("关于做好{year}年{topic_zh}有关工作的通知"),
                    Some(format!("成办发〔{year}〕{serial}号")),
                    ContentLanguage::ZhCn,
                    body_zh(topic_zh, "通知", &mut rng),
                ),
            }
        };
        // A new regulation or normative document on a topic sometimes replaces the previous one.
        let rule = matches!(doc_type, DocumentType::Regulation | DocumentType::Normative);
        if rule
            && rng.chance(35)
            && let Some(old) = newest_of
                .get(&(doc_type, topic))
                .map(|at| &mut documents[*at])
                .filter(|d| d.summary.validity == Validity::Effective)
        {
            old.summary.validity = if rng.chance(50) {
                Validity::Repealed
            } else {
                Validity::Amended
            };
            old.replaced_by = Some(id);
        }
        documents.push(Document {
            summary: DocumentSummary {
                id,
                title,
                number,
                agency: agency.to_owned(),
                doc_type,
                topic: topic.to_owned(),
                issued_on: clock::iso_date(issued),
                published_on: clock::iso_date(published.min(anchor)),
                validity: Validity::Effective,
                language,
                highlight: None,
            },
            effective_on: matches!(doc_type, DocumentType::Regulation | DocumentType::Normative)
                .then(|| clock::iso_date(issued + Duration::days(30))),
            replaced_by: None,
            interprets,
            interpretations: Vec::new(),
            replaces: Vec::new(),
            body,
            attachments: Vec::new(),
        });
        if rule {
            newest_rule = Some(documents.len() - 1);
            newest_of.insert((doc_type, topic), documents.len() - 1);
        }
    }
    documents
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Generates `count` announcements over the year before `anchor`, published in office
/// hours, the three latest of them pinned.
pub fn generate_announcements(seed: u64, anchor: Date, count: usize) -> Vec<Announcement> {
    let mut rng = Rng::new(seed ^ 0xA770);
    (0..count)
        .map(|index| {
            let id = index as i64 + 1;
            let days_back = ((count - index) as i64 * 365) / count.max(1) as i64;
            let date = anchor - Duration::days(days_back);
            let published_at = clock::start_of_day(date) + (9 + rng.below(8) as i64) * 3600;
            let (month, day) = (u8::from(date.month()), date.day());
            let (_, topic_zh, topic_en, agency) = *rng.pick(content::TOPICS);
            let (district, places) = rng.pick(content::PLACES);
            let place = *rng.pick(places);
            let pinned = index >= count.saturating_sub(3);
            let (title, language, body, agency) = if pinned {
                match count - index {
                    3 => ("关于12345热线服务时间的公告".to_owned(), ContentLanguage::ZhCn, vec![
                        Block::paragraph("12345热线全天24小时受理市民诉求，网络理政平台随时可以提交和查询。"),
                        Block::paragraph("紧急情况请拨打110、119、120、122。"),
                    ], "governance"),
                    2 => ("Filing and tracking a case in English".to_owned(), ContentLanguage::En, vec![
                        Block::paragraph("International residents can file suggestions, complaints and requests for help in English, and track them with their case number."),
                        Block::List { ordered: true, items: vec!["Choose “File a case”.".into(), "Describe the matter and the place.".into(), "Keep your case number and tracking code.".into()] },
                    ], "governance"),
                    _ => ("成都市网络理政平台使用指南".to_owned(), ContentLanguage::ZhCn, vec![
                        Block::Heading { text: "如何提交诉求".into() },
                        Block::paragraph("选择诉求类型和所属类别，填写地点和具体情况，可上传照片。提交后请保存诉求编号和查询码。"),
                        Block::Heading { text: "如何查询办理进度".into() },
                        Block::paragraph("在“查询诉求”中输入诉求编号即可查看办理进度和答复。"),
                    ], "governance"),
                }
            } else {
                match rng.below(5) {
                    0 => (format!("关于{month}月{day}日{place}周边临时停水的通知"), ContentLanguage::ZhCn, vec![
                        Block::paragraph(format!("因供水管网改造，{month}月{day}日9:00至18:00，{place}周边区域将暂停供水，请提前做好储水准备。")),
                    ], "water"),
                    1 => (format!("{}年{topic_zh}专项检查结果公示", date.year()), ContentLanguage::ZhCn, vec![
                        Block::paragraph(format!("根据年度工作安排，我市开展了{topic_zh}专项检查，现将检查结果予以公示。")),
                        Block::List { ordered: false, items: vec!["检查单位：126家".into(), "发现问题：37个".into(), "已整改：35个".into()] },
                    ], agency),
                    2 => (format!("关于开展{topic_zh}市民满意度调查的公告"), ContentLanguage::ZhCn, vec![
                        Block::paragraph(format!("为了解市民对{topic_zh}工作的意见和建议，现开展满意度调查，欢迎市民通过本平台或12345热线参与。")),
                    ], agency),
                    3 => (format!("12345热线{month}月诉求办理情况通报"), ContentLanguage::ZhCn, vec![
                        Block::paragraph(format!("{month}月，12345热线及网络理政平台共受理市民诉求，按时办结率和满意率保持稳定。现将有关情况通报如下。")),
                    ], "governance"),
                    _ => (format!("Notice on {topic_en} services for international residents"), ContentLanguage::En, vec![
                        Block::paragraph(format!("Services for {topic_en} in {district} are available in English at the local government service centre on weekdays.")),
                    ], agency),
                }
            };
            Announcement {
                summary: AnnouncementSummary {
                    id,
                    title,
                    agency: agency.to_owned(),
                    published_at: clock::rfc3339(published_at),
                    pinned,
                    language,
                    highlight: None,
                },
                body,
            }
        })
        .collect()
}

/// Seeds an empty database with demo data of `size`, as it would stand at the instant `now`.
pub async fn seed(store: &dyn Store, size: DemoSize, now: i64) -> Result<(), StoreError> {
    const SEED: u64 = 2016;
    let anchor = clock::cst_date(now);
    let documents = generate_documents(SEED, anchor, size.documents);
    store.insert_documents(&documents).await?;
    // Every fifth document of a demo comes with files (not the benchmark's 100,000).
    if size.documents <= 1_000 {
        for document in documents.iter().filter(|d| d.summary.id % 5 == 0) {
            for (name, media_type, bytes) in demo_attachments(&document.summary) {
                store
                    .add_attachment(document.summary.id, &name, media_type, &bytes)
                    .await?;
            }
        }
    }
    store
        .insert_announcements(&generate_announcements(SEED, anchor, size.announcements))
        .await?;
    generate_cases(store, SEED, now, size.cases, 5_000).await
}

/// A demo document's files: a CSV table, and for Chinese documents a one-page PDF.
fn demo_attachments(summary: &api::DocumentSummary) -> Vec<(String, &'static str, Vec<u8>)> {
    let mut files = vec![(
        format!("附件1：{}办理名单.csv", summary.id),
        "text/csv",
        format!(
            "\u{feff}序号,街道,办理窗口,电话\n1,玉林街道,便民服务中心,028-12345\n2,{}号文件,政务服务中心,12345\n",
            summary.id
        )
        .into_bytes(),
    )];
    if summary.language == api::ContentLanguage::ZhCn {
        files.push((
            "附件2：申请表.pdf".to_owned(),
            "application/pdf",
            minimal_pdf(&format!("Civic demo attachment, document {}", summary.id)),
        ));
    }
    files
}

/// A valid one-page PDF showing `text` (ASCII), with a correct cross-reference table.
fn minimal_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).into_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

/// Opens the database at `url`, installs the taxonomy and seeds it with demo data of
/// `size`; refuses a database that already holds data.
pub async fn seed_new_database(url: &str, size: DemoSize) -> Result<(), String> {
    let store = crate::storage::open(url).await.map_err(|e| e.to_string())?;
    store
        .install_taxonomy(&crate::taxonomy::chengdu())
        .await
        .map_err(|e| e.to_string())?;
    if !store.is_empty().await.map_err(|e| e.to_string())? {
        return Err("the database already holds data; use a new file".into());
    }
    seed(store.as_ref(), size, clock::now())
        .await
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_generator_is_deterministic() {
        let a = generate_documents(7, date!(2026 - 11 - 26), 40);
        let b = generate_documents(7, date!(2026 - 11 - 26), 40);
        assert_eq!(a, b);
        let a = generate_announcements(7, date!(2026 - 11 - 26), 20);
        let b = generate_announcements(7, date!(2026 - 11 - 26), 20);
        assert_eq!(a, b);
    }

    #[test]
    fn documents_link_to_what_replaced_or_is_interpreted_by_them() {
        let documents = generate_documents(2016, date!(2026 - 11 - 26), 120);
        let replaced: Vec<_> = documents
            .iter()
            .filter(|d| d.replaced_by.is_some())
            .collect();
        assert!(
            replaced
                .iter()
                .any(|d| d.summary.validity == Validity::Repealed)
        );
        assert!(
            replaced
                .iter()
                .any(|d| d.summary.validity == Validity::Amended)
        );
        for document in &documents {
            if let Some(newer) = document.replaced_by {
                assert!(newer > document.summary.id, "replaced by a later document");
            }
            if let Some(target) = document.interprets {
                assert!(documents.iter().any(|d| d.summary.id == target));
            }
        }
        assert!(documents.iter().any(|d| d.interprets.is_some()));
        assert!(
            documents
                .iter()
                .any(|d| d.summary.language == ContentLanguage::En)
        );
    }

    #[test]
    fn every_category_template_names_a_known_category_and_district() {
        let taxonomy = taxonomy::chengdu();
        for (category, ..) in content::CASES.iter().chain(content::ENGLISH_CASES) {
            assert!(
                taxonomy.categories.iter().any(|c| c.code == *category),
                "{category}"
            );
        }
        for (district, _) in content::PLACES {
            assert!(
                taxonomy.districts.iter().any(|d| d.code == *district),
                "{district}"
            );
        }
        assert_eq!(content::PLACES.len(), taxonomy.districts.len());
    }
}
