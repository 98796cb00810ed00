import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { useState } from "react";
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space, Tag, Typography } from "antd";
import { describeError, errorCode } from "../../features/errors";
import { ageOf, usePerson } from "../../features/people/api";
import { PersonTags } from "../../features/people/PersonTags";
import { MaskedNumber } from "../../features/people/RevealDialog";
import { PartyMemberCard } from "../../features/people/party/PartyMemberCard";
import { PageHead } from "./PageHead";
import { useArea } from "../../features/areas/api";
import { TagEditorCard } from "../../features/people/TagEditorCard";
import { LeaveHouseholdDialog, MovePersonDialog } from "../../features/people/PersonMoveDialogs";

/** 人员: who the person is, their tags and skills; ID number and phone masked, revealable with a purpose. */
export function PersonPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const person = usePerson(id);
  const grid = useArea(person.data?.gridId ?? undefined);
  const communityId = grid.data?.ancestors.findLast((x) => x.level === "community")?.id;
  const [dialog, setDialog] = useState<"move" | "leave" | null>(null);

  if (person.isError) {
    return errorCode(person.error) === "not_found" ? (
      <Result status="404" title={t("person.notFoundTitle")} subTitle={t("errors.not_found")} />
    ) : (
      <Alert type="error" showIcon message={describeError(t, person.error)} />
    );
  }
  if (!person.data || !id) return <Skeleton active />;
  const p = person.data;
  const canReveal = Boolean(p.abilities?.reveal);

  return (
    <div data-testid="person-page">
      <PageHead
        back
        title={
          <Space size={8}>
            <span data-testid="person-name">{p.name}</span>
            <Tag bordered={false}>{t(`person.gender.${p.gender}`)}</Tag>
          </Space>
        }
        crumbs={[
          ...(p.gridId && p.gridName ? [{ key: "grid", label: p.gridName, to: `/console/grids/${p.gridId}` }] : []),
          ...(p.householdId ? [{ key: "household", label: t("household.detailTitle"), to: `/console/households/${p.householdId}` }] : []),
          { key: "person", label: t("person.detailTitle") },
        ]}
        extra={
          p.abilities?.update && (
            <Space wrap>
              <Button onClick={() => setDialog("move")} data-testid="person-move">
                {t("personEdit.moveTitle")}
              </Button>
              {p.householdId && (
                <Button danger onClick={() => setDialog("leave")} data-testid="person-leave">
                  {t("personEdit.leaveTitle")}
                </Button>
              )}
            </Space>
          )
        }
      />
      {dialog === "move" && <MovePersonDialog person={p} communityId={communityId} open onClose={() => setDialog(null)} />}
      {dialog === "leave" && <LeaveHouseholdDialog person={p} open onClose={() => setDialog(null)} />}
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {!p.masked && <Alert type="info" showIcon message={t("person.clearNotice")} />}
        <Card size="small" title={t("person.detailTitle")}>
          <Descriptions
            column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
            size="small"
            bordered
            styles={{ label: { whiteSpace: "nowrap" } }}
          >
            <Descriptions.Item label={t("person.fields.name")}>{p.name}</Descriptions.Item>
            <Descriptions.Item label={t("person.fields.gender")}>{t(`person.gender.${p.gender}`)}</Descriptions.Item>
            <Descriptions.Item label={t("person.fields.birthYear")}>
              {t("person.birthAndAge", { year: p.birthYear, age: ageOf(p.birthYear) })}
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.relation")}>{p.relation || t("common.none")}</Descriptions.Item>
            <Descriptions.Item label={t("household.grid")}>
              {p.gridId && p.gridName ? <Link to={`/console/grids/${p.gridId}`}>{p.gridName}</Link> : t("common.none")}
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.household")}>
              {p.householdId ? (
                <Link to={`/console/households/${p.householdId}`}>{t("person.openHousehold")}</Link>
              ) : !p.gridId ? (
                <Typography.Text type="secondary">{t("cross.notResident")}</Typography.Text>
              ) : (
                <Typography.Text type="secondary" data-testid="person-no-household">
                  {t("personEdit.noHousehold")}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.idNumber")}>
              <MaskedNumber personId={p.id} field="idNumber" masked={p.idNumber} canReveal={canReveal} />
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.phone")}>
              <MaskedNumber personId={p.id} field="phone" masked={p.phone} canReveal={canReveal} />
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.tags")} span="filled">
              <PersonTags tags={p.tags} />
            </Descriptions.Item>
            <Descriptions.Item label={t("person.fields.skills")} span="filled">
              {p.skills.length > 0 ? (
                <Space size={[0, 4]} wrap>
                  {p.skills.map((s) => (
                    <Tag key={s}>{s}</Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("common.none")}</Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
          {!canReveal && (p.idNumber || p.phone) && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t("person.reveal.notAllowed")}
            </Typography.Paragraph>
          )}
        </Card>
        {p.abilities?.update && <TagEditorCard person={p} />}
        <PartyMemberCard personId={p.id} gridId={p.gridId} />
      </Space>
    </div>
  );
}
