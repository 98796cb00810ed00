import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, App, Button, Card, Col, Collapse, Empty, Grid, List, Popconfirm, Row, Space, Spin, Table, Tag, Typography } from "antd";
import { CloudUploadOutlined, DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined, UndoOutlined } from "@ant-design/icons";
import { describeError } from "../../features/errors";
import {
  buildCategoryTree,
  useCatalogue,
  useCatalogueVersions,
  useCreateDraft,
  useDeactivateCategory,
  useDiscardDraft,
  usePublishCatalogue,
  useUpdateCategory,
  type CaseCategory,
  type CatalogueDetail,
  type CatalogueStatus,
  type CatalogueSummary,
  type TopCategory,
} from "../../features/cases/catalogue/api";
import { CategoryDrawer, type CategoryDrawerTarget } from "../../features/cases/catalogue/CategoryDrawer";
import { formatLimit } from "../../features/cases/catalogue/labels";
import { PageHead } from "./PageHead";

const metaStyle = { fontSize: 12, color: "rgba(0, 0, 0, 0.55)", marginTop: 2 } as const;
const statusColor: Record<CatalogueStatus, string> = { draft: "gold", active: "green", retired: "default" };
const chinaDate = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));

/** A category's row actions in a draft: edit, take out of use / back into use, add a sub-category under a top-level one. */
function CategoryActions({ category, catalogueId, onEdit, onAddSub }: { category: CaseCategory; catalogueId: string; onEdit: () => void; onAddSub: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const deactivate = useDeactivateCategory(catalogueId);
  const update = useUpdateCategory(catalogueId);
  const isTop = category.parentId === null;
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" icon={<EditOutlined />} onClick={onEdit} data-testid={`edit-${category.code}`}>
        {t("caseCatalogue.actions.edit")}
      </Button>
      {isTop && category.active && (
        <Button type="link" size="small" icon={<PlusOutlined />} onClick={onAddSub}>
          {t("caseCatalogue.actions.addSub")}
        </Button>
      )}
      {category.active ? (
        <Popconfirm
          title={isTop ? t("caseCatalogue.actions.deactivateTopConfirm", { name: category.name }) : t("caseCatalogue.actions.deactivateConfirm", { name: category.name })}
          okText={t("caseCatalogue.actions.deactivate")}
          cancelText={t("common.cancel")}
          onConfirm={() =>
            deactivate.mutate(category.id, {
              onSuccess: (r) => void message.success(t("caseCatalogue.actions.deactivated", { count: r.deactivated.length })),
              onError: (e) => void message.error(describeError(t, e)),
            })
          }
        >
          <Button type="link" size="small" danger icon={<StopOutlined />} loading={deactivate.isPending}>
            {t("caseCatalogue.actions.deactivate")}
          </Button>
        </Popconfirm>
      ) : (
        <Button
          type="link"
          size="small"
          icon={<UndoOutlined />}
          loading={update.isPending}
          onClick={() =>
            update.mutate(
              { id: category.id, active: true },
              { onSuccess: () => void message.success(t("caseCatalogue.actions.reactivated")), onError: (e) => void message.error(describeError(t, e)) },
            )
          }
        >
          {t("caseCatalogue.actions.reactivate")}
        </Button>
      )}
    </Space>
  );
}

function NameCell({ c }: { c: CaseCategory }) {
  const { t } = useTranslation();
  return (
    <Space size={6} wrap>
      <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
        {c.code}
      </Typography.Text>
      <Typography.Text strong={c.parentId === null} delete={!c.active}>
        {c.name}
      </Typography.Text>
      {!c.active && <Tag bordered={false}>{t("caseCatalogue.inactive")}</Tag>}
      {c.attributes.length > 0 && (
        <Tag bordered={false} color="blue" title={c.attributes.map((a) => a.description).join("；")}>
          {t("caseCatalogue.attributes", { count: c.attributes.length })}
        </Tag>
      )}
    </Space>
  );
}

