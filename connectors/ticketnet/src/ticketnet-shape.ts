import {
  type ResponseItem,
  responseShape,
  type TicketRecord,
  type TicketRecordState,
} from "@billetix/connector-sdk";
import type { TicketnetEvent, TicketnetStatus, TicketnetVenue } from "./ticketnet-api";

/**
 * Checks the partner's answers before anything is imported: an answer that does not follow the
 * API stops the sync with `bad-response` and says where, rather than importing half of it.
 */

type Item = ResponseItem;

const STATES: Record<TicketnetStatus, TicketRecordState> = {
  VALID: "valid",
  CANCELLED: "cancelled",
  REPRINTED: "duplicated",
};

/** Ticket fields that have a place of their own in a record; every other one goes to `extra`. */
const MAPPED = new Set(["barcode", "status", "priceCategory", "priceCents", "seat", "customer"]);

/** ISO 8601 with a time and an offset (`Z` or `±hh:mm`), as the API writes every date. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const { problem: shapeError, isItem, list: listOf, id, text } = responseShape("Ticketnet");

function date(item: Item, field: string, what: string, at: string, required: boolean): string | undefined {
  const value = text(item, field, what, at);
  if (!value && !required) return undefined;
  if (!ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value)))
    throw shapeError(
      what,
      `${at} : « ${field} » ${value ? `(« ${value} ») n'est pas une date ISO 8601 avec décalage horaire` : "manque"}`,
    );
  return value;
}

function count(body: Item, field: string, what: string): number {
  const value = body[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw shapeError(what, `« ${field} » n'est pas un nombre entier positif ou nul`);
  return value;
}

/** `POST /auth` → the token. */
export function checkAuth(body: unknown, what: string): { token: string; expiresIn?: number } {
  if (!isItem(body)) throw shapeError(what, "la réponse n'est pas un objet");
  if (typeof body.token !== "string" || !body.token.trim())
    throw shapeError(what, "« token » manque ou est vide");
  const { expiresIn } = body;
  if (expiresIn !== undefined && expiresIn !== null && typeof expiresIn !== "number")
    throw shapeError(what, "« expiresIn » n'est pas un nombre");
  return { token: body.token.trim(), ...(typeof expiresIn === "number" ? { expiresIn } : {}) };
}

/** `GET /venues`. */
export function checkVenues(body: unknown, what: string): TicketnetVenue[] {
  return listOf(body, what, "la liste des lieux").map((item, i) => {
    const at = `lieu n° ${i + 1}`;
    return {
      id: id(item, "id", what, at),
      name: text(item, "name", what, at),
      city: text(item, "city", what, at),
    };
  });
}

/** `GET /venues/{id}/events`, with every date checked (ISO 8601 with an offset). */
export function checkEvents(body: unknown, what: string): TicketnetEvent[] {
  return listOf(body, what, "la liste des événements").map((item, i) => {
    const eventId = id(item, "id", what, `événement n° ${i + 1}`);
    const at = `événement « ${eventId} »`;
    return {
      id: eventId,
      title: text(item, "title", what, at),
      performances: listOf(item.performances ?? [], what, `« performances » de l'${at}`).map((p, j) => {
        const performanceId = id(p, "id", what, `${at}, représentation n° ${j + 1}`);
        const where = `représentation « ${performanceId} »`;
        return {
          id: performanceId,
          startDate: date(p, "startDate", what, where, true) as string,
          endDate: date(p, "endDate", what, where, false) ?? "",
        };
      }),
    };
  });
}

/** One tickets page, checked, with its tickets already mapped to records. */
export interface CheckedTicketsPage {
  pageCount: number;
  totalCount: number;
  serverTime: string;
  records: TicketRecord[];
}

/**
 * Checks page `page` of `GET /performances/{id}/tickets` (asked with `pageSize`) and maps its
 * tickets with {@link mapTicket}.
 */
export function checkTicketsPage(
  body: unknown,
  page: number,
  pageSize: number,
  what: string,
): CheckedTicketsPage {
  if (!isItem(body)) throw shapeError(what, "la réponse n'est pas un objet");
  if (body.page !== page) throw shapeError(what, `« page » vaut ${describe(body.page)} au lieu de ${page}`);
  const pageCount = count(body, "pageCount", what);
  const totalCount = count(body, "totalCount", what);
  const serverTime = date(body, "serverTime", what, "la page", true) as string;
  if (!Array.isArray(body.tickets)) throw shapeError(what, "« tickets » n'est pas une liste");
  const tickets = body.tickets as unknown[];
  if (tickets.length > pageSize)
    throw shapeError(what, `${tickets.length} billets pour une page de ${pageSize} au plus`);
  if (tickets.length === 0 && page < pageCount)
    throw shapeError(what, `page vide alors que « pageCount » en annonce ${pageCount}`);
  const first = (page - 1) * pageSize;
  return {
    pageCount,
    totalCount,
    serverTime,
    records: tickets.map((ticket, i) => mapTicket(ticket, what, `billet n° ${first + i + 1}`)),
  };
}

