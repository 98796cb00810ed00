import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Empty, Skeleton, Space, Table, Tag, Typography } from "antd";
import { describeError } from "../errors";
import { useGridHistory, type BoundaryVersion, type LineageLink } from "./gridEditApi";

function Links({ title, links }: { title: string; links: LineageLink[] }) {
  const { t } = useTranslation();
  if (links.length === 0) return null;
  return (
    <Space wrap size={[6, 4]}>
      <Typography.Text type="secondary">{title}</Typography.Text>
      {links.map((l) => (
        <Space key={`${l.area.id}-${l.effectiveOn}`} size={4}>
          <Link to={`/console/grids/${l.area.id}`}>{l.area.name}</Link>
          <Typography.Text type="secondary">
            {t(`gridEdit.history.lineage.${l.kind}`)} · {l.effectiveOn}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}

/** 边界历史: a grid's boundary versions by validity dates, and the grids it came from and went into. */
export function GridHistoryCard({ gridId }: { gridId: string }) {
  const { t } = useTranslation();
  const history = useGridHistory(gridId);
  return (
    <Card size="small" title={t("gridEdit.history.title")} data-testid="grid-history">
      {history.isError ? (
        <Alert type="warning" showIcon message={describeError(t, history.error)} />
      ) : !history.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Space direction="vertical" size={8} style={{ width: "100%" }}>
          <Links title={t("gridEdit.history.predecessors")} links={history.data.predecessors} />
          <Links title={t("gridEdit.history.successors")} links={history.data.successors} />
          {history.data.versions.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("gridEdit.history.none")} />
          ) : (
            <Table<BoundaryVersion>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={[...history.data.versions].reverse()}
              columns={[
                {
                  title: t("gridEdit.history.period"),
                  render: (_, v) => `${v.validFrom} — ${v.validTo ?? t("gridEdit.history.now")}`,
                },
                {
                  title: t("gridEdit.history.reason"),
                  dataIndex: "reason",
                  render: (r: BoundaryVersion["reason"], v) => (
                    <Tag color={v.validTo === null ? "green" : undefined} bordered={false}>
                      {t(`gridEdit.history.reasons.${r}`)}
                    </Tag>
                  ),
                },
              ]}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
