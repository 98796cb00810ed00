import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Form, Input, List, Popup, SearchBar, Toast } from "antd-mobile";
import type { FormInstance } from "antd-mobile/es/components/form";
import { isApiError } from "../../api";
import { describeError } from "../../features/errors";
import { useRequestSmsCode } from "../../features/accounts/api";
import { usePublicCommunities, type PublicCommunity } from "../public/api";

/** The account's own fields: name, mobile, username, password (the server checks them all again). */
export function AccountFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t("accounts.signup.name")} rules={[{ required: true, whitespace: true, message: t("accounts.signup.nameRequired") }]}>
        <Input placeholder={t("accounts.signup.namePlaceholder")} maxLength={50} data-testid="signup-name" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t("accounts.signup.phone")}
        rules={[{ required: true, pattern: /^1\d{10}$/, message: t("accounts.signup.phoneInvalid") }]}
        description={t("accounts.signup.phoneHint")}
      >
        <Input type="tel" inputMode="numeric" maxLength={11} placeholder={t("accounts.signup.phonePlaceholder")} data-testid="signup-phone" />
      </Form.Item>
      <Form.Item
        name="username"
        label={t("accounts.signup.username")}
        rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t("accounts.signup.usernameInvalid") }]}
        description={t("accounts.signup.usernameHint")}
      >
        <Input autoComplete="username" maxLength={64} placeholder={t("accounts.signup.usernamePlaceholder")} data-testid="signup-username" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t("accounts.signup.password")}
        rules={[{ required: true, min: 8, message: t("accounts.signup.passwordHint") }]}
        description={t("accounts.signup.passwordHint")}
      >
        <Input type="password" autoComplete="new-password" maxLength={256} placeholder={t("accounts.signup.passwordPlaceholder")} data-testid="signup-password" />
      </Form.Item>
    </>
  );
}

/** Shows the server's refusal on its field when it names one, else as a toast. */
export function showFieldError<T>(form: FormInstance, e: unknown, t: (k: string) => string, fields: readonly string[]): void {
  if (isApiError(e) && e.field && fields.includes(e.field)) form.setFields([{ name: e.field as keyof T & string, errors: [e.message] }]);
  else Toast.show({ icon: "fail", content: describeError(t as never, e) });
}

/** 选择社区: the communities of the platform, grouped by street, with a search box. */
export function CommunityField({ value, onChange }: { value?: string; onChange?: (id: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const communities = usePublicCommunities();
  const all = communities.data?.items ?? [];
  const chosen = all.find((c) => c.id === value);
  const items = all.filter((c) => search === "" || c.name.includes(search) || (c.streetName ?? "").includes(search));
  const byStreet = new Map<string, PublicCommunity[]>();
  for (const c of items) {
    const key = [c.districtName, c.streetName].filter(Boolean).join(" ");
    byStreet.set(key, [...(byStreet.get(key) ?? []), c]);
  }
  return (
    <>
      <div onClick={() => setOpen(true)} data-testid="signup-community" style={{ color: chosen ? undefined : "#999" }}>
        {chosen ? `${chosen.streetName ?? ""} ${chosen.name}` : t("accounts.signup.communityPlaceholder")}
      </div>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ height: "70vh", overflowY: "auto" }}>
        <div style={{ padding: 12 }}>
          <SearchBar placeholder={t("board.search")} value={search} onChange={setSearch} />
        </div>
        {[...byStreet.entries()].map(([street, list]) => (
          <List key={street} header={street}>
            {list.map((c) => (
              <List.Item
                key={c.id}
                data-testid="signup-community-option"
                onClick={() => {
                  onChange?.(c.id);
                  setOpen(false);
                }}
              >
                {c.name}
              </List.Item>
            ))}
          </List>
        ))}
      </Popup>
    </>
  );
}

/**
 * 手机验证: ask for the code (again after a minute) and type the 6 digits. The code is valid for
 * 10 minutes and 5 tries; `onVerification` receives the id the sign-up sends with the code.
 */
export function SmsCodeField({ phone, onVerification }: { phone: string; onVerification: (id: string) => void }) {
  const { t } = useTranslation();
  const request = useRequestSmsCode();
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);
  const send = () =>
    request.mutate(phone, {
      onSuccess: (res) => {
        onVerification(res.verificationId);
        setWait(60);
        Toast.show({ content: t("accounts.signup.codeSent", { phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` }) });
      },
      onError: (e) => Toast.show({ icon: "fail", content: describeError(t, e) }),
    });
  return (
    <Form.Item
      name="smsCode"
      label={t("accounts.signup.smsCode")}
      rules={[{ required: true, pattern: /^\d{6}$/, message: t("accounts.signup.smsCodeInvalid") }]}
      extra={
        <Button size="small" color="primary" fill="outline" disabled={wait > 0 || request.isPending} onClick={send} data-testid="signup-send-code">
          {wait > 0 ? t("accounts.signup.resendIn", { seconds: wait }) : request.isSuccess ? t("accounts.signup.resend") : t("accounts.signup.sendCode")}
        </Button>
      }
    >
      <Input inputMode="numeric" maxLength={6} placeholder={t("accounts.signup.smsCodePlaceholder")} data-testid="signup-sms-code" />
    </Form.Item>
  );
}

/** A value picked from a list in a bottom sheet (a building, a room). */
export function ChoiceField({
  value,
  onChange,
  options,
  placeholder,
  testId,
  loading,
}: {
  value?: string | undefined;
  onChange?: (id: string) => void;
  options: { value: string; label: string }[];
  placeholder: string;
  testId: string;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const chosen = options.find((o) => o.value === value);
  return (
    <>
      <div onClick={() => setOpen(true)} data-testid={testId} style={{ color: chosen ? undefined : "#999" }}>
        {chosen?.label ?? placeholder}
      </div>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ maxHeight: "60vh", overflowY: "auto" }}>
        <List>
          {loading && <List.Item>{t("common.loading")}</List.Item>}
          {!loading && options.length === 0 && <List.Item>{t("accounts.signup.nothingToPick")}</List.Item>}
          {options.map((o) => (
            <List.Item
              key={o.value}
              data-testid={`${testId}-option`}
              onClick={() => {
                onChange?.(o.value);
                setOpen(false);
              }}
            >
              {o.label}
            </List.Item>
          ))}
        </List>
      </Popup>
    </>
  );
}
