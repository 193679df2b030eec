import type { ConfigSchema, ConfigValues } from "./config-schema";

/**
 * The version of the contract this SDK describes. A connector declares which versions it works
 * with (`compatibility`, a semver range); the gateway refuses one whose range excludes its own.
 */
export const CONNECTOR_CONTRACT_VERSION = "1.0.0";

/** `file`: tickets come from files an admin uploads. `online`: from a partner's web service, on a schedule. */
export type ConnectorKind = "file" | "online";

export type TicketRecordState = "valid" | "cancelled" | "duplicated";

/** One ticket as a source gives it. */
export interface TicketRecord {
  /** The number the scanner reads; trimmed, never empty. */
  barcode: string;
  /** Defaults to `valid`. `duplicated`: re-issued, the old number is refused. */
  state?: TicketRecordState;
  category?: string;
  holderName?: string;
  seat?: string;
  /** In the currency's units (euros), not cents. */
  price?: number;
  /** The source's other columns, shown in reports. */
  extra?: Record<string, string>;
}

/** Arguments of {@link ConnectorDefinition.fetchTickets}. */
export interface FetchTicketsArgs<
  C extends ConfigValues = ConfigValues,
  P extends ConfigValues = ConfigValues,
> {
  /** The source's configuration (checked against `sourceConfig`). */
  config: C;
  /** The performance's parameters (checked against `performanceParams`). */
  params: P;
  /**
   * Where the previous successful sync stopped (the last value given to `checkpoint`), or
   * undefined for a full import.
   */
  since?: string;
  /**
   * Says that every record yielded so far brings the source up to `cursor`. The gateway stores
   * the last one once the sync has committed everything, and passes it back as `since`.
   */
  checkpoint(cursor: string): void;
  /** Aborted when the sync times out or the gateway stops: stop requesting and return. */
  signal: AbortSignal;
}

/** Arguments of {@link ConnectorDefinition.parseFile}. */
export interface ParseFileArgs<C extends ConfigValues = ConfigValues> {
  config: C;
  /** The file's bytes, streamed: never hold it whole. */
  content: AsyncIterable<Uint8Array>;
  fileName: string;
  signal: AbortSignal;
}

/** A partner's catalogue, for "Ajouter des représentations automatiquement". */
export interface CatalogVenue {
  id: string;
  name: string;
  events: CatalogEvent[];
}
export interface CatalogEvent {
  id: string;
  name: string;
  dates: CatalogDate[];
}
export interface CatalogDate {
  /** Stable id of the date at the partner: the same date is never proposed twice. */
  id: string;
  /** ISO 8601 with offset. */
  startsAt: string;
  endsAt?: string;
  /** The performance parameters that import this date's tickets. */
  params: ConfigValues;
}

/**
 * What a connector package default-exports, through {@link defineConnector}.
 *
 * @typeParam C - the source's configuration (per institution)
 * @typeParam P - a performance's parameters (per performance)
 */
export interface ConnectorDefinition<
  C extends ConfigValues = ConfigValues,
  P extends ConfigValues = ConfigValues,
> {
  /** Stable kebab-case id, stored with every source of this type (e.g. `"ticketnet"`). */
  id: string;
  /** The type's name in the back office, in French. */
  label: string;
  labelEn?: string;
  /** One sentence for the back office, in French. */
  description?: string;
  kind: ConnectorKind;
  /** The contract versions this connector works with, as a semver range (e.g. `"^1.0.0"`). */
  compatibility: string;
  /** What a source of this type needs, per institution. */
  sourceConfig: ConfigSchema;
  /** What a performance needs to import from such a source. */
  performanceParams: ConfigSchema;
  /** True when the source may mark tickets cancelled or duplicated. */
  cancellations?: boolean;
  /**
   * Online sources: false when the partner has no "changed since" API, so every sync reads
   * everything and `since` is ignored (the gateway's upsert makes that harmless). Default true.
   */
  incremental?: boolean;
  /**
   * Problems the schema cannot express (a date range, credentials refused by the partner…),
   * in French, for the admin who configures the source. Empty when the source is usable.
   */
  checkConfig?(config: C, context: { signal: AbortSignal }): Promise<string[]> | string[];
  /** Online sources: the tickets of one performance, incremental when `since` is given and the partner allows. */
  fetchTickets?(args: FetchTicketsArgs<C, P>): AsyncIterable<TicketRecord>;
  /** File sources: the tickets in an uploaded file, in file order. */
  parseFile?(args: ParseFileArgs<C>): AsyncIterable<TicketRecord>;
  /** Optional: the partner's venues → events → dates, for automatic creation of performances. */
  listCatalog?(args: { config: C; signal: AbortSignal }): Promise<CatalogVenue[]>;
}

const TAG = "@billetix/connector";

/** A connector as the gateway receives it: the definition, tagged with the contract it was built against. */
export type Connector<
  C extends ConfigValues = ConfigValues,
  P extends ConfigValues = ConfigValues,
> = Readonly<ConnectorDefinition<C, P>> & {
  readonly $$type: typeof TAG;
  readonly contractVersion: string;
};

/**
 * Declares a connector. The package's entry default-exports the result, and its `package.json`
 * says `"billetix": {"role": "source-connector", "connectorId": "<id>"}`.
 *
 * @example
 * export default defineConnector({
 *   id: "my-partner",
 *   label: "WS Mon partenaire",
 *   kind: "online",
 *   compatibility: "^1.0.0",
 *   sourceConfig: [{ key: "baseUrl", label: "Adresse du service", type: "url", required: true }],
 *   performanceParams: [{ key: "eventId", label: "Identifiant de la séance", type: "text", required: true }],
 *   async *fetchTickets({ config, params, signal }) {
 *     const page = await fetchJson(`${config.baseUrl}/events/${params.eventId}/tickets`, { signal });
 *     for (const t of page.tickets) yield { barcode: t.code, category: t.category };
 *   },
 * });
 */
export function defineConnector<C extends ConfigValues = ConfigValues, P extends ConfigValues = ConfigValues>(
  definition: ConnectorDefinition<C, P>,
): Connector<C, P> {
  return Object.freeze({ ...definition, $$type: TAG, contractVersion: CONNECTOR_CONTRACT_VERSION });
}

/** True when `value` was made by {@link defineConnector} (of any SDK copy). */
export function isConnector(value: unknown): value is Connector {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { $$type?: unknown }).$$type === TAG &&
    typeof (value as { contractVersion?: unknown }).contractVersion === "string"
  );
}
