import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Checkbox, Select, Space, Typography } from "antd";
import { describeError } from "../errors";
import { isPersonTag, personTags, useUpdatePersonTags, type PersonItem, type PersonTag } from "./api";
import { PersonTags } from "./PersonTags";

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** 标签与技能: tags from the fixed list; skills only for a 能人 (talent). Read-only without the right. */
export function TagEditorCard({ person }: { person: PersonItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdatePersonTags(person.id);
  const [tags, setTags] = useState<PersonTag[]>(person.tags.filter(isPersonTag));
  const [skills, setSkills] = useState<string[]>(person.skills);
  // Reset the draft only when the saved values change, not on every refetch of the same person.
  const saved = JSON.stringify([person.tags, person.skills]);
  useEffect(() => {
    const [t0, s0] = JSON.parse(saved) as [string[], string[]];
    setTags(t0.filter(isPersonTag));
    setSkills(s0);
  }, [saved]);
  const canEdit = Boolean(person.abilities?.update);
  const talent = tags.includes("talent");
  const changed = !same(tags, person.tags) || !same(talent ? skills : [], person.skills);

  if (!canEdit) {
    return (
      <Card size="small" title={t("personEdit.tagsTitle")}>
        <PersonTags tags={person.tags} />
      </Card>
    );
  }

  const save = () =>
    update.mutate(
      { tags, skills: talent ? skills : [] },
      { onSuccess: () => void message.success(t("personEdit.tagsSaved")) },
    );

  return (
    <Card size="small" title={t("personEdit.tagsTitle")} data-testid="person-tags-editor">
      <Space direction="vertical" size={12} style={{ width: "100%" }}>
        <Checkbox.Group
          value={tags}
          onChange={(v) => setTags(v)}
          options={personTags.map((tag) => ({ value: tag, label: t(`person.tags.${tag}`) }))}
          data-testid="person-tags-checkboxes"
        />
        <div>
          <Typography.Text strong>{t("person.fields.skills")}</Typography.Text>
          <Select
            mode="tags"
            value={talent ? skills : []}
            onChange={setSkills}
            disabled={!talent}
            placeholder={talent ? t("personEdit.skillsPlaceholder") : t("personEdit.skillsNeedTalent")}
            style={{ width: "100%", marginTop: 4 }}
            tokenSeparators={[",", "，", "、"]}
            maxCount={20}
            open={false}
            data-testid="person-skills"
          />
        </div>
        {!talent && person.skills.length > 0 && <Alert type="warning" showIcon message={t("personEdit.skillsWillClear")} />}
        {update.isError && <Alert type="error" showIcon message={describeError(t, update.error)} />}
        <Space>
          <Button type="primary" disabled={!changed} loading={update.isPending} onClick={save} data-testid="person-tags-save">
            {t("common.save")}
          </Button>
          <Button
            disabled={!changed || update.isPending}
            onClick={() => {
              setTags(person.tags.filter(isPersonTag));
              setSkills(person.skills);
            }}
          >
            {t("common.reset")}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
