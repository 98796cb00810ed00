import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, ErrorBlock, NavBar, Skeleton, Tag, Toast } from "antd-mobile";
import { describeError } from "../../features/errors";
import { useCase, useCaseAction } from "../../features/cases/api";
import { Receipt } from "../../features/cases/Receipt";
import { CaseSummary } from "../../features/cases/mobile/CaseSummary";
import { CaseTimeline } from "../../features/cases/mobile/CaseTimeline";
import { RatingForm } from "../../features/cases/mobile/RatingForm";
import { StepPopup, type StepForm } from "../../features/cases/mobile/StepPopup";
import "../../features/cases/mobile/cases-mobile.css";

type Step = "cancel" | "reopen";

/**
 * 我的诉求 · 详情: where my report stands (the whole timeline), its photos, the receipt that proves
 * it was recorded, and what I may do: withdraw it while it waits, rate it once closed, ask once
 * for it to be handled again when I was not satisfied.
 */
export function ResidentCasePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const kase = useCase(id);
  const action = useCaseAction(id ?? "");
  const [step, setStep] = useState<Step | null>(null);
  const [showReceipt, setShowReceipt] = useState(false);

  const forms: Record<Step, StepForm> = {
    cancel: { title: t("cases.resident.cancel"), explain: t("cases.resident.cancelExplain"), text: { label: t("cases.resident.cancelReason"), required: true }, confirm: t("cases.resident.cancelConfirm"), danger: true },
    reopen: { title: t("cases.resident.reopen"), explain: t("cases.resident.reopenExplain"), text: { label: t("cases.resident.reopenReason"), required: true }, confirm: t("cases.resident.reopenConfirm") },
  };

  const back = <NavBar onBack={() => void navigate("/resident/cases")} className="gz-case-back">{t("cases.resident.detailTitle")}</NavBar>;
  if (kase.isPending) return <>{back}<Skeleton.Paragraph lineCount={8} animated className="gz-mobile-section" /></>;
  if (kase.isError) return <>{back}<ErrorBlock status="default" title={describeError(t, kase.error)} description="" /></>;
  const c = kase.data;
  const a = c.abilities;
  const ratingLabel = c.rating ? t(`cases.rating.${c.rating}`) : null;

  return (
    <div data-testid="resident-case">
      {back}
      <CaseSummary kase={c} audience="resident" />
      {c.status === "closed" && a.rate && <RatingForm caseId={c.id} />}
      {c.rating && (
        <Card className="gz-mobile-section" title={t("cases.rate.mine")} data-testid="case-my-rating">
          <Tag color={c.rating === "dissatisfied" ? "danger" : "success"}>{ratingLabel}</Tag>{" "}
          <span className="gz-mobile-muted">{c.resolved ? t("cases.rate.resolvedYes") : t("cases.rate.resolvedNo")}</span>
          {a.reopen && (
            <Button block color="primary" fill="outline" style={{ marginTop: 12 }} onClick={() => setStep("reopen")} data-testid="case-reopen">
              {t("cases.resident.reopen")}
            </Button>
          )}
        </Card>
      )}
      <Card className="gz-mobile-section" title={t("cases.timeline")}>
        <CaseTimeline events={c.timeline} />
      </Card>
      <Card className="gz-mobile-section" title={t("cases.resident.receipt")} extra={<Button size="mini" fill="none" onClick={() => setShowReceipt((s) => !s)} data-testid="case-receipt-toggle">{showReceipt ? t("cases.hide") : t("cases.show")}</Button>}>
        {showReceipt ? <Receipt caseId={c.id} /> : <p className="gz-mobile-muted" style={{ margin: 0 }}>{t("cases.resident.receiptNote")}</p>}
      </Card>
      {a.cancel && (
        <div className="gz-mobile-section">
          <Button block color="danger" fill="outline" onClick={() => setStep("cancel")} data-testid="case-cancel">
            {t("cases.resident.cancel")}
          </Button>
        </div>
      )}
      <StepPopup
        form={step ? forms[step] : null}
        onClose={() => setStep(null)}
        onSubmit={async (v) => {
          if (!step) return;
          await action.mutateAsync(step === "cancel" ? { path: "cancel", body: { reason: v.text } } : { path: "reopen", body: { reason: v.text } });
          setStep(null);
          Toast.show({ icon: "success", content: step === "cancel" ? t("cases.resident.cancelled") : t("cases.resident.reopened") });
        }}
      />
    </div>
  );
}
