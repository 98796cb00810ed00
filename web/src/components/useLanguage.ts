import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { changeLanguage, isLanguage, type Language } from "../i18n";

/** Language names are written in their own language, so anyone can find theirs. */
export const languageNames: Record<Language, string> = { "zh-CN": "中文", en: "English" };

/** The current language and a setter that also refetches server text in the new language. */
export function useLanguage(): { language: Language; setLanguage: (lang: Language) => void } {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const language: Language = isLanguage(i18n.language) ? i18n.language : "zh-CN";
  const setLanguage = useCallback(
    (lang: Language) => {
      void changeLanguage(lang).then(() => queryClient.invalidateQueries());
    },
    [queryClient],
  );
  return { language, setLanguage };
}
