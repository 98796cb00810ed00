import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Form, Modal, Space, Switch, Table, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { errorDetails } from "../../api";
import { describeError } from "../errors";
import { importGrids, refreshAfterGridChange, type GridImportOutcome, type GridImportProblem } from "./gridEditApi";

interface Props {
  open: boolean;
  community: { id: string; name: string };
  onClose: () => void;
}

/**
 * 导入网格边界: a GeoJSON file of the community's grids. First checked (nothing written): either
 * the table of bad features with the reason, or what would be created, redrawn and retired; then
 * imported, all features or none.
 */
export function ImportGridsModal({ open, community, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [day, setDay] = useState<Dayjs>(dayjs());
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
      const outcome = await importGrids(community.id, file, { dryRun, replace, effectiveOn: day.format("YYYY-MM-DD") });
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

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("gridEdit.import.title", { name: community.name })}
      width={720}
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
            message={t("gridEdit.import.ok", { ...checked.summary })}
            description={checked.retired.length > 0 ? t("gridEdit.import.retiring", { names: checked.retired.map((g) => g.name).join("、"), date: checked.effectiveOn }) : undefined}
          />
        )}
      </Space>
    </Modal>
  );
}
