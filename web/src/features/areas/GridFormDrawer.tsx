import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, Segmented, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import type { Polygon, Position } from "geojson";
import { describeError } from "../errors";
import { useAreaGeoJson } from "./api";
import { GridEditMap, type EditShape } from "./GridEditMap";
import { refreshAfterGridChange } from "./gridEditApi";
import { createGrid, updateGrid } from "./gridDrawApi";
import type { GridType } from "./types";

interface Props {
  open: boolean;
  /** The community the grid lies in (its other grids are drawn for reference). */
  community: { id: string; name: string };
  /** The grid to edit; absent: a new grid is drawn in the community. */
  grid?: { id: string; name: string; gridType: GridType | null };
  onClose: () => void;
  /** After saving: the grid's id (the new grid's, when one was drawn). */
  onDone: (id: string) => void;
}

/** The ring closed (first point repeated at the end), as the server expects a Polygon. */
function ringOf(points: readonly Position[]): Polygon {
  const first = points[0]!;
  return { type: "Polygon", coordinates: [[...points, first]] };
}

/**
 * 编辑网格 / 新建网格: name, 网格类型 and the boundary — kept, or drawn vertex by vertex on the map
 * with the community's other grids as reference. The server checks the polygon (a valid ring, inside
 * the community, no overlap) and its answer is shown as it is.
 */
export function GridFormDrawer({ open, community, grid, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const creating = !grid;
  const geojson = useAreaGeoJson(open ? community.id : undefined);
  const [name, setName] = useState(grid?.name ?? "");
  const [gridType, setGridType] = useState<GridType>(grid?.gridType ?? "comprehensive");
  const [redraw, setRedraw] = useState(creating);
  const [points, setPoints] = useState<Position[]>([]);
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errorBox = useRef<HTMLDivElement>(null);

  // The refusal appears at the top of the drawer, which may be scrolled down to the map: bring it into view.
  useEffect(() => {
    if (error !== null) errorBox.current?.scrollIntoView({ block: "nearest" });
  }, [error]);

  const addPoint = useCallback((p: Position) => {
    setPoints((l) => [...l, p]);
    setError(null);
  }, []);

  const shapes = useMemo<EditShape[]>(() => {
    const features = geojson.data?.features ?? [];
    const grids = features
      .filter((f) => f.properties.level === "grid")
      .map((f) => ({ key: f.properties.id, geometry: f.geometry, label: f.properties.name, selected: f.properties.id === grid?.id }));
    // The community's outline first, the grid being edited last: its red edge stays on top.
    return [
      ...features
        .filter((f) => f.properties.level === "community" && f.properties.id === community.id)
        .map((f) => ({ key: f.properties.id, geometry: f.geometry, label: f.properties.name, outline: true })),
      ...grids.filter((g) => !g.selected),
      ...grids.filter((g) => g.selected),
    ];
  }, [geojson.data, community.id, grid?.id]);

  const trimmed = name.trim();
  const changes = {
    ...(creating || trimmed !== grid.name ? { name: trimmed } : {}),
    ...(creating || gridType !== grid.gridType ? { gridType } : {}),
    ...(redraw && points.length >= 3 ? { boundary: ringOf(points) } : {}),
  };
  const drawingIncomplete = redraw && points.length < 3;
  const canSave = trimmed.length > 0 && !drawingIncomplete && Object.keys(changes).length > 0 && !busy;

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      let id: string;
      if (creating) {
        const r = await createGrid({ communityId: community.id, name: trimmed, gridType, boundary: ringOf(points), validFrom: day.format("YYYY-MM-DD") });
        id = r.id;
        void message.success(t("gridEdit.form.created", { name: trimmed }));
      } else {
        const r = await updateGrid(grid.id, { ...changes, ...(changes.boundary ? { effectiveOn: day.format("YYYY-MM-DD") } : {}) });
        id = r.id;
        void message.success(t("gridEdit.form.saved", { name: r.name }));
      }
      await refreshAfterGridChange(queryClient);
      onDone(id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={creating ? t("gridEdit.form.createTitle", { name: community.name }) : t("gridEdit.form.editTitle", { name: grid.name })}
      width={screens.md ? 760 : "100%"}
      destroyOnHidden
      data-testid="grid-form-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" disabled={!canSave} loading={busy} onClick={() => void save()} data-testid="grid-form-save">
            {creating ? t("gridEdit.form.create") : t("gridEdit.form.save")}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component="div">
        <div ref={errorBox}>
          {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="grid-form-error" style={{ marginBottom: 16 }} />}
        </div>
        <Form.Item label={t("gridEdit.name")} required validateStatus={trimmed ? undefined : "error"} help={trimmed ? undefined : t("gridEdit.form.nameRequired")}>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder={t("gridEdit.merge.namePlaceholder")}
            data-testid="grid-form-name"
          />
        </Form.Item>
        <Form.Item label={t("area.fields.gridType")}>
          <Segmented<GridType>
            value={gridType}
            onChange={setGridType}
            options={[
              { value: "comprehensive", label: t("area.gridType.comprehensive") },
              { value: "dedicated", label: t("area.gridType.dedicated") },
            ]}
            data-testid="grid-form-type"
          />
        </Form.Item>
        <Form.Item label={t("gridEdit.form.boundary")} style={{ marginBottom: 12 }}>
          {creating ? (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t("gridEdit.form.howToCreate")}
            </Typography.Paragraph>
          ) : (
            <Segmented<"keep" | "redraw">
              value={redraw ? "redraw" : "keep"}
              onChange={(v) => {
                setRedraw(v === "redraw");
                setPoints([]);
                setError(null);
              }}
              options={[
                { value: "keep", label: t("gridEdit.form.keep") },
                { value: "redraw", label: t("gridEdit.form.redraw") },
              ]}
              data-testid="grid-form-boundary"
            />
          )}
        </Form.Item>
        <Space direction="vertical" size={12} style={{ width: "100%" }}>
          {redraw && !creating && (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t("gridEdit.form.howToRedraw")}
            </Typography.Paragraph>
          )}
          <GridEditMap
            shapes={shapes}
            line={redraw ? points : undefined}
            mode="polygon"
            onAddPoint={redraw ? addPoint : undefined}
            height={screens.md ? 380 : 300}
            testId="grid-form-map"
            fitSelected={!creating}
          />
          {redraw && (
            <Space wrap>
              <Typography.Text type={drawingIncomplete ? "warning" : undefined} data-testid="grid-form-points">
                {t("gridEdit.form.points", { count: points.length })}
              </Typography.Text>
              <Button size="small" disabled={points.length === 0} onClick={() => setPoints((l) => l.slice(0, -1))} data-testid="grid-form-undo">
                {t("gridEdit.split.undo")}
              </Button>
              <Button size="small" disabled={points.length === 0} onClick={() => setPoints([])} data-testid="grid-form-clear">
                {t("gridEdit.split.clear")}
              </Button>
            </Space>
          )}
          {(redraw || creating) && (
            <Space wrap>
              <Typography.Text>{t("gridEdit.effectiveOn")}</Typography.Text>
              <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} data-testid="grid-form-day" />
              {!creating && <Typography.Text type="secondary">{t("gridEdit.form.redrawHint")}</Typography.Text>}
            </Space>
          )}
        </Space>
      </Form>
    </Drawer>
  );
}
