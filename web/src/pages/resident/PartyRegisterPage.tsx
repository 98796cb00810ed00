import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Card, Form, Input, List, Radio, Space, Tag, TextArea, Toast } from "antd-mobile";
import { isApiError } from "../../api";
import { describeError } from "../../features/errors";
import { useMyRegistrations, useRegister, type Registration, type RegistrationKind } from "../../features/people/party/api";

const statusColour: Record<Registration["status"], "warning" | "success" | "default"> = { registered: "warning", confirmed: "success", declined: "default" };

function MyRegistrations({ items }: { items: Registration[] }) {
  const { t } = useTranslation();
  return (
    <Card className="gz-mobile-section" title={t("resident.party.mine")} data-testid="my-registrations">
      <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
        {items.map((r) => (
          <List.Item
            key={r.id}
            description={
              <span>
                {r.communityName} · {r.registeredAt.slice(0, 10)}
                {r.decisionNote && (
                  <>
                    <br />
                    {t("resident.party.note", { note: r.decisionNote })}
                  </>
                )}
              </span>
            }
            extra={
              <Tag color={statusColour[r.status]} fill="outline" data-testid="my-registration-status">
                {t(`partyReg.status.${r.status}`)}
              </Tag>
            }
          >
            {t(`partyReg.kind.${r.kind}`)}
          </List.Item>
        ))}
      </List>
    </Card>
  );
}

interface Values {
  kind: RegistrationKind;
  orgName: string;
  workUnit?: string;
  phone?: string;
  skills?: string;
  message?: string;
}

/**
 * 党员报到 / 找组织: a resident who is a party member registers with the community where they live
 * — in service (在职党员到居住地社区报到) or floating (流动党员找组织) — and follows the answer.
 */
export function PartyRegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const mine = useMyRegistrations();
  const register = useRegister();
  const [kind, setKind] = useState<RegistrationKind>("reportIn");
  const pending = (mine.data ?? []).some((r) => r.status === "registered");

  const submit = (v: Values) =>
    register.mutate(
      {
        kind: v.kind,
        orgName: v.orgName.trim(),
        workUnit: v.workUnit?.trim() || null,
        phone: v.phone?.trim() || null,
        skills: (v.skills ?? "")
          .split(/[,，、\s]+/)
          .map((s) => s.trim())
          .filter(Boolean)
          .slice(0, 20),
        message: v.message?.trim() || null,
      },
      {
        onSuccess: () => {
          Toast.show({ icon: "success", content: t("resident.party.sent") });
          form.resetFields();
        },
        onError: (e) => {
          if (isApiError(e) && e.field) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
          else Toast.show({ icon: "fail", content: describeError(t, e) });
        },
      },
    );

  return (
    <div data-testid="resident-party">
      <div className="gz-mobile-hero">
        <h2>{t("resident.party.title")}</h2>
        <p>{t("resident.party.subtitle")}</p>
      </div>
      {(mine.data ?? []).length > 0 && <MyRegistrations items={mine.data ?? []} />}
      {pending ? (
        <Card className="gz-mobile-section">
          <p className="gz-mobile-muted" style={{ margin: 0 }} data-testid="party-pending-note">
            {t("resident.party.pendingNote")}
          </p>
        </Card>
      ) : (
        <Card className="gz-mobile-section" title={t("resident.party.formTitle")}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ kind: "reportIn" }}
            onFinish={submit}
            onValuesChange={(changed: Partial<Values>) => changed.kind && setKind(changed.kind)}
            footer={
              <Button block type="submit" color="primary" size="large" loading={register.isPending} data-testid="party-register-submit">
                {t("resident.party.submit")}
              </Button>
            }
          >
            <Form.Item name="kind" label={t("partyReg.fields.kind")}>
              <Radio.Group>
                <Space direction="vertical">
                  <Radio value="reportIn" data-testid="kind-reportIn">
                    {t("resident.party.kindReportIn")}
                  </Radio>
                  <Radio value="floating" data-testid="kind-floating">
                    {t("resident.party.kindFloating")}
                  </Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="orgName"
              label={t("partyReg.fields.orgName")}
              rules={[{ required: true, whitespace: true, message: t("partyReg.orgNameRequired") }]}
              help={kind === "reportIn" ? t("resident.party.orgHintReportIn") : t("resident.party.orgHintFloating")}
            >
              <Input maxLength={100} placeholder={t("partyReg.orgNamePlaceholder")} data-testid="party-org-name" />
            </Form.Item>
            <Form.Item name="workUnit" label={t("party.fields.workUnit")}>
              <Input maxLength={100} placeholder={t("resident.party.workUnitPlaceholder")} />
            </Form.Item>
            <Form.Item name="phone" label={t("person.fields.phone")} help={t("resident.party.phoneHint")}>
              <Input maxLength={20} type="tel" placeholder={t("resident.party.phonePlaceholder")} data-testid="party-phone" />
            </Form.Item>
            <Form.Item name="skills" label={t("partyReg.fields.skills")}>
              <Input maxLength={200} placeholder={t("resident.party.skillsPlaceholder")} />
            </Form.Item>
            <Form.Item name="message" label={t("partyReg.fields.message")}>
              <TextArea maxLength={500} rows={3} showCount placeholder={t("resident.party.messagePlaceholder")} />
            </Form.Item>
          </Form>
        </Card>
      )}
      {mine.isError && (
        <Card className="gz-mobile-section">
          <p className="gz-mobile-muted">{describeError(t, mine.error)}</p>
        </Card>
      )}
    </div>
  );
}
