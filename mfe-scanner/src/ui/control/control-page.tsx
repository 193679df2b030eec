import { type FormEvent, useState } from "react";
import { performanceWhen, useImported } from "../engine/use-imported";
import { formatDateTime } from "../i18n";
import { useScanner } from "../scanner-context";

/** Which imported performances this device checks. Two with a ticket number in common are refused. */
export function ControlPage({ onControlled, onImport }: { onControlled(): void; onImport(): void }) {
  const { engine, locale, t } = useScanner();
  const imported = useImported();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(engine.controlled()));
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const when = (ms: number) => formatDateTime(ms, locale);

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
    setRefusal(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      // Only what is still on the device (a performance may have been removed meanwhile).
      const ids = (imported ?? []).filter((p) => chosen.has(p.id)).map((p) => p.id);
      const selection = await engine.setControlled(ids);
      if (selection.ok) onControlled();
      else setRefusal(selection.message);
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sc-page" aria-labelledby="sc-control-title">
      <h1 id="sc-control-title">{t("controlTitle")}</h1>
      {imported === null ? (
        <p>{t("loading")}</p>
      ) : imported.length === 0 ? (
        <div className="sc-notice">
          <p>{t("controlNothingImported")}</p>
          <button type="button" className="sc-big" onClick={onImport}>
            {t("goImport")}
          </button>
        </div>
      ) : (
        <form onSubmit={submit}>
          <fieldset className="sc-choices">
            <legend>{t("controlHelp")}</legend>
            {imported.map((p) => (
              <label key={p.id} className="sc-choice">
                <input
                  type="checkbox"
                  data-testid={`control-${p.id}`}
                  checked={chosen.has(p.id)}
                  onChange={(e) => toggle(p.id, e.target.checked)}
                />
                <span>
                  <strong>{p.eventName}</strong> — {performanceWhen(p, when)}
                  <span className="sc-muted"> · {p.venueName}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {refusal && (
            <p className="sc-error" role="alert" data-testid="control-refusal">
              {refusal}
            </p>
          )}
          <button type="submit" className="sc-primary sc-big" data-testid="control-submit" disabled={busy}>
            {t("controlAction")}
          </button>
        </form>
      )}
    </section>
  );
}
