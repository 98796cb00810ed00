import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Drawer, Form, Grid, Input, Select, Typography } from "antd";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { useCreateWebhook, useUpdateWebhook, type Webhook, type WebhookWithSecret } from "./api";
import { AreaPicker } from "./AreaPicker";
import { eventLabel } from "./labels";

interface Values {
  name: string;
  url: string;
  events: string[];
  areaId: string | null;
}

const formFields = new Set<string>(["name", "url", "events", "areaId"]);

export type WebhookFormTarget = { mode: "create" } | { mode: "edit"; webhook: Webhook };

/**
 * New or changed push (推送): name, receiving address, events (none = all) and, when new, an
 * optional area. A refusal that names a field (webhook_invalid) is shown on that field.
 */
export function WebhookFormDrawer({
  target,
  events,
  onClose,
  onCreated,
}: {
  target: WebhookFormTarget | null;
  events: string[];
  onClose: () => void;
  onCreated: (result: WebhookWithSecret) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const url = Form.useWatch("url", form);
  const editing = target?.mode === "edit" ? target.webhook : null;

  const initialValues = useMemo<Values>(
    () => (editing ? { name: editing.name, url: editing.url, events: editing.events, areaId: editing.areaId } : { name: "", url: "https://", events: [], areaId: null }),
    [editing],
  );

  // The form instance outlives the drawer's content: load the values of each new target.
  const resetCreate = create.reset;
  const resetUpdate = update.reset;
  useEffect(() => {
    if (target) {
      form.resetFields();
      resetCreate();
      resetUpdate();
    }
  }, [target, initialValues, form, resetCreate, resetUpdate]);

  const error = create.error ?? update.error;
  const pending = create.isPending || update.isPending;

  const submit = (v: Values) => {
    const onError = (e: unknown) => {
      if (isApiError(e) && e.field && formFields.has(e.field)) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
    };
    const body = { name: v.name.trim(), url: v.url.trim(), events: v.events };
    if (editing) {
      update.mutate(
        { id: editing.id, ...body },
        {
          onSuccess: () => {
            void message.success(t("webhooks.saved"));
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate({ ...body, areaId: v.areaId ?? null }, { onSuccess: (r) => onCreated(r), onError });
    }
  };

  const plainHttp = typeof url === "string" && /^http:\/\//i.test(url.trim());

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={editing ? t("webhooks.form.editTitle", { name: editing.name }) : t("webhooks.form.newTitle")}
      width={screens.md ? 520 : "100%"}
      destroyOnHidden
      extra={
        <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="webhook-save">
          {editing ? t("common.save") : t("webhooks.form.create")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={submit} data-testid="webhook-form">
        {error && !(isApiError(error) && error.field && formFields.has(error.field)) && (
          <Alert type="error" showIcon message={describeError(t, error)} style={{ marginBottom: 16 }} />
        )}
        <Form.Item name="name" label={t("webhooks.fields.name")} rules={[{ required: true, whitespace: true, message: t("webhooks.form.nameRequired") }, { max: 100 }]}>
          <Input placeholder={t("webhooks.form.namePlaceholder")} maxLength={100} data-testid="webhook-name" />
        </Form.Item>
        <Form.Item
          name="url"
          label={t("webhooks.fields.url")}
          rules={[{ required: true, whitespace: true, message: t("webhooks.form.urlRequired") }]}
          extra={plainHttp ? <Typography.Text type="warning">{t("webhooks.form.httpWarning")}</Typography.Text> : t("webhooks.form.urlHint")}
        >
          <Input placeholder="https://" inputMode="url" autoComplete="off" spellCheck={false} data-testid="webhook-url" />
        </Form.Item>
        <Form.Item name="events" label={t("webhooks.fields.events")} extra={t("webhooks.form.eventsHint")}>
          <Select<string[]>
            mode="multiple"
            allowClear
            placeholder={t("webhooks.allEvents")}
            optionFilterProp="label"
            options={events.map((e) => ({ value: e, label: eventLabel(t, e), code: e }))}
            optionRender={(o) => (
              <span>
                {o.data.label}
                <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                  {o.data.code}
                </Typography.Text>
              </span>
            )}
            data-testid="webhook-events"
          />
        </Form.Item>
        {editing ? (
          <Form.Item label={t("webhooks.fields.area")} extra={t("webhooks.form.areaFixed")}>
            <Typography.Text>{editing.areaName ?? t("webhooks.allAreas")}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item name="areaId" label={t("webhooks.fields.area")} extra={t("webhooks.form.areaHint")}>
            <AreaPicker />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
