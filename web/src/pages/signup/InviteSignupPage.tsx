import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, Form, Input, List, Radio, Space, Toast } from "antd-mobile";
import { isApiError, type Answer } from "../../api";
import { describeError } from "../../features/errors";
import { usePreviewInvitation, useSignUp, useSignupSettings } from "../../features/accounts/api";
import { AccountFields, showFieldError, SmsCodeField } from "./parts";

type Preview = Answer<"post", "/api/signup/invitation">;

interface Values {
  personId: string;
  name: string;
  phone: string;
  username: string;
  password: string;
  smsCode?: string;
}

const fields = ["personId", "name", "phone", "username", "password", "smsCode"] as const;

/**
 * 用邀请码注册: the code printed by the community for one household; the resident picks which
 * member they are (names masked but the first character) and is linked to the registry at once.
 */
export function InviteSignupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const preview = usePreviewInvitation();
  const settings = useSignupSettings();
  const signUp = useSignUp();
  const [code, setCode] = useState("");
  const [opened, setOpened] = useState<{ code: string; preview: Preview }>();
  const [verificationId, setVerificationId] = useState<string>();
  const phone = Form.useWatch("phone", form) ?? "";
  const smsOn = settings.data?.smsCode ?? true;

  const open = () =>
    preview.mutate(code.trim(), {
      onSuccess: (p) => setOpened({ code: code.trim(), preview: p }),
      onError: (e) => Toast.show({ icon: "fail", content: describeError(t, e) }),
    });

  const submit = (v: Values) =>
    signUp.mutate(
      {
        invitationCode: opened!.code,
        personId: v.personId,
        name: v.name.trim(),
        phone: v.phone.trim(),
        username: v.username.trim(),
        password: v.password,
        ...(smsOn && verificationId && v.smsCode ? { verificationId, smsCode: v.smsCode } : {}),
      },
      {
        onSuccess: () => void navigate("/resident", { replace: true }),
        onError: (e) => {
          if (isApiError(e) && e.field === "invitationCode") {
            setOpened(undefined);
            Toast.show({ icon: "fail", content: describeError(t, e) });
          } else showFieldError<Values>(form, e, t, fields);
        },
      },
    );

  return (
    <div className="gz-public" data-testid="invite-signup-page">
      <header className="gz-public-hero">
        <h1>{t("accounts.invite.title")}</h1>
        <p>{t("accounts.invite.subtitle")}</p>
      </header>
      <div className="gz-public-body">
        {!opened ? (
          <Card style={{ marginTop: -12 }}>
            <Form
              layout="vertical"
              footer={
                <Button block color="primary" size="large" disabled={code.trim().length < 8} loading={preview.isPending} onClick={open} data-testid="invite-open">
                  {t("accounts.invite.open")}
                </Button>
              }
            >
              <Form.Item label={t("accounts.invite.code")} description={t("accounts.invite.codeHint")}>
                <Input value={code} onChange={setCode} maxLength={20} placeholder="ABCD-EFGH" style={{ letterSpacing: 2 }} data-testid="invite-code" />
              </Form.Item>
            </Form>
          </Card>
        ) : (
          <>
            <Card style={{ marginTop: -12 }} title={t("accounts.invite.household")}>
              <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
                <List.Item extra={opened.preview.communityName}>{t("area.level.community")}</List.Item>
                <List.Item extra={opened.preview.place} data-testid="invite-place">
                  {t("accounts.invite.place")}
                </List.Item>
              </List>
            </Card>
            <Card style={{ marginTop: 12 }}>
              <Form
                form={form}
                layout="vertical"
                onFinish={submit}
                footer={
                  <Button block type="submit" color="primary" size="large" loading={signUp.isPending} data-testid="signup-submit">
                    {t("accounts.signup.submit")}
                  </Button>
                }
              >
                <Form.Item name="personId" label={t("accounts.invite.whoAmI")} rules={[{ required: true, message: t("accounts.invite.whoAmIRequired") }]}>
                  <Radio.Group>
                    <Space direction="vertical">
                      {opened.preview.members.map((m) => (
                        <Radio key={m.id} value={m.id} data-testid="invite-member">
                          {m.name}（{m.relation}）
                        </Radio>
                      ))}
                    </Space>
                  </Radio.Group>
                </Form.Item>
                <AccountFields />
                {smsOn && /^1\d{10}$/.test(phone) && <SmsCodeField phone={phone} onVerification={setVerificationId} />}
              </Form>
            </Card>
          </>
        )}
        <p className="gz-public-note">{t("accounts.signup.privacy")}</p>
        <p className="gz-public-note">
          <Link to="/signup">{t("accounts.invite.noCode")}</Link>
          {" · "}
          <Link to="/login">{t("accounts.signup.haveAccount")}</Link>
        </p>
      </div>
    </div>
  );
}
