/**
 * The Ticketnet-style partner simulator, for tests, benchmarks and demos:
 * `import { startTicketnetSimulator } from "@billetix/connector-ticketnet/simulator"`.
 *
 * @example
 * const sim = await startTicketnetSimulator({ seed: 1, tickEveryMs: 5000 });
 * const config = { baseUrl: sim.url, ...sim.credentials };
 * const performanceId = sim.performances()[0].id;
 *
 * @packageDocumentation
 */
export type {
  TicketnetAuth,
  TicketnetCredentials,
  TicketnetEvent,
  TicketnetPerformance,
  TicketnetSeat,
  TicketnetStatus,
  TicketnetTicket,
  TicketnetTicketsPage,
  TicketnetVenue,
} from "../ticketnet-api";
export {
  type PartnerFault,
  startTicketnetSimulator,
  type TicketnetFaultOptions,
  type TicketnetSimulator,
  type TicketnetSimulatorOptions,
} from "./ticketnet-simulator";
export {
  type SimulatedEvent,
  type SimulatedPerformance,
  type SimulatedVenue,
  type TicketnetTickResult,
  ticketnetBarcode,
} from "./ticketnet-store";
