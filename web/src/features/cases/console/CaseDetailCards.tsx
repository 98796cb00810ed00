/** The case page's cards: contact with its reveal, the place on a small map, the timeline, summons, extensions, similar cases. */
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Empty, Form, Image, Input, List, Modal, Popconfirm, Progress, Rate, Space, Table, Tag, Timeline, Typography } from "antd";
import { EyeOutlined, MergeCellsOutlined } from "@ant-design/icons";
import { PointOnMap } from "../../places/PointOnMap";
import { describeError } from "../../errors";
import { casePhotoUrl, useDecideExtension, type CaseDetail, type TimelineEvent } from "../api";
import { useMergeCase, useRevealCaseContact, useSimilarForCase, type CaseContact } from "./api";
import { chinaTime, spanText, useLabel } from "./format";
import "../../areas/map.css";
import { useSummonsQueue, type SummonsItem } from "../summons";
import { SummonsActions, SummonsStepDialogs, type SummonsStep } from "../SummonsSteps";

// ——— 反映人 and 查看联系方式

const maxShowMs = 5 * 60_000;

function ContactRevealDialog({ caseId, open, onClose }: { caseId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ purpose: string }>();
  const reveal = useRevealCaseContact(caseId);
  const [shown, setShown] = useState<(CaseContact & { until: number }) | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!shown) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [shown]);
  const left = shown ? shown.until - now : 0;
  useEffect(() => {
    if (shown && left <= 0) setShown(null);
  }, [shown, left]);
  const close = () => {
    // Forget the clear number as soon as the dialog closes.
    setShown(null);
    reveal.reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t("caseConsole.contact.revealTitle")}
      onCancel={close}
      maskClosable={false}
      footer={
        shown ? (
          <Button onClick={close}>{t("caseConsole.contact.hideNow")}</Button>
        ) : (
          <Space>
            <Button onClick={close}>{t("common.cancel")}</Button>
            <Button type="primary" loading={reveal.isPending} onClick={() => form.submit()} data-testid="contact-reveal-submit">
              {t("caseConsole.contact.reveal")}
            </Button>
          </Space>
        )
      }
    >
      <div data-testid="contact-reveal-dialog">
        {shown ? (
          <div className="gz-reveal-value">
            <Typography.Paragraph>
              {shown.name && <Typography.Text strong>{shown.name} </Typography.Text>}
              <Typography.Text className="gz-reveal-number" data-testid="contact-phone">
                {shown.phone ?? t("caseConsole.contact.noPhone")}
              </Typography.Text>
            </Typography.Paragraph>
            <Progress percent={(left / maxShowMs) * 100} showInfo={false} size="small" strokeColor="#c0392b" />
            <Typography.Text type="secondary">{t("caseConsole.contact.hidesIn", { time: `${Math.floor(left / 60_000)}:${String(Math.ceil(left / 1000) % 60).padStart(2, "0")}` })}</Typography.Text>
          </div>
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t("caseConsole.contact.notice")}</Typography.Paragraph>
            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              initialValues={{ purpose: t("caseConsole.contact.defaultPurpose") }}
              onFinish={(v) =>
                reveal.mutate(v.purpose.trim(), {
                  onSuccess: (res) => {
                    const until = Math.min(Date.parse(res.expiresAt) || Date.now(), Date.now() + maxShowMs);
                    setShown({ ...res, until });
                    setNow(Date.now());
                    reveal.reset();
                  },
                })
              }
            >
              <Form.Item name="purpose" label={t("caseConsole.contact.purpose")} rules={[{ required: true, whitespace: true, message: t("caseConsole.contact.purposeRequired") }]}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} showCount autoComplete="off" data-testid="contact-purpose" />
              </Form.Item>
            </Form>
            {reveal.isError && <Alert type="error" showIcon message={describeError(t, reveal.error)} />}
          </>
        )}
      </div>
    </Modal>
  );
}

