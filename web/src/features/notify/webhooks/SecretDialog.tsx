import { useTranslation } from "react-i18next";
import { Alert, Button, Modal, Typography } from "antd";

export interface ShownSecret {
  name: string;
  secret: string;
  /** "created": a new hook; "replaced": 更换密钥. */
  reason: "created" | "replaced";
}

/**
 * The signing secret, shown this once (the server keeps it encrypted and never answers it again),
 * with how the receiver checks a delivery's signature. Closed only by the button, so it is not
 * dismissed by a stray click before it is copied.
 */
export function SecretDialog({ shown, onClose }: { shown: ShownSecret | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={shown !== null}
      title={shown ? t(shown.reason === "created" ? "webhooks.secret.createdTitle" : "webhooks.secret.replacedTitle", { name: shown.name }) : null}
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-done">
          {t("webhooks.secret.done")}
        </Button>
      }
      data-testid="webhook-secret-dialog"
    >
      {shown && (
        <>
          <Alert type="warning" showIcon message={t("webhooks.secret.once")} style={{ marginBottom: 12 }} />
          <Typography.Paragraph
            copyable={{ text: shown.secret, tooltips: [t("webhooks.secret.copy"), t("webhooks.secret.copied")] }}
            code
            style={{ wordBreak: "break-all", fontSize: 13 }}
            data-testid="webhook-secret"
          >
            {shown.secret}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 4 }}>
            {t("webhooks.secret.howTo")}
          </Typography.Paragraph>
          <ul style={{ fontSize: 13, color: "rgba(0, 0, 0, 0.65)", paddingInlineStart: 20, margin: 0 }}>
            <li>
              <Typography.Text code>X-Gongzhi-Signature</Typography.Text> {t("webhooks.secret.signature")}
            </li>
            <li>
              <Typography.Text code>X-Gongzhi-Timestamp</Typography.Text> {t("webhooks.secret.timestamp")}
            </li>
            <li>
              <Typography.Text code>X-Gongzhi-Delivery</Typography.Text> {t("webhooks.secret.delivery")}
            </li>
            <li>
              <Typography.Text code>X-Gongzhi-Event</Typography.Text> {t("webhooks.secret.event")}
            </li>
          </ul>
        </>
      )}
    </Modal>
  );
}
