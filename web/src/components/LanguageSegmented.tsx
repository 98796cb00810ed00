import { Segmented } from "antd";
import { languages, type Language } from "../i18n";
import { languageNames, useLanguage } from "./useLanguage";

/** 中文 | English, for the antd pages (login, console). */
export function LanguageSegmented() {
  const { language, setLanguage } = useLanguage();
  return (
    <Segmented<Language>
      size="small"
      value={language}
      onChange={setLanguage}
      options={languages.map((l) => ({ value: l, label: languageNames[l] }))}
      data-testid="language-switch"
    />
  );
}