/** 反映人: 匿名, or the name and masked phone with 查看联系方式 for those allowed. */
export function ReporterLine({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const r = detail.reporter;
  if (detail.anonymous || r?.anonymous) {
    return (
      <Space size={8} wrap>
        <Tag bordered={false}>{t("caseConsole.contact.anonymous")}</Tag>
        {detail.abilities.revealContact && (
          <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="reveal-contact">
            {t("caseConsole.contact.button")}
          </Button>
        )}
        <ContactRevealDialog caseId={detail.id} open={open} onClose={() => setOpen(false)} />
      </Space>
    );
  }
  if (!r) return <Typography.Text type="secondary">{t("caseConsole.contact.hidden")}</Typography.Text>;
  if (detail.source === "patrol" && !r.name && !r.hasPhone) return <Typography.Text type="secondary">{t("caseConsole.contact.foundOnPatrol")}</Typography.Text>;
  return (
    <Space size={8} wrap>
      <Typography.Text>{r.name ?? t("caseConsole.contact.noName")}</Typography.Text>
      {r.phoneMasked ? <Typography.Text className="gz-masked-number">{r.phoneMasked}</Typography.Text> : <Typography.Text type="secondary">{t("caseConsole.contact.noPhone")}</Typography.Text>}
      {detail.abilities.revealContact && (
        <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="reveal-contact">
          {t("caseConsole.contact.button")}
        </Button>
      )}
      <ContactRevealDialog caseId={detail.id} open={open} onClose={() => setOpen(false)} />
    </Space>
  );
}

// ——— the place

/** The case's point inside its grid, on a small map, with the compounds and buildings around it. */
export function CasePlaceMap({ detail, height = 220 }: { detail: CaseDetail; height?: number }) {
  return <PointOnMap gridId={detail.grid.id} lng={detail.lng} lat={detail.lat} buildingId={detail.buildingId} height={height} />;
}

// ——— photos

export function PhotoStrip({ ids, size = 88 }: { ids: string[]; size?: number }) {
  if (ids.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {ids.map((id) => (
          <Image key={id} src={casePhotoUrl(id)} width={size} height={size} style={{ objectFit: "cover", borderRadius: 6 }} data-testid="case-photo" />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

// ——— timeline

const eventColours: Record<string, string> = {
  reject: "red",
  verifyFail: "red",
  cancel: "gray",
  returnToDispatcher: "orange",
  escalate: "orange",
  whistle: "red",
  remind: "orange",
  close: "green",
  verifyPass: "green",
  rate: "green",
  finishSummons: "green",
  recordSummonsOnBehalf: "green",
  excuseSummons: "gray",
  withdrawSummons: "gray",
};

function EventItem({ e }: { e: TimelineEvent }) {
  const { i18n } = useTranslation();
  const label = useLabel();
  return (
    <Space direction="vertical" size={2} style={{ width: "100%" }} data-testid="timeline-event">
      <Space size={8} wrap>
        <Typography.Text strong data-testid="timeline-action">
          {label(e.actionLabel)}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {e.actorLabel} · {chinaTime(e.at, i18n.language)}
        </Typography.Text>
      </Space>
      {e.note && <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{e.note}</Typography.Text>}
      <PhotoStrip ids={e.evidence} size={64} />
    </Space>
  );
}

export function TimelineCard({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const events = [...detail.timeline].reverse();
  return (
    <Card size="small" title={t("caseConsole.timeline")} data-testid="case-timeline">
      {events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline style={{ marginTop: 8 }} items={events.map((e) => ({ key: e.id, color: eventColours[e.action] ?? "blue", children: <EventItem e={e} /> }))} />
      )}
    </Card>
  );
}

// ——— 吹哨报到

const summonsColours: Record<string, string> = { summoned: "orange", reportedIn: "blue", finished: "green", withdrawn: "default", excused: "purple" };

export function SummonsCard({ detail }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  // The same summons as queue items carry what the actor may do with each (报到, 办结, 撤回, 免予报到, 代为登记, 评分).
  const steps = useSummonsQueue({ caseId: detail.id, page: 1, pageSize: 50 }, detail.summons.length > 0);
  const [open, setOpen] = useState<{ step: SummonsStep; item: SummonsItem } | null>(null);
  const itemsById = new Map((steps.data?.items ?? []).map((x) => [x.id, x]));
  if (detail.summons.length === 0) return null;
  const unfinished = detail.summons.filter((s) => s.status === "summoned" || s.status === "reportedIn").length;
  return (
    <Card
      size="small"
      title={t("caseConsole.summons.title")}
      extra={<Link to="/console/summons">{t("caseConsole.summons.queue")}</Link>}
      data-testid="case-summons"
    >
      {unfinished > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t("caseConsole.summons.unfinished", { count: unfinished })} />}
      <List
        size="small"
        dataSource={detail.summons}
        renderItem={(s) => {
          const late = s.status === "summoned" && Date.parse(s.reportInDueAt) < now;
          return (
            <List.Item key={s.id} data-testid="summons-row">
              <Space direction="vertical" size={2} style={{ width: "100%" }}>
                <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
                  <Typography.Text strong>{s.departmentName}</Typography.Text>
                  <Space size={4}>
                    <Tag bordered={false} color={summonsColours[s.status] ?? "default"} data-testid="summons-status">
                      {t(`summons.status.${s.status}`, { defaultValue: s.status })}
                    </Tag>
                    {late && <Tag color="red">{t("caseConsole.summons.late")}</Tag>}
                    {s.recordedOnBehalf && <Tag color="cyan">{t("summons.onBehalfTag")}</Tag>}
                  </Space>
                </Space>
                {s.endReason && (
                  <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="summons-end-reason">
                    {t("summons.fields.endReason")}：{s.endReason}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {s.reportedInAt
                    ? t("caseConsole.summons.reportedAt", { at: chinaTime(s.reportedInAt, i18n.language) })
                    : t("caseConsole.summons.dueAt", { at: chinaTime(s.reportInDueAt, i18n.language) })}
                  {s.finishedAt ? ` · ${t("caseConsole.summons.finishedAt", { at: chinaTime(s.finishedAt, i18n.language) })}` : ""}
                </Typography.Text>
                {s.score !== null && <Rate disabled value={s.score} style={{ fontSize: 14 }} />}
                {itemsById.has(s.id) && <SummonsActions item={itemsById.get(s.id)!} onStep={(step) => setOpen({ step, item: itemsById.get(s.id)! })} />}
              </Space>
            </List.Item>
          );
        }}
      />
      <SummonsStepDialogs open={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

// ——— 延期

export function ExtensionsCard({ detail }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const decide = useDecideExtension(detail.id);
  const [declining, setDeclining] = useState<string | null>(null);
  const [note, setNote] = useState("");
  if (detail.extensions.length === 0) return null;
  const canApprove = detail.abilities.approveExtension === true;
  const canDecline = detail.abilities.declineExtension === true;
  const run = (extensionId: string, approve: boolean, n?: string) =>
    decide.mutate(
      { extensionId, approve, note: n?.trim() ? n.trim() : null },
      {
        onSuccess: () => {
          void message.success(approve ? t("caseConsole.extension.approved") : t("caseConsole.extension.declined"));
          setDeclining(null);
          setNote("");
        },
        onError: (e) => void message.error(describeError(t, e)),
      },
    );
  return (
    <Card size="small" title={t("caseConsole.extension.title")} data-testid="case-extensions">
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={detail.extensions}
        scroll={{ x: 560 }}
        columns={[
          { title: t("caseConsole.extension.requestedAt"), key: "at", width: 120, render: (_: unknown, x) => chinaTime(x.requestedAt, i18n.language) },
          { title: t("caseConsole.extension.extra"), key: "extra", width: 130, render: (_: unknown, x) => `${x.extraValue} ${t(`cases.unit.${x.extraUnit}`, { defaultValue: x.extraUnit })}` },
          { title: t("caseConsole.extension.reason"), dataIndex: "reason", ellipsis: true },
          {
            title: t("caseConsole.extension.status"),
            key: "status",
            width: 200,
            render: (_: unknown, x) =>
              x.status === "pending" && (canApprove || canDecline) ? (
                <Space size={4}>
                  {canApprove && (
                    <Popconfirm title={t("caseConsole.extension.approveConfirm")} onConfirm={() => run(x.id, true)}>
                      <Button size="small" type="primary" loading={decide.isPending} data-testid="extension-approve">
                        {t("caseConsole.extension.approve")}
                      </Button>
                    </Popconfirm>
                  )}
                  {canDecline && (
                    <Button size="small" danger onClick={() => setDeclining(x.id)} data-testid="extension-decline">
                      {t("caseConsole.extension.decline")}
                    </Button>
                  )}
                </Space>
              ) : (
                <Space direction="vertical" size={0}>
                  <Tag bordered={false} color={x.status === "approved" ? "green" : x.status === "declined" ? "red" : "orange"}>
                    {t(`caseConsole.extension.statuses.${x.status}`, { defaultValue: x.status })}
                  </Tag>
                  {x.newDueAt && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("caseConsole.extension.newDue", { at: chinaTime(x.newDueAt, i18n.language) })}
                    </Typography.Text>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={declining !== null}
        title={t("caseConsole.extension.decline")}
        okText={t("caseConsole.extension.decline")}
        okButtonProps={{ danger: true }}
        confirmLoading={decide.isPending}
        onCancel={() => setDeclining(null)}
        onOk={() => declining && run(declining, false, note)}
      >
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("caseConsole.extension.declinePlaceholder")} />
      </Modal>
    </Card>
  );
}

// ——— 类似案件 and 合并

export function SimilarCard({ detail, canMerge }: { detail: CaseDetail; canMerge: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const similar = useSimilarForCase(detail, detail.status === "submitted" || detail.status === "registered");
  const merge = useMergeCase(detail.id);
  const items = similar.data ?? [];
  if (similar.isPending || items.length === 0) return null;
  return (
    <Card size="small" title={t("caseConsole.similar.title", { count: items.length })} data-testid="case-similar">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t("caseConsole.similar.note")}
      </Typography.Paragraph>
      <List
        size="small"
        dataSource={items}
        renderItem={(s) => (
          <List.Item
            key={s.id}
            actions={
              canMerge
                ? [
                    <Popconfirm
                      key="merge"
                      title={t("caseConsole.similar.mergeConfirm", { caseNo: s.caseNo })}
                      onConfirm={() =>
                        merge.mutate(
                          { intoId: s.id },
                          {
                            onSuccess: (r) => void message.success(t("caseConsole.similar.merged", { caseNo: r.intoCaseNo })),
                            onError: (e) => void message.error(describeError(t, e)),
                          },
                        )
                      }
                    >
                      <Button size="small" icon={<MergeCellsOutlined />} loading={merge.isPending} data-testid="merge-into">
                        {t("caseConsole.similar.merge")}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Space direction="vertical" size={0}>
              <Space size={6}>
                <Link to={`/console/cases/${s.id}`}>{s.caseNo}</Link>
                <Tag bordered={false}>{s.statusLabel}</Tag>
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("caseConsole.similar.meta", { distance: s.distanceM, time: chinaTime(s.submittedAt, i18n.language) })} · {s.excerpt}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** "剩 3 小时" or "超期 2 天" for the header. */
export function dueSummary(t: (k: string, o?: Record<string, unknown>) => string, due: string | null, now: number): { text: string; late: boolean } | null {
  if (!due) return null;
  const left = Date.parse(due) - now;
  return left > 0 ? { text: t("caseConsole.due.left", { span: spanText(t, left) }), late: false } : { text: t("caseConsole.due.overdueBy", { span: spanText(t, left) }), late: true };
}
