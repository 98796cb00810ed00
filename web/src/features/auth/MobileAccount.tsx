import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, List, Selector, Toast } from "antd-mobile";
import { languages, type Language } from "../../i18n";
import { languageNames, useLanguage } from "../../components/useLanguage";
import { describeError } from "../errors";
import { roleLabel } from "./labels";
import { useLogout, useMe } from "./session";

/** 我的: who I am, where my roles apply, the language, and 退出登录 (both phone faces). */
export function MobileAccount() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const { language, setLanguage } = useLanguage();

  const onLogout = () =>
    logout.mutate(undefined, {
      onSuccess: () => void navigate("/login", { replace: true }),
      onError: (e) => Toast.show({ content: describeError(t, e) }),
    });

  return (
    <div data-testid="mobile-account">
      <List header={t("me.profile")} className="gz-mobile-section">
        <List.Item extra={me.displayName}>{t("me.name")}</List.Item>
        <List.Item extra={me.username}>{t("me.username")}</List.Item>
      </List>
      <List header={t("me.grants")} className="gz-mobile-section">
        {me.grants.map((g) => (
          <List.Item key={`${g.role}:${g.areaId}`} description={g.areaName}>
            {roleLabel(t, g)}
          </List.Item>
        ))}
      </List>
      <List header={t("me.language")} className="gz-mobile-section">
        <List.Item>
          <Selector<Language>
            columns={2}
            value={[language]}
            onChange={(v) => {
              if (v[0]) setLanguage(v[0]);
            }}
            options={languages.map((l) => ({ value: l, label: languageNames[l] }))}
          />
        </List.Item>
      </List>
      <div className="gz-mobile-section">
        <Button block color="danger" fill="outline" loading={logout.isPending} onClick={onLogout} data-testid="logout">
          {t("common.logout")}
        </Button>
      </div>
    </div>
  );
}
