import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, Card, Col, Descriptions, List, Row, Space, Tag, Typography } from "antd";
import { ApartmentOutlined } from "@ant-design/icons";
import { roleLabel } from "../../features/auth/labels";
import { useMe } from "../../features/auth/session";
import { useHealth } from "../../features/platform/api";

/** What the console will hold; each lands with its own issue. Listed so nobody hunts for it. */
const comingModules = [
  "cases",
  "deliberation",
  "lists",
  "volunteers",
  "admission",
  "assessment",
  "commandCentre",
  "notices",
] as const;

export function OverviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const health = useHealth();

  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t("console.overview.welcome", { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("console.overview.intro")}</Typography.Paragraph>
        <Space wrap>
          {me.grants.map((g) => (
            <Tag key={`${g.role}:${g.areaId}`} color="red" bordered={false}>
              {roleLabel(t, g)} · {g.areaName}
            </Tag>
          ))}
        </Space>
        <div style={{ marginTop: 16 }}>
          <Button type="primary" icon={<ApartmentOutlined />} onClick={() => void navigate("/console/areas")}>
            {t("console.overview.openAreas")}
          </Button>
        </div>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t("console.overview.comingTitle")}>
            <List
              dataSource={[...comingModules]}
              renderItem={(key) => (
                <List.Item extra={<Tag>{t("common.comingSoon")}</Tag>}>
                  <List.Item.Meta
                    title={t(`console.overview.coming.${key}.title`)}
                    description={t(`console.overview.coming.${key}.description`)}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t("console.overview.systemTitle")} loading={health.isPending}>
            {health.data ? (
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t("console.overview.status")}>
                  <Tag color={health.data.status === "ok" ? "green" : "orange"}>
                    {health.data.status === "ok" ? t("console.overview.statusOk") : health.data.status}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t("console.overview.database")}>
                  {t(`console.overview.databases.${health.data.database}`, { defaultValue: health.data.database })}
                </Descriptions.Item>
                <Descriptions.Item label={t("console.overview.version")}>{health.data.version}</Descriptions.Item>
              </Descriptions>
            ) : (
              <Typography.Text type="secondary">{t("console.overview.statusUnknown")}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
