import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Form, Input, Modal, Radio, Select, Typography } from "antd";
import { describeError } from "../errors";
import { DwellingPicker } from "../places/DwellingPicker";
import type { DwellingCell } from "../places/api";
import { todayInChina } from "./households/dates";
import { leaveReasons, personRelations, useLeaveHousehold, useMovePerson, type LeaveReason, type PersonItem, type PersonRelation } from "./api";

/** 迁入其他住户 (e.g. marriage): choose the dwelling, then the household living there, and the new relation. */
export function MovePersonDialog({ person, communityId, open, onClose }: { person: PersonItem; communityId: string | undefined; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const move = useMovePerson(person.id);
  const [dwelling, setDwelling] = useState<DwellingCell>();
  const [householdId, setHouseholdId] = useState<string>();
  const [relation, setRelation] = useState<PersonRelation>("配偶");
  const choices = (dwelling?.households ?? []).filter((h) => h.id !== person.householdId);

  const submit = () => {
    if (!householdId) return;
    move.mutate(
      { toHouseholdId: householdId, relation },
      {
        onSuccess: () => {
          void message.success(t("personEdit.moved"));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t("personEdit.moveTitle")}
      okText={t("personEdit.moveSubmit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !householdId }}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
      data-testid="person-move-dialog"
    >
      <Form layout="vertical">
        <Form.Item label={t("places.dwelling")} required>
          <DwellingPicker
            communityId={communityId}
            onChange={(d) => {
              setDwelling(d);
              setHouseholdId(undefined);
            }}
          />
        </Form.Item>
        <Form.Item label={t("personEdit.toHousehold")} required>
          {dwelling && choices.length === 0 ? (
            <Typography.Text type="secondary">{t("personEdit.noHouseholdHere")}</Typography.Text>
          ) : (
            <Select<string>
              value={householdId}
              onChange={setHouseholdId}
              disabled={!dwelling}
              placeholder={t("personEdit.pickHousehold")}
              options={choices.map((h) => ({ value: h.id, label: t("personEdit.householdOption", { head: h.headName, count: h.size }) }))}
            />
          )}
        </Form.Item>
        <Form.Item label={t("person.fields.relation")} required>
          <Select<PersonRelation> value={relation} onChange={setRelation} options={personRelations.map((r) => ({ value: r, label: r }))} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      {move.isError && <Alert type="error" showIcon message={describeError(t, move.error)} />}
    </Modal>
  );
}

/** 迁出或注销: the person leaves their household; the record stays and the reason is kept in the audit log. */
export function LeaveHouseholdDialog({ person, open, onClose }: { person: PersonItem; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const leave = useLeaveHousehold(person.id);
  const [reason, setReason] = useState<LeaveReason>("movedAway");
  const [leftOn, setLeftOn] = useState(todayInChina());

  const submit = () =>
    leave.mutate(
      { reason, ...(leftOn ? { leftOn } : {}) },
      {
        onSuccess: () => {
          void message.success(t("personEdit.left"));
          onClose();
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t("personEdit.leaveTitle")}
      okText={t("personEdit.leaveSubmit")}
      okButtonProps={{ danger: true }}
      cancelText={t("common.cancel")}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={leave.isPending}
      destroyOnHidden
      data-testid="person-leave-dialog"
    >
      <Typography.Paragraph type="secondary">{t("personEdit.leaveHint")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t("personEdit.reason")} required>
          <Radio.Group value={reason} onChange={(e) => setReason(e.target.value as LeaveReason)} options={leaveReasons.map((r) => ({ value: r, label: t(`personEdit.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item label={t("personEdit.leftOn")}>
          <Input type="date" value={leftOn} max={todayInChina()} onChange={(e) => setLeftOn(e.target.value)} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      {leave.isError && <Alert type="error" showIcon message={describeError(t, leave.error)} />}
    </Modal>
  );
}
