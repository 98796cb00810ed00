import { useMemo, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Table, Tabs, Tag, Typography } from "antd";
import { EditOutlined, MergeCellsOutlined, ScissorOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { describeError, errorCode } from "../../features/errors";
import { useArea, useAreaGeoJson } from "../../features/areas/api";
import { AreaMap } from "../../features/areas/AreaMap";
import { HouseholdTable } from "../../features/people/households/HouseholdTable";
import { gridPartyOrganizations, useOrganizations, type OrganizationItem } from "../../features/orgs/api";
import { PersonTable } from "../../features/people/PersonTable";
import { isNotOffered, useCoverage, useRedGridMembers, type CoverageFigures, type RedGridMemberItem } from "../../features/people/redGrid/api";
import { FormulaFigure } from "../../features/people/redGrid/FormulaFigure";
import { GridBuildings } from "../../features/places/GridBuildings";
import { ExportLedgerButton } from "../../features/ledgers/ExportLedgerButton";
import { PageHead } from "./PageHead";
import { GridHistoryCard } from "../../features/areas/GridHistoryCard";
import { GridStaffCard } from "../../features/areas/GridStaffCard";
import { MergeGridsDrawer } from "../../features/areas/MergeGridsDrawer";
import { SplitGridDrawer } from "../../features/areas/SplitGridDrawer";
import { GridFormDrawer } from "../../features/areas/GridFormDrawer";

/** Loads a red grid member looks after (the product's rule: 5–10 households each). */
const loadBand = { min: 5, max: 10 } as const;

function PartyBranchCard({ gridId }: { gridId: string }) {
  const { t } = useTranslation();
  const orgs = useOrganizations(gridId, true);
  const { branches, groups } = useMemo(() => gridPartyOrganizations(orgs.data ?? [], gridId), [orgs.data, gridId]);
  const renderOrg = (o: OrganizationItem) => (
    <List.Item>
      <Space size={[8, 4]} wrap>
        <Typography.Text strong={o.kind === "gridPartyBranch"}>{o.name}</Typography.Text>
        <Tag color="red" bordered={false}>
          {t(`org.kind.${o.kind}`, { defaultValue: o.kindLabel })}
        </Tag>
        <Typography.Text type="secondary">{t("org.members", { count: o.memberCount })}</Typography.Text>
      </Space>
    </List.Item>
  );
  return (
    <Card size="small" title={t("grid.partyBranch")} data-testid="grid-party-branch">
      {orgs.isError ? (
        <Alert type="warning" showIcon message={describeError(t, orgs.error)} />
      ) : orgs.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : branches.length === 0 ? (
        <Alert type="error" showIcon message={t("grid.noPartyBranch")} description={t("grid.noPartyBranchHint")} />
      ) : (
        <>
          <List size="small" split={false} dataSource={[...branches, ...groups]} renderItem={renderOrg} />
          <Typography.Text type="secondary">
            {t("grid.partyMembersTotal", { count: [...branches, ...groups].reduce((n, o) => n + o.memberCount, 0) })}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}

function MembersTable({ items }: { items: RedGridMemberItem[] }) {
  const { t } = useTranslation();
  return (
    <Table<RedGridMemberItem>
      size="small"
      rowKey="memberId"
      dataSource={items}
      pagination={false}
      scroll={{ x: 420 }}
      columns={[
        {
          title: t("redGrid.member"),
          dataIndex: "name",
          render: (name: string, m) => (m.personId ? <Link to={`/console/persons/${m.personId}`}>{name}</Link> : name),
        },
        { title: t("redGrid.partyOrg"), dataIndex: "partyOrgName", render: (v: string | null | undefined) => v ?? t("common.none") },
        {
          title: t("redGrid.load"),
          dataIndex: "households",
          width: 110,
          align: "right",
          render: (n: number) => (
            <Tag color={n < loadBand.min || n > loadBand.max ? "orange" : "green"} bordered={false}>
              {t("redGrid.households", { count: n })}
            </Tag>
          ),
        },
      ]}
    />
  );
}

/** 红色网格员: each member with their load when the server lists them; otherwise what coverage says. */
function RedGridMembersCard({ gridId, figures }: { gridId: string; figures: CoverageFigures | undefined }) {
  const { t } = useTranslation();
  const members = useRedGridMembers(gridId);
  const notOffered = members.isError && isNotOffered(members.error);
  return (
    <Card size="small" title={t("grid.redGridMembers")} data-testid="grid-red-grid-members">
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {figures &&
          (figures.households.withoutRedGridMember > 0 ? (
            <Alert
              type="warning"
              showIcon
              message={t("grid.householdsServed", {
                served: figures.households.numerator,
                total: figures.households.denominator,
                without: figures.households.withoutRedGridMember,
              })}
            />
          ) : figures.households.denominator > 0 ? (
            <Alert type="success" showIcon message={t("grid.allHouseholdsServed", { count: figures.households.denominator })} />
          ) : null)}
        {members.data ? (
          members.data.length > 0 ? (
            <MembersTable items={members.data} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("grid.noRedGridMembers")} />
          )
        ) : notOffered ? (
          <Typography.Text type="secondary">{t("grid.membersNotOffered")}</Typography.Text>
        ) : members.isError ? (
          <Alert type="warning" showIcon message={describeError(t, members.error)} />
        ) : (
          <Skeleton active paragraph={{ rows: 2 }} />
        )}
      </Space>
    </Card>
  );
}

/** 网格: its place, staff (网格力量), party branch, red grid coverage and members, households and persons. */
export function GridPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const area = useArea(id);
  const coverage = useCoverage(id);
  const community = area.data?.ancestors.findLast((a) => a.level === "community");
  const geojson = useAreaGeoJson(community?.id ?? id);
  const navigate = useNavigate();
  const [editing, setEditing] = useState<"edit" | "split" | "merge" | null>(null);
  const [listTab, setListTab] = useState<"households" | "persons">("households");

  if (area.isError) {
    return errorCode(area.error) === "not_found" ? (
      <Result status="404" title={t("grid.notFoundTitle")} subTitle={t("area.notFound")} />
    ) : (
      <Alert type="error" showIcon message={describeError(t, area.error)} />
    );
  }
  if (!area.data || !id) return <Skeleton active />;
  const g = area.data.area;
  const figures = coverage.data?.street;
  // A grid retired by a split, merge or import (validTo exclusive) stays readable, for history.
  const retired = Boolean(g.validTo && g.validTo <= dayjs().format("YYYY-MM-DD"));
  const canEdit = Boolean(g.abilities?.drawGrids) && !retired;

  return (
    <div data-testid="grid-page">
      <PageHead
        back
        title={g.name}
        crumbs={[
          { key: "areas", label: t("console.menu.areas"), to: `/console/areas/${g.id}` },
          ...(community ? [{ key: community.id, label: community.name, to: `/console/areas/${community.id}` }] : []),
          { key: g.id, label: t(`area.level.${g.level}`) },
        ]}
        extra={
          canEdit ? (
            <Space wrap>
              {community && (
                <Button icon={<EditOutlined />} onClick={() => setEditing("edit")} data-testid="grid-edit">
                  {t("gridEdit.form.editAction")}
                </Button>
              )}
              <Button icon={<ScissorOutlined />} onClick={() => setEditing("split")} data-testid="grid-split">
                {t("gridEdit.split.action")}
              </Button>
              <Button icon={<MergeCellsOutlined />} onClick={() => setEditing("merge")} data-testid="grid-merge">
                {t("gridEdit.merge.action")}
              </Button>
            </Space>
          ) : undefined
        }
      />
      {canEdit && (
        <>
          {community && editing === "edit" && (
            <GridFormDrawer
              open
              grid={g}
              community={community}
              onClose={() => setEditing(null)}
              onDone={() => setEditing(null)}
            />
          )}
          <SplitGridDrawer
            open={editing === "split"}
            grid={g}
            communityId={community?.id}
            onClose={() => setEditing(null)}
            onDone={() => {
              setEditing(null);
              if (community) void navigate(`/console/areas/${community.id}`);
            }}
          />
          <MergeGridsDrawer
            open={editing === "merge"}
            grid={g}
            communityId={community?.id}
            onClose={() => setEditing(null)}
            onDone={(r) => {
              setEditing(null);
              if (r.grids[0]?.id) void navigate(`/console/grids/${r.grids[0].id}`);
            }}
          />
        </>
      )}
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {retired && (
          <Alert
            type="warning"
            showIcon
            data-testid="grid-retired"
            message={t("gridEdit.retired", { date: g.validTo })}
            description={
              g.successors && g.successors.length > 0 ? (
                <Space wrap size={[8, 4]}>
                  {t("gridEdit.successorsNow")}
                  {g.successors.map((l) => (
                    <Link key={l.area.id} to={`/console/grids/${l.area.id}`}>
                      {l.area.name}
                    </Link>
                  ))}
                </Space>
              ) : undefined
            }
          />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card size="small" title={t("grid.overview")}>
              <Descriptions column={1} size="small">
                {community && (
                  <Descriptions.Item label={t("grid.community")}>
                    <Link to={`/console/areas/${community.id}`}>{community.name}</Link>
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t("area.fields.gridCode")}>{g.code ?? t("common.none")}</Descriptions.Item>
                <Descriptions.Item label={t("area.fields.gridType")}>
                  {g.gridType ? t(`area.gridType.${g.gridType}`) : t("common.none")}
                </Descriptions.Item>
                <Descriptions.Item label={t("area.fields.householdCount")}>
                  {t("area.households", { count: g.householdCount, formatted: g.householdCount.toLocaleString(i18n.language) })}
                </Descriptions.Item>
              </Descriptions>
              <AreaMap
                data={geojson.data}
                loading={geojson.isPending}
                selectedId={g.id}
                focus={community ? undefined : g.bbox}
                height={260}
                compact
              />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Space direction="vertical" size={16} style={{ width: "100%" }}>
              <Card size="small" title={t("grid.coverage")} data-testid="grid-coverage">
                {coverage.isError ? (
                  <Alert type="warning" showIcon message={describeError(t, coverage.error)} />
                ) : figures ? (
                  <Row gutter={[16, 16]}>
                    <Col xs={24} md={8}>
                      <FormulaFigure label={t("coverage.grids")} ratio={figures.grids} />
                    </Col>
                    <Col xs={24} md={8}>
                      <FormulaFigure label={t("coverage.members")} ratio={figures.members} />
                    </Col>
                    <Col xs={24} md={8}>
                      <FormulaFigure label={t("coverage.households")} ratio={figures.households} />
                    </Col>
                  </Row>
                ) : (
                  <Skeleton active paragraph={{ rows: 2 }} />
                )}
              </Card>
              <GridStaffCard gridId={g.id} gridName={g.name} retired={retired} />
              <PartyBranchCard gridId={g.id} />
              <GridHistoryCard gridId={g.id} />
              <RedGridMembersCard gridId={g.id} figures={figures} />
            </Space>
          </Col>
        </Row>
        <GridBuildings gridId={g.id} />
        <Card size="small">
          <Tabs
            activeKey={listTab}
            onChange={(k) => setListTab(k === "persons" ? "persons" : "households")}
            tabBarExtraContent={<ExportLedgerButton kind={listTab} areaId={g.id} />}
            items={[
              {
                key: "households",
                label: t("household.titleWithCount", { count: g.householdCount }),
                children: (
                  <>
                    <Typography.Paragraph type="secondary">{t("household.masked")}</Typography.Paragraph>
                    <HouseholdTable areaId={g.id} linked hideGrid />
                  </>
                ),
              },
              { key: "persons", label: t("person.title"), children: <PersonTable areaId={g.id} /> },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
