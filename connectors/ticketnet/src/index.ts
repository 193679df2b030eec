import { defineConnector } from "@billetix/connector-sdk";
import { checkTicketnetConfig } from "./check-config";
import { fetchTicketnetTickets } from "./fetch-tickets";
import { listTicketnetCatalog } from "./list-catalog";
import type { TicketnetConfig, TicketnetParams } from "./ticketnet-config";
import { performanceParams, sourceConfig } from "./ticketnet-config";

export { checkTicketnetConfig } from "./check-config";
export { fetchTicketnetTickets } from "./fetch-tickets";
export { listTicketnetCatalog } from "./list-catalog";
export type {
  TicketnetAuth,
  TicketnetEvent,
  TicketnetPerformance,
  TicketnetSeat,
  TicketnetStatus,
  TicketnetTicket,
  TicketnetTicketsPage,
  TicketnetVenue,
} from "./ticketnet-api";
export { TICKETNET_MAX_PAGE_SIZE } from "./ticketnet-api";
export {
  performanceParams,
  sourceConfig,
  type TicketnetConfig,
  type TicketnetParams,
} from "./ticketnet-config";
export { mapTicket } from "./ticketnet-shape";

/**
 * The "WS Ticketnet" source: tickets of one performance of a Ticketnet-style ticketing web
 * service (REST/JSON under `/api/v2`, bearer token from `POST /auth`), with cancellations and
 * reprints, incremental syncs (`modifiedSince`, cursor = the partner's `serverTime`), and the
 * catalogue for automatic creation of performances.
 */
export default defineConnector<TicketnetConfig, TicketnetParams>({
  id: "ticketnet",
  label: "WS Ticketnet",
  labelEn: "Ticketnet web service",
  description:
    "Importe les billets d'une représentation depuis le web service Ticketnet, annulations et réimpressions comprises, en ne relisant que les changements à chaque synchronisation.",
  kind: "online",
  compatibility: "^1.0.0",
  sourceConfig,
  performanceParams,
  cancellations: true,
  incremental: true,
  checkConfig: checkTicketnetConfig,
  fetchTickets: (args) => fetchTicketnetTickets(args),
  listCatalog: listTicketnetCatalog,
});
