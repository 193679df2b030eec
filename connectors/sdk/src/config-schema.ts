/**
 * Configuration schemas: what a connector needs per institution (credentials, base URL…) and
 * per performance (the partner's event or date id). The back office renders them as forms and
 * the gateway checks values against them before the connector's own `checkConfig`.
 */

/** The kinds of field a form can render. `secret` values are stored but never shown again. */
export type ConfigFieldType = "text" | "secret" | "url" | "integer" | "boolean" | "select";

export interface ConfigField {
  /** The key in the configuration object; camelCase. */
  key: string;
  /** The label shown in the form, in French. */
  label: string;
  /** The label in English, when it differs. */
  labelEn?: string;
  type: ConfigFieldType;
  required?: boolean;
  /** A short help text under the field, in French. */
  help?: string;
  /** The value a new form starts with. */
  default?: string | number | boolean;
  /** For `integer`. */
  min?: number;
  max?: number;
  /** For `select`. */
  options?: { value: string; label: string }[];
}

export type ConfigSchema = readonly ConfigField[];

/** The values of {@link requestTuningFields}, as the gateway passes them (defaults filled in). */
export interface RequestTuningConfig {
  timeoutSeconds?: number;
  retries?: number;
}

/**
 * The fields an online source offers to tune its calls to the partner: `timeoutSeconds` (per
 * attempt, 1 to 120, default 15) and `retries` (0 to 10, default 3). Turn their values into
 * `fetchJson` options with `requestTuning`.
 *
 * @example
 * export const sourceConfig: ConfigSchema = [
 *   { key: "baseUrl", label: "Adresse du service", type: "url", required: true },
 *   ...requestTuningFields,
 * ];
 */
export const requestTuningFields: ConfigSchema = [
  {
    key: "timeoutSeconds",
    label: "Délai d'attente d'une réponse (secondes)",
    labelEn: "Response timeout (seconds)",
    type: "integer",
    default: 15,
    min: 1,
    max: 120,
  },
  {
    key: "retries",
    label: "Nouvelles tentatives après un échec",
    labelEn: "Retries after a failure",
    type: "integer",
    default: 3,
    min: 0,
    max: 10,
    help: "Après une erreur réseau, un délai dépassé ou une erreur HTTP 5xx, avec une attente croissante.",
  },
];

/** A configuration as stored: flat, keyed by field. */
export type ConfigValues = Record<string, string | number | boolean | undefined>;

const KEY = /^[a-z][a-zA-Z0-9]*$/;
const TYPES: readonly ConfigFieldType[] = ["text", "secret", "url", "integer", "boolean", "select"];

/** Problems in a schema itself (for the registry and the conformance kit); English, for developers. */
export function schemaProblems(schema: unknown, name: string): string[] {
  if (!Array.isArray(schema)) return [`${name} must be an array of fields`];
  const problems: string[] = [];
  const seen = new Set<string>();
  schema.forEach((field: Partial<ConfigField>, i) => {
    const at = `${name}[${i}]`;
    if (typeof field?.key !== "string" || !KEY.test(field.key)) problems.push(`${at}.key must be camelCase`);
    else if (seen.has(field.key)) problems.push(`${at}.key "${field.key}" is repeated`);
    else seen.add(field.key);
    if (typeof field?.label !== "string" || !field.label.trim()) problems.push(`${at}.label is missing`);
    if (!TYPES.includes(field?.type as ConfigFieldType))
      problems.push(`${at}.type must be one of ${TYPES.join(", ")}`);
    if (field?.type === "select" && (!Array.isArray(field.options) || field.options.length === 0))
      problems.push(`${at}.options must list the choices of a select`);
  });
  return problems;
}

/**
 * Checks values against a schema. Returns the values with the schema's types (integers as
 * numbers, booleans as booleans, defaults filled in, unknown keys dropped) and the problems,
 * in French, each naming its field.
 *
 * @example
 * const { values, errors } = checkConfigValues(schema, { baseUrl: "ftp://x" });
 * // errors: ["« Adresse du service » : une adresse http:// ou https:// est attendue."]
 */
export function checkConfigValues(
  schema: ConfigSchema,
  input: unknown,
): { values: ConfigValues; errors: string[] } {
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const values: ConfigValues = {};
  const errors: string[] = [];
  for (const field of schema) {
    const name = `« ${field.label} »`;
    let value = raw[field.key];
    // A blank form field (spaces included) is a missing value, not an empty text.
    if (value === undefined || value === null || isBlank(value)) value = field.default;
    if (value === undefined || isBlank(value)) {
      if (field.required) errors.push(`${name} : ce champ est obligatoire.`);
      continue;
    }
    switch (field.type) {
      case "integer": {
        // Decimal digits only: Number() would also take "0x10" or "1e3".
        const n =
          typeof value === "string" ? (/^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN) : value;
        if (typeof n !== "number" || !Number.isInteger(n)) {
          errors.push(`${name} : un nombre entier est attendu.`);
          continue;
        }
        if (field.min !== undefined && n < field.min) errors.push(`${name} : au moins ${field.min}.`);
        else if (field.max !== undefined && n > field.max) errors.push(`${name} : au plus ${field.max}.`);
        else values[field.key] = n;
        continue;
      }
      case "boolean":
        if (typeof value === "boolean") values[field.key] = value;
        else if (value === "true" || value === "false") values[field.key] = value === "true";
        else errors.push(`${name} : oui ou non est attendu.`);
        continue;
      case "url": {
        const text = String(value).trim();
        let ok = false;
        try {
          ok = ["http:", "https:"].includes(new URL(text).protocol);
        } catch {
          ok = false;
        }
        if (ok) values[field.key] = text;
        else errors.push(`${name} : une adresse http:// ou https:// est attendue.`);
        continue;
      }
      case "select":
        if (field.options?.some((o) => o.value === value)) values[field.key] = String(value);
        else
          errors.push(
            `${name} : choisir parmi ${(field.options ?? []).map((o) => `« ${o.label} »`).join(", ")}.`,
          );
        continue;
      default: {
        if (typeof value !== "string" && typeof value !== "number") {
          errors.push(`${name} : un texte est attendu.`);
          continue;
        }
        const text = String(value);
        if (text.length > 2000) errors.push(`${name} : 2000 caractères au plus.`);
        else values[field.key] = field.type === "secret" ? text : text.trim();
      }
    }
  }
  return { values, errors };
}

function isBlank(value: unknown): boolean {
  return typeof value === "string" && value.trim() === "";
}

/** The keys of a schema's secret fields: stored, used, never returned by the API nor logged. */
export function secretKeys(schema: ConfigSchema): string[] {
  return schema.filter((f) => f.type === "secret").map((f) => f.key);
}