function ResponsibilityTag({ c }: { c: CaseCategory }) {
  const { t } = useTranslation();
  if (!c.responsibility) return null;
  return (
    <Tag bordered={false} color={c.responsibility === "owner" ? "purple" : "cyan"}>
      {t(`caseCatalogue.responsibility.${c.responsibility}`)}
    </Tag>
  );
}

/** Desktop: one table, top-level categories expanding into their sub-categories. */
function CategoryTable({ tree, detail, onEdit, onAddSub }: { tree: TopCategory[]; detail: CatalogueDetail; onEdit: (c: CaseCategory) => void; onAddSub: (c: CaseCategory) => void }) {
  const { t } = useTranslation();
  const editable = detail.abilities.edit;
  const sub = (c: CaseCategory) => c.parentId !== null;
  return (
    <Table<CaseCategory>
      rowKey="id"
      size="small"
      dataSource={tree.map((top) => ({ ...top, children: top.children.length > 0 ? top.children : undefined }) as CaseCategory)}
      pagination={false}
      expandable={{ defaultExpandedRowKeys: tree.slice(0, 2).map((c) => c.id), indentSize: 20 }}
      scroll={{ x: 1090 }}
      columns={[
        { title: t("caseCatalogue.fields.category"), key: "name", width: 280, render: (_: unknown, c) => <NameCell c={c} /> },
        { title: t("caseCatalogue.fields.kind"), key: "kind", width: 64, render: (_: unknown, c) => (sub(c) ? t(`caseCatalogue.kinds.${c.kind}`) : null) },
        { title: t("caseCatalogue.fields.responseLimit"), key: "response", width: 110, render: (_: unknown, c) => (sub(c) ? formatLimit(t, c.responseLimit) : null) },
        { title: t("caseCatalogue.fields.handleLimit"), key: "handle", width: 110, render: (_: unknown, c) => (sub(c) ? formatLimit(t, c.handleLimit) : null) },
        { title: t("caseCatalogue.fields.firstLevel"), key: "level", width: 90, render: (_: unknown, c) => (sub(c) && c.firstLevel ? t(`caseCatalogue.levels.${c.firstLevel}`) : null) },
        { title: t("caseCatalogue.fields.responsibility"), key: "resp", width: 84, render: (_: unknown, c) => <ResponsibilityTag c={c} /> },
        {
          title: t("caseCatalogue.fields.department"),
          key: "dept",
          width: 180,
          render: (_: unknown, c) => (sub(c) ? (c.departmentName ?? <Typography.Text type="secondary">—</Typography.Text>) : null),
        },
        ...(editable
          ? [
              {
                title: t("caseCatalogue.fields.actions"),
                key: "actions",
                width: 200,
                fixed: "right" as const,
                render: (_: unknown, c: CaseCategory) => <CategoryActions category={c} catalogueId={detail.catalogue.id} onEdit={() => onEdit(c)} onAddSub={() => onAddSub(c)} />,
              },
            ]
          : []),
      ]}
    />
  );
}

/** Phone: top-level categories fold open into a list of their sub-categories. */
function CategoryCollapse({ tree, detail, onEdit, onAddSub }: { tree: TopCategory[]; detail: CatalogueDetail; onEdit: (c: CaseCategory) => void; onAddSub: (c: CaseCategory) => void }) {
  const { t } = useTranslation();
  const editable = detail.abilities.edit;
  return (
    <Collapse
      defaultActiveKey={tree.slice(0, 1).map((c) => c.id)}
      items={tree.map((top) => ({
        key: top.id,
        label: <NameCell c={top} />,
        extra: <Typography.Text type="secondary">{t("caseCatalogue.subCount", { count: top.children.filter((c) => c.active).length })}</Typography.Text>,
        children: (
          <>
            {editable && <CategoryActions category={top} catalogueId={detail.catalogue.id} onEdit={() => onEdit(top)} onAddSub={() => onAddSub(top)} />}
            <List
              size="small"
              dataSource={top.children}
              renderItem={(c) => (
                <List.Item style={{ display: "block", paddingInline: 0 }}>
                  <NameCell c={c} />
                  <div style={metaStyle}>
                    {t("caseCatalogue.phoneLine", {
                      response: formatLimit(t, c.responseLimit),
                      handle: formatLimit(t, c.handleLimit),
                      level: c.firstLevel ? t(`caseCatalogue.levels.${c.firstLevel}`) : "—",
                    })}
                    {" "}
                    <ResponsibilityTag c={c} />
                    {c.departmentName && <span>{c.departmentName}</span>}
                  </div>
                  {editable && <CategoryActions category={c} catalogueId={detail.catalogue.id} onEdit={() => onEdit(c)} onAddSub={() => undefined} />}
                </List.Item>
              )}
            />
          </>
        ),
      }))}
    />
  );
}

