import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, ErrorBlock, PullToRefresh, Skeleton } from "antd-mobile";
import { describeError } from "../../features/errors";
import { useCaseList } from "../../features/cases/api";
import { CaseListItems } from "../../features/cases/mobile/CaseListItems";
import "../../features/cases/mobile/cases-mobile.css";

/** 我的诉求: what I reported, newest first, each with where it stands. */
export function MyCasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useCaseList({ mine: "reported", pageSize: 50 });

  return (
    <div data-testid="resident-cases">
      <PullToRefresh onRefresh={async () => void (await list.refetch())}>
        {list.isPending ? (
          <Skeleton.Paragraph lineCount={6} animated className="gz-mobile-section" />
        ) : list.isError ? (
          <ErrorBlock status="default" title={describeError(t, list.error)} description="" />
        ) : list.data.items.length === 0 ? (
          <ErrorBlock status="empty" title={t("cases.resident.empty")} description={t("cases.resident.emptyNote")}>
            <Button color="primary" onClick={() => void navigate("/resident/report")}>
              {t("cases.report.title")}
            </Button>
          </ErrorBlock>
        ) : (
          <div className="gz-mobile-section">
            <CaseListItems items={list.data.items} onOpen={(id) => void navigate(`/resident/cases/${id}`)} />
            {list.data.total > list.data.items.length && <p className="gz-mobile-muted">{t("cases.moreThan", { count: list.data.items.length, total: list.data.total })}</p>}
          </div>
        )}
      </PullToRefresh>
    </div>
  );
}
