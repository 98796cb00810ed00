/**
 * 用户与权限: the staff logins within the administrator's reach — search, create with roles on
 * areas or a department, grants, person link, disable, password reset (shown once), sessions and
 * lockouts. What may be done to each user comes from the server (`abilities`, `revocable`).
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from "antd";
import { KeyOutlined, LockOutlined, PlusOutlined, StopOutlined, UnlockOutlined } from "@ant-design/icons";
import { isApiError } from "../../api";
import { describeError } from "../../features/errors";
import { chinaTime } from "../../features/platform/time";
import { useMe } from "../../features/auth/session";
import type { Role } from "../../features/auth/types";
import { fetchArea, useAreaRoots } from "../../features/areas/api";
import { useOrganizations } from "../../features/orgs/api";
import { PersonIdPicker } from "../../features/orgs/forms";
import {
  useCreateUser,
  useEndSessions,
  useGrantRole,
  useLinkPerson,
  useResetPassword,
  useRevokeGrant,
  useSetDisabled,
  useUnlockUser,
  useUser,
  useUserSessions,
  useUsers,
  type AdminUser,
  type GrantBody,
  type PasswordReset,
  type UserQuery,
} from "../../features/auth/usersApi";
import { PageHead } from "./PageHead";

/** Staff roles an administrator grants here (residents open their own accounts). */
const staffRoles: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "departmentStaff", "districtAnalyst", "systemAdmin"];

function StateTags({ u }: { u: AdminUser }) {
  const { t } = useTranslation();
  return (
    <Space size={[0, 4]} wrap data-testid="user-state">
      {u.disabled ? <Tag color="default">{t("users.state.disabled")}</Tag> : <Tag color="green">{t("users.state.active")}</Tag>}
      {u.lockedUntil && <Tag color="orange">{t("users.state.locked")}</Tag>}
      {u.mustChangePassword && <Tag color="blue">{t("users.state.mustChange")}</Tag>}
    </Space>
  );
}

function GrantTags({ u }: { u: AdminUser }) {
  const { t } = useTranslation();
  return (
    <Space size={[0, 4]} wrap>
      {u.grants.map((g) => (
        <Tag key={g.id} bordered={false} color="red">
          {t(`roles.${g.role}`, { defaultValue: g.roleLabel })} · {g.orgName ?? g.areaName}
        </Tag>
      ))}
    </Space>
  );
}

/** An area from the administrator's roots down to grids, loaded level by level. */
function AreaTreeSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const roots = useAreaRoots();
  const [loaded, setLoaded] = useState<{ id: string; pId: string | null; value: string; title: string; isLeaf: boolean }[]>([]);
  const treeData = useMemo(() => {
    const rootNodes = (roots.data ?? []).map((r) => ({ id: r.id, pId: null, value: r.id, title: r.name, isLeaf: r.childCount === 0 }));
    const seen = new Set(rootNodes.map((n) => n.id));
    return [...rootNodes, ...loaded.filter((n) => !seen.has(n.id))];
  }, [roots.data, loaded]);
  return (
    <TreeSelect
      id={id}
      showSearch
      treeNodeFilterProp="title"
      treeDataSimpleMode
      treeData={treeData}
      loadData={async ({ value: parent }) => {
        if (typeof parent !== "string") return;
        const res = await fetchArea(queryClient, parent);
        const children = res.children.map((c) => ({ id: c.id, pId: parent, value: c.id, title: c.name, isLeaf: c.childCount === 0 || c.level === "grid" }));
        setLoaded((prev) => [...prev.filter((n) => n.pId !== parent), ...children]);
      }}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      placeholder={t("users.form.areaPlaceholder")}
      popupMatchSelectWidth={false}
      style={{ width: "100%" }}
      data-testid="grant-area"
    />
  );
}

