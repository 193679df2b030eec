import { afterAll, beforeAll, describe, it } from "@jest/globals";
import type { Connector } from "../contract";
import {
  checkCompatibility,
  checkEntryPoints,
  checkFixtureConfig,
  checkIdentity,
  checkRequiredFieldErrors,
  checkSchemas,
  checkTagged,
  DEFAULT_TIMEOUT_MS,
} from "./definition-checks";
import { checkBadFiles, checkChunkedParsing, checkFileAbort, checkSampleFiles } from "./file-checks";
import type { ConformanceFixture } from "./fixture";
import {
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
  loadCatalog,
} from "./online-checks";

/** What {@link defineConnectorConformanceSuite} takes. */
export interface ConformanceSuiteOptions {
  /** The connector under test: the package's default export. */
  connector: Connector;
  /** Starts what the tests need (the partner simulator, sample files); run once, before the tests. */
  setup(): Promise<ConformanceFixture>;
  /** Longest wait for one connector operation (a fetch, a parse, checkConfig); default 10 s. */
  timeoutMs?: number;
}

/**
 * Declares the conformance tests every connector must pass, at the top level of a jest spec:
 * the definition, the configuration, then the online or file behaviour given by `kind`.
 * Each test calls one exported check function (`checkOnlineFetch`…), which throws a
 * `ConformanceError` saying what is wrong.
 */
export function defineConnectorConformanceSuite(options: ConformanceSuiteOptions): void {
  const { connector } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const checkOptions = { timeoutMs };
  // Above the kit's own limits, so a slow connector fails with the kit's message, not jest's.
  const testTimeout = timeoutMs * 4;
  let fixture: ConformanceFixture | undefined;
  const ready = (): ConformanceFixture => {
    if (!fixture) throw new Error("the conformance fixture's setup() did not complete (see beforeAll)");
    return fixture;
  };

  describe(`connector conformance: ${String(connector?.id)}`, () => {
    beforeAll(async () => {
      fixture = await options.setup();
    }, testTimeout);
    afterAll(async () => {
      await fixture?.close();
    }, testTimeout);

    describe("every connector", () => {
      it("is made by defineConnector (tagged)", () => checkTagged(connector));
      it("has a kebab-case id, a non-empty label and a kind of file or online", () =>
        checkIdentity(connector));
      it("declares a valid semver compatibility range that this SDK's contract version satisfies", () =>
        checkCompatibility(connector));
      it("has well-formed sourceConfig and performanceParams schemas", () => checkSchemas(connector));
      it("defines fetchTickets when online, parseFile when file", () => checkEntryPoints(connector));
      it(
        "accepts the fixture's configuration, with checkConfig finding nothing wrong",
        () => checkFixtureConfig(connector, ready(), checkOptions),
        testTimeout,
      );
      it.each([
        { name: "sourceConfig", schema: connector.sourceConfig ?? [] },
        { name: "performanceParams", schema: connector.performanceParams ?? [] },
      ])("gives an empty $name one French error per required field, naming its label", ({ name, schema }) =>
        checkRequiredFieldErrors(schema, name),
      );
    });

    if (connector?.kind === "online")
      describe("online connector", () => {
        it(
          "yields at least the expected tickets on a full fetch, well formed, with unique barcodes",
          () => checkOnlineFetch(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "gives the same records on a second full fetch",
          () => checkRepeatableFetch(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "checkpoints string cursors, and a fetch since the last one yields the changes at the partner only",
          () => checkIncrementalFetch(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "ends the fetch within 2 s of an abort, with no request left hanging",
          () => checkOnlineAbort(connector, ready(), checkOptions),
          testTimeout,
        );
        it.each(FAULT_CASES)(
          "$rule (fault $fault)",
          ({ fault, code }) => checkFault(connector, ready(), fault, code, checkOptions),
          testTimeout,
        );
        it(
          "checkConfig returns a French error, without throwing, when the partner refuses the credentials",
          () => checkCredentialsChecked(connector, ready(), checkOptions),
          testTimeout,
        );
        if (typeof connector.listCatalog === "function")
          describe("catalogue", () => {
            const catalog = () => loadCatalog(connector, ready(), checkOptions);
            it(
              "lists venues → events → dates with unique ids at each level",
              async () => checkCatalogTree(await catalog()),
              testTimeout,
            );
            it(
              "gives every date a startsAt that parses as a date",
              async () => checkCatalogDates(await catalog()),
              testTimeout,
            );
            it(
              "gives every date params that pass performanceParams",
              async () => checkCatalogParams(connector, await catalog()),
              testTimeout,
            );
            it(
              "imports records with the first date's params",
              async () => checkCatalogImport(connector, ready(), await catalog(), checkOptions),
              testTimeout,
            );
          });
      });

    if (connector?.kind === "file")
      describe("file connector", () => {
        it(
          "parses each sample file to its tickets, cancelled ones as cancelled or duplicated",
          () => checkSampleFiles(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "gives identical records when a file comes in odd-sized chunks (7 bytes, 1 byte under 2 KB)",
          () => checkChunkedParsing(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "refuses each bad file with a ConnectorError of code bad-file and a matching French message",
          () => checkBadFiles(connector, ready(), checkOptions),
          testTimeout,
        );
        it(
          "ends the parse within 2 s of an abort",
          () => checkFileAbort(connector, ready(), checkOptions),
          testTimeout,
        );
      });
  });
}
