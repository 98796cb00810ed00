/**
 * Natural Chinese names for the demo street: surnames weighted by frequency (with the Sichuan
 * surnames 罗 何 曾 邓 谢 唐 a little stronger), given names typical of the birth decade and
 * gender, compound names of the kind found in 成都 玉林, and the roads of 玉林. Every person is
 * invented; road names are public place names.
 */
import type { Random } from "./random.js";

export type Gender = "male" | "female";

/** Surname and its approximate share of the population in per mille. */
const surnameWeights: readonly (readonly [string, number])[] = [
  ["王", 70], ["李", 75], ["张", 65], ["刘", 55], ["陈", 48], ["杨", 33], ["黄", 23], ["赵", 19],
  ["吴", 19], ["周", 20], ["徐", 15], ["孙", 12], ["马", 12], ["朱", 12], ["胡", 12], ["郭", 10],
  ["何", 15], ["高", 10], ["林", 9], ["罗", 15], ["郑", 8], ["梁", 8], ["谢", 10], ["宋", 6],
  ["唐", 9], ["许", 6], ["韩", 5], ["冯", 6], ["邓", 9], ["曹", 5], ["彭", 6], ["曾", 8],
  ["肖", 6], ["田", 5], ["董", 4], ["袁", 5], ["潘", 4], ["于", 3], ["蒋", 5], ["蔡", 4],
  ["余", 5], ["杜", 5], ["叶", 4], ["程", 3], ["苏", 3], ["魏", 3], ["吕", 3], ["丁", 3],
  ["任", 4], ["沈", 3], ["姚", 3], ["卢", 3], ["姜", 3], ["崔", 2], ["钟", 3], ["谭", 3],
  ["陆", 2], ["汪", 2], ["范", 2], ["金", 2], ["石", 2], ["廖", 3], ["贾", 2], ["夏", 2],
  ["韦", 1], ["付", 3], ["方", 2], ["白", 2], ["邹", 2], ["孟", 2], ["熊", 3], ["秦", 2],
  ["邱", 2], ["江", 2], ["尹", 2], ["薛", 2], ["闫", 1], ["段", 2], ["雷", 3], ["侯", 2],
  ["龙", 2], ["史", 1], ["陶", 2], ["黎", 2], ["贺", 2], ["顾", 1], ["毛", 2], ["郝", 1],
  ["龚", 2], ["邵", 1], ["万", 2], ["钱", 1], ["严", 2], ["覃", 1], ["武", 1], ["戴", 1],
  ["莫", 1], ["孔", 1], ["向", 2], ["汤", 1], ["冉", 1], ["敬", 1], ["鲜", 1], ["苟", 1],
];

/** Given names by the generation a person was born in; one-character names mixed in. */
const givenNames: Record<"born1930s" | "born1950s" | "born1970s" | "born1990s" | "born2010s", Record<Gender, readonly string[]>> = {
  born1930s: {
    male: ["建国", "国华", "德明", "振华", "福生", "树林", "长发", "玉成", "文斌", "永福", "德胜", "国强", "宝山", "家福", "明德", "学文", "守义", "开明", "德才", "志明", "金山", "荣华", "光荣", "继武", "树清", "忠", "林", "华"],
    female: ["秀英", "桂兰", "淑珍", "玉兰", "秀兰", "凤英", "桂英", "玉珍", "淑华", "秀珍", "桂芳", "素芬", "玉梅", "淑英", "兰英", "秀芳", "玉华", "慧珍", "菊芬", "素珍", "凤兰", "桂珍", "琼英", "素华", "英", "兰", "珍"],
  },
  born1950s: {
    male: ["建军", "卫东", "卫国", "志强", "建平", "国平", "建民", "小平", "向东", "立新", "建华", "国庆", "志勇", "建新", "振国", "海军", "德华", "永刚", "卫平", "红兵", "跃进", "朝阳", "军", "勇", "斌", "刚", "强", "平"],
    female: ["红梅", "秀珍", "丽华", "建英", "春梅", "秀琴", "淑芬", "丽萍", "卫红", "红霞", "小红", "桂芝", "晓梅", "海燕", "丽娟", "春燕", "素琼", "明珍", "蓉", "萍", "敏", "红", "霞", "燕", "琴", "芳"],
  },
  born1970s: {
    male: ["志伟", "建伟", "俊杰", "晓东", "海涛", "文杰", "鹏飞", "振宇", "晓明", "明辉", "文博", "建华", "国栋", "小龙", "成刚", "伟", "磊", "强", "勇", "军", "杰", "涛", "超", "明", "鹏", "斌", "波", "亮", "峰"],
    female: ["婷婷", "丽娟", "晓燕", "雪梅", "丹丹", "晓丽", "小燕", "倩倩", "晓霞", "春花", "红英", "玉洁", "丽", "静", "敏", "燕", "娟", "艳", "霞", "婷", "芳", "倩", "雪", "琳", "莉", "蓉"],
  },
  born1990s: {
    male: ["浩然", "宇轩", "子豪", "俊杰", "宇航", "博文", "天宇", "浩宇", "皓轩", "子轩", "思远", "一鸣", "嘉豪", "家乐", "志豪", "明杰", "俊宇", "鑫", "浩", "宇", "杰", "磊", "凯", "帅", "洋", "翔"],
    female: ["欣怡", "子涵", "梓涵", "雨桐", "诗涵", "思琪", "可欣", "雨欣", "佳怡", "梦瑶", "紫涵", "欣妍", "雨涵", "心怡", "思雨", "佳琪", "梦洁", "雪晴", "悦", "琪", "婷", "璐", "瑶", "颖"],
  },
  born2010s: {
    male: ["梓轩", "浩宇", "宇泽", "子墨", "沐辰", "奕辰", "梓豪", "一诺", "俊熙", "明轩", "皓宇", "锦程", "子睿", "沐阳", "宇辰", "煜祺", "梓睿", "承泽", "睿", "铭", "诚"],
    female: ["一诺", "梓涵", "欣怡", "雨桐", "若汐", "可馨", "语桐", "梓萱", "诗琪", "思彤", "沐瑶", "依诺", "雨萱", "芊芊", "梓玥", "语汐", "安琪", "悦", "彤", "萱"],
  },
};

