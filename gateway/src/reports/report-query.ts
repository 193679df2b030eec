import { REASONS, type Reason } from "@billetix/access-rules";
import { badInput } from "../common/domain-error";
import { escapeRegExp, searchKey } from "../common/text";

export const MAX_QUERY_LENGTH = 100;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

export type SortDirectionValue = "asc" | "desc";

/** The ticket columns a report sorts on, besides `extra.<name>`. */
export const TICKET_SORT_COLUMNS = [
  "barcode",
  "state",
  "category",
  "holderName",
  "seat",
  "price",
  "passes",
  "inside",
  "firstEntryAt",
  "lastScanAt",
] as const;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(TICKET_SORT_COLUMNS);
const EXTRA_PREFIX = "extra.";

/** The accented forms of each base letter (the `i` flag adds the capitals). */
const ACCENTED: Record<string, string> = {
  a: "aàáâãäåāăą",
  c: "cçćčĉċ",
  d: "dď",
  e: "eéèêëēĕėęě",
  g: "gĝğġģ",
  i: "iìíîïĩīĭį",
  n: "nñńņň",
  o: "oòóôõöøōŏő",
  r: "rŕř",
  s: "sśŝşš",
  t: "tţť",
  u: "uùúûüũūŭůűų",
  y: "yýÿŷ",
  z: "zźżž",
};

/**
 * The regular expression of a report search, or undefined for no filter: the query trimmed,
 * escaped, folded like `searchKey`, then each base letter widened to its accented forms, so
 * "helene" finds "Hélène" and "HÉLÈNE". Unanchored: a part of a name or barcode is enough.
 * No stored search field: tickets are written by several paths, none of which would keep it.
 */
export function searchPattern(query: string | null | undefined, field = "q"): RegExp | undefined {
  if (query === null || query === undefined) return undefined;
  if (typeof query !== "string") throw badInput(field, `Le paramètre « ${field} » est invalide.`);
  const trimmed = query.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_QUERY_LENGTH) {
    throw badInput(field, `La recherche est trop longue (${MAX_QUERY_LENGTH} caractères au plus).`);
  }
  const folded = searchKey(escapeRegExp(trimmed))
    .replace(/[a-z]/g, (letter) => (ACCENTED[letter] ? `[${ACCENTED[letter]}]` : letter))
    // Names typed with two spaces, or a tab, are still found.
    .replace(/\s+/g, "\\s+");
  return new RegExp(folded, "i");
}

export interface TicketSort {
  /** What was asked: a known column or `extra.<name>`. */
  column: string;
  /** The extra column's name, when sorting on one. */
  extraName?: string;
  direction: SortDirectionValue;
  /** The MongoDB sort, with `barcode` then `_id` after it so that pages never overlap. */
  spec: Record<string, 1 | -1>;
}

/**
 * Checks a `sortBy`: a known column or `extra.<name>` (whether that extra column exists is checked
 * against the performance's tickets by the caller). Anything else is bad input naming the field.
 */
export function parseTicketSort(
  sortBy: string | null | undefined,
  direction: string | null | undefined,
  field = "sortBy",
): TicketSort {
  const column = sortBy ?? "barcode";
  const dir = parseSortDirection(direction);
  const sign = dir === "asc" ? 1 : -1;
  let path: string;
  let extraName: string | undefined;
  if (typeof column === "string" && KNOWN_COLUMNS.has(column)) {
    path = column;
  } else if (typeof column === "string" && column.startsWith(EXTRA_PREFIX)) {
    extraName = column.slice(EXTRA_PREFIX.length);
    // A MongoDB path cannot address a key with a dot or a leading $: such a column is not sortable.
    if (!extraName || extraName.includes(".") || extraName.startsWith("$") || extraName.length > 200) {
      throw badInput(field, `Tri impossible sur la colonne « ${extraName} ».`);
    }
    path = column;
  } else {
    throw badInput(
      field,
      `Tri impossible sur « ${String(column).slice(0, 100)} » : indiquez une colonne du rapport (${TICKET_SORT_COLUMNS.join(", ")}) ou « extra.<nom de colonne> ».`,
    );
  }
  const spec: Record<string, 1 | -1> = { [path]: sign };
  if (path !== "barcode") spec.barcode = 1;
  spec._id = 1;
  return { column, extraName, direction: dir, spec };
}

export function parseSortDirection(
  value: string | null | undefined,
  field = "sortDirection",
): SortDirectionValue {
  if (value === null || value === undefined) return "asc";
  if (value !== "asc" && value !== "desc") {
    throw badInput(field, `Le paramètre « ${field} » doit valoir « asc » ou « desc ».`);
  }
  return value;
}

export interface PageRequest {
  offset?: number | null;
  limit?: number | null;
}

/** `offset` from 0, `limit` from 1 to 500 (50 when absent). */
export function parsePage(page: PageRequest): { offset: number; limit: number } {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw badInput("offset", "Le champ « offset » doit être un entier positif ou nul.");
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badInput("limit", `Le champ « limit » doit être compris entre 1 et ${MAX_PAGE_SIZE}.`);
  }
  return { offset, limit };
}

export enum ScanOutcome {
  accepted = "accepted",
  refused = "refused",
  conflict = "conflict",
}

export interface ScanLogFilter {
  deviceId?: string | null;
  reason?: string | null;
  outcome?: string | null;
}

/** The query of a scan log: device key, reason code and outcome, each checked. */
export function scanLogWhere(filter: ScanLogFilter): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (filter.deviceId !== null && filter.deviceId !== undefined) {
    if (typeof filter.deviceId !== "string" || filter.deviceId.length < 1 || filter.deviceId.length > 64) {
      throw badInput("deviceId", "Le champ « deviceId » doit être l'identifiant d'un terminal.");
    }
    where.deviceId = filter.deviceId;
  }
  if (filter.reason !== null && filter.reason !== undefined) {
    if (!(REASONS as readonly string[]).includes(filter.reason)) {
      throw badInput("reason", `Motif inconnu pour « reason » : indiquez l'un de ${REASONS.join(", ")}.`);
    }
    where.reason = filter.reason as Reason;
  }
  switch (filter.outcome ?? undefined) {
    case undefined:
      break;
    case ScanOutcome.accepted:
      where.accepted = true;
      break;
    case ScanOutcome.refused:
      where.accepted = false;
      break;
    case ScanOutcome.conflict:
      where.conflict = true;
      break;
    default:
      throw badInput(
        "outcome",
        "Le champ « outcome » doit valoir « accepted », « refused » ou « conflict ».",
      );
  }
  return where;
}
