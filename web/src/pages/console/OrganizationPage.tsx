import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Descriptions, Empty, Input, Modal, Result, Segmented, Select, Skeleton, Space, Switch, Table, Tag, Typography } from "antd";
import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined, UserAddOutlined } from "@ant-design/icons";
import { describeError, errorCode } from "../../features/errors";
import {
  compareOrganizations,
  useDissolveOrganization,
  useEndPost,
  useOrganization,
  useOrganizations,
  useOrgPosts,
  useUpdateOrganization,
  type Incubation,
  type OrganizationDetail,
  type PostItem,
} from "../../features/orgs/api";
import { AddPostModal, CommitteeSeatModal, CreateOrgModal, DateModal } from "../../features/orgs/forms";
import { PageHead } from "./PageHead";

function RenameModal({ org, open, onClose }: { org: OrganizationDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(org.name);
  const update = useUpdateOrganization(org.id);
  return (
    <Modal
      open={open}
      title={t("orgs.rename")}
      onCancel={onClose}
      okButtonProps={{ disabled: !name.trim() || name.trim() === org.name }}
      confirmLoading={update.isPending}
      onOk={() => update.mutate({ name: name.trim() }, { onSuccess: onClose })}
      afterOpenChange={(o) => o && setName(org.name)}
    >
      <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="org-rename-input" />
      {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** 监督: the body that supervises this one (the residents' committee over the work station). */
function SupervisorField({ org, editable }: { org: OrganizationDetail; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateOrganization(org.id);
  const [editing, setEditing] = useState(false);
  // Candidates: the live bodies of the same area (the community), except this one.
  const bodies = useOrganizations(editing ? org.areaId : undefined, false);
  const candidates = (bodies.data ?? []).filter((o) => o.id !== org.id && !o.party);
  if (!editing) {
    return (
      <Space size={4}>
        {org.supervisor ? <Link to={`/console/organizations/${org.supervisor.id}`}>{org.supervisor.name}</Link> : <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
        {editable && <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} aria-label={t("orgs.supervisor.edit")} />}
      </Space>
    );
  }
  return (
    <Space wrap>
      <Select<string>
        style={{ minWidth: 220 }}
        loading={bodies.isPending}
        allowClear
        defaultValue={org.supervisor?.id}
        placeholder={t("orgs.supervisor.none")}
        options={candidates.map((o) => ({ value: o.id, label: `${o.name}（${t(`org.kind.${o.kind}`, { defaultValue: o.kindLabel })}）` }))}
        onChange={(v) =>
          update.mutate(
            { supervisorId: v ?? null },
            {
              onSuccess: () => {
                setEditing(false);
                void message.success(t("orgs.saved"));
              },
              onError: (e) => void message.error(describeError(t, e)),
            },
          )
        }
        data-testid="org-supervisor-select"
      />
      <Button size="small" onClick={() => setEditing(false)}>
        {t("common.cancel")}
      </Button>
    </Space>
  );
}

function IncubationField({ org, editable }: { org: OrganizationDetail; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateOrganization(org.id);
  const value = org.incubation ?? "incubating";
  if (!editable) return <Tag color={value === "graduated" ? "green" : "gold"}>{t(`orgs.incubation.${value}`)}</Tag>;
  return (
    <Segmented<Incubation>
      value={value}
      disabled={update.isPending}
      options={[
        { value: "incubating", label: t("orgs.incubation.incubating") },
        { value: "graduated", label: t("orgs.incubation.graduated") },
      ]}
      onChange={(v) => update.mutate({ incubation: v }, { onError: (e) => void message.error(describeError(t, e)) })}
      data-testid="org-incubation"
    />
  );
}

function PostsCard({ org, manage }: { org: OrganizationDetail; manage: boolean }) {
  const { t } = useTranslation();
  const [includeEnded, setIncludeEnded] = useState(false);
  const posts = useOrgPosts(org.id, includeEnded);
  const [adding, setAdding] = useState(false);
  const [seating, setSeating] = useState(false);
  const [ending, setEnding] = useState<PostItem | null>(null);
  const end = useEndPost();
  const isCommittee = org.kind === "communityPartyCommittee";
  const units = org.children.filter((c) => c.kind === "coBuildingUnit");
  const live = !org.dissolvedOn;

  return (
    <Card
      size="small"
      title={t("orgs.posts.title")}
      data-testid="org-posts"
    >
      <div style={{ display: "flex", justifyContent: "flex-end", marginBottom: 12 }}>
        <Space wrap>
          <label className="gz-map-toggle">
            <Switch size="small" checked={includeEnded} onChange={setIncludeEnded} />
            <span>{t("orgs.posts.includeEnded")}</span>
          </label>
          {manage && live && isCommittee && (
            <Button icon={<TeamOutlined />} onClick={() => setSeating(true)} data-testid="seat-open">
              {t("orgs.seat.open")}
            </Button>
          )}
          {manage && live && (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setAdding(true)} data-testid="post-add-open">
              {t("orgs.posts.add")}
            </Button>
          )}
        </Space>
      </div>
      {posts.isError ? (
        <Alert type="error" showIcon message={describeError(t, posts.error)} />
      ) : (
        <Table<PostItem>
          size="small"
          rowKey="id"
          loading={posts.isPending}
          dataSource={posts.data ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("orgs.posts.empty")} /> }}
          columns={[
            {
              title: t("orgs.posts.person"),
              key: "person",
              // Seat holders without a household (e.g. from a co-building unit) are readable through their posts too.
              render: (_: unknown, p) => (
                <Space size={4} wrap>
                  {p.personId ? <Link to={`/console/persons/${p.personId}`}>{p.personName}</Link> : <span>{p.personName}</span>}
                  {!p.personInRegistry && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("cross.notResident")}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: t("orgs.posts.title"),
              key: "title",
              render: (_: unknown, p) => (
                <Space size={4}>
                  {p.title}
                  {p.partTime && (
                    <Tag bordered={false} color="purple">
                      {t("orgs.posts.partTimeTag")}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t("orgs.posts.startedOn"), dataIndex: "startedOn", render: (v: string | null) => v ?? "—" },
            {
              title: t("orgs.posts.endedOn"),
              dataIndex: "endedOn",
              render: (v: string | null) => (v ? v : <Tag color="green" bordered={false}>{t("orgs.posts.current")}</Tag>),
            },
            ...(manage
              ? [
                  {
                    title: "",
                    key: "actions",
                    width: 96,
                    render: (_: unknown, p: PostItem) =>
                      p.endedOn ? null : (
                        <Button size="small" onClick={() => setEnding(p)} data-testid="post-end-open">
                          {t("orgs.posts.end")}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <AddPostModal open={adding} onClose={() => setAdding(false)} orgId={org.id} orgName={org.name} />
      {isCommittee && <CommitteeSeatModal open={seating} onClose={() => setSeating(false)} committeeId={org.id} units={units} />}
      <DateModal
        open={ending !== null}
        title={t("orgs.posts.endTitle", { name: ending?.personName ?? "", title: ending?.title ?? "" })}
        okText={t("orgs.posts.end")}
        pending={end.isPending}
        error={end.error}
        onClose={() => {
          setEnding(null);
          end.reset();
        }}
        onSubmit={(endedOn) => ending && end.mutate({ postId: ending.id, endedOn }, { onSuccess: () => setEnding(null) })}
        testId="post-end-dialog"
      />
    </Card>
  );
}

/** 组织详情: a body, its place in the tree, its posts, and what the person may change. */
export function OrganizationPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const org = useOrganization(id);
  const [renaming, setRenaming] = useState(false);
  const [creating, setCreating] = useState(false);
  const [dissolving, setDissolving] = useState(false);
  const dissolve = useDissolveOrganization(id ?? "");

  if (org.isError) {
    return errorCode(org.error) === "not_found" ? (
      <Result status="404" title={t("orgs.notFound")} subTitle={t("errors.not_found")} />
    ) : (
      <Alert type="error" showIcon message={describeError(t, org.error)} />
    );
  }
  if (!org.data || !id) return <Skeleton active />;
  const o = org.data;
  const manage = o.abilities.manage;
  const blocked = o.children.length > 0;

  return (
    <div data-testid="organization-page">
      <PageHead
        back
        title={
          <Space size={8} wrap>
            <span data-testid="org-name">{o.name}</span>
            <Tag color={o.party ? "red" : "blue"} bordered={false}>
              {t(`org.kind.${o.kind}`, { defaultValue: o.kindLabel })}
            </Tag>
            {o.dissolvedOn && <Tag color="default">{t("orgs.dissolvedOn", { date: o.dissolvedOn })}</Tag>}
          </Space>
        }
        crumbs={[
          { key: "orgs", label: t("org.title"), to: "/console/organizations" },
          ...(o.parent ? [{ key: "parent", label: o.parent.name, to: `/console/organizations/${o.parent.id}` }] : []),
          { key: "self", label: o.name },
        ]}
        extra={
          manage ? (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setRenaming(true)} data-testid="org-rename">
                {t("orgs.rename")}
              </Button>
              {o.childKinds.length > 0 && (
                <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="org-add-child">
                  {t("orgs.addChild")}
                </Button>
              )}
              <Button danger icon={<DeleteOutlined />} onClick={() => setDissolving(true)} data-testid="org-dissolve">
                {t("orgs.dissolve")}
              </Button>
            </Space>
          ) : undefined
        }
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {o.dissolvedOn && <Alert type="info" showIcon message={t("orgs.dissolvedNotice", { date: o.dissolvedOn })} />}
        <Card size="small" title={t("orgs.basics")}>
          <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered styles={{ label: { whiteSpace: "nowrap" } }}>
            <Descriptions.Item label={t("orgs.fields.kind")}>{t(`org.kind.${o.kind}`, { defaultValue: o.kindLabel })}</Descriptions.Item>
            <Descriptions.Item label={t("orgs.fields.area")}>
              {o.areaLevel === "grid" ? <Link to={`/console/grids/${o.areaId}`}>{o.areaName}</Link> : <Link to={`/console/areas/${o.areaId}`}>{o.areaName}</Link>}
            </Descriptions.Item>
            <Descriptions.Item label={t("orgs.fields.parent")}>
              {o.parent ? <Link to={`/console/organizations/${o.parent.id}`}>{o.parent.name}</Link> : t("common.none")}
            </Descriptions.Item>
            {o.party ? (
              <Descriptions.Item label={t("org.memberCount")}>
                <Link to={`/console/party/members?areaId=${o.areaId}`}>{t("org.members", { count: o.memberCount })}</Link>
              </Descriptions.Item>
            ) : (
              <Descriptions.Item label={t("orgs.fields.supervisor")}>
                <SupervisorField org={o} editable={manage} />
              </Descriptions.Item>
            )}
            {o.kind === "socialOrg" && (
              <Descriptions.Item label={t("orgs.fields.incubation")}>
                <IncubationField org={o} editable={manage} />
              </Descriptions.Item>
            )}
            {o.supervises.length > 0 && (
              <Descriptions.Item label={t("orgs.fields.supervises")} span="filled">
                <Space size={[4, 4]} wrap>
                  {o.supervises.map((s) => (
                    <Link key={s.id} to={`/console/organizations/${s.id}`}>
                      <Tag>{s.name}</Tag>
                    </Link>
                  ))}
                </Space>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <PostsCard org={o} manage={manage} />
        <Card size="small" title={t("orgs.children", { count: o.children.length })} data-testid="org-children">
          {o.children.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("orgs.noChildren")} />
          ) : (
            <Table
              size="small"
              rowKey="id"
              pagination={o.children.length > 20 ? { pageSize: 20 } : false}
              dataSource={[...o.children].sort((a, b) => compareOrganizations({ ...a, party: a.kind.includes("Party") }, { ...b, party: b.kind.includes("Party") }))}
              columns={[
                { title: t("orgs.fields.name"), key: "name", render: (_: unknown, c) => <Link to={`/console/organizations/${c.id}`}>{c.name}</Link> },
                { title: t("orgs.fields.kind"), key: "kind", render: (_: unknown, c) => t(`org.kind.${c.kind}`, { defaultValue: c.kindLabel }) },
                { title: t("org.memberCount"), dataIndex: "memberCount", align: "right" as const, width: 72 },
              ]}
            />
          )}
        </Card>
      </Space>
      {manage && (
        <>
          <RenameModal org={o} open={renaming} onClose={() => setRenaming(false)} />
          <CreateOrgModal
            open={creating}
            onClose={() => setCreating(false)}
            orgs={[{ id: o.id, parentId: o.parent?.id ?? null, kind: o.kind, kindLabel: o.kindLabel, party: o.party, name: o.name, areaId: o.areaId, areaName: o.areaName, memberCount: o.memberCount, incubation: o.incubation }]}
            baseAreaId={o.areaId}
            presetParent={{ id: o.id, parentId: o.parent?.id ?? null, kind: o.kind, kindLabel: o.kindLabel, party: o.party, name: o.name, areaId: o.areaId, areaName: o.areaName, memberCount: o.memberCount, incubation: o.incubation }}
            onCreated={(newId) => void navigate(`/console/organizations/${newId}`)}
          />
          <DateModal
            open={dissolving}
            title={t("orgs.dissolveTitle", { name: o.name })}
            note={blocked ? t("orgs.dissolveBlocked", { count: o.children.length }) : t("orgs.dissolveNote")}
            okText={t("orgs.dissolve")}
            danger
            pending={dissolve.isPending}
            error={dissolve.error}
            onClose={() => {
              setDissolving(false);
              dissolve.reset();
            }}
            onSubmit={(dissolvedOn) => dissolve.mutate({ dissolvedOn }, { onSuccess: () => setDissolving(false) })}
            testId="org-dissolve-dialog"
          />
        </>
      )}
    </div>
  );
}
