export {
  type ConfigField,
  type ConfigFieldType,
  type ConfigSchema,
  type ConfigValues,
  checkConfigValues,
  type RequestTuningConfig,
  requestTuningFields,
  schemaProblems,
  secretKeys,
} from "./config-schema";
export { ConnectorError, type ConnectorErrorCode, isConnectorError } from "./connector-error";
export {
  type CatalogDate,
  type CatalogEvent,
  type CatalogVenue,
  CONNECTOR_CONTRACT_VERSION,
  type Connector,
  type ConnectorDefinition,
  type ConnectorKind,
  defineConnector,
  type FetchTicketsArgs,
  isConnector,
  type ParseFileArgs,
  type TicketRecord,
  type TicketRecordState,
} from "./contract";
export {
  formatParisIso,
  formatParisLocal,
  parisOffsetMinutes,
  parisToIso,
  parisWallTimeToUtc,
  parseParisTime,
} from "./paris-time";
export { fetchJson, type PartnerRequestOptions, requestTuning } from "./partner-http";
export { type ResponseItem, responseShape } from "./response-shape";
