import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Form, Input, Modal, Progress, Space, Typography } from "antd";
import { EyeOutlined } from "@ant-design/icons";
import { isApiError } from "../../api";
import { describeError } from "../errors";
import { useRevealPersonField, type RevealField, type RevealResponse } from "./api";

/** The server shows a clear value for 5 minutes; never longer here, whatever the clocks say. */
const maxShowMs = 5 * 60_000;
const purposeMin = 4;
const purposeMax = 200;

/** Codes whose server message names what to fix (too short, contains a number, not allowed). */
const fieldCodes = new Set(["validation_failed", "forbidden"]);

function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

interface Shown {
  value: string | null;
  until: number;
  total: number;
}

function shownFrom(res: RevealResponse): Shown {
  const now = Date.now();
  const until = Math.min(Date.parse(res.expiresAt) || now, now + maxShowMs);
  return { value: res.value, until, total: Math.max(1, until - now) };
}

/** The clear value with the time left; calls `onExpire` when the time is up. */
function ClearValue({ shown, onExpire }: { shown: Shown; onExpire: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const left = shown.until - now;
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onExpire();
  }, [left, onExpire]);
  if (left <= 0) return null;
  return (
    <div className="gz-reveal-value" data-testid="revealed-value-box">
      <Typography.Text className="gz-reveal-number" data-testid="revealed-value">
        {shown.value ?? t("common.none")}
      </Typography.Text>
      <Progress
        percent={(left / shown.total) * 100}
        showInfo={false}
        size="small"
        strokeColor="#c0392b"
        aria-hidden="true"
      />
      <Typography.Text type="secondary" data-testid="reveal-countdown">
        {t("person.reveal.hidesIn", { time: formatRemaining(left) })}
      </Typography.Text>
    </div>
  );
}

interface RevealDialogProps {
  personId: string;
  field: RevealField;
  open: boolean;
  onClose: () => void;
}

/**
 * 查看完整号码: asks for the purpose (用途), then shows the clear value until the server's expiry
 * (at most 5 minutes) and hides it again. The purpose and the read are recorded by the server.
 */
export function RevealDialog({ personId, field, open, onClose }: RevealDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ purpose: string }>();
  const reveal = useRevealPersonField(personId);
  const [shown, setShown] = useState<Shown | null>(null);
  const [expired, setExpired] = useState(false);
  const fieldLabel = t(`person.fields.${field}`);

  const close = () => {
    // Forget the clear value as soon as the dialog closes.
    setShown(null);
    setExpired(false);
    reveal.reset();
    form.resetFields();
    onClose();
  };

  const submit = (values: { purpose: string }) => {
    reveal.mutate(
      { field, purpose: values.purpose.trim() },
      {
        onSuccess: (res) => {
          setShown(shownFrom(res));
          setExpired(false);
          // The mutation's copy of the clear value is not needed once it is on screen.
          reveal.reset();
        },
        onError: (e) => {
          if (isApiError(e) && fieldCodes.has(e.code)) {
            form.setFields([{ name: "purpose", errors: [e.message || describeError(t, e)] }]);
          }
        },
      },
    );
  };

  const serverError = reveal.error && !(isApiError(reveal.error) && fieldCodes.has(reveal.error.code)) ? reveal.error : null;

  return (
    <Modal
      open={open}
      title={t("person.reveal.title", { field: fieldLabel })}
      onCancel={close}
      maskClosable={false}
      data-testid="reveal-dialog"
      footer={
        shown ? (
          <Button onClick={close} data-testid="reveal-hide">
            {t("person.reveal.hideNow")}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t("common.cancel")}</Button>
            <Button type="primary" loading={reveal.isPending} onClick={() => form.submit()} data-testid="reveal-submit">
              {t("person.reveal.submit")}
            </Button>
          </Space>
        )
      }
    >
      {shown ? (
        <ClearValue
          shown={shown}
          onExpire={() => {
            setShown(null);
            setExpired(true);
          }}
        />
      ) : (
        <>
          {expired && <Alert type="info" showIcon message={t("person.reveal.expired")} style={{ marginBottom: 12 }} />}
          <Typography.Paragraph type="secondary">{t("person.reveal.notice")}</Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item
              name="purpose"
              label={t("person.reveal.purpose")}
              extra={t("person.reveal.purposeHint")}
              rules={[
                { required: true, whitespace: true, message: t("person.reveal.purposeRequired") },
                {
                  validator: (_rule, value: string | undefined) => {
                    const n = [...(value ?? "").trim()].length;
                    if (n > 0 && n < purposeMin) return Promise.reject(new Error(t("person.reveal.purposeTooShort", { min: purposeMin })));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <Input.TextArea
                autoSize={{ minRows: 2, maxRows: 4 }}
                maxLength={purposeMax}
                showCount
                placeholder={t("person.reveal.purposePlaceholder")}
                autoComplete="off"
                data-testid="reveal-purpose"
              />
            </Form.Item>
          </Form>
          {serverError && <Alert type="error" showIcon message={describeError(t, serverError)} />}
        </>
      )}
    </Modal>
  );
}

/** A masked number with 「查看完整号码」 when the person may reveal it. */
export function MaskedNumber({
  personId,
  field,
  masked,
  canReveal,
}: {
  personId: string;
  field: RevealField;
  masked: string | null;
  canReveal: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!masked) return <Typography.Text type="secondary">{t("person.notRecorded")}</Typography.Text>;
  return (
    <Space size={8} wrap>
      <Typography.Text className="gz-masked-number" data-testid={`masked-${field}`}>
        {masked}
      </Typography.Text>
      {canReveal && (
        <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid={`reveal-${field}`}>
          {t("person.reveal.button")}
        </Button>
      )}
      <RevealDialog personId={personId} field={field} open={open} onClose={() => setOpen(false)} />
    </Space>
  );
}
