import { Suspense } from "react";
import { Route, Routes, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { EnvironmentOutlined, ProfileOutlined, SearchOutlined, UserOutlined } from "@ant-design/icons";
import { MobileFrame } from "../../components/MobileFrame";
import { MobileShell } from "../../components/MobileShell";
import { FullPageSpinner, NotFoundPage } from "../../components/FullPage";
import { MobileAccount } from "../../features/auth/MobileAccount";
import { MobileInboxBell } from "../../features/notify/MobileInboxBell";
import { lazyPage } from "../../components/lazyPage";

const MyGridPage = lazyPage(() => import("./MyGridPage"), "MyGridPage");
const TasksPage = lazyPage(() => import("./TasksPage"), "TasksPage");
const WorkerCasePage = lazyPage(() => import("./WorkerCasePage"), "WorkerCasePage");
const PatrolReportPage = lazyPage(() => import("./PatrolReportPage"), "PatrolReportPage");
const WorkerBuildingPage = lazyPage(() => import("./WorkerBuildingPage"), "WorkerBuildingPage");
const WorkerSearchPage = lazyPage(() => import("./WorkerSearchPage"), "WorkerSearchPage");

/** The grid worker's phone app: my grid, my tasks, me. */
export default function WorkerApp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const tabs = [
    { path: "/worker", title: t("worker.tabs.grid"), icon: <EnvironmentOutlined /> },
    { path: "/worker/tasks", title: t("worker.tabs.tasks"), icon: <ProfileOutlined /> },
    { path: "/worker/me", title: t("worker.tabs.me"), icon: <UserOutlined /> },
  ];
  return (
    <MobileShell>
      <MobileFrame
        tabs={tabs}
        right={
          <span style={{ display: "inline-flex", gap: 16, alignItems: "center" }}>
            <SearchOutlined style={{ fontSize: 20 }} aria-label={t("search.open")} role="button" onClick={() => void navigate("/worker/search")} data-testid="worker-search-open" />
            <MobileInboxBell />
          </span>
        }
      >
        <Suspense fallback={<FullPageSpinner />}>
          <Routes>
            <Route index element={<MyGridPage />} />
            <Route path="buildings/:id" element={<WorkerBuildingPage />} />
            <Route path="tasks" element={<TasksPage />} />
            <Route path="tasks/:id" element={<WorkerCasePage />} />
            <Route path="tasks/patrol" element={<PatrolReportPage />} />
            <Route path="search" element={<WorkerSearchPage />} />
            <Route path="me" element={<MobileAccount />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </MobileFrame>
    </MobileShell>
  );
}
