import { useTranslation } from "react-i18next";
import { languages } from "../../i18n";
import { languageNames, useLanguage } from "../../components/useLanguage";

/** 中文 | English as two links, for the public pages' footer. */
export function PublicLanguage() {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <nav className="gz-public-lang" aria-label={t("board.language")}>
      {languages.map((l) => (
        <button key={l} type="button" aria-pressed={l === language} onClick={() => setLanguage(l)}>
          {languageNames[l]}
        </button>
      ))}
    </nav>
  );
}
