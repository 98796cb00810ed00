import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Badge, Button, CapsuleTabs, DotLoading, Empty, ErrorBlock, List, Popup, Toast } from "antd-mobile";
import { BellOutlined } from "@ant-design/icons";
import { shortTime } from "../platform/time";
import { describeError } from "../errors";
import { useInbox, useLiveEvents, useMarkAllRead, useMarkRead, useUnreadCount, type InboxItem } from "./api";
import { MobileNoticeSettings } from "./NoticeSettings";
import "./inbox.css";

/** The phone faces' bell (title bar, right): unread count and a sheet of notices. Keeps the live stream open. */
export function MobileInboxBell() {
  const { t } = useTranslation();
  useLiveEvents();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Badge content={unread > 0 ? (unread > 99 ? "99+" : unread) : null}>
        <button
          type="button"
          className="gz-inbox-bell"
          aria-label={unread > 0 ? t("inbox.bellUnread", { count: unread }) : t("inbox.title")}
          onClick={() => setOpen(true)}
          data-testid="inbox-bell"
        >
          <BellOutlined />
        </button>
      </Badge>
      <Popup visible={open} onMaskClick={() => setOpen(false)} onClose={() => setOpen(false)} bodyStyle={{ height: "75vh", overflowY: "auto", borderTopLeftRadius: 12, borderTopRightRadius: 12 }} destroyOnClose>
        <MobileInboxSheet onClose={() => setOpen(false)} />
      </Popup>
    </>
  );
}

function MobileInboxSheet({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [page, setPage] = useState(1);
  const [settings, setSettings] = useState(false);
  const inbox = useInbox(page, onlyUnread);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const data = inbox.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  const openItem = (item: InboxItem) => {
    if (!item.readAt) markRead.mutate(item.id, { onError: (e) => Toast.show({ content: describeError(t, e) }) });
    if (item.link) {
      onClose();
      void navigate(item.link);
    }
  };

  if (settings) {
    return (
      <div data-testid="inbox-sheet">
        <div className="gz-inbox-head">
          <strong>{t("inbox.settings")}</strong>
          <Button size="mini" fill="none" color="primary" onClick={() => setSettings(false)}>
            {t("inbox.back")}
          </Button>
        </div>
        <MobileNoticeSettings />
      </div>
    );
  }

  return (
    <div data-testid="inbox-sheet">
      <div className="gz-inbox-head">
        <strong>{t("inbox.title")}</strong>
        <Button size="mini" fill="none" color="primary" onClick={() => setSettings(true)} data-testid="inbox-settings-open">
          {t("inbox.settings")}
        </Button>
        <Button size="mini" fill="none" color="primary" disabled={!data?.unreadCount} loading={markAll.isPending} onClick={() => markAll.mutate(undefined, { onError: (e) => Toast.show({ content: describeError(t, e) }) })}>
          {t("inbox.readAll")}
        </Button>
      </div>
      <CapsuleTabs
        activeKey={onlyUnread ? "unread" : "all"}
        onChange={(k) => {
          setOnlyUnread(k === "unread");
          setPage(1);
        }}
      >
        <CapsuleTabs.Tab key="all" title={t("inbox.all")} />
        <CapsuleTabs.Tab key="unread" title={t("inbox.unread", { count: data?.unreadCount ?? 0 })} />
      </CapsuleTabs>
      {inbox.isLoading ? (
        <div style={{ textAlign: "center", padding: 24 }}>
          <DotLoading />
        </div>
      ) : inbox.isError ? (
        <ErrorBlock status="default" title={describeError(t, inbox.error)} description="" />
      ) : data && data.items.length > 0 ? (
        <List>
          {data.items.map((item) => (
            <List.Item
              key={item.id}
              onClick={() => openItem(item)}
              arrow={!!item.link}
              prefix={!item.readAt ? <Badge content={Badge.dot} /> : null}
              description={
                <>
                  <div>{item.body}</div>
                  <div style={{ fontSize: 12, marginTop: 2 }}>{shortTime(i18n, item.createdAt)}</div>
                </>
              }
              data-testid="inbox-item"
            >
              <span style={{ fontWeight: item.readAt ? 400 : 600 }}>{item.title}</span>
            </List.Item>
          ))}
        </List>
      ) : (
        <Empty description={onlyUnread ? t("inbox.noneUnread") : t("inbox.none")} />
      )}
      {pages > 1 && (
        <div className="gz-inbox-pager">
          <Button size="small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("inbox.newer")}
          </Button>
          <span>
            {page} / {pages}
          </span>
          <Button size="small" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t("inbox.older")}
          </Button>
        </div>
      )}
    </div>
  );
}
