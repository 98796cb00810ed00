import { Route, Routes } from "react-router-dom";
import { MobileShell } from "../../components/MobileShell";
import { NotFoundPage } from "../../components/FullPage";
import { CommunityPickerPage } from "./CommunityPickerPage";
import { PublicBoardPage } from "./PublicBoardPage";
import "./public.css";

/** Public pages (no login): each community's board of cases. */
export default function PublicApp() {
  return (
    <MobileShell>
      <Routes>
        <Route path="communities" element={<CommunityPickerPage />} />
        <Route path="communities/:id/cases" element={<PublicBoardPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </MobileShell>
  );
}
