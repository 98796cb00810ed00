import { useTranslation } from "react-i18next";
import { Card, List, NoticeBar } from "antd-mobile";
import { useMySignup } from "../../features/accounts/api";
import { useHousehold } from "../../features/people/households/api";

/** The resident's household once the account is linked to the registry (我的家庭). */
function MyHousehold({ id }: { id: string }) {
  const { t } = useTranslation();
  const household = useHousehold(id);
  const h = household.data;
  if (!h) return null;
  return (
    <Card className="gz-mobile-section" title={t("accounts.home.household")} data-testid="my-household">
      <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
        <List.Item extra={h.place ?? h.address}>{t("accounts.home.place")}</List.Item>
        <List.Item extra={h.headName}>{t("accounts.home.head")}</List.Item>
        <List.Item extra={t("accounts.home.size", { count: h.size })}>{t("accounts.home.members")}</List.Item>
        <List.Item extra={h.gridName}>{t("area.level.grid")}</List.Item>
      </List>
    </Card>
  );
}

/**
 * Where the resident's account stands: 待社区核实 (they may report and follow their own cases
 * meanwhile), not accepted with the community's reason, or linked — then their household.
 */
export function MyAccountCard() {
  const { t } = useTranslation();
  const mine = useMySignup();
  const s = mine.data;
  if (!s) return null;
  if (s.householdId) return <MyHousehold id={s.householdId} />;
  if (s.status === "pending") {
    return (
      <div className="gz-mobile-section" data-testid="signup-pending">
        <NoticeBar wrap color="alert" content={t("accounts.home.pending", { community: s.communityName ?? "" })} />
      </div>
    );
  }
  if (s.status === "rejected") {
    return (
      <div className="gz-mobile-section" data-testid="signup-rejected">
        <NoticeBar wrap color="error" content={t("accounts.home.rejected", { reason: s.rejectReason ?? "" })} />
      </div>
    );
  }
  return null;
}

/** Whether the account is linked to a registry person (some services need it: 党员报到). */
export function useLinked(): boolean | undefined {
  const mine = useMySignup();
  return mine.data ? mine.data.householdId !== null : undefined;
}
