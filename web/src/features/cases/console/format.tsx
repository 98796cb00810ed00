/** Small pieces the console's case pages share: the status tag, the deadline countdown, times. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Tag, Tooltip, Typography } from "antd";
import type { CaseStatus, Label } from "../api";
import { chinaTime } from "../../platform/time";

export { chinaTime };

const statusColours: Record<CaseStatus, string> = {
  submitted: "orange",
  registered: "gold",
  dispatched: "blue",
  received: "blue",
  inProgress: "processing",
  feedback: "purple",
  verified: "cyan",
  closed: "green",
  rated: "success",
  rejected: "default",
  merged: "default",
  parked: "magenta",
  cancelled: "default",
};

/** Statuses whose clock no longer runs: no countdown for them. */
const stopped = new Set<CaseStatus>(["closed", "rated", "rejected", "merged", "cancelled", "parked"]);

/** The server's {zh, en} label in the interface language. */
export function useLabel(): (label: Label) => string {
  const { i18n } = useTranslation();
  return (label) => (i18n.language === "en" ? label.en : label.zh);
}

export function CaseStatusTag({ status, label }: { status: CaseStatus; label: Label }) {
  const text = useLabel()(label);
  return (
    <Tag bordered={false} color={statusColours[status]} data-testid="case-status">
      {text}
    </Tag>
  );
}


/** The time now, refreshed every `ms` (for countdowns). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** "2 天 3 小时" / "45 分钟": a span of time in its two largest units. */
export function spanText(t: (k: string, o?: Record<string, unknown>) => string, ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? t("caseConsole.span.daysHours", { days, hours }) : t("caseConsole.span.days", { days });
  if (hours > 0) return mins > 0 ? t("caseConsole.span.hoursMinutes", { hours, minutes: mins }) : t("caseConsole.span.hours", { hours });
  return t("caseConsole.span.minutes", { minutes: mins });
}

/**
 * 时限: the deadline that runs now (signing for a submitted or dispatched case, handling after),
 * as time left, or in red as time overdue.
 */
export function DueCell({
  status,
  responseDueAt,
  handleDueAt,
  now,
}: {
  status: CaseStatus;
  responseDueAt: string | null;
  handleDueAt: string | null;
  now: number;
}) {
  const { t, i18n } = useTranslation();
  if (stopped.has(status)) return <Typography.Text type="secondary">—</Typography.Text>;
  const responding = status === "submitted" || status === "registered" || status === "dispatched";
  const due = (responding ? responseDueAt : null) ?? handleDueAt ?? responseDueAt;
  if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
  const left = Date.parse(due) - now;
  const late = left <= 0;
  const kind = due === handleDueAt ? t("caseConsole.due.handle") : t("caseConsole.due.response");
  return (
    <Tooltip title={`${kind} ${chinaTime(due, i18n.language)}`}>
      <Typography.Text type={late ? "danger" : left < 4 * 3600_000 ? "warning" : undefined} strong={late} data-testid={late ? "case-overdue" : "case-due"}>
        {late ? t("caseConsole.due.overdueBy", { span: spanText(t, left) }) : t("caseConsole.due.left", { span: spanText(t, left) })}
      </Typography.Text>
    </Tooltip>
  );
}
