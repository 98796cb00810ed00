import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Form, Input, Modal, Typography } from "antd";
import { IdcardOutlined } from "@ant-design/icons";
import { isApiError } from "../../api";
import { describeError } from "../errors";
import { useSearchPersonByIdNumber } from "./api";

const idNumberPattern = /^\d{17}[\dXx]$/;

/**
 * 按身份证号查找: an exact search by ID number. The number is sent in a POST body (never in the
 * URL or the browser history) and is not kept after the dialog closes.
 */
export function PersonSearchDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ idNumber: string }>();
  const search = useSearchPersonByIdNumber();

  const close = () => {
    search.reset();
    form.resetFields();
    onClose();
  };

  const submit = ({ idNumber }: { idNumber: string }) => {
    search.mutate(idNumber.trim().toUpperCase(), {
      onSuccess: (person) => {
        close();
        void navigate(`/console/persons/${person.id}`);
      },
      onError: (e) => {
        if (isApiError(e) && e.code === "validation_failed") form.setFields([{ name: "idNumber", errors: [e.message] }]);
      },
    });
  };

  const notFound = isApiError(search.error) && search.error.code === "not_found";
  const otherError = search.error && !notFound && !(isApiError(search.error) && search.error.code === "validation_failed");

  return (
    <Modal
      open={open}
      title={t("person.search.title")}
      onCancel={close}
      data-testid="person-search-dialog"
      footer={
        <>
          <Button onClick={close}>{t("common.cancel")}</Button>
          <Button type="primary" loading={search.isPending} onClick={() => form.submit()} data-testid="person-search-submit">
            {t("person.search.submit")}
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">{t("person.search.hint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="idNumber"
          label={t("person.fields.idNumber")}
          rules={[
            { required: true, whitespace: true, message: t("person.search.required") },
            { pattern: idNumberPattern, message: t("person.search.format") },
          ]}
        >
          <Input
            maxLength={18}
            autoComplete="off"
            inputMode="text"
            spellCheck={false}
            className="gz-masked-number"
            placeholder={t("person.search.placeholder")}
            onPressEnter={() => form.submit()}
            data-testid="person-search-input"
          />
        </Form.Item>
      </Form>
      {notFound && <Alert type="warning" showIcon message={t("person.search.notFound")} data-testid="person-search-notfound" />}
      {otherError && <Alert type="error" showIcon message={describeError(t, search.error)} />}
    </Modal>
  );
}

/** The header's button that opens the search. */
export function PersonSearchButton({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        icon={<IdcardOutlined />}
        onClick={() => setOpen(true)}
        aria-label={t("person.search.button")}
        title={t("person.search.button")}
        data-testid="person-search-open"
      >
        {compact ? null : t("person.search.button")}
      </Button>
      <PersonSearchDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
