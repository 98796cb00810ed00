import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Switch, Tag, Typography } from "antd";
import { EditOutlined, FlagOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { useArea } from "../../areas/api";
import { useOrganizations, usePersonPosts } from "../../orgs/api";
import { partyStatuses, useCreatePartyMember, usePersonPartyMember, useUpdatePartyMember, type MemberChanges, type PartyMember, type PartyStatus } from "./api";
import { PartyStatusTag } from "./labels";

interface Values {
  status: PartyStatus;
  joinedOn: Dayjs | null;
  partyOrgId?: string | null;
  outsideOrgName?: string;
  workUnit?: string;
  reportedIn: boolean;
}

/** 编辑党员信息: status, joined date, relation (a party organization here, or one outside by name), work unit, report-in. */
function MemberModal({
  open,
  onClose,
  personId,
  member,
  communityId,
}: {
  open: boolean;
  onClose: () => void;
  personId: string;
  member: PartyMember | null;
  communityId: string | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreatePartyMember();
  const update = useUpdatePartyMember(member?.id ?? "");
  const orgs = useOrganizations(open ? communityId : undefined, true);
  const status = Form.useWatch("status", form);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue({
      status: member?.status ?? "inService",
      joinedOn: member?.joinedOn ? dayjs(member.joinedOn) : null,
      partyOrgId: member?.partyOrgId ?? null,
      outsideOrgName: member?.outsideOrgName ?? "",
      workUnit: member?.workUnit ?? "",
      reportedIn: Boolean(member?.reportInCommunityId),
    });
  }, [open, member, form]);

  const submit = (v: Values) => {
    const changes: MemberChanges = {
      status: v.status,
      joinedOn: v.joinedOn ? v.joinedOn.format("YYYY-MM-DD") : null,
      partyOrgId: v.partyOrgId ?? null,
      outsideOrgName: v.outsideOrgName?.trim() || null,
      workUnit: v.workUnit?.trim() || null,
      // Report-in is to the community where the member lives; another community keeps its own record.
      reportInCommunityId: v.status === "inService" && v.reportedIn ? (member?.reportInCommunityId ?? communityId ?? null) : null,
    };
    const done = {
      onSuccess: () => {
        void message.success(t("party.card.saved"));
        onClose();
      },
      onError: (e: unknown) => {
        if (isApiError(e) && e.field && e.field in v) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
        else setError(e);
      },
    };
    if (member) {
      // Only what changed: an unchanged relation held elsewhere need not be in the worker's scope.
      const current: MemberChanges = {
        status: member.status,
        joinedOn: member.joinedOn,
        partyOrgId: member.partyOrgId,
        outsideOrgName: member.outsideOrgName,
        workUnit: member.workUnit,
        reportInCommunityId: member.reportInCommunityId,
      };
      const diff = Object.fromEntries(Object.entries(changes).filter(([k, val]) => current[k as keyof MemberChanges] !== val)) as MemberChanges;
      if (Object.keys(diff).length === 0) return onClose();
      update.mutate(diff, done);
    }
    else create.mutate({ ...changes, personId, status: v.status }, done);
  };

  return (
    <Modal
      open={open}
      title={member ? t("party.card.editTitle") : t("party.card.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      data-testid="party-member-dialog"
    >
      {Boolean(error) && <Alert type="error" showIcon message={describeError(t, error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Space size={16} wrap>
          <Form.Item name="status" label={t("party.fields.status")}>
            <Select style={{ width: 140 }} options={partyStatuses.map((s) => ({ value: s, label: t(`party.status.${s}`) }))} data-testid="party-status-select" />
          </Form.Item>
          <Form.Item name="joinedOn" label={t("party.fields.joinedOn")}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Space>
        <Form.Item name="partyOrgId" label={t("party.fields.partyOrg")} extra={t("party.card.partyOrgHint")}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={orgs.isPending && open}
            options={(orgs.data ?? []).filter((o) => o.kind !== "streetWorkingCommittee").map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item name="outsideOrgName" label={t("party.fields.outsideOrg")} extra={t("party.card.outsideHint")}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="workUnit" label={t("party.fields.workUnit")}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="reportedIn" label={t("party.fields.reportIn")} valuePropName="checked" extra={status !== "inService" ? t("party.card.reportInOnlyInService") : t("party.card.reportInHint")}>
          <Switch disabled={status !== "inService"} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 党员信息 on the person page: the member record (or making the person a member) and the posts they hold. */
export function PartyMemberCard({ personId, gridId }: { personId: string; gridId: string | null }) {
  const { t } = useTranslation();
  const record = usePersonPartyMember(personId);
  const posts = usePersonPosts(personId);
  const grid = useArea(gridId ?? undefined);
  const communityId = grid.data?.ancestors.findLast((a) => a.level === "community")?.id;
  const [editing, setEditing] = useState(false);

  if (record.isError) return <Alert type="warning" showIcon message={describeError(t, record.error)} />;
  const m = record.data?.member ?? null;
  const canEdit = m ? Boolean(m.abilities?.update) : Boolean(record.data?.canCreate);

  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <FlagOutlined style={{ color: "#c0392b" }} />
          {t("party.card.title")}
        </Space>
      }
      loading={record.isPending}
      data-testid="party-member-card"
      extra={
        canEdit && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="party-member-edit">
            {m ? t("party.card.edit") : t("party.card.make")}
          </Button>
        )
      }
    >
      {m ? (
        <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered styles={{ label: { whiteSpace: "nowrap" } }}>
          <Descriptions.Item label={t("party.fields.status")}>
            <PartyStatusTag status={m.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("party.fields.joinedOn")}>{m.joinedOn ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("party.fields.partyOrg")}>
            {m.partyOrgId ? <Link to={`/console/organizations/${m.partyOrgId}`}>{m.partyOrgName}</Link> : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("party.fields.outsideOrg")}>{m.outsideOrgName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("party.fields.workUnit")}>{m.workUnit ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("party.fields.reportIn")}>
            {!m.reportInCommunityName
              ? t("party.card.notReportedIn")
              : m.reportInConfirmedOn
                ? t("party.card.reportedIn", { community: m.reportInCommunityName, date: m.reportInConfirmedOn })
                : t("party.card.reportedInNoDate", { community: m.reportInCommunityName })}
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">{t("party.card.notMember")}</Typography.Text>
      )}
      <div style={{ marginTop: 12 }}>
        <Typography.Text strong>{t("party.card.posts")}</Typography.Text>
        <div style={{ marginTop: 6 }}>
          {(posts.data ?? []).length === 0 ? (
            <Typography.Text type="secondary">{t("party.card.noPosts")}</Typography.Text>
          ) : (
            <Space size={[6, 6]} wrap data-testid="person-posts">
              {(posts.data ?? []).map((p) => (
                <Tag key={p.id} bordered={false} color={p.orgKind.includes("Party") ? "red" : "blue"}>
                  <Link to={`/console/organizations/${p.orgId}`}>{p.orgName}</Link> · {p.title}
                  {p.partTime ? `（${t("orgs.posts.partTimeTag")}）` : ""}
                </Tag>
              ))}
            </Space>
          )}
        </div>
      </div>
      {canEdit && <MemberModal open={editing} onClose={() => setEditing(false)} personId={personId} member={m} communityId={communityId} />}
    </Card>
  );
}
