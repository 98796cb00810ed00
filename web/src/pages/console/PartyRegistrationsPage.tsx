import { useCallback, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Radio, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import { UserAddOutlined } from "@ant-design/icons";
import { isApiError } from "../../api";
import { describeError } from "../../features/errors";
import { useArea } from "../../features/areas/api";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { useOrganizations } from "../../features/orgs/api";
import { PersonIdPicker } from "../../features/orgs/forms";
import { FormulaFigure } from "../../features/people/redGrid/FormulaFigure";
import {
  useConfirmRegistration,
  useDeclineRegistration,
  useFunnel,
  useRegister,
  useRegistrations,
  type Registration,
  type RegistrationKind,
  type RegistrationStatus,
} from "../../features/people/party/api";
import { RegistrationStatusTag } from "../../features/people/party/labels";
import { PageHead } from "./PageHead";

function FunnelCard({ areaId }: { areaId: string | undefined }) {
  const { t } = useTranslation();
  const funnel = useFunnel(areaId);
  if (funnel.isError) return <Alert type="warning" showIcon message={describeError(t, funnel.error)} />;
  if (!funnel.data) return null;
  const f = funnel.data.total;
  return (
    <Card size="small" title={t("partyReg.funnel.title")} data-testid="party-funnel">
      <Row gutter={[24, 16]} align="middle">
        <Col xs={12} md={4}>
          <Statistic title={t("partyReg.funnel.registered")} value={f.registered} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t("partyReg.funnel.pending")} value={f.pending} valueStyle={f.pending > 0 ? { color: "#d48806" } : undefined} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t("partyReg.funnel.confirmed")} value={f.confirmed} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t("partyReg.funnel.declined")} value={f.declined} />
        </Col>
        <Col xs={24} md={8}>
          <FormulaFigure label={t("partyReg.funnel.rate")} ratio={f.confirmationRate} testId="funnel-rate" />
        </Col>
      </Row>
      {funnel.data.communities.length > 1 && (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey="communityId"
          pagination={false}
          scroll={{ x: 560 }}
          dataSource={funnel.data.communities}
          columns={[
            { title: t("area.level.community"), dataIndex: "name" },
            { title: t("partyReg.funnel.registered"), dataIndex: "registered", align: "right" as const },
            { title: t("partyReg.funnel.pending"), dataIndex: "pending", align: "right" as const },
            { title: t("partyReg.funnel.confirmed"), dataIndex: "confirmed", align: "right" as const },
            { title: t("partyReg.funnel.declined"), dataIndex: "declined", align: "right" as const },
            { title: t("partyReg.funnel.rate"), key: "rate", render: (_: unknown, c) => <FormulaFigure compact ratio={c.confirmationRate} /> },
          ]}
        />
      )}
    </Card>
  );
}

function ConfirmModal({ reg, onClose }: { reg: Registration | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ personId?: string; partyOrgId?: string; note?: string }>();
  const confirm = useConfirmRegistration();
  const orgs = useOrganizations(reg?.kind === "floating" ? reg.communityId : undefined, true);
  useEffect(() => {
    if (reg) {
      form.resetFields();
      confirm.reset();
    }
    // The mutation object changes each render; resetting it once per opened registration is enough.
  }, [reg, form]);
  if (!reg) return null;
  return (
    <Modal
      open
      title={t("partyReg.confirm.title", { name: reg.name })}
      onCancel={onClose}
      okText={t("partyReg.confirm.ok")}
      confirmLoading={confirm.isPending}
      onOk={() => form.submit()}
      data-testid="confirm-dialog"
    >
      <Typography.Paragraph type="secondary">
        {reg.kind === "reportIn" ? t("partyReg.confirm.reportInEffect") : t("partyReg.confirm.floatingEffect")}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) =>
          confirm.mutate(
            { id: reg.id, ...(v.personId ? { personId: v.personId } : {}), ...(v.partyOrgId ? { partyOrgId: v.partyOrgId } : {}), note: v.note?.trim() || null },
            {
              onSuccess: () => {
                void message.success(t("partyReg.confirm.done"));
                onClose();
              },
              onError: (e) => {
                if (isApiError(e) && e.field && ["personId", "partyOrgId"].includes(e.field)) form.setFields([{ name: e.field as "personId", errors: [e.message] }]);
              },
            },
          )
        }
      >
        {!reg.personId && (
          <Form.Item name="personId" label={t("partyReg.confirm.person")} rules={[{ required: true, message: t("partyReg.confirm.personRequired") }]} extra={t("partyReg.confirm.personHint")}>
            <PersonIdPicker />
          </Form.Item>
        )}
        {reg.kind === "floating" && (
          <Form.Item name="partyOrgId" label={t("partyReg.confirm.branch")} extra={t("partyReg.confirm.branchHint")}>
            <Select
              allowClear
              loading={orgs.isPending}
              options={(orgs.data ?? []).filter((o) => o.kind !== "streetWorkingCommittee").map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t("partyReg.confirm.note")}>
          <Input.TextArea maxLength={500} rows={2} placeholder={t("partyReg.confirm.notePlaceholder")} />
        </Form.Item>
      </Form>
      {confirm.isError && !(isApiError(confirm.error) && confirm.error.field) && <Alert type="error" showIcon message={describeError(t, confirm.error)} />}
    </Modal>
  );
}

