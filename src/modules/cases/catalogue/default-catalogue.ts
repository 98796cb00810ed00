/**
 * The default dispatch catalogue (派遣分类目录) installed on first start: 12 大类, 56 小类, with
 * time limits modelled on published local tables (4 working hours for exposed garbage, 20 working
 * days for illegal structures, 2 natural hours for emergencies). Every value is a default an
 * administrator revises in the console.
 *
 * A department cannot be known in advance: owner-first (先属主) categories name one by the end of
 * its name (`departmentName`, e.g. "住房和城乡建设局"), resolved when the catalogue is installed to
 * an organization of kind `department` whose name ends with it ("武侯区住房和城乡建设局").
 */
import type { TimeLimit } from "../../../platform/calendar/index.js";
import type { CaseLevel, CategoryAttribute } from "../schema.js";

export interface DefaultSubCategory {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  /** 事件 event or 部件 component. */
  kind: "event" | "component";
  response: TimeLimit;
  handle: TimeLimit;
  firstLevel: CaseLevel;
  /** 先属主 owner (a department) or 先属地 territory (the area where it happened). */
  responsibility: "owner" | "territory";
  /** The end of the responsible department's name, for owner-first categories. */
  departmentName?: string;
  keywords: string[];
  attributes?: CategoryAttribute[];
}

export interface DefaultTopCategory {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  children: DefaultSubCategory[];
}

const wh = (value: number): TimeLimit => ({ value, unit: "workingHours" });
const wd = (value: number): TimeLimit => ({ value, unit: "workingDays" });
const nh = (value: number): TimeLimit => ({ value, unit: "naturalHours" });

const housing = "住房和城乡建设局";
const enforcement = "综合行政执法局";
const market = "市场监督管理局";
const health = "卫生健康局";
const civil = "民政局";

const yesNo = (code: string, description: string, order: number): CategoryAttribute => ({
  code,
  variable: true,
  datatype: "singlevaluelist",
  required: true,
  description,
  order,
  values: [
    { key: "yes", name: "是" },
    { key: "no", name: "否" },
  ],
});

type Sub = Omit<DefaultSubCategory, "code">;
const top = (code: string, name: string, nameEn: string, description: string, subs: Sub[]): DefaultTopCategory => ({
  code,
  name,
  nameEn,
  description,
  children: subs.map((s, i) => ({ code: `${code}${String(i + 1).padStart(2, "0")}`, ...s })),
});

