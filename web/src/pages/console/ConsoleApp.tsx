import { Route, Routes } from "react-router-dom";
import { AntdShell } from "../../components/AntdShell";
import { NotFoundPage } from "../../components/FullPage";
import { AreasPage } from "./AreasPage";
import { ConsoleLayout } from "./ConsoleLayout";
import { OverviewPage } from "./OverviewPage";

/** The desktop console for communities, streets, departments and districts. */
export default function ConsoleApp() {
  return (
    <AntdShell>
      <Routes>
        <Route element={<ConsoleLayout />}>
          <Route index element={<OverviewPage />} />
          <Route path="areas/:id?" element={<AreasPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AntdShell>
  );
}
