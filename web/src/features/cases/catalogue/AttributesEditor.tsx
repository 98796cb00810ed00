import { useTranslation } from "react-i18next";
import { Button, Card, Col, Form, Input, Row, Select, Space, Tooltip, Typography } from "antd";
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { AttributeDatatype, CategoryAttribute } from "./api";

/** 是否必填: required and optional questions, and notes that only tell the resident something (Open311 `variable: false`). */
export type AttributeFill = "required" | "optional" | "note";

/** One attribute as the drawer's form holds it; its order is its place in the list. */
export interface AttributeFormValue {
  code: string;
  description: string;
  datatype: AttributeDatatype;
  fill: AttributeFill;
  datatypeDescription?: string;
  values?: { key: string; name: string }[];
}

const datatypes: AttributeDatatype[] = ["string", "text", "number", "datetime", "singlevaluelist", "multivaluelist"];
const fills: AttributeFill[] = ["required", "optional", "note"];
const isList = (d: AttributeDatatype | undefined) => d === "singlevaluelist" || d === "multivaluelist";
const codePattern = /^[A-Za-z0-9_]+$/;
/** As many as the server takes (catalogue-routes.ts). */
export const maxAttributes = 20;
const maxOptions = 50;

export function attributesToForm(list: readonly CategoryAttribute[]): AttributeFormValue[] {
  return [...list]
    .sort((a, b) => a.order - b.order)
    .map((a) => ({
      code: a.code,
      description: a.description,
      datatype: a.datatype,
      fill: !a.variable ? "note" : a.required ? "required" : "optional",
      datatypeDescription: a.datatypeDescription ?? "",
      values: a.values ?? [],
    }));
}

/** What the save sends: trimmed, numbered in list order, options only for choices. */
export function attributesFromForm(list: readonly AttributeFormValue[]): CategoryAttribute[] {
  return list.map((a, i) => {
    const hint = a.datatypeDescription?.trim() ?? "";
    return {
      code: a.code.trim(),
      variable: a.fill !== "note",
      datatype: a.datatype,
      required: a.fill === "required",
      description: a.description.trim(),
      ...(hint ? { datatypeDescription: hint } : {}),
      order: i + 1,
      ...(isList(a.datatype) ? { values: (a.values ?? []).map((v) => ({ key: v.key.trim(), name: v.name.trim() })) } : {}),
    };
  });
}