export const defaultCatalogue: readonly DefaultTopCategory[] = [
  top("01", "市容环境", "City appearance", "街面和小区的环境卫生、乱摆乱贴", [
    { name: "暴露垃圾", nameEn: "Exposed garbage", description: "垃圾桶满溢、垃圾散落在外未及时清运", kind: "event", response: wh(1), handle: wh(4), firstLevel: "grid", responsibility: "territory", keywords: ["垃圾", "垃圾桶", "满溢", "清运", "臭"] },
    { name: "积存垃圾渣土", nameEn: "Accumulated garbage and muck", description: "长时间堆积的生活垃圾、建筑渣土", kind: "event", response: wh(2), handle: wd(1), firstLevel: "community", responsibility: "territory", keywords: ["渣土", "建筑垃圾", "堆积", "装修垃圾"] },
    { name: "占道经营", nameEn: "Street vending", description: "流动摊贩、店外经营占用道路或人行道", kind: "event", response: wh(2), handle: wd(2), firstLevel: "street", responsibility: "territory", keywords: ["摆摊", "小贩", "出店经营", "占道"] },
    { name: "乱张贴乱涂写", nameEn: "Illegal posters and graffiti", description: "墙面、电杆、楼道里的小广告和涂写", kind: "event", response: wh(2), handle: wd(1), firstLevel: "grid", responsibility: "territory", keywords: ["小广告", "牛皮癣", "涂鸦", "张贴"] },
    { name: "违规户外广告", nameEn: "Illegal outdoor advertising", description: "未经审批或破损的招牌、广告牌、横幅", kind: "component", response: wh(4), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: enforcement, keywords: ["广告牌", "招牌", "横幅", "灯箱"] },
    { name: "道路不洁", nameEn: "Dirty road", description: "路面有油污、泥浆、散落物", kind: "event", response: wh(1), handle: wh(4), firstLevel: "grid", responsibility: "territory", keywords: ["路面脏", "油污", "泥浆", "清扫"] },
    { name: "乱堆物堆料", nameEn: "Materials piled in public space", description: "在道路、空地上堆放杂物、建材", kind: "event", response: wh(2), handle: wd(2), firstLevel: "community", responsibility: "territory", keywords: ["堆物", "杂物", "建材", "乱堆"] },
    { name: "焚烧垃圾树叶", nameEn: "Open burning", description: "露天焚烧垃圾、树叶、秸秆", kind: "event", response: wh(1), handle: wh(4), firstLevel: "street", responsibility: "territory", keywords: ["焚烧", "烧垃圾", "冒烟"] },
  ]),
  top("02", "市政设施", "Municipal facilities", "道路、路灯、井盖、排水等公共设施", [
    {
      name: "路灯损坏",
      nameEn: "Broken street light",
      description: "路灯不亮、闪烁、灯杆倾斜",
      kind: "component",
      response: wh(4),
      handle: wd(3),
      firstLevel: "department",
      responsibility: "owner",
      departmentName: housing,
      keywords: ["路灯", "不亮", "灯杆"],
      attributes: [{ code: "lamp_no", variable: true, datatype: "string", required: false, description: "灯杆编号（灯杆上的编号牌，看不到可不填）", order: 1 }],
    },
    {
      name: "井盖缺失破损",
      nameEn: "Missing or broken manhole cover",
      description: "井盖丢失、破损、松动或下沉，容易伤人",
      kind: "component",
      response: nh(1),
      handle: nh(24),
      firstLevel: "department",
      responsibility: "owner",
      departmentName: housing,
      keywords: ["井盖", "窨井", "下沉", "缺失"],
      attributes: [
        {
          code: "cover_type",
          variable: true,
          datatype: "singlevaluelist",
          required: true,
          description: "井盖类型",
          order: 1,
          values: [
            { key: "rain", name: "雨水" },
            { key: "sewage", name: "污水" },
            { key: "power", name: "电力" },
            { key: "telecom", name: "通信" },
            { key: "gas", name: "燃气" },
            { key: "unknown", name: "看不出" },
          ],
        },
        yesNo("warning_set", "现场是否已设置警示", 2),
      ],
    },
    { name: "道路破损", nameEn: "Damaged road", description: "路面坑洼、塌陷、开裂", kind: "component", response: wh(4), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["坑洼", "塌陷", "路面", "破损"] },
    { name: "下水道堵塞", nameEn: "Blocked drain", description: "雨水口、下水道堵塞或污水外溢", kind: "component", response: wh(2), handle: wd(2), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["下水道", "堵塞", "污水", "积水", "返水"] },
    { name: "人行道板松动", nameEn: "Loose paving slabs", description: "人行道砖松动、缺失、翘起", kind: "component", response: wh(4), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["人行道", "地砖", "松动"] },
    { name: "护栏损坏", nameEn: "Damaged guardrail", description: "道路护栏、隔离栏倒伏或缺损", kind: "component", response: wh(4), handle: wd(3), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["护栏", "栏杆", "隔离栏"] },
    { name: "公厕设施损坏", nameEn: "Public toilet out of order", description: "公共厕所设施损坏、停水、脏乱", kind: "component", response: wh(4), handle: wd(2), firstLevel: "department", responsibility: "owner", departmentName: enforcement, keywords: ["公厕", "厕所", "卫生间"] },
  ]),
  top("03", "园林绿化", "Parks and greenery", "绿地、行道树和公园", [
    { name: "绿地损毁", nameEn: "Damaged green space", description: "绿地被踩踏、碾压、占用", kind: "event", response: wh(4), handle: wd(5), firstLevel: "street", responsibility: "territory", keywords: ["绿地", "草坪", "踩踏"] },
    {
      name: "树木倒伏断枝",
      nameEn: "Fallen tree or broken branch",
      description: "树木倒伏、断枝悬挂，有砸人砸车危险",
      kind: "component",
      response: nh(2),
      handle: nh(24),
      firstLevel: "department",
      responsibility: "owner",
      departmentName: housing,
      keywords: ["倒树", "断枝", "树枝", "大风"],
      attributes: [yesNo("blocks_traffic", "是否挡住道路通行", 1)],
    },
    { name: "毁绿种菜", nameEn: "Vegetables grown on public green", description: "在公共绿地上开荒种菜", kind: "event", response: wh(4), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: ["种菜", "开荒", "毁绿"] },
    { name: "绿化养护不到位", nameEn: "Poor upkeep of greenery", description: "绿植枯死、杂草丛生、树枝遮挡", kind: "event", response: wh(4), handle: wd(5), firstLevel: "street", responsibility: "territory", keywords: ["修剪", "杂草", "枯死", "遮挡"] },
  ]),
  top("04", "物业管理", "Property management", "小区物业服务和设施", [
    {
      name: "电梯故障",
      nameEn: "Lift failure",
      description: "电梯停运、异响、困人",
      kind: "component",
      response: nh(1),
      handle: nh(24),
      firstLevel: "department",
      responsibility: "owner",
      departmentName: market,
      keywords: ["电梯", "困人", "停运", "异响"],
      attributes: [yesNo("people_trapped", "是否有人被困（有人被困请先拨打电梯内的救援电话或 119）", 1)],
    },
    { name: "小区停车", nameEn: "Parking in the compound", description: "小区内乱停车、车位纠纷、堵占出入口", kind: "event", response: wh(4), handle: wd(3), firstLevel: "community", responsibility: "territory", keywords: ["停车", "车位", "乱停"] },
    { name: "物业服务", nameEn: "Property service", description: "物业保洁、安保、维修不到位", kind: "event", response: wh(4), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: ["物业", "保洁", "保安", "维修"] },
    { name: "二次供水", nameEn: "Secondary water supply", description: "水箱水质异常、加压供水设施故障", kind: "component", response: wh(2), handle: wd(2), firstLevel: "department", responsibility: "owner", departmentName: health, keywords: ["水箱", "水质", "水压", "停水"] },
    { name: "物业费纠纷", nameEn: "Property fee dispute", description: "物业费收取、公共收益分配的争议", kind: "event", response: wd(1), handle: wd(10), firstLevel: "community", responsibility: "territory", keywords: ["物业费", "收费", "公共收益"] },
    { name: "维修资金使用", nameEn: "Maintenance fund", description: "住宅专项维修资金申请和使用", kind: "event", response: wd(1), handle: wd(15), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["维修资金", "大修", "屋面漏水"] },
  ]),
  top("05", "违法建设", "Illegal construction", "违章搭建和擅自改建", [
    { name: "违章搭建", nameEn: "Illegal structure", description: "屋顶、阳台、院坝里未经批准的搭建", kind: "event", response: wd(1), handle: wd(20), firstLevel: "street", responsibility: "territory", keywords: ["违建", "搭建", "加建", "阳光房"] },
    { name: "擅自改变房屋结构", nameEn: "Altered load-bearing structure", description: "拆改承重墙、梁柱等危及房屋安全的装修", kind: "event", response: wh(4), handle: wd(15), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["承重墙", "拆墙", "装修", "结构"] },
    { name: "圈占公共空间", nameEn: "Enclosed common space", description: "私自圈占楼道、露台、公共绿地", kind: "event", response: wd(1), handle: wd(10), firstLevel: "community", responsibility: "territory", keywords: ["圈占", "楼道", "露台", "私占"] },
  ]),
  top("06", "噪声扰民", "Noise", "施工、经营和生活噪声", [
    { name: "施工噪声", nameEn: "Construction noise", description: "建筑工地施工噪声超标", kind: "event", response: wh(2), handle: wd(1), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["工地", "施工", "噪音"] },
    { name: "夜间施工扰民", nameEn: "Construction at night", description: "晚上十点至早上六点施工", kind: "event", response: nh(1), handle: nh(8), firstLevel: "street", responsibility: "territory", keywords: ["夜间施工", "半夜", "晚上施工"] },
    { name: "商业经营噪声", nameEn: "Commercial noise", description: "商铺、餐馆、娱乐场所的音响和叫卖", kind: "event", response: wh(2), handle: wd(2), firstLevel: "street", responsibility: "territory", keywords: ["音响", "喇叭", "叫卖", "酒吧"] },
    { name: "社会生活噪声", nameEn: "Neighbourhood noise", description: "广场舞、装修、楼上楼下生活噪声", kind: "event", response: wh(2), handle: wd(1), firstLevel: "community", responsibility: "territory", keywords: ["广场舞", "装修", "吵", "噪音"] },
  ]),
  top("07", "消防安全", "Fire safety", "消防通道、消防设施和用电安全", [
    { name: "占用消防通道", nameEn: "Blocked fire lane", description: "车辆、杂物堵住消防通道", kind: "event", response: nh(1), handle: wh(4), firstLevel: "grid", responsibility: "territory", keywords: ["消防通道", "堵", "停车"] },
    { name: "电动车违规充电", nameEn: "E-bike charged indoors", description: "电动自行车进楼入户、楼道飞线充电", kind: "event", response: wh(1), handle: wh(4), firstLevel: "grid", responsibility: "territory", keywords: ["电瓶车", "电动车", "充电", "飞线"] },
    { name: "消防设施损坏", nameEn: "Damaged fire equipment", description: "灭火器过期、消火栓损坏、应急灯不亮", kind: "component", response: wh(4), handle: wd(3), firstLevel: "community", responsibility: "territory", keywords: ["灭火器", "消火栓", "应急灯"] },
    { name: "楼道堆物", nameEn: "Stairwell clutter", description: "楼道、安全出口堆放杂物", kind: "event", response: wh(2), handle: wd(1), firstLevel: "grid", responsibility: "territory", keywords: ["楼道", "堆放", "杂物", "安全出口"] },
  ]),
  top("08", "邻里纠纷", "Neighbour disputes", "邻里之间的矛盾，由网格员和社区先行调解", [
    { name: "漏水纠纷", nameEn: "Leaking between flats", description: "楼上漏水到楼下等相邻纠纷", kind: "event", response: wh(4), handle: wd(5), firstLevel: "grid", responsibility: "territory", keywords: ["漏水", "渗水", "楼上"] },
    { name: "宠物扰民", nameEn: "Pets", description: "犬只吠叫、不拴绳、粪便不清理", kind: "event", response: wh(4), handle: wd(3), firstLevel: "grid", responsibility: "territory", keywords: ["狗", "宠物", "狗叫", "粪便"] },
    { name: "相邻关系纠纷", nameEn: "Neighbour rights dispute", description: "采光、通风、通行等相邻关系争议", kind: "event", response: wh(4), handle: wd(10), firstLevel: "community", responsibility: "territory", keywords: ["采光", "通风", "通行", "邻居"] },
    { name: "家庭矛盾", nameEn: "Family conflict", description: "家庭成员之间需要调解的矛盾", kind: "event", response: wh(2), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: ["家庭", "调解", "赡养", "吵架"] },
  ]),
  top("09", "社会保障", "Social assistance", "困难救助、为老助残等民政服务", [
    { name: "困难救助", nameEn: "Hardship assistance", description: "生活困难、临时遇困需要救助", kind: "event", response: wd(1), handle: wd(10), firstLevel: "department", responsibility: "owner", departmentName: civil, keywords: ["困难", "救助", "临时救助"] },
    { name: "独居老人关爱", nameEn: "Older people living alone", description: "独居、空巢老人需要探访和照顾", kind: "event", response: wh(4), handle: wd(3), firstLevel: "grid", responsibility: "territory", keywords: ["独居", "老人", "空巢", "探访"] },
    { name: "残疾人帮扶", nameEn: "Support for people with disabilities", description: "残疾人补贴、辅具和无障碍需求", kind: "event", response: wd(1), handle: wd(10), firstLevel: "community", responsibility: "territory", keywords: ["残疾", "轮椅", "无障碍"] },
    { name: "养老服务", nameEn: "Elderly care services", description: "助餐、居家养老、养老机构服务", kind: "event", response: wd(1), handle: wd(10), firstLevel: "community", responsibility: "territory", keywords: ["养老", "助餐", "老年食堂"] },
    { name: "低保咨询", nameEn: "Minimum living allowance", description: "最低生活保障的申请和咨询", kind: "event", response: wd(1), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: civil, keywords: ["低保", "低收入", "申请"] },
  ]),
  top("10", "公共卫生", "Public health", "病媒生物、食品和公共场所卫生", [
    { name: "病媒生物", nameEn: "Pests", description: "老鼠、蟑螂、蚊蝇孳生", kind: "event", response: wh(4), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: ["老鼠", "蟑螂", "蚊子", "消杀"] },
    { name: "餐饮食品安全", nameEn: "Food safety", description: "餐馆后厨脏乱、食品过期变质", kind: "event", response: wh(4), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: market, keywords: ["餐馆", "食品", "过期", "卫生"] },
    { name: "公共场所卫生", nameEn: "Hygiene of public places", description: "理发店、浴室、宾馆等公共场所卫生", kind: "event", response: wh(4), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: health, keywords: ["理发店", "浴室", "宾馆"] },
    { name: "传染病防控", nameEn: "Infectious disease control", description: "传染病防控的咨询和报告", kind: "event", response: wh(2), handle: wd(2), firstLevel: "department", responsibility: "owner", departmentName: health, keywords: ["传染病", "发热", "疫苗"] },
  ]),
  top("11", "安全隐患", "Safety hazards", "可能危及人身安全的隐患，先排险再处置", [
    {
      name: "燃气泄漏",
      nameEn: "Gas leak",
      description: "闻到燃气味、燃气管道破损（请先离开现场并拨打燃气公司抢修电话）",
      kind: "component",
      response: nh(0.5),
      handle: nh(2),
      firstLevel: "department",
      responsibility: "owner",
      departmentName: housing,
      keywords: ["燃气", "天然气", "漏气", "煤气"],
      attributes: [yesNo("valve_closed", "是否已关闭燃气阀门", 1)],
    },
    { name: "危房隐患", nameEn: "Unsafe building", description: "房屋开裂、倾斜、墙体剥落", kind: "component", response: nh(2), handle: wd(5), firstLevel: "department", responsibility: "owner", departmentName: housing, keywords: ["危房", "开裂", "倾斜"] },
    { name: "高空坠物隐患", nameEn: "Risk of falling objects", description: "外墙瓷砖、空调外机、广告牌松动", kind: "event", response: nh(0.5), handle: nh(2), firstLevel: "community", responsibility: "territory", keywords: ["高空坠物", "瓷砖", "外机", "松动"] },
    { name: "私拉乱接电线", nameEn: "Illegal wiring", description: "私拉电线、线缆低垂", kind: "event", response: wh(2), handle: wd(1), firstLevel: "grid", responsibility: "territory", keywords: ["电线", "私拉", "线缆"] },
    { name: "特种设备隐患", nameEn: "Special equipment hazard", description: "游乐设施、锅炉、压力容器的安全隐患", kind: "component", response: wh(4), handle: wd(3), firstLevel: "department", responsibility: "owner", departmentName: market, keywords: ["游乐设施", "锅炉", "压力容器"] },
  ]),
  top("12", "其他", "Other", "不属于以上类别的问题和建议", [
    { name: "政策咨询", nameEn: "Policy question", description: "办事流程、政策规定的咨询", kind: "event", response: wd(1), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: ["咨询", "办事", "政策"] },
    { name: "意见建议", nameEn: "Suggestion", description: "对社区、街道工作的意见和建议", kind: "event", response: wd(1), handle: wd(10), firstLevel: "street", responsibility: "territory", keywords: ["建议", "意见"] },
    { name: "其他问题", nameEn: "Other problem", description: "找不到合适类别时选这里", kind: "event", response: wd(1), handle: wd(5), firstLevel: "community", responsibility: "territory", keywords: [] },
  ]),
];
