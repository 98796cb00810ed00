import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Form, Input, Modal, Radio, Select, Typography } from "antd";
import { isApiError } from "../../api";
import { describeError } from "../errors";
import { reportInChoices, useBlowWhistle, useDepartments, type WhistleResult } from "./summons";

interface Values {
  departmentOrgIds: string[];
  reason: string;
  limit: string;
}

/**
 * 吹哨: the street or community summons departments to a case — which departments, why, and how
 * soon they must report in. Departments already summoned and not finished cannot be picked again;
 * those nobody can log in for are marked (they cannot report in themselves).
 */
export function WhistleDialog({ caseId, open, onClose, onDone }: { caseId: string; open: boolean; onClose: () => void; onDone?: (result: WhistleResult) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const departments = useDepartments(caseId, open);
  const blow = useBlowWhistle();

  useEffect(() => {
    if (open) {
      form.resetFields();
      blow.reset();
    }
    // Reset once per opening; the mutation object changes every render.
  }, [open, form]);

  const onFinish = (v: Values) => {
    const choice = reportInChoices.find((c) => c.key === v.limit) ?? reportInChoices[1]!;
    blow.mutate(
      { caseId, departmentOrgIds: v.departmentOrgIds, reason: v.reason.trim(), reportInLimit: choice.limit },
      {
        onSuccess: (r) => {
          void message.success(t("whistle.done", { count: r.summons.length }));
          onDone?.(r);
          onClose();
        },
        onError: (e) => {
          if (isApiError(e) && e.field && ["departmentOrgIds", "reason"].includes(e.field)) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
        },
      },
    );
  };

  const fieldError = isApiError(blow.error) && blow.error.field && ["departmentOrgIds", "reason"].includes(blow.error.field);

  return (
    <Modal
      open={open}
      title={t("whistle.title")}
      onCancel={onClose}
      okText={t("whistle.submit")}
      confirmLoading={blow.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
      data-testid="whistle-dialog"
    >
      <Typography.Paragraph type="secondary">{t("whistle.intro")}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ departmentOrgIds: [], reason: "", limit: "2h" }} onFinish={onFinish}>
        <Form.Item
          name="departmentOrgIds"
          label={t("whistle.departments")}
          rules={[
            { required: true, type: "array", min: 1, message: t("whistle.departmentsRequired") },
            { type: "array", max: 10, message: t("whistle.departmentsMax") },
          ]}
          extra={
            <>
              {t("whistle.departmentsHint")}
              {(departments.data ?? []).some((d) => !d.hasActiveLogin) && <div data-testid="whistle-no-login-hint">{t("whistle.noLoginHint")}</div>}
            </>
          }
        >
          <Select
            mode="multiple"
            allowClear
            loading={departments.isPending}
            placeholder={t("whistle.departmentsPlaceholder")}
            optionFilterProp="label"
            data-testid="whistle-departments"
            notFoundContent={departments.isError ? describeError(t, departments.error) : undefined}
            options={(departments.data ?? []).map((d) => ({
              value: d.id,
              label: [d.name, d.activeOnCase ? `（${t("whistle.alreadySummoned")}）` : "", d.hasActiveLogin ? "" : `（${t("whistle.noLogin")}）`].join(""),
              disabled: d.activeOnCase,
            }))}
          />
        </Form.Item>
        <Form.Item name="reason" label={t("whistle.reason")} rules={[{ required: true, whitespace: true, message: t("whistle.reasonRequired") }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t("whistle.reasonPlaceholder")} data-testid="whistle-reason" />
        </Form.Item>
        <Form.Item name="limit" label={t("whistle.limit")} extra={t("whistle.limitHint")}>
          <Radio.Group optionType="button" buttonStyle="solid" options={reportInChoices.map((c) => ({ value: c.key, label: t(`whistle.limits.${c.key}`) }))} />
        </Form.Item>
      </Form>
      {blow.isError && !fieldError && <Alert type="error" showIcon message={describeError(t, blow.error)} />}
    </Modal>
  );
}
