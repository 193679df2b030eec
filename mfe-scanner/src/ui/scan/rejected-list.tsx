import { useState } from "react";
import { formatWhen } from "../i18n";
import { useScanner } from "../scanner-context";

/**
 * Scans the server refused with their batch (e.g. a performance this login may no longer scan):
 * kept on the device and never retried by themselves; « Renvoyer » sends them again.
 */
export function RejectedList() {
  const { engine, locale, t } = useScanner();
  const [busy, setBusy] = useState(false);
  const rejected = engine.rejected();
  if (rejected.length === 0) return null;
  return (
    <section className="sc-conflicts" aria-labelledby="sc-rejected-title">
      <h2 id="sc-rejected-title">{t("rejectedTitle")}</h2>
      <p>{t("rejectedHelp")}</p>
      <ul data-testid="rejected">
        {rejected.map((r) => (
          <li key={r.clientScanId}>
            <span className="sc-conflict-code">{r.barcode}</span>
            <span className="sc-muted">{formatWhen(r.at, locale)}</span>
            <span>{r.message}</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="sc-big"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          engine
            .retryRejected()
            .catch(() => undefined)
            .finally(() => setBusy(false));
        }}
      >
        {t("resend")}
      </button>
    </section>
  );
}
