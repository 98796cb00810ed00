/**
 * The two password pages outside the faces: 设置新密码 after logging in with a password an
 * administrator chose (`mustChangePassword`), and /reset/<token>, a one-time link's page.
 */
import { useState, type ReactNode } from "react";
import { Link, Navigate, useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Form, Input, Result, Typography } from "antd";
import { AntdShell } from "../../components/AntdShell";
import { LanguageSegmented } from "../../components/LanguageSegmented";
import { FullPageSpinner } from "../../components/FullPage";
import { isApiError } from "../../api";
import { describeError } from "../../features/errors";
import { useLogout, useSession } from "../../features/auth/session";
import { faceHome } from "../../features/auth/types";
import { ChangePasswordForm, passwordRules } from "../../features/auth/PasswordForm";
import { useResetWithLink } from "../../features/auth/usersApi";
import "./login.css";

function Frame({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="gz-login">
      <header className="gz-login-top">
        <LanguageSegmented />
      </header>
      <main className="gz-login-main">
        <Card className="gz-login-card" variant="borderless">
          <div className="gz-login-brand">
            <span className="gz-login-logo" aria-hidden="true">
              共
            </span>
            <div>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {title}
              </Typography.Title>
              <Typography.Text type="secondary">{intro}</Typography.Text>
            </div>
          </div>
          {children}
        </Card>
      </main>
      <footer className="gz-login-footer">{t("app.footer")}</footer>
    </div>
  );
}

function ChangeScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const logout = useLogout();
  if (session.isPending) return <FullPageSpinner />;
  const me = session.data;
  if (!me) return <Navigate to="/login" replace />;
  if (!me.mustChangePassword) return <Navigate to={faceHome[me.face]} replace />;
  return (
    <Frame title={t("password.mustTitle")} intro={t("password.mustIntro", { name: me.displayName })}>
      <ChangePasswordForm submitLabel={t("password.submitAndEnter")} onDone={() => void navigate(faceHome[me.face], { replace: true })} />
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => logout.mutate(undefined, { onSuccess: () => void navigate("/login", { replace: true }) })}>
        {t("common.logout")}
      </Button>
    </Frame>
  );
}

function ResetScreen() {
  const { t } = useTranslation();
  const { token = "" } = useParams();
  const reset = useResetWithLink();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <Frame title={t("password.resetTitle")} intro={t("password.resetIntro")}>
        {/* antd's Result does not pass data-* attributes on: the wrapper carries the test id. */}
        <div data-testid="reset-done">
          <Result status="success" title={t("password.resetDone")} extra={<Link to="/login">{t("password.toLogin")}</Link>} />
        </div>
      </Frame>
    );
  }
  return (
    <Frame title={t("password.resetTitle")} intro={t("password.resetIntro")}>
      {reset.isError && !(isApiError(reset.error) && reset.error.field === "password") && (
        <Alert type="error" showIcon message={describeError(t, reset.error)} style={{ marginBottom: 16 }} data-testid="reset-error" />
      )}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) =>
          reset.mutate(
            { token, password: v.password },
            {
              onSuccess: () => setDone(true),
              onError: (e) => {
                if (isApiError(e) && e.field === "password") form.setFields([{ name: "password", errors: [describeError(t, e)] }]);
              },
            },
          )
        }
      >
        <Form.Item name="password" label={t("password.new")} rules={passwordRules(t)} extra={t("password.policy")}>
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("password.confirm")}
          dependencies={["password"]}
          rules={[
            { required: true, message: t("password.confirmRequired") },
            ({ getFieldValue }) => ({
              validator: (_, v: string | undefined) => (!v || v === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("password.mismatch")))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={reset.isPending} data-testid="password-submit">
          {t("password.submit")}
        </Button>
      </Form>
    </Frame>
  );
}

export function ChangePasswordPage() {
  return (
    <AntdShell>
      <ChangeScreen />
    </AntdShell>
  );
}

export function ResetPasswordPage() {
  return (
    <AntdShell>
      <ResetScreen />
    </AntdShell>
  );
}
