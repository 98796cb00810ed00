import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button, Card, Descriptions, Empty, Space, Tag, Typography } from "antd";
import type { AreaResponse } from "./types";

interface AreaDetailsCardProps {
  data: AreaResponse;
  onSelect: (id: string) => void;
  /** Actions in the card's header (e.g. 网格详情). */
  extra?: ReactNode;
}

/** Level, code, grid type, households and children of the selected area. */
export function AreaDetailsCard({ data, onSelect, extra }: AreaDetailsCardProps) {
  const { t, i18n } = useTranslation();
  const { area, children } = data;
  const isGrid = area.level === "grid" || area.level === "microGrid";
  const childLevel = children[0]?.level;

  return (
    <Card
      data-testid="area-details"
      extra={extra}
      title={
        <Space>
          <span>{area.name}</span>
          <Tag bordered={false} color="blue">
            {t(`area.level.${area.level}`)}
          </Tag>
        </Space>
      }
    >
      <Descriptions column={{ xs: 1, sm: 2, xl: 2 }} size="small">
        <Descriptions.Item label={t("area.fields.level")}>{t(`area.level.${area.level}`)}</Descriptions.Item>
        <Descriptions.Item label={isGrid ? t("area.fields.gridCode") : t("area.fields.code")}>
          {area.code ? <Typography.Text copyable>{area.code}</Typography.Text> : t("common.none")}
        </Descriptions.Item>
        {isGrid && (
          <Descriptions.Item label={t("area.fields.gridType")}>
            {area.gridType ? t(`area.gridType.${area.gridType}`) : t("common.none")}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t("area.fields.householdCount")}>
          {t("area.households", { count: area.householdCount, formatted: area.householdCount.toLocaleString(i18n.language) })}
        </Descriptions.Item>
        <Descriptions.Item label={t("area.fields.children")}>
          {childLevel
            ? t("area.childrenCount", { count: children.length, level: t(`area.level.${childLevel}`) })
            : t("area.noChildren")}
        </Descriptions.Item>
      </Descriptions>
      {children.length > 0 ? (
        <Space wrap size={[8, 8]} style={{ marginTop: 12 }}>
          {children.map((c) => (
            <Button key={c.id} size="small" onClick={() => onSelect(c.id)}>
              {c.name}
            </Button>
          ))}
        </Space>
      ) : (
        isGrid || <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("area.noChildren")} />
      )}
    </Card>
  );
}
