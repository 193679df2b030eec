import { type FormEvent, useId, useState } from "react";
import { FormFooter } from "../common/form-footer";
import { useBackOffice } from "../common/page-frame";
import type { ControlMode, PerformanceInput, PerformanceRow } from "./venues.queries";

const PARIS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** Paris wall time of an instant, as `YYYY-MM-DDTHH:mm` (the performances take place in Paris). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const p = Object.fromEntries(PARIS.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant of a Paris wall time (`YYYY-MM-DDTHH:mm`), whatever the browser's time zone. */
function fromLocalInput(value: string): string {
  if (!value) return "";
  const asUtc = Date.parse(`${value}:00Z`);
  if (Number.isNaN(asUtc)) return "";
  // The offset is Paris's at that moment; a second pass settles the days clocks change.
  let instant = asUtc;
  for (let i = 0; i < 2; i++)
    instant = asUtc - (Date.parse(`${toLocalInput(new Date(instant).toISOString())}:00Z`) - instant);
  return new Date(instant).toISOString();
}

interface Props {
  performance?: PerformanceRow;
  title: string;
  onSubmit(input: PerformanceInput): Promise<void>;
  onCancel(): void;
}

/**
 * A performance's form: the dated / undated choice (an undated one has a label the scanner shows
 * and a validity period), its times, the import end, the control mode and its limits.
 */
export function PerformanceForm({ performance, title, onSubmit, onCancel }: Props) {
  const { t, notify } = useBackOffice();
  const id = useId();
  const [dated, setDated] = useState(performance?.dated ?? true);
  const [startsAt, setStartsAt] = useState(toLocalInput(performance?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(performance?.endsAt));
  const [label, setLabel] = useState(performance?.label ?? "");
  const [importEndsAt, setImportEndsAt] = useState(toLocalInput(performance?.importEndsAt));
  const [controlEnabled, setControlEnabled] = useState(performance?.controlEnabled ?? false);
  const [controlMode, setControlMode] = useState<ControlMode>(performance?.controlMode ?? "single");
  const [maxPasses, setMaxPasses] = useState(String(performance?.maxPasses ?? ""));
  const [maxPassesPerDay, setMaxPassesPerDay] = useState(String(performance?.maxPassesPerDay ?? ""));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!fromLocalInput(startsAt) || !fromLocalInput(endsAt)) {
      setError(t("datesRequired"));
      notify(t("datesRequired"), "error");
      return;
    }
    setBusy(true);
    setError("");
    try {
      await onSubmit({
        dated,
        startsAt: fromLocalInput(startsAt),
        endsAt: fromLocalInput(endsAt),
        ...(dated ? {} : { label }),
        ...(importEndsAt ? { importEndsAt: fromLocalInput(importEndsAt) } : {}),
        controlEnabled,
        controlMode,
        ...(controlMode === "multi" && maxPasses ? { maxPasses: Number(maxPasses) } : {}),
        ...(controlMode === "multi" && maxPassesPerDay ? { maxPassesPerDay: Number(maxPassesPerDay) } : {}),
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (
    key: string,
    text: string,
    value: string,
    set: (v: string) => void,
    type = "datetime-local",
  ) => (
    <div className="bo-field">
      <label htmlFor={`${id}-${key}`}>{text}</label>
      <input id={`${id}-${key}`} type={type} value={value} onChange={(e) => set(e.target.value)} />
    </div>
  );

  return (
    <form className="bo-panel" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <fieldset disabled={busy}>
        <fieldset>
          <legend>{t("dateKind")}</legend>
          <span className="bo-field-inline">
            <input id={`${id}-dated`} type="radio" checked={dated} onChange={() => setDated(true)} />
            <label htmlFor={`${id}-dated`}>{t("datedChoice")}</label>
          </span>
          <span className="bo-field-inline">
            <input id={`${id}-undated`} type="radio" checked={!dated} onChange={() => setDated(false)} />
            <label htmlFor={`${id}-undated`}>{t("undatedChoice")}</label>
          </span>
        </fieldset>
        {!dated && field("label", t("labelField"), label, setLabel, "text")}
        <p className="bo-help">{t("parisTime")}</p>
        {field("starts", dated ? t("startsAt") : t("validFrom"), startsAt, setStartsAt)}
        {field("ends", dated ? t("endsAt") : t("validTo"), endsAt, setEndsAt)}
        {field("import", t("importEndField"), importEndsAt, setImportEndsAt)}
        <div className="bo-field">
          <label htmlFor={`${id}-mode`}>{t("controlMode")}</label>
          <select
            id={`${id}-mode`}
            value={controlMode}
            onChange={(e) => setControlMode(e.target.value as ControlMode)}
          >
            <option value="single">{t("modeSingle")}</option>
            <option value="inOut">{t("modeInOut")}</option>
            <option value="multi">{t("modeMulti")}</option>
          </select>
        </div>
        {controlMode === "multi" && (
          <>
            {field("max", t("maxPasses"), maxPasses, setMaxPasses, "number")}
            {field("maxday", t("maxPassesPerDay"), maxPassesPerDay, setMaxPassesPerDay, "number")}
          </>
        )}
        <div className="bo-field bo-field-inline">
          <input
            id={`${id}-control`}
            type="checkbox"
            checked={controlEnabled}
            onChange={(e) => setControlEnabled(e.target.checked)}
          />
          <label htmlFor={`${id}-control`}>{t("control")}</label>
        </div>
        <FormFooter error={error} submitLabel={performance ? t("save") : t("create")} onCancel={onCancel} />
      </fieldset>
    </form>
  );
}
