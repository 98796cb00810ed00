import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { describeError, errorCode } from "../../features/errors";
import { useArea } from "../../features/areas/api";
import { useHousehold, usePinRedGridMember, useUnpinRedGridMember, useUpdateHouseholdNote, type HouseholdItem } from "../../features/people/households/api";
import { HouseholdEditDialog } from "../../features/people/households/HouseholdEditDialog";
import { MoveHistoryCard } from "../../features/people/households/MoveHistoryCard";
import { MoveHouseholdDialog } from "../../features/people/households/MoveHouseholdDialog";
import { AddPersonDialog } from "../../features/people/AddPersonDialog";
import { useHouseholdPersons, type PersonItem } from "../../features/people/api";
import { PersonTags } from "../../features/people/PersonTags";
import { isNotOffered, useCoverage, useRedGridMembers } from "../../features/people/redGrid/api";
import { PageHead } from "./PageHead";
import { PlusOutlined } from "@ant-design/icons";

const noteMax = 2000;
/** The select's value for 「不指定」 (a deliberate "no one"), distinct from "nothing chosen yet". */
const nobody = "__nobody__";

function NoteCard({ household }: { household: HouseholdItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateHouseholdNote(household.id);
  const [draft, setDraft] = useState(household.note ?? "");
  useEffect(() => setDraft(household.note ?? ""), [household.note]);
  const canEdit = Boolean(household.abilities?.update);
  const changed = draft.trim() !== (household.note ?? "").trim();

  const save = () =>
    update.mutate(draft.trim() === "" ? null : draft.trim(), {
      onSuccess: () => void message.success(t("household.noteSaved")),
    });

  return (
    <Card size="small" title={t("household.note")} data-testid="household-note" style={{ height: "100%" }}>
      {canEdit ? (
        <Space direction="vertical" style={{ width: "100%" }}>
          <Input.TextArea
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={noteMax}
            showCount
            placeholder={t("household.notePlaceholder")}
            data-testid="household-note-input"
          />
          <Typography.Text type="secondary">{t("household.noteHint")}</Typography.Text>
          {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} />}
          <Space>
            <Button type="primary" disabled={!changed} loading={update.isPending} onClick={save} data-testid="household-note-save">
              {t("common.save")}
            </Button>
            <Button disabled={!changed || update.isPending} onClick={() => setDraft(household.note ?? "")}>
              {t("common.reset")}
            </Button>
          </Space>
        </Space>
      ) : (
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{household.note || t("household.noNote")}</Typography.Paragraph>
      )}
    </Card>
  );
}

