import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBlock, InfiniteScroll, List, Popup, Skeleton } from "antd-mobile";
import { describeError } from "../../errors";
import { useHousehold, useHouseholdsInfinite } from "./api";

function HouseholdSheet({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const household = useHousehold(id);
  const h = household.data;
  return (
    <Popup visible={Boolean(id)} onMaskClick={onClose} onClose={onClose} bodyStyle={{ borderRadius: "12px 12px 0 0" }}>
      <div style={{ padding: "12px 0 24px" }}>
        {household.isError ? (
          <ErrorBlock status="default" title={describeError(t, household.error)} description="" />
        ) : h ? (
          <List header={t("household.detailTitle")}>
            <List.Item extra={h.address}>{t("household.address")}</List.Item>
            <List.Item extra={h.headName}>{t("household.headName")}</List.Item>
            <List.Item extra={t("household.persons", { count: h.size })}>{t("household.size")}</List.Item>
            <List.Item extra={h.gridName}>{t("household.grid")}</List.Item>
          </List>
        ) : (
          <Skeleton.Paragraph lineCount={4} animated />
        )}
      </div>
    </Popup>
  );
}

/** Households of an area for a phone, loading more as the list scrolls; data arrives masked. */
export function HouseholdList({ areaId }: { areaId: string }) {
  const { t } = useTranslation();
  const query = useHouseholdsInfinite(areaId);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const total = query.data?.pages[0]?.total;
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  if (query.isError && items.length === 0) {
    return <ErrorBlock className="gz-mobile-section" status="default" title={describeError(t, query.error)} description="" />;
  }
  return (
    <>
      {query.isPending && <Skeleton.Paragraph className="gz-mobile-section" lineCount={5} animated />}
      <List
        className="gz-mobile-section"
        header={total === undefined ? t("household.title") : t("household.titleWithCount", { count: total })}
        data-testid="household-list"
      >
        {items.map((h) => (
          <List.Item
            key={h.id}
            onClick={() => setOpen(h.id)}
            description={`${t("household.headName")} ${h.headName} · ${t("household.persons", { count: h.size })}`}
          >
            {h.place ?? h.address}
          </List.Item>
        ))}
      </List>
      {!query.isPending && (
        <InfiniteScroll
          loadMore={async () => {
            await query.fetchNextPage();
          }}
          hasMore={Boolean(query.hasNextPage)}
        />
      )}
      <HouseholdSheet id={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
