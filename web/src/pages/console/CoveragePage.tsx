import { useCallback, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Col, Descriptions, Empty, List, Row, Skeleton, Space, Table, Tag, Typography } from "antd";
import { SyncOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import { useArea } from "../../features/areas/api";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import {
  noticeCodes,
  unassignedReasons,
  useAssignRedGrid,
  useCoverage,
  useGridCoverages,
  type AssignResult,
  type CoverageFigures,
} from "../../features/people/redGrid/api";
import { FormulaFigure, FormulaHeader } from "../../features/people/redGrid/FormulaFigure";
import { PageHead } from "./PageHead";

interface FigureRow {
  id: string;
  name: string;
  /** Where the name links: a community to the area browser, a grid to its page. */
  to: string;
  figures: CoverageFigures | undefined;
}

const collator = new Intl.Collator("zh-CN", { numeric: true });

/** Sorts rows by one of the three ratios; rows still loading (or with no denominator) go last. */
function byRatio(key: keyof CoverageFigures) {
  return (a: FigureRow, b: FigureRow) => (a.figures?.[key].ratio ?? -1) - (b.figures?.[key].ratio ?? -1);
}

function FiguresTable({ rows, nameTitle, sample }: { rows: FigureRow[]; nameTitle: string; sample: CoverageFigures | undefined }) {
  const { t } = useTranslation();
  return (
    <Table<FigureRow>
      size="small"
      rowKey="id"
      data-testid="coverage-table"
      dataSource={rows}
      pagination={false}
      scroll={{ x: 900 }}
      columns={[
        {
          title: nameTitle,
          dataIndex: "name",
          fixed: "left",
          width: 150,
          sorter: (a, b) => collator.compare(a.name, b.name),
          render: (name: string, r) => <Link to={r.to}>{name}</Link>,
        },
        {
          title: <FormulaHeader title={t("coverage.grids")} ratio={sample?.grids} />,
          key: "grids",
          sorter: byRatio("grids"),
          render: (_: unknown, r) => (r.figures ? <FormulaFigure compact ratio={r.figures.grids} /> : <Skeleton.Input size="small" active />),
        },
        {
          title: <FormulaHeader title={t("coverage.members")} ratio={sample?.members} />,
          key: "members",
          sorter: byRatio("members"),
          render: (_: unknown, r) => (r.figures ? <FormulaFigure compact ratio={r.figures.members} /> : <Skeleton.Input size="small" active />),
        },
        {
          title: <FormulaHeader title={t("coverage.households")} ratio={sample?.households} />,
          key: "households",
          sorter: byRatio("households"),
          render: (_: unknown, r) =>
            r.figures ? <FormulaFigure compact ratio={r.figures.households} /> : <Skeleton.Input size="small" active />,
        },
        {
          title: t("coverage.householdsWithout"),
          key: "without",
          sorter: (a, b) => (a.figures?.households.withoutRedGridMember ?? -1) - (b.figures?.households.withoutRedGridMember ?? -1),
          width: 110,
          align: "right",
          render: (_: unknown, r) =>
            r.figures ? (
              <Tag color={r.figures.households.withoutRedGridMember > 0 ? "orange" : "green"} bordered={false}>
                {t("redGrid.households", { count: r.figures.households.withoutRedGridMember })}
              </Tag>
            ) : null,
        },
        {
          title: t("coverage.gridsWithoutParty"),
          key: "noParty",
          width: 200,
          render: (_: unknown, r) =>
            !r.figures ? null : r.figures.grids.withoutPartyOrg.length === 0 ? (
              <Typography.Text type="secondary">{t("common.none")}</Typography.Text>
            ) : (
              <Space size={[4, 4]} wrap>
                {r.figures.grids.withoutPartyOrg.map((g) => (
                  <Link key={g.id} to={`/console/grids/${g.id}`}>
                    <Tag color="default">{g.name}</Tag>
                  </Link>
                ))}
              </Space>
            ),
        },
      ]}
    />
  );
}

/** A community's report lists its grids, all answered in one request. */
function GridRows({ communityId, sample }: { communityId: string; sample: CoverageFigures | undefined }) {
  const { t } = useTranslation();
  const area = useArea(communityId);
  const grids = useMemo(() => (area.data?.children ?? []).filter((c) => c.level === "grid"), [area.data]);
  const coverages = useGridCoverages(useMemo(() => [communityId], [communityId]), true);
  if (area.isError) return <Alert type="warning" showIcon message={describeError(t, area.error)} />;
  const rows: FigureRow[] = grids.map((g) => ({ id: g.id, name: g.name, to: `/console/grids/${g.id}`, figures: coverages.byGrid.get(g.id) }));
  return <FiguresTable rows={rows} nameTitle={t("area.level.grid")} sample={sample} />;
}

function AssignSummary({ result }: { result: AssignResult }) {
  const { t, i18n } = useTranslation();
  const s = result.stats;
  const fmt = (n: number) => n.toLocaleString(i18n.language);
  const reasons = Object.entries(result.unassigned).filter(([, n]) => n > 0);
  const unassignedTotal = reasons.reduce((sum, [, n]) => sum + n, 0);
  return (
    <Card size="small" title={t("assign.resultTitle")} data-testid="assign-result">
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 4 }} size="small" bordered>
          <Descriptions.Item label={t("assign.households")}>{fmt(s.households)}</Descriptions.Item>
          <Descriptions.Item label={t("assign.assigned")}>
            <span data-testid="assign-assigned">{fmt(s.assigned)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("assign.unassigned")}>{fmt(unassignedTotal)}</Descriptions.Item>
          <Descriptions.Item label={t("assign.members")}>{fmt(s.members)}</Descriptions.Item>
          <Descriptions.Item label={t("assign.load")}>
            {t("assign.loadRange", { min: s.minLoad, max: s.maxLoad })}
          </Descriptions.Item>
          <Descriptions.Item label={t("assign.membersInRange")}>
            {t("assign.membersInRangeValue", { count: s.membersInRange, total: s.members })}
          </Descriptions.Item>
          <Descriptions.Item label={t("assign.meanDistance")}>
            {t("assign.metres", { value: s.meanDistanceM.toLocaleString(i18n.language, { maximumFractionDigits: 1 }) })}
          </Descriptions.Item>
        </Descriptions>
        {reasons.length > 0 && (
          <div>
            <Typography.Text strong>{t("assign.unassignedByReason")}</Typography.Text>
            <List
              size="small"
              split={false}
              dataSource={reasons}
              renderItem={([reason, n]) => (
                <List.Item style={{ padding: "2px 0" }}>
                  <Space>
                    <Tag bordered={false} color={reason === "overrideNone" ? "default" : "orange"}>
                      {(unassignedReasons as readonly string[]).includes(reason) ? t(`assign.reasons.${reason}`) : reason}
                    </Tag>
                    <span>{t("redGrid.households", { count: n })}</span>
                  </Space>
                </List.Item>
              )}
            />
          </div>
        )}
        {result.notices.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={t("assign.noticesTitle", { count: result.notices.length })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {Object.entries(
                  result.notices.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.code]: (acc[n.code] ?? 0) + 1 }), {}),
                ).map(([code, n]) => (
                  <li key={code}>
                    {t(`assign.notices.${(noticeCodes as readonly string[]).includes(code) ? code : "other"}`, { count: n, code })}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Card>
  );
}

