//! Chengdu's reference taxonomy: the divisions, departments and case categories that a new
//! database starts with. A city adopting Civic replaces this module's data with its own.

use api::{CaseKind, CaseStatus, Category, KindTerm, LocalizedText, Meta, StatusTerm, Term};

/// The taxonomy tables as installed in a fresh database.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    /// District- and county-level divisions, then the functional zones the hotline also routes to.
    pub districts: Vec<Term>,
    /// Municipal departments.
    pub departments: Vec<Term>,
    /// Category groups, each followed by its children.
    pub categories: Vec<Category>,
}

/// Chengdu's twelve districts, five county-level cities and three counties, followed by the
/// three functional zones (高新区, 天府新区, 东部新区) that 12345 routes cases to as if they
/// were districts.
const DISTRICTS: &[(&str, &str, &str)] = &[
    ("jinjiang", "锦江区", "Jinjiang District"),
    ("qingyang", "青羊区", "Qingyang District"),
    ("jinniu", "金牛区", "Jinniu District"),
    ("wuhou", "武侯区", "Wuhou District"),
    ("chenghua", "成华区", "Chenghua District"),
    ("longquanyi", "龙泉驿区", "Longquanyi District"),
    ("qingbaijiang", "青白江区", "Qingbaijiang District"),
    ("xindu", "新都区", "Xindu District"),
    ("wenjiang", "温江区", "Wenjiang District"),
    ("shuangliu", "双流区", "Shuangliu District"),
    ("pidu", "郫都区", "Pidu District"),
    ("xinjin", "新津区", "Xinjin District"),
    ("jianyang", "简阳市", "Jianyang City"),
    ("dujiangyan", "都江堰市", "Dujiangyan City"),
    ("pengzhou", "彭州市", "Pengzhou City"),
    ("qionglai", "邛崃市", "Qionglai City"),
    ("chongzhou", "崇州市", "Chongzhou City"),
    ("jintang", "金堂县", "Jintang County"),
    ("dayi", "大邑县", "Dayi County"),
    ("pujiang", "蒲江县", "Pujiang County"),
    ("gaoxin", "成都高新区", "Chengdu Hi-tech Zone"),
    ("tianfu", "四川天府新区成都直管区", "Tianfu New Area"),
    ("dongbu", "成都东部新区", "Chengdu Eastern New Area"),
];

const DEPARTMENTS: &[(&str, &str, &str)] = &[
    (
        "office",
        "市政府办公厅",
        "General Office of the Municipal Government",
    ),
    (
        "governance",
        "市网络理政办公室",
        "Office of Network Governance",
    ),
    (
        "development",
        "市发展和改革委员会",
        "Development and Reform Commission",
    ),
    ("education", "市教育局", "Education Bureau"),
    ("science", "市科学技术局", "Science and Technology Bureau"),
    (
        "economy",
        "市经济和信息化局",
        "Economy and Information Technology Bureau",
    ),
    ("police", "市公安局", "Public Security Bureau"),
    (
        "traffic_police",
        "市公安局交通管理局",
        "Traffic Management Bureau",
    ),
    ("civil_affairs", "市民政局", "Civil Affairs Bureau"),
    ("justice", "市司法局", "Justice Bureau"),
    ("finance", "市财政局", "Finance Bureau"),
    (
        "hrss",
        "市人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
    ),
    (
        "planning",
        "市规划和自然资源局",
        "Planning and Natural Resources Bureau",
    ),
    ("ecology", "市生态环境局", "Ecology and Environment Bureau"),
    (
        "housing",
        "市住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
    ),
    ("urban", "市城市管理委员会", "Urban Management Commission"),
    (
        "park_city",
        "市公园城市建设和城市更新局",
        "Park City Construction and Urban Renewal Bureau",
    ),
    ("transport", "市交通运输局", "Transport Bureau"),
    ("water", "市水务局", "Water Authority"),
    (
        "agriculture",
        "市农业农村局",
        "Agriculture and Rural Affairs Bureau",
    ),
    ("commerce", "市商务局", "Commerce Bureau"),
    (
        "culture",
        "市文化广电旅游局",
        "Culture, Radio, Television and Tourism Bureau",
    ),
    ("health", "市卫生健康委员会", "Health Commission"),
    (
        "medical_insurance",
        "市医疗保障局",
        "Healthcare Security Administration",
    ),
    ("veterans", "市退役军人事务局", "Veterans Affairs Bureau"),
    ("emergency", "市应急管理局", "Emergency Management Bureau"),
    (
        "market",
        "市市场监督管理局",
        "Market Regulation Administration",
    ),
    ("sports", "市体育局", "Sports Bureau"),
    ("statistics", "市统计局", "Statistics Bureau"),
    (
        "provident_fund",
        "成都住房公积金管理中心",
        "Housing Provident Fund Management Centre",
    ),
];

/// A child category: code (after the group's), Chinese name, English name, and the
/// department that usually handles it.
pub type ChildCategory = (&'static str, &'static str, &'static str, &'static str);

/// A category group: code, Chinese name, English name, children.
pub type CategoryGroup = (
    &'static str,
    &'static str,
    &'static str,
    &'static [ChildCategory],
);

