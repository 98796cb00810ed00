import { useMemo, useState, type HTMLAttributes } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Button, Card, Empty, Grid, Input, List, Segmented, Space, Table, Tabs, Tag, Typography } from "antd";
import { CloudUploadOutlined, EnvironmentOutlined, NotificationOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import { useMe } from "../../features/auth/session";
import { useCaseList, type CaseListFilter, type CaseListItem, type CaseStatus } from "../../features/cases/api";
import { CaseFilters, type QueueFilterValues } from "../../features/cases/console/CaseFilters";
import { CaseStatusTag, chinaTime, DueCell, useLabel, useNow } from "../../features/cases/console/format";
import { HotlineImportDialog } from "../../features/cases/console/HotlineImportDialog";
import { PageHead } from "./PageHead";

/**
 * The queue's tabs: each is the server's queue of that step (only cases whose step you can take,
 * from the same rules as the case page's buttons); 全部 lists what you may read, and lets the status
 * filter choose.
 */
const queueTabs = ["toRegister", "toDispatch", "handling", "toVerify", "toClose", "all"] as const;
type QueueTab = (typeof queueTabs)[number];

const caseStatuses = ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified", "closed", "rated", "rejected", "merged", "parked", "cancelled"] as const satisfies readonly CaseStatus[];
const mineValues = ["handling", "reported", "verify", "dispatch"] as const satisfies readonly NonNullable<CaseListFilter["mine"]>[];

/** The queue a link asks for: ?queue= opens that tab; otherwise 全部 with the link's status, overdue and mine filters. */
function linkedQueue(params: URLSearchParams): { tab: QueueTab; filters: QueueFilterValues; mine: CaseListFilter["mine"]; sort: "newest" | "due" } {
  const status = params.getAll("status").filter((v): v is CaseStatus => (caseStatuses as readonly string[]).includes(v));
  const mineParam = params.get("mine");
  const mine = mineValues.find((m) => m === mineParam);
  const overdue = params.get("overdue") === "true" ? true : undefined;
  const sort = params.get("sort") === "due" ? "due" : "newest";
  const queue = queueTabs.find((k) => k !== "all" && k === params.get("queue"));
  if (params.size === 0) return { tab: "toRegister", filters: {}, mine: undefined, sort: "newest" };
  if (queue && !overdue && !mine && status.length === 0) return { tab: queue, filters: {}, mine: undefined, sort };
  return { tab: "all", filters: { status: status.length > 0 ? status : undefined, overdue }, mine, sort };
}

/** Who imports 12345 tickets (the server decides; the button is only offered to them). */
const hotlineRoles = new Set(["streetAdmin", "communityWorker"]);

const pageSize = 20;

function WhistleBadge() {
  const { t } = useTranslation();
  return (
    <Tag color="red" icon={<NotificationOutlined />} bordered={false} data-testid="case-whistled">
      {t("caseConsole.whistled")}
    </Tag>
  );
}

/** On a phone: one card per case instead of a wide table. */
function CaseCards({ items, loading, empty, page, total, onPage, onOpen, now }: {
  items: CaseListItem[];
  loading: boolean;
  empty: string;
  page: number;
  total: number;
  onPage: (p: number) => void;
  onOpen: (id: string) => void;
  now: number;
}) {
  const label = useLabel();
  return (
    <List<CaseListItem>
      loading={loading}
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      pagination={total > pageSize ? { current: page, pageSize, total, onChange: onPage, size: "small", showSizeChanger: false } : false}
      renderItem={(r) => (
        <List.Item key={r.id} style={{ display: "block", cursor: "pointer" }} onClick={() => onOpen(r.id)} data-testid="case-row">
          <Space direction="vertical" size={4} style={{ width: "100%" }}>
            <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
              <Typography.Text strong>{r.caseNo}</Typography.Text>
              <CaseStatusTag status={r.status} label={r.statusLabel} />
            </Space>
            <Typography.Text>
              {r.categoryName} · {r.gridName}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 13 }} ellipsis>
              {r.description}
            </Typography.Text>
            <Space size={8} wrap>
              <Typography.Text style={{ fontSize: 13 }}>{label(r.levelLabel)}</Typography.Text>
              <DueCell status={r.status} responseDueAt={r.responseDueAt} handleDueAt={r.handleDueAt} now={now} />
              {r.whistled && <WhistleBadge />}
            </Space>
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * 案件办理: the console's case queue — tabs by the step a case waits for, filters, the deadline
 * counting down (red when overdue), 吹哨 marked; a row opens the case. New work appears by itself
 * (the layout's live stream refreshes case queries).
 */
export function CasesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const label = useLabel();
  const now = useNow();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  // A link from the home's to-dos (or anywhere) opens the queue filtered: ?mine=&status=&overdue=&sort=, as the list API reads them.
  const [params, setParams] = useSearchParams();
  const [linked] = useState(() => linkedQueue(params));
  const [tab, setTab] = useState<QueueTab>(linked.tab);
  const [filters, setFilters] = useState<QueueFilterValues>(linked.filters);
  const [mine, setMine] = useState<CaseListFilter["mine"]>(linked.mine);
  const [q, setQ] = useState("");
  const [sort, setSort] = useState<"newest" | "due">(linked.sort);
  const [page, setPage] = useState(1);
  const [importing, setImporting] = useState(false);
  const canImport = me.grants.some((g) => hotlineRoles.has(g.role));

  const filter: CaseListFilter = useMemo(() => {
    return {
      queue: tab === "all" ? undefined : tab,
      status: tab === "all" ? filters.status : undefined,
      areaId: filters.gridId ?? filters.areaId,
      categoryCode: filters.categoryCode,
      level: filters.level,
      source: filters.source,
      overdue: filters.overdue,
      mine,
      q: q || undefined,
      sort,
      page,
      pageSize,
    };
  }, [tab, filters, mine, q, sort, page]);
  const list = useCaseList(filter);
  const open = (id: string) => void navigate(`/console/cases/${id}`);
  const empty = t(`caseConsole.empty.${tab}`);

  return (
    <div data-testid="cases-page">
      <PageHead
        title={t("caseConsole.title")}
        extra={
          <Space wrap>
            <Button icon={<EnvironmentOutlined />} onClick={() => void navigate("/console/cases/map")} data-testid="open-case-map">
              {t("caseConsole.map.openMap")}
            </Button>
            {canImport && (
              <Button icon={<CloudUploadOutlined />} onClick={() => setImporting(true)} data-testid="open-hotline-import">
                {t("caseConsole.hotline.open")}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            setTab(k as QueueTab);
            setPage(1);
          }}
          items={queueTabs.map((k) => ({ key: k, label: t(`caseConsole.tabs.${k}`) }))}
          data-testid="case-tabs"
        />
        <Space direction="vertical" size={12} style={{ width: "100%" }}>
          {mine && (
            <Tag
              color="blue"
              closable
              onClose={() => {
                setMine(undefined);
                setPage(1);
                if (params.size > 0) setParams({}, { replace: true });
              }}
              data-testid="case-mine-filter"
            >
              {t(`caseConsole.mine.${mine}`)}
            </Tag>
          )}
          <Space wrap size={[8, 8]} style={{ width: "100%", justifyContent: "space-between" }}>
            <CaseFilters
              value={filters}
              showStatus={tab === "all"}
              onChange={(v) => {
                setFilters(v);
                setPage(1);
              }}
            />
            <Space wrap size={8}>
              <Input.Search
                allowClear
                placeholder={t("caseConsole.searchCaseNo")}
                style={{ width: 190 }}
                onSearch={(v) => {
                  setQ(v.trim());
                  setPage(1);
                }}
                data-testid="case-search"
              />
              <Segmented<"newest" | "due">
                value={sort}
                onChange={(v) => {
                  setSort(v);
                  setPage(1);
                }}
                options={[
                  { value: "newest", label: t("caseConsole.sort.newest") },
                  { value: "due", label: t("caseConsole.sort.due") },
                ]}
              />
            </Space>
          </Space>
          {list.isError ? (
            <Alert type="error" showIcon message={describeError(t, list.error)} />
          ) : narrow ? (
            <CaseCards items={list.data?.items ?? []} loading={list.isPending} empty={empty} page={page} total={list.data?.total ?? 0} onPage={setPage} onOpen={open} now={now} />
          ) : (
            <Table<CaseListItem>
              rowKey="id"
              size="middle"
              loading={list.isPending || list.isFetching}
              dataSource={list.data?.items ?? []}
              scroll={{ x: 1000 }}
              onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: "pointer" }, "data-testid": "case-row" }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: false,
                onChange: setPage,
                showTotal: (total) => t("caseConsole.total", { total }),
              }}
              columns={[
                {
                  title: t("caseConsole.fields.caseNo"),
                  key: "caseNo",
                  width: 160,
                  render: (_: unknown, r) => (
                    <Space direction="vertical" size={0}>
                      <Typography.Link data-testid="case-no">{r.caseNo}</Typography.Link>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`caseConsole.source.${r.source}`, { defaultValue: r.source })} · {chinaTime(r.submittedAt, i18n.language)}
                      </Typography.Text>
                    </Space>
                  ),
                },
                { title: t("caseConsole.fields.category"), dataIndex: "categoryName", width: 100, ellipsis: true },
                {
                  title: t("caseConsole.fields.summary"),
                  key: "summary",
                  ellipsis: true,
                  render: (_: unknown, r) => (
                    <>
                      {r.urgency !== "normal" && (
                        <Tag color={r.urgency === "emergency" ? "red" : "orange"} bordered={false}>
                          {t(`cases.urgency.${r.urgency}`, { defaultValue: r.urgency })}
                        </Tag>
                      )}
                      <span title={r.description}>{r.description}</span>
                    </>
                  ),
                },
                { title: t("caseConsole.fields.grid"), dataIndex: "gridName", width: 130, ellipsis: true },
                {
                  title: t("caseConsole.fields.status"),
                  key: "status",
                  width: 110,
                  render: (_: unknown, r) => (
                    <Space size={[0, 4]} wrap>
                      <CaseStatusTag status={r.status} label={r.statusLabel} />
                      {r.overdue && (
                        <Tag color="red" data-testid="case-overdue-tag">
                          {t("caseConsole.overdue")}
                        </Tag>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t("caseConsole.fields.level"),
                  key: "level",
                  width: 100,
                  render: (_: unknown, r) => (
                    <Space direction="vertical" size={0}>
                      <span>{label(r.levelLabel)}</span>
                      {r.handlingOrgName && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {r.handlingOrgName}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t("caseConsole.fields.due"),
                  key: "due",
                  width: 120,
                  render: (_: unknown, r) => <DueCell status={r.status} responseDueAt={r.responseDueAt} handleDueAt={r.handleDueAt} now={now} />,
                },
                {
                  title: t("caseConsole.fields.whistle"),
                  key: "whistle",
                  width: 64,
                  align: "center" as const,
                  render: (_: unknown, r) => (r.whistled ? <Badge status="error" text={t("caseConsole.whistledShort")} data-testid="case-whistled" /> : null),
                },
              ]}
            />
          )}
        </Space>
      </Card>
      {canImport && <HotlineImportDialog open={importing} onClose={() => setImporting(false)} />}
    </div>
  );
}
