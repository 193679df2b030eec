/**
 * The conformance kit: one jest suite that every connector runs against its own simulator or
 * sample files. Each test calls an exported check function, which throws a `ConformanceError`
 * (English, for the connector's developer) saying what is wrong.
 *
 * @example
 * // connectors/my-partner/src/index.spec.ts
 * import { defineConnectorConformanceSuite } from "@billetix/connector-sdk/conformance";
 * import connector from "./index";
 * import { startSimulator } from "./simulator";
 *
 * defineConnectorConformanceSuite({
 *   connector,
 *   async setup() {
 *     const sim = await startSimulator({ tickets: 120 }); // a node:http server on port 0
 *     const config = { baseUrl: sim.url, apiKey: "test-key" };
 *     return {
 *       config,
 *       // Short timeouts and few retries, so the fault cases end quickly.
 *       faultConfig: { ...config, timeoutMs: 200, retries: 1 },
 *       params: { eventId: "E1" },
 *       expectedTickets: 120,
 *       setFault: (fault) => sim.setFault(fault),
 *       changeAtPartner: () => sim.sellAndCancel({ sell: 3, cancel: 2 }),
 *       close: () => sim.close(),
 *     };
 *   },
 * });
 *
 * // A file connector gives sample files instead:
 * // return {
 * //   config: { separator: ";" },
 * //   files: [{ name: "ok.csv", content: Buffer.from("A1;valide\nA2;annulé\n"), tickets: 2, cancelled: ["A2"] }],
 * //   badFiles: [{ name: "bad.csv", content: Buffer.from("A1;valide\n;valide\n"), message: /ligne 2/i }],
 * //   close: async () => {},
 * // };
 *
 * @packageDocumentation
 */

export {
  type CheckOptions,
  checkCompatibility,
  checkDefinition,
  checkEntryPoints,
  checkedValues,
  checkFixtureConfig,
  checkIdentity,
  checkRequiredFieldErrors,
  checkSchemas,
  checkTagged,
  DEFAULT_TIMEOUT_MS,
} from "./definition-checks";
export {
  checkBadFiles,
  checkChunkedParsing,
  checkFileAbort,
  checkSampleFiles,
  oddChunkSizes,
  runParse,
} from "./file-checks";
export type { BadFile, ConformanceFixture, PartnerFault, SampleFile } from "./fixture";
export { looksFrench } from "./french";
export {
  assertNoProblems,
  type CollectOptions,
  ConformanceError,
  ConformanceTimeoutError,
  chunksOf,
  collect,
  describeValue,
  firstDifference,
  settle,
  waitFor,
  withTimeout,
} from "./helpers";
export {
  ABORT_GRACE_MS,
  checkCatalogDates,
  checkCatalogImport,
  checkCatalogParams,
  checkCatalogTree,
  checkCredentialsChecked,
  checkFault,
  checkIncrementalFetch,
  checkOnlineAbort,
  checkOnlineFetch,
  checkRepeatableFetch,
  FAULT_CASES,
  type FaultCase,
  type FetchRun,
  loadCatalog,
  runFetch,
} from "./online-checks";
export { duplicateBarcodes, lastRecordByBarcode, recordProblems, recordsProblems } from "./records";
export { type ConformanceSuiteOptions, defineConnectorConformanceSuite } from "./suite";
