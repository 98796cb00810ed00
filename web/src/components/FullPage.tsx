import { useTranslation } from "react-i18next";

/** Shown while a face's code or the session loads; plain HTML so it costs no UI library. */
export function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="gz-fullpage" role="status" aria-live="polite">
      <div className="gz-spinner" />
      <span>{t("common.loading")}</span>
    </div>
  );
}

export function FullPageError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="gz-fullpage" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="gz-plain-button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="gz-fullpage">
      <h1>404</h1>
      <p>{t("common.pageNotFound")}</p>
      <a href="/">{t("common.backHome")}</a>
    </div>
  );
}
