import { useTranslation } from "react-i18next";
import { Alert, App, Checkbox, Col, Form, Input, InputNumber, Modal, Radio, Row, Select } from "antd";
import { describeError } from "../errors";
import { personRelations, personTags, useAddPerson, type PersonRelation, type PersonTag } from "./api";

interface Values {
  name: string;
  gender: "male" | "female";
  birthYear: number;
  relation: PersonRelation;
  idNumber?: string;
  phone?: string;
  tags?: PersonTag[];
  skills?: string[];
}

/** 添加家庭成员: an ID number is optional, checked by the server and stored encrypted. */
export function AddPersonDialog({ householdId, open, onClose }: { householdId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddPerson(householdId);
  const tags = Form.useWatch("tags", form) ?? [];
  const thisYear = new Date().getFullYear();

  const submit = (v: Values) =>
    add.mutate(
      {
        name: v.name.trim(),
        gender: v.gender,
        birthYear: v.birthYear,
        relation: v.relation,
        ...(v.idNumber?.trim() ? { idNumber: v.idNumber.trim() } : {}),
        ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
        tags: v.tags ?? [],
        skills: (v.tags ?? []).includes("talent") ? (v.skills ?? []) : [],
      },
      {
        onSuccess: () => {
          void message.success(t("personEdit.added"));
          onClose();
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t("personEdit.addTitle")}
      okText={t("personEdit.add")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
      width={600}
      data-testid="person-add-dialog"
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ gender: "female", relation: "子女", tags: [] }} onFinish={submit}>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t("person.fields.name")} rules={[{ required: true, whitespace: true, message: t("personEdit.nameRequired") }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="relation" label={t("person.fields.relation")} rules={[{ required: true }]}>
              <Select options={personRelations.map((r) => ({ value: r, label: r }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gender" label={t("person.fields.gender")} rules={[{ required: true }]}>
              <Radio.Group options={[{ value: "male", label: t("person.gender.male") }, { value: "female", label: t("person.gender.female") }]} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="birthYear" label={t("person.fields.birthYear")} rules={[{ required: true, message: t("personEdit.birthYearRequired") }]}>
              <InputNumber min={1900} max={thisYear} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="idNumber" label={t("person.fields.idNumber")} extra={t("personEdit.idNumberHint")}>
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t("person.fields.phone")}>
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t("person.fields.tags")}>
          <Checkbox.Group options={personTags.map((tag) => ({ value: tag, label: t(`person.tags.${tag}`) }))} />
        </Form.Item>
        {tags.includes("talent") && (
          <Form.Item name="skills" label={t("person.fields.skills")}>
            <Select mode="tags" open={false} tokenSeparators={[",", "，", "、"]} placeholder={t("personEdit.skillsPlaceholder")} />
          </Form.Item>
        )}
        {add.isError && <Alert type="error" showIcon message={describeError(t, add.error)} />}
      </Form>
    </Modal>
  );
}
