import type { ReactNode } from "react";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Empty, Grid, Input, List, Rate, Segmented, Space, Table, Tag, Typography } from "antd";
import { describeError } from "../../features/errors";
import {
  useSummonsQueue,
  useSummonsStats,
  type SummonsFilter,
  type SummonsItem,
  type SummonsStatus,
} from "../../features/cases/summons";
import { PageHead } from "./PageHead";
import { SummonsActions, SummonsStepDialogs, type SummonsStep } from "../../features/cases/SummonsSteps";
import { chinaTime } from "../../features/platform/time";

type Tab = SummonsStatus | "all";

function thisMonth(): string {
  const china = new Date(Date.now() + 8 * 3600_000);
  return `${china.getUTCFullYear()}-${String(china.getUTCMonth() + 1).padStart(2, "0")}`;
}

const statusColors: Record<SummonsStatus, string> = { summoned: "orange", reportedIn: "blue", finished: "green", withdrawn: "default", excused: "purple" };

function StatusTag({ item }: { item: SummonsItem }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap>
      <Tag bordered={false} color={statusColors[item.status]}>
        {t(`summons.status.${item.status}`)}
      </Tag>
      {item.overdue && (
        <Tag color="red" data-testid="summons-overdue">
          {t("summons.overdue")}
        </Tag>
      )}
      {item.reportedInOnTime === false && <Tag color="volcano">{t("summons.late")}</Tag>}
      {item.recordedOnBehalf && (
        <Tag color="cyan" data-testid="summons-on-behalf">
          {t("summons.onBehalfTag")}
        </Tag>
      )}
      {item.endReason && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="summons-end-reason">
          {t("summons.fields.endReason")}：{item.endReason}
        </Typography.Text>
      )}
    </Space>
  );
}

