import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, Form, Radio, Space, TextArea } from "antd-mobile";
import { isApiError } from "../../api";
import { useBuildingDwellings, useCommunityBuildings, useSignUp, useSignupSettings } from "../../features/accounts/api";
import { AccountFields, ChoiceField, CommunityField, showFieldError, SmsCodeField } from "./parts";

interface Values {
  name: string;
  phone: string;
  username: string;
  password: string;
  communityId: string;
  addressMode: "pick" | "type";
  buildingId?: string;
  dwellingId?: string;
  address?: string;
  smsCode?: string;
}

const fields = ["name", "phone", "username", "password", "communityId", "address", "dwellingId", "smsCode"] as const;

/**
 * 居民注册: name, mobile, account, community and address (picked from the community's registry or
 * typed), then the SMS code. The account works at once for 反映问题 and 我的诉求; the community
 * checks it against the registry and links it to the household.
 */
export function SignupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const settings = useSignupSettings();
  const signUp = useSignUp();
  const [step, setStep] = useState<"details" | "sms">("details");
  const [verificationId, setVerificationId] = useState<string>();
  const [details, setDetails] = useState<Values>();
  const communityId = Form.useWatch("communityId", form);
  const addressMode = Form.useWatch("addressMode", form) ?? "pick";
  const buildingId = Form.useWatch("buildingId", form);
  const buildings = useCommunityBuildings(communityId);
  const dwellings = useBuildingDwellings(buildingId);
  const smsOn = settings.data?.smsCode ?? true;

  const submit = (v: Values, code?: string) =>
    signUp.mutate(
      {
        name: v.name.trim(),
        phone: v.phone.trim(),
        username: v.username.trim(),
        password: v.password,
        communityId: v.communityId,
        ...(v.addressMode === "pick" && v.dwellingId ? { dwellingId: v.dwellingId } : { address: (v.address ?? "").trim() }),
        ...(code && verificationId ? { smsCode: code, verificationId } : {}),
      },
      {
        onSuccess: () => void navigate("/resident", { replace: true }),
        onError: (e) => {
          const back = ["name", "phone", "username", "password", "communityId", "address", "dwellingId"];
          if (step === "sms" && isApiError(e) && e.field && back.includes(e.field)) setStep("details");
          showFieldError<Values>(form, e, t, fields);
        },
      },
    );

  return (
    <div className="gz-public" data-testid="signup-page">
      <header className="gz-public-hero">
        <h1>{t("accounts.signup.title")}</h1>
        <p>{step === "details" ? t("accounts.signup.subtitle") : t("accounts.signup.smsSubtitle")}</p>
      </header>
      <div className="gz-public-body">
        <Card style={{ marginTop: -12 }}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ addressMode: "pick" }}
            onFinish={(v: Values) => {
              if (step === "details") {
                setDetails(v);
                if (smsOn) setStep("sms");
                else submit(v);
              } else if (details) submit(details, v.smsCode);
            }}
            footer={
              <Space direction="vertical" block>
                <Button block type="submit" color="primary" size="large" loading={signUp.isPending} data-testid={step === "details" ? "signup-next" : "signup-submit"}>
                  {step === "details" && smsOn ? t("accounts.signup.next") : t("accounts.signup.submit")}
                </Button>
                {step === "sms" && (
                  <Button block fill="none" onClick={() => setStep("details")}>
                    {t("accounts.signup.back")}
                  </Button>
                )}
              </Space>
            }
          >
            <div style={{ display: step === "details" ? undefined : "none" }}>
              <AccountFields />
              <Form.Item name="communityId" label={t("accounts.signup.community")} rules={[{ required: true, message: t("accounts.signup.communityRequired") }]}>
                <CommunityField />
              </Form.Item>
              <Form.Item name="addressMode" label={t("accounts.signup.address")}>
                <Radio.Group>
                  <Space>
                    <Radio value="pick" data-testid="signup-address-pick">
                      {t("accounts.signup.addressPick")}
                    </Radio>
                    <Radio value="type" data-testid="signup-address-type">
                      {t("accounts.signup.addressType")}
                    </Radio>
                  </Space>
                </Radio.Group>
              </Form.Item>
              {addressMode === "pick" ? (
                <>
                  <Form.Item name="buildingId" label={t("accounts.signup.building")} rules={[{ required: true, message: t("accounts.signup.buildingRequired") }]}>
                    <ChoiceField
                      testId="signup-building"
                      loading={buildings.isPending && Boolean(communityId)}
                      placeholder={communityId ? t("accounts.signup.buildingPlaceholder") : t("accounts.signup.communityFirst")}
                      options={(buildings.data ?? []).map((b) => ({ value: b.id, label: b.label }))}
                      onChange={(id) => form.setFieldsValue({ buildingId: id, dwellingId: undefined })}
                    />
                  </Form.Item>
                  <Form.Item name="dwellingId" label={t("accounts.signup.room")} rules={[{ required: true, message: t("accounts.signup.roomRequired") }]}>
                    <ChoiceField
                      testId="signup-room"
                      loading={dwellings.isPending && Boolean(buildingId)}
                      placeholder={t("accounts.signup.roomPlaceholder")}
                      options={(dwellings.data ?? []).map((d) => ({ value: d.id, label: `${d.unit} ${d.room}${d.room.endsWith("室") ? "" : "室"}` }))}
                    />
                  </Form.Item>
                </>
              ) : (
                <Form.Item name="address" label={t("accounts.signup.addressText")} rules={[{ required: true, whitespace: true, message: t("accounts.signup.addressRequired") }]}>
                  <TextArea rows={2} maxLength={200} placeholder={t("accounts.signup.addressPlaceholder")} data-testid="signup-address" />
                </Form.Item>
              )}
            </div>
            {step === "sms" && details && <SmsCodeField phone={details.phone} onVerification={setVerificationId} />}
          </Form>
        </Card>
        <p className="gz-public-note">{t("accounts.signup.privacy")}</p>
        <p className="gz-public-note">
          <Link to="/signup/invite">{t("accounts.signup.haveCode")}</Link>
          {" · "}
          <Link to="/login">{t("accounts.signup.haveAccount")}</Link>
        </p>
      </div>
    </div>
  );
}
