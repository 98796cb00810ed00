import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Card, List, Space, Tag } from "antd-mobile";
import type { CaseDetail } from "../api";
import { CasePhotoStrip } from "./CaseTimeline";
import { labelIn, shortTime, statusColour } from "./format";

/**
 * The head of a case page: number, status, category, the words of the report, where, the first
 * photos and the deadline. `audience` decides the wording (诉求 for residents, 案件 for workers).
 */
export function CaseSummary({ kase, audience, children }: { kase: CaseDetail; audience: "resident" | "worker"; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const firstPhotos = kase.timeline[0]?.evidence ?? [];
  const due = kase.status === "dispatched" ? (kase.responseDueAt ?? kase.handleDueAt) : kase.handleDueAt;
  const open = !["closed", "rated", "rejected", "merged", "cancelled"].includes(kase.status);
  return (
    <Card className="gz-mobile-section" data-testid="case-summary">
      <Space wrap style={{ "--gap": "6px" }}>
        <Tag color={statusColour(kase.status)} data-testid="case-status">
          {labelIn(i18n, kase.statusLabel)}
        </Tag>
        {kase.overdue && <Tag color="danger">{t("cases.overdue")}</Tag>}
        {kase.urgency !== "normal" && (
          <Tag color="danger" fill="outline">
            {t(`cases.urgency.${kase.urgency}`, { defaultValue: kase.urgency })}
          </Tag>
        )}
        {kase.whistled && audience === "worker" && <Tag color="warning">{t("cases.whistled")}</Tag>}
      </Space>
      <h3 className="gz-case-title">
        {kase.category.parent ? `${kase.category.parent.name} · ` : ""}
        {kase.category.name}
      </h3>
      <p className="gz-case-description" data-testid="case-description-text">
        {kase.description}
      </p>
      <CasePhotoStrip ids={firstPhotos} testId="case-photos-strip" />
      <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0", marginTop: 8 }}>
        <List.Item extra={<span data-testid="case-no">{kase.caseNo}</span>}>{audience === "resident" ? t("cases.resident.caseNo") : t("cases.worker.caseNo")}</List.Item>
        <List.Item extra={shortTime(i18n, kase.submittedAt)}>{t("cases.submittedAt")}</List.Item>
        <List.Item extra={kase.grid.name}>{t("cases.grid")}</List.Item>
        {kase.locationText && <List.Item extra={kase.locationText}>{t("cases.locationText")}</List.Item>}
        {audience !== "resident" && <List.Item extra={t(`caseConsole.source.${kase.source}`, { defaultValue: kase.source })}>{t("cases.source")}</List.Item>}
        {kase.answers.map((a) => (
          <List.Item key={a.code} description={a.answer} data-testid="case-answer">
            {a.question}
          </List.Item>
        ))}
        <List.Item extra={kase.handlingOrg?.name ?? kase.handlingArea?.name ?? labelIn(i18n, kase.levelLabel)}>{t("cases.handler")}</List.Item>
        {open && due && <List.Item extra={<span className={kase.overdue ? "gz-case-overdue" : undefined}>{shortTime(i18n, due)}</span>}>{kase.status === "dispatched" ? t("cases.responseDue") : t("cases.handleDue")}</List.Item>}
        {kase.rejectReason && <List.Item description={kase.rejectReason}>{t("cases.rejectReason")}</List.Item>}
      </List>
      {children}
    </Card>
  );
}