/** On a phone: one card per summons instead of a wide table. */
function SummonsCards({ items, loading, empty, page, total, onPage, actions }: {
  items: SummonsItem[];
  loading: boolean;
  empty: string;
  page: number;
  total: number;
  onPage: (p: number) => void;
  actions: (item: SummonsItem) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <List<SummonsItem>
      loading={loading}
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      pagination={total > 20 ? { current: page, pageSize: 20, total, onChange: onPage, size: "small" } : false}
      renderItem={(r) => (
        <List.Item key={r.id} style={{ display: "block" }} data-testid="summons-card">
          <Space direction="vertical" size={4} style={{ width: "100%" }}>
            <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
              <Link to={`/console/cases/${r.case.id}`}>{r.case.caseNo}</Link>
              <StatusTag item={r} />
            </Space>
            <Typography.Text>
              {r.case.categoryName} · {r.case.gridName}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {r.case.summary}
            </Typography.Text>
            <Typography.Text style={{ fontSize: 13 }}>
              {r.departmentName} · {t("summons.calledBy", { area: r.whistle.areaName })}
            </Typography.Text>
            <Typography.Text type={r.overdue ? "danger" : "secondary"} style={{ fontSize: 13 }}>
              {r.reportedInAt ? t("summons.reportedAt", { at: chinaTime(r.reportedInAt, i18n.language) }) : t("summons.dueAt", { at: chinaTime(r.reportInDueAt, i18n.language) })}
            </Typography.Text>
            {r.score !== null && <Rate disabled value={r.score} style={{ fontSize: 14 }} />}
            <div>{actions(r)}</div>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** Per department, this month: the queue page's header (the official measures are on the measures page). */
function StatsCard() {
  const { t } = useTranslation();
  const month = useMemo(thisMonth, []);
  const stats = useSummonsStats(month);
  if (stats.isError) return <Alert type="warning" showIcon message={describeError(t, stats.error)} />;
  const rows = stats.data?.items ?? [];
  const pct = (n: number, d: number) => (d === 0 ? "—" : `${Math.round((n / d) * 100)}%`);
  return (
    <Card size="small" title={t("summons.stats.title", { month })} data-testid="summons-stats">
      <Table
        size="small"
        rowKey="departmentOrgId"
        pagination={false}
        loading={stats.isPending}
        scroll={{ x: 840 }}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("summons.stats.empty")} /> }}
        columns={[
          { title: t("summons.fields.department"), dataIndex: "departmentName" },
          { title: t("summons.stats.summoned"), dataIndex: "summoned", align: "right" as const, width: 80 },
          {
            title: t("summons.stats.reportedIn"),
            key: "reportedIn",
            align: "right" as const,
            width: 110,
            render: (_: unknown, r) => `${r.reportedIn}（${pct(r.reportedIn, r.summoned)}）`,
          },
          {
            title: t("summons.stats.onTime"),
            key: "onTime",
            align: "right" as const,
            width: 120,
            render: (_: unknown, r) => `${r.reportedInOnTime}（${pct(r.reportedInOnTime, r.summoned)}）`,
          },
          { title: t("summons.stats.finished"), dataIndex: "finished", align: "right" as const, width: 80 },
          { title: t("summons.stats.onBehalf"), dataIndex: "recordedOnBehalf", align: "right" as const, width: 90 },
          { title: t("summons.stats.ended"), key: "ended", align: "right" as const, width: 110, render: (_: unknown, r) => `${r.withdrawn} / ${r.excused}` },
          {
            title: t("summons.stats.meanScore"),
            key: "score",
            align: "right" as const,
            width: 100,
            render: (_: unknown, r) => (r.meanScore === null ? "—" : r.meanScore.toFixed(1)),
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("summons.stats.note")}
      </Typography.Text>
    </Card>
  );
}

type SummonsMine = NonNullable<SummonsFilter["mine"]>;
const summonsMine = ["reportIn", "finish", "score"] as const satisfies readonly SummonsMine[];
/** The status a summons waiting for that step has. */
const tabOfMine: Record<SummonsMine, Tab> = { reportIn: "summoned", finish: "reportedIn", score: "finished" };

/**
 * 吹哨报到: a department's summons to report in to and finish; for streets and communities, the
 * summons they issued, to follow and to score.
 */
export function SummonsQueuePage() {
  const { t, i18n } = useTranslation();
  // A link from the home's to-dos opens the queue of one step: ?mine=reportIn|finish|score or ?overdue=true, as the API reads them.
  const [params, setParams] = useSearchParams();
  const [linked, setLinked] = useState<{ mine?: SummonsMine; overdue?: true }>(() => {
    const mine = summonsMine.find((m) => m === params.get("mine"));
    return { ...(mine ? { mine } : {}), ...(params.get("overdue") === "true" ? { overdue: true as const } : {}) };
  });
  const [tab, setTab] = useState<Tab>(linked.mine ? tabOfMine[linked.mine] : "summoned");
  const [caseNo, setCaseNo] = useState("");
  const [page, setPage] = useState(1);
  const list = useSummonsQueue({ status: tab === "all" ? undefined : tab, caseNo: caseNo || undefined, ...linked, page, pageSize: 20 });
  const [open, setOpen] = useState<{ step: SummonsStep; item: SummonsItem } | null>(null);
  const close = () => setOpen(null);
  const lang = i18n.language;
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const actions = (r: SummonsItem) => <SummonsActions item={r} onStep={(step) => setOpen({ step, item: r })} />;

  return (
    <div data-testid="summons-page">
      <PageHead title={t("summons.title")} />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        <StatsCard />
        <Card
          size="small"
          title={t("summons.queue")}
          extra={
            <Space wrap size={8}>
              <Input.Search
                allowClear
                placeholder={t("summons.searchCaseNo")}
                style={{ width: 200 }}
                onSearch={(v) => {
                  setCaseNo(v.trim());
                  setPage(1);
                }}
                data-testid="summons-search"
              />
              <Segmented<Tab>
                value={tab}
                onChange={(v) => {
                  setTab(v);
                  setPage(1);
                }}
                options={[
                  { value: "summoned", label: t("summons.status.summoned") },
                  { value: "reportedIn", label: t("summons.status.reportedIn") },
                  { value: "finished", label: t("summons.status.finished") },
                  { value: "excused", label: t("summons.status.excused") },
                  { value: "withdrawn", label: t("summons.status.withdrawn") },
                  { value: "all", label: t("summons.all") },
                ]}
                data-testid="summons-tabs"
              />
            </Space>
          }
        >
          {(linked.mine || linked.overdue) && (
            <Tag
              color="blue"
              closable
              style={{ marginBottom: 12 }}
              onClose={() => {
                setLinked({});
                setPage(1);
                if (params.size > 0) setParams({}, { replace: true });
              }}
              data-testid="summons-mine-filter"
            >
              {t(linked.mine ? `summons.mine.${linked.mine}` : "summons.mine.overdue")}
            </Tag>
          )}
          {list.isError ? (
            <Alert type="error" showIcon message={describeError(t, list.error)} />
          ) : narrow ? (
            <SummonsCards
              items={list.data?.items ?? []}
              loading={list.isPending}
              empty={t(`summons.empty.${tab}`)}
              page={page}
              total={list.data?.total ?? 0}
              onPage={setPage}
              actions={actions}
            />
          ) : (
            <Table<SummonsItem>
              rowKey="id"
              size="small"
              loading={list.isPending}
              dataSource={list.data?.items ?? []}
              scroll={{ x: 1100 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`summons.empty.${tab}`)} /> }}
              pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              columns={[
                {
                  title: t("summons.fields.case"),
                  key: "case",
                  width: 260,
                  render: (_: unknown, r) => (
                    <Space direction="vertical" size={0}>
                      <Link to={`/console/cases/${r.case.id}`} data-testid="summons-case-link">
                        {r.case.caseNo}
                      </Link>
                      <Typography.Text style={{ fontSize: 13 }}>
                        {r.case.categoryName} · {r.case.gridName}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 240 }} ellipsis={{ tooltip: r.case.summary }}>
                        {r.case.summary}
                      </Typography.Text>
                    </Space>
                  ),
                },
                { title: t("summons.fields.department"), dataIndex: "departmentName", width: 170 },
                {
                  title: t("summons.fields.whistle"),
                  key: "whistle",
                  width: 220,
                  render: (_: unknown, r) => (
                    <Space direction="vertical" size={0}>
                      <Typography.Text style={{ fontSize: 13 }}>
                        {r.whistle.areaName} · {chinaTime(r.whistle.blownAt, lang)}
                      </Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 200 }} ellipsis={{ tooltip: r.whistle.reason }}>
                        {r.whistle.reason}
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  title: t("summons.fields.deadline"),
                  key: "due",
                  width: 140,
                  render: (_: unknown, r) =>
                    r.reportedInAt ? (
                      <Space direction="vertical" size={0}>
                        <Typography.Text style={{ fontSize: 13 }}>{t("summons.reportedAt", { at: chinaTime(r.reportedInAt, lang) })}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("summons.dueAt", { at: chinaTime(r.reportInDueAt, lang) })}
                        </Typography.Text>
                      </Space>
                    ) : (
                      <Typography.Text type={r.overdue ? "danger" : undefined}>{chinaTime(r.reportInDueAt, lang)}</Typography.Text>
                    ),
                },
                { title: t("summons.fields.status"), key: "status", width: 150, render: (_: unknown, r) => <StatusTag item={r} /> },
                {
                  title: t("summons.fields.score"),
                  key: "score",
                  width: 160,
                  render: (_: unknown, r) => (r.score !== null ? <Rate disabled value={r.score} style={{ fontSize: 14 }} /> : <Typography.Text type="secondary">—</Typography.Text>),
                },
                {
                  title: "",
                  key: "actions",
                  width: 180,
                  fixed: "right" as const,
                  render: (_: unknown, r) => actions(r),
                },
              ]}
            />
          )}
        </Card>
      </Space>
      <SummonsStepDialogs open={open} onClose={close} />
    </div>
  );
}
