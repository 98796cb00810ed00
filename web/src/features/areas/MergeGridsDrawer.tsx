import { useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, Select, Space, Switch, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { describeError } from "../errors";
import { useAreaGeoJson } from "./api";
import { GridEditMap, type EditShape } from "./GridEditMap";
import { mergeGrids, refreshAfterGridChange, type ReshapeResult } from "./gridEditApi";
import type { GridType } from "./types";

interface Props {
  open: boolean;
  grid: { id: string; name: string; gridType: GridType | null };
  communityId: string | undefined;
  onClose: () => void;
  onDone: (result: ReshapeResult) => void;
}

/** 合并网格: choose neighbouring grids on the map, preview the merged grid (dry run), confirm. */
export function MergeGridsDrawer({ open, grid, communityId, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const geojson = useAreaGeoJson(open ? communityId : undefined);
  const [chosen, setChosen] = useState<string[]>([grid.id]);
  const [name, setName] = useState("");
  const [gridType, setGridType] = useState<GridType>(grid.gridType ?? "comprehensive");
  const [repoint, setRepoint] = useState(true);
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [preview, setPreview] = useState<ReshapeResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const grids = useMemo(() => (geojson.data?.features ?? []).filter((f) => f.properties.level === "grid"), [geojson.data]);
  const nameOf = (id: string) => grids.find((g) => g.properties.id === id)?.properties.name ?? "";
  const toggle = useCallback((id: string) => {
    setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
    setPreview(null);
  }, []);

  const shapes = useMemo<EditShape[]>(() => {
    const base = grids.map((f) => ({
      key: f.properties.id,
      geometry: f.geometry,
      label: f.properties.name,
      selected: chosen.includes(f.properties.id),
    }));
    if (!preview) return base;
    return [...base.filter((s) => !chosen.includes(s.key)), { key: "merged", geometry: preview.grids[0]!.boundary, label: preview.grids[0]!.name, colour: 0 }];
  }, [grids, chosen, preview]);

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await mergeGrids({ gridIds: chosen, name: name.trim(), gridType, effectiveOn: day.format("YYYY-MM-DD"), dryRun, repointOrganizations: repoint });
      if (dryRun) setPreview(r);
      else {
        await refreshAfterGridChange(queryClient);
        void message.success(t("gridEdit.merge.done", { name: r.grids[0]!.name }));
        onDone(r);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const ready = chosen.length >= 2 && name.trim() !== "";
  const merged = preview?.grids[0];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t("gridEdit.merge.title")}
      width={screens.md ? 760 : "100%"}
      destroyOnHidden
      data-testid="merge-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" danger disabled={!preview || busy} loading={busy && Boolean(preview)} onClick={() => void run(false)} data-testid="merge-confirm">
            {t("gridEdit.merge.confirm")}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("gridEdit.merge.howTo")}
        </Typography.Paragraph>
        <GridEditMap shapes={shapes} onShapeClick={preview ? undefined : toggle} height={screens.md ? 360 : 280} testId="merge-map" />
        <Space wrap size={[4, 4]}>
          <Typography.Text>{t("gridEdit.merge.chosen", { count: chosen.length })}</Typography.Text>
          {chosen.map((id) => (
            <Tag key={id} closable={!preview} onClose={() => toggle(id)} color="volcano" bordered={false}>
              {nameOf(id) || (id === grid.id ? grid.name : id.slice(0, 8))}
            </Tag>
          ))}
        </Space>
        <Form layout={screens.md ? "horizontal" : "vertical"} labelCol={screens.md ? { span: 5 } : undefined} style={{ maxWidth: 560 }}>
          <Form.Item label={t("gridEdit.name")} required>
            <Input value={name} maxLength={100} onChange={(e) => { setName(e.target.value); setPreview(null); }} placeholder={t("gridEdit.merge.namePlaceholder")} data-testid="merge-name" />
          </Form.Item>
          <Form.Item label={t("area.fields.gridType")}>
            <Select<GridType>
              value={gridType}
              onChange={(v) => { setGridType(v); setPreview(null); }}
              options={[
                { value: "comprehensive", label: t("area.gridType.comprehensive") },
                { value: "dedicated", label: t("area.gridType.dedicated") },
              ]}
            />
          </Form.Item>
          <Form.Item label={t("gridEdit.effectiveOn")}>
            <DatePicker value={day} onChange={(d) => { if (d) setDay(d); setPreview(null); }} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
          <Form.Item label={t("gridEdit.merge.repoint")}>
            <Switch checked={repoint} onChange={(v) => { setRepoint(v); setPreview(null); }} />
          </Form.Item>
          <Form.Item label=" " colon={false}>
            <Button type="primary" disabled={!ready || busy} loading={busy && !preview} onClick={() => void run(true)} data-testid="merge-preview">
              {t("gridEdit.merge.preview")}
            </Button>
          </Form.Item>
        </Form>
        {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="merge-error" />}
        {merged && preview && (
          <Alert
            type="info"
            showIcon
            data-testid="merge-summary"
            message={t("gridEdit.merge.summary", { name: merged.name, code: merged.code ?? t("common.none"), count: preview.retired.length, date: preview.effectiveOn })}
            description={
              <Space direction="vertical" size={2}>
                <span>{t("gridEdit.areaAndContents", { area: Math.round(merged.areaM2).toLocaleString(), ...merged.contents })}
                  {merged.contents.openCases > 0 && t("gridEdit.openCases", { count: merged.contents.openCases })}</span>
                <span>{t("gridEdit.grantsCopied", { count: preview.grantsCopied })}</span>
                {preview.organizations.length > 0 && (
                  <span>
                    {repoint
                      ? t("gridEdit.merge.orgsRepointed", { names: preview.organizations.map((o) => o.name).join("、") })
                      : t("gridEdit.merge.orgsLeft", { names: preview.organizations.map((o) => o.name).join("、") })}
                  </span>
                )}
              </Space>
            }
          />
        )}
      </Space>
    </Drawer>
  );
}
