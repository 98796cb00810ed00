import { Route, Routes } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { EnvironmentOutlined, ProfileOutlined, UserOutlined } from "@ant-design/icons";
import { MobileFrame } from "../../components/MobileFrame";
import { MobileShell } from "../../components/MobileShell";
import { NotFoundPage } from "../../components/FullPage";
import { MobileAccount } from "../../features/auth/MobileAccount";
import { MobileInboxBell } from "../../features/inbox/MobileInboxBell";
import { MyGridPage } from "./MyGridPage";
import { TasksPage } from "./TasksPage";
import { WorkerCasePage } from "./WorkerCasePage";
import { PatrolReportPage } from "./PatrolReportPage";
import { WorkerBuildingPage } from "./WorkerBuildingPage";

/** The grid worker's phone app: my grid, my tasks, me. */
export default function WorkerApp() {
  const { t } = useTranslation();
  const tabs = [
    { path: "/worker", title: t("worker.tabs.grid"), icon: <EnvironmentOutlined /> },
    { path: "/worker/tasks", title: t("worker.tabs.tasks"), icon: <ProfileOutlined /> },
    { path: "/worker/me", title: t("worker.tabs.me"), icon: <UserOutlined /> },
  ];
  return (
    <MobileShell>
      <MobileFrame tabs={tabs} right={<MobileInboxBell />}>
        <Routes>
          <Route index element={<MyGridPage />} />
          <Route path="buildings/:id" element={<WorkerBuildingPage />} />
          <Route path="tasks" element={<TasksPage />} />
          <Route path="tasks/:id" element={<WorkerCasePage />} />
          <Route path="tasks/patrol" element={<PatrolReportPage />} />
          <Route path="me" element={<MobileAccount />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </MobileFrame>
    </MobileShell>
  );
}
