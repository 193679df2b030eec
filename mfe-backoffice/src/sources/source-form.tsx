import { type FormEvent, useId, useState } from "react";
import { ConfigFields, type ConfigValues, initialValues, valuesToSend } from "../common/config-fields";
import { FormFooter } from "../common/form-footer";
import { useBackOffice } from "../common/page-frame";
import type { Source, SourceFieldsInput, SourceType } from "./sources.queries";

interface Props {
  type: SourceType;
  /** The source being edited; absent when creating one. */
  source?: Source;
  title: string;
  /** Resolves when saved; throws (and the form keeps its values) when the server refuses. */
  onSubmit(input: SourceFieldsInput): Promise<boolean>;
  onCancel(): void;
}

const asNumber = (text: string) => (text.trim() === "" ? undefined : Number(text));

/** A source's form: its name, the type's own fields and, for online sources, the sync intervals. */
export function SourceForm({ type, source, title, onSubmit, onCancel }: Props) {
  const { t } = useBackOffice();
  const id = useId();
  const [name, setName] = useState(source?.name ?? type.label);
  const [values, setValues] = useState<ConfigValues>(() => initialValues(type.sourceConfig, source?.config));
  const [slow, setSlow] = useState(String(source?.syncSlowEveryMinutes ?? ""));
  const [fast, setFast] = useState(String(source?.syncFastEveryMinutes ?? ""));
  const [windowHours, setWindowHours] = useState(String(source?.fastWindowHours ?? ""));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const online = type.kind === "online";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const input: SourceFieldsInput = { name, config: valuesToSend(type.sourceConfig, values) };
      if (online) {
        input.syncSlowEveryMinutes = asNumber(slow);
        input.syncFastEveryMinutes = asNumber(fast);
        input.fastWindowHours = asNumber(windowHours);
      }
      const ok = await onSubmit(input);
      if (!ok) setBusy(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <form className="bo-panel" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {type.description && <p className="bo-help">{type.description}</p>}
      <fieldset disabled={busy}>
        <div className="bo-field">
          <label htmlFor={`${id}-name`}>
            {t("name")} <span className="bo-muted">({t("required")})</span>
          </label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-required />
        </div>
        <ConfigFields
          idPrefix={`${id}-config`}
          schema={type.sourceConfig}
          values={values}
          onChange={setValues}
          secretsSet={source?.secretsSet}
        />
        {online && (
          <>
            <p className="bo-help">{t("syncHelp")}</p>
            <div className="bo-field">
              <label htmlFor={`${id}-slow`}>{t("syncSlow")}</label>
              <input
                id={`${id}-slow`}
                type="number"
                min={1}
                max={10080}
                value={slow}
                onChange={(e) => setSlow(e.target.value)}
              />
            </div>
            <div className="bo-field">
              <label htmlFor={`${id}-fast`}>{t("syncFast")}</label>
              <input
                id={`${id}-fast`}
                type="number"
                min={1}
                max={10080}
                value={fast}
                onChange={(e) => setFast(e.target.value)}
              />
            </div>
            <div className="bo-field">
              <label htmlFor={`${id}-window`}>{t("fastWindow")}</label>
              <input
                id={`${id}-window`}
                type="number"
                min={0}
                max={720}
                value={windowHours}
                onChange={(e) => setWindowHours(e.target.value)}
              />
            </div>
          </>
        )}
        <FormFooter error={error} submitLabel={source ? t("save") : t("create")} onCancel={onCancel} />
      </fieldset>
    </form>
  );
}
