import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ErrorBlock, List, Skeleton } from "antd-mobile";
import { describeError } from "../../features/errors";
import { useBuildings } from "../../features/places/api";

/** 楼栋: the buildings of the worker's grid, each opening its households. */
export function BuildingsSection({ gridId }: { gridId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const buildings = useBuildings({ gridId });
  if (buildings.isError) return <ErrorBlock className="gz-mobile-section" status="default" title={describeError(t, buildings.error)} description="" />;
  if (buildings.isPending) return <Skeleton.Paragraph className="gz-mobile-section" lineCount={3} animated />;
  return (
    <List className="gz-mobile-section" header={t("places.gridBuildings", { count: buildings.data.length })} data-testid="worker-buildings">
      {buildings.data.length === 0 && <List.Item>{t("places.noBuildings")}</List.Item>}
      {buildings.data.map((b) => (
        <List.Item
          key={b.id}
          onClick={() => void navigate(`/worker/buildings/${b.id}`)}
          description={t("places.countsValue", { units: b.unitCount, dwellings: b.dwellingCount, households: b.householdCount })}
        >
          {b.compoundName} {b.name}
        </List.Item>
      ))}
    </List>
  );
}
