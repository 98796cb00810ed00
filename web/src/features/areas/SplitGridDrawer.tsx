import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Grid, Input, List, Select, Space, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import type { Position } from "geojson";
import { describeError } from "../errors";
import { useAreaGeoJson } from "./api";
import { GridEditMap, type EditShape } from "./GridEditMap";
import { refreshAfterGridChange, splitGrid, type ReshapeResult } from "./gridEditApi";
import { gridColours } from "./palette";
import type { GridType } from "./types";

interface Props {
  open: boolean;
  grid: { id: string; name: string };
  communityId: string | undefined;
  onClose: () => void;
  onDone: (result: ReshapeResult) => void;
}

/** 拆分网格: draw a cutting line on the map, preview the parts (dry run), name them, confirm. */
export function SplitGridDrawer({ open, grid, communityId, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const geojson = useAreaGeoJson(open ? (communityId ?? grid.id) : undefined);
  const [line, setLine] = useState<Position[]>([]);
  const [preview, setPreview] = useState<ReshapeResult | null>(null);
  const [names, setNames] = useState<string[]>([]);
  const [types, setTypes] = useState<GridType[]>([]);
  const [orgTargets, setOrgTargets] = useState<Record<string, number | null>>({});
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setLine([]);
    setPreview(null);
    setError(null);
  };
  const addPoint = useCallback((p: Position) => {
    setLine((l) => [...l, p]);
    setPreview(null);
  }, []);

  const shapes = useMemo<EditShape[]>(() => {
    const context = (geojson.data?.features ?? [])
      .filter((f) => f.properties.level === "grid")
      .map((f) => ({ key: f.properties.id, geometry: f.geometry, label: f.properties.name, selected: f.properties.id === grid.id && !preview }));
    if (!preview) return context;
    return [
      ...context.filter((s) => s.key !== grid.id),
      ...preview.grids.map((g, i) => ({ key: `part-${i}`, geometry: g.boundary, label: names[i] ?? g.name, colour: i })),
    ];
  }, [geojson.data, grid.id, preview, names]);

  const body = (dryRun: boolean) => ({
    cutLine: { type: "LineString" as const, coordinates: line },
    ...(preview ? { parts: preview.grids.map((g, i) => ({ name: (names[i] ?? g.name).trim() || g.name, gridType: types[i] ?? g.gridType })) } : {}),
    effectiveOn: day.format("YYYY-MM-DD"),
    dryRun,
    organizations: Object.entries(orgTargets)
      .filter((e): e is [string, number] => e[1] !== null)
      .map(([id, part]) => ({ id, part })),
  });

  const runPreview = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await splitGrid(grid.id, { ...body(true), parts: undefined, organizations: [] });
      setPreview(r);
      setNames(r.grids.map((g) => g.name));
      setTypes(r.grids.map((g) => g.gridType));
      setOrgTargets(Object.fromEntries(r.organizations.map((o) => [o.id, null])));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await splitGrid(grid.id, body(false));
      await refreshAfterGridChange(queryClient);
      void message.success(t("gridEdit.split.done", { count: r.grids.length }));
      reset();
      onDone(r);
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
      title={t("gridEdit.split.title", { name: grid.name })}
      width={screens.md ? 760 : "100%"}
      destroyOnHidden
      data-testid="split-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" danger disabled={!preview || busy} loading={busy && Boolean(preview)} onClick={() => void confirm()} data-testid="split-confirm">
            {t("gridEdit.split.confirm")}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("gridEdit.split.howTo")}
        </Typography.Paragraph>
        <GridEditMap shapes={shapes} line={line} onAddPoint={addPoint} height={screens.md ? 380 : 300} testId="split-map" fitSelected />
        <Space wrap>
          <Typography.Text>{t("gridEdit.split.points", { count: line.length })}</Typography.Text>
          <Button size="small" disabled={line.length === 0} onClick={() => { setLine((l) => l.slice(0, -1)); setPreview(null); }}>
            {t("gridEdit.split.undo")}
          </Button>
          <Button size="small" disabled={line.length === 0} onClick={reset}>
            {t("gridEdit.split.clear")}
          </Button>
          <Button size="small" type="primary" disabled={line.length < 2 || busy} loading={busy && !preview} onClick={() => void runPreview()} data-testid="split-preview">
            {t("gridEdit.split.preview")}
          </Button>
        </Space>
        {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="split-error" />}
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t("gridEdit.effectiveOn")}>
            <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Descriptions.Item>
        </Descriptions>
        {preview && (
          <>
            <List
              size="small"
              bordered
              header={<Typography.Text strong>{t("gridEdit.split.parts", { count: preview.grids.length })}</Typography.Text>}
              dataSource={preview.grids}
              data-testid="split-parts"
              renderItem={(g, i) => (
                <List.Item>
                  <Space direction="vertical" size={4} style={{ width: "100%" }}>
                    <Space wrap>
                      <span className="gz-swatch" style={{ background: gridColours(i).fill, borderColor: gridColours(i).stroke }} />
                      <Input
                        value={names[i]}
                        onChange={(e) => setNames((n) => n.map((x, j) => (j === i ? e.target.value : x)))}
                        style={{ width: 220 }}
                        maxLength={100}
                        aria-label={t("gridEdit.name")}
                      />
                      <Select<GridType>
                        value={types[i]}
                        onChange={(v) => setTypes((ts) => ts.map((x, j) => (j === i ? v : x)))}
                        style={{ width: 130 }}
                        options={[
                          { value: "comprehensive", label: t("area.gridType.comprehensive") },
                          { value: "dedicated", label: t("area.gridType.dedicated") },
                        ]}
                      />
                      <Tag bordered={false}>{g.code ?? t("common.none")}</Tag>
                    </Space>
                    <Typography.Text type="secondary">
                      {t("gridEdit.areaAndContents", { area: Math.round(g.areaM2).toLocaleString(), ...g.contents })}
                      {g.contents.openCases > 0 && t("gridEdit.openCases", { count: g.contents.openCases })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
            {preview.organizations.length > 0 && (
              <Alert
                type="warning"
                showIcon
                message={t("gridEdit.orgsNeedDecision")}
                description={
                  <Space direction="vertical" style={{ width: "100%" }}>
                    {preview.organizations.map((o) => (
                      <Space key={o.id} wrap>
                        <Typography.Text>{o.name}</Typography.Text>
                        <Select<number | null>
                          value={orgTargets[o.id] ?? null}
                          onChange={(v) => setOrgTargets((m) => ({ ...m, [o.id]: v }))}
                          style={{ width: 220 }}
                          options={[{ value: null, label: t("gridEdit.orgLater") }, ...preview.grids.map((g, i) => ({ value: i, label: t("gridEdit.orgTo", { name: names[i] ?? g.name }) }))]}
                        />
                      </Space>
                    ))}
                  </Space>
                }
              />
            )}
            <Alert
              type="info"
              showIcon
              message={t("gridEdit.split.summary", { grants: preview.grantsCopied, date: day.format("YYYY-MM-DD"), name: grid.name })}
              description={preview.unlocated.households + preview.unlocated.persons + preview.unlocated.buildings > 0 ? t("gridEdit.unlocated", { ...preview.unlocated, name: names[0] ?? "" }) : undefined}
            />
          </>
        )}
      </Space>
    </Drawer>
  );
}
