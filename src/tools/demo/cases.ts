/**
 * 演示案件: about 600 cases of the last four months in the demo street, in the states and mixtures
 * a street that has used the closed loop for a while shows — most closed and rated (mostly
 * satisfied), some in progress, a few overdue, whistled with departments summoned, parked,
 * rejected, merged, cancelled, one reopened after a dissatisfied rating.
 *
 * Each case's story is simulated step by step on the working-time calendar with the state machine
 * (`nextStatus` refuses an illegal step, so a bug here fails loudly), from its category's limits
 * and the level it is routed to. Its timestamps lie in the past, so rows are written in bulk with
 * those times rather than through `applyTransition` (which stamps now): the `cases` row as the
 * steps left it, one `case_events` row per step, one audit entry per step computed exactly as
 * core.ts records it (same action, change and summary, plus `demo: true` in the summary), and the
 * pending timers of open cases (deadlines already passed fired, with their reminders on the
 * timeline, as the timer runner would have done). The audit entries are written now, unsealed, so
 * the sealer chains them and `gongzhi audit verify` passes.
 *
 * Deterministic for a seed (its own random stream) relative to `now`: the same stories, ids and
 * texts; the times follow the day the demo is loaded.
 */
import type { Db } from "../../platform/db/index.js";
import { canonicalJson, insertAuditEntries, reserveAuditIds, sha256Hex } from "../../platform/audit/index.js";
import { chinaDateOf } from "../../platform/calendar/index.js";
import { encryptField, searchHash } from "../../platform/pii/crypto.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { maskPhone } from "../../platform/mask.js";
import {
  activeSubcategories,
  areaAtLevel,
  contactPhoneContext,
  dueAfter,
  insertCaseHistory,
  lastCaseNumbers,
  levelLabels,
  nextStatus,
  reporterMessage,
  reserveCaseEventIds,
  routeCase,
  warningTimeFor,
  workingCalendar,
  type ActiveSubcategory,
  type CaseAction,
  type CaseLevel,
  type CaseRating,
  type CaseSource,
  type CaseStatus,
  type CaseSummonsRow,
  type NewCase,
  type NewCaseExtension,
  type NewCaseWhistle,
  type NewNotification,
} from "../../modules/cases/index.js";
import { fullName } from "./names.js";
import { createRandom, type Random } from "./random.js";
import type { DemoArea, DemoBuilding, DemoPerson, DemoStreet, DemoUser } from "./generate.js";

/** About this many cases are generated. */
export const demoCaseTarget = 600;
/** Days back the cases reach. */
export const demoCaseDays = 120;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ———————————————————————————————————————— texts

/**
 * Reports per sub-category code, in residents' words. Placeholders: {c} compound, {b} building,
 * {r} road, {n} a small number.
 */
const reportTexts: Record<string, string[]> = {
  "0101": [
    "{c}{b}门口的垃圾桶两天没清运，夏天味道很大，苍蝇也多",
    "{r}公交站旁边的垃圾桶满了，垃圾袋堆在地上，被狗翻得到处都是",
    "{c}大门口垃圾房的垃圾堆到外面来了，早上上班路过都要捂鼻子",
    "菜市场后面那排垃圾桶好几天没人收，污水流到人行道上了",
    "{c}{b}楼下的分类垃圾桶盖子坏了，垃圾外溢，晚上有老鼠",
  ],
  "0102": [
    "{c}{b}楼下有人装修，建筑垃圾堆了快一个星期没人拉走",
    "{r}靠近{c}的空地上堆了一大堆渣土，下雨全冲到路上",
    "{c}后门堆着旧家具和装修垃圾，占了半条消防通道",
  ],
  "0103": [
    "{r}人行道上每天傍晚都有卖水果的摊子，推婴儿车过不去",
    "{c}门口早上有流动早餐摊，油烟大，地上油污也多",
    "{r}的烧烤店把桌子摆到人行道上，晚上吵到十二点以后",
    "{r}路口经常有三轮车卖菜，堵住了非机动车道",
  ],
  "0104": [
    "{c}{b}楼道里贴满了开锁、通下水道的小广告，刚刷的墙又花了",
    "{r}的电线杆上贴了很多办证小广告，影响市容",
    "{c}单元门上被人喷了电话号码，希望能清理一下",
  ],
  "0106": [
    "{r}路面上有一大片油污，骑电瓶车的差点滑倒",
    "{c}门口的路面全是泥浆，像是工地的车带出来的",
    "{r}人行道上有碎玻璃，小孩子上学要从这里过",
  ],
  "0107": [
    "{c}{b}旁边的空地被人堆满了旧木板和砖头，很久没人管",
    "{r}人行道上有商家堆放的货物和纸箱，行人只能走机动车道",
    "{c}院坝里堆了很多废品，夏天容易招蚊虫",
  ],
  "0201": [
    "{r}靠近{c}那一段的路灯坏了三四盏，晚上黑漆漆的，老人出门不放心",
    "{c}门口的路灯一闪一闪的，已经快一个月了",
    "{r}有一根灯杆被车撞歪了，看着随时会倒",
  ],
  "0202": [
    "{r}人行道上有个井盖松了，踩上去会晃，怕有人掉下去",
    "{c}门口的雨水井盖不见了，只放了个纸箱挡着，太危险了",
    "{r}路中间的井盖下沉了，车开过去咣当咣当响",
  ],
  "0203": [
    "{r}靠近{c}的路面有个大坑，下雨积水看不见，已经有人摔了",
    "{c}门口这段路面开裂塌陷，电瓶车经过很颠",
    "{r}非机动车道上的坑洼越来越大，希望尽快修补",
  ],
  "0204": [
    "{c}{b}楼下的下水道堵了，污水往外冒，臭得很",
    "一下雨{r}靠{c}这段就积水，雨水口好像堵住了",
    "{c}{b}一楼厨房返水，物业说是外面市政管道的问题",
  ],
  "0205": ["{r}人行道上好几块地砖松动翘起来了，踩上去溅一脚泥水", "{c}门口人行道砖缺了一块，晚上容易绊倒"],
  "0302": [
    "昨晚风大，{r}的一棵行道树断了一根大树枝，挂在半空中",
    "{c}门口的大树歪了，树根把地砖都顶起来了，担心会倒",
    "{r}有根树枝垂得很低，快挨到电线了",
  ],
  "0304": ["{c}{b}门前的树长得太密，挡住了二楼的采光，希望修剪一下", "{r}绿化带里杂草长得比人还高，有蚊子", "{c}的绿篱好久没修剪了，挡住了路口视线"],
  "0401": [
    "{c}{b}的电梯这周停了两次，楼上住的老人下不了楼",
    "{c}{b}电梯运行时有异响，还会突然顿一下，大家都不敢坐",
    "{c}{b}电梯按钮坏了，按了没反应，物业说等配件",
  ],
  "0402": [
    "{c}里面乱停车太严重了，{b}门口经常被堵，救护车都进不来",
    "{c}的车位被外来车辆占用，业主回家没地方停",
    "{c}大门口两边停满了车，出入口只剩一条缝",
  ],
  "0403": [
    "{c}的保洁好几天没打扫楼道了，{b}楼梯上都是垃圾",
    "{c}{b}单元门的门禁坏了一个多月，物业一直说在修",
    "{c}物业晚上没有保安巡逻，最近电瓶车丢了好几辆",
    "{c}{b}楼顶水箱的盖子没盖，物业也不管",
  ],
  "0405": ["{c}物业今年突然涨物业费，没有开业主大会，大家有意见", "{c}的公共收益一直没有公示，想请社区帮忙问一下"],
  "0501": [
    "{c}{b}顶楼有人在搭彩钢棚，好像没有审批",
    "{c}{b}一楼住户把院子围起来加盖了一间房",
    "{c}{b}有户人家在阳台外面焊了一个大铁笼子，伸出去快一米",
  ],
  "0503": ["{c}{b}三楼住户把楼道用铁门封起来自己用了", "{c}有人把公共绿地圈起来放自己的东西"],
  "0601": ["{r}的工地早上六点就开始打桩，吵得没法睡", "{c}旁边工地的噪音太大了，孩子在家上网课都听不清"],
  "0602": ["{r}的工地晚上十一点还在施工，切割声特别刺耳", "{c}对面的工地半夜还有渣土车进出，轰隆隆的"],
  "0603": [
    "{r}有家酒吧每天晚上音响开得很大，一直放到凌晨两点",
    "{c}楼下的手机店用大喇叭循环播放促销广告，一整天都在喊",
    "{r}的火锅店排风扇噪音很大，{c}{b}的住户晚上睡不着",
  ],
  "0604": [
    "{c}的广场舞音响太大了，晚上九点多还在跳",
    "{c}{b}楼上住户装修，周末一大早就开始电钻",
    "{c}{b}楼上每天半夜拖椅子、走路声很重，沟通过没用",
  ],
  "0701": [
    "{c}{b}旁边的消防通道被私家车堵死了，已经好几天",
    "{c}的消防通道上放了一排共享单车和杂物",
    "{c}大门口的消防通道被临时摊位占了",
  ],
  "0702": [
    "{c}{b}有人从楼上拉电线下来给电瓶车充电，线就挂在窗户外面",
    "{c}{b}楼道里停了好几辆电瓶车，晚上还插着电，太危险了",
    "{c}{b}有住户把电瓶车推进电梯带回家充电",
  ],
  "0703": ["{c}{b}楼道里的灭火器都过期两年了", "{c}{b}的应急灯不亮，停电的时候楼道一片黑", "{c}的消火栓箱门坏了，里面的水带也不见了"],
  "0704": [
    "{c}{b}二楼楼道堆满了纸箱和旧家具，通道只剩一半",
    "{c}{b}有住户在楼梯间堆放泡沫箱，还养了鸡",
    "{c}{b}安全出口门口堆了好多杂物",
  ],
  "0801": ["{c}{b}楼上卫生间漏水，我家天花板都发霉了，楼上住户不配合", "{c}{b}隔壁家的水管漏水渗到我家墙里，墙皮都掉了"],
  "0802": [
    "{c}有人遛狗不拴绳，{b}楼下好几次把小孩吓哭了",
    "{c}{b}有户人家养了三条狗，白天晚上都在叫",
    "{c}草坪上到处是狗粪，主人也不清理",
  ],
  "0803": ["{c}{b}一楼住户在窗外搭了雨棚，挡住了二楼的采光和通风", "{c}{b}邻居把空调外机装在我家窗户正对面，热风直吹进来"],
  "0902": ["{c}{b}住着一位独居的老婆婆，最近好几天没见她下楼，有点担心", "{c}{b}的独居老人腿脚不方便，希望社区能定期去看看"],
  "0904": ["希望社区的老年食堂能增加晚餐，{c}好多老人晚上做饭不方便", "{c}的老人想问一下居家养老上门服务怎么申请"],
  "1001": ["{c}{b}楼下垃圾房附近老鼠很多，大白天都能看到", "{c}的化粪池附近蚊子特别多，希望能来消杀一下", "{r}的餐馆后门蟑螂成群，都爬到{c}里来了"],
  "1002": ["{r}有家面馆后厨很脏，吃了以后家里两个人都拉肚子", "{r}一家超市在卖过期的牛奶，已经拍照了"],
  "1103": ["{c}{b}外墙的瓷砖掉了几块，楼下就是小孩玩的地方", "{c}{b}有户人家的空调外机支架锈得很厉害，随时可能掉下来", "{r}的商铺招牌被风吹松了，一半悬空"],
  "1104": ["{c}{b}楼道里的电线乱拉乱接，还有裸露的接头", "{r}的通信线缆垂下来很低，高一点的车都会挂到"],
  "1201": ["想咨询一下老旧小区改造{c}能不能报名，需要多少住户同意", "请问孩子入学需要开居住证明，去哪里办", "想问一下加装电梯的补贴政策，{c}{b}的住户都很想装"],
  "1202": ["建议在{r}增加几个共享单车停放点，现在停得到处都是", "希望{c}附近能多设几个休息座椅，老人走累了没地方坐", "建议社区周末开放活动室给孩子们看书"],
};

