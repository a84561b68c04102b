//! The words demo data is made of: realistic Chengdu places, and for each case category a
//! resident's title and description and a department's reply.

/// Two well-known places in each division, in the taxonomy's order.
pub const PLACES: &[(&str, [&str; 2])] = &[
    ("jinjiang", ["春熙路步行街", "九眼桥滨江东路"]),
    ("qingyang", ["宽窄巷子西侧", "光华大道一段"]),
    ("jinniu", ["茶店子公交站", "一品天下大街"]),
    ("wuhou", ["人民南路四段", "玉林北路"]),
    ("chenghua", ["建设路商业街", "驷马桥地铁站"]),
    ("longquanyi", ["驿都大道中路", "龙泉驿区大面街道"]),
    ("qingbaijiang", ["凤凰大道", "青白江区大弯街道"]),
    ("xindu", ["桂湖公园东门", "新都大道"]),
    ("wenjiang", ["光华大道三段", "温江区柳城街道"]),
    ("shuangliu", ["双流区东升街道", "空港一路"]),
    ("pidu", ["犀浦地铁站", "郫都区红光街道"]),
    ("xinjin", ["新津区五津街道", "希望路"]),
    ("jianyang", ["简阳市雄州大道", "简阳市射洪坝街道"]),
    ("dujiangyan", ["都江堰幸福路", "都江堰市灌口街道"]),
    ("pengzhou", ["彭州市天彭街道", "彭州市金彭西路"]),
    ("qionglai", ["邛崃市文君街道", "邛崃市临邛镇"]),
    ("chongzhou", ["崇州市崇阳街道", "崇州市蜀州中路"]),
    ("jintang", ["金堂县赵镇", "金堂县十里大道"]),
    ("dayi", ["大邑县晋原街道", "大邑县安仁镇"]),
    ("pujiang", ["蒲江县鹤山街道", "蒲江县朝阳大道"]),
    ("gaoxin", ["天府三街", "交子大道"]),
    ("tianfu", ["天府新区华阳街道", "天府大道南段"]),
    ("dongbu", ["东部新区养马街道", "天府国际机场周边"]),
];

