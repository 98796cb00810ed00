import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography, Upload } from "antd";
import { EditOutlined, ImportOutlined, PlusOutlined, StopOutlined, UploadOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { errorDetails, http, type Answer } from "../../api";
import { describeError } from "../errors";
import type { AreaDetail } from "./types";

const childLevel: Record<string, "district" | "street" | "community" | undefined> = { city: "district", district: "street", street: "community" };
type ImportOutcome = Answer<"post", "/api/imports/communities">;

/** Every area query is stale after a change to the tree. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["areas"] });
}

function Warnings({ list }: { list: { message: string }[] }) {
  if (list.length === 0) return null;
  return <Alert type="warning" showIcon message={list.map((w) => w.message).join("；")} />;
}

/** 新建下级区域: a name and code, typed or picked from the official division codes below this area. */
function NewChildModal({ area, onClose, onDone }: { area: AreaDetail; onClose: () => void; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const level = childLevel[area.level]!;
  const [form] = Form.useForm<{ name: string; code?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const official = useQuery({
    queryKey: ["divisions", area.code ?? ""],
    queryFn: ({ signal }) => http.get("/api/divisions", { params: { query: { parent: area.code ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(area.code && /^\d{6}(\d{3})?$/.test(area.code)),
    staleTime: Infinity,
  });
  const save = async (v: { name: string; code?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const made = await http.post("/api/areas/{id}/children", { params: { path: { id: area.id } }, body: { name: v.name.trim(), ...(v.code ? { code: v.code.trim() } : {}) } });
      await refresh();
      void message.success(t("areaAdmin.created", { name: v.name.trim(), code: made.code ?? "" }));
      onDone(made.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t("areaAdmin.newTitle", { parent: area.name, level: t(`area.level.${level}`) })} onCancel={onClose} onOk={() => form.submit()} okText={t("areaAdmin.create")} confirmLoading={busy} destroyOnHidden>
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="area-admin-error" />}
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          {(official.data?.length ?? 0) > 0 && (
            <Form.Item label={t("areaAdmin.fromDivisions")}>
              <Select
                showSearch
                allowClear
                optionFilterProp="label"
                placeholder={t("areaAdmin.fromDivisionsHint")}
                options={official.data!.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))}
                onChange={(code?: string) => {
                  const d = official.data!.find((x) => x.code === code);
                  if (d) form.setFieldsValue({ name: d.name, code: d.code });
                }}
                data-testid="area-admin-division"
              />
            </Form.Item>
          )}
          <Form.Item name="name" label={t("areaAdmin.name")} rules={[{ required: true, whitespace: true, message: t("areaAdmin.nameRequired") }]}>
            <Input data-testid="area-admin-name" />
          </Form.Item>
          <Form.Item name="code" label={t("areaAdmin.code")} extra={t("areaAdmin.codeHint")}>
            <Input data-testid="area-admin-code" />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}

/** 修改: a new name and, for whoever administers areas, a new code, as of a day. */
function EditModal({ area, onClose }: { area: AreaDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [form] = Form.useForm<{ name: string; code?: string; effectiveOn: Dayjs }>();
  const [error, setError] = useState<unknown>(null);
  const [warnings, setWarnings] = useState<{ message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const save = async (v: { name: string; code?: string; effectiveOn: Dayjs }) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(v.name.trim() !== area.name ? { name: v.name.trim() } : {}),
        ...(area.abilities.manage && v.code && v.code !== area.code ? { code: v.code.trim() } : {}),
      };
      if (Object.keys(body).length === 0) return onClose();
      const res = await http.patch("/api/areas/{id}", { params: { path: { id: area.id } }, body: { ...body, effectiveOn: v.effectiveOn.format("YYYY-MM-DD") } });
      await refresh();
      setWarnings(res.warnings);
      void message.success(t("areaAdmin.saved"));
      if (res.warnings.length === 0) onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t("areaAdmin.editTitle", { name: area.name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {error !== null && <Alert type="error" showIcon message={describeError(t, error)} />}
        <Warnings list={warnings} />
        <Form form={form} layout="vertical" initialValues={{ name: area.name, code: area.code ?? "", effectiveOn: dayjs() }} onFinish={(v) => void save(v)}>
          <Form.Item name="name" label={t("areaAdmin.name")} rules={[{ required: true, whitespace: true, message: t("areaAdmin.nameRequired") }]}>
            <Input data-testid="area-edit-name" />
          </Form.Item>
          <Form.Item name="code" label={t("areaAdmin.code")} extra={area.abilities.manage ? t("areaAdmin.recodeHint") : undefined}>
            <Input disabled={!area.abilities.manage} data-testid="area-edit-code" />
          </Form.Item>
          <Form.Item name="effectiveOn" label={t("gridEdit.effectiveOn")} extra={t("areaAdmin.historyHint")}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}

/** 导入社区边界: a street's communities from GeoJSON; checked first, then all or none (as grids are imported). */
function ImportCommunitiesModal({ street, onClose }: { street: AreaDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ImportOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const body = JSON.parse(await file.text()) as { type: "FeatureCollection"; features: unknown[] };
      const outcome = await http.post("/api/imports/communities", { params: { query: { streetId: street.id, dryRun } }, body });
      if (dryRun) setChecked(outcome);
      else {
        await refresh();
        void message.success(t("areaAdmin.import.done", { ...outcome.summary }));
        onClose();
      }
    } catch (e) {
      const report = errorDetails<ImportOutcome>(e);
      if (report?.problems) setChecked({ ...report, ok: false });
      setError(e instanceof SyntaxError ? new Error(t("areaAdmin.import.notJson")) : e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={t("areaAdmin.import.title", { name: street.name })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button disabled={!file || busy} loading={busy && !checked} onClick={() => void run(true)} data-testid="community-import-check">
            {t("gridEdit.import.check")}
          </Button>
          <Button type="primary" disabled={!checked?.ok || busy} loading={busy && Boolean(checked)} onClick={() => void run(false)} data-testid="community-import-run">
            {t("gridEdit.import.run")}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t("areaAdmin.import.howTo")}
        </Typography.Paragraph>
        <Upload
          accept=".geojson,.json,application/geo+json,application/json"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setChecked(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setChecked(null);
          }}
          fileList={file ? [{ uid: "1", name: file.name, status: "done" }] : []}
        >
          <Button icon={<UploadOutlined />} data-testid="community-import-file">
            {t("gridEdit.import.choose")}
          </Button>
        </Upload>
        {error !== null && <Alert type="error" showIcon message={error instanceof Error && !("code" in error) ? error.message : describeError(t, error)} />}
        {checked && !checked.ok && (
          <Table
            size="small"
            rowKey={(p) => `${p.feature}-${p.message}`}
            dataSource={checked.problems}
            pagination={checked.problems.length > 10 ? { pageSize: 10 } : false}
            columns={[
              { title: t("gridEdit.import.feature"), dataIndex: "feature", width: 70 },
              { title: t("areaAdmin.name"), dataIndex: "name", width: 140, render: (n: string | null) => n ?? t("common.none") },
              { title: t("gridEdit.import.problem"), dataIndex: "message" },
            ]}
            data-testid="community-import-report"
          />
        )}
        {checked?.ok && (
          <>
            <Alert type="success" showIcon message={t("areaAdmin.import.ok", { ...checked.summary })} data-testid="community-import-ok" />
            <Warnings list={checked.warnings} />
          </>
        )}
      </Space>
    </Modal>
  );
}

/**
 * 区域管理 actions on the selected area, as its abilities allow: a new district, street or
 * community below it, importing a street's communities, renaming or re-coding, retiring.
 */
export function AreaAdminActions({ area, onSelect }: { area: AreaDetail; onSelect: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefresh();
  const [open, setOpen] = useState<"new" | "edit" | "import" | null>(null);
  const level = childLevel[area.level];
  const retire = async () => {
    try {
      await http.post("/api/areas/{id}/retire", { params: { path: { id: area.id } }, body: {} });
      await refresh();
      void message.success(t("areaAdmin.retired", { name: area.name }));
      if (area.parentId) onSelect(area.parentId);
    } catch (e) {
      void message.error(describeError(t, e));
    }
  };
  const isGrid = area.level === "grid" || area.level === "microGrid";
  if (isGrid || (!area.abilities.addChild && !area.abilities.manage && !area.abilities.update)) return null;
  return (
    <Space size={8} wrap>
      {area.abilities.addChild && level && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => setOpen("new")} data-testid="area-add-child">
          {t("areaAdmin.newAction", { level: t(`area.level.${level}`) })}
        </Button>
      )}
      {area.abilities.addChild && area.level === "street" && (
        <Button size="small" icon={<ImportOutlined />} onClick={() => setOpen("import")} data-testid="community-import-open">
          {t("areaAdmin.import.action")}
        </Button>
      )}
      {(area.abilities.update || area.abilities.manage) && (
        <Button size="small" icon={<EditOutlined />} onClick={() => setOpen("edit")} data-testid="area-edit">
          {t("areaAdmin.edit")}
        </Button>
      )}
      {area.abilities.manage && (
        <Popconfirm title={t("areaAdmin.retireConfirm", { name: area.name })} description={t("areaAdmin.retireHint")} onConfirm={() => void retire()} okButtonProps={{ danger: true }}>
          <Button size="small" danger icon={<StopOutlined />} data-testid="area-retire">
            {t("areaAdmin.retire")}
          </Button>
        </Popconfirm>
      )}
      {open === "new" && <NewChildModal area={area} onClose={() => setOpen(null)} onDone={(id) => { setOpen(null); onSelect(id); }} />}
      {open === "edit" && <EditModal area={area} onClose={() => setOpen(null)} />}
      {open === "import" && <ImportCommunitiesModal street={area} onClose={() => setOpen(null)} />}
    </Space>
  );
}