/** The handler's result per sub-category (any other: the generic ones). */
const resultTexts: Record<string, string[]> = {
  "0101": ["已通知环卫公司当天清运，垃圾桶周边已冲洗消毒", "已清运完毕，并和物业约定每天早晚各清运一次"],
  "0102": ["已联系装修户和物业，建筑垃圾已全部清运", "渣土已清运，已对堆放人进行劝导教育"],
  "0103": ["已会同城管队员劝离占道摊贩，引导到便民市场经营", "已约谈店主，桌椅已收回店内，将持续巡查"],
  "0104": ["小广告已全部铲除，墙面已重新粉刷", "已清理完毕，并在楼道张贴了提示"],
  "0201": ["路灯已更换灯具，恢复照明", "已通知路灯管理所维修，故障路灯已全部修复"],
  "0202": ["井盖已更换并加固，现场已恢复", "已设置警示并更换新井盖"],
  "0203": ["坑洼路面已修补完成", "已安排养护单位修复路面"],
  "0204": ["已疏通下水管道，污水已清理", "雨水口已清掏，排水恢复正常"],
  "0302": ["断枝已清除，现场已清扫", "已对倾斜树木进行支撑加固"],
  "0401": ["已督促维保单位检修，电梯恢复运行并通过检测", "已更换故障部件，电梯恢复正常"],
  "0402": ["已联系物业重新施划停车线，安排保安疏导", "已张贴挪车提示，堵塞车辆已挪走"],
  "0403": ["已约谈物业，楼道已打扫干净，保洁频次已加密", "门禁已修复，物业承诺加强巡逻"],
  "0501": ["已下发整改通知书，违建部分已自行拆除", "已会同执法中队现场拆除违建"],
  "0603": ["已对商家进行调解，音响音量已降低，营业时间已调整", "已约谈店主，承诺晚上十点后关闭外放音响"],
  "0604": ["已与广场舞队负责人沟通，降低音量并提前结束时间", "已上门调解，双方达成谅解"],
  "0701": ["已联系车主挪车，通道已畅通，设置了禁停标识", "杂物已清理，消防通道已恢复畅通"],
  "0702": ["已劝导住户拆除飞线，引导到小区充电桩充电", "楼道电瓶车已清理，已张贴安全提示"],
  "0704": ["已督促住户清理楼道堆物，通道已畅通", "楼道杂物已清理完毕"],
  "0801": ["已组织双方调解，楼上住户已请人维修防水", "已联系物业检修，漏水点已处理"],
  "0802": ["已上门宣传文明养犬，犬主承诺出门拴绳", "已清理草坪并设置文明养犬提示牌"],
  "0902": ["已上门探访，老人身体无恙，已纳入每周探访名单", "已联系子女并安排志愿者结对关爱"],
  "1001": ["已安排消杀公司进行灭鼠消杀", "已完成蚊蝇消杀，并清理了积水"],
  "1103": ["已联系住户加固空调外机支架", "松动瓷砖已清除，外墙已加固"],
};
const genericResults = ["已到现场核实并处理完毕", "已联系相关责任人，问题已解决", "已处理，现场已恢复正常", "已答复居民，问题已妥善解决"];
const consultResults = ["已电话答复居民，详细说明了办理流程和所需材料", "已答复，并告知居民到社区服务站可帮忙代办"];

const rejectReasons = [
  "反映的地点不在本街道辖区，已告知居民向所属街道反映",
  "属于民事合同纠纷，已告知居民可通过人民调解或诉讼途径解决",
  "反映内容不清楚，多次联系反映人未接通",
  "该问题已在处理中，属于重复反映",
];
const parkReasons = [
  "属于历史遗留问题，已纳入片区老旧小区改造统筹解决",
  "需要业主大会表决后实施，暂时挂账跟踪",
  "涉及产权单位协调，已报区级专题会研究，挂账跟踪",
];
const cancelReasons = ["居民来电告知问题已自行解决，申请撤销", "反映人表示已与对方协商解决，撤销"];
const ratingComments: Record<CaseRating, string[]> = {
  satisfied: ["处理很及时，谢谢网格员", "当天就解决了，点赞", "态度很好，问题解决了", ""],
  basic: ["问题解决了，但是拖得有点久", "基本解决了，希望以后多来巡查", ""],
  dissatisfied: ["过了两天又是老样子", "问题没有根本解决", "处理得太慢了"],
};
const whistleReasons: Record<string, string> = {
  "0501": "违建涉及规划、执法两个部门，需要现场联合认定和拆除",
  "0603": "商家噪声和油烟问题反复投诉，需要执法和市场监管部门联合处置",
  "0102": "渣土来源涉及多个工地，需要住建和执法部门联合查处",
  "0204": "下水道堵塞涉及市政管网和小区管网，需要住建部门会同处置",
  "1103": "外墙脱落危及行人安全，需要住建部门鉴定并督促产权单位整改",
  "0401": "电梯反复故障，需要市场监管部门督促维保单位彻底整改",
};
const genericWhistleReason = "问题涉及多个部门职责，街道吹哨召集相关部门现场会商、联合处置";
const summonsFinishNotes = ["已派员到现场会商，按职责完成处置", "已下发整改通知，并督促责任单位整改到位", "已完成本部门负责的部分，资料已报送街道"];
const extensionReasons = ["需要采购配件，申请延期", "需协调产权单位出资维修，申请延期"];

// ———————————————————————————————————————— the plan

/** A sub-category of the catalogue in use. */
/** A sub-category of the catalogue in use, as the demo cases pick them. */
export type DemoCategory = ActiveSubcategory;

interface Who {
  userId: string | null;
  label: string;
  system?: boolean;
}

const systemWho: Who = { userId: null, label: "系统", system: true };

type CaseInsert = NewCase & { id: string; submittedAt: Date };

interface PlannedEvent {
  caseId: string;
  at: Date;
  who: Who;
  action: CaseAction | "submit";
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  fromLevel: CaseLevel | null;
  toLevel: CaseLevel;
  note: string | null;
  data: Record<string, unknown>;
  visibleToReporter: boolean;
  id?: number;
  auditId?: number;
}

interface PlannedTimer {
  caseId: string;
  kind: string;
  dueAt: Date;
  firedAt: Date | null;
  firedBy: string | null;
  summonsId: string | null;
  createdAt: Date;
}

interface PlannedAudit {
  who: Who;
  action: string;
  entityId: string;
  change: Record<string, unknown>;
  summary: Record<string, unknown>;
  at: Date;
}

type PlannedSummons = Omit<CaseSummonsRow, "evidence">;

