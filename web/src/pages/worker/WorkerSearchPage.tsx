import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ErrorBlock, List, SearchBar, Tag } from "antd-mobile";
import { describeError } from "../../features/errors";
import { kindIcons } from "../../features/search/SearchBox";
import { searchMaxLength, useSearch, useSettled, type SearchHit } from "../../features/search/api";

/** Where a hit opens on the phone: cases and buildings have pages here; the rest are on the console. */
function phoneLinkOf(hit: SearchHit): string | null {
  if (hit.kind === "case") return `/worker/tasks/${hit.id}`;
  if (hit.kind === "building") return `/worker/buildings/${hit.id}`;
  return null;
}

/** 一框搜索 on the grid worker's phone: the same search as the console header, in the worker's grid. */
export function WorkerSearchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const settled = useSettled(text.trim());
  const search = useSearch(settled, { limit: 10 });
  const groups = settled ? (search.data?.groups ?? []) : [];
  return (
    <div data-testid="worker-search">
      <div style={{ padding: "8px 12px" }}>
        <SearchBar
          autoFocus
          value={text}
          maxLength={searchMaxLength}
          placeholder={t("search.mobilePlaceholder")}
          onChange={(v) => setText(v)}
          data-testid="worker-search-input"
        />
      </div>
      {!settled && <p style={{ padding: "0 16px", color: "var(--adm-color-weak)", fontSize: 13 }}>{t("search.hint")}</p>}
      {settled && search.isError && <ErrorBlock status="default" title={describeError(t, search.error)} description="" />}
      {settled && search.isSuccess && groups.length === 0 && !search.isPlaceholderData && (
        <ErrorBlock status="empty" title={t("search.nothing")} description="" data-testid="worker-search-nothing" />
      )}
      {groups.map((g) => (
        <List key={g.kind} header={`${t(`search.kinds.${g.kind}`)}${g.more ? ` · ${t("search.more")}` : ""}`}>
          {g.items.map((hit) => {
            const link = phoneLinkOf(hit);
            return (
              <List.Item
                key={hit.id}
                prefix={kindIcons[hit.kind]}
                description={link ? hit.detail : `${hit.detail} · ${t("search.onComputer")}`}
                extra={hit.masked ? <Tag fill="outline">{t("search.masked")}</Tag> : undefined}
                {...(link ? { onClick: () => void navigate(link) } : { arrowIcon: false })}
                data-testid={`worker-search-hit-${hit.kind}`}
              >
                {hit.title}
              </List.Item>
            );
          })}
        </List>
      ))}
    </div>
  );
}
