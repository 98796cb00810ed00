import { useEffect, useMemo, useState, type Key } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { App, Tree, type TreeDataNode } from "antd";
import { describeError } from "../errors";
import { fetchArea } from "./api";
import { inScopeAncestors } from "./scope";
import type { AreaResponse, AreaSummary } from "./types";

interface AreaTreeProps {
  roots: AreaSummary[];
  selectedId: string | undefined;
  /** The selected area's response, once loaded: its path is expanded and its children shown. */
  selected: AreaResponse | undefined;
  onSelect: (id: string) => void;
}

/** The area tree from the person's root nodes down, loading each level when it is opened. */
export function AreaTree({ roots, selectedId, selected, onSelect }: AreaTreeProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [childrenOf, setChildrenOf] = useState<Record<string, AreaSummary[]>>({});
  const [expanded, setExpanded] = useState<Key[]>([]);

  // Open the path down to the selection (e.g. a grid clicked on the map or a shared link).
  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    const chain = inScopeAncestors(selected.ancestors, new Set(roots.map((r) => r.id)));
    setChildrenOf((prev) => ({ ...prev, [selected.area.id]: selected.children }));
    Promise.all(chain.map((a) => fetchArea(queryClient, a.id)))
      .then((results) => {
        if (cancelled) return;
        setChildrenOf((prev) => {
          const next = { ...prev };
          for (const r of results) next[r.area.id] = r.children;
          return next;
        });
        const open = chain.map((a) => a.id);
        if (selected.children.length > 0) open.push(selected.area.id);
        setExpanded((prev) => [...new Set([...prev, ...open])]);
      })
      .catch((e: unknown) => {
        if (!cancelled) void message.error(describeError(t, e));
      });
    return () => {
      cancelled = true;
    };
  }, [selected, roots, queryClient, message, t]);

  const treeData = useMemo(() => {
    const toNode = (a: AreaSummary): TreeDataNode => {
      const kids = childrenOf[a.id];
      return {
        key: a.id,
        title: (
          <span className="gz-tree-title">
            <span className="gz-tree-name">{a.name}</span>
            <span className="gz-tree-level">{t(`area.level.${a.level}`)}</span>
          </span>
        ),
        isLeaf: a.childCount === 0,
        ...(kids ? { children: kids.map(toNode) } : {}),
      };
    };
    return roots.map(toNode);
  }, [roots, childrenOf, t]);

  const loadData = async (node: { key: Key }) => {
    const id = String(node.key);
    if (childrenOf[id]) return;
    try {
      const res = await fetchArea(queryClient, id);
      setChildrenOf((prev) => ({ ...prev, [id]: res.children }));
    } catch (e) {
      void message.error(describeError(t, e));
      setChildrenOf((prev) => ({ ...prev, [id]: [] }));
    }
  };

  return (
    <Tree
      className="gz-area-tree"
      data-testid="area-tree"
      blockNode
      showLine={{ showLeafIcon: false }}
      treeData={treeData}
      loadData={loadData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys)}
      selectedKeys={selectedId ? [selectedId] : []}
      onSelect={(_keys, info) => onSelect(String(info.node.key))}
    />
  );
}
