import { ConnectorError } from "@billetix/connector-sdk";

/** The ticket fields a column can be mapped to. */
export type MappedField = "barcode" | "category" | "holderName" | "seat" | "price" | "state";

/** In mapping order: a column the barcode took is not offered to the later fields. */
export const MAPPED_FIELDS: readonly MappedField[] = [
  "barcode",
  "state",
  "price",
  "seat",
  "category",
  "holderName",
];

/** How each field is named in messages, in French, with its article. */
export const FIELD_NAMES: Record<MappedField, string> = {
  barcode: "le code-barre",
  category: "la catégorie",
  holderName: "le nom du porteur",
  seat: "la place",
  price: "le prix",
  state: "l'annulation",
};

/**
 * Headers recognised when a field's column is not named in the configuration, best first:
 * with both "Code barre" and "Numéro" in a file, the barcode is "Code barre".
 */
export const DEFAULT_HEADERS: Record<MappedField, readonly string[]> = {
  barcode: [
    "code barre",
    "code-barre",
    "codes barres",
    "code barre billet",
    "numéro de billet",
    "numéro du billet",
    "numéro billet",
    "n° billet",
    "n° de billet",
    "num billet",
    "barcode",
    "bar code",
    "ticket number",
    "ticket no",
    "ticket id",
    "ticket code",
    "qr code",
    "numéro de ticket",
    "n° ticket",
    "numéro",
    "numero",
    "n°",
    "billet",
    "ticket",
    "code",
  ],
  state: [
    "annulé",
    "annulation",
    "billet annulé",
    "cancelled",
    "canceled",
    "cancellation",
    "état",
    "état du billet",
    "statut",
    "status",
    "state",
  ],
  price: ["prix", "prix ttc", "prix payé", "montant", "montant ttc", "price", "amount", "prix du billet"],
  seat: ["place", "n° place", "numéro de place", "siège", "fauteuil", "placement", "seat", "seat number"],
  category: [
    "catégorie",
    "catégorie de place",
    "category",
    "tarif",
    "type de billet",
    "type billet",
    "ticket type",
    "type",
  ],
  holderName: [
    "nom du porteur",
    "porteur",
    "titulaire",
    "nom prénom",
    "nom et prénom",
    "prénom nom",
    "nom client",
    "nom du client",
    "client",
    "spectateur",
    "acheteur",
    "nom",
    "holder name",
    "holder",
    "customer name",
    "customer",
    "attendee",
    "name",
  ],
};

/**
 * A header as compared with the configuration and the defaults: lower case, without accents,
 * spaces, `-`, `_`, `.` or apostrophes; `°` and `º` read as `o` (so "N° billet" = "No billet").
 *
 * @example
 * normalizeHeader(" Numéro de  Billet "); // "numerodebillet"
 * normalizeHeader("Code-Barre"); // "codebarre"
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[°º]/g, "o")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s\-_.'’]+/g, "");
}

/**
 * A cell value as compared with the "cancelled" and "duplicated" lists: trimmed, lower case,
 * without accents, inner spaces collapsed.
 */
export function normalizeValue(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim().replace(/\s+/g, " ");
}

/** Splits a comma-separated list of values, normalised by {@link normalizeValue}; blanks dropped. */
export function valueList(text: string | undefined): Set<string> {
  return new Set(
    (text ?? "")
      .split(",")
      .map(normalizeValue)
      .filter((v) => v !== ""),
  );
}

/** Where each field sits in a row, and the other columns, keyed by their header as written. */
export interface ColumnLayout {
  fields: Partial<Record<MappedField, number>>;
  /** Barcode's column, always found. */
  barcode: number;
  extra: { index: number; key: string }[];
  /** The headers as written, trimmed, for messages. */
  headers: string[];
}

/** The column names from the configuration, by field; blank or missing ones fall back to defaults. */
export type ColumnMapping = Partial<Record<MappedField, string | undefined>>;

/** « A », « B », « C » — the headers found, for a message. */
export function listHeaders(headers: readonly string[]): string {
  const named = headers.filter((h) => h !== "");
  if (named.length === 0) return "aucune";
  const shown = named.slice(0, 30).map((h) => `« ${h.length > 40 ? `${h.slice(0, 40)}…` : h} »`);
  return named.length > 30 ? `${shown.join(", ")}… (${named.length} colonnes)` : shown.join(", ");
}

/**
 * Finds each field's column in a header row. A field named in `mapping` must be there; the
 * others are looked up among {@link DEFAULT_HEADERS}, and may be absent, except the barcode.
 *
 * @param line - the header's line in the file, for messages
 * @throws ConnectorError `bad-file` when the barcode column or a named column is missing
 */
export function resolveColumns(
  rawHeaders: readonly string[],
  mapping: ColumnMapping,
  line: number,
): ColumnLayout {
  const headers = rawHeaders.map((h) => h.trim());
  const normalized = headers.map(normalizeHeader);
  const taken = new Set<number>();
  const fields: Partial<Record<MappedField, number>> = {};

  for (const field of MAPPED_FIELDS) {
    const wanted = mapping[field]?.trim();
    if (!wanted) continue;
    const index = normalized.findIndex((h, i) => h === normalizeHeader(wanted) && !taken.has(i));
    if (index < 0)
      throw new ConnectorError(
        "bad-file",
        `Ligne ${line} : la colonne « ${wanted} », indiquée pour ${FIELD_NAMES[field]}, est absente de l'en-tête. ` +
          `Colonnes trouvées : ${listHeaders(headers)}.`,
        { line },
      );
    fields[field] = index;
    taken.add(index);
  }
  for (const field of MAPPED_FIELDS) {
    if (fields[field] !== undefined || mapping[field]?.trim()) continue;
    for (const candidate of DEFAULT_HEADERS[field]) {
      const index = normalized.findIndex((h, i) => h === normalizeHeader(candidate) && !taken.has(i));
      if (index >= 0) {
        fields[field] = index;
        taken.add(index);
        break;
      }
    }
  }

  const barcode = fields.barcode;
  if (barcode === undefined)
    throw new ConnectorError(
      "bad-file",
      `Ligne ${line} : aucune colonne de code-barre (numéro de billet) trouvée. Colonnes trouvées : ` +
        `${listHeaders(headers)}. Nommez la colonne du code-barre dans la configuration de la source.`,
      { line },
    );

  const extra: ColumnLayout["extra"] = [];
  const keys = new Set<string>();
  headers.forEach((header, index) => {
    if (taken.has(index)) return;
    let key = header || `Colonne ${index + 1}`;
    for (let n = 2; keys.has(key); n++) key = `${header || `Colonne ${index + 1}`} (${n})`;
    keys.add(key);
    extra.push({ index, key });
  });
  return { fields, barcode, extra, headers };
}
