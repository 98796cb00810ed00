import type { ReactNode } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { NavBar, SafeArea, TabBar } from "antd-mobile";

export interface MobileTab {
  /** Absolute path of the tab; the first tab is the face's home. */
  path: string;
  title: string;
  icon: ReactNode;
}

function activeTab(tabs: MobileTab[], pathname: string): string {
  const home = tabs[0]?.path ?? "/";
  const match = tabs.find((t) => t.path !== home && (pathname === t.path || pathname.startsWith(`${t.path}/`)));
  return match?.path ?? home;
}

/** A phone screen: title bar, scrolling body and a bottom tab bar (resident and worker faces). */
export function MobileFrame({ tabs, children, right }: { tabs: MobileTab[]; children: ReactNode; /** Title bar, right side (the inbox bell). */ right?: ReactNode }) {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = activeTab(tabs, pathname);
  const title = tabs.find((t) => t.path === active)?.title ?? "";
  return (
    <div className="gz-mobile">
      <NavBar back={null} right={right} className="gz-mobile-nav">
        {title}
      </NavBar>
      <main className="gz-mobile-body">{children}</main>
      <div className="gz-mobile-tabs">
        <TabBar activeKey={active} onChange={(key) => void navigate(key)} safeArea>
          {tabs.map((tab) => (
            <TabBar.Item key={tab.path} title={tab.title} icon={tab.icon} />
          ))}
        </TabBar>
      </div>
      <SafeArea position="bottom" />
    </div>
  );
}