export interface DemoCasePlan {
  cases: CaseInsert[];
  events: PlannedEvent[];
  timers: PlannedTimer[];
  whistles: NewCaseWhistle[];
  summons: PlannedSummons[];
  extensions: NewCaseExtension[];
  /** Audit entries that are not a step (a summons scored). */
  extraAudit: PlannedAudit[];
  /** Contact phones of hotline cases, by case id (encrypted by the loader). */
  phones: Map<string, string>;
}

const firedByDemo = "演示数据";

/** Statuses an open demo case is left in. */
type OpenStatus = "submitted" | "registered" | "dispatched" | "received" | "inProgress" | "feedback" | "verified";

/** Times between `a` and `b` at fraction `f` of the working time (natural time when none lies between). */
function between(a: Date, b: Date, f: number): Date {
  if (b.getTime() <= a.getTime()) return new Date(a.getTime() + MIN);
  const cal = workingCalendar();
  const span = cal.workingTimeBetween(a, b);
  if (span > 0) return cal.addWorkingHours(a, (span * f) / HOUR);
  return new Date(a.getTime() + Math.round((b.getTime() - a.getTime()) * f));
}

function later(a: Date, ms: number): Date {
  return new Date(a.getTime() + ms);
}

/** A submission time: China daytime mostly (07:30–22:00), some at night. */
function reportTime(rnd: Random, dayStart: Date): Date {
  // dayStart is a China midnight; hours 7.5–22 weighted towards the day.
  const hour = rnd.chance(0.06) ? rnd.float(0, 7.5) : rnd.weighted([[rnd.float(7.5, 12), 4], [rnd.float(12, 18), 4], [rnd.float(18, 22), 3]] as const);
  return later(dayStart, Math.round(hour * HOUR));
}

function chinaMidnight(at: Date): Date {
  const d = chinaDateOf(at);
  return new Date(`${d}T00:00:00+08:00`);
}

function fill(template: string, place: Place, rnd: Random): string {
  return template
    .replace(/\{c\}/g, place.compound)
    .replace(/\{b\}/g, place.building)
    .replace(/\{r\}/g, place.road)
    .replace(/\{n\}/g, String(rnd.int(2, 5)));
}

interface Place {
  grid: DemoArea;
  building: string;
  compound: string;
  road: string;
  buildingId: string;
  lng: number;
  lat: number;
}

interface PlanContext {
  street: DemoStreet;
  categories: DemoCategory[];
  now: Date;
  /** Demo logins present in the database (a username taken elsewhere is left out). */
  users: Map<string, DemoUser>;
  seed: number;
}

/**
 * The stories of the demo cases. Pure: the same inputs give the same plan. Case numbers and the
 * audit entries are made by the loader, which knows the numbers already used.
 */
