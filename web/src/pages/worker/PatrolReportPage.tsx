import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { NavBar, Toast } from "antd-mobile";
import { useMe } from "../../features/auth/session";
import { CaseReportForm } from "../../features/cases/mobile/CaseReportForm";
import "../../features/cases/mobile/cases-mobile.css";

/** 巡查上报: a problem the grid worker found on patrol, or one reported for a resident without a phone. */
export function PatrolReportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  return (
    <div data-testid="worker-patrol">
      <NavBar onBack={() => void navigate("/worker/tasks")} className="gz-case-back">
        {t("cases.worker.patrol")}
      </NavBar>
      <p className="gz-mobile-muted gz-mobile-section" style={{ marginBottom: 0 }}>
        {t("cases.worker.patrolNote")}
      </p>
      <CaseReportForm
        mode="worker"
        displayName={me.displayName}
        onDone={(receipt) => {
          Toast.show({ icon: "success", content: t("cases.worker.reported", { caseNo: receipt.caseNo }) });
          void navigate(`/worker/tasks/${receipt.id}`, { replace: true });
        }}
      />
    </div>
  );
}
