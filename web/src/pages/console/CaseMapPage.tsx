import { useCallback, useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Col, Empty, List, Row, Space, Statistic, Tag, Typography } from "antd";
import { UnorderedListOutlined } from "@ant-design/icons";
import { useAreaGeoJson } from "../../features/areas/api";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { describeError } from "../../features/errors";
import { useCaseMap } from "../../features/cases/console/api";
import { CaseMap } from "../../features/cases/console/CaseMap";
import { PageHead } from "./PageHead";

/** 案件地图: open cases in an area by grid — grids coloured by count, a dot per case. */
export function CaseMapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [areaId, setAreaId] = useState<string | undefined>();
  const [gridId, setGridId] = useState<string | null>(null);
  const geo = useAreaGeoJson(areaId);
  const map = useCaseMap(areaId);
  const grids = useMemo(() => [...(map.data?.grids ?? [])].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "zh-CN")), [map.data]);
  const total = grids.reduce((n, g) => n + g.count, 0);
  const overdue = grids.reduce((n, g) => n + g.overdue, 0);
  const selected = grids.find((g) => g.gridId === gridId) ?? null;
  const openCase = useCallback((id: string) => void navigate(`/console/cases/${id}`), [navigate]);

  return (
    <div data-testid="case-map-page">
      <PageHead
        title={t("caseConsole.map.title")}
        back
        crumbs={[{ key: "cases", label: t("caseConsole.title"), to: "/console/cases" }, { key: "map", label: t("caseConsole.map.title") }]}
        extra={
          <Space wrap>
            <ScopeAreaSelect
              value={areaId}
              onChange={(id) => {
                setAreaId(id);
                setGridId(null);
              }}
              testId="case-map-area"
            />
            <Button icon={<UnorderedListOutlined />} onClick={() => void navigate("/console/cases")}>
              {t("caseConsole.map.toList")}
            </Button>
          </Space>
        }
      />
      {map.isError && <Alert type="error" showIcon message={describeError(t, map.error)} style={{ marginBottom: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={17}>
          <Card size="small" styles={{ body: { padding: 0 } }}>
            <CaseMap geo={geo.data} grids={grids} onOpenCase={openCase} onSelectGrid={setGridId} height={560} />
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          <Space direction="vertical" size={16} style={{ width: "100%" }}>
            <Card size="small">
              <Space size={32}>
                <Statistic title={t("caseConsole.map.open")} value={total} loading={map.isPending} />
                <Statistic title={t("caseConsole.overdue")} value={overdue} valueStyle={overdue > 0 ? { color: "#cf1322" } : undefined} loading={map.isPending} />
              </Space>
            </Card>
            <Card
              size="small"
              title={selected ? selected.name : t("caseConsole.map.byGrid")}
              extra={
                selected ? (
                  <Typography.Link onClick={() => setGridId(null)}>{t("caseConsole.map.allGrids")}</Typography.Link>
                ) : undefined
              }
            >
              {selected ? (
                <List
                  size="small"
                  dataSource={selected.points}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("caseConsole.map.none")} /> }}
                  renderItem={(p) => (
                    <List.Item key={p.id}>
                      <Typography.Link onClick={() => openCase(p.id)}>{p.caseNo}</Typography.Link>
                      <Space size={4}>
                        <Tag bordered={false}>{t(`caseConsole.status.${p.status}`)}</Tag>
                        {p.overdue && <Tag color="red">{t("caseConsole.overdue")}</Tag>}
                      </Space>
                    </List.Item>
                  )}
                />
              ) : (
                <List
                  size="small"
                  loading={map.isPending && Boolean(areaId)}
                  dataSource={grids.filter((g) => g.count > 0)}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("caseConsole.map.none")} /> }}
                  renderItem={(g) => (
                    <List.Item key={g.gridId} style={{ cursor: "pointer" }} onClick={() => setGridId(g.gridId)} data-testid="case-map-grid">
                      <Typography.Text>{g.name}</Typography.Text>
                      <Space size={4}>
                        <Tag bordered={false} color="blue">
                          {t("caseConsole.map.count", { count: g.count })}
                        </Tag>
                        {g.overdue > 0 && <Tag color="red">{t("caseConsole.map.overdueCount", { count: g.overdue })}</Tag>}
                      </Space>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