/**
 * One ticket → a record: VALID → valid, CANCELLED → cancelled, REPRINTED → duplicated;
 * `priceCents` / 100 → price; `{block, row, number}` → "Bloc A, rang 3, place 12";
 * `{firstName, lastName}` → "Prénom Nom"; `priceCategory` → category; `orderRef`, `modifiedAt`
 * and any field this version does not know → `extra`, as text.
 *
 * @example
 * mapTicket({ barcode: "123", status: "REPRINTED", priceCategory: "Cat 1", priceCents: 6500,
 *   seat: { block: "A", row: "3", number: "12" }, customer: { firstName: "Léa", lastName: "Petit" },
 *   orderRef: "TN42", modifiedAt: "2026-11-29T10:00:00.000+01:00" }, "Billets", "billet n° 1");
 * // { barcode: "123", state: "duplicated", category: "Cat 1", price: 65, seat: "Bloc A, rang 3, place 12",
 * //   holderName: "Léa Petit", extra: { orderRef: "TN42", modifiedAt: "2026-11-29T10:00:00.000+01:00" } }
 */
export function mapTicket(ticket: unknown, what: string, at: string): TicketRecord {
  if (!isItem(ticket)) throw shapeError(what, `${at} : ce n'est pas un objet`);
  const raw = ticket.barcode;
  const barcode =
    typeof raw === "string"
      ? raw.trim()
      : typeof raw === "number" && Number.isSafeInteger(raw)
        ? String(raw)
        : "";
  if (!barcode) throw shapeError(what, `${at} : « barcode » manque ou est vide`);
  const where = `billet « ${barcode} »`;
  const status = ticket.status;
  if (typeof status !== "string" || !Object.hasOwn(STATES, status))
    throw shapeError(
      what,
      `${where} : statut ${describe(status)} inconnu (VALID, CANCELLED ou REPRINTED attendu)`,
    );
  const cents = ticket.priceCents;
  if (
    cents !== undefined &&
    cents !== null &&
    (typeof cents !== "number" || !Number.isInteger(cents) || cents < 0)
  )
    throw shapeError(
      what,
      `${where} : « priceCents » ${describe(cents)} n'est pas un nombre entier de centimes`,
    );
  const category = text(ticket, "priceCategory", what, where);
  const seat = seatText(ticket.seat, what, where);
  const holderName = holder(ticket.customer, what, where);
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(ticket)) {
    if (MAPPED.has(key) || value === undefined || value === null) continue;
    const shown =
      typeof value === "string"
        ? value.trim()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
    if (shown) extra[key] = shown;
  }
  return {
    barcode,
    state: STATES[status as TicketnetStatus],
    ...(category ? { category } : {}),
    ...(holderName ? { holderName } : {}),
    ...(seat ? { seat } : {}),
    ...(typeof cents === "number" ? { price: cents / 100 } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

function seatText(seat: unknown, what: string, where: string): string {
  if (seat === undefined || seat === null) return "";
  if (!isItem(seat)) throw shapeError(what, `${where} : « seat » n'est pas un objet`);
  const at = `${where}, place`;
  return [
    ["Bloc", text(seat, "block", what, at)],
    ["rang", text(seat, "row", what, at)],
    ["place", text(seat, "number", what, at)],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `${label} ${value}`)
    .join(", ")
    .replace(/^./, (c) => c.toUpperCase());
}

function holder(customer: unknown, what: string, where: string): string {
  if (customer === undefined || customer === null) return "";
  if (!isItem(customer)) throw shapeError(what, `${where} : « customer » n'est pas un objet`);
  const at = `${where}, client`;
  return [text(customer, "firstName", what, at), text(customer, "lastName", what, at)]
    .filter(Boolean)
    .join(" ");
}

function describe(value: unknown): string {
  if (typeof value === "string") return `« ${value.length > 40 ? `${value.slice(0, 40)}…` : value} »`;
  if (value === undefined) return "absent";
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
