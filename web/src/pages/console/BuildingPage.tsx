import { useCallback, useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Result, Select, Skeleton, Space, Table, Tag, Typography } from "antd";
import { DeleteOutlined, EditOutlined, HomeOutlined, PlusOutlined } from "@ant-design/icons";
import { describeError, errorCode } from "../../features/errors";
import { useArea, useAreaGeoJson } from "../../features/areas/api";
import { gridAt, PointPickerMap } from "../../features/places/PointPickerMap";
import "../../features/places/places.css";
import {
  useBuilding,
  useCreateDwelling,
  useCreateUnit,
  useDeleteBuilding,
  useDeleteDwelling,
  useDeleteUnit,
  useRenameUnit,
  useUpdateBuilding,
  useUpdateDwelling,
  type BuildingDetail,
  type DwellingCell,
} from "../../features/places/api";
import { NewHouseholdDialog } from "../../features/people/households/NewHouseholdDialog";
import { PageHead } from "./PageHead";

type Dialog = "edit" | "unit" | "dwelling" | "household" | null;

/** 面积 of a dwelling as people write it: 89.5㎡. */
const areaText = (m2: number) => `${Number(m2.toFixed(2))}㎡`;

/** 修改面积: a dwelling's floor area, or none (cleared). */
function FloorAreaDialog({ dwelling, onClose }: { dwelling: DwellingCell; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ floorAreaM2: number | null }>();
  const update = useUpdateDwelling();
  return (
    <Modal
      open
      title={t("places.editFloorArea", { room: dwelling.roomNo })}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ floorAreaM2: dwelling.floorAreaM2 }}
        onFinish={(v) =>
          update.mutate(
            { id: dwelling.id, floorAreaM2: v.floorAreaM2 ?? null },
            {
              onSuccess: () => {
                void message.success(t("places.saved"));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="floorAreaM2" label={t("places.floorArea")} extra={t("places.floorAreaHint")}>
          <InputNumber min={0.01} max={100000} step={0.5} style={{ width: 180 }} addonAfter="m²" data-testid="floor-area-input" />
        </Form.Item>
        {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} />}
      </Form>
    </Modal>
  );
}

/** 重命名单元 */
function RenameUnitDialog({ unit, onClose }: { unit: { id: string; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const rename = useRenameUnit();
  return (
    <Modal open title={t("places.renameUnit")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => form.submit()} onCancel={onClose} confirmLoading={rename.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: unit.name }}
        onFinish={(v) => {
          const name = v.name.trim();
          if (name === unit.name) return onClose();
          rename.mutate(
            { id: unit.id, name },
            {
              onSuccess: () => {
                void message.success(t("places.saved"));
                onClose();
              },
            },
          );
        }}
      >
        <Form.Item name="name" label={t("places.unitName")} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} data-testid="unit-name-input" />
        </Form.Item>
        {rename.isError && <Alert type="error" showIcon message={describeError(t, rename.error)} />}
      </Form>
    </Modal>
  );
}

interface FloorRow {
  floor: number;
  cells: Record<string, DwellingCell[]>;
}

/** One unit's dwellings on one floor: room numbers, who lives there, and deleting an empty room. */
function DwellingCellView({
  cells,
  canEdit,
  canAddHousehold,
  onAddHousehold,
  onEditArea,
}: {
  cells: DwellingCell[];
  canEdit: boolean;
  canAddHousehold: boolean;
  onAddHousehold: (dwellingId: string) => void;
  onEditArea: (dwelling: DwellingCell) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const remove = useDeleteDwelling();
  if (cells.length === 0) return <Typography.Text type="secondary">·</Typography.Text>;
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      {cells.map((d) => (
        <div key={d.id} className="gz-dwelling" data-testid="building-dwelling">
          <Space size={4} wrap>
            <Tag bordered={false} color={d.households.length > 0 ? "blue" : "default"} style={{ marginInlineEnd: 0 }}>
              {t("places.room", { room: d.roomNo })}
            </Tag>
            {canEdit ? (
              <Button
                type="text"
                size="small"
                className="gz-dwelling-area"
                title={t("places.editFloorArea", { room: d.roomNo })}
                onClick={() => onEditArea(d)}
                data-testid="dwelling-area"
              >
                {d.floorAreaM2 !== null ? areaText(d.floorAreaM2) : t("places.setFloorArea")}
              </Button>
            ) : (
              d.floorAreaM2 !== null && <Typography.Text type="secondary">{areaText(d.floorAreaM2)}</Typography.Text>
            )}
            {d.households.length === 0 ? (
              <>
                <Typography.Text type="secondary">{t("places.vacant")}</Typography.Text>
                {canAddHousehold && (
                  <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onAddHousehold(d.id)}>
                    {t("places.addHouseholdHere")}
                  </Button>
                )}
                {canEdit && (
                  <Popconfirm
                    title={t("places.deleteDwellingConfirm", { room: d.roomNo })}
                    okText={t("places.delete")}
                    cancelText={t("common.cancel")}
                    onConfirm={() => remove.mutate(d.id, { onError: (e) => void message.error(describeError(t, e)) })}
                  >
                    <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t("places.delete")} />
                  </Popconfirm>
                )}
              </>
            ) : (
              d.households.map((h) => (
                <Link key={h.id} to={`/console/households/${h.id}`} data-testid="building-household">
                  {t("places.householdCell", { head: h.headName, count: h.size })}
                </Link>
              ))
            )}
          </Space>
        </div>
      ))}
    </Space>
  );
}