/// A resident's case and the department's reply, by category: title, description (the place
/// is put in front of it), reply.
pub const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "transport.roads",
        "路面坑洼影响行车安全",
        "路段出现多处坑洼，下雨后积水，电瓶车经过容易摔倒，希望尽快修补。",
        "经现场核查，该路段确有破损，已安排养护单位完成修补，并将纳入日常巡查。",
    ),
    (
        "transport.bus",
        "建议增加早高峰公交班次",
        "早高峰公交车非常拥挤，经常等两三趟才能上车，建议增加班次或开通快线。",
        "公交集团已对该线路客流进行评估，自下月起早高峰增加4个班次。",
    ),
    (
        "transport.parking",
        "小区周边停车难",
        "周边停车位严重不足，车辆占用人行道停放，行人只能走机动车道。",
        "交管部门已在周边增设临时停车泊位60个，并加强对占用人行道停车的管理。",
    ),
    (
        "transport.traffic",
        "路口红绿灯时间过短",
        "路口行人绿灯只有十几秒，老人和小孩过马路很危险，希望延长。",
        "经评估，已将该路口行人绿灯时间由15秒调整为25秒。",
    ),
    (
        "environment.noise",
        "夜间施工噪音扰民",
        "工地每晚十一点以后还在施工，噪音很大，严重影响周边居民休息。",
        "执法人员已到现场调查，责令施工单位停止夜间违规施工，并将持续跟踪。",
    ),
    (
        "environment.noise",
        "广场舞音响声音过大",
        "每天晚上广场舞音响开得很大，一直持续到十点以后，希望规范管理。",
        "街道已与广场舞队伍沟通，约定音量和结束时间，并安排网格员巡查。",
    ),
    (
        "environment.air",
        "餐馆油烟直排",
        "楼下餐馆油烟没有经过净化直接排放，楼上住户无法开窗。",
        "经查该餐馆油烟净化设施未正常运行，已责令整改，整改后复查达标。",
    ),
    (
        "environment.water",
        "河道有异味",
        "河道水面发黑并有明显异味，怀疑有污水直排。",
        "经排查发现一处雨污混接点，已完成封堵改造，河道水质正在恢复。",
    ),
    (
        "environment.waste",
        "垃圾分类收运不及时",
        "小区分类垃圾桶经常满溢，收运车辆两天才来一次。",
        "已督促环卫单位调整收运频次为每日一次，并增设分类垃圾桶。",
    ),
    (
        "housing.property",
        "物业不作为电梯长期故障",
        "小区电梯故障一个多月无人维修，老人上下楼非常困难。",
        "住建部门已约谈物业企业，电梯已完成维修并通过检验。",
    ),
    (
        "housing.quality",
        "新房墙面开裂漏水",
        "交房不到一年，卧室墙面出现裂缝，下雨时漏水，开发商推诿。",
        "已组织开发商、施工单位现场查看，明确由施工单位负责维修，限期完成。",
    ),
    (
        "housing.provident",
        "公积金提取办理进度咨询",
        "申请提取住房公积金已经十个工作日，系统仍显示审核中，想了解进度。",
        "经核实，您的申请因材料需补充暂缓，工作人员已电话联系您补交材料。",
    ),
    (
        "housing.rental",
        "押金退还纠纷",
        "租期已满退房，房东以各种理由拒绝退还押金。",
        "街道调解委员会已组织双方调解，房东同意退还押金。",
    ),
    (
        "education.enrolment",
        "咨询小学入学划片政策",
        "孩子明年上小学，想咨询我们小区对应的学校和报名时间。",
        "您所在小区对应学校及报名时间已公布在区教育局网站，详情可拨打招生咨询电话。",
    ),
    (
        "education.fees",
        "学校收取额外资料费",
        "孩子所在学校要求每位学生交纳资料费，是否符合规定？",
        "经查，该校收费未经审批，已责令退还并通报批评。",
    ),
    (
        "education.tutoring",
        "校外培训机构停业不退费",
        "报名的培训机构突然停课，剩余课时费用无法退还。",
        "已将该机构纳入风险处置，协调退费工作，并提醒家长通过监管平台缴费。",
    ),
    (
        "health.hospital",
        "医院挂号排队时间过长",
        "医院门诊挂号排队时间很长，老年人不会用手机预约。",
        "医院已增设老年人专用窗口和志愿者服务岗，提供现场协助预约。",
    ),
    (
        "health.insurance",
        "异地就医医保报销咨询",
        "在外地住院后回成都报销，需要准备哪些材料？",
        "已备案的异地就医可直接结算；未备案的可携带发票及病历到医保经办窗口办理。",
    ),
    (
        "social.pension",
        "养老金待遇核定咨询",
        "今年退休，想了解养老金待遇核定需要多长时间。",
        "资料齐全的情况下，养老金待遇核定在20个工作日内完成。",
    ),
    (
        "social.employment",
        "咨询创业担保贷款",
        "打算开一家小店，想了解创业担保贷款的申请条件。",
        "符合条件的个人可申请最高30万元创业担保贷款，具体条件已短信发送给您。",
    ),
    (
        "social.wages",
        "工地拖欠农民工工资",
        "在工地做了三个月，工资一直没有发，包工头联系不上。",
        "人社部门已立案调查，督促施工总承包单位支付拖欠工资。",
    ),
    (
        "social.assistance",
        "困难家庭申请低保咨询",
        "家中老人患病、收入很低，想咨询如何申请最低生活保障。",
        "可向户籍所在地街道提出申请，社工已上门了解情况并指导办理。",
    ),
    (
        "market.consumer",
        "网购商品质量问题商家拒绝退货",
        "网上购买的电器使用一周就坏了，商家拒绝退换。",
        "市场监管部门已组织调解，商家同意为您办理退货退款。",
    ),
    (
        "market.food",
        "餐馆卫生状况差",
        "在一家餐馆就餐时发现后厨卫生很差，有老鼠出没。",
        "执法人员已对该餐馆进行检查，责令停业整改并立案调查。",
    ),
    (
        "market.prices",
        "停车场收费标准不明确",
        "商场停车场没有公示收费标准，收费明显偏高。",
        "已责令该停车场公示收费标准，并对其价格行为立案调查。",
    ),
    (
        "urban.vending",
        "占道经营影响通行",
        "人行道上流动摊贩很多，晚上几乎无法通行。",
        "综合执法部门已加强巡查，并在附近设置便民疏导点。",
    ),
    (
        "urban.greenery",
        "行道树遮挡路灯和视线",
        "行道树枝叶过密，遮挡了路灯和交通标志。",
        "园林部门已对该路段行道树进行修剪。",
    ),
    (
        "urban.lighting",
        "路灯不亮夜间出行不便",
        "路段多盏路灯损坏，晚上一片漆黑，存在安全隐患。",
        "已完成路灯维修，全部恢复照明。",
    ),
    (
        "urban.building",
        "楼顶违章搭建",
        "楼顶有住户违规搭建彩钢棚，存在安全隐患。",
        "执法部门已下达限期拆除通知书，违章建筑已拆除。",
    ),
    (
        "safety.fire",
        "消防通道被占用",
        "小区消防通道长期被车辆占用，一旦发生火灾后果严重。",
        "消防部门已督促物业清理消防通道，并设置禁停标识。",
    ),
    (
        "safety.order",
        "夜间有人聚集喧哗",
        "楼下烧烤摊夜间有人聚集饮酒喧哗，经常到凌晨。",
        "派出所已加强夜间巡逻，并对经营者进行教育。",
    ),
    (
        "safety.fraud",
        "接到冒充客服的诈骗电话",
        "接到自称电商客服的电话，要求下载软件办理退款，感觉是诈骗。",
        "您的警惕是正确的，已将该号码提交反诈中心核查处置。",
    ),
    (
        "utilities.water",
        "停水未提前通知",
        "小区突然停水一整天，事先没有收到任何通知。",
        "供水公司因管网抢修停水，已督促其今后严格执行停水提前告知制度。",
    ),
    (
        "utilities.power",
        "频繁停电影响生活",
        "最近一周停电三次，家里电器受损。",
        "供电公司已更换老化线路，并告知受损电器的理赔渠道。",
    ),
    (
        "utilities.gas",
        "燃气费异常偏高",
        "这个月燃气费比平时高出一倍多，怀疑表计有问题。",
        "燃气公司已上门检测表计，确认表计故障，已更换并退还多收费用。",
    ),
    (
        "services.procedures",
        "建议政务服务延时办理",
        "上班族工作日没时间办事，建议政务中心周末也能办理业务。",
        "市政务服务中心已推行周末延时服务，每周六上午正常办理。",
    ),
    (
        "services.conduct",
        "表扬社区工作人员热心服务",
        "社区工作人员帮助我家老人办理高龄补贴，态度非常好，特此表扬。",
        "感谢您的肯定，已将表扬转达所在社区。",
    ),
];

