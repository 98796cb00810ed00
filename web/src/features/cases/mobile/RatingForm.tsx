import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Card, Selector, TextArea, Toast } from "antd-mobile";
import { describeError } from "../../errors";
import { useCaseAction, type CaseRating } from "../api";

/** 回访评价: was it solved, how satisfied, a word if you like. */
export function RatingForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const action = useCaseAction(caseId);
  const [resolved, setResolved] = useState<"yes" | "no" | null>(null);
  const [rating, setRating] = useState<CaseRating | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (!resolved || !rating) {
      setError(t("cases.rate.required"));
      return;
    }
    setError(null);
    action.mutate(
      { path: "rate", body: { resolved: resolved === "yes", rating, comment: comment.trim() || null } },
      {
        onSuccess: () => Toast.show({ icon: "success", content: t("cases.rate.thanks") }),
        onError: (e) => setError(describeError(t, e)),
      },
    );
  };

  return (
    <Card className="gz-mobile-section gz-case-rate" title={t("cases.rate.title")} data-testid="case-rating-form">
      <p className="gz-mobile-muted" style={{ marginTop: 0 }}>
        {t("cases.rate.intro")}
      </p>
      <div className="gz-case-popup-field">
        <span>{t("cases.rate.resolved")}</span>
        <Selector
          columns={2}
          options={[
            { label: t("cases.rate.resolvedYes"), value: "yes" },
            { label: t("cases.rate.resolvedNo"), value: "no" },
          ]}
          value={resolved ? [resolved] : []}
          onChange={(v) => setResolved((v[0]) ?? null)}
          data-testid="case-rate-resolved"
        />
      </div>
      <div className="gz-case-popup-field">
        <span>{t("cases.rate.satisfaction")}</span>
        <Selector
          columns={3}
          options={(["satisfied", "basic", "dissatisfied"] as const).map((r) => ({ label: t(`cases.rating.${r}`), value: r }))}
          value={rating ? [rating] : []}
          onChange={(v) => setRating(v[0] ?? null)}
          data-testid="case-rate-rating"
        />
      </div>
      <div className="gz-case-popup-field">
        <span>
          {t("cases.rate.comment")} <span className="gz-mobile-muted">{t("cases.step.optional")}</span>
        </span>
        <TextArea value={comment} onChange={setComment} rows={3} maxLength={500} showCount placeholder={t("cases.rate.commentPlaceholder")} />
      </div>
      {error && <div className="gz-case-error">{error}</div>}
      <Button block color="primary" loading={action.isPending} onClick={submit} style={{ marginTop: 8 }} data-testid="case-rate-submit">
        {t("cases.rate.submit")}
      </Button>
    </Card>
  );
}
