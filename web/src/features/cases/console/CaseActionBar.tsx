import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Dropdown, Form, Input, InputNumber, Modal, Select, Space, Typography, type UploadFile } from "antd";
import { DownOutlined, NotificationOutlined } from "@ant-design/icons";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { useCaseAction, useDispatchCandidates, type CaseAbility, type CaseActionRequest, type CaseDetail, type CaseLevel, type LimitUnit } from "../api";
import { useDepartments } from "../summons";
import { WhistleDialog } from "../WhistleDialog";
import { caseLevelsOrder } from "./CaseFilters";
import { CasePhotoUpload, photosUploading, uploadedPhotoIds } from "./CasePhotoUpload";

/** The steps the console offers, in the order a case meets them; each one is shown when `abilities` allows it. */
export const consoleSteps = [
  "register",
  "reject",
  "dispatch",
  "receive",
  "start",
  "feedback",
  "verifyPass",
  "verifyFail",
  "close",
  "returnToDispatcher",
  "requestExtension",
  "escalate",
  "sendDown",
  "park",
  "unpark",
  "cancel",
] as const satisfies readonly CaseAbility[];
export type ConsoleStep = (typeof consoleSteps)[number];

/** The main steps get a button each; side paths go into 更多. */
const mainSteps = new Set<ConsoleStep>(["register", "dispatch", "receive", "start", "feedback", "verifyPass", "verifyFail", "close", "unpark"]);
/** Steps that stop or turn back a case: a red button. */
const dangerSteps = new Set<ConsoleStep>(["reject", "verifyFail", "cancel"]);

interface StepValues {
  text?: string;
  level?: CaseLevel;
  orgId?: string;
  /** 派遣到人 (optional). */
  assigneeUserId?: string;
  extraValue?: number;
  extraUnit?: LimitUnit;
}

/** What each step asks for: a required reason, an optional note, a level (and department), more time, photos. */
function stepNeeds(step: ConsoleStep): { text: "reason" | "note" | "result" | "none"; level?: "any" | "up" | "down"; extension?: boolean; photos?: boolean } {
  switch (step) {
    case "reject":
    case "returnToDispatcher":
    case "verifyFail":
    case "park":
    case "cancel":
      return { text: "reason" };
    case "escalate":
      return { text: "reason", level: "up" };
    case "sendDown":
      return { text: "reason", level: "down" };
    case "dispatch":
      return { text: "note", level: "any" };
    case "feedback":
      return { text: "result", photos: true };
    case "requestExtension":
      return { text: "reason", extension: true };
    case "register":
    case "receive":
    case "start":
    case "verifyPass":
    case "close":
    case "unpark":
      return { text: "note" };
  }
}

function requestFor(step: ConsoleStep, v: StepValues, evidence: string[]): CaseActionRequest {
  const text = v.text?.trim() ?? "";
  const note = text === "" ? null : text;
  switch (step) {
    case "register":
      return { path: "register", body: { note } };
    case "reject":
      return { path: "reject", body: { reason: text } };
    case "dispatch":
      return {
        path: "dispatch",
        body: { ...(v.level ? { level: v.level } : {}), ...(v.level === "department" ? { orgId: v.orgId ?? null } : {}), assigneeUserId: v.assigneeUserId ?? null, note },
      };
    case "receive":
      return { path: "receive", body: { note } };
    case "start":
      return { path: "start", body: { note } };
    case "returnToDispatcher":
      return { path: "return", body: { reason: text } };
    case "feedback":
      return { path: "feedback", body: { note: text, evidence } };
    case "verifyPass":
      return { path: "verify", body: { passed: true, note } };
    case "verifyFail":
      return { path: "verify", body: { passed: false, note: text } };
    case "close":
      return { path: "close", body: { note } };
    case "escalate":
      return { path: "escalate", body: { reason: text, ...(v.level ? { toLevel: v.level } : {}), ...(v.level === "department" ? { orgId: v.orgId ?? null } : {}) } };
    case "sendDown":
      return { path: "send-down", body: { toLevel: v.level ?? "grid", reason: text } };
    case "park":
      return { path: "park", body: { reason: text } };
    case "unpark":
      return { path: "unpark", body: { note } };
    case "cancel":
      return { path: "cancel", body: { reason: text } };
    case "requestExtension":
      return { path: "extensions", body: { reason: text, extraValue: v.extraValue ?? 1, extraUnit: v.extraUnit ?? "workingDays" } };
  }
}

