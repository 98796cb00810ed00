import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Divider, Drawer, Form, Grid, Input, InputNumber, Radio, Select, Space, Typography } from "antd";
import { isApiError } from "../../../api";
import { describeError } from "../../errors";
import { useCreateCategory, useUpdateCategory, type CaseCategory, type CaseLevel, type CategoryInput, type LimitUnit, type Responsibility } from "./api";
import { AttributesEditor, attributesFromForm, attributesToForm, type AttributeFormValue } from "./AttributesEditor";

interface Values {
  code: string;
  name: string;
  nameEn?: string;
  description?: string;
  kind: "event" | "component";
  responseLimitValue?: number | null;
  responseLimitUnit?: LimitUnit | null;
  handleLimitValue?: number | null;
  handleLimitUnit?: LimitUnit | null;
  firstLevel?: CaseLevel | null;
  responsibility?: Responsibility | null;
  departmentOrgId?: string | null;
  keywords?: string[];
  attributes?: AttributeFormValue[];
  sortOrder?: number;
}

const units: LimitUnit[] = ["workingHours", "workingDays", "naturalHours"];
const levels: CaseLevel[] = ["grid", "community", "street", "district", "department"];

/** What the drawer edits: a category of the draft, or a new one (under `parent`, or a new top-level one). */
export type CategoryDrawerTarget = { mode: "edit"; category: CaseCategory } | { mode: "create"; parent: CaseCategory | null };

/**
 * 编辑类别: a sub-category's time limits, first level, responsibility, department and 附加信息
 * (the extra questions of its report form), or a top-level category's name. The server checks
 * everything; a refusal that names a field is shown on that field.
 */
