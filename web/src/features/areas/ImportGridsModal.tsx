import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, DatePicker, Form, InputNumber, Modal, Space, Switch, Table, Tag, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { errorDetails } from "../../api";
import { describeError } from "../errors";
import { importGrids, refreshAfterGridChange, type GridImportOutcome, type GridImportProblem, type GridImportRepair } from "./gridEditApi";

interface Props {
  open: boolean;
  community: { id: string; name: string };
  onClose: () => void;
}

/**
 * 导入网格边界: a GeoJSON file of the community's grids. First checked (nothing written): either
 * the table of bad features with the reason, or what would be created, redrawn and retired; then
 * imported, all features or none. With 修复几何问题 ticked (and its limit in m²) the check also lists
 * every repair — which feature, what was done, the area moved, from whom to whom — and the import
 * writes exactly those; nothing is repaired unless ticked.
 */
export function ImportGridsModal({ open, community, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [repair, setRepair] = useState(false);
  const [repairMax, setRepairMax] = useState<number>(50);
  const [checked, setChecked] = useState<GridImportOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setChecked(null);
    setError(null);
  };
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await importGrids(community.id, file, { dryRun, replace, effectiveOn: day.format("YYYY-MM-DD"), repairMaxM2: repair ? repairMax : undefined });
      if (dryRun) setChecked(outcome);
      else {
        await refreshAfterGridChange(queryClient);
        void message.success(t("gridEdit.import.done", { ...outcome.summary }));
        setFile(null);
        reset();
        onClose();
      }
    } catch (e) {
      const report = errorDetails<GridImportOutcome>(e);
      if (report?.problems) setChecked({ ...report, ok: false });
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const party = (p: GridImportRepair["from"]) =>
    p === null ? null : p.feature !== null ? t("gridEdit.import.party", { n: p.feature, name: p.name }) : t("gridEdit.import.currentGrid", { name: p.name });
  const fromOf = (r: GridImportRepair) => party(r.from) ?? (r.kind === "gap" ? t("gridEdit.import.uncovered") : "—");
  const toOf = (r: GridImportRepair) => party(r.to) ?? (r.kind === "outside" ? t("gridEdit.import.outsideCommunity") : "—");
  const repairs = checked?.repairs ?? [];

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("gridEdit.import.title", { name: community.name })}
      width={repairs.length > 0 ? 1000 : 720}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button disabled={!file || busy} loading={busy && !checked} onClick={() => void run(true)} data-testid="grid-import-check">
            {t("gridEdit.import.check")}
          </Button>
          <Button type="primary" disabled={!checked?.ok || busy} loading={busy && Boolean(checked)} onClick={() => void run(false)} data-testid="grid-import-run">
            {t("gridEdit.import.run")}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("gridEdit.import.howTo")}
        </Typography.Paragraph>
        <Form layout="horizontal" labelCol={{ span: 6 }}>
          <Form.Item label={t("gridEdit.import.file")}>
            <Upload
              accept=".geojson,.json,application/geo+json,application/json"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                reset();
                return false;
              }}
              onRemove={() => {
                setFile(null);
                reset();
              }}
              fileList={file ? [{ uid: "1", name: file.name, status: "done" }] : []}
            >
              <Button icon={<UploadOutlined />} data-testid="grid-import-file">
                {t("gridEdit.import.choose")}
              </Button>
            </Upload>
          </Form.Item>
          <Form.Item label={t("gridEdit.import.replace")} extra={t("gridEdit.import.replaceHint")}>
            <Switch checked={replace} onChange={(v) => { setReplace(v); reset(); }} />
          </Form.Item>
          <Form.Item label={t("gridEdit.import.repair")} extra={t("gridEdit.import.repairHint")}>
            <Space>
              <Checkbox checked={repair} onChange={(e) => { setRepair(e.target.checked); reset(); }} data-testid="grid-import-repair" />
              <InputNumber
                min={0}
                max={10000}
                value={repairMax}
                disabled={!repair}
                addonBefore={t("gridEdit.import.repairMax")}
                addonAfter={t("gridEdit.import.squareMetres")}
                style={{ width: 260 }}
                onChange={(v) => { if (typeof v === "number") setRepairMax(v); reset(); }}
                data-testid="grid-import-repair-max"
              />
            </Space>
          </Form.Item>
          <Form.Item label={t("gridEdit.effectiveOn")}>
            <DatePicker value={day} onChange={(d) => { if (d) setDay(d); reset(); }} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Form>
        {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="grid-import-error" />}
        {checked && !checked.ok && (
          <Table<GridImportProblem>
            size="small"
            rowKey={(p) => `${p.feature}-${p.message}`}
            dataSource={checked.problems}
            pagination={checked.problems.length > 10 ? { pageSize: 10 } : false}
            data-testid="grid-import-report"
            columns={[
              { title: t("gridEdit.import.feature"), dataIndex: "feature", width: 70 },
              { title: t("gridEdit.name"), dataIndex: "name", width: 140, render: (n: string | null) => n ?? t("common.none") },
              { title: t("gridEdit.import.problem"), dataIndex: "message" },
            ]}
          />
        )}
        {checked?.ok && (
          <Alert
            type="success"
            showIcon
            data-testid="grid-import-ok"
            message={t("gridEdit.import.ok", { ...checked.summary }) + (checked.summary.repaired > 0 ? t("gridEdit.import.repaired", { count: checked.summary.repaired }) : "")}
            description={checked.retired.length > 0 ? t("gridEdit.import.retiring", { names: checked.retired.map((g) => g.name).join("、"), date: checked.effectiveOn }) : undefined}
          />
        )}
        {repairs.length > 0 && (
          <Table<GridImportRepair>
            size="small"
            title={() => t("gridEdit.import.repairs", { count: repairs.length })}
            rowKey={(r) => `${r.feature}-${r.kind}-${r.message}`}
            dataSource={repairs}
            pagination={repairs.length > 10 ? { pageSize: 10 } : false}
            data-testid="grid-import-repairs"
            columns={[
              { title: t("gridEdit.import.feature"), dataIndex: "feature", width: 56 },
              { title: t("gridEdit.name"), dataIndex: "name", width: 110 },
              { title: t("gridEdit.import.repairAction"), dataIndex: "kind", width: 130, render: (k: GridImportRepair["kind"]) => <Tag color={k === "overlap" || k === "gap" || k === "outside" ? "orange" : "blue"}>{t(`gridEdit.import.kind.${k}`)}</Tag> },
              { title: t("gridEdit.import.area"), dataIndex: "areaM2", width: 120, align: "right", render: (a: number, r) => (r.kind === "duplicate_points" || r.kind === "spike" ? "—" : a.toFixed(1)) },
              { title: t("gridEdit.import.from"), key: "from", width: 130, render: (_, r) => fromOf(r) },
              { title: t("gridEdit.import.to"), key: "to", width: 130, render: (_, r) => toOf(r) },
              { title: t("gridEdit.import.detail"), dataIndex: "message", render: (m: string) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m}</Typography.Text> },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}