function EditBuildingDialog({ building, open, onClose }: { building: BuildingDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ name: string; floors: number; lng: number; lat: number }>();
  const update = useUpdateBuilding(building.id);
  const geojson = useAreaGeoJson(open ? building.communityId : undefined);
  const lng = Form.useWatch("lng", form) ?? building.lng;
  const lat = Form.useWatch("lat", form) ?? building.lat;
  const point = useMemo(() => (typeof lng === "number" && typeof lat === "number" ? { lng, lat } : null), [lng, lat]);
  const grid = gridAt(geojson.data, point);
  const pick = useCallback((p: { lng: number; lat: number }) => form.setFieldsValue(p), [form]);
  const submit = (v: { name: string; floors: number; lng: number; lat: number }) => {
    const moved = v.lng !== building.lng || v.lat !== building.lat;
    update.mutate(
      {
        ...(v.name.trim() !== building.name ? { name: v.name.trim() } : {}),
        ...(v.floors !== building.floors ? { floors: v.floors } : {}),
        ...(moved ? { lng: v.lng, lat: v.lat } : {}),
      },
      {
        onSuccess: (r) => {
          onClose();
          if (r.regrid) {
            modal.info({
              title: t("places.regridTitle", { grid: r.gridName }),
              content: t(r.regrid.redGridPinnedKept > 0 ? "places.regridPinned" : "places.regrid", {
                households: r.regrid.households,
                dropped: r.regrid.redGridDropped,
                pinned: r.regrid.redGridPinnedKept,
              }),
            });
          } else void message.success(t("places.saved"));
        },
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t("places.editBuilding")}
      width={640}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ name: building.name, floors: building.floors, lng: building.lng, lat: building.lat }} onFinish={submit}>
        <Form.Item name="name" label={t("places.buildingName")} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="floors" label={t("places.floors")} rules={[{ required: true }]}>
          <InputNumber min={1} max={200} precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item name="lng" label={t("places.lng")} rules={[{ required: true }]}>
            <InputNumber min={-180} max={180} step={0.0001} precision={6} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="lat" label={t("places.lat")} rules={[{ required: true }]}>
            <InputNumber min={-90} max={90} step={0.0001} precision={6} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary">{t("places.pointHint")}</Typography.Paragraph>
        <PointPickerMap data={geojson.data} point={point} onPick={pick} height={260} testId="edit-building-map" />
        <Typography.Paragraph type={grid ? "secondary" : "warning"} style={{ marginTop: 4 }}>
          {grid ? t("places.pointGrid", { grid: grid.name }) : point ? t("places.pointOutsideShort") : null}
        </Typography.Paragraph>
        {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} />}
      </Form>
    </Modal>
  );
}

