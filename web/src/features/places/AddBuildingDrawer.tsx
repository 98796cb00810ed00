import { useCallback, useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Drawer, Form, Grid, Input, InputNumber, Select, Space, Typography } from "antd";
import { AimOutlined } from "@ant-design/icons";
import { describeError } from "../errors";
import { useAreaGeoJson } from "../areas/api";
import { useBuildings, useCreateBuilding, type Compound } from "./api";
import { gridAt, PointPickerMap, type PickedPoint } from "./PointPickerMap";

interface Values {
  compoundId: string;
  name: string;
  floors: number;
}

/**
 * 添加楼栋: choose the compound, name the building, and click where it stands on the map of the
 * community's grids — the point decides the grid (the server checks it). Opens the new building.
 */
export function AddBuildingDrawer({
  communityId,
  compounds,
  compoundId,
  open,
  onClose,
}: {
  communityId: string;
  compounds: readonly Compound[];
  compoundId: string | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const chosenCompound = Form.useWatch("compoundId", form) ?? compoundId;
  const [point, setPoint] = useState<PickedPoint | null>(null);
  const geojson = useAreaGeoJson(open ? communityId : undefined);
  const siblings = useBuildings({ compoundId: open ? chosenCompound : undefined });
  const create = useCreateBuilding();
  const grid = gridAt(geojson.data, point);
  // A new point: the previous refusal no longer applies.
  const reset = create.reset;
  const pickPoint = useCallback(
    (p: PickedPoint) => {
      setPoint(p);
      reset();
    },
    [reset],
  );
  const markers = useMemo(() => (siblings.data ?? []).map((b) => ({ id: b.id, label: b.name, lng: b.lng, lat: b.lat })), [siblings.data]);

  const submit = (v: Values) => {
    if (!point) return;
    create.mutate(
      { compoundId: v.compoundId, name: v.name.trim(), floors: v.floors, lng: point.lng, lat: point.lat },
      {
        onSuccess: (b) => {
          void message.success(t("places.buildingAdded", { name: `${b.compoundName} ${b.name}`, grid: b.gridName }));
          onClose();
          void navigate(`/console/buildings/${b.id}`);
        },
      },
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t("places.addBuilding")}
      width={screens.md ? 720 : "100%"}
      destroyOnHidden
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" disabled={!point} loading={create.isPending} onClick={() => form.submit()} data-testid="add-building-submit">
            {t("places.add")}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ compoundId, floors: 6 }} onFinish={submit} requiredMark={false}>
        <Space size={16} wrap align="start">
          <Form.Item name="compoundId" label={t("places.compound")} rules={[{ required: true, message: t("places.pickCompound") }]}>
            <Select
              style={{ width: 220 }}
              showSearch
              optionFilterProp="label"
              options={compounds.map((c) => ({ value: c.id, label: c.name }))}
              placeholder={t("places.pickCompound")}
              data-testid="add-building-compound"
            />
          </Form.Item>
          <Form.Item name="name" label={t("places.buildingName")} rules={[{ required: true, whitespace: true, message: t("places.buildingNameRule") }]}>
            <Input maxLength={60} style={{ width: 160 }} placeholder={t("places.buildingNamePlaceholder")} data-testid="add-building-name" />
          </Form.Item>
          <Form.Item name="floors" label={t("places.floors")} rules={[{ required: true }]}>
            <InputNumber min={1} max={200} precision={0} style={{ width: 100 }} data-testid="add-building-floors" />
          </Form.Item>
        </Space>
      </Form>
      <Space direction="vertical" size={8} style={{ width: "100%" }}>
        <Typography.Text>
          <AimOutlined /> {t("places.pickPointHint")}
        </Typography.Text>
        <PointPickerMap data={geojson.data} point={point} onPick={pickPoint} markers={markers} height={screens.md ? 400 : 320} testId="add-building-map" />
        {geojson.isError && <Alert type="warning" showIcon message={describeError(t, geojson.error)} />}
        {point ? (
          grid ? (
            <Typography.Text data-testid="add-building-point">
              {t("places.pointInGrid", { lng: point.lng.toFixed(6), lat: point.lat.toFixed(6), grid: grid.name })}
            </Typography.Text>
          ) : (
            <Alert type="warning" showIcon message={t("places.pointOutside", { lng: point.lng.toFixed(6), lat: point.lat.toFixed(6) })} data-testid="add-building-point" />
          )
        ) : (
          <Typography.Text type="secondary">{t("places.noPointYet")}</Typography.Text>
        )}
        {create.isError && <Alert type="error" showIcon message={describeError(t, create.error)} data-testid="add-building-error" />}
      </Space>
    </Drawer>
  );
}
