import { Suspense, useState, type ReactNode } from "react";
import { Outlet, useLocation, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { FullPageSpinner } from "../../components/FullPage";
import { App, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Modal, Space, Tag, Typography } from "antd";
import {
  ApartmentOutlined,
  ApiOutlined,
  BarChartOutlined,
  ClusterOutlined,
  CarryOutOutlined,
  DashboardOutlined,
  FileExcelOutlined,
  FlagOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  LogoutOutlined,
  MenuOutlined,
  TagsOutlined,
  NotificationOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserAddOutlined,
  UserOutlined,
  QrcodeOutlined,
} from "@ant-design/icons";
import { LanguageSegmented } from "../../components/LanguageSegmented";
import { describeError } from "../../features/errors";
import { roleLabel } from "../../features/auth/labels";
import { useLogout, useMe } from "../../features/auth/session";
import { ConsoleSearchBox, ConsoleSearchButton } from "../../features/search/SearchBox";
import { InboxBell } from "../../features/notify/InboxBell";
import { ChangePasswordForm } from "../../features/auth/PasswordForm";
import "./console.css";

const menuRoutes = {
  overview: "/console",
  areas: "/console/areas",
  redGrid: "/console/coverage",
  organizations: "/console/organizations",
  partyMembers: "/console/party/members",
  partyRegistrations: "/console/party/registrations",
  imports: "/console/imports",
  caseCategories: "/console/case-categories",
  summons: "/console/summons",
  cases: "/console/cases",
  measures: "/console/measures",
  webhooks: "/console/webhooks",
  users: "/console/users",
  residentSignups: "/console/accounts/signups",
  invitations: "/console/accounts/invitations",
} as const;
type MenuKey = keyof typeof menuRoutes;

/** Pages reached from the area browser (a grid, a household, a person) keep 区域与网格 lit. */
const areaPages = ["/console/areas", "/console/grids", "/console/households", "/console/persons"];

function selectedMenu(pathname: string): MenuKey {
  if (areaPages.some((p) => pathname.startsWith(p))) return "areas";
  if (pathname.startsWith(menuRoutes.redGrid)) return "redGrid";
  if (pathname.startsWith(menuRoutes.organizations)) return "organizations";
  if (pathname.startsWith(menuRoutes.partyMembers)) return "partyMembers";
  if (pathname.startsWith(menuRoutes.partyRegistrations)) return "partyRegistrations";
  if (pathname.startsWith(menuRoutes.imports)) return "imports";
  if (pathname.startsWith(menuRoutes.caseCategories)) return "caseCategories";
  if (pathname.startsWith(menuRoutes.summons)) return "summons";
  if (pathname.startsWith(menuRoutes.cases)) return "cases";
  if (pathname.startsWith(menuRoutes.measures)) return "measures";
  if (pathname.startsWith(menuRoutes.webhooks)) return "webhooks";
  if (pathname.startsWith(menuRoutes.users)) return "users";
  if (pathname.startsWith(menuRoutes.residentSignups)) return "residentSignups";
  if (pathname.startsWith(menuRoutes.invitations)) return "invitations";
  return "overview";
}

function UserBox() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const primary = me.grants[0];
  const [changingPassword, setChangingPassword] = useState(false);

  const onLogout = () =>
    logout.mutate(undefined, {
      onSuccess: () => void navigate("/login", { replace: true }),
      onError: (e) => void message.error(describeError(t, e)),
    });

  return (
    <Space size={screens.md ? 16 : 8} align="center" className="gz-console-user">
      {screens.md && primary && (
        <span className="gz-console-scope" data-testid="user-scope">
          <Tag color="red" bordered={false}>
            {roleLabel(t, primary)}
          </Tag>
          <Typography.Text>{primary.areaName}</Typography.Text>
          {me.grants.length > 1 && (
            <Dropdown
              menu={{
                items: me.grants.slice(1).map((g, i) => ({
                  key: String(i),
                  label: `${roleLabel(t, g)} · ${g.areaName}`,
                })),
              }}
            >
              <Typography.Link>{t("console.moreGrants", { count: me.grants.length - 1 })}</Typography.Link>
            </Dropdown>
          )}
        </span>
      )}
      {screens.sm ? <ConsoleSearchBox compact={!screens.xl} /> : <ConsoleSearchButton />}
      <InboxBell />
      <LanguageSegmented />
      <Dropdown
        trigger={["click"]}
        menu={{
          items: [{ key: "password", icon: <KeyOutlined />, label: t("password.change") }],
          onClick: ({ key }) => {
            if (key === "password") setChangingPassword(true);
          },
        }}
      >
        <Space size={6} style={{ cursor: "pointer" }} data-testid="user-menu">
          <Avatar size="small" icon={<UserOutlined />} style={{ background: "#1f5fa8" }} />
          {screens.sm && <Typography.Text strong>{me.displayName}</Typography.Text>}
        </Space>
      </Dropdown>
      <Modal open={changingPassword} title={t("password.change")} footer={null} onCancel={() => setChangingPassword(false)} destroyOnHidden width={420}>
        <ChangePasswordForm
          onDone={() => {
            setChangingPassword(false);
            void message.success(t("password.changed"));
          }}
        />
      </Modal>
      <Button icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout">
        {screens.sm ? t("common.logout") : null}
      </Button>
    </Space>
  );
}

