import { useTranslation } from "react-i18next";
import { Alert, Button, Form, Input } from "antd";
import { isApiError } from "../../api";
import { describeError } from "../errors";
import { useChangePassword } from "./usersApi";

interface Values {
  currentPassword?: string;
  newPassword: string;
  confirm: string;
}

/** The password policy, said the way the server checks it (8 characters, 3 kinds). */
export function passwordRules(t: (k: string) => string) {
  return [
    { required: true, message: t("password.newRequired") },
    {
      validator: (_: unknown, v: string | undefined) => {
        if (!v) return Promise.resolve();
        const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(v)).length;
        return [...v].length >= 8 && kinds >= 3 ? Promise.resolve() : Promise.reject(new Error(t("password.policy")));
      },
    },
  ];
}

/**
 * 修改密码: the current password, the new one twice. Server errors land on the field they name
 * (wrong current password, too weak, unchanged).
 */
export function ChangePasswordForm({ onDone, submitLabel }: { onDone: () => void; submitLabel?: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const onFinish = (v: Values) =>
    change.mutate(
      { currentPassword: v.currentPassword ?? "", newPassword: v.newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          onDone();
        },
        onError: (e) => {
          if (isApiError(e) && (e.field === "currentPassword" || e.field === "newPassword")) form.setFields([{ name: e.field, errors: [describeError(t, e)] }]);
        },
      },
    );
  const general = change.isError && !(isApiError(change.error) && (change.error.field === "currentPassword" || change.error.field === "newPassword"));
  return (
    <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={onFinish} data-testid="change-password-form">
      {general && <Alert type="error" showIcon message={describeError(t, change.error)} style={{ marginBottom: 16 }} />}
      <Form.Item name="currentPassword" label={t("password.current")} rules={[{ required: true, message: t("password.currentRequired") }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item name="newPassword" label={t("password.new")} rules={passwordRules(t)} extra={t("password.policy")}>
        <Input.Password autoComplete="new-password" data-testid="password-new" />
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
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={change.isPending} data-testid="password-submit">
        {submitLabel ?? t("password.submit")}
      </Button>
    </Form>
  );
}
