import { useCallback } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Empty, Space, Table, Tag, Typography } from "antd";
import { describeError } from "../../features/errors";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { useCrossAppointments, type CrossAppointment } from "../../features/orgs/api";
import { PageHead } from "./PageHead";

/** 交叉任职: persons holding posts in two or more bodies (书记 of the party committee and 主任 of the residents' committee …). */
export function CrossAppointmentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const areaId = params.get("areaId") ?? undefined;
  const choose = useCallback((id: string) => setParams({ areaId: id }, { replace: true }), [setParams]);
  const list = useCrossAppointments(areaId);

  return (
    <div data-testid="cross-page">
      <PageHead
        title={t("cross.title")}
        crumbs={[{ key: "orgs", label: t("org.title"), to: "/console/organizations" }, { key: "cross", label: t("cross.title") }]}
        extra={<ScopeAreaSelect value={areaId} onChange={choose} testId="cross-area-select" />}
      />
      <Card size="small">
        <Typography.Paragraph type="secondary">{t("cross.hint")}</Typography.Paragraph>
        {list.isError ? (
          <Alert type="error" showIcon message={describeError(t, list.error)} />
        ) : (
          <Table<CrossAppointment>
            rowKey={(r) => r.posts[0]?.id ?? r.personName}
            size="small"
            loading={list.isPending && Boolean(areaId)}
            dataSource={list.data ?? []}
            pagination={false}
            scroll={{ x: 560 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("cross.empty")} /> }}
            columns={[
              {
                title: t("orgs.posts.person"),
                key: "person",
                width: 140,
                render: (_: unknown, r) => (
                  <Space direction="vertical" size={0}>
                    {r.personInRegistry && r.personId ? <Link to={`/console/persons/${r.personId}`}>{r.personName}</Link> : <span>{r.personName}</span>}
                    {!r.personInRegistry && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t("cross.notResident")}</Typography.Text>}
                  </Space>
                ),
              },
              { title: t("cross.count"), key: "count", width: 90, align: "right" as const, render: (_: unknown, r) => r.posts.length },
              {
                title: t("cross.posts"),
                key: "posts",
                render: (_: unknown, r) => (
                  <Space size={[6, 6]} wrap>
                    {r.posts.map((p) => (
                      <Tag key={p.id} color={p.orgKind.includes("Party") ? "red" : "blue"} bordered={false}>
                        <Link to={`/console/organizations/${p.orgId}`}>{p.orgName}</Link> · {p.title}
                        {p.partTime ? `（${t("orgs.posts.partTimeTag")}）` : ""}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
