import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Button, CapsuleTabs, DotLoading, ErrorBlock, Tag } from "antd-mobile";
import { isApiError } from "../../api";
import { useBoard, type BoardFilter, type BoardItem, type Label } from "./api";
import { PublicLanguage } from "./PublicLanguage";

function useLabel() {
  const { i18n } = useTranslation();
  return (l: Label) => (i18n.language === "en" ? l.en : l.zh);
}

function CaseRow({ item }: { item: BoardItem }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <li className="gz-public-case" data-testid="board-case">
      <div className="gz-public-case-head">
        <strong>{label(item.summary)}</strong>
        <Tag color={item.open ? "warning" : item.status === "rejected" ? "default" : "success"} fill="outline">
          {label(item.statusLabel)}
        </Tag>
      </div>
      <div className="gz-public-case-tags">
        {item.onTime === true && <Tag color="success">{t("board.onTime")}</Tag>}
        {item.onTime === false && <Tag color="danger">{t("board.late")}</Tag>}
        {item.overdue && <Tag color="danger">{t("board.overdue")}</Tag>}
      </div>
      <div className="gz-public-case-meta">
        <span>{item.gridName}</span>
        <span>{t("board.reportedOn", { date: item.submittedOn })}</span>
        {item.closedOn && <span>{t("board.closedOn", { date: item.closedOn })}</span>}
      </div>
      <div className="gz-public-case-no">{t("board.caseNo", { no: item.caseNo })}</div>
    </li>
  );
}

/** A community's public board: this month's figures and its cases, anonymised (no login). */
export function PublicBoardPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const [filter, setFilter] = useState<BoardFilter>("all");
  const [page, setPage] = useState(1);
  const board = useBoard(id, filter, page);
  const data = board.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const rate = data?.summary.onTimeRate;
  const notFound = isApiError(board.error) && (board.error.status === 404 || board.error.status === 400);

  return (
    <div className="gz-public" data-testid="public-board">
      <header className="gz-public-hero">
        <h1>{data ? t("board.title", { name: data.community.name }) : t("board.titlePlain")}</h1>
        <p>{data ? [data.community.districtName, data.community.streetName].filter(Boolean).join(" · ") : "\u00a0"}</p>
      </header>
      <div className="gz-public-body">
        {notFound && <ErrorBlock status="empty" title={t("board.notFound")} description={<Link to="/public/communities">{t("board.pickAnother")}</Link>} />}
        {board.isError && !notFound && (
          <ErrorBlock status="default" title={t("board.loadFailed")} description={<Button size="small" onClick={() => void board.refetch()}>{t("board.retry")}</Button>} />
        )}
        {data && (
          <>
            <section className="gz-public-stats" aria-label={t("board.monthFigures", { month: data.month })}>
              <div>
                <b data-testid="board-reported">{data.summary.reported}</b>
                <span>{t("board.reported")}</span>
              </div>
              <div>
                <b data-testid="board-closed">{data.summary.closed}</b>
                <span>{t("board.closed")}</span>
              </div>
              <div>
                <b data-testid="board-rate">{rate === null || rate === undefined ? "—" : `${Math.round(rate * 1000) / 10}%`}</b>
                <span>{t("board.onTimeRate")}</span>
              </div>
            </section>
            <p className="gz-public-note">{t("board.monthNote", { month: data.month })}</p>
          </>
        )}
        {!notFound && (
          <CapsuleTabs
            activeKey={filter}
            onChange={(k) => {
              setFilter(k as BoardFilter);
              setPage(1);
            }}
          >
            <CapsuleTabs.Tab title={t("board.all")} key="all" />
            <CapsuleTabs.Tab title={t("board.open")} key="open" />
            <CapsuleTabs.Tab title={t("board.done")} key="closed" />
          </CapsuleTabs>
        )}
        {board.isPending && (
          <div className="gz-public-center">
            <DotLoading />
          </div>
        )}
        {data && data.items.length === 0 && <ErrorBlock status="empty" title={t("board.empty")} description="" />}
        {data && data.items.length > 0 && (
          <ul className="gz-public-cases">
            {data.items.map((item) => (
              <CaseRow key={item.caseNo} item={item} />
            ))}
          </ul>
        )}
        {data && pages > 1 && (
          <div className="gz-public-pager">
            <Button size="small" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
              {t("board.prev")}
            </Button>
            <span>{t("board.page", { page, pages })}</span>
            <Button size="small" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
              {t("board.next")}
            </Button>
          </div>
        )}
        <p className="gz-public-privacy">{t("board.privacy")}</p>
        <p className="gz-public-links">
          <Link to="/public/communities">{t("board.otherCommunities")}</Link>
        </p>
        <PublicLanguage />
      </div>
    </div>
  );
}
