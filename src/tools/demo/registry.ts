/**
 * What the registry can show beyond places and people: posts (职务) and cross-appointments
 * (交叉任职), the community's other bodies (社会组织 in incubation, 物业, 业委会, 党群服务中心,
 * 共建单位 with their 大党委 part-time seats), party members' work units and report-ins (双报到),
 * 双找 registrations, each household's move-in history and the skills of community talents (能人).
 *
 * Everything here draws from its own random stream and its own ids, so the places, people and
 * organizations generated before keep their ids and figures.
 */
import type { CompoundStyle, Gender } from "./names.js";
import { fullName, talentSkills } from "./names.js";
import type { Random } from "./random.js";
import type {
  DemoArea,
  DemoBuilding,
  DemoCompound,
  DemoDwelling,
  DemoHousehold,
  DemoHouseholdMove,
  DemoOrganization,
  DemoOrgKind,
  DemoPartyMember,
  DemoPartyRegistration,
  DemoPerson,
  DemoPost,
  DemoPostHolder,
  DemoUser,
} from "./generate.js";

export interface RegistryContext {
  random: Random;
  year: number;
  communities: DemoArea[];
  grids: { area: DemoArea; communityIndex: number }[];
  compounds: DemoCompound[];
  compoundStyles: Map<string, CompoundStyle>;
  buildings: DemoBuilding[];
  dwellings: DemoDwelling[];
  households: DemoHousehold[];
  persons: DemoPerson[];
  partyMembers: DemoPartyMember[];
  /** Appended to (parents are always already there). */
  organizations: DemoOrganization[];
  communityCommittees: DemoOrganization[];
  communityBodies: { residents: DemoOrganization; work: DemoOrganization; service: DemoOrganization }[];
  /** Aligned with `grids`. */
  gridBranches: DemoOrganization[];
  /** By building id. */
  buildingGroups: Map<string, DemoOrganization>;
  users: DemoUser[];
}

export interface RegistryExtras {
  postHolders: DemoPostHolder[];
  posts: DemoPost[];
  householdMoves: DemoHouseholdMove[];
  partyRegistrations: DemoPartyRegistration[];
}

/** Employers of in-service members (invented), and whether their party organization is a 党委 or a 党支部. */
const employers: readonly (readonly [string, "党委" | "党支部" | "党组"])[] = [
  ["武侯区教育局", "党组"],
  ["成都锦程软件有限公司", "党支部"],
  ["四川华蓉建设集团有限公司", "党委"],
  ["武侯区税务局", "党委"],
  ["成都蓉欣医药连锁有限公司", "党支部"],
  ["四川天府数据科技有限公司", "党支部"],
  ["成都市公交集团第五分公司", "党委"],
  ["武侯区人民法院", "党组"],
  ["成都锦南小学", "党支部"],
  ["四川蜀信会计师事务所", "党支部"],
  ["成都南桥通信设备有限公司", "党委"],
  ["武侯区市场监督管理局", "党组"],
  ["成都芙蓉文化传媒有限公司", "党支部"],
  ["四川省第六建筑工程公司", "党委"],
  ["成都锦华律师事务所", "党支部"],
  ["成都天府农商银行武侯支行", "党支部"],
];

/** Where a floating member's relation is held: their home town's village or community branch. */
const homeBranches: readonly string[] = [
  "南充市仪陇县马鞍镇大石村党支部",
  "达州市渠县三汇镇白鹤村党支部",
  "广安市岳池县顾县镇凉山村党支部",
  "资阳市安岳县石桥铺镇新房村党支部",
  "巴中市平昌县驷马镇金宝社区党支部",
  "绵阳市三台县芦溪镇天福村党支部",
  "遂宁市射洪市太和街道梓江社区党支部",
  "内江市威远县新场镇石板村党支部",
  "宜宾市南溪区罗龙街道仙源村党支部",
  "重庆市万州区龙驹镇梧桐村党支部",
];

