import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, List, Result } from "antd-mobile";
import { useMe } from "../../features/auth/session";
import type { CaseSubmissionReceipt } from "../../features/cases/api";
import { CaseReportForm } from "../../features/cases/mobile/CaseReportForm";
import "../../features/cases/mobile/cases-mobile.css";

/** 我要反映: the resident's report form, then the 诉求编号 and a way to follow it. */
export function ReportPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [done, setDone] = useState<CaseSubmissionReceipt | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (done) {
    return (
      <div data-testid="case-report-done">
        <Result status="success" title={t("cases.report.doneTitle")} description={t("cases.report.doneNote", { grid: done.gridName })} />
        <Card className="gz-mobile-section">
          <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
            <List.Item extra={<strong data-testid="case-report-no">{done.caseNo}</strong>}>{t("cases.resident.caseNo")}</List.Item>
          </List>
          <p className="gz-mobile-muted">{t("cases.report.doneFollow")}</p>
          <Button block color="primary" onClick={() => void navigate(`/resident/cases/${done.id}`)} data-testid="case-report-follow">
            {t("cases.report.follow")}
          </Button>
          <Button
            block
            fill="none"
            style={{ marginTop: 8 }}
            onClick={() => {
              setDone(null);
              setFormKey((k) => k + 1);
            }}
          >
            {t("cases.report.another")}
          </Button>
        </Card>
      </div>
    );
  }
  return (
    <div data-testid="resident-report">
      <div className="gz-mobile-hero">
        <h2>{t("cases.report.title")}</h2>
        <p>{t("cases.report.subtitle")}</p>
      </div>
      <CaseReportForm key={formKey} mode="resident" displayName={me.displayName} onDone={setDone} />
    </div>
  );
}
