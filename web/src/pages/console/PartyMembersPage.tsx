import { useCallback, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Card, Checkbox, Select, Space, Table, Typography } from "antd";
import { describeError } from "../../features/errors";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { partyStatuses, usePartyMembers, type MemberFilters, type PartyMember, type PartyStatus } from "../../features/people/party/api";
import { PartyStatusTag } from "../../features/people/party/labels";
import { ExportLedgerButton } from "../../features/ledgers/ExportLedgerButton";
import { PageHead } from "./PageHead";

type YesNo = "yes" | "no";

/** 党员: the members of an area with their relation, status and report-in, filtered. */
export function PartyMembersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const areaId = params.get("areaId") ?? undefined;
  const choose = useCallback((id: string) => setParams({ areaId: id }, { replace: true }), [setParams]);
  const [status, setStatus] = useState<PartyStatus | undefined>();
  const [reportedIn, setReportedIn] = useState<YesNo | undefined>();
  const [relation, setRelation] = useState<MemberFilters["relation"]>();
  const [notInGrid, setNotInGrid] = useState(false);
  const [page, setPage] = useState(1);
  const filters: MemberFilters = {
    areaId,
    status,
    reportedIn: reportedIn === undefined ? undefined : reportedIn === "yes",
    relation,
    notInGrid: notInGrid || undefined,
    page,
    pageSize: 20,
  };
  const list = usePartyMembers(filters);
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPage(1);
  };

  return (
    <div data-testid="party-members-page">
      <PageHead title={t("party.members.title")} extra={
          <Space wrap>
            <ScopeAreaSelect value={areaId} onChange={choose} testId="party-area-select" />
            <ExportLedgerButton kind="party-members" areaId={areaId} size="middle" />
          </Space>
        } />
      <Card size="small">
        <Space wrap size={[12, 8]} style={{ marginBottom: 12 }}>
          <Select<PartyStatus>
            allowClear
            placeholder={t("party.filters.status")}
            style={{ width: 140 }}
            value={status}
            onChange={reset(setStatus)}
            options={partyStatuses.map((s) => ({ value: s, label: t(`party.status.${s}`) }))}
            data-testid="party-filter-status"
          />
          <Select<YesNo>
            allowClear
            placeholder={t("party.filters.reportedIn")}
            style={{ width: 160 }}
            value={reportedIn}
            onChange={reset(setReportedIn)}
            options={[
              { value: "yes", label: t("party.filters.reportedInYes") },
              { value: "no", label: t("party.filters.reportedInNo") },
            ]}
          />
          <Select<NonNullable<MemberFilters["relation"]>>
            allowClear
            placeholder={t("party.filters.relation")}
            style={{ width: 180 }}
            value={relation}
            onChange={reset(setRelation)}
            options={[
              { value: "inside", label: t("party.filters.relationInside") },
              { value: "outside", label: t("party.filters.relationOutside") },
              { value: "none", label: t("party.filters.relationNone") },
            ]}
          />
          <Checkbox checked={notInGrid} onChange={(e) => reset(setNotInGrid)(e.target.checked)}>
            {t("party.filters.notInGrid")}
          </Checkbox>
        </Space>
        {list.isError ? (
          <Alert type="error" showIcon message={describeError(t, list.error)} />
        ) : (
          <Table<PartyMember>
            rowKey="id"
            size="small"
            loading={list.isPending && Boolean(areaId)}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 900 }}
            pagination={{
              current: page,
              pageSize: 20,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
              showTotal: (n) => t("party.members.total", { count: n }),
            }}
            columns={[
              { title: t("person.fields.name"), key: "name", width: 90, render: (_: unknown, m) => <Link to={`/console/persons/${m.personId}`}>{m.name}</Link> },
              { title: t("area.level.grid"), key: "grid", render: (_: unknown, m) => m.gridName ?? <Typography.Text type="warning">{t("party.members.noGrid")}</Typography.Text> },
              { title: t("party.fields.status"), key: "status", width: 90, render: (_: unknown, m) => <PartyStatusTag status={m.status} /> },
              {
                title: t("party.fields.relation"),
                key: "relation",
                render: (_: unknown, m) =>
                  m.partyOrgId ? (
                    <Link to={`/console/organizations/${m.partyOrgId}`}>{m.partyOrgName}</Link>
                  ) : m.outsideOrgName ? (
                    <span>
                      {m.outsideOrgName}
                      <Typography.Text type="secondary">{t("party.members.outside")}</Typography.Text>
                    </span>
                  ) : (
                    <Typography.Text type="secondary">{t("common.none")}</Typography.Text>
                  ),
              },
              { title: t("party.fields.joinedOn"), dataIndex: "joinedOn", width: 110, render: (v: string | null) => v ?? "—" },
              { title: t("party.fields.workUnit"), dataIndex: "workUnit", render: (v: string | null) => v ?? "—" },
              {
                title: t("party.fields.reportIn"),
                key: "reportIn",
                render: (_: unknown, m) => (m.reportInCommunityName ? `${m.reportInCommunityName}${m.reportInConfirmedOn ? `（${m.reportInConfirmedOn}）` : ""}` : "—"),
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
