import { useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Card, ErrorBlock, List, NavBar, Skeleton, Tag } from "antd-mobile";
import { describeError } from "../../features/errors";
import { useBuilding } from "../../features/places/api";

/** A building on the phone: each unit's dwellings from the top floor down, with who lives there. */
export function WorkerBuildingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const building = useBuilding(id);
  const b = building.data;

  return (
    <div data-testid="worker-building">
      <NavBar onBack={() => void navigate(-1)}>{b ? `${b.compoundName} ${b.name}` : t("places.building")}</NavBar>
      {building.isError ? (
        <ErrorBlock status="default" title={describeError(t, building.error)} description="" />
      ) : !b ? (
        <Skeleton.Paragraph className="gz-mobile-section" lineCount={6} animated />
      ) : (
        <>
          <Card className="gz-mobile-section">
            <div className="gz-mobile-muted">
              {b.gridName} · {t("places.floorsValue", { count: b.floors })}
            </div>
            <div className="gz-mobile-muted">{t("places.countsValue", { units: b.unitCount, dwellings: b.dwellingCount, households: b.householdCount })}</div>
            <div style={{ marginTop: 6 }}>
              {t("places.buildingHead")}：
              {b.buildingHeads.length > 0 ? b.buildingHeads.map((p) => p.name).join("、") : <span className="gz-mobile-muted">{t("places.noBuildingHead")}</span>}
            </div>
          </Card>
          {b.units.map((u) => (
            <List key={u.id} className="gz-mobile-section" header={u.name} data-testid="worker-building-unit">
              {[...u.dwellings]
                .sort((x, y) => y.floor - x.floor || x.roomNo.localeCompare(y.roomNo))
                .map((d) => (
                  <List.Item
                    key={d.id}
                    prefix={
                      <Tag color={d.households.length > 0 ? "primary" : "default"} fill="outline">
                        {t("places.room", { room: d.roomNo })}
                      </Tag>
                    }
                  >
                    {d.households.length === 0 ? (
                      <span className="gz-mobile-muted">{t("places.vacant")}</span>
                    ) : (
                      d.households.map((h) => t("places.householdCell", { head: h.headName, count: h.size })).join("；")
                    )}
                  </List.Item>
                ))}
            </List>
          ))}
        </>
      )}
    </div>
  );
}