/** 社区社会组织 a community may grow, with the title of whoever leads it. */
const socialOrgTopics: readonly (readonly [string, string])[] = [
  ["老年协会", "会长"],
  ["书画协会", "会长"],
  ["邻里互助会", "会长"],
  ["爱心妈妈志愿服务队", "队长"],
  ["川剧票友会", "会长"],
  ["环保志愿服务队", "队长"],
  ["四点半课堂", "负责人"],
  ["睦邻读书会", "负责人"],
  ["太极拳协会", "会长"],
  ["平安巡逻队", "队长"],
  ["助残服务社", "负责人"],
  ["花友会", "负责人"],
  ["调解志愿服务队", "队长"],
  ["乐龄合唱团", "团长"],
];

const propertyCompanies: readonly string[] = [
  "成都嘉和物业服务有限公司",
  "四川蓉欣物业管理有限公司",
  "成都锦安物业服务有限公司",
  "成都祥和物业管理有限公司",
  "四川恒泰物业服务有限公司",
  "成都桐荫物业管理有限公司",
];

/** 共建单位 of the street, dealt out to communities, with the titles their 大党委 members hold there. */
const coBuildingUnits: readonly (readonly [string, readonly string[]])[] = [
  ["武侯区人民医院玉林分院", ["党支部书记", "副院长"]],
  ["成都市玉林中学", ["党总支书记", "副校长"]],
  ["玉林小学", ["党支部书记", "副校长"]],
  ["天府农商银行玉林支行", ["党支部书记", "行长"]],
  ["国网武侯供电中心玉林供电所", ["党支部书记", "所长"]],
  ["武侯区公安分局玉林派出所", ["党支部书记", "副所长"]],
  ["玉林街道社区卫生服务中心", ["党支部书记", "主任"]],
  ["武侯区图书馆玉林分馆", ["党支部书记", "馆长"]],
  ["成都燃气玉林营业站", ["党支部书记", "站长"]],
  ["邮政玉林路营业所", ["党支部书记", "所长"]],
  ["芳草幼儿园", ["党支部书记", "园长"]],
  ["四川蜀信会计师事务所", ["党支部书记", "合伙人"]],
  ["成都锦华律师事务所", ["党支部书记", "主任"]],
  ["玉林菜市场管理有限公司", ["党支部书记", "总经理"]],
  ["中国电信玉林营业厅", ["党支部书记", "经理"]],
  ["武侯区消防救援大队玉林站", ["党支部书记", "站长"]],
  ["芳草街小学", ["党支部书记", "副校长"]],
  ["玉林农贸市场商户联合会", ["党支部书记", "会长"]],
  ["成都锦程软件有限公司", ["党支部书记", "副总经理"]],
  ["武侯区税务局玉林税务所", ["党支部书记", "所长"]],
  ["四川省第六建筑工程公司", ["党委委员", "副总经理"]],
  ["玉林中医诊所", ["党支部书记", "主任"]],
];

const pendingMessages: readonly (string | null)[] = [
  "平时工作日上班，周末可以参加社区志愿服务。",
  "刚搬到这里，想就近参加社区活动。",
  "单位要求到居住地社区报到，请社区联系我。",
  "晚上和周末有空，可以帮忙做政策宣传。",
  null,
  null,
];
const floatingMessages: readonly string[] = [
  "在附近餐馆上班，老家离得远，想就近参加组织生活。",
  "刚从老家出来打工，住在亲戚家，组织关系还在村里。",
  "在玉林做快递，想找到组织按时过组织生活。",
  "在附近工地上班，党费一直没地方交，想就近参加组织生活。",
];
const declineNotes: readonly string[] = [
  "经核实，该同志已搬离本社区，已告知其到现居住地社区报到。",
  "经电话联系，本人表示已在单位所在社区报到，此次为重复登记。",
  "经核实，登记的住址不在本社区，已转告其所在社区。",
];
const confirmNotes: readonly (string | null)[] = ["已电话联系本人，编入所在网格党支部参加活动。", "已核实身份并加入社区志愿服务队。", null];

