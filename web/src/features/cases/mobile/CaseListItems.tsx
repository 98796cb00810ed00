import { useTranslation } from "react-i18next";
import { List, Space, Tag } from "antd-mobile";
import type { CaseListItem } from "../api";
import { labelIn, shortTime, statusColour } from "./format";

/**
 * A list of cases for a phone: category, the first words, where and when, the status and, for
 * handlers, the deadline with an overdue tag. `showDue` for the worker's queue.
 */
export function CaseListItems({ items, onOpen, showDue = false, showGrid = true }: { items: readonly CaseListItem[]; onOpen: (id: string) => void; showDue?: boolean; showGrid?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <List className="gz-case-list">
      {items.map((c) => {
        const due = c.status === "dispatched" ? (c.responseDueAt ?? c.handleDueAt) : c.handleDueAt;
        return (
          <List.Item
            key={c.id}
            arrowIcon
            onClick={() => onOpen(c.id)}
            data-testid="case-item"
            data-case-no={c.caseNo}
            title={
              <Space wrap style={{ "--gap": "4px" }}>
                <Tag color={statusColour(c.status)} fill="outline" data-testid="case-item-status">
                  {labelIn(i18n, c.statusLabel)}
                </Tag>
                {c.overdue && <Tag color="danger">{t("cases.overdue")}</Tag>}
                {c.urgency !== "normal" && <Tag color="danger" fill="outline">{t(`cases.urgency.${c.urgency}`, { defaultValue: c.urgency })}</Tag>}
              </Space>
            }
            description={
              <span className="gz-case-item-meta">
                {[showGrid ? c.gridName : null, shortTime(i18n, c.submittedAt), c.caseNo].filter(Boolean).join(" · ")}
                {showDue && due && (
                  <>
                    <br />
                    <span className={c.overdue ? "gz-case-overdue" : undefined}>{t(c.status === "dispatched" ? "cases.receiveDueAt" : "cases.dueAt", { time: shortTime(i18n, due) })}</span>
                  </>
                )}
              </span>
            }
          >
            <div className="gz-case-item-title">{c.categoryName}</div>
            <div className="gz-case-item-text">{c.description}</div>
          </List.Item>
        );
      })}
    </List>
  );
}
