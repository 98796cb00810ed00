import { useTranslation } from "react-i18next";
import { Alert, App, Form, Input, InputNumber, Modal, Select } from "antd";
import { useNavigate } from "react-router-dom";
import { describeError } from "../../errors";
import { useCreateHousehold } from "./api";
import { todayInChina } from "./dates";

interface Values {
  dwellingId: string;
  headName: string;
  size: number;
  movedInOn: string;
  note?: string;
}

/** 登记住户: a new household in one of the building's dwellings; the address is composed by the server. */
export function NewHouseholdDialog({
  dwellings,
  initialDwellingId,
  open,
  onClose,
}: {
  dwellings: { id: string; label: string }[];
  initialDwellingId?: string | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const create = useCreateHousehold();

  const submit = (v: Values) =>
    create.mutate(
      { dwellingId: v.dwellingId, headName: v.headName.trim(), size: v.size, movedInOn: v.movedInOn, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
      {
        onSuccess: (h) => {
          void message.success(t("householdEdit.created"));
          onClose();
          void navigate(`/console/households/${h.id}`);
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t("householdEdit.newTitle")}
      okText={t("householdEdit.create")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      data-testid="household-new-dialog"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ dwellingId: initialDwellingId, size: 1, movedInOn: todayInChina() }}
        onFinish={submit}
      >
        <Form.Item name="dwellingId" label={t("places.dwelling")} rules={[{ required: true, message: t("places.pickDwelling") }]}>
          <Select showSearch optionFilterProp="label" options={dwellings.map((d) => ({ value: d.id, label: d.label }))} placeholder={t("places.pickDwelling")} />
        </Form.Item>
        <Form.Item name="headName" label={t("household.headName")} rules={[{ required: true, whitespace: true, message: t("householdEdit.headRequired") }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="size" label={t("household.size")} rules={[{ required: true }]}>
          <InputNumber min={1} max={50} precision={0} style={{ width: 160 }} addonAfter={t("householdEdit.personsUnit")} />
        </Form.Item>
        <Form.Item name="movedInOn" label={t("householdEdit.movedInOn")} rules={[{ required: true }]}>
          <Input type="date" max={todayInChina()} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="note" label={t("household.note")} extra={t("household.noteHint")}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        {create.isError && <Alert type="error" showIcon message={describeError(t, create.error)} />}
      </Form>
    </Modal>
  );
}
