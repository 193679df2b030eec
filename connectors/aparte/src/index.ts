import { defineConnector } from "@billetix/connector-sdk";
import type { AparteConfig, AparteParams } from "./aparte-config";
import { performanceParams, sourceConfig } from "./aparte-config";
import { checkAparteConfig } from "./check-config";
import { fetchAparteTickets } from "./fetch-tickets";
import { listAparteCatalog } from "./list-catalog";

export { parisToIso } from "@billetix/connector-sdk";
export type { AparteBillet, AparteEtat, AparteLieu, AparteSeance, AparteSpectacle } from "./aparte-api";
export { type AparteConfig, type AparteParams, performanceParams, sourceConfig } from "./aparte-config";
export { parsePrixTTC } from "./aparte-shape";
export { fetchAparteTickets } from "./fetch-tickets";

/**
 * The "WS Aparté" source: tickets of one séance of an Aparté-style box office web service
 * (`X-Api-Key`, `/v1/organismes/{organismeId}/…`), with cancellations and re-issues, and its
 * catalogue for automatic creation of performances.
 *
 * Not incremental (`incremental: false`): Aparté cannot list what changed since a date, so
 * every sync reads the whole séance and `since` is ignored; see {@link fetchAparteTickets}.
 */
export default defineConnector<AparteConfig, AparteParams>({
  id: "aparte",
  label: "WS Aparté",
  labelEn: "Aparté web service",
  description:
    "Importe les billets d'une séance depuis le web service de billetterie Aparté, annulations comprises.",
  kind: "online",
  compatibility: "^1.0.0",
  sourceConfig,
  performanceParams,
  cancellations: true,
  incremental: false,
  checkConfig: checkAparteConfig,
  fetchTickets: (args) => fetchAparteTickets(args),
  listCatalog: listAparteCatalog,
});