export function planDemoCases(ctx: PlanContext): DemoCasePlan {
  const { street, now } = ctx;
  const rnd = createRandom(ctx.seed).fork("cases");
  const cal = workingCalendar();
  const catByCode = new Map(ctx.categories.map((c) => [c.code, c]));
  const areaById = new Map(street.areas.map((a) => [a.id, a]));
  const grids = street.areas.filter((a) => a.level === "grid");
  const streetArea = street.areas.find((a) => a.level === "street")!;
  const communities = street.areas.filter((a) => a.level === "community");
  const departments = street.organizations.filter((o) => o.kind === "department");
  const compounds = new Map(street.compounds.map((c) => [c.id, c]));
  const buildingsByGrid = new Map<string, DemoBuilding[]>();
  for (const b of street.buildings) {
    const list = buildingsByGrid.get(b.gridId) ?? [];
    list.push(b);
    buildingsByGrid.set(b.gridId, list);
  }
  const adultsByGrid = new Map<string, DemoPerson[]>();
  for (const p of street.persons) {
    const age = now.getUTCFullYear() - p.birthYear;
    if (age < 18) continue;
    const list = adultsByGrid.get(p.gridId) ?? [];
    list.push(p);
    adultsByGrid.set(p.gridId, list);
  }
  const user = (name: string) => ctx.users.get(name);
  const residentUser = user("resident");
  const gridworkerUser = user("gridworker");
  const streetAdmin = street.users.find((u) => u.username === "streetadmin")!;
  const streetAdminWho: Who = { userId: user("streetadmin")?.id ?? null, label: streetAdmin.displayName };
  const communityWorker = street.users.find((u) => u.username === "communityworker")!;
  const secretary = street.users.find((u) => u.username === "secretary")!;
  const deptStaffLogin = street.users.find((u) => u.username === "deptstaff")!;
  const residentLogin = street.users.find((u) => u.username === "resident")!;
  const firstGridId = street.roleGrants.find((g) => g.userId === street.users.find((u) => u.username === "gridworker")!.id)!.areaId;
  const firstGrid = areaById.get(firstGridId)!;
  const residentGridId = street.persons.find((p) => p.id === residentLogin.personId)?.gridId ?? firstGridId;

  // Who works where: the grid's full-time worker, a community worker per community (the login in
  // community 1, else the leader of its first grid), a staff member per department.
  const fullTime = new Map<string, Who>();
  const leaders = new Map<string, string>();
  for (const s of street.gridStaff) {
    if (s.role === "fullTime") fullTime.set(s.gridId, { userId: s.userId !== null && gridworkerUser?.id === s.userId ? s.userId : null, label: s.name });
    if (s.role === "leader") leaders.set(s.gridId, s.name);
  }
  const communityWho = new Map<string, Who>();
  for (const c of communities) {
    if (c.id === firstGrid.parentId) communityWho.set(c.id, { userId: user("communityworker")?.id ?? null, label: communityWorker.displayName });
    else {
      const g = grids.find((x) => x.parentId === c.id)!;
      communityWho.set(c.id, { userId: null, label: leaders.get(g.id) ?? fullName(rnd, "female", 1985) });
    }
  }
  const departmentWho = new Map<string, Who>();
  departments.forEach((d, i) => {
    if (i === 0) departmentWho.set(d.id, { userId: user("deptstaff")?.id ?? null, label: deptStaffLogin.displayName });
    else departmentWho.set(d.id, { userId: null, label: fullName(rnd, rnd.chance(0.5) ? "male" : "female", rnd.int(1972, 1995)) });
  });
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));

  const plan: DemoCasePlan = { cases: [], events: [], timers: [], whistles: [], summons: [], extensions: [], extraAudit: [], phones: new Map() };

  const placeIn = (grid: DemoArea): Place => {
    const b = rnd.pick(buildingsByGrid.get(grid.id)!);
    const compound = compounds.get(b.compoundId)!;
    const road = /街道(.+?)\d+号$/.exec(compound.address)?.[1] ?? "玉林路";
    return { grid, building: b.name, compound: compound.name, road, buildingId: b.id, lng: b.lng, lat: b.lat };
  };

  const codes = Object.keys(reportTexts).filter((c) => catByCode.has(c));
  if (codes.length === 0 || grids.length === 0) return plan;
  const codeWeights: Record<string, number> = { "0101": 9, "0402": 7, "0403": 7, "0604": 6, "0701": 5, "0702": 6, "0704": 5, "0201": 5, "0204": 5, "0103": 5, "0802": 4, "0401": 4, "1001": 3 };
  const weightedCodes = codes.map((c) => [c, codeWeights[c] ?? 2] as const);
  /** Codes routed to a level the timer runner does not escalate on a missed handling deadline. */
  const topLevelCodes = codes.filter((c) => {
    const cat = catByCode.get(c)!;
    const r = routeCase(cat, "/a/b/c/d/e/");
    return r.level === "street" || r.level === "department";
  });
  const gridWeights = grids.map((g) => [g, g.id === firstGridId ? 12 : 1] as const);

  // ——— one case
  class Story {
    row: CaseInsert;
    status: CaseStatus = "submitted";
    t: Date;
    cat: DemoCategory;
    place: Place;
    events: PlannedEvent[] = [];
    /** Whether the deadlines of this case changed after intake (reopen): no reminders computed. */
    deadlinesMoved = false;
    /** Escalated by hand: the response deadline was set again then. */
    escalated = false;
    constructor(opts: { cat: DemoCategory; grid: DemoArea; source: CaseSource; at: Date; reporter?: { userId: string | null; personId: string | null }; description?: string }) {
      this.cat = opts.cat;
      this.place = placeIn(opts.grid);
      this.t = opts.at;
      const routing = routeCase(opts.cat, opts.grid.path);
      const ids = opts.grid.path.split("/").filter(Boolean);
      const source = opts.source;
      const texts = reportTexts[opts.cat.code]!;
      const description = opts.description ?? fill(rnd.pick(texts), this.place, rnd);
      const hotline = source === "hotline";
      const withBuilding = source === "resident" || source === "onBehalf" ? rnd.chance(0.6) : false;
      let reporterPersonId: string | null = opts.reporter?.personId ?? null;
      if (!opts.reporter && (source === "resident" || source === "onBehalf")) {
        const adults = adultsByGrid.get(opts.grid.id) ?? [];
        if (adults.length > 0) reporterPersonId = rnd.pick(adults).id;
      }
      const id = rnd.uuid();
      const gw = fullTime.get(opts.grid.id)!;
      const surnameOf = hotline ? rnd.pick(["王", "李", "张", "刘", "陈", "杨", "何", "罗", "周", "邓"]) : "";
      this.row = {
        id,
        caseNo: "",
        source,
        categoryId: opts.cat.id,
        categoryCode: opts.cat.code,
        description,
        urgency: opts.cat.code === "0202" || opts.cat.code === "1103" ? "urgent" : "normal",
        status: "submitted",
        level: routing.level,
        handlingAreaId: routing.handlingAreaId,
        handlingOrgId: routing.handlingOrgId,
        gridId: opts.grid.id,
        areaPath: opts.grid.path,
        communityId: ids[3] ?? null,
        streetId: ids[2] ?? null,
        lng: this.place.lng,
        lat: this.place.lat,
        buildingId: withBuilding ? this.place.buildingId : null,
        locationText: source === "patrol" ? null : `${this.place.compound}${withBuilding ? this.place.building : "附近"}`,
        reporterUserId: opts.reporter?.userId ?? null,
        reporterPersonId,
        recordedByUserId: source === "patrol" || source === "onBehalf" ? gw.userId : hotline ? streetAdminWho.userId : null,
        anonymous: source === "resident" && rnd.chance(0.08),
        contactName: hotline ? `${surnameOf}${rnd.chance(0.5) ? "女士" : "先生"}` : null,
        externalRef: hotline ? `12345-${chinaDateOf(opts.at).replace(/-/g, "")}${String(rnd.int(0, 99999)).padStart(5, "0")}` : source === "open311" ? `o311-${id.slice(0, 8)}` : null,
        attributes: attributesFor(opts.cat.code, rnd),
        responseDueAt: dueAfter(opts.at, opts.cat.responseLimitValue, opts.cat.responseLimitUnit),
        handleDueAt: dueAfter(opts.at, opts.cat.handleLimitValue, opts.cat.handleLimitUnit),
        submittedAt: opts.at,
        updatedAt: opts.at,
      };
      if (hotline) plan.phones.set(id, demoHotlinePhone(id));
      const submitter: Who =
        source === "patrol" || source === "onBehalf"
          ? gw
          : source === "resident"
            ? { userId: opts.reporter?.userId ?? null, label: "反映人" }
            : source === "hotline"
              ? { userId: streetAdminWho.userId, label: streetAdminWho.label }
              : { userId: null, label: "Open311 接口" };
      this.events.push({
        caseId: id,
        at: opts.at,
        who: submitter,
        action: "submit",
        fromStatus: null,
        toStatus: "submitted",
        fromLevel: null,
        toLevel: routing.level,
        note: null,
        data: { source, photoCount: 0 },
        visibleToReporter: true,
      });
      if (source === "patrol") this.step("register", gw, later(opts.at, 1000), { note: "网格员巡查发现，直接立案", data: { auto: "patrol" }, patch: { registeredAt: later(opts.at, 1000) } });
    }

    get level(): CaseLevel {
      return this.row.level;
    }

    /** The dispatcher of the level: community staff for grid and community, the street otherwise. */
    dispatcher(): Who {
      return this.level === "grid" || this.level === "community" ? communityWho.get(this.row.communityId!)! : streetAdminWho;
    }

    handler(): Who {
      switch (this.level) {
        case "grid":
          return fullTime.get(this.row.gridId)!;
        case "community":
          return communityWho.get(this.row.communityId!)!;
        case "department":
          return departmentWho.get(this.row.handlingOrgId!) ?? streetAdminWho;
        case "street":
        case "district":
          return streetAdminWho;
      }
    }

    step(
      action: CaseAction,
      who: Who,
      at: Date,
      input: { note?: string | null; data?: Record<string, unknown>; patch?: Partial<CaseInsert>; visibleToReporter?: boolean } = {},
    ): this {
      const to = nextStatus(this.status, action, action === "unpark" ? "registered" : null);
      if (!to) throw new Error(`demo case: ${action} is not allowed from ${this.status}`);
      const last = this.events[this.events.length - 1]!.at;
      const when = at.getTime() <= last.getTime() ? later(last, MIN) : at;
      const fromLevel = this.level;
      Object.assign(this.row, input.patch ?? {}, { status: to, updatedAt: when });
      this.events.push({
        caseId: this.row.id,
        at: when,
        who,
        action,
        fromStatus: this.status,
        toStatus: to,
        fromLevel,
        toLevel: this.level,
        note: input.note ?? null,
        data: input.data ?? {},
        visibleToReporter: input.visibleToReporter ?? true,
      });
      this.status = to;
      this.t = when;
      return this;
    }

    register(at: Date): this {
      if (this.status !== "submitted") return this;
      return this.step("register", this.dispatcher(), at, { patch: { registeredAt: at } });
    }

    dispatch(at: Date): this {
      return this.step("dispatch", this.dispatcher(), at, {
        data: { level: this.level, orgId: this.row.handlingOrgId ?? null },
        patch: { dispatchedAt: at },
      });
    }

    receive(at: Date): this {
      return this.step("receive", this.handler(), at, { patch: { receivedAt: this.row.receivedAt ?? at } });
    }

    feedback(at: Date): this {
      const pool = this.cat.code.startsWith("12") ? consultResults : (resultTexts[this.cat.code] ?? genericResults);
      return this.step("feedback", this.handler(), at, { note: rnd.pick(pool), patch: { feedbackAt: at } });
    }

    verify(at: Date, passed: boolean): this {
      // The grid's full-time worker checks the result, unless they reported it: then the community
      // staff do (separation of duties, cases/verification.ts).
      const gridWorker = fullTime.get(this.row.gridId)!;
      const lastFeedback = this.events.findLast((e) => e.action === "feedback");
      const who = lastFeedback?.who === gridWorker ? communityWho.get(this.row.communityId!)! : gridWorker;
      if (passed) return this.step("verifyPass", who, at, { note: rnd.chance(0.5) ? "现场核查，问题已解决" : null });
      return this.step("verifyFail", who, at, { note: "现场核查发现问题仍未解决，请返工", patch: { reworkCount: (this.row.reworkCount ?? 0) + 1 } });
    }

    close(at: Date): this {
      const due = this.row.handleDueAt ?? null;
      const closedOnTime = due === null || at.getTime() <= due.getTime();
      return this.step("close", this.level === "department" ? streetAdminWho : this.dispatcher(), at, { data: { closedOnTime }, patch: { closedAt: at, closedOnTime } });
    }

    rate(at: Date, rating: CaseRating, resolved: boolean): this {
      const byReporter = this.row.reporterUserId !== null && this.row.reporterUserId !== undefined;
      const who: Who = byReporter
        ? { userId: this.row.reporterUserId!, label: residentLogin.displayName }
        : this.row.source === "hotline"
          ? { userId: null, label: "12345 热线回访" }
          : { ...communityWho.get(this.row.communityId!)!, label: `${communityWho.get(this.row.communityId!)!.label}（电话回访）` };
      const comment = rnd.pick(ratingComments[rating]);
      return this.step("rate", who, at, {
        note: comment === "" ? null : comment,
        data: byReporter ? { resolved, rating } : { resolved, rating, via: "phone" },
        patch: { rating, resolved, ratedAt: at },
      });
    }
  }

  const stories: Story[] = [];

  const pickSource = (): CaseSource => rnd.weighted([["resident", 48], ["patrol", 14], ["hotline", 28], ["open311", 3], ["onBehalf", 7]] as const);

  /** A submission time `daysBack` days before now (a China day), never later than `latest`. */
  const submittedAround = (daysBack: number, latest: Date): Date => {
    const day = chinaMidnight(later(now, -daysBack * DAY));
    const at = reportTime(rnd, day);
    return at.getTime() > latest.getTime() ? later(latest, -rnd.int(5, 60) * MIN) : at;
  };

  /** Register, dispatch, receive and start within the response window (or before `cap`). */
  const respond = (s: Story, cap: Date, stopAfter?: CaseStatus): boolean => {
    const S = s.row.submittedAt;
    const respDue = s.row.responseDueAt ?? later(S, 4 * HOUR);
    const end = new Date(Math.min(respDue.getTime(), cap.getTime()));
    const f = [rnd.float(0.05, 0.2), rnd.float(0.22, 0.4), rnd.float(0.45, 0.9)];
    s.register(between(S, end, f[0]!));
    if (stopAfter === "registered") return false;
    s.dispatch(between(S, end, f[1]!));
    if (stopAfter === "dispatched") return false;
    s.receive(between(S, end, f[2]!));
    if (stopAfter === "received") return false;
    const startAt = later(s.t, rnd.int(5, 90) * MIN);
    s.step("start", s.handler(), startAt.getTime() < cap.getTime() ? startAt : between(s.t, cap, 0.3));
    return true;
  };

  /** A system reminder inserted at its time (the status then is the one of the step before). */
  const remindAt = (s: Story, at: Date, clock: "response" | "handle", overdue = false) => {
    const due = clock === "response" ? s.row.responseDueAt! : s.row.handleDueAt!;
    const by = new Date(due.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace("T", " ");
    const before = [...s.events].reverse().find((e) => e.at.getTime() <= at.getTime())!;
    const status = before.toStatus;
    if (!nextStatus(status, "remind")) return;
    // The runner escalates instead of reminding there; the stories keep those deadlines.
    if (overdue && (clock === "response" ? before.toLevel !== "department" && before.toLevel !== "district" : before.toLevel === "grid" || before.toLevel === "community")) return;
    const note = overdue
      ? `已超过${clock === "response" ? "签收" : "办理"}时限（${by}），仍未${clock === "response" ? "签收" : "办结"}`
      : clock === "response"
        ? `签收时限将至（${by}），请尽快签收`
        : `办理时限将至（${by}），请抓紧办理`;
    const kind = overdue ? (clock === "response" ? "responseDue" : "handleDue") : clock === "response" ? "responseWarning" : "handleWarning";
    s.events.push({
      caseId: s.row.id,
      at,
      who: systemWho,
      action: "remind",
      fromStatus: status,
      toStatus: status,
      fromLevel: before.toLevel,
      toLevel: before.toLevel,
      note,
      data: overdue ? { kind, dueAt: due.toISOString(), overdue: true, escalated: false } : { kind, dueAt: due.toISOString() },
      visibleToReporter: false,
    });
    s.events.sort((a, b) => a.at.getTime() - b.at.getTime());
  };

  /** Handle, verify (sometimes rework), close on time or late; returns the closing time. */
  const handleToClose = (s: Story, late: boolean): void => {
    const due = s.row.handleDueAt ?? later(s.t, 3 * DAY);
    const startAt = s.t;
    if (!late) {
      const rework = rnd.chance(0.07);
      s.feedback(between(startAt, due, rnd.float(0.25, rework ? 0.4 : 0.6)));
      if (rework) {
        s.verify(between(startAt, due, rnd.float(0.45, 0.5)), false);
        s.feedback(between(startAt, due, rnd.float(0.55, 0.65)));
      }
      s.verify(between(startAt, due, rnd.float(0.68, 0.8)), true);
      const closeAt = between(s.t, due, rnd.float(0.1, 0.5));
      s.close(closeAt.getTime() < due.getTime() ? closeAt : later(s.t, MIN));
    } else {
      const fb = cal.addWorkingHours(due, rnd.float(2, 30));
      s.feedback(fb);
      s.verify(cal.addWorkingHours(fb, rnd.float(0.5, 4)), true);
      s.close(later(s.t, rnd.int(10, 90) * MIN));
    }
  };

  const rateOf = (): [CaseRating, boolean] => {
    const rating = rnd.weighted([["satisfied", 80], ["basic", 14], ["dissatisfied", 6]] as const);
    const resolved = rating === "satisfied" ? rnd.chance(0.97) : rating === "basic" ? rnd.chance(0.8) : rnd.chance(0.25);
    return [rating, resolved];
  };

  /** Rated by the reporter (or a phone revisit) 2–72 hours after closing, when that is before now. */
  const maybeRate = (s: Story, forced?: [CaseRating, boolean]) => {
    if (s.row.source === "patrol" || s.row.source === "open311") return;
    const at = later(s.t, rnd.int(2, 72) * HOUR);
    if (at.getTime() >= now.getTime() - 10 * MIN) return;
    const [rating, resolved] = forced ?? rateOf();
    s.rate(at, rating, resolved);
  };

  /** A category, a grid and a time for a case finished by now (its handling deadline well past). */
  const finishedCase = (opts: { codes?: readonly string[]; grid?: DemoArea; source?: CaseSource; reporter?: { userId: string | null; personId: string | null }; maxDays?: number; minDays?: number } = {}): Story => {
    for (let attempt = 0; ; attempt++) {
      const code = opts.codes ? rnd.pick(opts.codes) : rnd.weighted(weightedCodes);
      const cat = catByCode.get(code)!;
      const grid = opts.grid ?? rnd.weighted(gridWeights);
      const at = submittedAround(rnd.int(opts.minDays ?? 2, opts.maxDays ?? demoCaseDays), later(now, -2 * HOUR));
      const handleDue = dueAfter(at, cat.handleLimitValue, cat.handleLimitUnit) ?? later(at, 3 * DAY);
      // Finished with room to spare; after many tries take an older day.
      if (handleDue.getTime() < now.getTime() - 2 * HOUR || attempt > 20) {
        const s = new Story({ cat, grid, source: opts.source ?? pickSource(), at: attempt > 20 ? later(at, -30 * DAY) : at, ...(opts.reporter ? { reporter: opts.reporter } : {}) });
        return s;
      }
    }
  };

  const finish = (s: Story, late = false) => {
    respond(s, later(now, -HOUR));
    handleToClose(s, late);
    maybeRate(s);
    stories.push(s);
  };

  // ——— the demo resident's own cases: one rated after a reopen, one closed awaiting a rating, one in progress
  if (residentUser) {
    const residentGrid = areaById.get(residentGridId)!;
    const reporter = { userId: residentUser.id, personId: residentLogin.personId };
    const reopenCodes = ["0403", "0204", "0701"].filter((c) => catByCode.has(c));
    if (reopenCodes.length > 0) {
      const s = finishedCase({ codes: reopenCodes, grid: residentGrid, source: "resident", reporter, minDays: 40, maxDays: 60 });
      respond(s, later(now, -HOUR));
      handleToClose(s, false);
      s.rate(later(s.t, 20 * HOUR), "dissatisfied", false);
      const reopenAt = later(s.t, 3 * HOUR);
      const newDue = dueAfter(reopenAt, s.cat.handleLimitValue, s.cat.handleLimitUnit);
      s.deadlinesMoved = true;
      s.step("reopen", { userId: residentUser.id, label: residentLogin.displayName }, reopenAt, {
        note: "过了两天又是老样子，希望彻底解决",
        data: { previous: { rating: s.row.rating, resolved: s.row.resolved, ratedAt: s.row.ratedAt?.toISOString() ?? null, closedAt: s.row.closedAt?.toISOString() ?? null, closedOnTime: s.row.closedOnTime } },
        patch: { reopenCount: 1, closedAt: null, closedOnTime: null, rating: null, resolved: null, ratedAt: null, dispatchedAt: reopenAt, handleDueAt: newDue },
      });
      s.receive(later(reopenAt, 40 * MIN));
      s.step("start", s.handler(), later(s.t, 30 * MIN));
      handleToClose(s, false);
      s.rate(later(s.t, 26 * HOUR), "satisfied", true);
      stories.push(s);
    }
    const closedCodes = ["0101", "0704", "0402"].filter((c) => catByCode.has(c));
    if (closedCodes.length > 0) {
      const s = finishedCase({ codes: closedCodes, grid: residentGrid, source: "resident", reporter, minDays: 2, maxDays: 4 });
      respond(s, later(now, -HOUR));
      handleToClose(s, false);
      stories.push(s); // closed: waiting for the resident's rating
    }
    const openCodes = ["0702", "0604", "0802"].filter((c) => catByCode.has(c));
    if (openCodes.length > 0) stories.push(openCase({ code: rnd.pick(openCodes), grid: residentGrid, status: "inProgress", source: "resident", reporter }));
  }

  // ——— open cases (recent, deadlines ahead)
  function openCase(opts: { code?: string; grid?: DemoArea; status: OpenStatus; source?: CaseSource; reporter?: { userId: string | null; personId: string | null }; minBack?: number }): Story {
    const code = opts.code ?? rnd.weighted(weightedCodes);
    const cat = catByCode.get(code)!;
    const grid = opts.grid ?? rnd.weighted(gridWeights);
    const responseStage = opts.status === "submitted" || opts.status === "registered" || opts.status === "dispatched";
    // Back off from now until the running deadline lies ahead.
    let back = Math.max(opts.minBack ?? 0, responseStage ? rnd.int(10, 240) * MIN : rnd.int(2, 72) * HOUR);
    let at = later(now, -back);
    for (let i = 0; i < 30; i++) {
      const due = responseStage ? dueAfter(at, cat.responseLimitValue, cat.responseLimitUnit) : dueAfter(at, cat.handleLimitValue, cat.handleLimitUnit);
      if (!due || due.getTime() > now.getTime() + 20 * MIN) break;
      back = Math.max(5 * MIN, Math.round(back / 2));
      at = later(now, -back);
    }
    const source = opts.source ?? (opts.status === "submitted" ? rnd.pick(["resident", "hotline", "open311"] as const) : pickSource());
    const s = new Story({ cat, grid, source, at, ...(opts.reporter ? { reporter: opts.reporter } : {}) });
    const cap = later(now, -3 * MIN);
    const span = (f: number) => between(at, cap, f);
    switch (opts.status) {
      case "submitted":
        break;
      case "registered":
      case "dispatched":
        respond(s, cap, opts.status);
        break;
      case "received":
      case "inProgress":
      case "feedback":
      case "verified": {
        const full = respond(s, new Date(Math.min(cap.getTime(), span(0.35).getTime())), opts.status === "received" ? "received" : undefined);
        if (!full) break;
        if (opts.status === "inProgress") break;
        s.feedback(span(rnd.float(0.6, 0.85)));
        if (opts.status === "verified") s.verify(span(0.95), true);
        break;
      }
    }
    return s;
  }

  const gridworkerGrid = firstGrid;
  const gridLevelCodes = codes.filter((c) => routeCase(catByCode.get(c)!, "/a/b/c/d/e/").level === "grid");
  // The grid worker has cases to receive and to verify in their grid. Those to verify are handled by
  // the community (community-level categories): nobody verifies a result they reported themselves.
  const communityLevelCodes = codes.filter((c) => routeCase(catByCode.get(c)!, "/a/b/c/d/e/").level === "community");
  for (const status of ["dispatched", "dispatched", "feedback", "feedback", "feedback", "inProgress"] as const) {
    const pool = status === "feedback" && communityLevelCodes.length > 0 ? communityLevelCodes : gridLevelCodes.length > 0 ? gridLevelCodes : codes;
    stories.push(openCase({ code: rnd.pick(pool), grid: gridworkerGrid, status }));
  }
  // The demo department staff has cases of their own department to receive and in hand.
  const deptFirstCodes = codes.filter((c) => catByCode.get(c)!.departmentOrgId === departments[0]?.id);
  if (deptFirstCodes.length > 0) {
    for (const status of ["dispatched", "dispatched", "inProgress"] as const) stories.push(openCase({ code: rnd.pick(deptFirstCodes), status }));
  }
  const openMix: [OpenStatus, number][] = [
    ["submitted", 8],
    ["registered", 5],
    ["dispatched", 7],
    ["received", 6],
    ["inProgress", 12],
    ["feedback", 6],
    ["verified", 2],
  ];
  for (const [status, n] of openMix) for (let i = 0; i < n; i++) stories.push(openCase({ status }));

  // ——— overdue: at the street or a department, handling deadline passed (reminded, not escalated)
  const overdueCodes = topLevelCodes.filter((c) => {
    const cat = catByCode.get(c)!;
    return cat.handleLimitUnit !== "workingDays" || (cat.handleLimitValue ?? 0) <= 5;
  });
  for (let i = 0; i < 7 && overdueCodes.length > 0; i++) {
    const code = rnd.pick(overdueCodes);
    const cat = catByCode.get(code)!;
    let at = submittedAround(rnd.int(8, 25), later(now, -DAY));
    for (let k = 0; k < 10 && (dueAfter(at, cat.handleLimitValue, cat.handleLimitUnit)?.getTime() ?? 0) > now.getTime() - 2 * HOUR; k++) at = later(at, -3 * DAY);
    const s = new Story({ cat, grid: rnd.weighted(gridWeights), source: pickSource(), at });
    respond(s, later(now, -DAY));
    stories.push(s);
  }

  // ——— parked, rejected, cancelled
  for (let i = 0; i < 6; i++) {
    const s = finishedCase({ codes: ["0501", "0204", "0503", "0405", "0402"].filter((c) => catByCode.has(c)), minDays: 20 });
    respond(s, later(now, -HOUR), i % 2 === 0 ? "registered" : "dispatched");
    s.step("park", s.dispatcher(), between(s.t, s.row.responseDueAt ?? later(s.t, HOUR), rnd.float(0.2, 0.8)), { note: rnd.pick(parkReasons) });
    stories.push(s);
  }
  for (let i = 0; i < 12; i++) {
    const s = finishedCase({ source: rnd.pick(["resident", "hotline", "open311"] as const) });
    const reason = rnd.pick(rejectReasons);
    s.step("reject", s.dispatcher(), between(s.row.submittedAt, s.row.responseDueAt ?? later(s.t, HOUR), rnd.float(0.1, 0.7)), { note: reason, patch: { rejectReason: reason } });
    stories.push(s);
  }
  for (let i = 0; i < 4; i++) {
    const s = finishedCase({ source: "hotline" });
    s.step("cancel", s.dispatcher(), between(s.row.submittedAt, s.row.responseDueAt ?? later(s.t, HOUR), rnd.float(0.2, 0.8)), { note: rnd.pick(cancelReasons) });
    stories.push(s);
  }

  // ——— whistled: the street (or community 1's secretary) summons departments
  const whistleCodes = Object.keys(whistleReasons).filter((c) => catByCode.has(c));
  const streetLevelWhistle = (s: Story, until: Date) => {
    // A grid or community case goes up to the street before departments are summoned to it.
    if (s.level === "grid" || s.level === "community") {
      const from = s.t;
      const patch = { level: "street" as CaseLevel, handlingAreaId: areaAtLevel(s.row.areaPath, "street"), handlingOrgId: null };
      s.step("escalate", s.handler(), between(from, until, 0.1), {
        note: "涉及多个部门职责，网格和社区无法单独解决，上报街道",
        data: { fromLevel: s.level, toLevel: "street", orgId: null, automatic: false },
        patch: { ...patch, escalationCount: (s.row.escalationCount ?? 0) + 1, responseDueAt: dueAfter(s.t, s.cat.responseLimitValue, s.cat.responseLimitUnit) },
      });
      s.escalated = true;
      s.dispatch(between(from, until, 0.15));
      s.receive(between(from, until, 0.2));
      s.step("start", s.handler(), between(from, until, 0.25));
    }
  };
  const blow = (s: Story, at: Date, orgIds: string[], byCommunity = false) => {
    const whistleId = rnd.uuid();
    const limit = { value: 2, unit: "workingHours" as const };
    const dueAt = dueAfter(at, limit.value, limit.unit)!;
    const community = byCommunity && user("secretary") !== undefined && s.row.communityId === firstGrid.parentId;
    const by: Who = community ? { userId: user("secretary")!.id, label: secretary.displayName } : streetAdminWho;
    plan.whistles.push({ id: whistleId, caseId: s.row.id, areaId: community ? s.row.communityId! : streetArea.id, blownBy: by.userId!, reason: whistleReasons[s.cat.code] ?? genericWhistleReason, blownAt: at });
    const summons = orgIds.map((orgId): PlannedSummons => ({
      id: rnd.uuid(),
      whistleId,
      caseId: s.row.id,
      departmentOrgId: orgId,
      status: "summoned",
      reportInDueAt: dueAt,
      reportedInAt: null,
      reportedInBy: null,
      finishedAt: null,
      finishedBy: null,
      finishNote: null,
      recordedOnBehalf: false,
      endedAt: null,
      endedBy: null,
      endReason: null,
      score: null,
      scoreNote: null,
      scoredBy: null,
      scoredAt: null,
      createdAt: at,
    }));
    plan.summons.push(...summons);
    s.step("whistle", by, at, {
      note: whistleReasons[s.cat.code] ?? genericWhistleReason,
      data: { whistleId, departments: orgIds.map((id) => ({ id, name: departmentName.get(id) })), reportInLimit: limit, reportInDueAt: dueAt.toISOString() },
      patch: { whistled: true },
      visibleToReporter: true,
    });
    return { summons, dueAt };
  };
  const reportInStep = (s: Story, sm: (typeof plan.summons)[number], at: Date) => {
    const who = departmentWho.get(sm.departmentOrgId)!;
    sm.status = "reportedIn";
    sm.reportedInAt = at;
    sm.reportedInBy = who.userId;
    s.step("reportIn", who, at, { data: { summonsId: sm.id, department: { id: sm.departmentOrgId, name: departmentName.get(sm.departmentOrgId) }, onTime: at.getTime() <= sm.reportInDueAt.getTime() } });
  };
  const finishStep = (s: Story, sm: (typeof plan.summons)[number], at: Date) => {
    const who = departmentWho.get(sm.departmentOrgId)!;
    const note = rnd.pick(summonsFinishNotes);
    sm.status = "finished";
    sm.finishedAt = at;
    sm.finishedBy = who.userId;
    sm.finishNote = note;
    s.step("finishSummons", who, at, { note, data: { summonsId: sm.id, department: { id: sm.departmentOrgId, name: departmentName.get(sm.departmentOrgId) } } });
  };
  const scoreStep = (s: Story, sm: (typeof plan.summons)[number], at: Date, by: Who) => {
    const score = rnd.weighted([[5, 6], [4, 3], [3, 1]] as const);
    sm.score = score;
    sm.scoredAt = at;
    sm.scoredBy = by.userId;
    sm.scoreNote = score === 5 ? "响应快，处置到位" : score === 4 ? "配合较好" : "报到及时，但处置拖了几天";
    plan.extraAudit.push({
      who: by,
      action: "case.scoreSummons",
      entityId: s.row.id,
      at,
      change: { summonsId: sm.id, departmentOrgId: sm.departmentOrgId, score, note: sm.scoreNote, at: at.toISOString() },
      summary: { caseNo: "", summonsId: sm.id, score },
    });
  };
  const pickDepartments = (n: number, mustFirst = false): string[] => {
    const ids = rnd.shuffle(departments.map((d) => d.id)).slice(0, n);
    if (mustFirst && departments[0] && !ids.includes(departments[0].id)) ids[0] = departments[0].id;
    return ids;
  };
  if (whistleCodes.length > 0 && departments.length > 0 && streetAdminWho.userId) {
    // Closed whistled cases: every department reported in and finished, scored; then closed and rated.
    for (let i = 0; i < 6; i++) {
      const s = finishedCase({ codes: whistleCodes, minDays: 15 });
      respond(s, later(now, -HOUR));
      streetLevelWhistle(s, cal.addWorkingHours(s.t, 16));
      const { summons, dueAt } = blow(s, later(s.t, rnd.int(30, 240) * MIN), pickDepartments(rnd.int(1, 3)));
      for (const sm of summons) reportInStep(s, sm, rnd.chance(0.85) ? between(s.t, dueAt, rnd.float(0.2, 0.9)) : cal.addWorkingHours(dueAt, rnd.float(0.5, 3)));
      for (const sm of summons) finishStep(s, sm, cal.addWorkingHours(s.t, rnd.float(3, 20)));
      for (const sm of summons) scoreStep(s, sm, cal.addWorkingHours(s.t, rnd.float(1, 6)), streetAdminWho);
      s.feedback(cal.addWorkingHours(s.t, rnd.float(1, 8)));
      s.verify(cal.addWorkingHours(s.t, rnd.float(0.5, 4)), true);
      s.close(later(s.t, rnd.int(10, 60) * MIN));
      maybeRate(s);
      stories.push(s);
    }
    // Open whistled cases: the demo department staff has one summons to report in, one to finish.
    const openWhistles: ("summoned" | "reportedIn" | "finished")[] = ["summoned", "reportedIn", "finished", "summoned"];
    const longCodes = whistleCodes.filter((c) => catByCode.get(c)!.handleLimitUnit === "workingDays" && (catByCode.get(c)!.handleLimitValue ?? 0) >= 2);
    openWhistles.forEach((state, i) => {
      if (longCodes.length === 0) return;
      const s = openCase({ code: rnd.pick(longCodes), status: "inProgress", minBack: 30 * HOUR });
      const until = later(now, -2 * HOUR);
      streetLevelWhistle(s, until);
      const lastAt = s.events[s.events.length - 1]!.at;
      // The pending report-in: blown a little while ago, its deadline ahead.
      const blownAt = state === "summoned" ? new Date(Math.max(lastAt.getTime() + MIN, now.getTime() - rnd.int(15, 60) * MIN)) : between(lastAt, until, 0.3);
      const byCommunity = i === 3;
      const { summons, dueAt } = blow(s, blownAt, pickDepartments(i === 0 ? 1 : 2, i < 2), byCommunity);
      if (state !== "summoned") {
        for (const sm of summons) reportInStep(s, sm, between(blownAt, new Date(Math.min(dueAt.getTime(), now.getTime() - 10 * MIN)), rnd.float(0.2, 0.8)));
        const first = summons.find((sm) => sm.departmentOrgId === departments[0]!.id);
        for (const sm of summons) {
          if (state === "reportedIn" && sm === first) continue;
          if (s.t.getTime() < now.getTime() - 20 * MIN) finishStep(s, sm, between(s.t, later(now, -10 * MIN), rnd.float(0.3, 0.8)));
        }
      }
      s.row.whistled = true;
      stories.push(s);
    });
  }

  // ——— extensions approved: a department asked for more time, the street agreed
  if (deptFirstCodes.length > 0 && user("deptstaff") && streetAdminWho.userId) {
    for (let i = 0; i < 3; i++) {
      const s = finishedCase({ codes: deptFirstCodes, minDays: 20 });
      respond(s, later(now, -HOUR));
      const due = s.row.handleDueAt!;
      const reqAt = between(s.t, due, 0.4);
      const reason = rnd.pick(extensionReasons);
      const extId = rnd.uuid();
      const extra = { value: rnd.int(2, 5), unit: "workingDays" as const };
      s.step("requestExtension", s.handler(), reqAt, { note: reason, data: { extensionId: extId, extraValue: extra.value, extraUnit: extra.unit }, visibleToReporter: false });
      const decidedAt = later(s.t, rnd.int(30, 180) * MIN);
      const newDue = dueAfter(due, extra.value, extra.unit)!;
      s.step("approveExtension", streetAdminWho, decidedAt, {
        note: "同意延期，请按新时限办结",
        data: { extensionId: extId, extraValue: extra.value, extraUnit: extra.unit, newDueAt: newDue.toISOString() },
        patch: { handleDueAt: newDue, extensionCount: 1 },
      });
      plan.extensions.push({
        id: extId,
        caseId: s.row.id,
        requestedBy: user("deptstaff")!.id,
        reason,
        extraValue: extra.value,
        extraUnit: extra.unit,
        status: "approved",
        decidedBy: streetAdminWho.userId,
        decidedAt,
        decisionNote: "同意延期，请按新时限办结",
        newDueAt: newDue,
        createdAt: reqAt,
      });
      s.deadlinesMoved = true;
      const startAt = s.t;
      s.feedback(between(startAt, newDue, rnd.float(0.4, 0.7)));
      s.verify(between(startAt, newDue, 0.8), true);
      s.close(later(s.t, rnd.int(10, 60) * MIN));
      maybeRate(s);
      stories.push(s);
    }
  }

  // ——— the bulk: finished cases, a few late at the street or a department
  const mergeTargets: Story[] = [];
  while (stories.length < demoCaseTarget - 10) {
    const s = finishedCase({});
    const late = (s.level === "street" || s.level === "department") && rnd.chance(0.15) && s.row.submittedAt.getTime() < now.getTime() - 30 * DAY;
    finish(s, late);
    if (mergeTargets.length < 10 && s.row.source !== "patrol" && (s.row.closedAt?.getTime() ?? 0) - s.row.submittedAt.getTime() > 3 * HOUR) mergeTargets.push(s);
  }

  // ——— merged: a second report of the same problem while the first was being handled
  for (const target of mergeTargets) {
    const dupAt = later(target.row.submittedAt, rnd.int(30, 150) * MIN);
    if (dupAt.getTime() >= target.row.closedAt!.getTime() - 30 * MIN) continue;
    const s = new Story({ cat: target.cat, grid: areaById.get(target.row.gridId)!, source: rnd.pick(["resident", "hotline"] as const), at: dupAt });
    s.row.lng = target.row.lng;
    s.row.lat = target.row.lat;
    s.row.mergedIntoId = target.row.id;
    const mergeAt = new Date(Math.min(later(dupAt, rnd.int(10, 40) * MIN).getTime(), target.row.closedAt!.getTime() - 5 * MIN));
    s.step("merge", target.dispatcher(), mergeAt, { note: "同一问题已有案件在办理，合并办理", data: { intoId: target.row.id, intoCaseNo: "" }, patch: { mergedIntoId: target.row.id } });
    stories.push(s);
  }

  // ——— reminders the timer runner sent (临期提醒, 超期) while a clock ran
  const responseRuns: readonly CaseStatus[] = ["submitted", "registered", "dispatched"];
  const handleRuns: readonly CaseStatus[] = [...responseRuns, "received", "inProgress", "feedback", "verified"];
  for (const s of stories) {
    const stopOf = (runs: readonly CaseStatus[]) => {
      const e = s.events.find((x) => x.action !== "submit" && !runs.includes(x.toStatus));
      return e && e.at.getTime() < now.getTime() ? e.at : now;
    };
    const clocks: ["response" | "handle", Date | null | undefined, boolean, readonly CaseStatus[]][] = [
      ["response", s.row.responseDueAt, s.escalated, responseRuns],
      ["handle", s.row.handleDueAt, s.deadlinesMoved, handleRuns],
    ];
    for (const [clock, due, moved, runs] of clocks) {
      if (!due || moved) continue;
      const stop = stopOf(runs);
      const warnAt = warningTimeFor(s.row.submittedAt, due);
      if (warnAt && warnAt.getTime() < stop.getTime()) remindAt(s, warnAt, clock);
      if (due.getTime() < stop.getTime()) remindAt(s, due, clock, true);
    }
    const last = s.events[s.events.length - 1]!;
    if (last.at.getTime() > now.getTime()) throw new Error(`demo case: a ${last.action} step lies in the future`);
  }

  // ——— timers of open cases; events gathered
  for (const s of stories) {
    plan.cases.push(s.row);
    plan.events.push(...s.events);
    plan.timers.push(...openTimers(s.row, s.events, now));
  }
  for (const sm of plan.summons) {
    if (sm.status === "summoned") plan.timers.push({ caseId: sm.caseId, kind: "reportInDue", dueAt: sm.reportInDueAt, firedAt: null, firedBy: null, summonsId: sm.id, createdAt: sm.createdAt });
  }
  return plan;
}

