import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { http } from "../../api";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { AntdShell } from "../../components/AntdShell";
import { LanguageSegmented } from "../../components/LanguageSegmented";
import { FullPageSpinner } from "../../components/FullPage";
import { describeError, errorCode } from "../../features/errors";
import type { LoginState } from "../../features/auth/guards";
import { useLogin, useSession } from "../../features/auth/session";
import { faceHome, type Me } from "../../features/auth/types";
import "./login.css";

interface LoginForm {
  username: string;
  password: string;
}

/** Back to where the session ran out, if that page belongs to this person's face. */
function landingFor(me: Me, from: string | undefined): string {
  if (me.mustChangePassword) return "/change-password";
  const home = faceHome[me.face];
  return from && (from === home || from.startsWith(`${home}/`)) ? from : home;
}

function LoginCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const login = useLogin();
  const [form] = Form.useForm<LoginForm>();
  const [submitted, setSubmitted] = useState(false);
  // A fresh install: no administrator can log in yet; point to the first-run page.
  const setup = useQuery({ queryKey: ["setup"], queryFn: ({ signal }) => http.get("/api/setup", { signal }), staleTime: 60_000 });

  const onFinish = (values: LoginForm) => {
    setSubmitted(true);
    login.mutate(
      { username: values.username.trim(), password: values.password },
      { onSuccess: (res) => void navigate(landingFor(res.user, state.from), { replace: true }) },
    );
  };

  const code = errorCode(login.error);
  const errorType = code === "account_locked" || code === "rate_limited" ? "warning" : "error";

  return (
    <Card className="gz-login-card" variant="borderless">
      <div className="gz-login-brand">
        <span className="gz-login-logo" aria-hidden="true">
          共
        </span>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("app.name")}
          </Typography.Title>
          <Typography.Text type="secondary">{t("app.tagline")}</Typography.Text>
        </div>
      </div>

      {setup.data?.needed && (
        <Alert className="gz-login-alert" type="warning" showIcon message={t("setup.pending")} action={<Button size="small" type="primary" href="/setup">{t("setup.open")}</Button>} data-testid="setup-pending" />
      )}
      {state.reason === "session_expired" && !submitted && (
        <Alert className="gz-login-alert" type="info" showIcon message={t("login.sessionExpired")} />
      )}
      {login.isError && (
        <Alert
          className="gz-login-alert"
          type={errorType}
          showIcon
          message={describeError(t, login.error)}
          data-testid="login-error"
        />
      )}

      <Form<LoginForm> form={form} layout="vertical" requiredMark={false} onFinish={onFinish} size="large">
        <Form.Item
          name="username"
          label={t("login.username")}
          rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus placeholder={t("login.usernamePlaceholder")} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("login.password")}
          rules={[{ required: true, message: t("login.passwordRequired") }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" placeholder={t("login.passwordPlaceholder")} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          {t("login.submit")}
        </Button>
      </Form>
      <div className="gz-login-signup" data-testid="signup-links">
        <Typography.Text type="secondary">{t("accounts.login.residents")}</Typography.Text>
        <Link to="/signup" data-testid="signup-link">
          {t("accounts.login.signup")}
        </Link>
        <Link to="/signup/invite" data-testid="invite-signup-link">
          {t("accounts.login.invite")}
        </Link>
      </div>
    </Card>
  );
}

function LoginScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  if (session.isPending) return <FullPageSpinner />;
  if (session.data) return <Navigate to={landingFor(session.data, state.from)} replace />;
  return (
    <div className="gz-login">
      <header className="gz-login-top">
        <LanguageSegmented />
      </header>
      <main className="gz-login-main">
        <LoginCard />
      </main>
      <footer className="gz-login-footer">{t("app.footer")}</footer>
    </div>
  );
}

export default function LoginPage() {
  return (
    <AntdShell>
      <LoginScreen />
    </AntdShell>
  );
}
