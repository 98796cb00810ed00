import { useEffect, useMemo } from "react";
import { useQueries } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Select } from "antd";
import { areaKeys, fetchAreaFn, useAreaRoots } from "./api";
import { isAboveGrid, type AreaSummary } from "./types";

/**
 * The areas a report can be run for: the person's root areas and, under a street (or wider),
 * its children, so a street can look at one community. Picks the first root when nothing is chosen.
 */
export function useScopeAreas() {
  const roots = useAreaRoots();
  const expandable = useMemo(
    () => (roots.data ?? []).filter((r) => r.level !== "community" && isAboveGrid(r.level) && r.childCount > 0),
    [roots.data],
  );
  const children = useQueries({
    queries: expandable.map((r) => ({
      queryKey: areaKeys.detail(r.id),
      queryFn: fetchAreaFn(r.id),
      staleTime: 5 * 60_000,
    })),
  });
  const options = useMemo(() => {
    const list: (AreaSummary & { depth: number })[] = [];
    for (const root of roots.data ?? []) {
      list.push({ ...root, depth: 0 });
      const res = children.find((c) => c.data?.area.id === root.id)?.data;
      for (const child of res?.children ?? []) if (isAboveGrid(child.level)) list.push({ ...child, depth: 1 });
    }
    return list;
  }, [roots.data, children]);
  return { roots, options };
}

export function ScopeAreaSelect({
  value,
  onChange,
  testId,
}: {
  value: string | undefined;
  onChange: (id: string) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { options } = useScopeAreas();
  const first = options[0]?.id;
  useEffect(() => {
    if (!value && first) onChange(first);
  }, [value, first, onChange]);
  return (
    <Select<string>
      value={value}
      onChange={onChange}
      style={{ minWidth: 200 }}
      showSearch
      optionFilterProp="label"
      data-testid={testId}
      options={options.map((a) => ({ value: a.id, label: a.name, depth: a.depth, level: a.level }))}
      optionRender={(o) => (
        <span style={{ paddingLeft: (o.data.depth ?? 0) * 16 }}>
          {o.data.label}
          <span className="gz-tree-level" style={{ marginLeft: 6 }}>
            {t(`area.level.${o.data.level}`)}
          </span>
        </span>
      )}
      placeholder={t("common.chooseArea")}
    />
  );
}