/** Answers to the required Open311 attributes of the default catalogue. */
function attributesFor(code: string, rnd: Random): Record<string, unknown> {
  switch (code) {
    case "0202":
      return { cover_type: rnd.pick(["rain", "sewage", "unknown"]), warning_set: rnd.pick(["yes", "no"]) };
    case "0302":
      return { blocks_traffic: rnd.pick(["yes", "no"]) };
    case "0401":
      return { people_trapped: "no" };
    default:
      return {};
  }
}

/**
 * Timers of an open case as `caseTimerWrites` and the runner would have left them: for each running
 * clock a pending due row, and its warning pending or (when its time has passed) fired — the
 * reminder is on the timeline. A deadline already passed (overdue at the street or a department)
 * has fired.
 */
function openTimers(row: CaseInsert, events: PlannedEvent[], now: Date): PlannedTimer[] {
  const out: PlannedTimer[] = [];
  const status = row.status as CaseStatus;
  const clocks: ["response" | "handle", Date | null | undefined][] = [
    ["response", ["submitted", "registered", "dispatched"].includes(status) ? row.responseDueAt : null],
    ["handle", ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified"].includes(status) ? row.handleDueAt : null],
  ];
  for (const [clock, due] of clocks) {
    if (!due) continue;
    const setAt = clock === "response" ? ([...events].reverse().find((e) => e.action === "escalate")?.at ?? row.submittedAt) : row.submittedAt;
    const warnKind = clock === "response" ? "responseWarning" : "handleWarning";
    const dueKind = clock === "response" ? "responseDue" : "handleDue";
    const fired = (kind: string) => events.find((e) => e.action === "remind" && e.data.kind === kind);
    const warnAt = warningTimeFor(setAt, due);
    if (warnAt) {
      const f = fired(warnKind);
      out.push({ caseId: row.id, kind: warnKind, dueAt: warnAt, firedAt: f ? f.at : null, firedBy: f ? firedByDemo : null, summonsId: null, createdAt: setAt });
    }
    const f = fired(dueKind);
    if (due.getTime() > now.getTime() || f) out.push({ caseId: row.id, kind: dueKind, dueAt: due, firedAt: f ? f.at : null, firedBy: f ? firedByDemo : null, summonsId: null, createdAt: setAt });
  }
  // A warning whose time has passed without a reminder would fire at once: only when it was due.
  return out.filter((t) => t.firedAt !== null || t.dueAt.getTime() > now.getTime() || t.kind.endsWith("Due"));
}

/** An invented mobile number for a hotline caller (139 + digits from the case id); do not call it. */
export function demoHotlinePhone(caseId: string): string {
  const digits = sha256Hex(`demo-hotline:${caseId}`).replace(/[a-f]/g, "").padEnd(8, "7").slice(0, 8);
  return `139${digits}`;
}

// ———————————————————————————————————————— the database

export interface DemoCaseCounts {
  cases: number;
  events: number;
  byStatus: Record<string, number>;
}

/**
 * Writes the demo cases (one transaction). Needs the demo street and the catalogue in place;
 * writes nothing when no sub-category of the catalogue in use has a demo text.
 */
export async function loadDemoCases(
  db: Db,
  street: DemoStreet,
  opts: { keyring?: DataKeyring | undefined; now?: Date; presentUsers: DemoUser[]; seed: number },
): Promise<DemoCaseCounts> {
  return db.transaction(async (tx) => {
    const categories = await activeSubcategories(tx);
    const now = opts.now ?? new Date();
    const plan = planDemoCases({ street, categories, now, users: new Map(opts.presentUsers.map((u) => [u.username, u])), seed: opts.seed });
    if (plan.cases.length === 0) return { cases: 0, events: 0, byStatus: {} };

    // Case numbers: GZ + China date + the day's sequence, after any number already used that day.
    const byDay = new Map<string, typeof plan.cases>();
    for (const c of [...plan.cases].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())) {
      const prefix = `GZ${chinaDateOf(c.submittedAt).replace(/-/g, "")}`;
      const list = byDay.get(prefix) ?? [];
      list.push(c);
      byDay.set(prefix, list);
    }
    const used = await lastCaseNumbers(tx, [...byDay.keys()]);
    const lastOf = new Map(used.map((u) => [u.prefix, Number(u.last.slice(10))]));
    for (const [prefix, list] of byDay) {
      let n = lastOf.get(prefix) ?? 0;
      for (const c of list) c.caseNo = `${prefix}${String(++n).padStart(6, "0")}`;
    }
    const caseById = new Map(plan.cases.map((c) => [c.id, c]));
    for (const e of plan.events) if (e.action === "merge") e.data.intoCaseNo = caseById.get(e.data.intoId as string)?.caseNo ?? "";

    // Contact phones of hotline callers, encrypted like intake's (none without a keyring).
    if (opts.keyring) {
      for (const [id, phone] of plan.phones) {
        Object.assign(caseById.get(id)!, {
          contactPhoneEnc: encryptField(opts.keyring, phone, contactPhoneContext),
          contactPhoneHash: searchHash(opts.keyring, "phone", phone),
          contactPhoneMasked: maskPhone(phone),
        });
      }
    }

    // Steps in time order; each has the audit entry core.ts would have written for it.
    const events = [...plan.events].sort((a, b) => a.at.getTime() - b.at.getTime());
    const audits: PlannedAudit[] = events.map((e) => auditOf(e, caseById.get(e.caseId)!));
    for (const a of plan.extraAudit) a.summary.caseNo = caseById.get(a.entityId)!.caseNo;
    const allAudits = [...audits, ...plan.extraAudit].sort((a, b) => a.at.getTime() - b.at.getTime());
    const auditIds = await reserveAuditIds(tx, allAudits.length);
    allAudits.forEach((a, i) => ((a as PlannedAudit & { id?: number }).id = auditIds[i]));
    const eventIds = await reserveCaseEventIds(tx, events.length);
    events.forEach((e, i) => {
      e.id = eventIds[i];
      e.auditId = (audits[i] as PlannedAudit & { id?: number }).id;
    });
    for (const e of events) if (e.action === "submit") caseById.get(e.caseId)!.receiptEntryId = e.auditId!;

    await insertAuditEntries(
      tx,
      allAudits.map((a) => ({
        id: (a as PlannedAudit & { id?: number }).id!,
        actorKind: a.who.system ? "system" : "user",
        actorId: a.who.userId,
        action: a.action,
        entityType: "case",
        entityId: a.entityId,
        digest: sha256Hex(canonicalJson(a.change)),
        summary: a.summary,
      })),
    );
    await insertCaseHistory(tx, {
      cases: uniform(plan.cases, caseDefaults),
      events: events.map((e) => ({
        id: e.id!,
        caseId: e.caseId,
        at: e.at,
        actorUserId: e.who.userId,
        actorLabel: e.who.label,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        fromLevel: e.fromLevel,
        toLevel: e.toLevel,
        note: e.note,
        evidence: [],
        data: e.data,
        visibleToReporter: e.visibleToReporter,
        auditEntryId: e.auditId!,
      })),
      timers: plan.timers,
      whistles: plan.whistles,
      summons: plan.summons.map((s) => ({ ...s, evidence: [] })),
      extensions: plan.extensions,
      notifications: residentInbox(events, caseById, street, now),
    });

    const byStatus: Record<string, number> = {};
    for (const c of plan.cases) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    return { cases: plan.cases.length, events: events.length, byStatus };
  });
}

