import { useTranslation } from "react-i18next";
import { Alert, App, Form, Input, InputNumber, Modal } from "antd";
import { describeError } from "../../errors";
import { useUpdateHousehold, type HouseholdItem } from "./api";

interface Values {
  headName: string;
  size: number;
  address: string;
}

/** 编辑住户: the registered head, size and address (the address is personal data: shown only to roles that may see it). */
export function HouseholdEditDialog({ household, open, onClose }: { household: HouseholdItem; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const update = useUpdateHousehold(household.id);
  const clear = household.masked === false;

  const submit = (v: Values) => {
    const patch = {
      ...(v.headName.trim() !== household.headName ? { headName: v.headName.trim() } : {}),
      ...(v.size !== household.size ? { size: v.size } : {}),
      ...(clear && v.address.trim() !== household.address ? { address: v.address.trim() } : {}),
    };
    if (Object.keys(patch).length === 0) return onClose();
    update.mutate(patch, {
      onSuccess: () => {
        void message.success(t("householdEdit.saved"));
        onClose();
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t("householdEdit.title")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
      data-testid="household-edit-dialog"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ headName: clear ? household.headName : "", size: household.size, address: clear ? household.address : "" }}
        onFinish={submit}
      >
        {clear && (
          <Form.Item name="headName" label={t("household.headName")} rules={[{ required: true, whitespace: true, message: t("householdEdit.headRequired") }]}>
            <Input maxLength={40} />
          </Form.Item>
        )}
        <Form.Item name="size" label={t("household.size")} rules={[{ required: true }]}>
          <InputNumber min={1} max={50} precision={0} style={{ width: 160 }} addonAfter={t("householdEdit.personsUnit")} />
        </Form.Item>
        {clear && (
          <Form.Item name="address" label={t("household.address")} extra={t("householdEdit.addressHint")} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
          </Form.Item>
        )}
        {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} />}
      </Form>
    </Modal>
  );
}