function DeclineModal({ reg, onClose }: { reg: Registration | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  const decline = useDeclineRegistration();
  useEffect(() => {
    setNote("");
  }, [reg]);
  if (!reg) return null;
  return (
    <Modal
      open
      title={t("partyReg.decline.title", { name: reg.name })}
      onCancel={onClose}
      okText={t("partyReg.decline.ok")}
      okButtonProps={{ danger: true, disabled: !note.trim() }}
      confirmLoading={decline.isPending}
      onOk={() => decline.mutate({ id: reg.id, note: note.trim() }, { onSuccess: onClose })}
      data-testid="decline-dialog"
    >
      <Typography.Paragraph type="secondary">{t("partyReg.decline.hint")}</Typography.Paragraph>
      <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={3} data-testid="decline-note" />
      {decline.isError && <Alert type="error" showIcon message={describeError(t, decline.error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

interface FoundValues {
  kind: RegistrationKind;
  name: string;
  phone?: string;
  orgName: string;
  workUnit?: string;
  skills?: string[];
  message?: string;
}

/** 找党员: a worker registers a member they found, for the community to confirm. */
function FoundModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FoundValues>();
  const register = useRegister();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal open={open} title={t("partyReg.found.title")} onCancel={onClose} okText={t("common.save")} confirmLoading={register.isPending} onOk={() => form.submit()} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ kind: "floating" }}
        onFinish={(v) =>
          register.mutate(
            { ...v, communityId, name: v.name.trim(), orgName: v.orgName.trim(), phone: v.phone?.trim() || null, skills: v.skills ?? [] },
            {
              onSuccess: () => {
                void message.success(t("partyReg.found.done"));
                onClose();
              },
              onError: (e) => {
                if (isApiError(e) && e.field) form.setFields([{ name: e.field as keyof FoundValues, errors: [e.message] }]);
                else void message.error(describeError(t, e));
              },
            },
          )
        }
      >
        <Form.Item name="kind" label={t("partyReg.fields.kind")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "reportIn", label: t("partyReg.kind.reportIn") },
              { value: "floating", label: t("partyReg.kind.floating") },
            ]}
          />
        </Form.Item>
        <Space size={12} wrap align="start">
          <Form.Item name="name" label={t("person.fields.name")} rules={[{ required: true, whitespace: true, message: t("partyReg.found.nameRequired") }]}>
            <Input maxLength={50} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="phone" label={t("person.fields.phone")}>
            <Input maxLength={20} style={{ width: 180 }} inputMode="tel" />
          </Form.Item>
        </Space>
        <Form.Item name="orgName" label={t("partyReg.fields.orgName")} rules={[{ required: true, whitespace: true, message: t("partyReg.orgNameRequired") }]}>
          <Input maxLength={100} placeholder={t("partyReg.orgNamePlaceholder")} />
        </Form.Item>
        <Form.Item name="workUnit" label={t("party.fields.workUnit")}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="skills" label={t("partyReg.fields.skills")}>
          <Select mode="tags" maxCount={20} tokenSeparators={[",", "，", "、"]} open={false} />
        </Form.Item>
        <Form.Item name="message" label={t("partyReg.fields.message")}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type StatusFilter = RegistrationStatus | "all";

/** 双找登记: the community's queue (confirm / decline) and the funnel figures. */
export function PartyRegistrationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const areaId = params.get("areaId") ?? undefined;
  const choose = useCallback((id: string) => setParams({ areaId: id }, { replace: true }), [setParams]);
  // ?status= as the list API reads it (the home's to-do links ?areaId=…&status=registered); pending ones by default.
  const [status, setStatus] = useState<StatusFilter>(() => (["registered", "confirmed", "declined", "all"] as const).find((v) => v === params.get("status")) ?? "registered");
  const [page, setPage] = useState(1);
  const list = useRegistrations(areaId, status === "all" ? undefined : status, page);
  const area = useArea(areaId);
  const [confirming, setConfirming] = useState<Registration | null>(null);
  const [declining, setDeclining] = useState<Registration | null>(null);
  const [finding, setFinding] = useState(false);
  const isCommunity = area.data?.area.level === "community";

  return (
    <div data-testid="party-registrations-page">
      <PageHead
        title={t("partyReg.title")}
        extra={
          <>
            <ScopeAreaSelect value={areaId} onChange={choose} testId="reg-area-select" />
            {isCommunity && areaId && (
              <Button icon={<UserAddOutlined />} onClick={() => setFinding(true)} data-testid="reg-found-open">
                {t("partyReg.found.open")}
              </Button>
            )}
          </>
        }
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        <FunnelCard areaId={areaId} />
        <Card
          size="small"
          title={t("partyReg.queue")}
          extra={
            <Segmented<StatusFilter>
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPage(1);
              }}
              options={[
                { value: "registered", label: t("partyReg.status.registered") },
                { value: "confirmed", label: t("partyReg.status.confirmed") },
                { value: "declined", label: t("partyReg.status.declined") },
                { value: "all", label: t("partyReg.all") },
              ]}
            />
          }
        >
          {list.isError ? (
            <Alert type="error" showIcon message={describeError(t, list.error)} />
          ) : (
            <Table<Registration>
              rowKey="id"
              size="small"
              loading={list.isPending && Boolean(areaId)}
              dataSource={list.data?.items ?? []}
              scroll={{ x: 960 }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("partyReg.empty")} /> }}
              pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              expandable={{
                rowExpandable: (r) => Boolean(r.message || r.skills.length > 0 || r.decisionNote),
                expandedRowRender: (r) => (
                  <Descriptions size="small" column={1}>
                    {r.skills.length > 0 && (
                      <Descriptions.Item label={t("partyReg.fields.skills")}>
                        <Space size={[4, 4]} wrap>
                          {r.skills.map((s) => (
                            <Tag key={s}>{s}</Tag>
                          ))}
                        </Space>
                      </Descriptions.Item>
                    )}
                    {r.message && <Descriptions.Item label={t("partyReg.fields.message")}>{r.message}</Descriptions.Item>}
                    {r.decisionNote && <Descriptions.Item label={t("partyReg.fields.decisionNote")}>{r.decisionNote}</Descriptions.Item>}
                  </Descriptions>
                ),
              }}
              columns={[
                {
                  title: t("person.fields.name"),
                  key: "name",
                  width: 110,
                  render: (_: unknown, r) => (
                    <Space direction="vertical" size={0}>
                      {r.personId ? <Link to={`/console/persons/${r.personId}`}>{r.name}</Link> : r.name}
                      {r.foundByWorker && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("partyReg.foundByWorker")}</Typography.Text>}
                    </Space>
                  ),
                },
                { title: t("partyReg.fields.kind"), key: "kind", width: 140, render: (_: unknown, r) => <Tag bordered={false} color={r.kind === "reportIn" ? "blue" : "orange"}>{t(`partyReg.kind.${r.kind}`)}</Tag> },
                { title: t("partyReg.fields.orgName"), dataIndex: "orgName" },
                { title: t("party.fields.workUnit"), dataIndex: "workUnit", render: (v: string | null) => v ?? "—" },
                { title: t("person.fields.phone"), dataIndex: "phone", width: 120, render: (v: string | null) => <span className="gz-masked-number">{v ?? "—"}</span> },
                ...(isCommunity ? [] : [{ title: t("area.level.community"), dataIndex: "communityName" }]),
                { title: t("partyReg.fields.registeredAt"), dataIndex: "registeredAt", width: 110, render: (v: string) => v.slice(0, 10) },
                { title: t("partyReg.fields.status"), key: "status", width: 90, render: (_: unknown, r) => <RegistrationStatusTag status={r.status} /> },
                {
                  title: "",
                  key: "actions",
                  width: 150,
                  render: (_: unknown, r) =>
                    r.status === "registered" && r.abilities?.decide ? (
                      <Space size={4}>
                        <Button size="small" type="primary" onClick={() => setConfirming(r)} data-testid="reg-confirm">
                          {t("partyReg.confirm.ok")}
                        </Button>
                        <Button size="small" onClick={() => setDeclining(r)} data-testid="reg-decline">
                          {t("partyReg.decline.ok")}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]}
            />
          )}
        </Card>
      </Space>
      <ConfirmModal reg={confirming} onClose={() => setConfirming(null)} />
      <DeclineModal reg={declining} onClose={() => setDeclining(null)} />
      {isCommunity && areaId && <FoundModal open={finding} communityId={areaId} onClose={() => setFinding(false)} />}
    </div>
  );
}
