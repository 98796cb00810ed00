import { Suspense } from "react";
import { Route, Routes } from "react-router-dom";
import { MobileShell } from "../../components/MobileShell";
import { FullPageSpinner, NotFoundPage } from "../../components/FullPage";
import "./public.css";
import { lazyPage } from "../../components/lazyPage";

const CommunityPickerPage = lazyPage(() => import("./CommunityPickerPage"), "CommunityPickerPage");
const PublicBoardPage = lazyPage(() => import("./PublicBoardPage"), "PublicBoardPage");

/** Public pages (no login): each community's board of cases. */
export default function PublicApp() {
  return (
    <MobileShell>
      <Suspense fallback={<FullPageSpinner />}>
        <Routes>
          <Route path="communities" element={<CommunityPickerPage />} />
          <Route path="communities/:id/cases" element={<PublicBoardPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </MobileShell>
  );
}
