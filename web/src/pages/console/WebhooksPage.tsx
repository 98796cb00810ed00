import { useState, type HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Empty, Grid, List, Space, Table, Tag, Tooltip, Typography } from "antd";
import { DeleteOutlined, EditOutlined, KeyOutlined, PauseCircleOutlined, PlayCircleOutlined, PlusOutlined, SendOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { describeError, errorCode } from "../../features/errors";
import { chinaTime } from "../../features/platform/time";
import {
  useDeleteWebhook,
  useRegenerateWebhookSecret,
  useTestWebhook,
  useUpdateWebhook,
  useWebhooks,
  type PingResult,
  type Webhook,
} from "../../features/notify/webhooks/api";
import { DeliveriesDrawer } from "../../features/notify/webhooks/DeliveriesDrawer";
import { eventLabel } from "../../features/notify/webhooks/labels";
import { SecretDialog, type ShownSecret } from "../../features/notify/webhooks/SecretDialog";
import { WebhookFormDrawer, type WebhookFormTarget } from "../../features/notify/webhooks/WebhookFormDrawer";
import { PageHead } from "./PageHead";

const metaStyle = { fontSize: 12, color: "rgba(0, 0, 0, 0.55)" } as const;

/** The events a hook listens to: 全部事件, or the first few by name with the rest counted. */
function EventTags({ events }: { events: string[] }) {
  const { t } = useTranslation();
  if (events.length === 0) {
    return (
      <Tag bordered={false} color="blue">
        {t("webhooks.allEvents")}
      </Tag>
    );
  }
  const shown = events.slice(0, 3);
  return (
    <Space size={[0, 4]} wrap>
      {shown.map((e) => (
        <Tag key={e} bordered={false} title={e}>
          {eventLabel(t, e)}
        </Tag>
      ))}
      {events.length > shown.length && (
        <Tooltip title={events.slice(shown.length).map((e) => eventLabel(t, e)).join("、")}>
          <Tag bordered={false}>{t("webhooks.moreEvents", { count: events.length - shown.length })}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag bordered={false} color={active ? "green" : "default"} data-testid="webhook-state">
      {active ? t("webhooks.active") : t("webhooks.paused")}
    </Tag>
  );
}

function Counts({ w }: { w: Webhook }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag bordered={false} color={w.pending > 0 ? "gold" : "default"}>
        {t("webhooks.pendingCount", { count: w.pending })}
      </Tag>
      <Tag bordered={false} color={w.failed > 0 ? "red" : "default"}>
        {t("webhooks.failedCount", { count: w.failed })}
      </Tag>
    </Space>
  );
}

/** A row's actions: pause/resume, edit, test, deliveries, new secret, delete. */
function WebhookActions({
  w,
  onEdit,
  onDeliveries,
  onSecret,
}: {
  w: Webhook;
  onEdit: () => void;
  onDeliveries: () => void;
  onSecret: (s: ShownSecret) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const update = useUpdateWebhook();
  const test = useTestWebhook();
  const regenerate = useRegenerateWebhookSecret();
  const remove = useDeleteWebhook();
  const fail = (e: unknown) => void message.error(describeError(t, e));

  const toggle = () =>
    update.mutate(
      { id: w.id, active: !w.active },
      { onSuccess: (r) => void message.success(r.active ? t("webhooks.resumed", { name: r.name }) : t("webhooks.pausedDone", { name: r.name })), onError: fail },
    );

  const showPing = (r: PingResult) => {
    const answer = r.status !== null ? `HTTP ${r.status}` : t("webhooks.test.noAnswer");
    const content = (
      <div data-testid="ping-result">
        <div>{r.ok ? t("webhooks.test.okBody", { answer }) : t("webhooks.test.failBody", { answer })}</div>
        {r.error && (
          <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0, wordBreak: "break-word" }}>
            {r.error}
          </Typography.Paragraph>
        )}
        {!r.ok && <div style={{ ...metaStyle, marginTop: 8 }}>{t("webhooks.test.retryNote")}</div>}
      </div>
    );
    if (r.ok) void modal.success({ title: t("webhooks.test.okTitle"), content, okText: t("webhooks.test.close") });
    else void modal.warning({ title: t("webhooks.test.failTitle"), content, okText: t("webhooks.test.close") });
  };

  const confirmSecret = () =>
    void modal.confirm({
      title: t("webhooks.regenerate.title", { name: w.name }),
      content: t("webhooks.regenerate.body"),
      okText: t("webhooks.regenerate.ok"),
      okButtonProps: { danger: true, ...({ "data-testid": "webhook-regenerate-ok" } as object) },
      cancelText: t("common.cancel"),
      onOk: () =>
        regenerate.mutateAsync(w.id).then(
          (r) => onSecret({ name: r.webhook.name, secret: r.secret, reason: "replaced" }),
          (e: unknown) => fail(e),
        ),
    });

  const confirmDelete = () =>
    void modal.confirm({
      title: t("webhooks.remove.title", { name: w.name }),
      content: t("webhooks.remove.body"),
      okText: t("webhooks.remove.ok"),
      okButtonProps: { danger: true, ...({ "data-testid": "webhook-delete-ok" } as object) },
      cancelText: t("common.cancel"),
      onOk: () =>
        remove.mutateAsync(w.id).then(
          () => void message.success(t("webhooks.remove.done", { name: w.name })),
          (e: unknown) => fail(e),
        ),
    });

  return (
    <Space size={0} wrap>
      <Button type="link" size="small" icon={<SendOutlined />} loading={test.isPending} onClick={() => test.mutate(w.id, { onSuccess: showPing, onError: fail })} data-testid="webhook-test">
        {t("webhooks.actions.test")}
      </Button>
      <Button type="link" size="small" icon={<UnorderedListOutlined />} onClick={onDeliveries} data-testid="webhook-deliveries-open">
        {t("webhooks.actions.deliveries")}
      </Button>
      <Button
        type="link"
        size="small"
        icon={w.active ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
        loading={update.isPending}
        onClick={toggle}
        data-testid="webhook-toggle"
      >
        {w.active ? t("webhooks.actions.pause") : t("webhooks.actions.resume")}
      </Button>
      <Button type="link" size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="webhook-edit">
        {t("webhooks.actions.edit")}
      </Button>
      <Button type="link" size="small" icon={<KeyOutlined />} loading={regenerate.isPending} onClick={confirmSecret} data-testid="webhook-regenerate">
        {t("webhooks.actions.regenerate")}
      </Button>
      <Button type="link" size="small" danger icon={<DeleteOutlined />} loading={remove.isPending} onClick={confirmDelete} data-testid="webhook-delete">
        {t("webhooks.actions.delete")}
      </Button>
    </Space>
  );
}

/**
 * 外部系统推送: system administrators connect outside systems (the district's 12345 hotline
 * platform, a department's own system) to case events. Each push posts signed JSON to an address;
 * its secret is shown once, at creation and when replaced.
 */
export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const list = useWebhooks();
  const [formTarget, setFormTarget] = useState<WebhookFormTarget | null>(null);
  const [deliveriesOf, setDeliveriesOf] = useState<string | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const items = list.data?.items ?? [];
  const deliveriesHook = items.find((w) => w.id === deliveriesOf) ?? null;
  const lastDelivered = (w: Webhook) => (w.lastDeliveredAt ? chinaTime(w.lastDeliveredAt, i18n.language) : t("webhooks.neverDelivered"));
  const forbidden = errorCode(list.error) === "forbidden";

  const actions = (w: Webhook) => (
    <WebhookActions w={w} onEdit={() => setFormTarget({ mode: "edit", webhook: w })} onDeliveries={() => setDeliveriesOf(w.id)} onSecret={setSecret} />
  );

  const empty = <Empty description={t("webhooks.empty")} />;

  return (
    <div data-testid="webhooks-page">
      <PageHead
        title={t("webhooks.title")}
        extra={
          list.isSuccess && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: "create" })} data-testid="webhook-new">
              {t("webhooks.new")}
            </Button>
          )
        }
      />
      <Typography.Paragraph type="secondary">{t("webhooks.intro")}</Typography.Paragraph>
      {list.isError ? (
        <Alert type={forbidden ? "warning" : "error"} showIcon message={forbidden ? t("webhooks.forbidden") : describeError(t, list.error)} data-testid="webhooks-error" />
      ) : narrow ? (
        <List<Webhook>
          loading={list.isPending}
          dataSource={items}
          locale={{ emptyText: empty }}
          renderItem={(w) => (
            <Card size="small" style={{ marginBottom: 12 }} data-testid="webhook-row">
              <Space size={6} wrap>
                <Typography.Text strong>{w.name}</Typography.Text>
                <ActiveTag active={w.active} />
              </Space>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "4px 0", wordBreak: "break-all" }}>
                {w.url}
              </Typography.Paragraph>
              <EventTags events={w.events} />
              <div style={{ ...metaStyle, margin: "6px 0" }}>
                {t("webhooks.phoneLine", { area: w.areaName ?? t("webhooks.allAreas"), last: lastDelivered(w) })}
              </div>
              <Counts w={w} />
              <div style={{ marginTop: 6, marginLeft: -8 }}>{actions(w)}</div>
            </Card>
          )}
        />
      ) : (
        <Card size="small">
          <Table<Webhook>
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={items}
            pagination={false}
            scroll={{ x: 1060 }}
            locale={{ emptyText: empty }}
            onRow={() => ({ "data-testid": "webhook-row" }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t("webhooks.fields.name"),
                key: "name",
                width: 210,
                render: (_: unknown, w) => (
                  <div>
                    <Typography.Text strong>{w.name}</Typography.Text>
                    <div style={{ ...metaStyle, wordBreak: "break-all" }} data-testid="webhook-url-cell">
                      {w.url}
                    </div>
                  </div>
                ),
              },
              { title: t("webhooks.fields.events"), key: "events", width: 190, render: (_: unknown, w) => <EventTags events={w.events} /> },
              { title: t("webhooks.fields.area"), key: "area", width: 100, render: (_: unknown, w) => w.areaName ?? <Typography.Text type="secondary">{t("webhooks.allAreas")}</Typography.Text> },
              { title: t("webhooks.fields.state"), key: "state", width: 72, render: (_: unknown, w) => <ActiveTag active={w.active} /> },
              { title: t("webhooks.fields.queue"), key: "queue", width: 140, render: (_: unknown, w) => <Counts w={w} /> },
              { title: t("webhooks.fields.lastDelivered"), key: "last", width: 100, render: (_: unknown, w) => lastDelivered(w) },
              { title: t("webhooks.fields.actions"), key: "actions", width: 248, fixed: "right" as const, render: (_: unknown, w) => actions(w) },
            ]}
          />
        </Card>
      )}
      <WebhookFormDrawer
        target={formTarget}
        events={list.data?.events ?? []}
        onClose={() => setFormTarget(null)}
        onCreated={(r) => {
          setFormTarget(null);
          setSecret({ name: r.webhook.name, secret: r.secret, reason: "created" });
        }}
      />
      <DeliveriesDrawer webhook={deliveriesHook} onClose={() => setDeliveriesOf(null)} />
      <SecretDialog shown={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
