import { defineConnector } from "@billetix/connector-sdk";
import { checkConfig } from "./check-config";
import { type AttendeesConfig, type AttendeesParams, performanceParams, sourceConfig } from "./config";
import { fetchTickets } from "./fetch-tickets";
import { listCatalog } from "./list-catalog";

export { checkConfig } from "./check-config";
export type { AttendeesConfig, AttendeesParams } from "./config";
export { performanceParams, sourceConfig } from "./config";
export { fetchTickets } from "./fetch-tickets";
export { listCatalog } from "./list-catalog";
export { holderName, ParticipantMapper, seatLabel, toTicketRecord } from "./map-participant";
export { formatParisLocal, parisLocalToIso, parseParisLocal } from "./paris-time";

/**
 * The "attendees since last_update" partner (Weezevent-style participants API): tickets of an
 * event, incremental with `last_update`, with refunds, deletions and transfers.
 */
export default defineConnector<AttendeesConfig, AttendeesParams>({
  id: "attendees",
  label: "WS Participants (mise à jour incrémentale)",
  labelEn: "Participants web service (incremental)",
  description:
    "Importe les participants d'un événement d'une billetterie en ligne, puis seulement ceux modifiés depuis la dernière synchronisation (remboursés, supprimés, transférés).",
  kind: "online",
  compatibility: "^1.0.0",
  cancellations: true,
  incremental: true,
  sourceConfig,
  performanceParams,
  checkConfig,
  fetchTickets,
  listCatalog,
});
