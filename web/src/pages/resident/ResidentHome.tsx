import type { ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Card, List, Tag } from "antd-mobile";
import { CalendarOutlined, CommentOutlined, EditOutlined, FlagOutlined, NotificationOutlined, ProfileOutlined } from "@ant-design/icons";
import { useArea, useAreaGeoJson } from "../../features/areas/api";
import { AreaMap } from "../../features/areas/AreaMap";
import { useMe } from "../../features/auth/session";
import { MyAccountCard, useLinked } from "./MyAccountCard";

interface Place {
  /** A grant's area name may be null (a grant without an area). */
  name: string | null;
}

function Action({
  icon,
  title,
  note,
  onClick,
  primary,
  ready,
  testId,
}: {
  icon: ReactNode;
  title: string;
  note: string;
  onClick?: () => void;
  primary?: boolean;
  /** Works today (no 即将上线 tag). */
  ready?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`gz-mobile-action${primary ? " gz-mobile-action-primary" : ""}`}
      onClick={onClick}
      disabled={!onClick}
      data-testid={testId}
    >
      {icon}
      <span style={{ flex: 1 }}>
        <strong>{title}</strong>
        <br />
        <span className="gz-mobile-muted">{note}</span>
      </span>
      {!ready && (
        <Tag color="default" fill="outline">
          {t("common.comingSoon")}
        </Tag>
      )}
    </button>
  );
}

/** The resident's home: my community and grid, and what the site will let me do. */
export function ResidentHome() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const grant = me.grants.find((g) => g.role === "resident") ?? me.grants[0];
  const area = useArea(grant?.areaId ?? undefined);
  const levelOfGrant = area.data?.area.level ?? grant?.areaLevel;

  // A resident is granted on their grid (or community); the rest comes from the ancestors.
  const gridArea = area.data && (levelOfGrant === "grid" || levelOfGrant === "microGrid") ? area.data.area : undefined;
  const grid: Place | undefined =
    gridArea ??
    area.data?.ancestors.findLast((a) => a.level === "grid") ??
    (grant && grant.areaLevel === "grid" ? { name: grant.areaName } : undefined);
  const community: Place | undefined =
    (levelOfGrant === "community" && grant ? { name: area.data?.area.name ?? grant.areaName } : undefined) ??
    area.data?.ancestors.findLast((a) => a.level === "community");
  const street = area.data?.ancestors.findLast((a) => a.level === "street");
  const geojson = useAreaGeoJson(area.data ? area.data.area.id : undefined);
  // Until the community links the account to the registry, services that need the person wait.
  const linked = useLinked();

  return (
    <div data-testid="resident-home">
      <div className="gz-mobile-hero">
        <h2>{t("resident.home.greeting", { name: me.displayName })}</h2>
        <p>{[street?.name, community?.name].filter(Boolean).join(" · ") || t("resident.home.subtitle")}</p>
      </div>
      <MyAccountCard />
      <Card className="gz-mobile-section" title={t("resident.home.myPlace")}>
        <List style={{ "--border-top": "0", "--border-bottom": "0", "--padding-left": "0" }}>
          <List.Item extra={community?.name ?? t("common.none")}>{t("area.level.community")}</List.Item>
          <List.Item
            extra={
              <span>
                {grid?.name ?? t("common.none")}
                {gridArea?.gridType && (
                  <Tag color="success" fill="outline" style={{ marginLeft: 6 }}>
                    {t(`area.gridType.${gridArea.gridType}`)}
                  </Tag>
                )}
              </span>
            }
          >
            {t("area.level.grid")}
          </List.Item>
        </List>
        {geojson.data && (
          <div style={{ marginTop: 8 }}>
            <AreaMap compact data={geojson.data} selectedId={gridArea?.id} focus={area.data?.area.bbox} height={180} />
          </div>
        )}
      </Card>
      <div className="gz-mobile-section gz-mobile-actions">
        <Action
          primary
          icon={<EditOutlined />}
          title={t("resident.home.report")}
          note={t("resident.home.reportNote")}
          onClick={() => void navigate("/resident/report")}
          ready
          testId="resident-report-link"
        />
        <Action
          icon={<ProfileOutlined />}
          title={t("resident.home.myCases")}
          note={t("resident.home.myCasesNote")}
          onClick={() => void navigate("/resident/cases")}
          ready
          testId="resident-cases-link"
        />
        <Action
          icon={<FlagOutlined />}
          title={t("resident.home.party")}
          note={linked === false ? t("accounts.home.afterCheck") : t("resident.home.partyNote")}
          {...(linked === false ? {} : { onClick: () => void navigate("/resident/party") })}
          ready
          testId="resident-party-link"
        />
        <Action icon={<CommentOutlined />} title={t("resident.home.deliberation")} note={t("resident.home.deliberationNote")} />
        <Action icon={<NotificationOutlined />} title={t("resident.home.notices")} note={t("resident.home.noticesNote")} />
        <Action icon={<CalendarOutlined />} title={t("resident.home.activities")} note={t("resident.home.activitiesNote")} />
      </div>
    </div>
  );
}
