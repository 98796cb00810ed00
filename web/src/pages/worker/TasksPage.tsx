import { useNavigate, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Badge, Button, ErrorBlock, PullToRefresh, Skeleton, Tabs } from "antd-mobile";
import { AlertOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import { useCaseList, type CaseListFilter } from "../../features/cases/api";
import { useTodos } from "../../features/platform/api";
import { CaseListItems } from "../../features/cases/mobile/CaseListItems";
import "../../features/cases/mobile/cases-mobile.css";

type Tab = "toReceive" | "handling" | "toVerify";

/**
 * The server's queues (only cases whose step the worker can take; a case dispatched to someone
 * else by name is not here, one dispatched to this worker is), split by status.
 */
const filters: Record<Tab, CaseListFilter> = {
  toReceive: { queue: "handling", status: ["dispatched"], sort: "due", pageSize: 50 },
  handling: { queue: "handling", status: ["received", "inProgress"], sort: "due", pageSize: 50 },
  toVerify: { queue: "toVerify", sort: "due", pageSize: 50 },
};

/** How often the queue asks again by itself, so new work shows without a reload. */
const refreshMs = 30_000;

/**
 * 任务: the grid worker's case queue — to receive (待签收), in hand (办理中), to verify (待核查) —
 * soonest deadline first; pull down to refresh. 巡查上报 starts a report from patrol.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (["toReceive", "handling", "toVerify"] as const).find((k) => k === params.get("tab")) ?? "toReceive";
  // The tabs' counts are the console home's to-dos of the same queues (one request; server counts = these lists).
  const todos = useTodos({ refetchInterval: refreshMs }).data?.items ?? [];
  const countOf = (key: string) => todos.find((i) => i.key === key)?.count;
  const counts = { toReceive: countOf("cases.toReceive"), handling: countOf("cases.toHandle"), toVerify: countOf("cases.toVerify") };
  const list = useCaseList(filters[tab], { refetchInterval: refreshMs });

  return (
    <div data-testid="worker-tasks">
      <div className="gz-mobile-section" style={{ display: "flex", gap: 8 }}>
        <Button block color="primary" onClick={() => void navigate("/worker/tasks/patrol")} data-testid="worker-patrol-link">
          <AlertOutlined /> {t("cases.worker.patrol")}
        </Button>
      </div>
      <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k }, { replace: true })} className="gz-case-tabs">
        {(["toReceive", "handling", "toVerify"] as const).map((k) => (
          <Tabs.Tab
            key={k}
            title={
              <Badge content={counts[k] ? counts[k] : null} style={{ "--right": "-10px", "--top": "2px" }}>
                <span data-testid={`worker-tab-${k}`}>{t(`cases.worker.tabs.${k}`)}</span>
              </Badge>
            }
          />
        ))}
      </Tabs>
      <PullToRefresh onRefresh={async () => void (await list.refetch())}>
        {list.isPending ? (
          <Skeleton.Paragraph lineCount={6} animated className="gz-mobile-section" />
        ) : list.isError ? (
          <ErrorBlock status="default" title={describeError(t, list.error)} description="" />
        ) : list.data.items.length === 0 ? (
          <ErrorBlock status="empty" title={t(`cases.worker.empty.${tab}`)} description={t("cases.worker.emptyNote")} />
        ) : (
          <div className="gz-mobile-section">
            <CaseListItems items={list.data.items} showDue onOpen={(id) => void navigate(`/worker/tasks/${id}`)} />
          </div>
        )}
      </PullToRefresh>
    </div>
  );
}
