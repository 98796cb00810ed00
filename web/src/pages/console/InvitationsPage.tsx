import { useCallback, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Empty, InputNumber, Space, Table, Tag, Typography } from "antd";
import { PrinterOutlined, QrcodeOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import { chinaTime } from "../../features/platform/time";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import { useHouseholdsPage, type HouseholdItem } from "../../features/people/households/api";
import { useCreateInvitations, useInvitations, type Invitation, type NewInvitation } from "../../features/accounts/api";
import { PageHead } from "./PageHead";
import "./invitations.css";

/** The printable A4 sheet: one cut-out card per household, with its place and its one-time code. */
function InvitationSheet({ items }: { items: NewInvitation[] }) {
  const { t, i18n } = useTranslation();
  const origin = window.location.origin;
  return (
    <div className="gz-invite-sheet" data-testid="invitation-sheet">
      {items.map((i) => (
        <div className="gz-invite-card" key={i.id} data-testid="invitation-card">
          <div className="gz-invite-card-head">
            {i.communityName} · {t("accounts.invitations.cardTitle")}
          </div>
          <div className="gz-invite-card-place">{i.address}</div>
          <div className="gz-invite-card-code" data-testid="invitation-code">
            {i.code}
          </div>
          <div className="gz-invite-card-how">{t("accounts.invitations.cardHow", { url: `${origin}/signup/invite` })}</div>
          <div className="gz-invite-card-foot">{t("accounts.invitations.cardExpires", { time: chinaTime(i.expiresAt, i18n.language).slice(0, 10) })}</div>
        </div>
      ))}
    </div>
  );
}

const invitationColour: Record<Invitation["status"], string> = { unused: "blue", used: "green", expired: "default" };

/** 邀请码: pick households of a community, make one-time codes, print them on A4; the list of codes made. */
export function InvitationsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const areaId = params.get("areaId") ?? undefined;
  const choose = useCallback((id: string) => setParams({ areaId: id }, { replace: true }), [setParams]);
  const [page, setPage] = useState(1);
  const households = useHouseholdsPage(areaId, page, 50);
  const [selected, setSelected] = useState<string[]>([]);
  const [validDays, setValidDays] = useState(30);
  const create = useCreateInvitations();
  const [made, setMade] = useState<NewInvitation[]>([]);
  const [listPage, setListPage] = useState(1);
  const list = useInvitations(listPage);

  const generate = () =>
    create.mutate(
      { householdIds: selected, validDays },
      {
        onSuccess: (res) => {
          setMade(res.items);
          setSelected([]);
          void message.success(t("accounts.invitations.made", { count: res.items.length }));
        },
        onError: (e) => void message.error(describeError(t, e)),
      },
    );

  return (
    <div data-testid="invitations-page">
      <PageHead title={t("accounts.invitations.title")} extra={<ScopeAreaSelect value={areaId} onChange={choose} testId="invitation-area-select" />} />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {made.length > 0 && (
          <Card
            size="small"
            className="gz-invite-result"
            title={t("accounts.invitations.sheetTitle", { count: made.length })}
            extra={
              <Space>
                <Button icon={<PrinterOutlined />} type="primary" onClick={() => window.print()} data-testid="invitation-print">
                  {t("accounts.invitations.print")}
                </Button>
                <Button onClick={() => setMade([])}>{t("accounts.invitations.closeSheet")}</Button>
              </Space>
            }
          >
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t("accounts.invitations.onceOnly")} />
            <InvitationSheet items={made} />
          </Card>
        )}
        <Card
          size="small"
          title={t("accounts.invitations.pick")}
          extra={
            <Space>
              <span>{t("accounts.invitations.validDays")}</span>
              <InputNumber min={1} max={180} value={validDays} onChange={(v) => setValidDays(v ?? 30)} style={{ width: 80 }} />
              <Button type="primary" icon={<QrcodeOutlined />} disabled={selected.length === 0} loading={create.isPending} onClick={generate} data-testid="invitation-generate">
                {t("accounts.invitations.generate", { count: selected.length })}
              </Button>
            </Space>
          }
        >
          {households.isError ? (
            <Alert type="error" showIcon message={describeError(t, households.error)} />
          ) : (
            <Table<HouseholdItem>
              rowKey="id"
              size="small"
              loading={households.isPending && Boolean(areaId)}
              dataSource={households.data?.items ?? []}
              rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true }}
              pagination={{ current: page, pageSize: 50, total: households.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
              columns={[
                { title: t("accounts.fields.place"), key: "place", render: (_: unknown, h) => h.place ?? h.address },
                { title: t("household.headName"), dataIndex: "headName", width: 120 },
                { title: t("area.level.grid"), dataIndex: "gridName", width: 160 },
                { title: t("accounts.invitations.size"), dataIndex: "size", width: 80 },
              ]}
            />
          )}
        </Card>
        <Card size="small" title={t("accounts.invitations.madeList")}>
          {list.isError ? (
            <Alert type="error" showIcon message={describeError(t, list.error)} />
          ) : (
            <Table<Invitation>
              rowKey="id"
              size="small"
              loading={list.isPending}
              dataSource={list.data?.items ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("accounts.invitations.none")} /> }}
              pagination={{ current: listPage, pageSize: 50, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setListPage }}
              columns={[
                { title: t("accounts.fields.place"), dataIndex: "address" },
                { title: t("accounts.invitations.hint"), dataIndex: "hint", width: 90, render: (v: string) => <Typography.Text code>…{v}</Typography.Text> },
                { title: t("accounts.fields.status"), key: "status", width: 90, render: (_: unknown, i) => <Tag color={invitationColour[i.status]}>{t(`accounts.invitations.status.${i.status}`)}</Tag> },
                { title: t("accounts.invitations.createdAt"), dataIndex: "createdAt", width: 150, render: (v: string) => chinaTime(v, i18n.language) },
                { title: t("accounts.invitations.expiresAt"), dataIndex: "expiresAt", width: 150, render: (v: string) => chinaTime(v, i18n.language) },
              ]}
            />
          )}
        </Card>
      </Space>
    </div>
  );
}
