/** The queue's filters: where (area, then a grid of a community), what (category), level, source, status, overdue. */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Select, Space, Switch, TreeSelect, Typography } from "antd";
import { useArea } from "../../areas/api";
import { useScopeAreas } from "../../areas/ScopeAreaSelect";
import { useActiveCategoryTree } from "../catalogue/api";
import type { CaseLevel, CaseSource, CaseStatus } from "../api";

export const caseLevelsOrder: CaseLevel[] = ["grid", "community", "street", "district", "department"];
export const caseSourcesOrder = ["resident", "patrol", "onBehalf", "hotline", "open311", "deliberation", "emergency"] as const satisfies readonly CaseSource[];
export const allStatuses: CaseStatus[] = ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified", "closed", "rated", "rejected", "merged", "parked", "cancelled"];

export interface QueueFilterValues {
  areaId?: string | undefined;
  gridId?: string | undefined;
  categoryCode?: string | undefined;
  level?: CaseLevel | undefined;
  source?: CaseSource | undefined;
  status?: CaseStatus[] | undefined;
  overdue?: boolean | undefined;
}

export function CaseFilters({ value, onChange, showStatus }: { value: QueueFilterValues; onChange: (v: QueueFilterValues) => void; showStatus: boolean }) {
  const { t } = useTranslation();
  const { options } = useScopeAreas();
  const chosen = options.find((o) => o.id === value.areaId);
  const community = useArea(chosen?.level === "community" ? chosen.id : undefined);
  const grids = (community.data?.children ?? []).filter((c) => c.level === "grid");
  const tree = useActiveCategoryTree();
  const categoryTree = useMemo(
    () =>
      (tree.data?.items ?? []).map((top) => ({
        value: top.code,
        title: top.name,
        children: top.children.map((c) => ({ value: c.code, title: c.name })),
      })),
    [tree.data],
  );
  const set = (patch: Partial<QueueFilterValues>) => onChange({ ...value, ...patch });

  return (
    <Space wrap size={[8, 8]} data-testid="case-filters">
      <Select<string>
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ width: 180 }}
        placeholder={t("caseConsole.filters.area")}
        value={value.areaId}
        onChange={(v) => set({ areaId: v, gridId: undefined })}
        options={options.map((a) => ({ value: a.id, label: a.depth > 0 ? `· ${a.name}` : a.name }))}
        data-testid="filter-area"
      />
      {grids.length > 0 && (
        <Select<string>
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: 170 }}
          placeholder={t("caseConsole.filters.grid")}
          value={value.gridId}
          onChange={(v) => set({ gridId: v })}
          options={grids.map((g) => ({ value: g.id, label: g.name }))}
          data-testid="filter-grid"
        />
      )}
      <TreeSelect
        allowClear
        showSearch
        treeNodeFilterProp="title"
        style={{ width: 200 }}
        placeholder={t("caseConsole.filters.category")}
        value={value.categoryCode}
        onChange={(v: string | undefined) => set({ categoryCode: v })}
        treeData={categoryTree}
        popupMatchSelectWidth={280}
        data-testid="filter-category"
      />
      <Select<CaseLevel>
        allowClear
        style={{ width: 130 }}
        placeholder={t("caseConsole.filters.level")}
        value={value.level}
        onChange={(v) => set({ level: v })}
        options={caseLevelsOrder.map((l) => ({ value: l, label: t(`caseConsole.level.${l}`) }))}
      />
      <Select<CaseSource>
        allowClear
        style={{ width: 130 }}
        placeholder={t("caseConsole.filters.source")}
        value={value.source}
        onChange={(v) => set({ source: v })}
        options={caseSourcesOrder.map((s) => ({ value: s, label: t(`caseConsole.source.${s}`) }))}
        data-testid="filter-source"
      />
      {showStatus && (
        <Select<CaseStatus[]>
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          style={{ width: 220 }}
          placeholder={t("caseConsole.filters.status")}
          value={value.status ?? []}
          onChange={(v) => set({ status: v.length > 0 ? v : undefined })}
          options={allStatuses.map((s) => ({ value: s, label: t(`caseConsole.status.${s}`) }))}
          data-testid="filter-status"
        />
      )}
      <Space size={6}>
        <Switch size="small" checked={value.overdue === true} onChange={(on) => set({ overdue: on || undefined })} data-testid="filter-overdue" />
        <Typography.Text>{t("caseConsole.filters.overdueOnly")}</Typography.Text>
      </Space>
    </Space>
  );
}
