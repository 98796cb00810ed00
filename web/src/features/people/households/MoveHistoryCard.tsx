import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Table, Typography } from "antd";
import { describeError } from "../../errors";
import { useHouseholdMoves, type HouseholdMove } from "./api";

function Place({ place, buildingId }: { place: string | null; buildingId: string | null }) {
  const { t } = useTranslation();
  if (!place) return <Typography.Text type="secondary">{t("householdMove.unknownPlace")}</Typography.Text>;
  return buildingId ? <Link to={`/console/buildings/${buildingId}`}>{place}</Link> : <span>{place}</span>;
}

/** 迁移记录: where the household lived, newest first; the first entry is the move-in. */
export function MoveHistoryCard({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const moves = useHouseholdMoves(householdId);
  return (
    <Card size="small" title={t("householdMove.history")} data-testid="household-moves">
      {moves.isError ? (
        <Alert type="warning" showIcon message={describeError(t, moves.error)} />
      ) : (
        <Table<HouseholdMove>
          size="small"
          rowKey="id"
          loading={moves.isPending}
          dataSource={moves.data ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          locale={{ emptyText: t("householdMove.noHistory") }}
          columns={[
            { title: t("householdMove.movedOn"), dataIndex: "movedOn", width: 120 },
            {
              title: t("householdMove.from"),
              dataIndex: "fromPlace",
              render: (_: unknown, m) =>
                m.fromDwellingId === null ? <Typography.Text type="secondary">{t("householdMove.movedIn")}</Typography.Text> : <Place place={m.fromPlace} buildingId={m.fromBuildingId} />,
            },
            { title: t("householdMove.to"), dataIndex: "toPlace", render: (_: unknown, m) => <Place place={m.toPlace} buildingId={m.toBuildingId} /> },
          ]}
        />
      )}
    </Card>
  );
}
