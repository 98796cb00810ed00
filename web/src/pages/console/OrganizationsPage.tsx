import { useCallback, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { Alert, Button, Card, Empty, Skeleton, Space, Statistic, Switch, Tag, Tree, Typography, type TreeDataNode } from "antd";
import { PlusOutlined, SwapOutlined } from "@ant-design/icons";
import { useMe } from "../../features/auth/session";
import { CreateOrgModal } from "../../features/orgs/forms";
import { describeError } from "../../features/errors";
import { ScopeAreaSelect } from "../../features/areas/ScopeAreaSelect";
import {
  buildOrganizationTree,
  totalMembers,
  useOrganizations,
  type OrganizationItem,
  type OrganizationNode,
} from "../../features/orgs/api";
import { PageHead } from "./PageHead";

function OrgTitle({ node }: { node: OrganizationNode }) {
  const { t } = useTranslation();
  const below = totalMembers(node);
  return (
    <span className="gz-org-title" data-testid="org-node">
      <Link className="gz-org-name" to={`/console/organizations/${node.id}`}>
        {node.name}
      </Link>
      <Tag color={node.party ? "red" : "blue"} bordered={false}>
        {t(`org.kind.${node.kind}`, { defaultValue: node.kindLabel })}
      </Tag>
      {node.kind === "socialOrg" && node.incubation && (
        <Tag color={node.incubation === "graduated" ? "green" : "gold"} bordered={false}>
          {t(`orgs.incubation.${node.incubation}`)}
        </Tag>
      )}
      {node.party && (
        <Typography.Text type="secondary" className="gz-org-count">
          {node.children.length > 0 && below !== node.memberCount
            ? t("org.membersWithBelow", { count: node.memberCount, total: below })
            : t("org.members", { count: node.memberCount })}
        </Typography.Text>
      )}
      {node.areaName && (
        <Typography.Text type="secondary" className="gz-org-area">
          {node.areaName}
        </Typography.Text>
      )}
    </span>
  );
}

function toTreeData(nodes: OrganizationNode[]): TreeDataNode[] {
  return nodes.map((n) => ({
    key: n.id,
    title: <OrgTitle node={n} />,
    children: toTreeData(n.children),
    isLeaf: n.children.length === 0,
  }));
}

function Summary({ items }: { items: OrganizationItem[] }) {
  const { t } = useTranslation();
  const party = items.filter((o) => o.party);
  const branches = party.filter((o) => o.kind === "gridPartyBranch").length;
  const members = party.reduce((n, o) => n + o.memberCount, 0);
  return (
    <Space size={[32, 12]} wrap>
      <Statistic title={t("org.partyOrgCount")} value={party.length} />
      <Statistic title={t("org.branchCount")} value={branches} />
      <Statistic title={t("org.memberCount")} value={members} />
      {items.length > party.length && <Statistic title={t("org.bodyCount")} value={items.length - party.length} />}
    </Space>
  );
}

/** 党组织: the party organization tree of an area, optionally with the community bodies. */
export function OrganizationsPage() {
  const { t } = useTranslation();
  const [areaId, setAreaId] = useState<string | undefined>(undefined);
  const [withBodies, setWithBodies] = useState(false);
  const orgs = useOrganizations(areaId, !withBodies);
  const tree = useMemo(() => toTreeData(buildOrganizationTree(orgs.data ?? [])), [orgs.data]);
  const choose = useCallback((id: string) => setAreaId(id), []);
  const me = useMe();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  // Whether to offer 新建组织: a role that keeps organizations (the server still decides per area).
  const canCreate = me.grants.some((g) => g.role === "communityWorker" || g.role === "communitySecretary" || g.role === "streetAdmin");
  // Candidate parents include the party line even when the tree shows bodies too.
  const all = useOrganizations(areaId, false);

  return (
    <div data-testid="organizations-page">
      <PageHead
        title={t("org.title")}
        extra={
          <>
            <ScopeAreaSelect value={areaId} onChange={choose} testId="org-area-select" />
            <label className="gz-map-toggle">
              <Switch checked={withBodies} onChange={setWithBodies} data-testid="org-bodies-switch" />
              <span>{t("org.includeBodies")}</span>
            </label>
            <Button icon={<SwapOutlined />} onClick={() => void navigate(`/console/organizations/cross-appointments${areaId ? `?areaId=${areaId}` : ""}`)} data-testid="cross-open">
              {t("cross.open")}
            </Button>
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="org-create-open">
                {t("orgs.create.open")}
              </Button>
            )}
          </>
        }
      />
      <Space direction="vertical" size={16} style={{ width: "100%" }}>
        {orgs.data && (
          <Card size="small">
            <Summary items={orgs.data} />
          </Card>
        )}
        <Card size="small" title={withBodies ? t("org.treeWithBodies") : t("org.tree")}>
          {orgs.isError ? (
            <Alert type="error" showIcon message={describeError(t, orgs.error)} />
          ) : !orgs.data ? (
            <Skeleton active />
          ) : tree.length === 0 ? (
            <Empty description={t("org.empty")} />
          ) : (
            <Tree
              key={`${areaId}-${withBodies}`}
              className="gz-org-tree"
              data-testid="org-tree"
              treeData={tree}
              defaultExpandAll
              blockNode
              selectable={false}
              showLine={{ showLeafIcon: false }}
            />
          )}
        </Card>
      </Space>
      {canCreate && (
        <CreateOrgModal
          open={creating}
          onClose={() => setCreating(false)}
          orgs={all.data ?? []}
          baseAreaId={areaId}
          onCreated={(id) => void navigate(`/console/organizations/${id}`)}
        />
      )}
    </div>
  );
}
