import { useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Col, Descriptions, Row, Skeleton, Space, Tag, Typography } from "antd";
import { NotificationOutlined } from "@ant-design/icons";
import { isApiError } from "../../api";
import { NotFoundPage } from "../../components/FullPage";
import { describeError } from "../../features/errors";
import { useCase, type CaseDetail } from "../../features/cases/api";
import { CaseActionBar } from "../../features/cases/console/CaseActionBar";
import { CasePlaceMap, dueSummary, ExtensionsCard, PhotoStrip, ReporterLine, SimilarCard, SummonsCard, TimelineCard } from "../../features/cases/console/CaseDetailCards";
import { CaseStatusTag, chinaTime, useLabel, useNow } from "../../features/cases/console/format";
import { PageHead } from "./PageHead";

/** The deadline that runs now, as the header shows it. */
function RunningDue({ detail, now }: { detail: CaseDetail; now: number }) {
  const { t, i18n } = useTranslation();
  const open = !["closed", "rated", "rejected", "merged", "cancelled", "parked"].includes(detail.status);
  if (!open) return null;
  const responding = ["submitted", "registered", "dispatched"].includes(detail.status) && detail.responseDueAt;
  const due = responding ? detail.responseDueAt : (detail.handleDueAt ?? detail.responseDueAt);
  const summary = dueSummary(t, due, now);
  if (!summary || !due) return null;
  return (
    <Tag color={summary.late ? "red" : "blue"} bordered={false} data-testid="case-due">
      {responding ? t("caseConsole.due.response") : t("caseConsole.due.handle")} {chinaTime(due, i18n.language)} · {summary.text}
    </Tag>
  );
}

