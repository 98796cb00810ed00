import type { ReactNode } from "react";
import { ConfigProvider, unstableSetRender } from "antd-mobile";
import enUS from "antd-mobile/es/locales/en-US";
import zhCN from "antd-mobile/es/locales/zh-CN";
import { useTranslation } from "react-i18next";
import { react19Render } from "./react19Render";
import "./mobile.css";

// antd-mobile's Toast / Dialog use the React 18 render API; give them React 19's createRoot.
unstableSetRender(react19Render);

/** antd-mobile with the interface language's locale (the resident and worker phone faces). */
export function MobileShell({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <ConfigProvider locale={i18n.language === "en" ? enUS : zhCN}>{children}</ConfigProvider>;
}
