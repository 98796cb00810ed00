import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card, CapsuleTabs, ErrorBlock, Skeleton, Space, Tag } from "antd-mobile";
import { describeError } from "../../features/errors";
import { useArea, useAreaGeoJson, useAreaRoots } from "../../features/areas/api";
import { AreaMap } from "../../features/areas/AreaMap";
import { GridStaffSection } from "../../features/areas/GridStaffSection";
import { HouseholdList } from "../../features/people/households/HouseholdList";
import { BuildingsSection } from "./BuildingsSection";

/** 我的网格: the worker's grid on the map, its staff (网格力量, read-only), buildings and households. */
export function MyGridPage() {
  const { t } = useTranslation();
  const roots = useAreaRoots();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const gridId = chosen ?? roots.data?.[0]?.id;
  const area = useArea(gridId);
  const geojson = useAreaGeoJson(gridId);

  if (roots.isError) return <ErrorBlock status="default" title={describeError(t, roots.error)} description="" />;
  if (roots.isPending) return <Skeleton.Paragraph lineCount={6} animated className="gz-mobile-section" />;
  if (roots.data.length === 0 || !gridId) {
    return <ErrorBlock status="empty" title={t("worker.grid.none")} description={t("worker.grid.noneHint")} />;
  }

  const detail = area.data?.area;
  const community = area.data?.ancestors.findLast((a) => a.level === "community");

  return (
    <div data-testid="worker-grid">
      {roots.data.length > 1 && (
        <CapsuleTabs activeKey={gridId} onChange={setChosen}>
          {roots.data.map((r) => (
            <CapsuleTabs.Tab key={r.id} title={r.name} />
          ))}
        </CapsuleTabs>
      )}
      <Card
        className="gz-mobile-section"
        title={detail?.name ?? roots.data.find((r) => r.id === gridId)?.name}
        extra={detail ? <span className="gz-mobile-muted">{t(`area.level.${detail.level}`)}</span> : null}
      >
        {detail ? (
          <Space direction="vertical" style={{ "--gap": "6px" }}>
            {community && <span className="gz-mobile-muted">{t("worker.grid.inCommunity", { name: community.name })}</span>}
            <Space wrap>
              {detail.gridType && <Tag color="success" fill="outline">{t(`area.gridType.${detail.gridType}`)}</Tag>}
              <Tag color="primary" fill="outline">
                {t("area.households", { count: detail.householdCount, formatted: detail.householdCount })}
              </Tag>
              {detail.code && (
                <Tag color="default" fill="outline">
                  {detail.code}
                </Tag>
              )}
            </Space>
          </Space>
        ) : area.isError ? (
          <span className="gz-mobile-muted">{describeError(t, area.error)}</span>
        ) : (
          <Skeleton.Paragraph lineCount={2} animated />
        )}
      </Card>
      <div className="gz-mobile-section">
        <AreaMap
          compact
          data={geojson.data}
          loading={geojson.isPending}
          selectedId={gridId}
          focus={detail?.bbox}
          height={240}
        />
      </div>
      {detail?.level === "grid" && <GridStaffSection gridId={gridId} />}
      <BuildingsSection gridId={gridId} />
      <HouseholdList areaId={gridId} />
    </div>
  );
}
