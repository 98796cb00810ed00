import { useTranslation } from "react-i18next";
import { Breadcrumb, Typography } from "antd";
import type { AreaResponse } from "./types";

interface AreaBreadcrumbProps {
  data: AreaResponse;
  rootIds: ReadonlySet<string>;
  onSelect: (id: string) => void;
}

/** The path from the top; nodes above the person's scope are shown but cannot be opened. */
export function AreaBreadcrumb({ data, rootIds, onSelect }: AreaBreadcrumbProps) {
  const { t } = useTranslation();
  const firstInScope = data.ancestors.findIndex((a) => rootIds.has(a.id));
  const items = data.ancestors.map((a, i) => ({
    key: a.id,
    title:
      firstInScope >= 0 && i >= firstInScope ? (
        <Typography.Link onClick={() => onSelect(a.id)}>{a.name}</Typography.Link>
      ) : (
        <span title={t("area.outOfScope")}>{a.name}</span>
      ),
  }));
  items.push({ key: data.area.id, title: <span>{data.area.name}</span> });
  return <Breadcrumb items={items} data-testid="area-breadcrumb" />;
}
