import { useTranslation } from "react-i18next";
import { Space, Tag } from "antd";
import { isPersonTag, type PersonTag } from "./api";

/** One colour per tag, so a glance over a list finds the elderly living alone or the disabled. */
export const tagColours: Record<PersonTag, string> = {
  elderlyAlone: "volcano",
  disabled: "purple",
  lowIncome: "orange",
  veteran: "green",
  buildingHead: "blue",
  talent: "cyan",
  volunteer: "red",
};

export function PersonTag({ tag }: { tag: string }) {
  const { t } = useTranslation();
  if (!isPersonTag(tag)) return <Tag bordered={false}>{tag}</Tag>;
  return (
    <Tag bordered={false} color={tagColours[tag]}>
      {t(`person.tags.${tag}`)}
    </Tag>
  );
}

export function PersonTags({ tags }: { tags: readonly string[] }) {
  const { t } = useTranslation();
  if (tags.length === 0) return <span className="gz-muted">{t("common.none")}</span>;
  return (
    <Space size={[0, 4]} wrap>
      {tags.map((tag) => (
        <PersonTag key={tag} tag={tag} />
      ))}
    </Space>
  );
}
