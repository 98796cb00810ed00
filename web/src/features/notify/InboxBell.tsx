import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { App, Badge, Button, Drawer, Empty, List, Segmented, Space, Typography } from "antd";
import { ArrowLeftOutlined, BellOutlined, SettingOutlined } from "@ant-design/icons";
import { chinaTime } from "../platform/time";
import { describeError } from "../errors";
import { useInbox, useLiveEvents, useMarkAllRead, useMarkRead, useUnreadCount, type InboxItem } from "./api";
import { NoticeSettings } from "./NoticeSettings";

/** The console header's bell: unread count, a drawer with the notices, mark read. Also keeps the live stream open. */
export function InboxBell() {
  const { t } = useTranslation();
  useLiveEvents();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={unread > 0 ? t("inbox.bellUnread", { count: unread }) : t("inbox.title")}
          onClick={() => setOpen(true)}
          data-testid="inbox-bell"
        />
      </Badge>
      <InboxDrawer open={open} onClose={() => setOpen(false)} />
    </>
  );
}

function InboxDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [settings, setSettings] = useState(false);
  const inbox = useInbox(page, onlyUnread, open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  const openItem = (item: InboxItem) => {
    if (!item.readAt) markRead.mutate(item.id, { onError: (e) => void message.error(describeError(t, e)) });
    if (item.link) {
      onClose();
      void navigate(item.link);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={settings ? t("inbox.settings") : t("inbox.title")}
      width={400}
      extra={
        settings ? (
          <Button size="small" icon={<ArrowLeftOutlined />} onClick={() => setSettings(false)} data-testid="inbox-settings-back">
            {t("inbox.back")}
          </Button>
        ) : (
          <Space size={4}>
            <Button
              size="small"
              disabled={!inbox.data?.unreadCount}
              loading={markAll.isPending}
              onClick={() => markAll.mutate(undefined, { onError: (e) => void message.error(describeError(t, e)) })}
              data-testid="inbox-read-all"
            >
              {t("inbox.readAll")}
            </Button>
            <Button size="small" type="text" icon={<SettingOutlined />} aria-label={t("inbox.settings")} title={t("inbox.settings")} onClick={() => setSettings(true)} data-testid="inbox-settings-open" />
          </Space>
        )
      }
    >
      {settings ? (
        <NoticeSettings />
      ) : (
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Segmented
          value={onlyUnread ? "unread" : "all"}
          onChange={(v) => {
            setOnlyUnread(v === "unread");
            setPage(1);
          }}
          options={[
            { value: "all", label: t("inbox.all") },
            { value: "unread", label: t("inbox.unread", { count: inbox.data?.unreadCount ?? 0 }) },
          ]}
        />
        {inbox.isError ? (
          <Typography.Text type="danger">{describeError(t, inbox.error)}</Typography.Text>
        ) : (
          <List<InboxItem>
            loading={inbox.isLoading}
            dataSource={inbox.data?.items ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={onlyUnread ? t("inbox.noneUnread") : t("inbox.none")} /> }}
            pagination={
              (inbox.data?.total ?? 0) > (inbox.data?.pageSize ?? 20)
                ? { current: page, pageSize: inbox.data?.pageSize ?? 20, total: inbox.data?.total ?? 0, onChange: setPage, size: "small", simple: true }
                : false
            }
            renderItem={(item) => (
              <List.Item
                key={item.id}
                onClick={() => openItem(item)}
                style={{ cursor: item.link || !item.readAt ? "pointer" : "default" }}
                data-testid="inbox-item"
              >
                <List.Item.Meta
                  title={
                    <Space size={6}>
                      {!item.readAt && <Badge status="processing" />}
                      <Typography.Text strong={!item.readAt}>{item.title}</Typography.Text>
                    </Space>
                  }
                  description={
                    <>
                      <Typography.Paragraph style={{ marginBottom: 4 }}>{item.body}</Typography.Paragraph>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {chinaTime(item.createdAt, i18n.language)}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Space>
      )}
    </Drawer>
  );
}