/** 红色网格员: whether someone looks after the household, and the pin (a member, or 「不指定」). */
function RedGridCard({ household }: { household: HouseholdItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const coverage = useCoverage(household.gridId);
  const members = useRedGridMembers(household.gridId);
  const pin = usePinRedGridMember(household.id);
  const unpin = useUnpinRedGridMember(household.id);
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const canPin = Boolean(household.abilities?.update);
  const without = coverage.data?.street.households.withoutRedGridMemberIds;
  const served = without ? !without.includes(household.id) : undefined;
  const membersNotOffered = members.isError && isNotOffered(members.error);

  const options = [
    { value: nobody, label: t("redGrid.nobody") },
    ...(members.data ?? []).map((m) => ({ value: m.memberId, label: `${m.name} · ${t("redGrid.households", { count: m.households })}` })),
  ];

  const save = () => {
    if (!choice) return;
    pin.mutate(choice === nobody ? null : choice, {
      onSuccess: () => {
        void message.success(t("redGrid.pinSaved"));
        setChoice(undefined);
      },
    });
  };

  return (
    <Card size="small" title={t("grid.redGridMembers")} data-testid="household-red-grid" style={{ height: "100%" }}>
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        {household.redGridMember !== undefined ? (
          household.redGridMember ? (
            <Space size={8} wrap data-testid="household-red-grid-member">
              <Typography.Text strong>{household.redGridMember.name}</Typography.Text>
              <Tag color="green" bordered={false}>
                {t("redGrid.served")}
              </Tag>
              {household.redGridMember.pinned && (
                <Tag color="gold" bordered={false}>
                  {t("householdMove.pinned")}
                </Tag>
              )}
              {household.redGridMember.pinned && canPin && (
                <Popconfirm
                  title={t("redGrid.unpinConfirm")}
                  onConfirm={() => unpin.mutate(undefined, { onSuccess: () => void message.success(t("redGrid.unpinned")) })}
                  okText={t("redGrid.unpin")}
                  cancelText={t("common.cancel")}
                >
                  <Button size="small" type="link" loading={unpin.isPending} data-testid="household-unpin">
                    {t("redGrid.unpin")}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ) : (
            <Tag color="orange" bordered={false} data-testid="household-served">
              {t("redGrid.notServed")}
            </Tag>
          )
        ) : coverage.isError ? (
          <Alert type="warning" showIcon message={describeError(t, coverage.error)} />
        ) : served === undefined ? (
          <Skeleton.Input active size="small" />
        ) : served ? (
          <Tag color="green" bordered={false} data-testid="household-served">
            {t("redGrid.served")}
          </Tag>
        ) : (
          <Tag color="orange" bordered={false} data-testid="household-served">
            {t("redGrid.notServed")}
          </Tag>
        )}
        {canPin && (
          <>
            <Typography.Text type="secondary">{t("redGrid.pinHint")}</Typography.Text>
            <Space.Compact style={{ width: "100%", maxWidth: 420 }}>
              <Select<string>
                style={{ flex: 1 }}
                placeholder={t("redGrid.pinPlaceholder")}
                value={choice}
                onChange={setChoice}
                options={options}
                loading={members.isPending}
                data-testid="household-pin-select"
              />
              <Popconfirm
                title={t("redGrid.nobodyConfirm")}
                disabled={choice !== nobody}
                onConfirm={save}
                okText={t("redGrid.pin")}
                cancelText={t("common.cancel")}
              >
                <Button
                  type="primary"
                  disabled={!choice}
                  loading={pin.isPending}
                  onClick={choice === nobody ? undefined : save}
                  data-testid="household-pin-save"
                >
                  {t("redGrid.pin")}
                </Button>
              </Popconfirm>
            </Space.Compact>
            {membersNotOffered && <Typography.Text type="secondary">{t("redGrid.membersNotOffered")}</Typography.Text>}
            {pin.isError && <Alert type="error" showIcon message={describeError(t, pin.error)} />}
            {unpin.isError && <Alert type="error" showIcon message={describeError(t, unpin.error)} />}
          </>
        )}
      </Space>
    </Card>
  );
}

function MembersCard({ household }: { household: HouseholdItem }) {
  const { t } = useTranslation();
  const persons = useHouseholdPersons(household.gridId, household.id);
  const [adding, setAdding] = useState(false);
  return (
    <Card
      size="small"
      title={t("household.members")}
      data-testid="household-members"
      extra={
        household.abilities?.update && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="household-add-person">
            {t("personEdit.addTitle")}
          </Button>
        )
      }
    >
      {adding && <AddPersonDialog householdId={household.id} open onClose={() => setAdding(false)} />}
      {persons.isError ? (
        <Alert type="warning" showIcon message={describeError(t, persons.error)} />
      ) : (
        <>
          <Table<PersonItem>
            size="small"
            rowKey="id"
            loading={persons.isPending}
            dataSource={persons.data?.items ?? []}
            pagination={false}
            scroll={{ x: 560 }}
            columns={[
              {
                title: t("person.fields.name"),
                dataIndex: "name",
                width: 100,
                render: (name: string, p) => <Link to={`/console/persons/${p.id}`}>{name}</Link>,
              },
              { title: t("person.fields.relation"), dataIndex: "relation", width: 90 },
              { title: t("person.fields.gender"), dataIndex: "gender", width: 60, render: (g: string) => t(`person.gender.${g}`) },
              { title: t("person.fields.birthYear"), dataIndex: "birthYear", width: 90, render: (y: number) => t("person.yearOfBirth", { year: y }) },
              { title: t("person.fields.tags"), dataIndex: "tags", render: (tags: string[]) => <PersonTags tags={tags} /> },
            ]}
          />
          {persons.data && !persons.data.complete && (
            <Typography.Text type="secondary">{t("household.membersIncomplete")}</Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}

/** 住户: address, members, the worker's note and the red grid member. Clear values are audited. */
export function HouseholdPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const household = useHousehold(id);
  const grid = useArea(household.data?.gridId);
  const community = grid.data?.ancestors.findLast((a) => a.level === "community");
  const [dialog, setDialog] = useState<"edit" | "move" | null>(null);

  if (household.isError) {
    return errorCode(household.error) === "not_found" ? (
      <Result status="404" title={t("household.notFoundTitle")} subTitle={t("errors.not_found")} />
    ) : (
      <Alert type="error" showIcon message={describeError(t, household.error)} />
    );
  }
  if (!household.data) return <Skeleton active />;
  const h = household.data;

  return (
    <div data-testid="household-page">
      <PageHead
        back
        title={t("household.detailTitle")}
        crumbs={[
          ...(community ? [{ key: community.id, label: community.name, to: `/console/areas/${community.id}` }] : []),
          { key: h.gridId, label: h.gridName, to: `/console/grids/${h.gridId}` },
          ...(h.buildingId ? [{ key: "building", label: t("places.building"), to: `/console/buildings/${h.buildingId}` }] : []),
          { key: h.id, label: h.headName },
        ]}
        extra={
          h.abilities?.update && (
            <Space wrap>
              <Button onClick={() => setDialog("edit")} data-testid="household-edit">
                {t("householdEdit.title")}
              </Button>
              <Button type="primary" onClick={() => setDialog("move")} data-testid="household-move">
                {t("householdMove.title")}
              </Button>
            </Space>
          )
        }
      />
      {dialog === "edit" && <HouseholdEditDialog household={h} open onClose={() => setDialog(null)} />}
      {dialog === "move" && <MoveHouseholdDialog household={h} communityId={community?.id} open onClose={() => setDialog(null)} />}
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {h.masked === false && <Alert type="info" showIcon message={t("household.clearNotice")} />}
        <Card size="small" title={t("household.detailTitle")}>
          <Descriptions
            column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
            size="small"
            bordered
            styles={{ label: { whiteSpace: "nowrap" } }}
          >
            <Descriptions.Item label={t("household.address")} span="filled">
              <span data-testid="household-address">{h.address}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("household.headName")}>{h.headName}</Descriptions.Item>
            <Descriptions.Item label={t("household.size")}>{t("household.persons", { count: h.size })}</Descriptions.Item>
            <Descriptions.Item label={t("household.grid")}>
              <Link to={`/console/grids/${h.gridId}`}>{h.gridName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("places.building")}>
              {h.buildingId ? (
                <Link to={`/console/buildings/${h.buildingId}`} data-testid="household-building">
                  {t("places.openBuilding")}
                </Link>
              ) : (
                t("common.none")
              )}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <MembersCard household={h} />
        <MoveHistoryCard householdId={h.id} />
        <Row gutter={[16, 16]}>
          {/* The staff's note comes only to roles that may see the household's clear personal data. */}
          {h.note !== undefined && (
            <Col xs={24} lg={12}>
              <NoteCard household={h} />
            </Col>
          )}
          <Col xs={24} lg={h.note !== undefined ? 12 : 24}>
            <RedGridCard household={h} />
          </Col>
        </Row>
      </Space>
    </div>
  );
}
