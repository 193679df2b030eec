import type { ConfigField } from "../sources/sources.queries";
import { useBackOffice } from "./page-frame";

/** A form's values: text for every field, a boolean for checkboxes. */
export type ConfigValues = Record<string, string | boolean>;

/** The first values of a form: what is stored, else the field's default. Secrets are never sent back. */
export function initialValues(schema: ConfigField[], stored?: Record<string, unknown> | null): ConfigValues {
  const values: ConfigValues = {};
  for (const field of schema) {
    const saved = stored?.[field.key];
    if (field.type === "boolean")
      values[field.key] = typeof saved === "boolean" ? saved : (field.defaultValue ?? "") === "true";
    else if (field.type === "secret") values[field.key] = "";
    else if (saved !== undefined && saved !== null) values[field.key] = String(saved);
    else values[field.key] = stored ? "" : (field.defaultValue ?? "");
  }
  return values;
}

/** What goes to the server: an empty secret is left out, so the stored one is kept. */
export function valuesToSend(schema: ConfigField[], values: ConfigValues): ConfigValues {
  const result: ConfigValues = {};
  for (const field of schema) {
    const value = values[field.key];
    if (field.type === "secret" && value === "") continue;
    if (value !== undefined) result[field.key] = typeof value === "string" ? value.trim() : value;
  }
  return result;
}

interface Props {
  idPrefix: string;
  schema: ConfigField[];
  values: ConfigValues;
  onChange(values: ConfigValues): void;
  /** Secrets already stored: shown as « (enregistré) », kept when left empty. */
  secretsSet?: string[];
}

/** A form rendered from a connector's schema: labels tied to inputs, help under each field. */
export function ConfigFields({ idPrefix, schema, values, onChange, secretsSet = [] }: Props) {
  const { t, locale } = useBackOffice();
  const set = (key: string, value: string | boolean) => onChange({ ...values, [key]: value });
  return (
    <>
      {schema.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const helpId = `${id}-help`;
        const label = locale === "en" && field.labelEn ? field.labelEn : field.label;
        const storedSecret = field.type === "secret" && secretsSet.includes(field.key);
        const help = [field.help, storedSecret ? t("secretKeep") : null].filter(Boolean).join(" ");
        const describedBy = help ? helpId : undefined;
        const value = values[field.key];
        const labelText = (
          <>
            {label}
            {field.required && <span className="bo-muted"> ({t("required")})</span>}
          </>
        );
        if (field.type === "boolean")
          return (
            <div key={field.key} className="bo-field">
              <div className="bo-field-inline">
                <input
                  id={id}
                  type="checkbox"
                  checked={value === true}
                  aria-describedby={describedBy}
                  onChange={(e) => set(field.key, e.target.checked)}
                />
                <label htmlFor={id}>{labelText}</label>
              </div>
              {help && (
                <span id={helpId} className="bo-help">
                  {help}
                </span>
              )}
            </div>
          );
        return (
          <div key={field.key} className="bo-field">
            <label htmlFor={id}>{labelText}</label>
            {field.type === "select" ? (
              <select
                id={id}
                value={String(value ?? "")}
                aria-required={field.required}
                aria-describedby={describedBy}
                onChange={(e) => set(field.key, e.target.value)}
              >
                {!field.required && <option value="">—</option>}
                {field.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={
                  field.type === "secret"
                    ? "password"
                    : field.type === "integer"
                      ? "number"
                      : field.type === "url"
                        ? "url"
                        : "text"
                }
                autoComplete={field.type === "secret" ? "new-password" : "off"}
                value={String(value ?? "")}
                min={field.min ?? undefined}
                max={field.max ?? undefined}
                step={field.type === "integer" ? 1 : undefined}
                placeholder={storedSecret ? t("secretStored") : undefined}
                aria-required={field.required && !storedSecret}
                aria-describedby={describedBy}
                onChange={(e) => set(field.key, e.target.value)}
              />
            )}
            {help && (
              <span id={helpId} className="bo-help">
                {help}
              </span>
            )}
          </div>
        );
      })}
    </>
  );
}
