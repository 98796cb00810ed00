import { useMemo, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { TreeSelect } from "antd";
import { fetchArea, useAreaRoots } from "../../areas/api";
import { isAboveGrid, type AreaSummary } from "../../areas/types";

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (a: AreaSummary, pId: string | null): Node => ({
  id: a.id,
  pId,
  value: a.id,
  title: a.name,
  // Communities are the finest level offered: a hook for one grid is not a use anyone has asked for.
  isLeaf: a.level === "community" || a.childCount === 0,
});

/**
 * An optional area (district, street or community) from the person's roots down, loading each
 * level when it is opened; cleared = every area.
 */
export function AreaPicker({ value, onChange, id }: { value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useAreaRoots();
  const [loaded, setLoaded] = useState<Node[]>([]);
  const treeData = useMemo(() => {
    const rootNodes = (roots.data ?? []).map((r) => toNode(r, null));
    const seen = new Set(rootNodes.map((n) => n.id));
    return [...rootNodes, ...loaded.filter((n) => !seen.has(n.id))];
  }, [roots.data, loaded]);

  const loadData = async ({ value: parent }: { value?: string | number }) => {
    if (typeof parent !== "string") return;
    const res = await fetchArea(queryClient, parent);
    const children = res.children.filter((c) => isAboveGrid(c.level)).map((c) => toNode(c, parent));
    setLoaded((prev) => [...prev.filter((n) => n.pId !== parent), ...children]);
  };

  return (
    <TreeSelect
      id={id}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDataSimpleMode
      treeData={treeData}
      loadData={loadData}
      loading={roots.isPending}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      placeholder={t("webhooks.form.areaAll")}
      popupMatchSelectWidth={false}
      style={{ width: "100%" }}
      data-testid="webhook-area"
    />
  );
}
