import { Route, Routes } from "react-router-dom";
import { AntdShell } from "../../components/AntdShell";
import { NotFoundPage } from "../../components/FullPage";
import { ConsoleLayout } from "./ConsoleLayout";
import { lazyPage } from "../../components/lazyPage";

const AreasPage = lazyPage(() => import("./AreasPage"), "AreasPage");
const BuildingPage = lazyPage(() => import("./BuildingPage"), "BuildingPage");
const CoveragePage = lazyPage(() => import("./CoveragePage"), "CoveragePage");
const GridPage = lazyPage(() => import("./GridPage"), "GridPage");
const HouseholdPage = lazyPage(() => import("./HouseholdPage"), "HouseholdPage");
const ImportPage = lazyPage(() => import("./ImportPage"), "ImportPage");
const OrganizationsPage = lazyPage(() => import("./OrganizationsPage"), "OrganizationsPage");
const OrganizationPage = lazyPage(() => import("./OrganizationPage"), "OrganizationPage");
const CrossAppointmentsPage = lazyPage(() => import("./CrossAppointmentsPage"), "CrossAppointmentsPage");
const PartyMembersPage = lazyPage(() => import("./PartyMembersPage"), "PartyMembersPage");
const PartyRegistrationsPage = lazyPage(() => import("./PartyRegistrationsPage"), "PartyRegistrationsPage");
const OverviewPage = lazyPage(() => import("./OverviewPage"), "OverviewPage");
const PersonPage = lazyPage(() => import("./PersonPage"), "PersonPage");
const MeasuresPage = lazyPage(() => import("./MeasuresPage"), "MeasuresPage");
const CaseCataloguePage = lazyPage(() => import("./CaseCataloguePage"), "CaseCataloguePage");
const SummonsQueuePage = lazyPage(() => import("./SummonsQueuePage"), "SummonsQueuePage");
const CasesPage = lazyPage(() => import("./CasesPage"), "CasesPage");
const CasePage = lazyPage(() => import("./CasePage"), "CasePage");
const CaseMapPage = lazyPage(() => import("./CaseMapPage"), "CaseMapPage");
const WebhooksPage = lazyPage(() => import("./WebhooksPage"), "WebhooksPage");
const UsersPage = lazyPage(() => import("./UsersPage"), "UsersPage");
const ResidentSignupsPage = lazyPage(() => import("./ResidentSignupsPage"), "ResidentSignupsPage");
const InvitationsPage = lazyPage(() => import("./InvitationsPage"), "InvitationsPage");

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
          <Route path="users" element={<UsersPage />} />
          <Route path="accounts/signups" element={<ResidentSignupsPage />} />
          <Route path="accounts/invitations" element={<InvitationsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AntdShell>
  );
}
