/**
 * The Ticketnet-style web service's JSON shapes (REST under `/api/v2`), shared by the connector
 * (which checks them) and the simulator (which serves them). Field names are the partner's.
 */

/** `POST /api/v2/auth` with {@link TicketnetCredentials} → this. */
export interface TicketnetAuth {
  /** Sent as `Authorization: Bearer <token>` on every other call. */
  token: string;
  /** Seconds until the token expires; every call then gets 401 until a new one is asked. */
  expiresIn: number;
}

export interface TicketnetCredentials {
  login: string;
  password: string;
}

/** `GET /api/v2/venues` → `TicketnetVenue[]`. */
export interface TicketnetVenue {
  id: string;
  name: string;
  city: string;
}

/** One date of an event. Dates are ISO 8601 with the Europe/Paris offset: `2027-03-22T20:00:00+01:00`. */
export interface TicketnetPerformance {
  id: string;
  startDate: string;
  endDate: string;
}

/** `GET /api/v2/venues/{id}/events` → `TicketnetEvent[]`. */
export interface TicketnetEvent {
  id: string;
  title: string;
  performances: TicketnetPerformance[];
}

/** `VALID`: admits; `CANCELLED`: refunded; `REPRINTED`: replaced by a newly printed ticket. */
export type TicketnetStatus = "VALID" | "CANCELLED" | "REPRINTED";

export const TICKETNET_STATUSES: readonly TicketnetStatus[] = ["VALID", "CANCELLED", "REPRINTED"];

/** A numbered seat; standing tickets (`Fosse`) have `seat: null`. */
export interface TicketnetSeat {
  block: string;
  row: string;
  number: string;
}

/** A ticket, as listed by `GET /api/v2/performances/{id}/tickets`. */
export interface TicketnetTicket {
  barcode: string;
  status: TicketnetStatus;
  /** `"Carré Or"`, `"Cat 1"`, `"Fosse"`… */
  priceCategory: string;
  priceCents: number;
  seat: TicketnetSeat | null;
  /** Null for an anonymous box-office sale. */
  customer: { firstName: string; lastName: string } | null;
  orderRef: string;
  /** ISO 8601 with the Paris offset and milliseconds: the last sale, cancellation or reprint. */
  modifiedAt: string;
}

/**
 * One page of `GET /api/v2/performances/{id}/tickets?page=N&pageSize=M[&modifiedSince=ISO]`.
 * Pages count from 1, tickets come in the order they were issued (a change never moves one), and
 * `modifiedSince` keeps the tickets whose `modifiedAt` is strictly after it.
 */
export interface TicketnetTicketsPage {
  page: number;
  pageCount: number;
  totalCount: number;
  /** The partner's clock when it read the page: pass it back as `modifiedSince` next time. */
  serverTime: string;
  tickets: TicketnetTicket[];
}

/** The largest `pageSize` the service accepts. */
export const TICKETNET_MAX_PAGE_SIZE = 5000;

/** The service's answer to a refused call (4xx, 5xx). */
export interface TicketnetError {
  error: string;
  message: string;
}
