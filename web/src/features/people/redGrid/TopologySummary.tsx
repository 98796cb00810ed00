import { useTranslation } from "react-i18next";
import { Alert, List, Space, Spin, Tag, Typography } from "antd";
import { describeError } from "../../errors";
import { isNotOffered, type TopologyReport } from "./api";
import { formatArea } from "./layers";

interface Row {
  key: string;
  kind: "overlap" | "gap" | "outside" | "invalid";
  text: string;
  areaM2?: number;
}

function rowsOf(report: TopologyReport): Row[] {
  const rows: Row[] = [];
  report.overlaps.forEach((o, i) => rows.push({ key: `o${i}`, kind: "overlap", text: o.message, areaM2: o.areaM2 }));
  report.gaps.forEach((g, i) => rows.push({ key: `g${i}`, kind: "gap", text: g.message, areaM2: g.areaM2 }));
  report.outside.forEach((o, i) => rows.push({ key: `x${i}`, kind: "outside", text: o.message, areaM2: o.areaM2 }));
  report.invalid.forEach((v, i) =>
    v.problems.forEach((p, j) => rows.push({ key: `v${i}-${j}`, kind: "invalid", text: p.message })),
  );
  return rows;
}

const kindColour: Record<Row["kind"], string> = { overlap: "red", gap: "red", outside: "volcano", invalid: "magenta" };

/** The result of 拓扑检查 under the map: all clear, or each fault with its area. */
export function TopologySummary({
  report,
  pending,
  error,
}: {
  report: TopologyReport | undefined;
  pending: boolean;
  error: unknown;
}) {
  const { t, i18n } = useTranslation();
  if (pending) {
    return (
      <Space style={{ marginTop: 8 }}>
        <Spin size="small" />
        <Typography.Text type="secondary">{t("topology.checking")}</Typography.Text>
      </Space>
    );
  }
  if (error) {
    return isNotOffered(error) ? (
      <Alert type="info" showIcon message={t("topology.notOffered")} style={{ marginTop: 8 }} data-testid="topology-summary" />
    ) : (
      <Alert type="warning" showIcon message={describeError(t, error)} style={{ marginTop: 8 }} data-testid="topology-summary" />
    );
  }
  if (!report) return null;
  if (report.ok) {
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginTop: 8 }}
        data-testid="topology-summary"
        message={t("topology.ok", { area: formatArea(report.communityAreaM2, i18n.language) })}
      />
    );
  }
  const invalidCount = report.invalid.length;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="topology-summary"
      message={t("topology.found", {
        overlaps: report.overlaps.length,
        gaps: report.gaps.length,
        outside: report.outside.length,
        invalid: invalidCount,
      })}
      description={
        <List<Row>
          size="small"
          split={false}
          dataSource={rowsOf(report)}
          renderItem={(row) => (
            <List.Item style={{ padding: "2px 0" }}>
              <Space size={6} align="start" wrap>
                <Tag color={kindColour[row.kind]} bordered={false}>
                  {t(`topology.kind.${row.kind}`)}
                </Tag>
                {row.areaM2 !== undefined && (
                  <Typography.Text strong>{t("topology.area", { area: formatArea(row.areaM2, i18n.language) })}</Typography.Text>
                )}
                <Typography.Text>{row.text}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}
