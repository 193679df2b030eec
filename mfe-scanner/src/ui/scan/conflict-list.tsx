import { formatWhen } from "../i18n";
import { useScanner } from "../scanner-context";

/** Scans the server decided otherwise (e.g. two doors admitted the same ticket while offline). */
export function ConflictList() {
  const { engine, locale, t } = useScanner();
  const conflicts = engine.conflicts();
  if (conflicts.length === 0) return null;
  return (
    <section id="sc-conflicts" className="sc-conflicts" aria-labelledby="sc-conflicts-title">
      <h2 id="sc-conflicts-title">{t("conflicts")}</h2>
      <p className="sc-muted">{t("conflictsHelp")}</p>
      <ul data-testid="conflicts">
        {conflicts.map((c) => (
          <li key={c.clientScanId} data-testid="conflict">
            <span className="sc-conflict-code">{c.barcode}</span>
            <span className="sc-muted">{formatWhen(c.at, locale)}</span>
            <span>{c.message}</span>
            <button
              type="button"
              onClick={() =>
                void Promise.resolve(engine.dismissConflict(c.clientScanId)).catch(() => undefined)
              }
            >
              {t("dismiss")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