function CaseView({ detail }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const label = useLabel();
  const now = useNow();
  const firstEventId = detail.timeline[0]?.id ?? null;
  const reportPhotos = detail.photos.filter((p) => p.eventId === null || p.eventId === firstEventId).map((p) => p.id);
  const canMerge = (detail.status === "submitted" && detail.abilities.register === true) || (detail.status === "registered" && detail.abilities.dispatch === true);
  const lang = i18n.language;
  const time = (iso: string | null) => (iso ? chinaTime(iso, lang) : "—");
  const category = detail.category.parent ? `${detail.category.parent.name} / ${detail.category.name}` : detail.category.name;

  return (
    <div data-testid="case-page">
      <PageHead
        back
        title={
          <Space size={8} wrap>
            <span data-testid="case-no">{detail.caseNo}</span>
            <CaseStatusTag status={detail.status} label={detail.statusLabel} />
            {detail.whistled && (
              <Tag color="red" icon={<NotificationOutlined />} bordered={false}>
                {t("caseConsole.whistled")}
              </Tag>
            )}
          </Space>
        }
        crumbs={[{ key: "cases", label: t("caseConsole.title"), to: "/console/cases" }, { key: "case", label: detail.caseNo }]}
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        <Card size="small">
          <Space direction="vertical" size={12} style={{ width: "100%" }}>
            <Space size={[16, 8]} wrap>
              <Typography.Text>
                <Typography.Text type="secondary">{t("caseConsole.fields.category")}：</Typography.Text>
                {category}
              </Typography.Text>
              <Typography.Text>
                <Typography.Text type="secondary">{t("caseConsole.fields.level")}：</Typography.Text>
                <span data-testid="case-level">{label(detail.levelLabel)}</span>
                {detail.handlingOrg ? ` · ${detail.handlingOrg.name}` : detail.handlingArea ? ` · ${detail.handlingArea.name}` : ""}
              </Typography.Text>
              {detail.assignee && (
                <Typography.Text data-testid="case-assignee">
                  <Typography.Text type="secondary">{t("caseConsole.assignee")}：</Typography.Text>
                  {detail.assignee.name}
                </Typography.Text>
              )}
              <RunningDue detail={detail} now={now} />
              {detail.overdue && <Tag color="red">{t("caseConsole.overdue")}</Tag>}
              {detail.urgency !== "normal" && <Tag color="orange">{t(`cases.urgency.${detail.urgency}`, { defaultValue: detail.urgency })}</Tag>}
            </Space>
            <CaseActionBar detail={detail} />
          </Space>
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Space direction="vertical" size={16} style={{ width: "100%" }}>
              <Card size="small" title={t("caseConsole.details")}>
                <Typography.Paragraph style={{ whiteSpace: "pre-wrap", fontSize: 15 }} data-testid="case-description">
                  {detail.description}
                </Typography.Paragraph>
                <PhotoStrip ids={reportPhotos} />
                <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginTop: 12 }}>
                  <Descriptions.Item label={t("caseConsole.fields.source")}>{t(`caseConsole.source.${detail.source}`, { defaultValue: detail.source })}</Descriptions.Item>
                  <Descriptions.Item label={t("caseConsole.fields.submittedAt")}>{time(detail.submittedAt)}</Descriptions.Item>
                  <Descriptions.Item label={t("caseConsole.fields.grid")}>
                    {[detail.street?.name, detail.community?.name, detail.grid.name].filter(Boolean).join(" / ")}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("caseConsole.fields.reporter")}>
                    <ReporterLine detail={detail} />
                  </Descriptions.Item>
                  {detail.locationText && <Descriptions.Item label={t("caseConsole.fields.place")}>{detail.locationText}</Descriptions.Item>}
                  {detail.answers.map((a) => (
                    <Descriptions.Item key={a.code} label={a.question}>
                      {a.answer}
                    </Descriptions.Item>
                  ))}
                  {detail.externalRef && <Descriptions.Item label={t("caseConsole.fields.externalRef")}>{detail.externalRef}</Descriptions.Item>}
                  <Descriptions.Item label={t("caseConsole.due.response")}>{time(detail.responseDueAt)}</Descriptions.Item>
                  <Descriptions.Item label={t("caseConsole.due.handle")}>{time(detail.handleDueAt)}</Descriptions.Item>
                  {detail.closedAt && (
                    <Descriptions.Item label={t("caseConsole.fields.closedAt")}>
                      {time(detail.closedAt)}
                      {detail.closedOnTime === false && (
                        <Tag color="red" style={{ marginLeft: 6 }}>
                          {t("caseConsole.fields.late")}
                        </Tag>
                      )}
                    </Descriptions.Item>
                  )}
                  {detail.rating && (
                    <Descriptions.Item label={t("caseConsole.fields.rating")}>
                      {t(`cases.rating.${detail.rating}`)}
                      {detail.resolved === false ? ` · ${t("caseConsole.fields.unresolved")}` : ""}
                    </Descriptions.Item>
                  )}
                  {detail.rejectReason && <Descriptions.Item label={t("caseConsole.fields.rejectReason")}>{detail.rejectReason}</Descriptions.Item>}
                </Descriptions>
                {(detail.counts.rework > 0 || detail.counts.return > 0 || detail.counts.escalation > 0 || detail.counts.reopen > 0) && (
                  <Space size={4} wrap>
                    {(["rework", "return", "escalation", "reopen", "extension"] as const)
                      .filter((k) => detail.counts[k] > 0)
                      .map((k) => (
                        <Tag key={k} bordered={false}>
                          {t(`caseConsole.counts.${k}`, { count: detail.counts[k] })}
                        </Tag>
                      ))}
                  </Space>
                )}
              </Card>
              <Card size="small" title={t("caseConsole.fields.location")} styles={{ body: { padding: 0 } }}>
                <CasePlaceMap detail={detail} />
              </Card>
              <SimilarCard detail={detail} canMerge={canMerge} />
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Space direction="vertical" size={16} style={{ width: "100%" }}>
              <SummonsCard detail={detail} />
              <ExtensionsCard detail={detail} />
              <TimelineCard detail={detail} />
            </Space>
          </Col>
        </Row>
      </Space>
    </div>
  );
}

/** 案件详情: header, what and where, who reported it, the steps taken, summons, extensions; the next steps as buttons. */
export function CasePage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const detail = useCase(id);
  if (detail.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (detail.isError) {
    if (isApiError(detail.error) && (detail.error.status === 404 || detail.error.code === "validation_failed")) return <NotFoundPage />;
    return <Alert type="error" showIcon message={describeError(t, detail.error)} />;
  }
  return <CaseView detail={detail.data} />;
}