const caseDefaults: Partial<NewCase> = {
  reopenCount: 0,
  reworkCount: 0,
  extensionCount: 0,
  returnCount: 0,
  escalationCount: 0,
  whistled: false,
  anonymous: false,
  attributes: {},
};

/** Rows with the same keys (the bulk insert takes its columns from the first row): missing ones get their default or null. */
function uniform<T extends object>(list: T[], defaults: Partial<T>): T[] {
  const keys = new Set<string>();
  for (const r of list) for (const k of Object.keys(r)) keys.add(k);
  for (const k of Object.keys(defaults)) keys.add(k);
  return list.map((r) => {
    const out: Record<string, unknown> = { ...(r as Record<string, unknown>) };
    for (const k of keys) if (out[k] === undefined) out[k] = (defaults as Record<string, unknown>)[k] ?? null;
    return out as T;
  });
}

/** The audit entry of a step, as core.ts records it (`recordSubmission` / `applyTransition`). */
function auditOf(e: PlannedEvent, c: CaseInsert): PlannedAudit {
  if (e.action === "submit") {
    return {
      who: e.who,
      action: "case.submit",
      entityId: c.id,
      at: e.at,
      change: {
        caseNo: c.caseNo,
        source: c.source,
        categoryCode: c.categoryCode,
        description: c.description,
        lng: c.lng,
        lat: c.lat,
        gridId: c.gridId,
        submittedAt: c.submittedAt.toISOString(),
      },
      summary: { caseNo: c.caseNo, source: c.source, categoryCode: c.categoryCode, gridId: c.gridId, demo: true },
    };
  }
  return {
    who: e.who,
    action: `case.${e.action}`,
    entityId: c.id,
    at: e.at,
    change: { from: e.fromStatus, to: e.toStatus, level: e.toLevel, note: e.note, evidence: [], data: e.data, at: e.at.toISOString() },
    summary: { caseNo: c.caseNo, from: e.fromStatus, to: e.toStatus, level: e.toLevel, demo: true },
  };
}

