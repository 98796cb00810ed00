import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, Button, Drawer, Grid, Segmented, Space, Table, Tag, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { describeError } from "../../errors";
import { chinaTime } from "../../platform/time";
import { useWebhookDeliveries, type DeliveryStatus, type Webhook, type WebhookDelivery } from "./api";
import { eventLabel } from "./labels";

const statusColor: Record<DeliveryStatus, string> = { pending: "gold", delivered: "green", failed: "red" };
type Filter = "all" | DeliveryStatus;

/** 投递记录: the 100 newest deliveries of one hook, filterable by status. */
export function DeliveriesDrawer({ webhook, onClose }: { webhook: Webhook | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [filter, setFilter] = useState<Filter>("all");
  const deliveries = useWebhookDeliveries(webhook?.id);
  const time = (iso: string | null) => (iso ? chinaTime(iso, i18n.language) : t("common.none"));
  const items = (deliveries.data ?? []).filter((d) => filter === "all" || d.status === filter);

  return (
    <Drawer
      open={webhook !== null}
      onClose={() => {
        setFilter("all");
        onClose();
      }}
      title={webhook ? t("webhooks.deliveries.title", { name: webhook.name }) : null}
      width={screens.lg ? 980 : "100%"}
      destroyOnHidden
      extra={
        <Button icon={<ReloadOutlined />} loading={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
          {screens.sm ? t("webhooks.deliveries.refresh") : null}
        </Button>
      }
    >
      <Space direction="vertical" size={12} style={{ width: "100%" }} data-testid="webhook-deliveries">
        <Typography.Text type="secondary">{t("webhooks.deliveries.intro")}</Typography.Text>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={(["all", "pending", "delivered", "failed"] as const).map((f) => ({ value: f, label: f === "all" ? t("webhooks.deliveries.all") : t(`webhooks.deliveries.status.${f}`) }))}
        />
        {deliveries.isError ? (
          <Alert type="error" showIcon message={describeError(t, deliveries.error)} />
        ) : (
          <Table<WebhookDelivery>
            rowKey="id"
            size="small"
            loading={deliveries.isPending}
            dataSource={items}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 900 }}
            locale={{ emptyText: t("webhooks.deliveries.empty") }}
            columns={[
              {
                title: t("webhooks.deliveries.event"),
                key: "event",
                width: 150,
                render: (_: unknown, d) => (
                  <div>
                    <div>{eventLabel(t, d.event)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      #{d.id} · {d.event}
                    </Typography.Text>
                  </div>
                ),
              },
              { title: t("webhooks.deliveries.caseNo"), key: "caseNo", width: 140, render: (_: unknown, d) => d.caseNo ?? t("common.none") },
              {
                title: t("webhooks.deliveries.statusTitle"),
                key: "status",
                width: 90,
                render: (_: unknown, d) => (
                  <Tag bordered={false} color={statusColor[d.status]} data-testid="delivery-status">
                    {t(`webhooks.deliveries.status.${d.status}`)}
                  </Tag>
                ),
              },
              { title: t("webhooks.deliveries.attempts"), dataIndex: "attempts", width: 80, align: "right" },
              {
                title: t("webhooks.deliveries.answer"),
                key: "answer",
                width: 200,
                render: (_: unknown, d) =>
                  d.lastError ? (
                    <Typography.Text type={d.status === "delivered" ? undefined : "danger"} style={{ fontSize: 13, wordBreak: "break-word" }}>
                      {d.lastError}
                    </Typography.Text>
                  ) : d.lastStatus !== null ? (
                    `HTTP ${d.lastStatus}`
                  ) : (
                    t("common.none")
                  ),
              },
              {
                title: t("webhooks.deliveries.times"),
                key: "times",
                width: 220,
                render: (_: unknown, d) => (
                  <div style={{ fontSize: 13 }}>
                    <div>{t("webhooks.deliveries.queuedAt", { time: time(d.createdAt) })}</div>
                    {d.deliveredAt && <div>{t("webhooks.deliveries.deliveredAt", { time: time(d.deliveredAt) })}</div>}
                    {d.failedAt && <div>{t("webhooks.deliveries.failedAt", { time: time(d.failedAt) })}</div>}
                    {d.nextAttemptAt && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("webhooks.deliveries.nextAt", { time: time(d.nextAttemptAt) })}
                      </Typography.Text>
                    )}
                  </div>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Drawer>
  );
}
