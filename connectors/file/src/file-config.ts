import {
  type ConfigSchema,
  type ConfigValues,
  ConnectorError,
  checkConfigValues,
} from "@billetix/connector-sdk";
import type { Delimiter } from "./delimiter";
import { type ColumnMapping, FIELD_NAMES, type MappedField, normalizeHeader, valueList } from "./header";

export const DEFAULT_CANCELLED_VALUES = "annulé, annule, cancelled, canceled, oui, 1, x, true";
export const DEFAULT_DUPLICATED_VALUES = "dupliqué, duplicata, duplicated, réédité";
export const DEFAULT_MAX_FILE_SIZE_MB = 50;

/** The configuration key of each field's column name. */
export const COLUMN_KEYS: Record<MappedField, string> = {
  barcode: "barcodeColumn",
  category: "categoryColumn",
  holderName: "holderNameColumn",
  seat: "seatColumn",
  price: "priceColumn",
  state: "cancellationColumn",
};

const AUTO = "vide : reconnue d'après son en-tête";

/** A file source's configuration: how to read its files' columns. */
export const fileSourceConfig: ConfigSchema = [
  {
    key: "barcodeColumn",
    label: "Colonne du code-barre",
    labelEn: "Barcode column",
    type: "text",
    help: `En-tête de la colonne du numéro de billet (${AUTO} « Code barre », « Numéro de billet », « Barcode »…).`,
  },
  {
    key: "categoryColumn",
    label: "Colonne de la catégorie",
    labelEn: "Category column",
    type: "text",
    help: `En-tête de la colonne de la catégorie (${AUTO} « Catégorie », « Tarif », « Category »…).`,
  },
  {
    key: "holderNameColumn",
    label: "Colonne du nom du porteur",
    labelEn: "Holder name column",
    type: "text",
    help: `En-tête de la colonne du nom (${AUTO} « Nom », « Porteur », « Client », « Name »…).`,
  },
  {
    key: "seatColumn",
    label: "Colonne de la place",
    labelEn: "Seat column",
    type: "text",
    help: `En-tête de la colonne de la place (${AUTO} « Place », « Siège », « Seat »…).`,
  },
  {
    key: "priceColumn",
    label: "Colonne du prix",
    labelEn: "Price column",
    type: "text",
    help: `En-tête de la colonne du prix, « 12,50 » ou « 12.50 » (${AUTO} « Prix », « Montant », « Price »…).`,
  },
  {
    key: "cancellationColumn",
    label: "Colonne de l'annulation",
    labelEn: "Cancellation column",
    type: "text",
    help: `En-tête de la colonne qui dit si le billet est annulé ou dupliqué (${AUTO} « Annulé », « État », « Statut »…).`,
  },
  {
    key: "cancelledValues",
    label: "Valeurs signifiant « annulé »",
    labelEn: "Values meaning cancelled",
    type: "text",
    default: DEFAULT_CANCELLED_VALUES,
    help: "Séparées par des virgules ; majuscules et accents ne comptent pas.",
  },
  {
    key: "duplicatedValues",
    label: "Valeurs signifiant « dupliqué »",
    labelEn: "Values meaning duplicated",
    type: "text",
    default: DEFAULT_DUPLICATED_VALUES,
    help: "Séparées par des virgules : le billet a été réédité, l'ancien numéro est refusé.",
  },
  {
    key: "delimiter",
    label: "Séparateur (CSV)",
    labelEn: "CSV delimiter",
    type: "select",
    default: "auto",
    options: [
      { value: "auto", label: "Automatique" },
      { value: ";", label: "Point-virgule (;)" },
      { value: ",", label: "Virgule (,)" },
      { value: "tab", label: "Tabulation" },
      { value: "|", label: "Barre verticale (|)" },
    ],
    help: "Automatique : celui que la ligne d'en-tête emploie le plus.",
  },
  {
    key: "maxFileSizeMb",
    label: "Taille maximale d'un fichier (Mo)",
    labelEn: "Maximum file size (MB)",
    type: "integer",
    default: DEFAULT_MAX_FILE_SIZE_MB,
    min: 1,
    max: 500,
  },
];

/** A file source's configuration, read and defaulted. */
export interface FileOptions {
  mapping: ColumnMapping;
  cancelled: Set<string>;
  duplicated: Set<string>;
  /** Undefined: detected from the header line. */
  delimiter?: Delimiter;
  maxBytes: number;
}

/**
 * Problems of a configuration that its schema cannot express, in French: the same column for two
 * fields, a value meaning both cancelled and duplicated.
 */
export function fileConfigProblems(config: ConfigValues): string[] {
  const problems: string[] = [];
  const byHeader = new Map<string, MappedField>();
  for (const [field, key] of Object.entries(COLUMN_KEYS) as [MappedField, string][]) {
    const name = text(config[key]);
    if (!name) continue;
    const other = byHeader.get(normalizeHeader(name));
    if (other)
      problems.push(
        `La colonne « ${name} » est choisie à la fois pour ${FIELD_NAMES[other]} et pour ` +
          `${FIELD_NAMES[field]} : une colonne ne sert qu'à un champ.`,
      );
    else byHeader.set(normalizeHeader(name), field);
  }
  const cancelled = valueList(text(config.cancelledValues) ?? DEFAULT_CANCELLED_VALUES);
  const duplicated = valueList(text(config.duplicatedValues) ?? DEFAULT_DUPLICATED_VALUES);
  const both = [...cancelled].filter((v) => duplicated.has(v));
  if (both.length)
    problems.push(
      `${both.map((v) => `« ${v} »`).join(", ")} figure à la fois dans « Valeurs signifiant « annulé » » ` +
        "et dans « Valeurs signifiant « dupliqué » » : un billet ne peut être les deux.",
    );
  if (cancelled.size === 0 && text(config.cancelledValues) !== undefined)
    problems.push("« Valeurs signifiant « annulé » » : indiquez au moins une valeur.");
  return problems;
}

/**
 * Reads a configuration as `parseFile` receives it (the gateway has checked it already, tests may
 * not have): defaults filled in, problems refused.
 *
 * @throws ConnectorError `bad-config`
 */
export function fileOptions(config: ConfigValues): FileOptions {
  const { values, errors } = checkConfigValues(fileSourceConfig, config);
  const problems = [...errors, ...fileConfigProblems(values)];
  if (problems.length)
    throw new ConnectorError("bad-config", `Source mal paramétrée : ${problems.join(" ")}`);
  const mapping: ColumnMapping = {};
  for (const [field, key] of Object.entries(COLUMN_KEYS) as [MappedField, string][])
    mapping[field] = text(values[key]);
  const delimiter = text(values.delimiter);
  return {
    mapping,
    cancelled: valueList(text(values.cancelledValues)),
    duplicated: valueList(text(values.duplicatedValues)),
    delimiter:
      delimiter === undefined || delimiter === "auto"
        ? undefined
        : ((delimiter === "tab" ? "\t" : delimiter) as Delimiter),
    maxBytes: Number(values.maxFileSizeMb ?? DEFAULT_MAX_FILE_SIZE_MB) * 1024 * 1024,
  };
}

function text(value: ConfigValues[string]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === "" ? undefined : s;
}