/** 红色网格: coverage of the rule with formulas, gaps to close, and re-running the assignment. */
export function CoveragePage() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [areaId, setAreaId] = useState<string | undefined>(undefined);
  const choose = useCallback((id: string) => setAreaId(id), []);
  const area = useArea(areaId);
  const coverage = useCoverage(areaId);
  const assign = useAssignRedGrid(areaId);
  const [result, setResult] = useState<{ areaId: string; data: AssignResult } | null>(null);
  // The server says whether you may re-run the assignment here (its red grid policy, for this area).
  const canAssign = coverage.data?.abilities.assign === true;
  const figures = coverage.data?.street;
  const level = area.data?.area.level;
  const areaName = area.data?.area.name ?? "";

  const confirmAssign = () => {
    if (!areaId) return;
    void modal.confirm({
      title: t("assign.confirmTitle", { name: areaName }),
      content: (
        <Space direction="vertical">
          <span>{t("assign.confirmBody", { count: figures?.households.denominator ?? 0 })}</span>
          <Typography.Text type="secondary">{t("assign.confirmPinned")}</Typography.Text>
        </Space>
      ),
      okText: t("assign.confirmOk"),
      cancelText: t("common.cancel"),
      onOk: async () => {
        const data = await assign.mutateAsync();
        setResult({ areaId, data });
      },
    });
  };

  const communityRows: FigureRow[] = (coverage.data?.communities ?? [])
    .map((c) => ({ id: c.communityId, name: c.name ?? t("common.none"), to: `/console/areas/${c.communityId}`, figures: c }))
    .sort((a, b) => collator.compare(a.name, b.name));
  const withoutParty = figures?.grids.withoutPartyOrg ?? [];

  return (
    <div data-testid="coverage-page">
      <PageHead
        title={t("coverage.title")}
        extra={
          <>
            <ScopeAreaSelect value={areaId} onChange={choose} testId="coverage-area-select" />
            {canAssign && (
              <Button type="primary" icon={<SyncOutlined />} onClick={confirmAssign} loading={assign.isPending} disabled={!figures} data-testid="assign-run">
                {t("assign.run")}
              </Button>
            )}
          </>
        }
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("coverage.rule")}
        </Typography.Paragraph>
        {assign.isError && <Alert type="error" showIcon closable message={describeError(t, assign.error)} />}
        {result && result.areaId === areaId && <AssignSummary result={result.data} />}
        {coverage.isError ? (
          <Alert type="error" showIcon message={describeError(t, coverage.error)} />
        ) : !figures ? (
          <Skeleton active />
        ) : (
          <>
            <Card size="small" title={t("coverage.summaryTitle", { name: areaName })} data-testid="coverage-summary">
              <Row gutter={[24, 16]}>
                <Col xs={24} md={8}>
                  <FormulaFigure label={t("coverage.grids")} ratio={figures.grids} testId="figure-grids" />
                </Col>
                <Col xs={24} md={8}>
                  <FormulaFigure label={t("coverage.members")} ratio={figures.members} testId="figure-members" />
                </Col>
                <Col xs={24} md={8}>
                  <FormulaFigure label={t("coverage.households")} ratio={figures.households} testId="figure-households" />
                </Col>
              </Row>
            </Card>
            <Card
              size="small"
              title={level === "community" ? t("coverage.byGrid") : t("coverage.byCommunity")}
              styles={{ body: { padding: 0 } }}
            >
              {level === "community" && areaId ? (
                <GridRows communityId={areaId} sample={figures} />
              ) : communityRows.length > 0 ? (
                <FiguresTable rows={communityRows} nameTitle={t("area.level.community")} sample={figures} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t("coverage.gridsWithoutParty")} data-testid="grids-without-party" style={{ height: "100%" }}>
                  {withoutParty.length === 0 ? (
                    <Alert type="success" showIcon message={t("coverage.allGridsHaveParty")} />
                  ) : (
                    <List
                      size="small"
                      dataSource={withoutParty}
                      renderItem={(g) => (
                        <List.Item>
                          <Link to={`/console/grids/${g.id}`}>{g.name}</Link>
                        </List.Item>
                      )}
                    />
                  )}
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t("coverage.gaps")} style={{ height: "100%" }}>
                  <Space direction="vertical" style={{ width: "100%" }}>
                    {figures.members.notInGrid.length === 0 ? (
                      <Alert type="success" showIcon message={t("coverage.allMembersInGrid")} />
                    ) : (
                      <Alert type="warning" showIcon message={t("coverage.membersNotInGrid", { count: figures.members.notInGrid.length })} />
                    )}
                    {figures.households.withoutRedGridMember === 0 ? (
                      <Alert type="success" showIcon message={t("coverage.allHouseholdsServed")} />
                    ) : (
                      <Alert
                        type="warning"
                        showIcon
                        message={t("coverage.householdsNotServed", { count: figures.households.withoutRedGridMember })}
                      />
                    )}
                  </Space>
                </Card>
              </Col>
            </Row>
          </>
        )}
      </Space>
    </div>
  );
}
