import { Suspense } from "react";
import { Route, Routes } from "react-router-dom";
import { MobileShell } from "../../components/MobileShell";
import { FullPageSpinner, NotFoundPage } from "../../components/FullPage";
import { lazyPage } from "../../components/lazyPage";
import "../public/public.css";

const SignupPage = lazyPage(() => import("./SignupPage"), "SignupPage");
const InviteSignupPage = lazyPage(() => import("./InviteSignupPage"), "InviteSignupPage");

/** 居民注册 (no login): sign up with the community's registry check, or with a household's invitation code. */
export default function SignupApp() {
  return (
    <MobileShell>
      <Suspense fallback={<FullPageSpinner />}>
        <Routes>
          <Route index element={<SignupPage />} />
          <Route path="invite" element={<InviteSignupPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </MobileShell>
  );
}