/** The departments (职能部门) under the administrator's first root area. */
function DepartmentSelect({ value, onChange, id }: { value?: string; onChange?: (v: string | undefined) => void; id?: string }) {
  const { t } = useTranslation();
  const roots = useAreaRoots();
  const orgs = useOrganizations(roots.data?.[0]?.id, false);
  const departments = (orgs.data ?? []).filter((o) => o.kind === "department");
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={onChange}
      loading={orgs.isPending}
      showSearch
      optionFilterProp="label"
      placeholder={t("users.form.departmentPlaceholder")}
      options={departments.map((d) => ({ value: d.id, label: d.name }))}
      notFoundContent={t("users.form.noDepartments")}
      data-testid="grant-department"
    />
  );
}

/** Role + where: an area, or a department for department staff. */
function GrantFields({ prefix = [] as (string | number)[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const role = Form.useWatch([...prefix, "role"], form) as Role | undefined;
  return (
    <>
      <Form.Item name={[...prefix, "role"]} label={t("users.form.role")} rules={[{ required: true, message: t("users.form.roleRequired") }]}>
        <Select<Role>
          options={staffRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          placeholder={t("users.form.rolePlaceholder")}
          data-testid="grant-role"
        />
      </Form.Item>
      {role === "departmentStaff" ? (
        <Form.Item name={[...prefix, "orgId"]} label={t("users.form.department")} rules={[{ required: true, message: t("users.form.departmentRequired") }]}>
          <DepartmentSelect />
        </Form.Item>
      ) : (
        <Form.Item name={[...prefix, "areaId"]} label={t("users.form.area")} rules={[{ required: true, message: t("users.form.areaRequired") }]} extra={t("users.form.areaHelp")}>
          <AreaTreeSelect />
        </Form.Item>
      )}
    </>
  );
}

/** A password or link shown once, with the warning that it will not be shown again. */
function SecretOnce({ secret, onClose }: { secret: { title: string; value: string; note: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={secret !== null} title={secret?.title} onCancel={onClose} footer={<Button type="primary" onClick={onClose}>{t("users.secret.done")}</Button>} destroyOnHidden>
      <Alert type="warning" showIcon message={t("users.secret.once")} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable={{ text: secret?.value ?? "" }} code style={{ fontSize: 18 }} data-testid="secret-value">
        {secret?.value}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{secret?.note}</Typography.Text>
    </Modal>
  );
}

interface CreateValues {
  username: string;
  displayName: string;
  passwordMode: "temporary" | "chosen";
  password?: string;
  role: Role;
  areaId?: string;
  orgId?: string;
}

function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (u: AdminUser, temporaryPassword: string | null) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const create = useCreateUser();
  const mode = Form.useWatch("passwordMode", form);
  const fieldOf = (f: string | undefined) => (f?.startsWith("grants.0.") ? f.slice("grants.0.".length) : f);
  const onFinish = (v: CreateValues) =>
    create.mutate(
      {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        ...(v.passwordMode === "chosen" && v.password ? { password: v.password } : {}),
        grants: [v.role === "departmentStaff" ? { role: v.role, orgId: v.orgId ?? null } : { role: v.role, areaId: v.areaId ?? null }],
      },
      {
        onSuccess: (res) => {
          form.resetFields();
          onCreated(res.user, res.temporaryPassword);
        },
        onError: (e) => {
          const field = isApiError(e) ? fieldOf(e.field) : undefined;
          if (field && ["username", "displayName", "password", "role", "areaId", "orgId"].includes(field)) form.setFields([{ name: field as keyof CreateValues, errors: [describeError(t, e)] }]);
        },
      },
    );
  const general = create.isError && !(isApiError(create.error) && create.error.field);
  return (
    <Modal open={open} title={t("users.create.title")} onCancel={onClose} onOk={() => form.submit()} okText={t("users.create.submit")} confirmLoading={create.isPending} destroyOnHidden width={520}>
      {general && <Alert type="error" showIcon message={describeError(t, create.error)} style={{ marginBottom: 12 }} />}
      <Form<CreateValues> form={form} layout="vertical" requiredMark={false} onFinish={onFinish} initialValues={{ passwordMode: "temporary" }} data-testid="create-user-form">
        <Form.Item name="displayName" label={t("users.form.displayName")} rules={[{ required: true, whitespace: true, message: t("users.form.displayNameRequired") }]}>
          <Input maxLength={60} placeholder="王建国" data-testid="user-display-name" />
        </Form.Item>
        <Form.Item
          name="username"
          label={t("users.form.username")}
          extra={t("users.form.usernameHelp")}
          rules={[
            { required: true, message: t("users.form.usernameRequired") },
            { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t("users.form.usernameHelp") },
          ]}
        >
          <Input maxLength={64} autoComplete="off" placeholder="wangjg" data-testid="user-username" />
        </Form.Item>
        <GrantFields />
        <Form.Item name="passwordMode" label={t("users.form.password")}>
          <Radio.Group
            options={[
              { value: "temporary", label: t("users.form.passwordTemporary") },
              { value: "chosen", label: t("users.form.passwordChosen") },
            ]}
          />
        </Form.Item>
        {mode === "chosen" && (
          <Form.Item name="password" rules={[{ required: true, message: t("password.newRequired") }]} extra={t("password.policy")}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Typography.Text type="secondary">{t("users.form.mustChangeNote")}</Typography.Text>
      </Form>
    </Modal>
  );
}

function AddGrantForm({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<GrantBody>();
  const grant = useGrantRole(userId);
  return (
    <Form<GrantBody>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={(v) =>
        grant.mutate(v.role === "departmentStaff" ? { role: v.role, orgId: v.orgId ?? null } : { role: v.role, areaId: v.areaId ?? null }, {
          onSuccess: () => {
            form.resetFields();
            void message.success(t("users.grant.added"));
          },
          onError: (e) => {
            if (isApiError(e) && e.field && ["role", "areaId", "orgId"].includes(e.field)) form.setFields([{ name: e.field as keyof GrantBody, errors: [describeError(t, e)] }]);
            else void message.error(describeError(t, e));
          },
        })
      }
      data-testid="add-grant-form"
    >
      <GrantFields />
      <Button htmlType="submit" icon={<PlusOutlined />} loading={grant.isPending}>
        {t("users.grant.add")}
      </Button>
    </Form>
  );
}

function UserDrawer({ id, onClose, onSecret }: { id: string | undefined; onClose: () => void; onSecret: (r: PasswordReset, u: AdminUser) => void }) {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useMe();
  const user = useUser(id);
  const u = user.data;
  const manage = u?.abilities.manage === true;
  const sessions = useUserSessions(id, manage);
  const revoke = useRevokeGrant(id ?? "");
  const setDisabled = useSetDisabled(id ?? "");
  const unlock = useUnlockUser(id ?? "");
  const reset = useResetPassword(id ?? "");
  const end = useEndSessions(id ?? "");
  const link = useLinkPerson(id ?? "");
  const [personId, setPersonId] = useState<string | undefined>();
  const fail = (e: unknown) => void message.error(describeError(t, e));

  const askReset = () =>
    modal.confirm({
      title: t("users.reset.title", { name: u?.displayName }),
      content: (
        <Typography.Paragraph>
          {t("users.reset.intro")}
        </Typography.Paragraph>
      ),
      okText: t("users.reset.temporary"),
      cancelText: t("common.cancel"),
      footer: (_, { OkBtn, CancelBtn }) => (
        <Space>
          <CancelBtn />
          <Button
            data-testid="reset-link"
            onClick={() => {
              Modal.destroyAll();
              reset.mutate("link", { onSuccess: (r) => u && onSecret(r, u), onError: fail });
            }}
          >
            {t("users.reset.link")}
          </Button>
          <OkBtn />
        </Space>
      ),
      onOk: () => reset.mutate("temporary", { onSuccess: (r) => u && onSecret(r, u), onError: fail }),
    });

  return (
    <Drawer open={id !== undefined} onClose={onClose} width={560} title={u ? `${u.displayName}（${u.username}）` : t("users.title")} destroyOnHidden data-testid="user-drawer">
      {user.isError && <Alert type="error" showIcon message={describeError(t, user.error)} />}
      {u && (
        <Space direction="vertical" size={16} style={{ width: "100%" }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t("users.col.state")}>
              <StateTags u={u} />
            </Descriptions.Item>
            {u.lockedUntil && (
              <Descriptions.Item label={t("users.lockedUntil")}>
                {chinaTime(u.lockedUntil, i18n.language)}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t("users.failedLogins")}>{u.failedLogins}</Descriptions.Item>
            <Descriptions.Item label={t("users.col.lastSeen")}>{u.lastSeenAt ? chinaTime(u.lastSeenAt, i18n.language) : t("users.never")}</Descriptions.Item>
            <Descriptions.Item label={t("users.person")}>{u.personLinked ? t("users.personLinked") : t("users.personNone")}</Descriptions.Item>
          </Descriptions>

          {manage ? (
            <Space wrap>
              <Button icon={<KeyOutlined />} onClick={askReset} loading={reset.isPending} data-testid="reset-password">
                {t("users.reset.button")}
              </Button>
              {u.lockedUntil && (
                <Button icon={<UnlockOutlined />} onClick={() => unlock.mutate(undefined, { onError: fail, onSuccess: () => void message.success(t("users.unlocked")) })} loading={unlock.isPending}>
                  {t("users.unlock")}
                </Button>
              )}
              {u.disabled ? (
                <Button icon={<UnlockOutlined />} onClick={() => setDisabled.mutate(false, { onError: fail })} loading={setDisabled.isPending} data-testid="enable-user">
                  {t("users.enable")}
                </Button>
              ) : (
                u.id !== me.id && (
                  <Popconfirm title={t("users.disableConfirm")} onConfirm={() => setDisabled.mutate(true, { onError: fail })} okText={t("users.disable")} cancelText={t("common.cancel")}>
                    <Button danger icon={<StopOutlined />} loading={setDisabled.isPending} data-testid="disable-user">
                      {t("users.disable")}
                    </Button>
                  </Popconfirm>
                )
              )}
            </Space>
          ) : (
            <Alert type="info" showIcon message={t("users.notManaged")} />
          )}

          <Card size="small" title={t("users.grants")}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={u.grants}
              columns={[
                { title: t("users.form.role"), render: (_, g) => t(`roles.${g.role}`, { defaultValue: g.roleLabel }) },
                { title: t("users.grantWhere"), render: (_, g) => g.orgName ?? g.areaName },
                {
                  title: "",
                  align: "right",
                  render: (_, g) =>
                    g.revocable && (
                      <Popconfirm title={t("users.grant.revokeConfirm")} onConfirm={() => revoke.mutate(g.id, { onError: fail })} okText={t("users.grant.revoke")} cancelText={t("common.cancel")}>
                        <Button type="link" danger size="small">
                          {t("users.grant.revoke")}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]}
            />
            <div style={{ marginTop: 16 }}>
              <AddGrantForm userId={u.id} />
            </div>
          </Card>

          {manage && (
            <Card size="small" title={t("users.linkPerson")}>
              <Space direction="vertical" style={{ width: "100%" }}>
                <Typography.Text type="secondary">{t("users.linkPersonHelp")}</Typography.Text>
                <PersonIdPicker value={personId} onChange={setPersonId} />
                <Space>
                  <Button
                    disabled={!personId}
                    loading={link.isPending}
                    onClick={() => link.mutate(personId ?? null, { onError: fail, onSuccess: () => void message.success(t("users.personLinkedDone")) })}
                  >
                    {t("users.linkPersonSubmit")}
                  </Button>
                  {u.personLinked && (
                    <Button type="link" onClick={() => link.mutate(null, { onError: fail })}>
                      {t("users.unlinkPerson")}
                    </Button>
                  )}
                </Space>
              </Space>
            </Card>
          )}

          {manage && (
            <Card
              size="small"
              title={t("users.sessions.title")}
              extra={
                (sessions.data?.length ?? 0) > 0 && (
                  <Popconfirm title={t("users.sessions.endAllConfirm")} onConfirm={() => end.mutate(null, { onError: fail })} okText={t("users.sessions.endAll")} cancelText={t("common.cancel")}>
                    <Button size="small" danger icon={<LockOutlined />}>
                      {t("users.sessions.endAll")}
                    </Button>
                  </Popconfirm>
                )
              }
            >
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                loading={sessions.isPending}
                locale={{ emptyText: t("users.sessions.none") }}
                dataSource={sessions.data ?? []}
                columns={[
                  { title: t("users.sessions.created"), render: (_, s) => chinaTime(s.createdAt, i18n.language) },
                  { title: t("users.sessions.lastSeen"), render: (_, s) => chinaTime(s.lastSeenAt, i18n.language) },
                  {
                    title: "",
                    align: "right",
                    render: (_, s) =>
                      s.current ? (
                        <Tag>{t("users.sessions.current")}</Tag>
                      ) : (
                        <Button type="link" size="small" danger onClick={() => end.mutate(s.id, { onError: fail })}>
                          {t("users.sessions.end")}
                        </Button>
                      ),
                  },
                ]}
              />
            </Card>
          )}
        </Space>
      )}
    </Drawer>
  );
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState<UserQuery>({ page: 1, pageSize: 20 });
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();
  const [secret, setSecret] = useState<{ title: string; value: string; note: string } | null>(null);
  const users = useUsers(query);

  const showReset = (r: PasswordReset, u: AdminUser) => {
    if (r.temporaryPassword) setSecret({ title: t("users.secret.temporaryTitle", { name: u.displayName }), value: r.temporaryPassword, note: t("users.secret.temporaryNote") });
    else if (r.resetPath) {
      setSecret({
        title: t("users.secret.linkTitle", { name: u.displayName }),
        value: `${window.location.origin}${r.resetPath}`,
        note: t("users.secret.linkNote", { until: r.expiresAt ? chinaTime(r.expiresAt, i18n.language) : "" }),
      });
    }
  };

  return (
    <div data-testid="users-page">
      <PageHead
        title={t("users.title")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
            {t("users.create.button")}
          </Button>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t("users.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, page: 1 }))}
            style={{ width: 260 }}
            data-testid="users-search"
          />
          <Select<Role | "">
            value={query.role ?? ""}
            style={{ width: 180 }}
            onChange={(v) => setQuery((q) => ({ ...q, role: v || undefined, page: 1 }))}
            options={[{ value: "", label: t("users.allRoles") }, ...staffRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))]}
          />
          <Select<string>
            value={query.disabled === undefined ? (query.locked ? "locked" : "") : query.disabled ? "disabled" : "active"}
            style={{ width: 140 }}
            onChange={(v) => setQuery((q) => ({ ...q, disabled: v === "disabled" ? true : v === "active" ? false : undefined, locked: v === "locked" ? true : undefined, page: 1 }))}
            options={[
              { value: "", label: t("users.allStates") },
              { value: "active", label: t("users.state.active") },
              { value: "disabled", label: t("users.state.disabled") },
              { value: "locked", label: t("users.state.locked") },
            ]}
          />
        </Space>
        {users.isError && <Alert type="error" showIcon message={describeError(t, users.error)} style={{ marginBottom: 12 }} />}
        <Table<AdminUser>
          rowKey="id"
          loading={users.isFetching}
          dataSource={users.data?.items ?? []}
          onRow={(u) => ({ onClick: () => setSelected(u.id), style: { cursor: "pointer" } })}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: users.data?.total ?? 0,
            showTotal: (n) => t("users.total", { count: n }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            {
              title: t("users.col.name"),
              render: (_, u) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{u.displayName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {u.username}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t("users.col.grants"), render: (_, u) => <GrantTags u={u} /> },
            { title: t("users.col.state"), width: 180, render: (_, u) => <StateTags u={u} /> },
            { title: t("users.col.lastSeen"), width: 140, render: (_, u) => (u.lastSeenAt ? chinaTime(u.lastSeenAt, i18n.language) : t("users.never")) },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(u, temp) => {
          setCreating(false);
          setSelected(u.id);
          if (temp) setSecret({ title: t("users.secret.createdTitle", { name: u.displayName }), value: temp, note: t("users.secret.temporaryNote") });
        }}
      />
      <UserDrawer id={selected} onClose={() => setSelected(undefined)} onSecret={showReset} />
      <SecretOnce secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