export function CategoryDrawer({
  catalogueId,
  target,
  departments,
  onClose,
}: {
  catalogueId: string;
  target: CategoryDrawerTarget | null;
  departments: { id: string; name: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const create = useCreateCategory(catalogueId);
  const update = useUpdateCategory(catalogueId);
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const isTop = target?.mode === "edit" ? target.category.parentId === null : target?.parent === null;
  const responsibility = Form.useWatch("responsibility", form);
  const resetCreate = create.reset;
  const resetUpdate = update.reset;

  // A new target: the previous refusal no longer applies.
  useEffect(() => {
    resetCreate();
    resetUpdate();
  }, [target, resetCreate, resetUpdate]);

  const initialValues = useMemo<Partial<Values>>(() => {
    if (!target) return {};
    if (target.mode === "create") {
      return {
        code: target.parent?.code ?? "",
        kind: "event",
        responseLimitUnit: "workingHours",
        handleLimitUnit: "workingDays",
        firstLevel: "community",
        responsibility: "territory",
        keywords: [],
        attributes: [],
        sortOrder: 0,
      };
    }
    const c = target.category;
    return {
      code: c.code,
      name: c.name,
      nameEn: c.nameEn ?? "",
      description: c.description ?? "",
      kind: c.kind,
      responseLimitValue: c.responseLimit?.value ?? null,
      responseLimitUnit: c.responseLimit?.unit ?? null,
      handleLimitValue: c.handleLimit?.value ?? null,
      handleLimitUnit: c.handleLimit?.unit ?? null,
      firstLevel: c.firstLevel,
      responsibility: c.responsibility,
      departmentOrgId: c.departmentOrgId,
      keywords: c.keywords,
      attributes: attributesToForm(c.attributes),
      sortOrder: c.sortOrder,
    };
  }, [target]);

  // The form instance outlives the drawer's content: load the values of each new target.
  useEffect(() => {
    if (target) form.resetFields();
  }, [target, initialValues, form]);

  const submit = (v: Values) => {
    if (!target) return;
    const text = (s: string | undefined) => (s && s.trim() !== "" ? s.trim() : null);
    const body: CategoryInput & { name: string } = { name: v.name.trim(), nameEn: text(v.nameEn), description: text(v.description), sortOrder: v.sortOrder ?? 0 };
    if (!isTop) {
      Object.assign(body, {
        kind: v.kind,
        responseLimitValue: v.responseLimitValue ?? null,
        responseLimitUnit: v.responseLimitUnit ?? null,
        handleLimitValue: v.handleLimitValue ?? null,
        handleLimitUnit: v.handleLimitUnit ?? null,
        firstLevel: v.firstLevel ?? null,
        responsibility: v.responsibility ?? null,
        departmentOrgId: v.departmentOrgId ?? null,
        keywords: v.keywords ?? [],
        attributes: attributesFromForm(v.attributes ?? []),
      });
    }
    const onError = (e: unknown) => {
      if (!isApiError(e) || !e.field) return;
      // "attributes" (the catalogue's own checks) goes on the list; "attributes.0.code" (the request schema) on that input.
      const path = e.field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      if (path[0] === "attributes" && path.length >= 3) form.setFields([{ name: path, errors: [e.message] }] as Parameters<typeof form.setFields>[0]);
      else if (path[0] === "attributes") form.setFields([{ name: "attributes", errors: [e.message] }]);
      else if (e.field in v) form.setFields([{ name: e.field as keyof Values, errors: [e.message] }]);
    };
    const onSuccess = () => {
      void message.success(t("caseCatalogue.saved"));
      onClose();
    };
    if (target.mode === "edit") update.mutate({ id: target.category.id, ...body }, { onSuccess, onError });
    else create.mutate({ ...body, code: v.code.trim(), parentId: target.parent?.id ?? null }, { onSuccess, onError });
  };

  const title =
    target?.mode === "edit"
      ? t("caseCatalogue.drawer.editTitle", { name: `${target.category.code} ${target.category.name}` })
      : target?.parent
        ? t("caseCatalogue.drawer.newSubTitle", { parent: target.parent.name })
        : t("caseCatalogue.drawer.newTopTitle");

  const limitRow = (which: "response" | "handle") => (
    <Form.Item label={t(`caseCatalogue.fields.${which}Limit`)} required style={{ marginBottom: 0 }}>
      <Space.Compact block>
        <Form.Item name={`${which}LimitValue`} style={{ width: "45%" }}>
          <InputNumber min={0.1} max={1000} step={1} style={{ width: "100%" }} placeholder={t("caseCatalogue.drawer.limitValue")} data-testid={`${which}-limit-value`} />
        </Form.Item>
        <Form.Item name={`${which}LimitUnit`} style={{ width: "55%" }}>
          <Select allowClear options={units.map((u) => ({ value: u, label: t(`caseCatalogue.units.${u}`) }))} placeholder={t("caseCatalogue.drawer.limitUnit")} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      title={title}
      width={screens.md ? 520 : "100%"}
      destroyOnHidden
      extra={
        <Button type="primary" loading={pending} onClick={() => form.submit()} data-testid="category-save">
          {t("common.save")}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={submit} data-testid="category-form">
        {error && !(isApiError(error) && error.field) && <Alert type="error" showIcon message={describeError(t, error)} style={{ marginBottom: 16 }} />}
        <Form.Item
          name="code"
          label={t("caseCatalogue.fields.code")}
          extra={target?.mode === "edit" ? t("caseCatalogue.drawer.codeFixed") : isTop ? t("caseCatalogue.drawer.codeTopHint") : t("caseCatalogue.drawer.codeSubHint")}
          rules={[{ required: true, message: t("caseCatalogue.drawer.codeRequired") }, { pattern: /^[0-9A-Za-z]+$/, message: t("caseCatalogue.drawer.codePattern") }]}
        >
          <Input maxLength={12} disabled={target?.mode === "edit"} data-testid="category-code" />
        </Form.Item>
        <Form.Item name="name" label={t("caseCatalogue.fields.name")} rules={[{ required: true, whitespace: true, message: t("caseCatalogue.drawer.nameRequired") }]}>
          <Input maxLength={40} data-testid="category-name" />
        </Form.Item>
        <Form.Item name="description" label={t("caseCatalogue.fields.description")} extra={t("caseCatalogue.drawer.descriptionHint")}>
          <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        {!isTop && (
          <>
            <Form.Item name="kind" label={t("caseCatalogue.fields.kind")}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: "event", label: t("caseCatalogue.kinds.event") },
                  { value: "component", label: t("caseCatalogue.kinds.component") },
                ]}
              />
            </Form.Item>
            {limitRow("response")}
            {limitRow("handle")}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t("caseCatalogue.drawer.limitHint")}
            </Typography.Paragraph>
            <Form.Item name="firstLevel" label={t("caseCatalogue.fields.firstLevel")} required>
              <Select options={levels.map((l) => ({ value: l, label: t(`caseCatalogue.levels.${l}`) }))} />
            </Form.Item>
            <Form.Item name="responsibility" label={t("caseCatalogue.fields.responsibility")} required extra={t("caseCatalogue.drawer.responsibilityHint")}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: "territory", label: t("caseCatalogue.responsibility.territory") },
                  { value: "owner", label: t("caseCatalogue.responsibility.owner") },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="departmentOrgId"
              label={t("caseCatalogue.fields.department")}
              required={responsibility === "owner"}
              extra={responsibility === "owner" ? t("caseCatalogue.drawer.departmentOwnerHint") : t("caseCatalogue.drawer.departmentHint")}
            >
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={departments.map((d) => ({ value: d.id, label: d.name }))}
                placeholder={t("caseCatalogue.drawer.departmentPlaceholder")}
                notFoundContent={t("caseCatalogue.drawer.noDepartments")}
                data-testid="category-department"
              />
            </Form.Item>
            <Form.Item name="keywords" label={t("caseCatalogue.fields.keywords")} extra={t("caseCatalogue.drawer.keywordsHint")}>
              <Select mode="tags" tokenSeparators={[",", "，", " ", "、"]} open={false} />
            </Form.Item>
            <Divider orientation="left" orientationMargin={0} style={{ marginBottom: 4 }}>
              {t("caseCatalogue.questions.title")}
            </Divider>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t("caseCatalogue.questions.intro")}
            </Typography.Paragraph>
            <AttributesEditor />
            <Divider style={{ marginBlock: 16 }} />
          </>
        )}
        <Form.Item name="nameEn" label={t("caseCatalogue.fields.nameEn")}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t("caseCatalogue.fields.sortOrder")} extra={t("caseCatalogue.drawer.sortOrderHint")}>
          <InputNumber min={0} max={10000} precision={0} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
