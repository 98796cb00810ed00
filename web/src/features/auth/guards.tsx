import { useEffect, type ReactNode } from "react";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { setUnauthenticatedHandler } from "../../api";
import { FullPageError, FullPageSpinner } from "../../components/FullPage";
import { sessionKey, useSession } from "./session";
import { faceHome, type Face } from "./types";

/** Where /login was reached from, and why. */
export interface LoginState {
  from?: string;
  reason?: string;
}

/** On a 401 from any API call, forget the session and go to /login (remembering where we were). */
export function UnauthenticatedRedirect() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler((code) => {
      const from = window.location.pathname + window.location.search;
      if (window.location.pathname !== "/login") {
        const state: LoginState = { from, reason: code };
        void navigate("/login", { replace: true, state });
      }
      queryClient.setQueryData(sessionKey, null);
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, queryClient]);
  return null;
}

/** Renders its children only for a signed-in person of this face; others are sent home. */
export function RequireFace({ face, children }: { face: Face; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageSpinner />;
  if (session.isError) return <FullPageError message={t("errors.network_error")} onRetry={() => void session.refetch()} />;
  const me = session.data;
  if (!me) {
    const state: LoginState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  if (me.face !== face) return <Navigate to={faceHome[me.face]} replace />;
  return <>{children}</>;
}

/** `/`: the signed-in person's face, or the login page. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.isPending) return <FullPageSpinner />;
  if (session.isError) return <FullPageError message={t("errors.network_error")} onRetry={() => void session.refetch()} />;
  return <Navigate to={session.data ? faceHome[session.data.face] : "/login"} replace />;
}
