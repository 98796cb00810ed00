import { useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Table, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { describeError } from "../errors";
import { useMe } from "../auth/session";
import type { AreaResponse } from "../areas/types";
import { useBuildings, useCompounds, useCreateCompound, useDeleteCompound, useUpdateCompound, type Compound } from "./api";
import { AddBuildingDrawer } from "./AddBuildingDrawer";

/** Roles that register and change places (the server decides; this only hides buttons it would refuse). */
const placeEditorRoles = new Set(["communityWorker", "communitySecretary", "streetAdmin"]);

/** The buildings of one compound, each opening its building page. */
function CompoundBuildings({ compoundId }: { compoundId: string }) {
  const { t } = useTranslation();
  const buildings = useBuildings({ compoundId });
  if (buildings.isError) return <Alert type="warning" showIcon message={describeError(t, buildings.error)} />;
  if (buildings.isPending) return <Typography.Text type="secondary">{t("common.loading")}</Typography.Text>;
  if (buildings.data.length === 0) return <Typography.Text type="secondary">{t("places.compoundNoBuildings")}</Typography.Text>;
  return (
    <Space size={[12, 4]} wrap data-testid="compound-buildings">
      {buildings.data.map((b) => (
        <Link key={b.id} to={`/console/buildings/${b.id}`}>
          {b.name}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {" "}
            {t("places.buildingBrief", { grid: b.gridName, households: b.householdCount })}
          </Typography.Text>
        </Link>
      ))}
    </Space>
  );
}

function NewCompoundDialog({ communityId, open, onClose }: { communityId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; address: string }>();
  const create = useCreateCompound();
  return (
    <Modal
      open={open}
      title={t("places.newCompound")}
      okText={t("places.add")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) =>
          create.mutate(
            { communityId, name: v.name.trim(), address: v.address.trim() },
            {
              onSuccess: (c) => {
                void message.success(t("places.compoundAdded", { name: c.name }));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="name" label={t("places.compoundName")} rules={[{ required: true, whitespace: true, message: t("places.compoundNameRule") }]}>
          <Input maxLength={60} placeholder={t("places.compoundNamePlaceholder")} data-testid="new-compound-name" />
        </Form.Item>
        <Form.Item name="address" label={t("places.compoundAddress")} rules={[{ required: true, whitespace: true, message: t("places.compoundAddressRule") }]}>
          <Input maxLength={200} placeholder={t("places.compoundAddressPlaceholder")} data-testid="new-compound-address" />
        </Form.Item>
        {create.isError && <Alert type="error" showIcon message={describeError(t, create.error)} />}
      </Form>
    </Modal>
  );
}

/**
 * 小区（院落）: the compounds of a community — register one, rename it or correct its address in
 * place, delete an empty one, and add a building to it by clicking its point on the map.
 */
export function CommunityCompounds({ community }: { community: AreaResponse }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const communityId = community.area.id;
  const compounds = useCompounds(communityId);
  const update = useUpdateCompound();
  const remove = useDeleteCompound();
  const [creating, setCreating] = useState(false);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const [buildingOpen, setBuildingOpen] = useState(false);
  // Editors of this community: a grant on it or on an area above it.
  const above = new Set([communityId, ...community.ancestors.map((a) => a.id)]);
  const mayCreate = me.grants.some((g) => placeEditorRoles.has(g.role) && g.areaId !== null && above.has(g.areaId));
  const list = compounds.data ?? [];

  const save = (c: Compound, field: "name" | "address", value: string) => {
    const v = value.trim();
    if (v === "" || v === c[field]) return;
    update.mutate(
      { id: c.id, [field]: v },
      {
        onSuccess: () => void message.success(t("places.saved")),
        onError: (e) => void message.error(describeError(t, e)),
      },
    );
  };
  const openBuilding = (compoundId: string | null) => {
    setAddingTo(compoundId);
    setBuildingOpen(true);
  };

  return (
    <Card
      size="small"
      title={t("places.compoundsTitle", { count: list.length })}
      data-testid="community-compounds"
      extra={
        mayCreate ? (
          <Space size={8} wrap>
            <Button size="small" disabled={list.length === 0} onClick={() => openBuilding(null)} data-testid="open-add-building">
              {t("places.addBuilding")}
            </Button>
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="open-new-compound">
              {t("places.newCompound")}
            </Button>
          </Space>
        ) : undefined
      }
    >
      {compounds.isError ? (
        <Alert type="warning" showIcon message={describeError(t, compounds.error)} />
      ) : (
        <Table<Compound>
          size="small"
          rowKey="id"
          loading={compounds.isPending}
          dataSource={list}
          pagination={list.length > 10 ? { pageSize: 10, size: "small", showSizeChanger: false } : false}
          scroll={{ x: 560 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("places.noCompounds")} /> }}
          expandable={{ expandedRowRender: (c) => <CompoundBuildings compoundId={c.id} />, rowExpandable: (c) => c.buildingCount > 0 }}
          columns={[
            {
              title: t("places.compoundName"),
              dataIndex: "name",
              width: 200,
              render: (name: string, c) => (
                <Typography.Text
                  strong
                  editable={c.abilities?.edit ? { onChange: (v) => save(c, "name", v), maxLength: 60, triggerType: ["icon"], tooltip: t("places.rename") } : false}
                  data-testid="compound-name"
                >
                  {name}
                </Typography.Text>
              ),
            },
            {
              title: t("places.compoundAddress"),
              dataIndex: "address",
              render: (address: string, c) => (
                <Typography.Text editable={c.abilities?.edit ? { onChange: (v) => save(c, "address", v), maxLength: 200, triggerType: ["icon"], tooltip: t("places.editAddress") } : false}>
                  {address}
                </Typography.Text>
              ),
            },
            { title: t("places.buildingCount"), dataIndex: "buildingCount", width: 80, align: "right" },
            {
              key: "actions",
              width: 130,
              align: "right",
              render: (_: unknown, c) =>
                c.abilities?.edit ? (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => openBuilding(c.id)} data-testid="compound-add-building">
                      {t("places.addBuildingShort")}
                    </Button>
                    {c.buildingCount === 0 && (
                      <Popconfirm
                        title={t("places.deleteCompoundConfirm", { name: c.name })}
                        okText={t("places.delete")}
                        cancelText={t("common.cancel")}
                        onConfirm={() => remove.mutate(c.id, { onError: (e) => void message.error(describeError(t, e)) })}
                      >
                        <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t("places.delete")} />
                      </Popconfirm>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
      {creating && <NewCompoundDialog communityId={communityId} open onClose={() => setCreating(false)} />}
      {buildingOpen && (
        <AddBuildingDrawer communityId={communityId} compounds={list} compoundId={addingTo ?? undefined} open onClose={() => setBuildingOpen(false)} />
      )}
    </Card>
  );
}