/// Cases filed in English by international residents: category, title, description, reply.
pub const ENGLISH_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "services.procedures",
        "How to renew a residence permit",
        "My residence permit expires next month. Which office handles renewals and what documents are needed?",
        "Renewals are handled by the Exit-Entry Administration; the list of documents has been sent to you by SMS.",
    ),
    (
        "transport.bus",
        "Bus stop signs only in Chinese",
        "The stop names on the new bus line are only in Chinese. Please add English or pinyin.",
        "Bilingual stop signs will be installed on the line within this quarter.",
    ),
    (
        "environment.noise",
        "Construction noise after midnight",
        "The building site next to our compound works past midnight almost every night.",
        "Inspectors visited the site and ordered it to stop night work without a permit.",
    ),
];

/// Document topics: a category group, its names, the usual issuing department, and the
/// short prefix of its document numbers.
pub const TOPICS: &[(&str, &str, &str, &str)] = &[
    ("transport", "交通运输", "transport", "transport"),
    ("environment", "生态环境保护", "the environment", "ecology"),
    ("housing", "住房保障", "housing", "housing"),
    ("education", "教育", "education", "education"),
    ("health", "医疗卫生", "health care", "health"),
    ("social", "社会保障", "social security", "hrss"),
    ("market", "市场监管", "market regulation", "market"),
    ("urban", "城市管理", "urban management", "urban"),
    ("safety", "安全生产", "public safety", "emergency"),
    ("utilities", "供水供气", "water and gas supply", "water"),
    ("services", "政务服务", "government services", "governance"),
];