const pad2 = (n: number) => String(n).padStart(2, "0");
const day = (y: number, m: number, d: number) => `${y}-${pad2(m)}-${pad2(d)}`;

/** A day in [from, to] (both "YYYY-MM-DD", same calendar), by months and days up to the 28th. */
function dayBetween(rnd: Random, from: string, to: string): string {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  const months = (ty - fy) * 12 + (tm - fm);
  if (from > to) throw new Error(`dayBetween: ${from} is after ${to}`);
  for (;;) {
    const k = rnd.int(0, months);
    const y = fy + Math.floor((fm - 1 + k) / 12);
    const m = ((fm - 1 + k) % 12) + 1;
    const d = day(y, m, rnd.int(1, 28));
    if (d >= from && d <= to) return d;
  }
}

export function generateRegistryExtras(ctx: RegistryContext): RegistryExtras {
  const Y = ctx.year;
  const ids = ctx.random.fork("ids");
  const newId = () => ids.uuid();
  const rnd = {
    talents: ctx.random.fork("talents"),
    party: ctx.random.fork("party"),
    orgs: ctx.random.fork("orgs"),
    posts: ctx.random.fork("posts"),
    moves: ctx.random.fork("moves"),
    regs: ctx.random.fork("registrations"),
  };
  const age = (p: { birthYear: number }) => Y - p.birthYear;

  const communityOfGrid = new Map(ctx.grids.map((g) => [g.area.id, g.communityIndex]));
  const personById = new Map(ctx.persons.map((p) => [p.id, p]));
  const memberByPerson = new Map(ctx.partyMembers.map((m) => [m.personId, m]));
  const dwellingById = new Map(ctx.dwellings.map((d) => [d.id, d]));
  const buildingById = new Map(ctx.buildings.map((b) => [b.id, b]));
  const householdById = new Map(ctx.households.map((h) => [h.id, h]));
  const buildingOfPerson = (p: DemoPerson) => dwellingById.get(householdById.get(p.householdId)!.dwellingId)!.buildingId;

  // Talents: a second skill for some -----------------------------------------------------------
  for (const p of ctx.persons) {
    if (!p.tags.includes("talent") || !rnd.talents.chance(0.35)) continue;
    const second = rnd.talents.pick(talentSkills);
    if (!p.skills.includes(second)) p.skills.push(second);
  }

  // Party members: work units, report-ins (双报到), relations held outside ------------------------
  const partyOrgName = (unit: readonly [string, string]) => `${unit[0]}${unit[1]}`;
  const orgKindById = new Map(ctx.organizations.map((o) => [o.id, o.kind]));
  for (const m of ctx.partyMembers) {
    const person = personById.get(m.personId)!;
    if (m.status === "floating") {
      m.outsideOrgName = rnd.party.pick(homeBranches);
      continue;
    }
    if (m.status !== "inService") continue;
    const unit = rnd.party.pick(employers);
    if (m.reportInCommunityId || rnd.party.chance(0.8)) m.workUnit = unit[0];
    if (m.reportInCommunityId) {
      // Reported in since 双报到 became the rule, and after joining the party.
      const joined = new Date(Date.parse(`${m.joinedOn}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
      const earliest = [`${Math.min(Math.max(2019, person.birthYear + 22), Y - 1)}-03-01`, joined].sort()[1]!;
      m.reportInConfirmedOn = dayBetween(rnd.party, earliest < `${Y}-06-30` ? earliest : `${Y}-06-30`, `${Y}-06-30`);
      // Half of those in a grid branch (not a building group) keep their relation in the
      // employer's party organization.
      if (rnd.party.chance(0.5) && m.partyOrgId && orgKindById.get(m.partyOrgId) === "gridPartyBranch") {
        m.partyOrgId = null;
        m.outsideOrgName = partyOrgName(unit);
      }
    }
  }

  // Bodies of each community -------------------------------------------------------------------
  const organizations = ctx.organizations;
  const addOrg = (parent: DemoOrganization, kind: DemoOrgKind, name: string, area: DemoArea, incubation: DemoOrganization["incubation"] = null): DemoOrganization => {
    const id = newId();
    const org: DemoOrganization = { id, parentId: parent.id, kind, name, areaId: area.id, path: `${parent.path}${id}/`, incubation, supervisorId: null };
    organizations.push(org);
    return org;
  };
  const unitsDealt = rnd.orgs.shuffle(coBuildingUnits.filter(([n]) => n !== coBuildingUnits[0]![0]));
  const compoundGrid = new Map<string, string>();
  for (const b of ctx.buildings) if (!compoundGrid.has(b.compoundId)) compoundGrid.set(b.compoundId, b.gridId);
  const gridById = new Map(ctx.grids.map((g) => [g.area.id, g.area]));

  interface CommunityBodies {
    centre: DemoOrganization;
    socialOrgs: { org: DemoOrganization; leaderTitle: string }[];
    owners: { org: DemoOrganization; compoundId: string }[];
    units: { org: DemoOrganization; titles: readonly string[] }[];
  }
  const bodies: CommunityBodies[] = ctx.communities.map((c, k) => {
    const committee = ctx.communityCommittees[k]!;
    const centre = addOrg(committee, "serviceCentre", `${c.name}党群服务中心`, c);
    const socialOrgs = rnd.orgs
      .shuffle(socialOrgTopics)
      .slice(0, rnd.orgs.int(2, 4))
      .map(([topic, leaderTitle]) => ({
        org: addOrg(committee, "socialOrg", `${c.name}${topic}`, c, rnd.orgs.chance(0.4) ? "incubating" : "graduated"),
        leaderTitle,
      }));
    // Many garden compounds have a property company and an owners' committee; some old work-unit
    // compounds are managed by a company too; yards (院落) manage themselves.
    const owners: CommunityBodies["owners"] = [];
    for (const compound of ctx.compounds.filter((x) => x.communityId === c.id)) {
      const style = ctx.compoundStyles.get(compound.id);
      const grid = gridById.get(compoundGrid.get(compound.id)!)!;
      if ((style === "garden" && rnd.orgs.chance(0.6)) || (style === "dormitory" && rnd.orgs.chance(0.25))) {
        addOrg(committee, "propertyCompany", `${rnd.orgs.pick(propertyCompanies)}${compound.name}项目部`, grid);
      }
      if (style === "garden" && rnd.orgs.chance(0.5)) {
        owners.push({ org: addOrg(committee, "ownersCommittee", `${compound.name}业主委员会`, grid), compoundId: compound.id });
      }
    }
    // The district hospital's branch goes to the first community; two or three units for the others.
    const dealt = k === 0 ? [coBuildingUnits[0]!, ...unitsDealt.splice(0, 1)] : unitsDealt.splice(0, rnd.orgs.int(1, 2));
    const units = dealt.map(([name, titles]) => ({ org: addOrg(committee, "coBuildingUnit", name, c), titles }));
    return { centre, socialOrgs, owners, units };
  });

  // Posts ------------------------------------------------------------------------------------------
  const posts: DemoPost[] = [];
  const postHolders: DemoPostHolder[] = [];
  const holding = new Map<string, number>();
  const addPost = (personId: string, org: DemoOrganization, title: string, startedOn: string, extra: { partTime?: boolean; endedOn?: string } = {}) => {
    posts.push({ id: newId(), personId, orgId: org.id, title, partTime: extra.partTime ?? false, startedOn, endedOn: extra.endedOn ?? null });
    if (!extra.endedOn) holding.set(personId, (holding.get(personId) ?? 0) + 1);
  };
  const r = rnd.posts;
  const personsByCommunity = ctx.communities.map(() => [] as DemoPerson[]);
  for (const p of ctx.persons) personsByCommunity[communityOfGrid.get(p.gridId)!]!.push(p);
  /** Party members living in the community whose relation is held here (not floating). */
  const insideMembers = (k: number, minAge: number, maxAge: number) =>
    personsByCommunity[k]!.filter((p) => {
      const m = memberByPerson.get(p.id);
      return m && m.partyOrgId !== null && m.status !== "floating" && age(p) >= minAge && age(p) <= maxAge;
    });
  const pickFree = (candidates: DemoPerson[], taken: Set<string>): DemoPerson | undefined => {
    const free = candidates.filter((p) => !taken.has(p.id));
    return free.length > 0 ? r.pick(free) : undefined;
  };

  ctx.communities.forEach((c, k) => {
    const committee = ctx.communityCommittees[k]!;
    const { residents, work, service } = ctx.communityBodies[k]!;
    const b = bodies[k]!;
    // 社区两委换届 (2021): the party committee is elected first, the residents' committee some days later.
    const partyElected = day(2021, 5, r.int(10, 28));
    const residentsElected = day(2021, 6, r.int(5, 25));
    const taken = new Set<string>();
    const take = (p: DemoPerson | undefined) => {
      if (p) taken.add(p.id);
      return p;
    };
    // 书记 who also chairs the residents' committee (一肩挑), a 副书记 heading the work station,
    // 委员 holding posts in the stations and the residents' committee.
    const secretary = take(pickFree(insideMembers(k, 36, 56), taken));
    if (secretary) {
      addPost(secretary.id, committee, "书记", partyElected);
      addPost(secretary.id, residents, "主任", residentsElected);
    }
    const deputy = take(pickFree(insideMembers(k, 32, 58), taken));
    if (deputy) {
      addPost(deputy.id, committee, "副书记", partyElected);
      addPost(deputy.id, work, "站长", residentsElected);
    }
    const crossPosts: [DemoOrganization, string][] = [
      [service, "站长"],
      [residents, "副主任"],
      [b.centre, "主任"],
      [work, "副站长"],
    ];
    for (let n = 0; n < 4; n++) {
      const member = take(pickFree(insideMembers(k, 28, 64), taken));
      if (!member) break;
      addPost(member.id, committee, "委员", partyElected);
      if (n < 3 || r.chance(0.5)) addPost(member.id, ...crossPosts[n]!, residentsElected);
    }
    // Members of the residents' committee who are not in the party, one of them leading a social organization.
    const adults = personsByCommunity[k]!.filter((p) => age(p) >= 30 && age(p) <= 62 && !memberByPerson.has(p.id));
    for (let n = 0; n < 2; n++) {
      const p = take(pickFree(adults, taken));
      if (!p) break;
      addPost(p.id, residents, "委员", residentsElected);
      if (n === 0 && b.socialOrgs[0]) addPost(p.id, b.socialOrgs[0].org, b.socialOrgs[0].leaderTitle, dayBetween(r, "2019-01-01", "2024-12-31"));
    }
    // A member of the previous residents' committee, whose term ended at the election.
    const former = take(pickFree(personsByCommunity[k]!.filter((p) => age(p) >= 55 && age(p) <= 75), taken));
    if (former) addPost(former.id, residents, "委员", day(2016, 6, r.int(1, 20)), { endedOn: residentsElected });

    // Social organizations: led by volunteers and talents of the community.
    for (const { org, leaderTitle } of b.socialOrgs.slice(1)) {
      const leaders = personsByCommunity[k]!.filter((p) => age(p) >= 30 && age(p) <= 78 && (p.tags.includes("volunteer") || p.tags.includes("talent")));
      const p = take(pickFree(leaders, taken));
      if (p) addPost(p.id, org, leaderTitle, dayBetween(r, "2018-03-01", "2025-12-31"));
    }

    // Co-building units: a 大党委 part-time seat for someone living elsewhere, plus their post in the unit.
    for (const { org, titles } of b.units) {
      const gender: Gender = r.chance(0.45) ? "female" : "male";
      const birthYear = Y - r.int(36, 56);
      const holder: DemoPostHolder = { id: newId(), name: fullName(r, gender, birthYear), gender, birthYear };
      postHolders.push(holder);
      const on = dayBetween(r, "2022-01-01", "2025-06-30");
      addPost(holder.id, committee, "兼职委员", on, { partTime: true });
      addPost(holder.id, org, titles[r.int(0, titles.length - 1)]!, dayBetween(r, "2015-01-01", on));
    }

    // Owners' committees: a chair living in the compound; a party member chairing one joins the grid branch's committee.
    for (const { org, compoundId } of b.owners) {
      const residentsHere = personsByCommunity[k]!.filter((p) => age(p) >= 35 && age(p) <= 72 && buildingById.get(buildingOfPerson(p))!.compoundId === compoundId);
      const chair = take(pickFree(residentsHere, taken));
      if (!chair) continue;
      const on = dayBetween(r, "2021-01-01", "2025-10-31");
      addPost(chair.id, org, "主任", on);
      const vice = take(pickFree(residentsHere, taken));
      if (vice) addPost(vice.id, org, "副主任", on);
      const m = memberByPerson.get(chair.id);
      if (m && m.partyOrgId !== null && m.status !== "floating") {
        const branch = ctx.gridBranches[ctx.grids.findIndex((g) => g.area.id === chair.gridId)]!;
        addPost(chair.id, branch, "委员", dayBetween(r, on, "2026-06-30"));
      }
    }
  });

  // Grid party branches: a 书记 living in the grid, often someone already serving the community.
  ctx.grids.forEach((g, i) => {
    const candidates = ctx.persons.filter((p) => {
      const m = memberByPerson.get(p.id);
      return p.gridId === g.area.id && m && m.partyOrgId !== null && m.status !== "floating" && age(p) >= 30 && age(p) <= 72;
    });
    const busy = (p: DemoPerson) => posts.some((s) => s.personId === p.id && s.orgId === ctx.gridBranches[i]!.id);
    const free = candidates.filter((p) => !busy(p));
    if (free.length === 0) return;
    const secretary = r.weighted(free.map((p) => [p, (holding.get(p.id) ?? 0) > 0 && (holding.get(p.id) ?? 0) < 3 ? 3 : 1] as const));
    addPost(secretary.id, ctx.gridBranches[i]!, "书记", dayBetween(r, "2021-07-01", "2024-12-31"));
  });

  // Building party groups: the building head (楼栋长) leads it when they are one of its members.
  const groupMembers = new Map<string, DemoPerson[]>();
  for (const m of ctx.partyMembers) {
    if (!m.partyOrgId) continue;
    const list = groupMembers.get(m.partyOrgId) ?? [];
    list.push(personById.get(m.personId)!);
    groupMembers.set(m.partyOrgId, list);
  }
  for (const [buildingId, group] of [...ctx.buildingGroups.entries()]) {
    const members = (groupMembers.get(group.id) ?? []).filter((p) => buildingOfPerson(p) === buildingId);
    const active = members.filter((p) => memberByPerson.get(p.id)!.status !== "floating");
    if (active.length === 0) continue;
    const leader = active.find((p) => p.tags.includes("buildingHead")) ?? r.pick(active);
    addPost(leader.id, group, "组长", dayBetween(r, "2020-01-01", "2025-12-31"));
  }
  // Interest party groups: led by a retired member of the community.
  for (const org of organizations.filter((o) => o.kind === "interestPartyGroup")) {
    const k = ctx.communities.findIndex((c) => c.id === org.areaId);
    const retired = insideMembers(k, 55, 80).filter((p) => memberByPerson.get(p.id)!.status === "retired");
    if (retired.length > 0) addPost(r.pick(retired).id, org, "组长", dayBetween(r, "2019-01-01", "2025-06-30"));
  }

  // Move-in history: each household moved in once; a few moved within the street before. ------------
  const householdMoves: DemoHouseholdMove[] = [];
  const occupied = new Set(ctx.households.map((h) => h.dwellingId));
  const vacantByCommunity = ctx.communities.map(() => [] as DemoDwelling[]);
  for (const d of ctx.dwellings) if (!occupied.has(d.id)) vacantByCommunity[communityOfGrid.get(d.gridId)!]!.push(d);
  const usedVacant = new Set<string>();
  const headOf = new Map<string, DemoPerson>();
  for (const p of ctx.persons) if (p.relation === "户主") headOf.set(p.householdId, p);
  const m = rnd.moves;
  for (const h of ctx.households) {
    const head = headOf.get(h.id)!;
    const earliest = Math.min(Math.max(1992, head.birthYear + 22), Y - 1);
    const k = communityOfGrid.get(h.gridId)!;
    const before = vacantByCommunity[k]!.filter((d) => !usedVacant.has(d.id) && d.id !== h.dwellingId);
    if (Y - 1 - earliest >= 6 && before.length > 0 && m.chance(0.05)) {
      // Lived in another dwelling of the community first, moved to this one later.
      const from = m.pick(before);
      usedVacant.add(from.id);
      const firstOn = dayBetween(m, `${earliest}-01-01`, `${Y - 5}-12-31`);
      const secondFrom = `${Math.max(Number(firstOn.slice(0, 4)) + 2, 2016)}-01-01`;
      householdMoves.push({ id: newId(), householdId: h.id, fromDwellingId: null, toDwellingId: from.id, movedOn: firstOn });
      householdMoves.push({ id: newId(), householdId: h.id, fromDwellingId: from.id, toDwellingId: h.dwellingId, movedOn: dayBetween(m, secondFrom, `${Y}-06-30`) });
    } else {
      householdMoves.push({ id: newId(), householdId: h.id, fromDwellingId: null, toDwellingId: h.dwellingId, movedOn: dayBetween(m, `${earliest}-01-01`, `${Y}-06-30`) });
    }
  }

  // 双找 registrations -------------------------------------------------------------------------------
  const partyRegistrations: DemoPartyRegistration[] = [];
  const g = rnd.regs;
  const userId = (username: string) => ctx.users.find((u) => u.username === username)?.id ?? null;
  const worker = userId("communityworker");
  const secretaryUser = userId("secretary");
  const residentPersonId = ctx.users.find((u) => u.username === "resident")?.personId ?? null;
  const at = (d: string) => `${d}T${pad2(g.int(1, 11))}:${pad2(g.int(0, 59))}:00.000Z`;
  const before = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const registeredPersons = new Set<string>();
  const reg = (x: Omit<DemoPartyRegistration, "id">) => {
    partyRegistrations.push({ id: newId(), ...x });
    if (x.personId) registeredPersons.add(x.personId);
  };
  ctx.communities.forEach((c, k) => {
    const decider = k === 0 ? secretaryUser : null;
    const byWorker = k === 0 ? worker : null;
    const membersHere = ctx.partyMembers.filter((pm) => communityOfGrid.get(personById.get(pm.personId)!.gridId) === k);
    // Confirmed report-ins and floating members, matching their party member records.
    const reported = g.shuffle(membersHere.filter((pm) => pm.reportInConfirmedOn && pm.reportInConfirmedOn >= "2024-01-01")).slice(0, g.int(2, 4));
    for (const pm of reported) {
      const p = personById.get(pm.personId)!;
      const decided = pm.reportInConfirmedOn!;
      reg({
        communityId: c.id, kind: "reportIn", personId: p.id, name: p.name, gender: p.gender, birthYear: p.birthYear,
        orgName: pm.outsideOrgName ?? `${pm.workUnit ?? g.pick(employers)[0]}党支部`, workUnit: pm.workUnit, skills: p.skills.slice(0, 1),
        message: g.pick(pendingMessages), status: "confirmed", decisionNote: g.pick(confirmNotes), registeredBy: null,
        registeredAt: at(before(decided, g.int(2, 12))), decidedBy: decider, decidedAt: at(decided), partyMemberId: pm.id,
      });
    }
    const floating = membersHere.filter((pm) => pm.status === "floating").slice(0, 1);
    for (const pm of floating) {
      const p = personById.get(pm.personId)!;
      const decided = dayBetween(g, "2024-03-01", `${Y}-06-30`);
      reg({
        communityId: c.id, kind: "floating", personId: p.id, name: p.name, gender: p.gender, birthYear: p.birthYear,
        orgName: pm.outsideOrgName!, workUnit: null, skills: [], message: g.pick(floatingMessages), status: "confirmed",
        decisionNote: "已编入所在网格党支部，按时参加组织生活。", registeredBy: byWorker, registeredAt: at(before(decided, g.int(3, 20))),
        decidedBy: decider, decidedAt: at(decided), partyMemberId: pm.id,
      });
    }
    // Waiting: residents who work elsewhere reporting in, floating members found by name only.
    const residentsHere = personsByCommunity[k]!.filter(
      (p) => age(p) >= 24 && age(p) <= 55 && !memberByPerson.has(p.id) && !registeredPersons.has(p.id) && p.id !== residentPersonId,
    );
    for (let n = g.int(2, 4); n > 0; n--) {
      const left = residentsHere.filter((x) => !registeredPersons.has(x.id));
      if (left.length === 0) break;
      const p = g.pick(left);
      const unit = g.pick(employers);
      reg({
        communityId: c.id, kind: "reportIn", personId: p.id, name: p.name, gender: p.gender, birthYear: p.birthYear,
        orgName: partyOrgName(unit), workUnit: unit[0], skills: g.chance(0.4) ? [g.pick(talentSkills)] : [],
        message: g.pick(pendingMessages), status: "registered", decisionNote: null, registeredBy: n === 1 ? byWorker : null,
        registeredAt: at(dayBetween(g, `${Y}-09-01`, `${Y}-11-15`)), decidedBy: null, decidedAt: null, partyMemberId: null,
      });
    }
    for (let n = g.int(1, 2); n > 0; n--) {
      const gender: Gender = g.chance(0.6) ? "male" : "female";
      const birthYear = Y - g.int(24, 48);
      reg({
        communityId: c.id, kind: "floating", personId: null, name: fullName(g, gender, birthYear), gender, birthYear,
        orgName: g.pick(homeBranches), workUnit: null, skills: [], message: g.pick(floatingMessages), status: "registered",
        decisionNote: null, registeredBy: byWorker, registeredAt: at(dayBetween(g, `${Y}-08-01`, `${Y}-11-15`)),
        decidedBy: null, decidedAt: null, partyMemberId: null,
      });
    }
    if (g.chance(0.5)) {
      const gender: Gender = g.chance(0.5) ? "male" : "female";
      const birthYear = Y - g.int(28, 50);
      const unit = g.pick(employers);
      const decided = dayBetween(g, "2025-01-01", `${Y}-06-30`);
      reg({
        communityId: c.id, kind: "reportIn", personId: null, name: fullName(g, gender, birthYear), gender, birthYear,
        orgName: partyOrgName(unit), workUnit: unit[0], skills: [], message: null, status: "declined",
        decisionNote: g.pick(declineNotes), registeredBy: null, registeredAt: at(before(decided, g.int(3, 15))),
        decidedBy: decider, decidedAt: at(decided), partyMemberId: null,
      });
    }
  });
  // The demo resident has no registration: the resident face lets a visitor make one.
  return { postHolders, posts, householdMoves, partyRegistrations };
}
