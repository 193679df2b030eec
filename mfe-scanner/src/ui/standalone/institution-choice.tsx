import type { CurrentInstitution } from "@billetix/web-contract";
import type { Translate } from "../i18n";

/** Where to scan, among the institutions this login scans for; the last one used comes first. */
export function InstitutionChoice({
  institutions,
  last,
  t,
  onChoose,
  onCancel,
}: {
  institutions: CurrentInstitution[];
  last: CurrentInstitution | null;
  t: Translate;
  onChoose(institution: CurrentInstitution): void;
  onCancel?: () => void;
}) {
  const ordered = [...institutions].sort((a, b) => Number(b.id === last?.id) - Number(a.id === last?.id));
  return (
    <main className="sc-card" data-testid="institution-choice">
      <h1>{t("chooseInstitution")}</h1>
      {ordered.length === 0 ? (
        <p className="sc-error" role="alert">
          {t("noScannerInstitution")}
        </p>
      ) : (
        <ul className="sc-institutions">
          {ordered.map((institution, i) => (
            <li key={institution.id}>
              <button
                type="button"
                className={institution.id === last?.id ? "sc-primary" : undefined}
                data-testid={`choose-institution-${institution.id}`}
                // biome-ignore lint/a11y/noAutofocus: the first choice is where the operator starts
                autoFocus={i === 0}
                onClick={() => onChoose(institution)}
              >
                {institution.name}
                {institution.id === last?.id && <span> ({t("lastUsed")})</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {onCancel && (
        <div className="sc-actions">
          <button type="button" className="sc-big" onClick={onCancel}>
            {t("cancel")}
          </button>
        </div>
      )}
    </main>
  );
}