/** The menu in its order, each entry an icon; `overview` always, the others as the server's `sections` say. */
const menuEntries: { key: MenuKey; icon: ReactNode }[] = [
  { key: "overview", icon: <DashboardOutlined /> },
  { key: "areas", icon: <ApartmentOutlined /> },
  { key: "redGrid", icon: <FlagOutlined /> },
  { key: "organizations", icon: <ClusterOutlined /> },
  { key: "partyMembers", icon: <TeamOutlined /> },
  { key: "partyRegistrations", icon: <SolutionOutlined /> },
  { key: "residentSignups", icon: <UserAddOutlined /> },
  { key: "invitations", icon: <QrcodeOutlined /> },
  { key: "imports", icon: <FileExcelOutlined /> },
  { key: "caseCategories", icon: <TagsOutlined /> },
  { key: "cases", icon: <CarryOutOutlined /> },
  { key: "summons", icon: <NotificationOutlined /> },
  { key: "measures", icon: <BarChartOutlined /> },
  { key: "webhooks", icon: <ApiOutlined /> },
  { key: "users", icon: <SafetyCertificateOutlined /> },
];

export function ConsoleLayout() {
  const { t } = useTranslation();
  const me = useMe();
  // The server says which sections one of my roles opens (its policies), so no entry leads to a refusal.
  const open = me.sections;
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Before the first measurement every breakpoint reads false; treat that as desktop.
  const narrow = screens.lg === false;

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedMenu(pathname)]}
      items={
        menuEntries
          .filter(({ key }) => key === "overview" || open[key] === true)
          .map(({ key, icon }) => ({ key, icon, label: t(`console.menu.${key}`) }))
      }
      onClick={({ key }) => {
        void navigate(menuRoutes[key as MenuKey]);
        setDrawerOpen(false);
      }}
    />
  );

  return (
    <Layout className="gz-console">
      <Layout.Header className="gz-console-header">
        <Space size={4}>
          {narrow && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t("console.openMenu")}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          <div className="gz-console-brand" onClick={() => void navigate("/console")}>
            <span className="gz-console-logo" aria-hidden="true">
              共
            </span>
            {screens.sm && <span className="gz-console-title">{t("app.name")}</span>}
          </div>
        </Space>
        <UserBox />
      </Layout.Header>
      <Layout>
        {narrow ? (
          <Drawer
            placement="left"
            width={240}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t("app.name")}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            width={208}
            theme="light"
            collapsedWidth={64}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            className="gz-console-sider"
          >
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content className="gz-console-content">
          <Suspense fallback={<FullPageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
