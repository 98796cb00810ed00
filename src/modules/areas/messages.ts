/**
 * The feature-level messages of grid edits (网格导入、拆分、合并、拓扑检查), each with a stable
 * code and a zh-CN and an English text (`Bilingual`). Services keep the Chinese in `message` (and
 * in `AppError` details) and the English beside it; an answer picks one with `pickLang`. Messages
 * name grids, features by their number and name, rings and coordinates — never personal data.
 */
import { bilingual, type Bilingual, type Lang, type MessageParam, type MessageTemplates } from "../../platform/errors.js";

export const areaMessages = {
  // Subjects: what a message is about.
  subject_boundary: { zh: "边界", en: "the boundary" },
  subject_feature: { zh: "第 {n} 个要素", en: "feature {n}" },
  subject_feature_named: { zh: "第 {n} 个要素「{name}」", en: "feature {n} (“{name}”)" },
  subject_grid: { zh: "网格「{name}」", en: "grid “{name}”" },
  subject_grid_coded: { zh: "网格「{name}」（{code}）", en: "grid “{name}” ({code})" },
  subject_community: { zh: "社区「{name}」", en: "community “{name}”" },
  subject_current_grid: { zh: "现有网格「{name}」", en: "the current grid “{name}”" },
  subject_part: { zh: "拆分后的网格「{name}」", en: "the new grid “{name}”" },
  ring_outer: { zh: "外环", en: "the outer ring" },
  ring_inner: { zh: "第 {ring} 个内环", en: "inner ring {ring}" },
  ring_outer_of: { zh: "第 {polygon} 个多边形的外环", en: "the outer ring of polygon {polygon}" },
  ring_inner_of: { zh: "第 {polygon} 个多边形的第 {ring} 个内环", en: "inner ring {ring} of polygon {polygon}" },
  // One polygon (topology.ts).
  polygon_none: { zh: "{subject}没有任何多边形", en: "{subject} has no polygon" },
  polygon_no_shell: { zh: "{subject}没有外环", en: "{subject} has no outer ring" },
  polygon_no_shell_of: { zh: "{subject}第 {polygon} 个多边形没有外环", en: "{subject}: polygon {polygon} has no outer ring" },
  invalid_position: { zh: "{subject}的{ring}含有无效坐标（应为 [经度, 纬度] 数值）", en: "{subject}: {ring} has an invalid position (it must be [longitude, latitude] numbers)" },
  ring_not_closed: { zh: "{subject}的{ring}未闭合：首点 {first} 与末点 {last} 不同", en: "{subject}: {ring} is not closed: the first point {first} differs from the last point {last}" },
  too_few_points: {
    zh: "{subject}的{ring}只有 {count} 个不同的顶点，至少需要 3 个（闭合后 4 个位置）",
    en: "{subject}: {ring} has only {count} distinct vertices; it needs at least 3 (4 positions when closed)",
  },
  zero_area: { zh: "{subject}的{ring}面积为零（所有顶点共线或重合）", en: "{subject}: {ring} has no area (all vertices on one line or at one point)" },
  self_intersection: { zh: "{subject}的{ring}自相交：第 {e} 条边与第 {f} 条边相交于 {at}", en: "{subject}: {ring} crosses itself: edges {e} and {f} meet at {at}" },
  rings_cross: { zh: "{subject}的{ring}与{other}相交于 {at}", en: "{subject}: {ring} and {other} meet at {at}" },
  hole_outside_shell: { zh: "{subject}的{ring}不在外环之内：顶点 {at} 位于外环外", en: "{subject}: {ring} is not inside the outer ring: vertex {at} lies outside it" },
  // A community and its grids (topology.ts).
  grids_overlap: { zh: "{a}与{b}重叠 {area} 平方米", en: "{a} and {b} overlap by {area} m²" },
  community_gap: { zh: "社区「{community}」有 {area} 平方米不属于任何网格，范围 {box}", en: "{area} m² of community “{community}” belong to no grid, within {box}" },
  grid_outside_community: { zh: "{grid}有 {area} 平方米在社区「{community}」边界之外", en: "{grid} has {area} m² outside the boundary of community “{community}”" },
  // Drawing one grid (grids.ts).
  grid_shape: { zh: "网格「{name}」：{problem}", en: "Grid “{name}”: {problem}" },
  grid_outside: { zh: "网格「{name}」有 {area} 平方米超出{community}边界", en: "Grid “{name}” has {area} m² outside the boundary of {community}" },
  grid_overlaps: { zh: "网格「{name}」与「{other}」重叠 {area} 平方米", en: "Grid “{name}” overlaps “{other}” by {area} m²" },
  grid_code_format: { zh: "网格编码应为社区编码 {prefix} 加 3 位数字", en: "A grid code is the community code {prefix} followed by 3 digits" },
  grids_in_community: { zh: "网格只能画在社区之内，请选择一个社区", en: "Grids are drawn inside a community; choose a community" },
  topology_per_community: { zh: "拓扑检查按社区进行，请选择一个社区", en: "Topology is checked per community; choose a community" },
  community_without_boundary: { zh: "该社区还没有边界", en: "The community has no boundary" },
  // Effective dates (history.ts).
  effective_invalid: { zh: "生效日期 {value} 不是有效日期", en: "The effective date {value} is not a valid date" },
  effective_future: { zh: "生效日期 {value} 晚于今天（{today}），不能预先登记", en: "The effective date {value} is after today ({today}); changes cannot be recorded ahead" },
  effective_before_version: {
    zh: "网格「{name}」现行边界自 {from} 起生效，生效日期不能早于该日",
    en: "The current boundary of grid “{name}” is in force from {from}; the effective date cannot be earlier",
  },
  // GeoJSON import (grid-import.ts).
  import_needs_community: { zh: "网格边界按社区导入，请选择一个社区", en: "Grid boundaries are imported per community; choose a community" },
  import_no_features: { zh: "GeoJSON 中没有任何网格要素（features 为空）", en: "The GeoJSON holds no grid features (features is empty)" },
  feature_not_feature: { zh: "{label}不是 GeoJSON Feature（type 应为 \"Feature\"）", en: "{label} is not a GeoJSON Feature (type must be \"Feature\")" },
  feature_name_missing: { zh: "{label}缺少网格名称（properties.name）", en: "{label} has no grid name (properties.name)" },
  feature_name_too_long: { zh: "{label}的名称超过 100 个字", en: "{label}: the name is longer than 100 characters" },
  feature_name_duplicate: { zh: "{label}与第 {other} 个要素同名", en: "{label} has the same name as feature {other}" },
  feature_type_unknown: {
    zh: "{label}的网格类型「{type}」无法识别，应为 综合 或 专属",
    en: "{label}: the grid type “{type}” is unknown; it must be 综合 (comprehensive) or 专属 (dedicated)",
  },
  feature_code_format: { zh: "{label}的编码 {code} 应为社区编码 {prefix} 加 3 位数字", en: "{label}: the code {code} must be the community code {prefix} followed by 3 digits" },
  feature_code_duplicate: { zh: "{label}的编码 {code} 与第 {other} 个要素重复", en: "{label}: the code {code} is also given to feature {other}" },
  feature_code_taken: { zh: "{label}的编码 {code} 已被网格「{grid}」使用", en: "{label}: the code {code} is already used by grid “{grid}”" },
  feature_code_taken_replace: {
    zh: "{label}的编码 {code} 已被网格「{grid}」使用（如要重画该网格，请选择替换现有网格）",
    en: "{label}: the code {code} is already used by grid “{grid}” (to redraw that grid, choose to replace the current grids)",
  },
  feature_no_geometry: { zh: "{label}没有几何图形（geometry）", en: "{label} has no geometry" },
  feature_geometry_type: { zh: "{label}的几何类型是 {type}，应为 Polygon 或 MultiPolygon", en: "{label}: the geometry type is {type}; it must be Polygon or MultiPolygon" },
  feature_coordinates_not_array: { zh: "{label}的坐标（coordinates）不是数组", en: "{label}: the coordinates are not an array" },
  feature_coordinates_range: { zh: "{label}的坐标超出经纬度范围，应为 WGS 84 [经度, 纬度]", en: "{label}: the coordinates are out of range; they must be WGS 84 [longitude, latitude]" },
  feature_outside_community: { zh: "{label}有 {area} 平方米超出{community}边界", en: "{label} has {area} m² outside the boundary of {community}" },
  feature_overlaps_feature: { zh: "{label}与{other}重叠 {area} 平方米", en: "{label} overlaps {other} by {area} m²" },
  feature_overlaps_grid: {
    zh: "{label}与现有网格「{grid}」重叠 {area} 平方米（如要整体替换现有网格，请选择替换现有网格）",
    en: "{label} overlaps the current grid “{grid}” by {area} m² (to replace the current grids as a whole, choose to replace them)",
  },
  // The optional repair of an import (repair.ts): what was changed, listed in the report.
  repair_duplicate_points: { zh: "{label}：删除重复顶点 {count} 个", en: "{label}: {count} repeated vertices removed" },
  repair_spike: { zh: "{label}：删除零面积尖刺 {count} 处（第一处在 {at}）", en: "{label}: {count} zero-area spikes removed (the first at {at})" },
  repair_self_intersection: {
    zh: "{label}：边界自相交（{at}），已按自身合并重建为 {parts} 个多边形，面积 {area} 平方米",
    en: "{label}: the boundary crossed itself (at {at}); rebuilt as the union of itself: {parts} polygon(s), {area} m²",
  },
  repair_outside: { zh: "{label}：超出社区边界的 {area} 平方米已裁去", en: "{label}: the {area} m² outside the community boundary were cut off" },
  repair_overlap: {
    zh: "{label}与{other}重叠的 {area} 平方米划归{other}（与重叠部分的共用边界：{other} {border} 米，本要素 {otherBorder} 米）",
    en: "{label}: the {area} m² it shared with {other} now belong to {other} alone (border with the overlap: {other} {border} m, this feature {otherBorder} m)",
  },
  repair_overlap_current: {
    zh: "{label}与{other}重叠的 {area} 平方米已从本要素去除（现有网格保持不变）",
    en: "{label}: the {area} m² it shared with {other} were taken out of it (the current grid stays as it is)",
  },
  repair_gap: {
    zh: "{label}：旁边 {area} 平方米不属于任何网格的缝隙已并入本要素（与缝隙共用边界最长，{border} 米）",
    en: "{label}: a gap of {area} m² next to it, in no grid, was joined to it (it shares the longest border with the gap, {border} m)",
  },
  repair_above_threshold: {
    zh: "{problem}（超过修复上限 {max} 平方米，未自动修复）",
    en: "{problem} (above the repair limit of {max} m², not repaired)",
  },
  repair_max_missing: { zh: "选择修复时需给出修复上限（平方米）", en: "Repairing needs a limit in m² (repairMaxM2)" },
  repair_max_range: { zh: "修复上限应为 0 到 {max} 平方米之间的数", en: "The repair limit must be a number from 0 to {max} m²" },
  repair_max_without_repair: { zh: "只有选择修复时才能给出修复上限", en: "A repair limit is given only together with repair" },
  // Splitting and merging (partition.ts, reshape.ts).
  line_too_short: { zh: "切割线至少需要 2 个点", en: "A cutting line needs at least 2 points" },
  line_invalid_position: { zh: "切割线含有无效坐标", en: "The cutting line has an invalid position" },
  line_repeated_point: { zh: "切割线第 {i} 点与第 {j} 点重合", en: "Points {i} and {j} of the cutting line are the same" },
  parts_overlap: { zh: "拆分后的网格「{a}」与「{b}」重叠 {area} 平方米", en: "The new grids “{a}” and “{b}” overlap by {area} m²" },
  part_outside_grid: { zh: "拆分后的网格「{name}」有 {area} 平方米超出原网格「{grid}」", en: "The new grid “{name}” has {area} m² outside the grid “{grid}” it replaces" },
  parts_uncovered: {
    zh: "拆分后的网格没有覆盖原网格「{grid}」的全部范围：有 {area} 平方米未被覆盖",
    en: "The new grids do not cover all of grid “{grid}”: {area} m² are left uncovered",
  },
  not_a_grid: { zh: "「{name}」不是网格", en: "“{name}” is not a grid" },
  cut_with_boundaries: {
    zh: "按切割线拆分时，各部分的边界由切割线决定，不能另给边界",
    en: "When a grid is split along a line, the line decides the parts' boundaries; do not give boundaries as well",
  },
  cut_no_split: {
    zh: "切割线没有把网格「{name}」分成两部分以上，请让切割线完整穿过网格",
    en: "The cutting line does not divide grid “{name}” into two or more parts; draw it right across the grid",
  },
  cut_part_count: { zh: "切割线把网格分成 {pieces} 部分，但提交了 {given} 个部分的名称", en: "The cutting line divides the grid into {pieces} parts, but {given} part names were given" },
  split_too_few: { zh: "拆分至少需要 2 个部分（或一条切割线）", en: "A split needs at least 2 parts (or a cutting line)" },
  part_no_boundary: { zh: "第 {n} 个部分没有边界", en: "Part {n} has no boundary" },
  part_name_empty: { zh: "拆分后的网格名称不能为空", en: "The names of the new grids cannot be empty" },
  part_name_duplicate: { zh: "拆分后的网格名称「{name}」重复", en: "The new grid name “{name}” is given twice" },
  org_not_in_grid: { zh: "该组织不属于被拆分的网格", en: "The organization does not belong to the grid being split" },
  no_such_part: { zh: "没有第 {n} 个部分", en: "There is no part {n}" },
  merge_too_few: { zh: "请至少选择 2 个不同的网格", en: "Choose at least 2 different grids" },
  grid_name_empty: { zh: "网格名称不能为空", en: "The grid name cannot be empty" },
  merge_communities: {
    zh: "所选网格不属于同一个社区（{names}），只能合并同一社区内的网格",
    en: "The chosen grids ({names}) are not in one community; only grids of one community can be merged",
  },
  merge_not_adjacent: {
    zh: "所选网格不相邻，合并后不是一个完整的多边形：{groups} 之间没有共同边界",
    en: "The chosen grids are not neighbours and would not make one polygon: {groups} share no boundary",
  },
  code_duplicate: { zh: "网格编码 {code} 重复", en: "The grid code {code} is given twice" },
  code_format: { zh: "网格编码 {code} 应为社区编码 {prefix} 加 3 位数字", en: "The grid code {code} must be the community code {prefix} followed by 3 digits" },
  code_taken: { zh: "网格编码 {code} 已被「{name}」使用", en: "The grid code {code} is already used by “{name}”" },
  codes_exhausted: { zh: "社区 {prefix} 的网格编码已用完", en: "Community {prefix} has no grid codes left" },
  // Districts, streets and communities (admin.ts, community-import.ts).
  area_shape: { zh: "「{name}」：{problem}", en: "“{name}”: {problem}" },
  area_outside_parent: { zh: "「{name}」有 {area} 平方米超出「{parent}」边界", en: "“{name}” has {area} m² outside the boundary of “{parent}”" },
  area_overlaps_sibling: { zh: "「{name}」与「{other}」重叠 {area} 平方米", en: "“{name}” overlaps “{other}” by {area} m²" },
  parent_gap: { zh: "「{parent}」有 {area} 平方米不属于任何下级区域", en: "{area} m² of “{parent}” belong to no area below it" },
  child_outside: { zh: "下级区域「{child}」有 {area} 平方米在「{name}」的新边界之外", en: "“{child}” below it has {area} m² outside the new boundary of “{name}”" },
  child_level_none: { zh: "「{name}」下不能再新建区域（{level}之下由网格功能管理）", en: "No area can be created below “{name}” ({level}: grids are managed as grids)" },
  area_code_format: { zh: "编码 {code} 应为上级编码 {prefix} 加 {digits} 位数字", en: "The code {code} must be the parent's code {prefix} followed by {digits} digits" },
  area_code_digits: { zh: "编码 {code} 应为 {length} 位数字", en: "The code {code} must have {length} digits" },
  area_code_taken: { zh: "编码 {code} 已被「{name}」使用", en: "The code {code} is already used by “{name}”" },
  area_name_taken: { zh: "「{parent}」下已有名为「{name}」的区域", en: "“{parent}” already has an area named “{name}”" },
  area_codes_exhausted: { zh: "「{parent}」下的编码已用完", en: "“{parent}” has no codes left" },
  area_not_administered: { zh: "只能新建、撤销或修改编码的是区（县）、街道和社区", en: "Only districts, streets and communities are created, retired or re-coded here" },
  import_needs_street: { zh: "社区边界按街道导入，请选择一个街道", en: "Community boundaries are imported per street; choose a street" },
  import_no_community_features: { zh: "GeoJSON 中没有任何社区要素（features 为空）", en: "The GeoJSON holds no community features (features is empty)" },
  feature_community_name_missing: { zh: "{label}缺少社区名称（properties.name）", en: "{label} has no community name (properties.name)" },
  feature_community_code_format: { zh: "{label}的编码 {code} 应为街道编码 {prefix} 加 3 位数字", en: "{label}: the code {code} must be the street code {prefix} followed by 3 digits" },
  feature_community_code_taken: { zh: "{label}的编码 {code} 已被「{name}」使用", en: "{label}: the code {code} is already used by “{name}”" },
  feature_outside_street: { zh: "{label}有 {area} 平方米超出街道「{street}」边界", en: "{label} has {area} m² outside the boundary of the street “{street}”" },
  feature_overlaps_community: {
    zh: "{label}与现有社区「{community}」重叠 {area} 平方米",
    en: "{label} overlaps the current community “{community}” by {area} m²",
  },
} satisfies MessageTemplates;

export type AreaMessageCode = keyof typeof areaMessages;

/** Message `code` in both languages; the English starts with a capital letter. */
export function am(code: AreaMessageCode, params: Record<string, MessageParam> = {}): Bilingual {
  const t = bilingual(areaMessages, code, params);
  return { ...t, en: t.en.charAt(0).toUpperCase() + t.en.slice(1) };
}

/** A subject or ring name in both languages, as it is (for use inside another message). */
export function part(code: AreaMessageCode, params: Record<string, MessageParam> = {}): Bilingual {
  return bilingual(areaMessages, code, params);
}

/** Several messages as one detail: "；" between the Chinese, "; " between the English. */
export function joined(list: readonly Bilingual[]): Bilingual {
  return { code: list.length === 1 ? list[0]!.code : "several", zh: list.map((t) => t.zh).join("；"), en: list.map((t) => t.en).join("; ") };
}

/** A message object's `message` in `lang`, its `messageEn` dropped. */
export function localized<T extends { message: string; messageEn?: string }>(x: T, lang: Lang): Omit<T, "messageEn"> {
  const { messageEn, ...rest } = x;
  return lang === "en" && messageEn !== undefined ? { ...rest, message: messageEn } : rest;
}
