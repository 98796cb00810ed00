/**
 * Interface language: zh-CN first, English second. The choice is kept in localStorage, sent to
 * the API as `Accept-Language`, and drives the antd / antd-mobile locales.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { setApiLanguage } from "./api";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

export const languages = ["zh-CN", "en"] as const;
export type Language = (typeof languages)[number];

const storageKey = "gongzhi.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (languages as readonly string[]).includes(value);
}

function readStored(): Language | null {
  try {
    const v = window.localStorage.getItem(storageKey);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

/** True when the person picked a language on this device (then it wins over the account's). */
export function hasStoredLanguage(): boolean {
  return readStored() !== null;
}

function apply(lang: Language): void {
  setApiLanguage(lang);
  document.documentElement.lang = lang;
  document.title = lang === "en" ? en.app.title : zhCN.app.title;
}

const initial: Language = readStored() ?? "zh-CN";
apply(initial);

void i18n.use(initReactI18next).init({
  resources: {
    "zh-CN": { translation: zhCN },
    en: { translation: en },
  },
  lng: initial,
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "zh-CN";
}

/** Switch the language; `remember: false` follows the account's preference without storing it. */
export async function changeLanguage(lang: Language, remember = true): Promise<void> {
  if (remember) {
    try {
      window.localStorage.setItem(storageKey, lang);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
  apply(lang);
  await i18n.changeLanguage(lang);
}

export default i18n;
