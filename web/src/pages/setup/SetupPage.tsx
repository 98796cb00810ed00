import { useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Checkbox, Form, Input, Result, Select, Space, Steps, Table, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { http, type Answer } from "../../api";
import { AntdShell } from "../../components/AntdShell";
import { LanguageSegmented } from "../../components/LanguageSegmented";
import { FullPageSpinner } from "../../components/FullPage";
import { describeError, errorCode } from "../../features/errors";
import "../login/login.css";
import "./setup.css";

type SetupResult = Answer<"post", "/api/setup">;
interface Row {
  key: string;
  code?: string;
  name: string;
  include: boolean;
}
interface AdminForm {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

function useDivisions(parent: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["divisions", parent ?? ""],
    queryFn: ({ signal }) => http.get("/api/divisions", { params: { query: parent ? { parent } : {} }, signal }).then((r) => r.items),
    enabled,
    staleTime: Infinity,
  });
}

/**
 * 首次设置: while no system administrator exists, the one-time code from the server's log opens
 * this page: the administrator, then the street picked from the division codes, then its
 * communities (official ones renamable, extra ones addable). One request writes it all.
 */
function SetupWizard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const [adminForm] = Form.useForm<AdminForm>();
  const [admin, setAdmin] = useState<AdminForm | null>(null);
  const [province, setProvince] = useState<string>();
  const [city, setCity] = useState<string>();
  const [district, setDistrict] = useState<string>();
  const [street, setStreet] = useState<string>();
  const [rows, setRows] = useState<Row[]>([]);
  const [extra, setExtra] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SetupResult | null>(null);

  const provinces = useDivisions(undefined);
  const cities = useDivisions(province, Boolean(province));
  const districts = useDivisions(city, Boolean(city));
  const streets = useDivisions(district, Boolean(district));
  const communities = useDivisions(street, Boolean(street));
  const streetName = useMemo(() => streets.data?.find((s) => s.code === street)?.name, [streets.data, street]);

  const checkCode = async () => {
    setChecking(true);
    setCodeError(null);
    try {
      await http.post("/api/setup/code", { body: { code } });
      setStep(1);
    } catch (e) {
      setCodeError(e);
    } finally {
      setChecking(false);
    }
  };

  const pickStreet = (value: string | undefined) => {
    setStreet(value);
    setRows([]);
  };
  const communityRows: Row[] = rows.length > 0 || !communities.data ? rows : communities.data.map((c) => ({ key: c.code, code: c.code, name: c.name, include: true }));
  const editRows = (next: Row[]) => setRows(next);

  const submit = async () => {
    if (!admin || !street) return;
    setBusy(true);
    setError(null);
    try {
      const chosen = communityRows.filter((r) => r.include);
      const result = await http.post("/api/setup", {
        body: {
          code,
          admin: { username: admin.username.trim(), displayName: admin.displayName.trim(), password: admin.password },
          ...(province ? { province } : {}),
          ...(city ? { city } : {}),
          ...(district ? { district } : {}),
          street,
          communities: chosen.map((r) => ({ ...(r.code ? { code: r.code } : {}), name: r.name.trim() })),
        },
      });
      setDone(result);
    } catch (e) {
      setError(e);
      const c = errorCode(e);
      if (c === "setup_code_invalid" || c === "setup_code_expired") setStep(0);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Result
        status="success"
        title={t("setup.doneTitle")}
        subTitle={t("setup.doneText", { street: done.street.name, count: done.communities.length, username: done.username })}
        extra={
          <Button type="primary" onClick={() => void navigate("/login", { replace: true })} data-testid="setup-login">
            {t("setup.toLogin")}
          </Button>
        }
      />
    );
  }

  const select = (value: string | undefined, onChange: (v: string) => void, q: ReturnType<typeof useDivisions>, placeholder: string, testId: string, disabled = false) => (
    <Select
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      loading={q.isFetching}
      disabled={disabled}
      placeholder={placeholder}
      options={(q.data ?? []).map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))}
      style={{ width: "100%" }}
      data-testid={testId}
    />
  );

  return (
    <Space direction="vertical" size={20} style={{ width: "100%" }}>
      <Steps
        current={step}
        size="small"
        items={[{ title: t("setup.steps.code") }, { title: t("setup.steps.admin") }, { title: t("setup.steps.street") }, { title: t("setup.steps.communities") }]}
      />
      {error !== null && <Alert type="error" showIcon message={describeError(t, error)} data-testid="setup-error" />}
      {step === 0 && (
        <Form layout="vertical" onFinish={() => void checkCode()}>
          <Typography.Paragraph type="secondary">{t("setup.codeHelp")}</Typography.Paragraph>
          <Form.Item label={t("setup.code")} validateStatus={codeError ? "error" : undefined} help={codeError ? describeError(t, codeError) : undefined}>
            <Input size="large" value={code} onChange={(e) => setCode(e.target.value)} placeholder="XXXX-XXXX-XXXX" autoFocus data-testid="setup-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={code.trim() === ""} loading={checking} data-testid="setup-code-next">
            {t("setup.next")}
          </Button>
        </Form>
      )}
      {step === 1 && (
        <Form<AdminForm>
          form={adminForm}
          layout="vertical"
          requiredMark={false}
          initialValues={admin ?? undefined}
          onFinish={(v) => {
            setAdmin(v);
            setStep(2);
          }}
        >
          <Typography.Paragraph type="secondary">{t("setup.adminHelp")}</Typography.Paragraph>
          <Form.Item name="username" label={t("setup.username")} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t("setup.usernameRule") }]}>
            <Input autoComplete="username" data-testid="setup-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t("setup.displayName")} rules={[{ required: true, whitespace: true, message: t("setup.displayNameRule") }]}>
            <Input data-testid="setup-display-name" />
          </Form.Item>
          <Form.Item name="password" label={t("setup.password")} extra={t("setup.passwordRule")} rules={[{ required: true, min: 8, message: t("setup.passwordRule") }]}>
            <Input.Password autoComplete="new-password" data-testid="setup-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t("setup.confirm")}
            dependencies={["password"]}
            rules={[
              { required: true, message: t("setup.confirmRule") },
              ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("setup.confirmRule")))) }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="setup-confirm" />
          </Form.Item>
          <Space>
            <Button onClick={() => setStep(0)}>{t("setup.back")}</Button>
            <Button type="primary" htmlType="submit" data-testid="setup-admin-next">
              {t("setup.next")}
            </Button>
          </Space>
        </Form>
      )}
      {step === 2 && (
        <Space direction="vertical" size={12} style={{ width: "100%" }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t("setup.streetHelp")}
          </Typography.Paragraph>
          <Form layout="vertical">
            <Form.Item label={t("setup.province")}>
              {select(province, (v) => { setProvince(v); setCity(undefined); setDistrict(undefined); pickStreet(undefined); }, provinces, t("setup.pick"), "setup-province")}
            </Form.Item>
            <Form.Item label={t("setup.city")}>
              {select(city, (v) => { setCity(v); setDistrict(undefined); pickStreet(undefined); }, cities, t("setup.pick"), "setup-city", !province)}
            </Form.Item>
            <Form.Item label={t("setup.district")}>
              {select(district, (v) => { setDistrict(v); pickStreet(undefined); }, districts, t("setup.pick"), "setup-district", !city)}
            </Form.Item>
            <Form.Item label={t("setup.street")}>{select(street, pickStreet, streets, t("setup.pick"), "setup-street", !district)}</Form.Item>
          </Form>
          <Space>
            <Button onClick={() => setStep(1)}>{t("setup.back")}</Button>
            <Button type="primary" disabled={!street} onClick={() => setStep(3)} data-testid="setup-street-next">
              {t("setup.next")}
            </Button>
          </Space>
        </Space>
      )}
      {step === 3 && (
        <Space direction="vertical" size={12} style={{ width: "100%" }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t("setup.communitiesHelp", { street: streetName ?? street })}
          </Typography.Paragraph>
          <Table<Row>
            size="small"
            rowKey="key"
            loading={communities.isFetching}
            dataSource={communityRows}
            pagination={false}
            scroll={{ y: 320 }}
            data-testid="setup-communities"
            columns={[
              {
                title: t("setup.include"),
                width: 70,
                render: (_, r, i) => <Checkbox checked={r.include} onChange={(e) => editRows(communityRows.map((x, j) => (j === i ? { ...x, include: e.target.checked } : x)))} />,
              },
              { title: t("setup.communityCode"), dataIndex: "code", width: 150, render: (c: string | undefined) => c ?? <Typography.Text type="secondary">{t("setup.codeAuto")}</Typography.Text> },
              {
                title: t("setup.communityName"),
                render: (_, r, i) => <Input size="small" value={r.name} onChange={(e) => editRows(communityRows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />,
              },
              {
                title: "",
                width: 50,
                render: (_, r, i) => (r.code ? null : <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t("setup.remove")} onClick={() => editRows(communityRows.filter((_, j) => j !== i))} />),
              },
            ]}
          />
          <Space.Compact style={{ width: "100%" }}>
            <Input value={extra} onChange={(e) => setExtra(e.target.value)} placeholder={t("setup.extraPlaceholder")} data-testid="setup-extra-name" />
            <Button
              icon={<PlusOutlined />}
              disabled={extra.trim() === ""}
              onClick={() => {
                editRows([...communityRows, { key: `extra-${Date.now()}`, name: extra.trim(), include: true }]);
                setExtra("");
              }}
              data-testid="setup-extra-add"
            >
              {t("setup.addCommunity")}
            </Button>
          </Space.Compact>
          <Space>
            <Button onClick={() => setStep(2)}>{t("setup.back")}</Button>
            <Button type="primary" loading={busy} disabled={!communityRows.some((r) => r.include)} onClick={() => void submit()} data-testid="setup-submit">
              {t("setup.submit", { count: communityRows.filter((r) => r.include).length })}
            </Button>
          </Space>
        </Space>
      )}
    </Space>
  );
}

function SetupScreen() {
  const { t } = useTranslation();
  const state = useQuery({ queryKey: ["setup"], queryFn: ({ signal }) => http.get("/api/setup", { signal }) });
  if (state.isPending) return <FullPageSpinner />;
  return (
    <div className="gz-login">
      <header className="gz-login-top">
        <LanguageSegmented />
      </header>
      <main className="gz-login-main">
        <Card className="gz-setup-card" variant="borderless" title={t("setup.title")}>
          {state.data?.needed ? (
            <SetupWizard />
          ) : (
            <Result status="info" title={t("setup.notNeeded")} extra={<Button href="/login">{t("setup.toLogin")}</Button>} />
          )}
        </Card>
      </main>
      <footer className="gz-login-footer">{t("app.footer")}</footer>
    </div>
  );
}

export default function SetupPage() {
  return (
    <AntdShell>
      <SetupScreen />
    </AntdShell>
  );
}
