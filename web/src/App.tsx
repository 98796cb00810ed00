import { lazy, Suspense } from "react";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ApiError } from "./api";
import { FullPageSpinner, NotFoundPage } from "./components/FullPage";
import { HomeRedirect, RequireFace, UnauthenticatedRedirect } from "./features/auth/guards";

// Each face is its own chunk: a resident's phone never downloads the desktop console.
const LoginPage = lazy(() => import("./pages/login/LoginPage"));
const ConsoleApp = lazy(() => import("./pages/console/ConsoleApp"));
const WorkerApp = lazy(() => import("./pages/worker/WorkerApp"));
const ResidentApp = lazy(() => import("./pages/resident/ResidentApp"));
const PublicApp = lazy(() => import("./pages/public/PublicApp"));
const ChangePasswordPage = lazy(() => import("./pages/login/PasswordPages").then((m) => ({ default: m.ChangePasswordPage })));
const ResetPasswordPage = lazy(() => import("./pages/login/PasswordPages").then((m) => ({ default: m.ResetPasswordPage })));
const SignupApp = lazy(() => import("./pages/signup/SignupApp"));
const SetupPage = lazy(() => import("./pages/setup/SetupPage"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors (403, 404, 401 …) will not change on retry; network and 5xx might.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <UnauthenticatedRedirect />
        <Suspense fallback={<FullPageSpinner />}>
          <Routes>
            <Route path="/" element={<HomeRedirect />} />
            <Route path="/login" element={<LoginPage />} />
            {/* 设置新密码 after a password an administrator chose; a one-time reset link's page. */}
            <Route path="/change-password" element={<ChangePasswordPage />} />
            <Route path="/reset/:token" element={<ResetPasswordPage />} />
            {/* 首次设置: only while no system administrator exists (the server answers 409 after). */}
            <Route path="/setup" element={<SetupPage />} />
            {/* Public pages, no login: /public/communities and /public/communities/:id/cases (the board). */}
            <Route path="/public/*" element={<PublicApp />} />
            {/* 居民注册, no login: /signup (checked by the community) and /signup/invite (a household's code). */}
            <Route path="/signup/*" element={<SignupApp />} />
            <Route
              path="/console/*"
              element={
                <RequireFace face="console">
                  <ConsoleApp />
                </RequireFace>
              }
            />
            <Route
              path="/worker/*"
              element={
                <RequireFace face="worker">
                  <WorkerApp />
                </RequireFace>
              }
            />
            <Route
              path="/resident/*"
              element={
                <RequireFace face="resident">
                  <ResidentApp />
                </RequireFace>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
