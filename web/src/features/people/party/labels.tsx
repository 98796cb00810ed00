import { useTranslation } from "react-i18next";
import { Tag } from "antd";
import type { PartyStatus, RegistrationStatus } from "./api";

const statusColour: Record<PartyStatus, string> = { inService: "blue", retired: "default", floating: "orange" };
const regColour: Record<RegistrationStatus, string> = { registered: "gold", confirmed: "green", declined: "default" };

export function PartyStatusTag({ status }: { status: PartyStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColour[status]} bordered={false}>
      {t(`party.status.${status}`)}
    </Tag>
  );
}

export function RegistrationStatusTag({ status }: { status: RegistrationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={regColour[status]} bordered={false} data-testid="registration-status">
      {t(`partyReg.status.${status}`)}
    </Tag>
  );
}
