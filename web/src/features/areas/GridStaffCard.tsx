import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, DatePicker, Empty, Form, Input, Modal, Radio, Segmented, Select, Skeleton, Space, Switch, Tag, Typography } from "antd";
import { UserAddOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { describeError } from "../errors";
import { DateModal } from "../orgs/forms";
import {
  gridStaffRoles,
  useAppointGridStaff,
  useEndGridStaff,
  useGridStaff,
  useStaffCandidates,
  type GridStaffItem,
  type GridStaffRole,
} from "./staffApi";

type Source = "login" | "resident" | "name";

interface AppointValues {
  role: GridStaffRole;
  userId?: string;
  personId?: string;
  name?: string;
  startedOn: Dayjs;
}

/** 任命: role, then a login, a resident of the grid or just a name, and the first day. */
function AppointModal({
  gridId,
  gridName,
  open,
  current,
  onClose,
}: {
  gridId: string;
  gridName: string;
  open: boolean;
  /** The staff in office: a leader blocks another, and people already serving are not offered again. */
  current: GridStaffItem[];
  onClose: () => void;
}) {
  const hasLeader = current.some((s) => s.role === "leader");
  const { t } = useTranslation();
  const [form] = Form.useForm<AppointValues>();
  const [source, setSource] = useState<Source>("login");
  const candidates = useStaffCandidates(gridId, open);
  const appoint = useAppointGridStaff(gridId);
  const role = Form.useWatch("role", form);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setSource("login");
      appoint.reset();
    }
    // Reset only when the dialog opens (form and mutation are stable).
  }, [open]);

  const loginOptions = useMemo(
    () =>
      (candidates.data?.logins ?? [])
        .filter((l) => !current.some((s) => s.userId === l.userId))
        .map((l) => ({
        value: l.userId,
        label: `${l.name}（${l.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join("、")}）`,
      })),
    [candidates.data, current, t],
  );
  const residentOptions = useMemo(
    () =>
      (candidates.data?.residents ?? [])
        .filter((r) => !current.some((s) => s.personId === r.personId))
        .map((r) => ({
        value: r.personId,
        label: [r.name, ...r.tags.filter((x) => x === "buildingHead" || x === "volunteer").map((x) => t(`person.tags.${x}`)), ...(r.partyMember ? [t("gridStaff.partyMember")] : [])].join(" · "),
      })),
    [candidates.data, current, t],
  );

  const submit = (v: AppointValues) => {
    const body = {
      role: v.role,
      startedOn: v.startedOn.format("YYYY-MM-DD"),
      ...(source === "login" ? { userId: v.userId } : source === "resident" ? { personId: v.personId } : { name: v.name?.trim() }),
    };
    appoint.mutate(body, { onSuccess: onClose });
  };

  return (
    <Modal
      open={open}
      title={t("gridStaff.appointTitle", { grid: gridName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("gridStaff.appoint")}
      confirmLoading={appoint.isPending}
      okButtonProps={{ "data-testid": "staff-appoint-ok" }}
      destroyOnHidden
      data-testid="staff-appoint-dialog"
    >
      <Form<AppointValues> form={form} layout="vertical" onFinish={submit} initialValues={{ role: hasLeader ? "partTime" : "leader", startedOn: dayjs() }} requiredMark={false}>
        <Form.Item name="role" label={t("gridStaff.role")} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="staff-role">
            {gridStaffRoles.map((r) => (
              <Radio.Button key={r} value={r} disabled={r === "leader" && hasLeader} data-testid={`staff-role-${r}`}>
                {t(`gridStaff.roles.${r}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {role === "leader" && hasLeader && <Alert type="info" showIcon message={t("gridStaff.leaderTaken")} style={{ marginBottom: 12 }} />}
        <Form.Item label={t("gridStaff.who")}>
          <Segmented<Source>
            block
            value={source}
            onChange={setSource}
            options={[
              { value: "login", label: t("gridStaff.source.login") },
              { value: "resident", label: t("gridStaff.source.resident") },
              { value: "name", label: t("gridStaff.source.name") },
            ]}
            data-testid="staff-source"
          />
        </Form.Item>
        {source === "login" && (
          <Form.Item name="userId" label={t("gridStaff.source.loginLabel")} rules={[{ required: true, message: t("gridStaff.source.loginRequired") }]} extra={t("gridStaff.source.loginHint")}>
            <Select showSearch optionFilterProp="label" options={loginOptions} loading={candidates.isPending} placeholder={t("gridStaff.source.loginPlaceholder")} data-testid="staff-user" />
          </Form.Item>
        )}
        {source === "resident" && (
          <Form.Item name="personId" label={t("gridStaff.source.residentLabel")} rules={[{ required: true, message: t("gridStaff.source.residentRequired") }]} extra={t("gridStaff.source.residentHint")}>
            <Select
              showSearch
              optionFilterProp="label"
              options={residentOptions}
              loading={candidates.isPending}
              placeholder={t("gridStaff.source.residentPlaceholder")}
              notFoundContent={candidates.isPending ? undefined : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("gridStaff.source.noResidents")} />}
              data-testid="staff-person"
            />
          </Form.Item>
        )}
        {source === "name" && (
          <Form.Item name="name" label={t("gridStaff.source.nameLabel")} rules={[{ required: true, whitespace: true, message: t("gridStaff.source.nameRequired") }]} extra={t("gridStaff.source.nameHint")}>
            <Input maxLength={40} autoComplete="off" data-testid="staff-name" />
          </Form.Item>
        )}
        <Form.Item name="startedOn" label={t("gridStaff.startedOn")} rules={[{ required: true }]}>
          <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
        </Form.Item>
      </Form>
      {candidates.isError && <Alert type="warning" showIcon message={describeError(t, candidates.error)} />}
      {appoint.isError && <Alert type="error" showIcon message={describeError(t, appoint.error)} data-testid="staff-appoint-error" />}
    </Modal>
  );
}

function StaffEntry({ s, canEnd, onEnd }: { s: GridStaffItem; canEnd: boolean; onEnd: (s: GridStaffItem) => void }) {
  const { t } = useTranslation();
  const ended = s.endedOn !== null;
  // Two groups, so a narrow screen wraps between "who" and "since when", not inside them.
  return (
    <Space size={[12, 0]} wrap data-testid="staff-entry">
      <Space size={6}>
        {s.holder === "resident" && s.personId ? (
          <Link to={`/console/persons/${s.personId}`}>{s.name}</Link>
        ) : (
          <Typography.Text delete={ended}>{s.name}</Typography.Text>
        )}
        {s.holder === "login" && (
          <Tag bordered={false} color="blue">
            {t("gridStaff.holder.login")}
          </Tag>
        )}
        {s.holder === "resident" && <Tag bordered={false}>{t("gridStaff.holder.resident")}</Tag>}
      </Space>
      <Space size={4}>
        <Typography.Text type="secondary">
          {ended ? t("gridStaff.term", { from: s.startedOn, to: s.endedOn }) : t("gridStaff.since", { date: s.startedOn })}
        </Typography.Text>
        {canEnd && !ended && (
          <Button type="link" size="small" onClick={() => onEnd(s)} data-testid="staff-end">
            {t("gridStaff.end")}
          </Button>
        )}
      </Space>
    </Space>
  );
}

/** 网格力量: the grid's leader, instructor and grid workers with their start dates; 任命 and 卸任. */
export function GridStaffCard({ gridId, gridName, retired }: { gridId: string; gridName: string; retired: boolean }) {
  const { t } = useTranslation();
  const [showEnded, setShowEnded] = useState(false);
  const [appointing, setAppointing] = useState(false);
  const [ending, setEnding] = useState<GridStaffItem | null>(null);
  const staff = useGridStaff(gridId, showEnded);
  const end = useEndGridStaff();
  const list = staff.data?.grids[0]?.staff ?? [];
  const canManage = Boolean(staff.data?.abilities.manage) && !retired;
  const hasLeader = list.some((s) => s.role === "leader" && s.endedOn === null);

  return (
    <Card
      size="small"
      title={t("gridStaff.title")}
      data-testid="grid-staff"
      extra={
        <Space size={12}>
          <Space size={4}>
            <Switch size="small" checked={showEnded} onChange={setShowEnded} data-testid="staff-show-ended" />
            <Typography.Text type="secondary">{t("gridStaff.showEnded")}</Typography.Text>
          </Space>
          {canManage && (
            <Button size="small" type="primary" icon={<UserAddOutlined />} onClick={() => setAppointing(true)} data-testid="staff-appoint">
              {t("gridStaff.appoint")}
            </Button>
          )}
        </Space>
      }
    >
      {staff.isError ? (
        <Alert type="warning" showIcon message={describeError(t, staff.error)} />
      ) : staff.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Space direction="vertical" size={8} style={{ width: "100%" }}>
          {!hasLeader && !retired && <Alert type="warning" showIcon message={t("gridStaff.noLeader")} />}
          {gridStaffRoles.map((role) => {
            const holders = list.filter((s) => s.role === role);
            return (
              <div key={role} className="gz-staff-row" style={{ display: "flex", gap: 12, alignItems: "baseline" }} data-testid={`staff-role-row-${role}`}>
                <Typography.Text type="secondary" style={{ flex: "0 0 6.5em" }}>
                  {t(`gridStaff.roles.${role}`)}
                </Typography.Text>
                <Space direction="vertical" size={2} style={{ flex: 1, minWidth: 0 }}>
                  {holders.length === 0 ? (
                    <Typography.Text type="secondary">{t("gridStaff.vacant")}</Typography.Text>
                  ) : (
                    holders.map((s) => <StaffEntry key={s.id} s={s} canEnd={canManage} onEnd={setEnding} />)
                  )}
                </Space>
              </div>
            );
          })}
        </Space>
      )}
      {canManage && (
        <AppointModal gridId={gridId} gridName={gridName} open={appointing} current={list.filter((s) => s.endedOn === null)} onClose={() => setAppointing(false)} />
      )}
      <DateModal
        open={ending !== null}
        title={t("gridStaff.endTitle", { name: ending?.name ?? "", role: ending ? t(`gridStaff.roles.${ending.role}`) : "" })}
        okText={t("gridStaff.end")}
        pending={end.isPending}
        error={end.error}
        onClose={() => {
          setEnding(null);
          end.reset();
        }}
        onSubmit={(endedOn) => ending && end.mutate({ id: ending.id, endedOn }, { onSuccess: () => setEnding(null) })}
        testId="staff-end-dialog"
      />
    </Card>
  );
}
