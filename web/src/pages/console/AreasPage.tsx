import { useCallback, useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Col, DatePicker, Empty, Grid, Result, Row, Segmented, Skeleton, Space, Switch, Tag, Typography } from "antd";
import { HistoryOutlined, ImportOutlined, PlusOutlined, TeamOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { useAreaGeoJsonOn } from "../../features/areas/gridEditApi";
import { ImportGridsModal } from "../../features/areas/ImportGridsModal";
import { GridFormDrawer } from "../../features/areas/GridFormDrawer";
import { AreaAdminActions } from "../../features/areas/AreaAdminActions";
import { describeError, errorCode } from "../../features/errors";
import { areaKeys, fetchAreaFn, useAreaGeoJson, useAreaRoots } from "../../features/areas/api";
import { AreaBreadcrumb } from "../../features/areas/AreaBreadcrumb";
import { AreaDetailsCard } from "../../features/areas/AreaDetailsCard";
import { AreaMap } from "../../features/areas/AreaMap";
import { AreaTree } from "../../features/areas/AreaTree";
import { mapContextId } from "../../features/areas/scope";
import type { AreaResponse } from "../../features/areas/types";
import { HouseholdTable } from "../../features/people/households/HouseholdTable";
import { CommunityCompounds } from "../../features/places/CommunityCompounds";
import { useCoverageLayer, useTopologyLayer } from "../../features/people/redGrid/layers";
import { TopologySummary } from "../../features/people/redGrid/TopologySummary";

type MapLayer = "grids" | "coverage";

/** The community whose topology can be checked: the selection itself, or a grid's community. */
function topologyCommunity(res: AreaResponse | undefined, contextId: string | undefined): string | undefined {
  if (!res) return undefined;
  if (res.area.level === "community") return res.area.id;
  if (res.area.level === "grid" || res.area.level === "microGrid") {
    return res.ancestors.find((a) => a.id === contextId && a.level === "community")?.id;
  }
  return undefined;
}

/** 区域与网格: the area tree, the map of grids and the selected area's details. */
export function AreasPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const roots = useAreaRoots();
  const screens = Grid.useBreakpoint();
  const rootIds = useMemo(() => new Set((roots.data ?? []).map((r) => r.id)), [roots.data]);

  // Keep showing the previous area while the next loads, so the map does not blank out.
  const area = useQuery({
    queryKey: areaKeys.detail(id ?? ""),
    queryFn: fetchAreaFn(id ?? ""),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
  const current = area.data && area.data.area.id === id ? area.data : undefined;
  const contextId = area.data ? mapContextId(area.data, rootIds) : undefined;
  const currentGeojson = useAreaGeoJson(contextId);
  // 查看某日的网格: the grids as they were on a chosen past day, instead of today's.
  const [pastDay, setPastDay] = useState<Dayjs | null>(null);
  const pastGeojson = useAreaGeoJsonOn(contextId, pastDay ? pastDay.format("YYYY-MM-DD") : null);
  const geojson = pastDay ? pastGeojson : currentGeojson;
  const [importing, setImporting] = useState(false);
  const [drawing, setDrawing] = useState(false);

  const select = useCallback((next: string) => void navigate(`/console/areas/${next}`), [navigate]);

  // The map's layers stay as chosen while the person moves through the tree.
  const [layer, setLayer] = useState<MapLayer>("grids");
  const [topologyOn, setTopologyOn] = useState(false);
  const coverageLayer = useCoverageLayer(geojson.data, layer === "coverage");
  const communityForTopology = topologyCommunity(current, contextId);
  const topologyLayer = useTopologyLayer(communityForTopology, topologyOn && Boolean(communityForTopology));

  // Without an id, open the first area the person is responsible for.
  const firstRoot = roots.data?.[0]?.id;
  useEffect(() => {
    if (!id && firstRoot) void navigate(`/console/areas/${firstRoot}`, { replace: true });
  }, [id, firstRoot, navigate]);

  if (roots.isError) return <Alert type="error" showIcon message={describeError(t, roots.error)} />;
  if (roots.data && roots.data.length === 0) {
    return (
      <Card>
        <Empty description={t("area.noRoots")} />
      </Card>
    );
  }

  const notFound = area.isError && errorCode(area.error) === "not_found";
  const selectedIsGridLike = current?.area.level === "grid" || current?.area.level === "microGrid";

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }} className="gz-areas">
      <div className="gz-areas-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t("console.menu.areas")}
        </Typography.Title>
        {current && <AreaBreadcrumb data={current} rootIds={rootIds} onSelect={select} />}
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7}>
          <Card size="small" title={t("area.treeTitle")} className="gz-tree-card">
            {roots.data ? (
              <AreaTree roots={roots.data} selectedId={id} selected={current} onSelect={select} />
            ) : (
              <Skeleton active />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          <Space direction="vertical" size={16} style={{ width: "100%" }}>
            {notFound ? (
              <Result status="404" title={t("area.notFoundTitle")} subTitle={t("area.notFound")} />
            ) : area.isError ? (
              <Alert type="error" showIcon message={describeError(t, area.error)} />
            ) : (
              <>
                <Card size="small" styles={{ body: { padding: 8 } }}>
                  <div className="gz-map-toolbar">
                    <Segmented<MapLayer>
                      size="small"
                      value={layer}
                      onChange={setLayer}
                      options={[
                        { value: "grids", label: t("map.layers.grids") },
                        { value: "coverage", label: t("map.layers.coverage") },
                      ]}
                      data-testid="map-layer-switch"
                    />
                    {communityForTopology && (
                      <label className="gz-map-toggle">
                        <Switch size="small" checked={topologyOn} onChange={setTopologyOn} data-testid="topology-switch" />
                        <span>{t("map.layers.topology")}</span>
                      </label>
                    )}
                    {coverageLayer.pending && <Typography.Text type="secondary">{t("coverage.map.loading")}</Typography.Text>}
                    <Space size={4} className="gz-map-toggle">
                      <HistoryOutlined />
                      <DatePicker
                        size="small"
                        value={pastDay}
                        onChange={(d) => setPastDay(d)}
                        placeholder={t("gridEdit.onDay")}
                        disabledDate={(d) => d.isAfter(dayjs(), "day")}
                        data-testid="grids-on-day"
                      />
                    </Space>
                    {pastDay && (
                      <Tag color="gold" closable onClose={() => setPastDay(null)} data-testid="grids-on-day-tag">
                        {t("gridEdit.showingDay", { date: pastDay.format("YYYY-MM-DD") })}
                      </Tag>
                    )}
                  </div>
                  <AreaMap
                    data={geojson.data}
                    loading={geojson.isPending && Boolean(contextId)}
                    selectedId={id}
                    focus={current?.area.bbox}
                    onSelect={(a) => select(a.id)}
                    height={screens.lg === false ? 380 : "clamp(360px, calc(100vh - 270px), 720px)"}
                    gridStyles={coverageLayer.gridStyles}
                    legend={coverageLayer.legend}
                    legendTitle={coverageLayer.legendTitle}
                    problems={communityForTopology && topologyOn ? topologyLayer.problems : undefined}
                  />
                  {geojson.isError && (
                    <Alert type="warning" showIcon message={describeError(t, geojson.error)} style={{ marginTop: 8 }} />
                  )}
                  {coverageLayer.error && (
                    <Alert type="warning" showIcon message={describeError(t, coverageLayer.error)} style={{ marginTop: 8 }} />
                  )}
                  {communityForTopology && topologyOn && (
                    <TopologySummary report={topologyLayer.report} pending={topologyLayer.pending} error={topologyLayer.error} />
                  )}
                </Card>
                {current ? (
                  <AreaDetailsCard
                    data={current}
                    onSelect={select}
                    extra={
                      <Space size={8} wrap>
                      {current.area.level === "community" && current.area.abilities?.drawGrids ? (
                        <Space size={8} wrap>
                          <Button size="small" icon={<PlusOutlined />} onClick={() => setDrawing(true)} data-testid="open-grid-create">
                            {t("gridEdit.form.createAction")}
                          </Button>
                          <Button size="small" icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="open-grid-import">
                            {t("gridEdit.import.action")}
                          </Button>
                        </Space>
                      ) : current.area.level === "grid" ? (
                        <Button
                          type="primary"
                          size="small"
                          icon={<TeamOutlined />}
                          onClick={() => void navigate(`/console/grids/${current.area.id}`)}
                          data-testid="open-grid-page"
                        >
                          {t("grid.open")}
                        </Button>
                      ) : undefined}
                      <AreaAdminActions area={current.area} onSelect={select} />
                      </Space>
                    }
                  />
                ) : (
                  <Skeleton active />
                )}
                {current && current.area.level === "community" && (
                  <ImportGridsModal open={importing} community={current.area} onClose={() => setImporting(false)} />
                )}
                {current && current.area.level === "community" && drawing && (
                  <GridFormDrawer
                    open
                    community={current.area}
                    onClose={() => setDrawing(false)}
                    onDone={(gridId) => {
                      setDrawing(false);
                      void navigate(`/console/grids/${gridId}`);
                    }}
                  />
                )}
                {current?.area.level === "community" && <CommunityCompounds key={current.area.id} community={current} />}
                {current && (selectedIsGridLike || current.area.level === "community") && (
                  <Card size="small" title={t("household.title")} extra={<Typography.Text type="secondary">{t("household.masked")}</Typography.Text>}>
                    <HouseholdTable key={current.area.id} areaId={current.area.id} linked />
                  </Card>
                )}
              </>
            )}
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
