import { useMemo, useSyncExternalStore, type ReactNode } from "react";
import { App as AntdApp, ConfigProvider, unstableSetRender } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { useTranslation } from "react-i18next";
import { react19Render } from "./react19Render";

// antd 5 renders its pop-ups with the React 18 API; give it React 19's createRoot.
unstableSetRender(react19Render);

/** System fonts only: nothing is fetched from a font CDN. */
const systemFonts =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
  '"Source Han Sans SC", "WenQuanYi Micro Hei", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const theme = {
  token: {
    colorPrimary: "#c0392b",
    colorLink: "#1f5fa8",
    borderRadius: 6,
    fontFamily: systemFonts,
    // Drawers, dialogs, menus and messages open above the console's fixed header (z-index 1001,
    // which keeps it over the maps' controls) rather than under it.
    zIndexPopupBase: 1100,
  },
};

const reducedMotionQuery = "(prefers-reduced-motion: reduce)";

function subscribeReducedMotion(onChange: () => void): () => void {
  const list = window.matchMedia(reducedMotionQuery);
  list.addEventListener("change", onChange);
  return () => list.removeEventListener("change", onChange);
}

/**
 * Whether the person asked their system for less motion (减弱动态效果). Then dialogs and drawers
 * open and close at once, without zooming or sliding: for people who get dizzy from motion, and
 * it makes a closed dialog gone at once rather than when its closing animation reports its end.
 */
function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribeReducedMotion, () => window.matchMedia(reducedMotionQuery).matches, () => false);
}

/** antd with the interface language's locale and the platform's theme (desktop console, login). */
export function AntdShell({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const reducedMotion = usePrefersReducedMotion();
  const themed = useMemo(() => ({ token: { ...theme.token, motion: !reducedMotion } }), [reducedMotion]);
  // Date pickers take month and weekday names from dayjs, not from antd's locale.
  dayjs.locale(i18n.language === "en" ? "en" : "zh-cn");
  return (
    <ConfigProvider locale={i18n.language === "en" ? enUS : zhCN} theme={themed}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}