/// Category groups with their children; each child names the department that usually
/// handles it, which the demo generator uses for assignments.
pub const CATEGORIES: &[CategoryGroup] = &[
    (
        "transport",
        "道路交通",
        "Roads and transport",
        &[
            ("roads", "道路维修", "Road repairs", "transport"),
            ("bus", "公交地铁", "Buses and metro", "transport"),
            ("parking", "停车管理", "Parking", "traffic_police"),
            ("traffic", "交通秩序", "Traffic order", "traffic_police"),
        ],
    ),
    (
        "environment",
        "生态环境",
        "Environment and noise",
        &[
            ("noise", "噪音扰民", "Noise", "ecology"),
            ("air", "大气污染", "Air pollution", "ecology"),
            ("water", "水体污染", "Water pollution", "ecology"),
            ("waste", "垃圾分类", "Waste and recycling", "urban"),
        ],
    ),
    (
        "housing",
        "住房物业",
        "Housing and property management",
        &[
            ("property", "物业服务", "Property management", "housing"),
            ("quality", "房屋质量", "Building quality", "housing"),
            (
                "provident",
                "住房公积金",
                "Housing provident fund",
                "provident_fund",
            ),
            ("rental", "房屋租赁", "Renting", "housing"),
        ],
    ),
    (
        "education",
        "教育",
        "Education",
        &[
            ("enrolment", "入学招生", "School admissions", "education"),
            ("fees", "教育收费", "School fees", "education"),
            ("tutoring", "校外培训", "After-school tutoring", "education"),
        ],
    ),
    (
        "health",
        "医疗卫生",
        "Health",
        &[
            ("hospital", "医疗服务", "Hospital services", "health"),
            (
                "insurance",
                "医保报销",
                "Medical insurance",
                "medical_insurance",
            ),
        ],
    ),
    (
        "social",
        "社会保障",
        "Social security",
        &[
            ("pension", "养老保险", "Pensions", "hrss"),
            (
                "employment",
                "就业创业",
                "Jobs and business start-ups",
                "hrss",
            ),
            ("wages", "拖欠工资", "Unpaid wages", "hrss"),
            (
                "assistance",
                "社会救助",
                "Social assistance",
                "civil_affairs",
            ),
        ],
    ),
    (
        "market",
        "市场监管",
        "Market regulation",
        &[
            ("consumer", "消费维权", "Consumer rights", "market"),
            ("food", "食品安全", "Food safety", "market"),
            ("prices", "价格收费", "Prices and charges", "development"),
        ],
    ),
    (
        "urban",
        "城市管理",
        "Urban management",
        &[
            ("vending", "占道经营", "Street vending", "urban"),
            ("greenery", "园林绿化", "Parks and greenery", "park_city"),
            ("lighting", "路灯照明", "Street lighting", "urban"),
            ("building", "违法建设", "Unauthorised building", "urban"),
        ],
    ),
    (
        "safety",
        "公共安全",
        "Public safety",
        &[
            ("fire", "消防安全", "Fire safety", "emergency"),
            ("order", "社会治安", "Public order", "police"),
            ("fraud", "电信诈骗", "Phone and online fraud", "police"),
        ],
    ),
    (
        "utilities",
        "水电气",
        "Water, power and gas",
        &[
            ("water", "供水", "Water supply", "water"),
            ("power", "供电", "Electricity", "economy"),
            ("gas", "燃气", "Gas", "urban"),
        ],
    ),
    (
        "services",
        "政务服务",
        "Government services",
        &[
            (
                "procedures",
                "办事服务",
                "Public services and procedures",
                "governance",
            ),
            ("conduct", "工作作风", "Staff conduct", "governance"),
        ],
    ),
];

/// The hotline every page offers as the alternative to filing online.
pub const HOTLINE: &str = "12345";

impl Taxonomy {
    /// The meta document (`GET /meta`): this taxonomy with the contract's fixed lists.
    pub fn meta(&self) -> Meta {
        Meta {
            districts: self.districts.clone(),
            departments: self.departments.clone(),
            categories: self.categories.clone(),
            kinds: CaseKind::ALL
                .iter()
                .map(|&code| KindTerm {
                    code,
                    name: code.name(),
                })
                .collect(),
            statuses: CaseStatus::ALL
                .iter()
                .map(|&code| StatusTerm {
                    code,
                    name: code.name(),
                })
                .collect(),
            hotline: HOTLINE.to_owned(),
            texts: false,
        }
    }
}

/// Chengdu's taxonomy.
pub fn chengdu() -> Taxonomy {
    let term = |&(code, zh, en): &(&str, &str, &str)| Term {
        code: code.to_owned(),
        name: LocalizedText::new(zh, en),
    };
    let mut categories = Vec::new();
    for (group, zh, en, children) in CATEGORIES {
        categories.push(Category {
            code: (*group).to_owned(),
            parent: None,
            name: LocalizedText::new(*zh, *en),
        });
        for (child, zh, en, _) in *children {
            categories.push(Category {
                code: format!("{group}.{child}"),
                parent: Some((*group).to_owned()),
                name: LocalizedText::new(*zh, *en),
            });
        }
    }
    Taxonomy {
        districts: DISTRICTS.iter().map(term).collect(),
        departments: DEPARTMENTS.iter().map(term).collect(),
        categories,
    }
}

/// The department that usually handles the category `code`, if it is a known child.
pub fn default_department(code: &str) -> Option<&'static str> {
    let (group, child) = code.split_once('.')?;
    CATEGORIES
        .iter()
        .find(|(g, ..)| *g == group)?
        .3
        .iter()
        .find(|(c, ..)| *c == child)
        .map(|(.., department)| *department)
}
