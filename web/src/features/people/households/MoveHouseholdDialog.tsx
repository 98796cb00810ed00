import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Form, Input, Modal, Typography } from "antd";
import { describeError } from "../../errors";
import { DwellingPicker } from "../../places/DwellingPicker";
import type { DwellingCell } from "../../places/api";
import { useMoveHousehold, type HouseholdItem } from "./api";
import { todayInChina } from "./dates";

/**
 * 迁移住户: choose compound → building → unit → dwelling and the day of the move. The history keeps
 * the old dwelling; when the grid changes the server says what happened to the red grid member.
 */
export function MoveHouseholdDialog({ household, communityId, open, onClose }: { household: HouseholdItem; communityId: string | undefined; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const move = useMoveHousehold(household.id);
  const [dwelling, setDwelling] = useState<DwellingCell>();
  const [movedOn, setMovedOn] = useState(todayInChina());

  const submit = () => {
    if (!dwelling) return;
    move.mutate(
      { toDwellingId: dwelling.id, movedOn },
      {
        onSuccess: (r) => {
          onClose();
          if (r.redGrid.pinnedKept) {
            modal.warning({ title: t("householdMove.pinnedKeptTitle"), content: t("householdMove.pinnedKept") });
          } else {
            void message.success(r.move.gridChanged ? (r.redGrid.dropped ? t("householdMove.doneNewGridDropped") : t("householdMove.doneNewGrid")) : t("householdMove.done"));
          }
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t("householdMove.title")}
      okText={t("householdMove.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ disabled: !dwelling || !movedOn, ...{ "data-testid": "household-move-submit" } }}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
      data-testid="household-move-dialog"
    >
      <Typography.Paragraph type="secondary">{t("householdMove.hint")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t("householdMove.to")} required>
          <DwellingPicker communityId={communityId} onChange={setDwelling} disabledDwellingId={household.dwellingId} />
        </Form.Item>
        <Form.Item label={t("householdMove.movedOn")} required>
          <Input type="date" value={movedOn} max={todayInChina()} onChange={(e) => setMovedOn(e.target.value)} style={{ width: 200 }} data-testid="household-move-date" />
        </Form.Item>
      </Form>
      {dwelling && dwelling.households.length > 0 && <Alert type="info" showIcon message={t("householdMove.occupied", { count: dwelling.households.length })} style={{ marginBottom: 12 }} />}
      {move.isError && <Alert type="error" showIcon message={describeError(t, move.error)} />}
    </Modal>
  );
}