/** The demo resident's inbox: the notices of their cases' steps, older ones read. */
function residentInbox(events: PlannedEvent[], caseById: Map<string, CaseInsert>, street: DemoStreet, now: Date): NewNotification[] {
  const out: NewNotification[] = [];
  const areaName = new Map(street.areas.map((a) => [a.id, a.name]));
  const orgName = new Map(street.organizations.map((o) => [o.id, o.name]));
  for (const e of events) {
    const c = caseById.get(e.caseId)!;
    if (!c.reporterUserId || !e.visibleToReporter) continue;
    const handler = e.toLevel === "department" ? (orgName.get(c.handlingOrgId ?? "") ?? null) : (areaName.get(areaAtLevel(c.areaPath, e.toLevel) ?? "") ?? null);
    const message = reporterMessage(e.action, {
      caseNo: c.caseNo,
      handler: handler ? { zh: handler, en: handler } : null,
      reason: e.action === "reject" || e.action === "cancel" ? e.note : null,
      mergedInto: null,
      toLevel: levelLabels[e.toLevel],
      handleDueAt: c.handleDueAt ?? null,
    });
    if (!message) continue;
    const recent = now.getTime() - e.at.getTime() < 2 * DAY;
    out.push({ userId: c.reporterUserId, kind: `case.${e.action}`, caseId: c.id, ...message, link: `/resident/cases/${c.id}`, readAt: recent ? null : later(e.at, 2 * HOUR), createdAt: e.at });
  }
  return out;
}
