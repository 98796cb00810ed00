import { useTranslation } from "react-i18next";
import { Card, Result } from "antd-mobile";

/** 我要反映: the case flow is a later issue; this page says so and what to do meanwhile. */
export function ReportPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="resident-report">
      <Result
        className="gz-mobile-coming"
        status="waiting"
        title={t("resident.report.title")}
        description={t("resident.report.description")}
      />
      <Card className="gz-mobile-section" title={t("resident.report.meanwhileTitle")}>
        <p className="gz-mobile-muted" style={{ margin: 0 }}>
          {t("resident.report.meanwhile")}
        </p>
      </Card>
    </div>
  );
}
