import type { Translate } from "../i18n";
import { useWaitingUpdate } from "./service-worker";

/** « Nouvelle version disponible » with « Mettre à jour » once a new version is installed. */
export function UpdatePrompt({ t }: { t: Translate }) {
  const apply = useWaitingUpdate();
  if (!apply) return null;
  return (
    <div className="sc-update" role="status" data-testid="update-available">
      <span>{t("updateAvailable")}</span>
      <button type="button" className="sc-primary" data-testid="update-now" onClick={apply}>
        {t("updateNow")}
      </button>
    </div>
  );
}
