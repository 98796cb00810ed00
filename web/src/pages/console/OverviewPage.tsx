import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from "antd";
import { roleLabel } from "../../features/auth/labels";
import { useMe } from "../../features/auth/session";
import { describeError } from "../../features/errors";
import { useHealth, useTodos, type TodoItem } from "../../features/platform/api";

const severityColor: Record<TodoItem["severity"], string> = { info: "#1677ff", warning: "#d46b08", danger: "#cf1322" };

/** The to-dos in groups by their module's part (cases, summons, people …), in the server's order. */
function groupTodos(items: readonly TodoItem[]): [string, TodoItem[]][] {
  const groups = new Map<string, TodoItem[]>();
  for (const item of items) {
    const group = item.key.split(".")[0]!;
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return [...groups];
}

function TodoCard({ item }: { item: TodoItem }) {
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const label = i18n.language.startsWith("en") ? item.label.en : item.label.zh;
  const waiting = item.count > 0;
  return (
    <Card
      size="small"
      hoverable
      onClick={() => void navigate(item.link)}
      data-testid={`todo-${item.key}`}
      styles={{ body: { padding: "12px 16px" } }}
      style={waiting && item.severity !== "info" ? { borderColor: severityColor[item.severity] } : undefined}
    >
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div
        style={{ fontSize: 32, fontWeight: 600, lineHeight: "44px", color: waiting ? severityColor[item.severity] : "rgba(0,0,0,0.25)" }}
        data-testid="todo-count"
      >
        {item.count}
      </div>
    </Card>
  );
}

/**
 * 工作台: the console home — the user's to-dos (cases waiting for their step, summons, overdue work,
 * registrations to confirm …) with counts, each opening the list that shows exactly those; the
 * user's roles and areas; the system's state.
 */
export function OverviewPage() {
  const { t } = useTranslation();
  const me = useMe();
  const health = useHealth();
  const todos = useTodos();
  const groups = groupTodos(todos.data?.items ?? []);
  const total = (todos.data?.items ?? []).reduce((n, i) => n + i.count, 0);

  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }} data-testid="console-home">
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t("console.overview.welcome", { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {todos.data && total > 0 ? t("console.overview.introWaiting", { count: total }) : t("console.overview.intro")}
        </Typography.Paragraph>
        <Space wrap>
          {me.grants.map((g) => (
            <Tag key={`${g.role}:${g.areaId}`} color="red" bordered={false}>
              {roleLabel(t, g)}
              {g.areaName ? ` · ${g.areaName}` : ""}
            </Tag>
          ))}
        </Space>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={18}>
          <Card title={t("console.overview.todosTitle")} loading={todos.isPending} data-testid="todos">
            {todos.isError ? (
              <Alert type="error" showIcon message={describeError(t, todos.error)} />
            ) : groups.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("console.overview.noTodos")} />
            ) : (
              <Space direction="vertical" size={16} style={{ width: "100%" }}>
                {groups.map(([group, items]) => (
                  <div key={group}>
                    <Typography.Title level={5} style={{ marginTop: 0 }}>
                      {t(`console.overview.groups.${group}`, { defaultValue: group })}
                    </Typography.Title>
                    <Row gutter={[12, 12]}>
                      {items.map((item) => (
                        <Col key={item.key} xs={12} md={8} lg={6}>
                          <TodoCard item={item} />
                        </Col>
                      ))}
                    </Row>
                  </div>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={6}>
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