function AddUnitDialog({ building, open, onClose }: { building: BuildingDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const create = useCreateUnit(building.id);
  return (
    <Modal open={open} title={t("places.addUnit")} okText={t("places.add")} cancelText={t("common.cancel")} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: `${building.units.length + 1}单元` }}
        onFinish={(v) =>
          create.mutate(
            { name: v.name.trim() },
            {
              onSuccess: () => {
                void message.success(t("places.saved"));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="name" label={t("places.unitName")} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        {create.isError && <Alert type="error" showIcon message={describeError(t, create.error)} />}
      </Form>
    </Modal>
  );
}

function AddDwellingDialog({ building, open, onClose }: { building: BuildingDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ unitId: string; floor: number; roomNo: string; floorAreaM2?: number | null }>();
  const create = useCreateDwelling();
  return (
    <Modal open={open} title={t("places.addDwelling")} okText={t("places.add")} cancelText={t("common.cancel")} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ unitId: building.units[0]?.id, floor: 1 }}
        onFinish={(v) =>
          create.mutate(
            { unitId: v.unitId, floor: v.floor, roomNo: v.roomNo.trim(), ...(v.floorAreaM2 ? { floorAreaM2: v.floorAreaM2 } : {}) },
            {
              onSuccess: () => {
                void message.success(t("places.saved"));
                form.setFieldsValue({ roomNo: "" });
              },
            },
          )
        }
      >
        <Form.Item name="unitId" label={t("places.unit")} rules={[{ required: true }]}>
          <Select options={building.units.map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item name="floor" label={t("places.floor")} rules={[{ required: true }]} extra={t("places.floorHint", { floors: building.floors })}>
            <InputNumber min={1} max={200} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="roomNo" label={t("places.roomNo")} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={20} style={{ width: 140 }} placeholder="502" />
          </Form.Item>
          <Form.Item name="floorAreaM2" label={t("places.floorArea")}>
            <InputNumber min={1} max={100000} step={0.5} style={{ width: 140 }} addonAfter="m²" />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary">{t("places.addDwellingHint")}</Typography.Paragraph>
        {create.isError && <Alert type="error" showIcon message={describeError(t, create.error)} />}
      </Form>
    </Modal>
  );
}

/** 楼栋: the units × floors table of dwellings and who lives there, the building heads, and the edits. */
export function BuildingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const building = useBuilding(id);
  const community = useArea(building.data?.communityId);
  const removeUnit = useDeleteUnit();
  const removeBuilding = useDeleteBuilding(id ?? "");
  const [dialog, setDialog] = useState<Dialog>(null);
  const [householdDwelling, setHouseholdDwelling] = useState<string>();
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [areaOf, setAreaOf] = useState<DwellingCell | null>(null);

  const rowsByFloor = useMemo<FloorRow[]>(() => {
    const b = building.data;
    if (!b) return [];
    const top = Math.max(b.floors, ...b.units.flatMap((u) => u.dwellings.map((d) => d.floor)));
    const out: FloorRow[] = [];
    for (let floor = top; floor >= 1; floor--) {
      const cells: Record<string, DwellingCell[]> = {};
      for (const u of b.units) cells[u.id] = u.dwellings.filter((d) => d.floor === floor);
      out.push({ floor, cells });
    }
    return out.filter((r) => Object.values(r.cells).some((c) => c.length > 0));
  }, [building.data]);

  if (building.isError) {
    return errorCode(building.error) === "not_found" ? (
      <Result status="404" title={t("places.notFoundTitle")} subTitle={t("errors.not_found")} />
    ) : (
      <Alert type="error" showIcon message={describeError(t, building.error)} />
    );
  }
  if (!building.data || !id) return <Skeleton active />;
  const b = building.data;
  const canEdit = Boolean(b.abilities.edit);
  const canAddHousehold = Boolean(b.abilities.editHouseholds);
  const dwellingOptions = b.units.flatMap((u) => u.dwellings.map((d) => ({ id: d.id, label: `${u.name} ${t("places.room", { room: d.roomNo })}${d.households.length > 0 ? ` · ${t("places.occupied")}` : ""}` })));

  const openHousehold = (dwellingId?: string) => {
    setHouseholdDwelling(dwellingId);
    setDialog("household");
  };

  return (
    <div data-testid="building-page">
      <PageHead
        back
        title={
          <Space size={8}>
            <HomeOutlined />
            <span data-testid="building-title">
              {b.compoundName} {b.name}
            </span>
          </Space>
        }
        crumbs={[
          ...(community.data ? [{ key: b.communityId, label: community.data.area.name, to: `/console/areas/${b.communityId}` }] : []),
          { key: b.gridId, label: b.gridName, to: `/console/grids/${b.gridId}` },
          { key: b.id, label: b.name },
        ]}
        extra={
          <Space wrap>
            {canAddHousehold && (
              <Button type="primary" icon={<PlusOutlined />} disabled={dwellingOptions.length === 0} onClick={() => openHousehold()} data-testid="building-add-household">
                {t("places.addHousehold")}
              </Button>
            )}
            {canEdit && (
              <>
                <Button onClick={() => setDialog("dwelling")} disabled={b.units.length === 0} data-testid="building-add-dwelling">
                  {t("places.addDwelling")}
                </Button>
                <Button onClick={() => setDialog("unit")} data-testid="building-add-unit">
                  {t("places.addUnit")}
                </Button>
                <Button onClick={() => setDialog("edit")} data-testid="building-edit">
                  {t("places.editBuilding")}
                </Button>
              </>
            )}
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {!b.masked && <Alert type="info" showIcon message={t("places.clearNotice")} />}
        <Card size="small" title={t("places.buildingInfo")}>
          <Descriptions column={{ xs: 1, sm: 2, md: 3, lg: 3, xl: 4, xxl: 4 }} size="small" bordered styles={{ label: { whiteSpace: "nowrap" } }}>
            <Descriptions.Item label={t("places.compound")}>{b.compoundName}</Descriptions.Item>
            <Descriptions.Item label={t("household.grid")}>
              <Link to={`/console/grids/${b.gridId}`}>{b.gridName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("places.floors")}>{t("places.floorsValue", { count: b.floors })}</Descriptions.Item>
            <Descriptions.Item label={t("places.counts")}>
              {t("places.countsValue", { units: b.unitCount, dwellings: b.dwellingCount, households: b.householdCount })}
            </Descriptions.Item>
            <Descriptions.Item label={t("places.buildingHead")} span="filled">
              {b.buildingHeads.length === 0 ? (
                <Typography.Text type="warning" data-testid="building-no-head">
                  {t("places.noBuildingHead")}
                </Typography.Text>
              ) : (
                <Space size={12} wrap data-testid="building-heads">
                  {b.buildingHeads.map((p) => (
                    <Link key={p.personId} to={`/console/persons/${p.personId}`}>
                      {p.name}
                    </Link>
                  ))}
                </Space>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t("places.location")} span="filled">
              <Typography.Text type="secondary">
                {b.lng.toFixed(6)}, {b.lat.toFixed(6)}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card size="small" title={t("places.dwellingTable")} data-testid="building-table">
          {b.units.length === 0 ? (
            <Empty description={t("places.noUnits")}>
              {canEdit && (
                <Space>
                  <Button type="primary" onClick={() => setDialog("unit")}>
                    {t("places.addUnit")}
                  </Button>
                  <Popconfirm
                    title={t("places.deleteBuildingConfirm")}
                    okText={t("places.delete")}
                    cancelText={t("common.cancel")}
                    onConfirm={() =>
                      removeBuilding.mutate(undefined, {
                        onSuccess: () => void navigate(`/console/grids/${b.gridId}`),
                        onError: (e) => void message.error(describeError(t, e)),
                      })
                    }
                  >
                    <Button danger>{t("places.deleteBuilding")}</Button>
                  </Popconfirm>
                </Space>
              )}
            </Empty>
          ) : (
            <Table<FloorRow>
              size="small"
              bordered
              rowKey="floor"
              dataSource={rowsByFloor}
              pagination={false}
              scroll={{ x: 72 + b.units.length * 220 }}
              locale={{ emptyText: t("places.noDwellings") }}
              columns={[
                { title: t("places.floor"), dataIndex: "floor", width: 72, fixed: "left", align: "center", render: (f: number) => t("places.floorLabel", { floor: f }) },
                ...b.units.map((u) => ({
                  key: u.id,
                  title: (
                    <Space size={4}>
                      <span data-testid="unit-name">{u.name}</span>
                      {canEdit && (
                        <Button type="text" size="small" icon={<EditOutlined />} aria-label={t("places.renameUnit")} title={t("places.renameUnit")} onClick={() => setRenaming(u)} data-testid="unit-rename" />
                      )}
                      {canEdit && u.dwellings.length === 0 && (
                        <Popconfirm
                          title={t("places.deleteUnitConfirm", { name: u.name })}
                          okText={t("places.delete")}
                          cancelText={t("common.cancel")}
                          onConfirm={() => removeUnit.mutate(u.id, { onError: (e) => void message.error(describeError(t, e)) })}
                        >
                          <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t("places.delete")} />
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                  // Few units share the width; many keep a readable width and the table scrolls.
                  ...(b.units.length > 3 ? { width: 220 } : {}),
                  render: (_: unknown, row: FloorRow) => (
                    <DwellingCellView cells={row.cells[u.id] ?? []} canEdit={canEdit} canAddHousehold={canAddHousehold} onAddHousehold={openHousehold} onEditArea={setAreaOf} />
                  ),
                })),
              ]}
            />
          )}
        </Card>
      </Space>
      {dialog === "edit" && <EditBuildingDialog building={b} open onClose={() => setDialog(null)} />}
      {dialog === "unit" && <AddUnitDialog building={b} open onClose={() => setDialog(null)} />}
      {dialog === "dwelling" && <AddDwellingDialog building={b} open onClose={() => setDialog(null)} />}
      {renaming && <RenameUnitDialog unit={renaming} onClose={() => setRenaming(null)} />}
      {areaOf && <FloorAreaDialog dwelling={areaOf} onClose={() => setAreaOf(null)} />}
      {dialog === "household" && <NewHouseholdDialog dwellings={dwellingOptions} initialDwellingId={householdDwelling} open onClose={() => setDialog(null)} />}
    </div>
  );
}
