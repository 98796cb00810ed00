import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Select, Space } from "antd";
import { useBuilding, useBuildings, useCompounds, type DwellingCell } from "./api";

/**
 * Picks a dwelling the way people name one: compound → building → unit → room. `onChange` gets the
 * dwelling (with the households living there) or undefined while the choice is incomplete.
 */
export function DwellingPicker({
  communityId,
  onChange,
  disabledDwellingId,
}: {
  communityId: string | undefined;
  onChange: (dwelling: DwellingCell | undefined) => void;
  disabledDwellingId?: string | undefined;
}) {
  const { t } = useTranslation();
  const [compoundId, setCompoundId] = useState<string>();
  const [buildingId, setBuildingId] = useState<string>();
  const [unitId, setUnitId] = useState<string>();
  const [dwellingId, setDwellingId] = useState<string>();
  const compounds = useCompounds(communityId);
  const buildings = useBuildings({ compoundId });
  const building = useBuilding(buildingId);
  const unit = building.data?.units.find((u) => u.id === unitId);

  useEffect(() => {
    onChange(unit?.dwellings.find((d) => d.id === dwellingId));
    // onChange is the parent's setter; the choice is what matters here.
  }, [dwellingId, unit]);

  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="dwelling-picker">
      <Select<string>
        showSearch
        optionFilterProp="label"
        placeholder={t("places.pickCompound")}
        value={compoundId}
        loading={compounds.isPending && Boolean(communityId)}
        options={(compounds.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        onChange={(v) => {
          setCompoundId(v);
          setBuildingId(undefined);
          setUnitId(undefined);
          setDwellingId(undefined);
        }}
        data-testid="pick-compound"
      />
      <Select<string>
        showSearch
        optionFilterProp="label"
        placeholder={t("places.pickBuilding")}
        value={buildingId}
        disabled={!compoundId}
        loading={buildings.isFetching}
        options={(buildings.data ?? []).map((b) => ({ value: b.id, label: `${b.name}（${b.gridName}）` }))}
        onChange={(v) => {
          setBuildingId(v);
          setUnitId(undefined);
          setDwellingId(undefined);
        }}
        data-testid="pick-building"
      />
      <Select<string>
        placeholder={t("places.pickUnit")}
        value={unitId}
        disabled={!buildingId}
        loading={building.isFetching}
        options={(building.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
        onChange={(v) => {
          setUnitId(v);
          setDwellingId(undefined);
        }}
        data-testid="pick-unit"
      />
      <Select<string>
        showSearch
        optionFilterProp="label"
        placeholder={t("places.pickDwelling")}
        value={dwellingId}
        disabled={!unitId}
        options={(unit?.dwellings ?? []).map((d) => ({
          value: d.id,
          disabled: d.id === disabledDwellingId,
          label:
            d.id === disabledDwellingId
              ? t("places.dwellingCurrent", { room: d.roomNo })
              : d.households.length > 0
                ? t("places.dwellingOccupied", { room: d.roomNo, count: d.households.length })
                : t("places.dwellingEmpty", { room: d.roomNo }),
        }))}
        onChange={setDwellingId}
        data-testid="pick-dwelling"
      />
    </Space>
  );
}