function levelChoices(detail: CaseDetail, kind: "any" | "up" | "down"): CaseLevel[] {
  const here = caseLevelsOrder.indexOf(detail.level);
  if (kind === "up") return caseLevelsOrder.filter((_, i) => i > here);
  if (kind === "down") return caseLevelsOrder.filter((_, i) => i < here);
  return caseLevelsOrder;
}

function StepDialog({ detail, step, onClose }: { detail: CaseDetail; step: ConsoleStep | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<StepValues>();
  const action = useCaseAction(detail.id);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const needs = step ? stepNeeds(step) : null;
  const level = Form.useWatch("level", form);
  const departments = useDepartments(detail.id, Boolean(needs?.level) && level === "department");
  const orgId = Form.useWatch("orgId", form);
  const candidates = useDispatchCandidates(detail.id, level, orgId, step === "dispatch");

  useEffect(() => {
    if (!step) return;
    form.resetFields();
    setFiles([]);
    action.reset();
    const initialLevel = step === "dispatch" ? ((detail.category.firstLevel as CaseLevel | null) ?? detail.level) : step === "escalate" ? undefined : undefined;
    form.setFieldsValue({ level: initialLevel, orgId: detail.handlingOrg?.id, extraValue: 2, extraUnit: "workingDays" });
    // Once per opened step.
  }, [step]);

  if (!step || !needs) return null;
  const uploading = photosUploading(files);
  const evidence = uploadedPhotoIds(files);
  const textLabel = t(`caseConsole.step.text.${needs.text === "none" ? "note" : needs.text}`);

  const onFinish = (v: StepValues) => {
    action.mutate(requestFor(step, v, evidence), {
      onSuccess: () => {
        void message.success(t("caseConsole.step.done", { step: t(`caseConsole.actions.${step}`) }));
        onClose();
      },
      onError: (e) => {
        if (isApiError(e) && e.field && ["reason", "note"].includes(e.field)) form.setFields([{ name: "text", errors: [e.message] }]);
        if (isApiError(e) && e.field === "assigneeUserId") form.setFields([{ name: "assigneeUserId", errors: [e.message] }]);
      },
    });
  };

  return (
    <Modal
      open
      title={t(`caseConsole.actions.${step}`)}
      okText={t(`caseConsole.actions.${step}`)}
      okButtonProps={{ danger: dangerSteps.has(step), disabled: uploading, ...({ "data-testid": "step-ok" } as object) }}
      confirmLoading={action.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="step-dialog">
        <Typography.Paragraph type="secondary">{t(`caseConsole.explain.${step}`)}</Typography.Paragraph>
        <Form form={form} layout="vertical" requiredMark={false} onFinish={onFinish}>
          {needs.level && (
            <Form.Item
              name="level"
              label={t(needs.level === "any" ? "caseConsole.step.dispatchTo" : needs.level === "up" ? "caseConsole.step.escalateTo" : "caseConsole.step.sendDownTo")}
              rules={needs.level === "down" ? [{ required: true, message: t("caseConsole.step.levelRequired") }] : []}
              extra={needs.level === "up" ? t("caseConsole.step.escalateHint") : undefined}
            >
              <Select<CaseLevel>
                allowClear={needs.level === "up"}
                placeholder={needs.level === "up" ? t("caseConsole.step.nextLevel") : undefined}
                options={levelChoices(detail, needs.level).map((l) => ({ value: l, label: t(`caseConsole.level.${l}`) }))}
                data-testid="step-level"
              />
            </Form.Item>
          )}
          {needs.level && level === "department" && (
            <Form.Item name="orgId" label={t("caseConsole.step.department")} rules={[{ required: true, message: t("caseConsole.step.departmentRequired") }]}>
              <Select<string>
                showSearch
                optionFilterProp="label"
                loading={departments.isPending}
                options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                data-testid="step-department"
              />
            </Form.Item>
          )}
          {step === "dispatch" && (
            <Form.Item name="assigneeUserId" label={t("caseConsole.step.assignee")} extra={t("caseConsole.step.assigneeHint")}>
              <Select<string>
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t("caseConsole.step.assigneeAny")}
                loading={candidates.isFetching}
                options={(candidates.data ?? []).map((c) => ({ value: c.userId, label: `${c.displayName}（${c.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join("、")}）` }))}
                data-testid="step-assignee"
              />
            </Form.Item>
          )}
          {needs.extension && (
            <Form.Item label={t("caseConsole.step.extraTime")} required>
              <Space.Compact>
                <Form.Item name="extraValue" noStyle rules={[{ required: true, message: t("caseConsole.step.extraRequired") }]}>
                  <InputNumber min={0.5} max={1000} step={1} style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name="extraUnit" noStyle>
                  <Select<LimitUnit> style={{ width: 170 }} options={(["workingDays", "workingHours", "naturalHours"] as const).map((u) => ({ value: u, label: t(`cases.unit.${u}`) }))} />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          )}
          <Form.Item
            name="text"
            label={needs.text === "note" ? `${textLabel}${t("caseConsole.step.optional")}` : textLabel}
            rules={needs.text === "note" ? [] : [{ required: true, whitespace: true, message: t("caseConsole.step.textRequired", { label: textLabel }) }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t(`caseConsole.placeholder.${step}`, { defaultValue: "" })} data-testid="step-text" />
          </Form.Item>
          {needs.photos && (
            <Form.Item label={t("caseConsole.step.photos")} extra={t("caseConsole.step.photosHint")}>
              <CasePhotoUpload files={files} onChange={setFiles} addLabel={t("caseConsole.step.addPhoto")} />
            </Form.Item>
          )}
        </Form>
        {action.isError && !(isApiError(action.error) && action.error.field && ["reason", "note"].includes(action.error.field)) && (
          <Alert type="error" showIcon message={describeError(t, action.error)} data-testid="step-error" />
        )}
      </div>
    </Modal>
  );
}

/**
 * The action bar: a button for each step the server says you may take now (`abilities`), 吹哨
 * for streets and communities, and the side paths under 更多. Each opens a small dialog asking
 * only for what that step needs; the server's refusal is shown in its own words.
 */
export function CaseActionBar({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<ConsoleStep | null>(null);
  const [whistling, setWhistling] = useState(false);
  const allowed = consoleSteps.filter((s) => detail.abilities[s] === true);
  const main = allowed.filter((s) => mainSteps.has(s));
  const more = allowed.filter((s) => !mainSteps.has(s));
  const canWhistle = detail.abilities.whistle;

  // 事不完、人不走: a verified case waits for every summoned department before 结案.
  const waitingForDepartments = detail.status === "verified" && !detail.abilities.close && detail.summons.some((x) => x.status !== "finished");
  const waiting = waitingForDepartments ? (
    <Typography.Text type="warning" data-testid="close-blocked">
      {t("caseConsole.closeBlocked")}
    </Typography.Text>
  ) : null;

  if (allowed.length === 0 && !canWhistle) {
    if (waiting) return waiting;
    return (
      <Typography.Text type="secondary" data-testid="case-no-actions">
        {t("caseConsole.noActions")}
      </Typography.Text>
    );
  }
  // The dialogs stay outside <Space>: Space keys its items by position, and a step that changes the
  // buttons would remount an open dialog and drop its mutation's callbacks.
  return (
    <>
      <Space wrap size={8} data-testid="case-actions">
        {main.map((s, i) => (
          <Button key={s} type={i === 0 ? "primary" : "default"} danger={dangerSteps.has(s)} onClick={() => setStep(s)} data-testid={`action-${s}`}>
            {t(`caseConsole.actions.${s}`)}
          </Button>
        ))}
        {more
          .filter((s) => s === "reject")
          .map((s) => (
            <Button key={s} danger onClick={() => setStep(s)} data-testid={`action-${s}`}>
              {t(`caseConsole.actions.${s}`)}
            </Button>
          ))}
        {canWhistle && (
          <Button icon={<NotificationOutlined />} onClick={() => setWhistling(true)} data-testid="action-whistle">
            {t("caseConsole.actions.whistle")}
          </Button>
        )}
        {more.some((s) => s !== "reject") && (
          <Dropdown
            menu={{
              items: more.filter((s) => s !== "reject").map((s) => ({ key: s, label: t(`caseConsole.actions.${s}`), danger: dangerSteps.has(s), "data-testid": `action-${s}` })),
              onClick: ({ key }) => setStep(key as ConsoleStep),
            }}
          >
            <Button data-testid="action-more">
              {t("caseConsole.more")} <DownOutlined />
            </Button>
          </Dropdown>
        )}
        {waiting}
      </Space>
      <StepDialog detail={detail} step={step} onClose={() => setStep(null)} />
      <WhistleDialog caseId={detail.id} open={whistling} onClose={() => setWhistling(false)} />
    </>
  );
}
