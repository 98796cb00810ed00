import { Suspense } from "react";
import { Route, Routes } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { EditOutlined, HomeOutlined, ProfileOutlined, UserOutlined } from "@ant-design/icons";
import { MobileFrame } from "../../components/MobileFrame";
import { MobileShell } from "../../components/MobileShell";
import { FullPageSpinner, NotFoundPage } from "../../components/FullPage";
import { MobileAccount } from "../../features/auth/MobileAccount";
import { MobileInboxBell } from "../../features/notify/MobileInboxBell";
import { ResidentHome } from "./ResidentHome";
import { lazyPage } from "../../components/lazyPage";

const ReportPage = lazyPage(() => import("./ReportPage"), "ReportPage");
const PartyRegisterPage = lazyPage(() => import("./PartyRegisterPage"), "PartyRegisterPage");
const MyCasesPage = lazyPage(() => import("./MyCasesPage"), "MyCasesPage");
const ResidentCasePage = lazyPage(() => import("./ResidentCasePage"), "ResidentCasePage");

/** The resident's phone site: home, 我要反映, 我的诉求, 我的. */
export default function ResidentApp() {
  const { t } = useTranslation();
  const tabs = [
    { path: "/resident", title: t("resident.tabs.home"), icon: <HomeOutlined /> },
    { path: "/resident/report", title: t("resident.tabs.report"), icon: <EditOutlined /> },
    { path: "/resident/cases", title: t("resident.tabs.cases"), icon: <ProfileOutlined /> },
    { path: "/resident/me", title: t("resident.tabs.me"), icon: <UserOutlined /> },
  ];
  return (
    <MobileShell>
      <MobileFrame tabs={tabs} right={<MobileInboxBell />}>
        <Suspense fallback={<FullPageSpinner />}>
          <Routes>
            <Route index element={<ResidentHome />} />
            <Route path="report" element={<ReportPage />} />
            <Route path="cases" element={<MyCasesPage />} />
            <Route path="cases/:id" element={<ResidentCasePage />} />
            <Route path="party" element={<PartyRegisterPage />} />
            <Route path="me" element={<MobileAccount />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </MobileFrame>
    </MobileShell>
  );
}
