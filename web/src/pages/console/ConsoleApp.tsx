import { Route, Routes } from "react-router-dom";
import { AntdShell } from "../../components/AntdShell";
import { NotFoundPage } from "../../components/FullPage";
import { AreasPage } from "./AreasPage";
import { BuildingPage } from "./BuildingPage";
import { ConsoleLayout } from "./ConsoleLayout";
import { CoveragePage } from "./CoveragePage";
import { GridPage } from "./GridPage";
import { HouseholdPage } from "./HouseholdPage";
import { ImportPage } from "./ImportPage";
import { OrganizationsPage } from "./OrganizationsPage";
import { OrganizationPage } from "./OrganizationPage";
import { CrossAppointmentsPage } from "./CrossAppointmentsPage";
import { PartyMembersPage } from "./PartyMembersPage";
import { PartyRegistrationsPage } from "./PartyRegistrationsPage";
import { OverviewPage } from "./OverviewPage";
import { PersonPage } from "./PersonPage";
import { MeasuresPage } from "./MeasuresPage";
import { CaseCataloguePage } from "./CaseCataloguePage";
import { SummonsQueuePage } from "./SummonsQueuePage";
import { CasesPage } from "./CasesPage";
import { CasePage } from "./CasePage";
import { CaseMapPage } from "./CaseMapPage";
import { WebhooksPage } from "./WebhooksPage";

/** The desktop console for communities, streets, departments and districts. */
export default function ConsoleApp() {
  return (
    <AntdShell>
      <Routes>
        <Route element={<ConsoleLayout />}>
          <Route index element={<OverviewPage />} />
          <Route path="areas/:id?" element={<AreasPage />} />
          <Route path="grids/:id" element={<GridPage />} />
          <Route path="buildings/:id" element={<BuildingPage />} />
          <Route path="households/:id" element={<HouseholdPage />} />
          <Route path="persons/:id" element={<PersonPage />} />
          <Route path="organizations" element={<OrganizationsPage />} />
          <Route path="organizations/cross-appointments" element={<CrossAppointmentsPage />} />
          <Route path="organizations/:id" element={<OrganizationPage />} />
          <Route path="party/members" element={<PartyMembersPage />} />
          <Route path="party/registrations" element={<PartyRegistrationsPage />} />
          <Route path="coverage" element={<CoveragePage />} />
          <Route path="imports" element={<ImportPage />} />
          <Route path="measures" element={<MeasuresPage />} />
          <Route path="case-categories" element={<CaseCataloguePage />} />
          <Route path="summons" element={<SummonsQueuePage />} />
          <Route path="cases" element={<CasesPage />} />
          <Route path="cases/map" element={<CaseMapPage />} />
          <Route path="cases/:id" element={<CasePage />} />
          <Route path="webhooks" element={<WebhooksPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AntdShell>
  );
}
