import { useState, type ReactNode } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { AutoComplete, Button, Input, Modal, Space, Tag, Tooltip, Typography } from "antd";
import { ApartmentOutlined, CarryOutOutlined, ClusterOutlined, HomeOutlined, SearchOutlined, UserOutlined } from "@ant-design/icons";
import { describeError } from "../errors";
import { searchMaxLength, useSearch, useSettled, type SearchHit, type SearchKind } from "./api";

export const kindIcons: Record<SearchKind, ReactNode> = {
  person: <UserOutlined />,
  household: <HomeOutlined />,
  building: <ApartmentOutlined />,
  organization: <ClusterOutlined />,
  case: <CarryOutOutlined />,
};

/** Where a hit opens in the console. */
export function consoleLinkOf(hit: Pick<SearchHit, "kind" | "id">): string {
  const base = { person: "persons", household: "households", building: "buildings", organization: "organizations", case: "cases" }[hit.kind];
  return `/console/${base}/${hit.id}`;
}

function HitLabel({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  return (
    <div className="gz-search-hit" data-testid={`search-hit-${hit.kind}`}>
      <Space size={6} align="start">
        <span className="gz-search-hit-icon">{kindIcons[hit.kind]}</span>
        <span>
          <Typography.Text strong={hit.kind !== "case"}>{hit.title}</Typography.Text>
          {hit.masked && (
            <Tooltip title={t("search.maskedHint")}>
              <Tag bordered={false} style={{ marginInlineStart: 6 }}>
                {t("search.masked")}
              </Tag>
            </Tooltip>
          )}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hit.detail}
          </Typography.Text>
        </span>
      </Space>
    </div>
  );
}

/**
 * 一框搜索 in the console header: persons (name or ID number), households (address), buildings,
 * organizations and cases (number or words), in the asker's scope, masked like the lists. Picking
 * a hit opens its page, where the clear values are behind the audited reveal. What was typed never
 * enters the URL; the box empties after a pick.
 */
export function ConsoleSearchBox({ compact, wide, autoFocus, onPicked }: { compact?: boolean; wide?: boolean; autoFocus?: boolean; onPicked?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const settled = useSettled(text);
  const search = useSearch(settled);
  const groups = settled.trim() ? (search.data?.groups ?? []) : [];
  const options = groups.map((g) => ({
    label: (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`search.kinds.${g.kind}`)}
        {g.more ? ` · ${t("search.more")}` : ""}
      </Typography.Text>
    ),
    options: g.items.map((hit) => ({ value: `${hit.kind}:${hit.id}`, label: <HitLabel hit={hit} /> })),
  }));
  let notFound: ReactNode = null;
  if (settled.trim() && search.isError) notFound = <Typography.Text type="danger">{describeError(t, search.error)}</Typography.Text>;
  else if (settled.trim() && search.isSuccess && groups.length === 0 && !search.isPlaceholderData) notFound = <span data-testid="search-nothing">{t("search.nothing")}</span>;

  return (
    <AutoComplete
      className="gz-search-box"
      style={{ width: wide ? "100%" : compact ? 200 : 300 }}
      popupMatchSelectWidth={wide ? true : 380}
      options={options}
      value={text}
      onChange={(v: string) => setText(v.slice(0, searchMaxLength))}
      onSelect={(value: string) => {
        const [kind, id] = value.split(":") as [SearchKind, string];
        setText("");
        onPicked?.();
        void navigate(consoleLinkOf({ kind, id }));
      }}
      notFoundContent={notFound}
      data-testid="search-box"
    >
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t("search.placeholder")}
        aria-label={t("search.placeholder")}
        autoComplete="off"
        spellCheck={false}
        maxLength={searchMaxLength}
        autoFocus={autoFocus}
        data-testid="search-input"
      />
    </AutoComplete>
  );
}

/**
 * On a phone the header has no room for the box: a search button opens it in a dialog as wide as
 * the screen, with what may be typed; picking a hit closes it and opens the hit's page.
 */
export function ConsoleSearchButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="text" icon={<SearchOutlined />} aria-label={t("search.open")} onClick={() => setOpen(true)} data-testid="search-open" />
      <Modal open={open} title={t("search.title")} footer={null} onCancel={() => setOpen(false)} destroyOnHidden style={{ top: 16 }}>
        <Typography.Paragraph type="secondary">{t("search.hint")}</Typography.Paragraph>
        <ConsoleSearchBox wide autoFocus onPicked={() => setOpen(false)} />
      </Modal>
    </>
  );
}
