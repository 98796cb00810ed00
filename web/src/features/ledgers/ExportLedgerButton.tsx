import { useState } from "react";
import { useTranslation } from "react-i18next";
import { App, Button, Dropdown, Form, Input, Modal, Typography } from "antd";
import { DownOutlined, DownloadOutlined } from "@ant-design/icons";
import { describeError } from "../errors";
import { useMe } from "../auth/session";
import { downloadExport, type LedgerKind } from "./api";

/** Roles whose work needs clear values (the server decides; this only hides a choice that would be refused). */
const clearRoles = new Set(["gridWorker", "communityWorker", "communitySecretary"]);

/**
 * What every export control shares: who may ask for clear values, the download (masked, or clear
 * with a purpose) and the dialog that asks for the purpose. The controls only differ in their buttons.
 */
export function useLedgerExport(kind: LedgerKind, areaId: string | undefined) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ purpose: string }>();
  const mayClear = me.grants.some((g) => clearRoles.has(g.role));

  const run = async (purpose?: string) => {
    if (!areaId) return;
    setBusy(true);
    try {
      await downloadExport(kind, areaId, purpose);
      setAsking(false);
      form.resetFields();
    } catch (e) {
      void message.error(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const purposeDialog = (
    <Modal
      open={asking}
      title={t("imports.export.clearTitle")}
      okText={t("imports.export.clearOk")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onCancel={() => setAsking(false)}
      onOk={() => void form.validateFields().then((v) => run(v.purpose))}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("imports.export.clearHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="purpose" label={t("imports.export.purpose")} rules={[{ required: true, min: 4, max: 200, message: t("imports.export.purposeRule") }]}>
          <Input.TextArea rows={2} maxLength={200} placeholder={t("imports.export.purposePlaceholder")} data-testid="export-purpose" />
        </Form.Item>
      </Form>
    </Modal>
  );

  return { mayClear, busy, asking, askPurpose: () => setAsking(true), exportMasked: () => void run(), purposeDialog };
}

/**
 * 导出: the ledger of what a list shows (households, persons, party members, buildings of an area)
 * as .xlsx — masked by default; with clear values, for a stated purpose, for the roles whose work
 * needs them (audited on the server).
 */
export function ExportLedgerButton({ kind, areaId, size = "small" }: { kind: LedgerKind; areaId: string | undefined; size?: "small" | "middle" }) {
  const { t } = useTranslation();
  const { mayClear, busy, asking, askPurpose, exportMasked, purposeDialog } = useLedgerExport(kind, areaId);

  const button = (
    <Button size={size} icon={<DownloadOutlined />} loading={busy && !asking} disabled={!areaId} onClick={mayClear ? undefined : exportMasked} data-testid={`export-${kind}`}>
      {t("imports.export.action")}
      {mayClear && <DownOutlined style={{ fontSize: 10 }} />}
    </Button>
  );

  return (
    <>
      {mayClear ? (
        <Dropdown
          trigger={["click"]}
          disabled={!areaId || busy}
          menu={{
            items: [
              { key: "masked", label: t("imports.export.masked") },
              { key: "clear", label: `${t("imports.export.clear")}…` },
            ],
            onClick: ({ key }) => (key === "masked" ? exportMasked() : askPurpose()),
          }}
        >
          {button}
        </Dropdown>
      ) : (
        button
      )}
      {purposeDialog}
    </>
  );
}
