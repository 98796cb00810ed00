import { useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Space, Table, Tag, Typography } from "antd";
import { describeError } from "../errors";
import { personTags, usePersonsPage, type PersonItem } from "./api";
import { PersonTags } from "./PersonTags";

/** Single choice of tag (the API filters by one tag at a time); none means everyone. */
function TagFilter({ value, onChange }: { value: string | undefined; onChange: (tag: string | undefined) => void }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 6]} wrap data-testid="person-tag-filter">
      <Typography.Text type="secondary">{t("person.filterByTag")}</Typography.Text>
      <Tag.CheckableTag checked={value === undefined} onChange={() => onChange(undefined)}>
        {t("person.allTags")}
      </Tag.CheckableTag>
      {personTags.map((tag) => (
        <Tag.CheckableTag key={tag} checked={value === tag} onChange={(on) => onChange(on ? tag : undefined)}>
          {t(`person.tags.${tag}`)}
        </Tag.CheckableTag>
      ))}
    </Space>
  );
}

/** Persons under an area, a page at a time, with a tag filter; names and numbers arrive masked. */
export function PersonTable({ areaId }: { areaId: string }) {
  const { t } = useTranslation();
  const [tag, setTag] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const query = usePersonsPage(areaId, tag, page, pageSize);

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <TagFilter
        value={tag}
        onChange={(next) => {
          setTag(next);
          setPage(1);
        }}
      />
      {query.isError ? (
        <Alert type="warning" showIcon message={describeError(t, query.error)} />
      ) : (
        <Table<PersonItem>
          size="small"
          rowKey="id"
          data-testid="person-table"
          loading={query.isFetching}
          dataSource={query.data?.items ?? []}
          scroll={{ x: 860 }}
          columns={[
            {
              title: t("person.fields.name"),
              dataIndex: "name",
              width: 100,
              fixed: "left",
              render: (name: string, p) => <Link to={`/console/persons/${p.id}`}>{name}</Link>,
            },
            { title: t("person.fields.gender"), dataIndex: "gender", width: 60, render: (g: string) => t(`person.gender.${g}`) },
            {
              title: t("person.fields.birthYear"),
              dataIndex: "birthYear",
              width: 90,
              render: (y: number) => t("person.yearOfBirth", { year: y }),
            },
            { title: t("person.fields.relation"), dataIndex: "relation", width: 90 },
            { title: t("person.fields.tags"), dataIndex: "tags", render: (tags: string[]) => <PersonTags tags={tags} /> },
            { title: t("person.fields.idNumber"), dataIndex: "idNumber", width: 170, className: "gz-masked-number" },
            { title: t("person.fields.phone"), dataIndex: "phone", width: 120, className: "gz-masked-number" },
          ]}
          pagination={{
            current: page,
            pageSize,
            total: query.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t("person.total", { count: total }),
            onChange: (p, s) => {
              setPage(s === pageSize ? p : 1);
              setPageSize(s);
            },
          }}
        />
      )}
    </Space>
  );
}
