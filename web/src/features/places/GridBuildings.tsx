import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Table } from "antd";
import { describeError } from "../errors";
import { ExportLedgerButton } from "../ledgers/ExportLedgerButton";
import { useBuildings, type BuildingSummary } from "./api";

/** 楼栋: the buildings of one grid, each opening its building page. */
export function GridBuildings({ gridId }: { gridId: string }) {
  const { t } = useTranslation();
  const buildings = useBuildings({ gridId });
  return (
    <Card
      size="small"
      title={t("places.gridBuildings", { count: buildings.data?.length ?? 0 })}
      extra={<ExportLedgerButton kind="buildings" areaId={gridId} />}
      data-testid="grid-buildings"
    >
      {buildings.isError ? (
        <Alert type="warning" showIcon message={describeError(t, buildings.error)} />
      ) : (
        <Table<BuildingSummary>
          size="small"
          rowKey="id"
          loading={buildings.isPending}
          dataSource={buildings.data ?? []}
          pagination={(buildings.data?.length ?? 0) > 10 ? { pageSize: 10, size: "small", showSizeChanger: false } : false}
          scroll={{ x: 520 }}
          locale={{ emptyText: t("places.noBuildings") }}
          columns={[
            { title: t("places.compound"), dataIndex: "compoundName", ellipsis: true },
            {
              title: t("places.building"),
              dataIndex: "name",
              width: 110,
              render: (name: string, b) => <Link to={`/console/buildings/${b.id}`}>{name}</Link>,
            },
            { title: t("places.floors"), dataIndex: "floors", width: 70, align: "right" },
            { title: t("places.units"), dataIndex: "unitCount", width: 70, align: "right" },
            { title: t("places.dwellings"), dataIndex: "dwellingCount", width: 70, align: "right" },
            { title: t("places.households"), dataIndex: "householdCount", width: 70, align: "right" },
          ]}
        />
      )}
    </Card>
  );
}