function VersionHistory({ items, selectedId, onSelect }: { items: CatalogueSummary[]; selectedId: string | undefined; onSelect: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t("caseCatalogue.history")} data-testid="catalogue-history">
      <List
        size="small"
        dataSource={items}
        renderItem={(c) => (
          <List.Item
            onClick={() => onSelect(c.id)}
            style={{ cursor: "pointer", background: c.id === selectedId ? "#f0f5ff" : undefined, paddingInline: 8, display: "block" }}
            data-testid={`version-${c.version}`}
          >
            <Space size={6} wrap>
              <Typography.Text strong>{t("caseCatalogue.versionName", { version: c.version })}</Typography.Text>
              <Tag bordered={false} color={statusColor[c.status]}>
                {t(`caseCatalogue.status.${c.status}`)}
              </Tag>
            </Space>
            <div style={metaStyle}>
              {c.publishedAt ? t("caseCatalogue.publishedOn", { date: chinaDate(c.publishedAt) }) : t("caseCatalogue.createdOn", { date: chinaDate(c.createdAt) })}
              {" · "}
              {c.createdByName ?? t("caseCatalogue.bySystem")}
              {" · "}
              {t("caseCatalogue.subCount", { count: c.subCategoryCount })}
            </div>
            {c.note && (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                {c.note}
              </Typography.Paragraph>
            )}
          </List.Item>
        )}
      />
    </Card>
  );
}

/**
 * 案件分类: the dispatch catalogue. Everyone in the console sees the version in use; system and
 * street administrators start a revision (a draft copied from it), edit sub-categories' limits,
 * levels, departments and extra questions (附加信息) in a drawer, and publish — new reports use the
 * new version at once, cases already filed keep theirs.
 */
