import { useTranslation } from "react-i18next";
import { List, Skeleton, Tag } from "antd-mobile";
import { describeError } from "../errors";
import { gridStaffRoles, useGridStaff } from "./staffApi";

/** 网格力量 on the worker face: the grid's leader, instructor and grid workers, read-only. */
export function GridStaffSection({ gridId }: { gridId: string }) {
  const { t } = useTranslation();
  const staff = useGridStaff(gridId);
  const list = staff.data?.grids[0]?.staff ?? [];
  return (
    <div data-testid="worker-grid-staff">
      <List className="gz-mobile-section" header={t("gridStaff.title")}>
        {staff.isError ? (
          <List.Item>
            <span className="gz-mobile-muted">{describeError(t, staff.error)}</span>
          </List.Item>
        ) : staff.isPending ? (
          <List.Item>
            <Skeleton.Paragraph lineCount={3} animated />
          </List.Item>
        ) : (
          gridStaffRoles.flatMap((role) => {
            const holders = list.filter((s) => s.role === role);
            if (holders.length === 0) {
              return [
                <List.Item key={role} extra={<span className="gz-mobile-muted">{t("gridStaff.vacant")}</span>}>
                  {t(`gridStaff.roles.${role}`)}
                </List.Item>,
              ];
            }
            return holders.map((s) => (
              <List.Item
                key={s.id}
                description={t("gridStaff.since", { date: s.startedOn })}
                extra={
                  s.holder === "login" ? (
                    <Tag color="primary" fill="outline">
                      {t("gridStaff.holder.login")}
                    </Tag>
                  ) : s.holder === "resident" ? (
                    <Tag color="default" fill="outline">
                      {t("gridStaff.holder.resident")}
                    </Tag>
                  ) : null
                }
                data-testid="worker-staff-entry"
              >
                <span className="gz-mobile-muted">{t(`gridStaff.roles.${role}`)}</span> {s.name}
              </List.Item>
            ));
          })
        )}
      </List>
    </div>
  );
}
