import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { DotLoading, ErrorBlock, List, SearchBar } from "antd-mobile";
import { usePublicCommunities, type PublicCommunity } from "./api";
import { PublicLanguage } from "./PublicLanguage";

/** Pick a community to see its public board, grouped by street. */
export function CommunityPickerPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const communities = usePublicCommunities();
  const [search, setSearch] = useState("");
  const items = (communities.data?.items ?? []).filter((c) => search === "" || c.name.includes(search) || (c.streetName ?? "").includes(search));
  const byStreet = new Map<string, PublicCommunity[]>();
  for (const c of items) {
    const key = [c.districtName, c.streetName].filter(Boolean).join(" ");
    byStreet.set(key, [...(byStreet.get(key) ?? []), c]);
  }
  return (
    <div className="gz-public" data-testid="public-communities">
      <header className="gz-public-hero">
        <h1>{t("board.pickerTitle")}</h1>
        <p>{t("board.pickerSubtitle")}</p>
      </header>
      <div className="gz-public-body">
        <SearchBar placeholder={t("board.search")} value={search} onChange={setSearch} style={{ margin: "12px 0" }} />
        {communities.isPending && (
          <div className="gz-public-center">
            <DotLoading />
          </div>
        )}
        {communities.isError && <ErrorBlock status="default" title={t("board.loadFailed")} description="" />}
        {communities.data && items.length === 0 && <ErrorBlock status="empty" title={t("board.noCommunity")} description="" />}
        {[...byStreet.entries()].map(([street, list]) => (
          <List key={street} header={street} className="gz-public-list">
            {list.map((c) => (
              <List.Item key={c.id} onClick={() => void navigate(`/public/communities/${c.id}/cases`)} data-testid="public-community">
                {c.name}
              </List.Item>
            ))}
          </List>
        ))}
        <PublicLanguage />
      </div>
    </div>
  );
}
