import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Col, DatePicker, Row, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from "antd";
import { SettingOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { describeError } from "../../features/errors";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { useMe } from "../../features/auth/session";
import { CompositeBars } from "../../features/measures/CompositeBars";
import { RateCell, RateHeader } from "../../features/measures/RateCell";
import { TrendChart } from "../../features/measures/TrendChart";
import { WeightsDrawer } from "../../features/measures/WeightsDrawer";
import { inLang, unitKinds, useMeasures, useMeasureTrend, useMeasureWeights, type MeasureRow, type UnitKind } from "../../features/measures/api";
import { PageHead } from "./PageHead";

/** A row has figures when any of its rates has a denominator. */
function hasFigures(rows: readonly MeasureRow[]): boolean {
  return rows.some((r) => Object.values(r.measures).some((m) => (m?.denominator ?? 0) > 0));
}

/** 考核指标: each unit's rates with their formulas, the composite and rank, a bar chart and a six-month trend. */
export function MeasuresPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const departmentOnly = me.grants.every((g) => g.role === "departmentStaff");
  // Unset until the person picks one: the server then opens on the level below the area and the
  // latest month with cases, and says which (view.unit, view.month, view.monthSource).
  const [unitAsked, setUnit] = useState<UnitKind | undefined>(departmentOnly ? "department" : undefined);
  const [monthAsked, setMonth] = useState<string | undefined>(undefined);
  const [areaId, setAreaId] = useState<string | undefined>(undefined);
  const [basicCounts, setBasicCounts] = useState(true);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [weightsOpen, setWeightsOpen] = useState(false);
  const choose = useCallback((id: string) => setAreaId(id), []);

  const measures = useMeasures({ unit: unitAsked, areaId, month: monthAsked, basicCounts }, Boolean(areaId) || departmentOnly);
  const view = measures.data;
  const rows = useMemo(() => view?.rows ?? [], [view]);
  const unit = view?.unit ?? unitAsked ?? "community";
  const month = view?.month ?? monthAsked;
  useEffect(() => {
    if (!rows.some((r) => r.unitId === selected)) setSelected(rows[0]?.unitId);
  }, [rows, selected]);
  const trend = useMeasureTrend(month ? selected : undefined, month ?? "");
  const weights = useMeasureWeights(areaId, month ?? "", Boolean(areaId && month) && !departmentOnly);
  const minCases = view?.minCases ?? 5;
  const selectedName = rows.find((r) => r.unitId === selected)?.unitName;

  const columns = [
    {
      title: t("measures.rank"),
      dataIndex: "rank",
      width: 64,
      fixed: "left" as const,
      render: (rank: number | null, r: MeasureRow) =>
        r.tooFewCases ? (
          // Said in words, not only greyed: too few cases to be ranked.
          <Tooltip title={t("measures.tooFewCasesHelp", { min: minCases })}>
            <Tag bordered={false} data-testid="too-few-cases" tabIndex={0}>
              {t("measures.tooFewCases")}
            </Tag>
          </Tooltip>
        ) : rank === null ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Tag color={rank <= 3 ? "red" : "default"} bordered={false}>
            {rank}
          </Tag>
        ),
    },
    {
      title: t(`measures.unit.${unit}`),
      dataIndex: "unitName",
      width: 150,
      fixed: "left" as const,
      render: (name: string, r: MeasureRow) => (
        <Typography.Link onClick={() => setSelected(r.unitId)} strong={r.unitId === selected}>
          {name}
        </Typography.Link>
      ),
    },
    {
      title: (
        <Tooltip title={t("measures.caseCountHelp")}>
          <span className="gz-measure-head" tabIndex={0}>
            {t("measures.caseCount")}
          </span>
        </Tooltip>
      ),
      dataIndex: "caseCount",
      width: 80,
      align: "right" as const,
      sorter: (a: MeasureRow, b: MeasureRow) => a.caseCount - b.caseCount,
      render: (n: number) => <span data-testid="case-count">{n}</span>,
    },
    {
      title: (
        <RateHeader
          formula={{ key: "composite", name: { zh: "综合得分", en: "Composite" }, formula: view?.composite ?? { zh: "", en: "" }, lowerIsBetter: false }}
        />
      ),
      dataIndex: "composite",
      width: 110,
      sorter: (a: MeasureRow, b: MeasureRow) => (a.composite ?? -1) - (b.composite ?? -1),
      render: (c: number | null) => <span className="gz-measure-composite" data-testid="composite">{c === null ? "—" : c.toFixed(2)}</span>,
    },
    ...(view?.formulas ?? []).map((f) => ({
      title: <RateHeader formula={f} />,
      key: f.key,
      width: 120,
      sorter: (a: MeasureRow, b: MeasureRow) => (a.measures[f.key]?.value ?? -1) - (b.measures[f.key]?.value ?? -1),
      render: (_: unknown, r: MeasureRow) => <RateCell ratio={r.measures[f.key]} testId={`rate-${f.key}`} />,
    })),
    ...(unit === "department"
      ? [
          {
            title: t("measures.meanScore"),
            dataIndex: "meanScore",
            width: 100,
            render: (v: number | null) => (v === null ? "—" : v.toFixed(1)),
          },
          {
            title: t("measures.meanHours"),
            dataIndex: "meanHandlingHours",
            width: 110,
            render: (v: number | null) => (v === null ? "—" : t("measures.hours", { value: v.toLocaleString(i18n.language, { maximumFractionDigits: 1 }) })),
          },
          {
            title: t("measures.onBehalf"),
            dataIndex: "summonsOnBehalf",
            width: 100,
            render: (v: number | null) => <span data-testid="on-behalf">{v ?? "—"}</span>,
          },
        ]
      : []),
  ];

  return (
    <div className="gz-page" data-testid="measures-page">
      <PageHead
        title={t("measures.title")}
        extra={
          weights.data?.canEdit && view?.area ? (
            <Button icon={<SettingOutlined />} onClick={() => setWeightsOpen(true)} data-testid="open-weights">
              {t("measures.weights.open")}
            </Button>
          ) : null
        }
      />
      <Space wrap size={[12, 8]} style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          aria-label={t("measures.month")}
          value={month ? dayjs(`${month}-01`) : null}
          onChange={(d) => d && setMonth(d.format("YYYY-MM"))}
          disabledDate={(d) => d.isAfter(dayjs(), "month")}
          data-testid="measures-month"
        />
        {!departmentOnly && (
          <Segmented<UnitKind>
            value={unit}
            onChange={setUnit}
            options={unitKinds.map((k) => ({ value: k, label: t(`measures.unit.${k}`) }))}
            data-testid="measures-unit"
          />
        )}
        {!departmentOnly && <ScopeAreaSelect value={areaId} onChange={choose} testId="measures-area" />}
        <Space size={6}>
          <Switch size="small" checked={basicCounts} onChange={setBasicCounts} aria-label={t("measures.basicCounts")} />
          <Typography.Text>{t("measures.basicCounts")}</Typography.Text>
        </Space>
        {view?.monthSource === "latestWithData" && (
          <Typography.Text type="secondary" data-testid="measures-month-chosen">
            {t("measures.latestChosen", { month: view.month })}
          </Typography.Text>
        )}
      </Space>
      {view && !hasFigures(rows) && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="measures-no-figures"
          message={t("measures.noFiguresIn", { month: view.month })}
          action={
            view.latestMonthWithData ? (
              <Button size="small" onClick={() => setMonth(view.latestMonthWithData ?? undefined)}>
                {t("measures.goToMonth", { month: view.latestMonthWithData })}
              </Button>
            ) : null
          }
        />
      )}
      {measures.isError && <Alert type="warning" showIcon message={describeError(t, measures.error)} style={{ marginBottom: 12 }} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Table<MeasureRow>
          size="small"
          rowKey="unitId"
          loading={measures.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          scroll={{ x: 1100 }}
          data-testid="measures-table"
          onRow={(r) => ({
            onClick: () => setSelected(r.unitId),
            className: [r.unitId === selected ? "gz-row-selected" : "", r.tooFewCases ? "gz-row-unranked" : ""].join(" ").trim(),
          })}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }} data-testid="measures-rank-rule">
          {view ? `${inLang(view.rankRule, i18n.language)}${i18n.language.startsWith("en") ? ". " : "。"}` : null}
          {view ? inLang(view.composite, i18n.language) : null}
          {" "}
          {t("measures.noDenominatorNote")}
        </Typography.Paragraph>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t("measures.barsTitle")}>
            <CompositeBars rows={rows} selected={selected} onSelect={setSelected} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={selectedName ? t("measures.trendOf", { name: selectedName }) : t("measures.trendTitle")}>
            {trend.data ? <TrendChart trend={trend.data} /> : trend.isError ? <Alert type="warning" showIcon message={describeError(t, trend.error)} /> : null}
          </Card>
        </Col>
      </Row>
      {view?.area && weights.data?.canEdit && (
        <WeightsDrawer
          open={weightsOpen}
          onClose={() => setWeightsOpen(false)}
          areaId={view.area.id}
          areaName={view.area.name}
          month={view.month}
          formulas={view.formulas}
        />
      )}
    </div>
  );
}