export function CaseCataloguePage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [params, setParams] = useSearchParams();
  const versions = useCatalogueVersions();
  const items = versions.data?.items ?? [];
  const fallbackId = (items.find((c) => c.status === "draft") ?? items.find((c) => c.status === "active"))?.id;
  const selectedId = params.get("id") ?? fallbackId;
  const detail = useCatalogue(selectedId);
  const createDraft = useCreateDraft();
  const publish = usePublishCatalogue();
  const discard = useDiscardDraft();
  const [target, setTarget] = useState<CategoryDrawerTarget | null>(null);
  const select = (id: string) => setParams({ id }, { replace: true });

  const d = detail.data;
  const tree = d ? buildCategoryTree(d.items) : [];
  const onEdit = (c: CaseCategory) => setTarget({ mode: "edit", category: c });
  const onAddSub = (c: CaseCategory) => setTarget({ mode: "create", parent: c });

  const startDraft = () =>
    createDraft.mutate(
      {},
      {
        onSuccess: (draft) => {
          void message.success(t("caseCatalogue.draftCreated", { version: draft.version }));
          select(draft.id);
        },
        onError: (e) => void message.error(describeError(t, e)),
      },
    );

  const confirmPublish = (c: CatalogueSummary) =>
    void modal.confirm({
      title: t("caseCatalogue.publishConfirmTitle", { version: c.version }),
      content: t("caseCatalogue.publishConfirm", { count: c.subCategoryCount }),
      okText: t("caseCatalogue.publish"),
      cancelText: t("common.cancel"),
      onOk: () =>
        publish.mutateAsync(c.id).then(
          () => void message.success(t("caseCatalogue.published", { version: c.version })),
          (e: unknown) => void message.error(describeError(t, e)),
        ),
    });

  const draftInList = items.find((c) => c.status === "draft");
  const headExtra = (
    <Space wrap>
      {versions.data?.abilities.createDraft && (
        <Button type="primary" icon={<PlusOutlined />} loading={createDraft.isPending} onClick={startDraft} data-testid="new-draft">
          {t("caseCatalogue.newDraft")}
        </Button>
      )}
      {draftInList && draftInList.id !== selectedId && (
        <Button onClick={() => select(draftInList.id)}>{t("caseCatalogue.openDraft", { version: draftInList.version })}</Button>
      )}
    </Space>
  );

  const draftActions = d?.abilities.edit ? (
    <Space wrap size={4}>
      <Button size="small" icon={<PlusOutlined />} onClick={() => setTarget({ mode: "create", parent: null })}>
        {t("caseCatalogue.actions.addTop")}
      </Button>
      <Popconfirm
        title={t("caseCatalogue.discardConfirm", { version: d.catalogue.version })}
        okText={t("caseCatalogue.discard")}
        cancelText={t("common.cancel")}
        onConfirm={() =>
          discard.mutate(d.catalogue.id, {
            onSuccess: () => {
              void message.success(t("caseCatalogue.discarded"));
              setParams({}, { replace: true });
            },
            onError: (e) => void message.error(describeError(t, e)),
          })
        }
      >
        <Button size="small" danger icon={<DeleteOutlined />} loading={discard.isPending}>
          {t("caseCatalogue.discard")}
        </Button>
      </Popconfirm>
      <Button size="small" type="primary" icon={<CloudUploadOutlined />} loading={publish.isPending} onClick={() => confirmPublish(d.catalogue)} data-testid="publish">
        {t("caseCatalogue.publish")}
      </Button>
    </Space>
  ) : null;

  const mainCard = d && (
    <Card
      size="small"
      title={
        <Space size={8} wrap>
          <span>{t("caseCatalogue.versionName", { version: d.catalogue.version })}</span>
          <Tag bordered={false} color={statusColor[d.catalogue.status]}>
            {t(`caseCatalogue.status.${d.catalogue.status}`)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontWeight: "normal", fontSize: 13 }}>
            {t("caseCatalogue.counts", { tops: d.catalogue.topCategoryCount, subs: d.catalogue.subCategoryCount })}
          </Typography.Text>
        </Space>
      }
      extra={!narrow && draftActions}
    >
      {narrow && draftActions && <div style={{ marginBottom: 12 }}>{draftActions}</div>}
      {d.catalogue.status === "draft" && <Alert type="warning" showIcon message={t("caseCatalogue.draftHint")} style={{ marginBottom: 12 }} />}
      {d.catalogue.status === "retired" && <Alert type="info" showIcon message={t("caseCatalogue.retiredHint")} style={{ marginBottom: 12 }} />}
      {d.catalogue.note && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          {d.catalogue.note}
        </Typography.Paragraph>
      )}
      {tree.length === 0 ? (
        <Empty description={t("caseCatalogue.empty")} />
      ) : narrow ? (
        <CategoryCollapse tree={tree} detail={d} onEdit={onEdit} onAddSub={onAddSub} />
      ) : (
        <CategoryTable tree={tree} detail={d} onEdit={onEdit} onAddSub={onAddSub} />
      )}
    </Card>
  );

  return (
    <div data-testid="case-catalogue-page">
      <PageHead title={t("caseCatalogue.title")} extra={headExtra} />
      <Typography.Paragraph type="secondary">{t("caseCatalogue.intro")}</Typography.Paragraph>
      {versions.isError ? (
        <Alert type="error" showIcon message={describeError(t, versions.error)} />
      ) : detail.isError ? (
        <Alert type="error" showIcon message={describeError(t, detail.error)} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xxl={18}>
            {mainCard ?? (
              <Card size="small">
                <Spin />
              </Card>
            )}
          </Col>
          <Col xs={24} xxl={6}>
            <VersionHistory items={items} selectedId={selectedId} onSelect={select} />
          </Col>
        </Row>
      )}
      {d && <CategoryDrawer catalogueId={d.catalogue.id} target={target} departments={d.departments} onClose={() => setTarget(null)} />}
    </div>
  );
}
