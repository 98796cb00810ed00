import { useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Table } from "antd";
import { describeError } from "../../errors";
import { useHouseholdsPage, type HouseholdItem } from "./api";

/** Households in an area, a page at a time; names and addresses arrive masked from the server. */
export function HouseholdTable({ areaId, linked, hideGrid }: { areaId: string; linked?: boolean; hideGrid?: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const query = useHouseholdsPage(areaId, page, pageSize);

  if (query.isError) return <Alert type="warning" showIcon message={describeError(t, query.error)} />;
  return (
    <Table<HouseholdItem>
      size="small"
      rowKey="id"
      loading={query.isFetching}
      data-testid="household-table"
      dataSource={query.data?.items ?? []}
      scroll={{ x: 560 }}
      columns={[
        {
          title: t("household.address"),
          dataIndex: "address",
          // The place within the compound (clear for the grid's own workers) tells rows apart; the street address stays masked.
          render: (address: string, h) => {
            const text = h.place ?? address;
            return linked ? <Link to={`/console/households/${h.id}`}>{text}</Link> : text;
          },
        },
        { title: t("household.headName"), dataIndex: "headName", width: 100 },
        { title: t("household.size"), dataIndex: "size", width: 80, align: "right" },
        ...(hideGrid ? [] : [{ title: t("household.grid"), dataIndex: "gridName", width: 140 }]),
      ]}
      pagination={{
        current: page,
        pageSize,
        total: query.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t("household.total", { count: total }),
        onChange: (p, s) => {
          setPage(s === pageSize ? p : 1);
          setPageSize(s);
        },
      }}
    />
  );
}
