import { useTranslation } from "react-i18next";
import { App, List, Switch, Typography } from "antd";
import { List as MobileList, Switch as MobileSwitch, Toast, DotLoading } from "antd-mobile";
import { describeError } from "../errors";
import { useNoticePreferences, useSetNoticePreference } from "./api";

/** 通知设置 in the console's inbox drawer: one switch per kind of notice. */
export function NoticeSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const prefs = useNoticePreferences();
  const set = useSetNoticePreference();
  if (prefs.isError) return <Typography.Text type="danger">{describeError(t, prefs.error)}</Typography.Text>;
  return (
    <div data-testid="inbox-settings">
      <Typography.Paragraph type="secondary">{t("inbox.settingsHint")}</Typography.Paragraph>
      <List
        loading={prefs.isLoading}
        dataSource={prefs.data?.items ?? []}
        renderItem={(p) => (
          <List.Item
            key={p.kind}
            extra={
              <Switch
                checked={p.enabled}
                loading={set.isPending && set.variables.kind === p.kind}
                onChange={(on) => set.mutate({ kind: p.kind, enabled: on }, { onError: (e) => void message.error(describeError(t, e)) })}
                aria-label={p.label}
                data-testid={`notice-kind-${p.kind}`}
              />
            }
          >
            <List.Item.Meta title={p.label} description={p.description} />
          </List.Item>
        )}
      />
    </div>
  );
}

/** The same switches in the phone sheet. */
export function MobileNoticeSettings() {
  const { t } = useTranslation();
  const prefs = useNoticePreferences();
  const set = useSetNoticePreference();
  if (prefs.isLoading) {
    return (
      <div style={{ textAlign: "center", padding: 24 }}>
        <DotLoading />
      </div>
    );
  }
  return (
    <div data-testid="inbox-settings">
      <MobileList header={t("inbox.settingsHint")}>
        {(prefs.data?.items ?? []).map((p) => (
          <MobileList.Item
            key={p.kind}
            description={p.description}
            extra={
              <MobileSwitch
                checked={p.enabled}
                loading={set.isPending && set.variables.kind === p.kind}
                onChange={(on) => set.mutate({ kind: p.kind, enabled: on }, { onError: (e) => Toast.show({ content: describeError(t, e) }) })}
                aria-label={p.label}
              />
            }
          >
            {p.label}
          </MobileList.Item>
        ))}
      </MobileList>
    </div>
  );
}