function generationOf(birthYear: number): keyof typeof givenNames {
  if (birthYear < 1950) return "born1930s";
  if (birthYear < 1970) return "born1950s";
  if (birthYear < 1990) return "born1970s";
  if (birthYear < 2008) return "born1990s";
  return "born2010s";
}

export function surname(rnd: Random): string {
  return rnd.weighted(surnameWeights);
}

/** A given name typical of the birth year and gender; occasionally the neighbouring generation's. */
export function givenName(rnd: Random, gender: Gender, birthYear: number): string {
  const shifted = rnd.chance(0.15) ? birthYear + rnd.pick([-12, 12]) : birthYear;
  return rnd.pick(givenNames[generationOf(shifted)][gender]);
}

export function fullName(rnd: Random, gender: Gender, birthYear: number, family: string = surname(rnd)): string {
  return family + givenName(rnd, gender, birthYear);
}

/** Roads in and around 玉林 (public place names). */
export const yulinRoads: readonly string[] = [
  "玉林北路", "玉林南路", "玉林西路", "玉林中路", "玉林东路", "玉林北街", "玉林南街", "芳草街", "芳草东街",
  "倪家桥路", "玉洁巷", "玉洁东街", "电信路", "电信南街", "黉门街", "新南路", "人民南路四段", "科华北路",
  "一环路南二段", "一环路南三段", "棕南街", "棕北街", "跳伞塔路", "南虹村街", "九如村路",
];

/** The roads a community's compounds face: those named like the community first, then neighbours. */
export function roadsFor(communityName: string, rnd: Random): string[] {
  const stem = communityName.replace(/社区$/, "").replace(/(路|街|村)$/, "");
  const own = yulinRoads.filter((r) => r.startsWith(stem));
  const others = rnd.shuffle(yulinRoads.filter((r) => !own.includes(r)));
  return [...own, ...others.slice(0, Math.max(2, 4 - own.length))];
}

const gardenPrefixes = [
  "锦绣", "芳草", "玉林", "蓉城", "桂花", "银杏", "芙蓉", "锦城", "南苑", "翠竹", "丽景", "紫荆", "金桂", "兰亭",
  "清风", "和美", "安居", "康乐", "长青", "青松", "百花", "望江", "南河", "锦华", "玉洁", "雅居", "华府", "欣苑",
  "锦官", "桐荫", "荷塘", "福源", "嘉园", "新南", "蜀都", "天府", "锦里", "倪桥", "玉成", "瑞祥",
];
const gardenSuffixes = ["小区", "苑", "花园", "雅苑", "家园", "名居", "公寓", "佳苑"];
const dormitories = [
  "省建三公司宿舍", "电信局宿舍", "市政一公司宿舍", "邮电宿舍", "省地矿局宿舍", "电力宿舍", "机械厂宿舍", "棉纺厂宿舍",
  "省建筑设计院宿舍", "市二医院宿舍", "交通局宿舍", "粮食局宿舍", "省农机公司宿舍", "无线电厂宿舍", "供销社宿舍",
  "市一建宿舍", "水电五局宿舍", "气象局宿舍", "税务局宿舍", "区教育局宿舍", "航空仪表厂宿舍", "铁路局宿舍",
  "地质队宿舍", "人民商场宿舍", "川剧团宿舍", "省林业厅宿舍", "冶金设计院宿舍", "丝绸厂宿舍",
];

export type CompoundStyle = "garden" | "dormitory" | "yard";

/** Deals out compound names without repeats across the street. */
export function compoundNamer(rnd: Random): (style: CompoundStyle) => string | undefined {
  const gardens = rnd.shuffle(gardenPrefixes.flatMap((p) => gardenSuffixes.map((s) => p + s)));
  const dorms = rnd.shuffle(dormitories);
  return (style) => {
    if (style === "dormitory") return dorms.pop() ?? gardens.pop();
    if (style === "garden") return gardens.pop();
    return undefined;
  };
}

/** Skills a community talent (能人) is known for. */
export const talentSkills: readonly string[] = [
  "水电维修", "家电维修", "理发", "书法", "川剧", "太极拳", "摄影", "法律咨询", "心理疏导", "中医推拿", "编织", "广场舞",
  "钢琴", "电脑维修", "烹饪", "园艺", "调解邻里纠纷", "开锁换锁",
];

/** Interest party groups (兴趣型党小组) a community may form. */
export const interestGroupTopics: readonly string[] = [
  "银龄志愿", "文艺宣传", "法律服务", "环境美化", "邻里调解", "助老助残", "读书学习", "平安巡逻",
];