/** The first of `q1`, `q2`, … (or `1`, `2`, … with no prefix) not taken. */
function nextCode(prefix: string, taken: readonly (string | undefined)[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** The options of a single or multiple choice: name and key on one row, so it fits a phone-wide drawer. */
function OptionsList({ listName, path }: { listName: number; path: (string | number)[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <Form.List
      name={[listName, "values"]}
      rules={[
        {
          validator: async (_, value: unknown[] | undefined) => {
            if (!value || value.length === 0) throw new Error(t("caseCatalogue.questions.optionsRequired"));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Form.Item label={t("caseCatalogue.questions.options")} required extra={t("caseCatalogue.questions.optionKeyHint")} style={{ marginBottom: 12 }}>
          {fields.map((field) => (
            <Row key={field.key} gutter={6} wrap={false} align="top">
              <Col flex="auto">
                <Form.Item
                  name={[field.name, "name"]}
                  rules={[{ required: true, whitespace: true, message: t("caseCatalogue.questions.optionNameRequired") }]}
                  style={{ marginBottom: 8 }}
                >
                  <Input maxLength={60} placeholder={t("caseCatalogue.questions.optionName")} data-testid="attribute-option-name" />
                </Form.Item>
              </Col>
              <Col flex="84px">
                <Form.Item
                  name={[field.name, "key"]}
                  rules={[
                    { required: true, whitespace: true, message: t("caseCatalogue.questions.optionKeyRequired") },
                    {
                      validator: async (_, key: string | undefined) => {
                        const all = ((form.getFieldValue([...path, "values"]) as { key?: string }[] | undefined) ?? []).map((v) => v?.key?.trim());
                        if (key && all.filter((k) => k === key.trim()).length > 1) throw new Error(t("caseCatalogue.questions.optionKeyTaken"));
                      },
                    },
                  ]}
                  style={{ marginBottom: 8 }}
                >
                  <Input maxLength={40} placeholder={t("caseCatalogue.questions.optionKey")} />
                </Form.Item>
              </Col>
              <Col flex="none">
                <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t("caseCatalogue.questions.removeOption")} />
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          {fields.length < maxOptions && (
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ key: nextCode("", ((form.getFieldValue([...path, "values"]) as { key?: string }[] | undefined) ?? []).map((v) => v?.key)), name: "" })}
              data-testid="attribute-add-option"
            >
              {t("caseCatalogue.questions.addOption")}
            </Button>
          )}
        </Form.Item>
      )}
    </Form.List>
  );
}

function AttributeCard({
  listName,
  index,
  count,
  move,
  remove,
}: {
  listName: number;
  index: number;
  count: number;
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const path = ["attributes", listName];
  const datatype = Form.useWatch<AttributeDatatype | undefined>([...path, "datatype"], form);
  const description = Form.useWatch<string | undefined>([...path, "description"], form);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      styles={{ header: { paddingInline: 12 }, body: { padding: 12 } }}
      title={
        <Typography.Text ellipsis style={{ fontWeight: 500 }}>
          {`${index + 1}. ${description?.trim() || t("caseCatalogue.questions.untitled")}`}
        </Typography.Text>
      }
      extra={
        <Space size={0}>
          <Tooltip title={t("caseCatalogue.questions.moveUp")}>
            <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t("caseCatalogue.questions.moveUp")} />
          </Tooltip>
          <Tooltip title={t("caseCatalogue.questions.moveDown")}>
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === count - 1}
              onClick={() => move(index, index + 1)}
              aria-label={t("caseCatalogue.questions.moveDown")}
            />
          </Tooltip>
          <Tooltip title={t("caseCatalogue.questions.remove")}>
            <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(listName)} aria-label={t("caseCatalogue.questions.remove")} />
          </Tooltip>
        </Space>
      }
      data-testid={`attribute-${index}`}
    >
      <Form.Item
        name={[listName, "description"]}
        label={t("caseCatalogue.questions.question")}
        rules={[{ required: true, whitespace: true, message: t("caseCatalogue.questions.questionRequired") }]}
        style={{ marginBottom: 12 }}
      >
        <Input maxLength={200} placeholder={t("caseCatalogue.questions.questionPlaceholder")} data-testid="attribute-description" />
      </Form.Item>
      <Row gutter={8}>
        <Col xs={12}>
          <Form.Item name={[listName, "datatype"]} label={t("caseCatalogue.questions.datatype")} style={{ marginBottom: 12 }}>
            <Select options={datatypes.map((d) => ({ value: d, label: t(`caseCatalogue.questions.datatypes.${d}`) }))} data-testid="attribute-datatype" />
          </Form.Item>
        </Col>
        <Col xs={12}>
          <Form.Item name={[listName, "fill"]} label={t("caseCatalogue.questions.fill")} style={{ marginBottom: 12 }}>
            <Select
              options={fills.map((f) => ({ value: f, label: t(`caseCatalogue.questions.fills.${f}`) }))}
              popupMatchSelectWidth={false}
              data-testid="attribute-fill"
            />
          </Form.Item>
        </Col>
      </Row>
      {isList(datatype) && <OptionsList listName={listName} path={path} />}
      <Form.Item name={[listName, "datatypeDescription"]} label={t("caseCatalogue.questions.hint")} extra={t("caseCatalogue.questions.hintExtra")} style={{ marginBottom: 12 }}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name={[listName, "code"]}
        label={t("caseCatalogue.questions.code")}
        extra={t("caseCatalogue.questions.codeExtra")}
        style={{ marginBottom: 0 }}
        rules={[
          { required: true, whitespace: true, message: t("caseCatalogue.questions.codeRequired") },
          { pattern: codePattern, message: t("caseCatalogue.questions.codePattern") },
          {
            validator: async (_, code: string | undefined) => {
              const all = ((form.getFieldValue("attributes") as { code?: string }[] | undefined) ?? []).map((a) => a?.code?.trim());
              if (code && all.filter((c) => c === code.trim()).length > 1) throw new Error(t("caseCatalogue.questions.codeTaken"));
            },
          },
        ]}
      >
        <Input maxLength={40} style={{ maxWidth: 240 }} data-testid="attribute-code" />
      </Form.Item>
    </Card>
  );
}

/**
 * 附加信息 of a sub-category in the category drawer: the questions residents answer when they
 * report in it, each with how it is answered, whether it must be, and the options of a choice.
 * Lives inside the drawer's form under the name `attributes` (`AttributeFormValue[]`).
 */
export function AttributesEditor() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  return (
    <Form.List name="attributes">
      {(fields, { add, remove, move }, { errors }) => (
        <div data-testid="category-attributes">
          {fields.length === 0 && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
              {t("caseCatalogue.questions.none")}
            </Typography.Paragraph>
          )}
          {fields.map((field, index) => (
            <AttributeCard key={field.key} listName={field.name} index={index} count={fields.length} move={move} remove={remove} />
          ))}
          <Form.ErrorList errors={errors} />
          {fields.length < maxAttributes ? (
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              onClick={() =>
                add({
                  code: nextCode("q", ((form.getFieldValue("attributes") as { code?: string }[] | undefined) ?? []).map((a) => a?.code)),
                  description: "",
                  datatype: "singlevaluelist",
                  fill: "required",
                  datatypeDescription: "",
                  values: [
                    { key: "1", name: "" },
                    { key: "2", name: "" },
                  ],
                } satisfies AttributeFormValue)
              }
              data-testid="attribute-add"
            >
              {t("caseCatalogue.questions.add")}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t("caseCatalogue.questions.max", { count: maxAttributes })}</Typography.Text>
          )}
        </div>
      )}
    </Form.List>
  );
}
