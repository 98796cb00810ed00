import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { Button, Form, Input, List, Popup, Selector, Toast } from "antd-mobile";
import { isApiError } from "../../api";
import { useChangePassword } from "./usersApi";
import { languages, type Language } from "../../i18n";
import { languageNames, useLanguage } from "../../components/useLanguage";
import { describeError } from "../errors";
import { roleLabel } from "./labels";
import { useLogout, useMe } from "./session";

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** 修改密码 on the phone: current, new twice; the server's refusal lands on its field. */
function MobilePasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordValues>();
  const change = useChangePassword();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v: PasswordValues) =>
        change.mutate(
          { currentPassword: v.currentPassword, newPassword: v.newPassword },
          {
            onSuccess: () => {
              form.resetFields();
              Toast.show({ icon: "success", content: t("password.changed") });
              onDone();
            },
            onError: (e) => {
              if (isApiError(e) && (e.field === "currentPassword" || e.field === "newPassword")) form.setFields([{ name: e.field, errors: [describeError(t, e)] }]);
              else Toast.show({ content: describeError(t, e) });
            },
          },
        )
      }
      footer={
        <Button block type="submit" color="primary" loading={change.isPending} data-testid="password-submit">
          {t("password.submit")}
        </Button>
      }
    >
      <Form.Header>{t("password.change")}</Form.Header>
      <Form.Item name="currentPassword" label={t("password.current")} rules={[{ required: true, message: t("password.currentRequired") }]}>
        <Input type="password" autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t("password.new")} rules={[{ required: true, message: t("password.newRequired") }]} help={t("password.policy")}>
        <Input type="password" autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t("password.confirm")}
        dependencies={["newPassword"]}
        rules={[
          { required: true, message: t("password.confirmRequired") },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) => (!v || v === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error(t("password.mismatch")))),
          }),
        ]}
      >
        <Input type="password" autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
    </Form>
  );
}

/** 我的: who I am, where my roles apply, the language, 修改密码 and 退出登录 (both phone faces). */
export function MobileAccount() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const { language, setLanguage } = useLanguage();
  const [changingPassword, setChangingPassword] = useState(false);

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
      <List className="gz-mobile-section">
        <List.Item onClick={() => setChangingPassword(true)} data-testid="change-password">
          {t("password.change")}
        </List.Item>
      </List>
      <Popup visible={changingPassword} onMaskClick={() => setChangingPassword(false)} bodyStyle={{ borderTopLeftRadius: 8, borderTopRightRadius: 8, maxHeight: "90vh", overflowY: "auto" }} destroyOnClose>
        <MobilePasswordForm onDone={() => setChangingPassword(false)} />
      </Popup>
      <div className="gz-mobile-section">
        <Button block color="danger" fill="outline" loading={logout.isPending} onClick={onLogout} data-testid="logout">
          {t("common.logout")}
        </Button>
      </div>
    </div>
  );
}
