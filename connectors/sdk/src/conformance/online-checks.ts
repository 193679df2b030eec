import { type ConfigValues, checkConfigValues } from "../config-schema";
import { type ConnectorErrorCode, isConnectorError } from "../connector-error";
import type { CatalogVenue, Connector, TicketRecord } from "../contract";
import { type CheckOptions, checkedValues, DEFAULT_TIMEOUT_MS } from "./definition-checks";
import type { ConformanceFixture, PartnerFault } from "./fixture";
import { looksFrench } from "./french";
import {
  assertNoProblems,
  ConformanceError,
  ConformanceTimeoutError,
  collect,
  describeValue,
  firstDifference,
  settle,
  waitFor,
  withTimeout,
} from "./helpers";
import { duplicateBarcodes, lastRecordByBarcode, recordsProblems } from "./records";

/** How long an aborted fetch may take to end. */
export const ABORT_GRACE_MS = 2_000;

/** What one `fetchTickets` run gave: its records and every value passed to `checkpoint`. */
export interface FetchRun {
  records: TicketRecord[];
  cursors: unknown[];
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null)
    throw new ConformanceError(`the conformance fixture of an online connector must give ${what}`);
  return value;
}

function fetchTicketsOf(connector: Connector): NonNullable<Connector["fetchTickets"]> {
  const fetchTickets = connector.fetchTickets;
  if (typeof fetchTickets !== "function") throw new ConformanceError("the connector has no fetchTickets");
  return fetchTickets.bind(connector);
}

/**
 * Runs `fetchTickets` to its end as the gateway would (configuration and parameters checked
 * against the schemas first), within the time limit.
 */
export async function runFetch(
  connector: Connector,
  args: { config: ConfigValues; params: ConfigValues; since?: string },
  options: CheckOptions = {},
): Promise<FetchRun> {
  const fetchTickets = fetchTicketsOf(connector);
  const config = checkedValues(connector.sourceConfig, args.config, "the configuration");
  const params = checkedValues(connector.performanceParams, args.params, "the performance parameters");
  const controller = new AbortController();
  const cursors: unknown[] = [];
  const records = await collect(
    () =>
      fetchTickets({
        config,
        params,
        since: args.since,
        checkpoint: (cursor) => cursors.push(cursor),
        signal: controller.signal,
      }),
    {
      what:
        args.since === undefined ? "a full fetchTickets" : `fetchTickets since ${JSON.stringify(args.since)}`,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onTimeout: () => controller.abort(),
    },
  );
  return { records, cursors };
}

function fullFetch(connector: Connector, fixture: ConformanceFixture, options: CheckOptions) {
  return runFetch(connector, { config: fixture.config, params: need(fixture.params, "params") }, options);
}

/**
 * A full fetch yields at least `expectedTickets` well-formed records (at least one when the
 * fixture does not say), with unique barcodes. Returns them.
 */
export async function checkOnlineFetch(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<TicketRecord[]> {
  const { records } = await fullFetch(connector, fixture, options);
  const expected = fixture.expectedTickets ?? 1;
  const problems = recordsProblems(records);
  if (records.length < expected) problems.unshift(`${records.length} records, expected at least ${expected}`);
  const repeated = problems.length === 0 ? duplicateBarcodes(records) : [];
  if (repeated.length > 0)
    problems.push(`barcodes yielded more than once: ${repeated.slice(0, 10).join(", ")}`);
  assertNoProblems("a full fetch must yield well-formed records with unique barcodes", problems);
  return records;
}

const byBarcode = (records: TicketRecord[]) =>
  [...records].sort((a, b) => (a.barcode < b.barcode ? -1 : a.barcode > b.barcode ? 1 : 0));

/** Two full fetches give the same records (in any order). */
export async function checkRepeatableFetch(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const first = await fullFetch(connector, fixture, options);
  const second = await fullFetch(connector, fixture, options);
  const difference = firstDifference(byBarcode(first.records), byBarcode(second.records));
  if (difference) throw new ConformanceError(`a second full fetch gave other records, ${difference}`);
}

/**
 * `checkpoint` is called with strings; after `changeAtPartner()`, a fetch since the last cursor
 * yields every added barcode and every cancelled one as cancelled, and (for an incremental
 * connector) fewer records than a full fetch.
 */
export async function checkIncrementalFetch(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const changeAtPartner = need(fixture.changeAtPartner, "changeAtPartner()");
  const incremental = connector.incremental !== false;
  const full = await fullFetch(connector, fixture, options);
  const cursorProblems = (run: FetchRun, name: string) => [
    ...(incremental && run.cursors.length === 0 ? [`${name} never called checkpoint`] : []),
    ...run.cursors
      .filter((c) => typeof c !== "string")
      .map((c) => `${name} called checkpoint with ${describeValue(c)}, not a string`),
  ];
  assertNoProblems("checkpoint must be called with a string cursor", cursorProblems(full, "a full fetch"));
  const since = full.cursors.at(-1) as string | undefined;

  const change = await withTimeout(
    changeAtPartner.call(fixture),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    "changeAtPartner",
  );
  if (change.added.length === 0)
    throw new ConformanceError("fixture.changeAtPartner() must add at least one ticket");
  const next = await runFetch(
    connector,
    { config: fixture.config, params: need(fixture.params, "params"), since },
    options,
  );

  const problems = [...recordsProblems(next.records), ...cursorProblems(next, "an incremental fetch")];
  const last = lastRecordByBarcode(next.records);
  for (const barcode of change.added)
    if (!last.has(barcode)) problems.push(`the added ticket ${JSON.stringify(barcode)} is missing`);
  for (const barcode of change.cancelled) {
    const record = last.get(barcode);
    if (!record) problems.push(`the cancelled ticket ${JSON.stringify(barcode)} is missing`);
    else if (record.state !== "cancelled")
      problems.push(
        `the cancelled ticket ${JSON.stringify(barcode)} has state ${describeValue(record.state)}`,
      );
  }
  if (incremental && next.records.length >= full.records.length)
    problems.push(
      `it yielded ${next.records.length} records, not fewer than the full fetch's ${full.records.length}: is \`since\` ignored? (declare incremental: false if the partner cannot filter)`,
    );
  assertNoProblems(
    `a fetch since the last cursor (${JSON.stringify(since)}) must yield the changes`,
    problems,
  );
}

interface TrackedRequest {
  url: string;
  settled: boolean;
  afterAbort: boolean;
  signal?: AbortSignal;
}

/** Watches the global `fetch` (which `fetchJson` uses) to see requests outlive an abort. */
function trackRequests() {
  const holder = globalThis as { fetch: typeof fetch };
  const original = holder.fetch;
  const requests: TrackedRequest[] = [];
  let aborted = false;
  holder.fetch = (input, init) => {
    const request: TrackedRequest = {
      url: input instanceof Request ? input.url : String(input),
      settled: false,
      afterAbort: aborted,
      signal: init?.signal ?? (input instanceof Request ? input.signal : undefined),
    };
    requests.push(request);
    const settled = () => {
      request.settled = true;
    };
    const promise = original(input, init);
    promise.then(settled, settled);
    return promise;
  };
  return {
    requests,
    markAborted: () => {
      aborted = true;
    },
    restore: () => {
      holder.fetch = original;
    },
  };
}

/**
 * Aborting the signal after the first record ends the iteration (returning or throwing) within
 * {@link ABORT_GRACE_MS}: requests made through `fetch` settle, and none starts afterwards
 * without the aborted signal.
 */
export async function checkOnlineAbort(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const fetchTickets = fetchTicketsOf(connector);
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  const params = checkedValues(connector.performanceParams, need(fixture.params, "params"), "fixture.params");
  const controller = new AbortController();
  const tracker = trackRequests();
  try {
    const iterable = fetchTickets({ config, params, checkpoint: () => {}, signal: controller.signal });
    const iterator = iterable[Symbol.asyncIterator]();
    const first = await withTimeout(
      iterator.next(),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      "the first record",
    );
    if (first.done) throw new ConformanceError("the fetch yielded nothing, so its abort cannot be tested");
    tracker.markAborted();
    controller.abort();
    const deadline = Date.now() + ABORT_GRACE_MS;
    let afterwards = 0;
    for (;;) {
      const step = await settle(() =>
        withTimeout(iterator.next(), deadline - Date.now(), "the aborted fetch"),
      );
      if (!step.ok && step.error instanceof ConformanceTimeoutError) {
        iterator.return?.().then(
          () => {},
          () => {},
        );
        throw new ConformanceError(
          `the fetch went on for ${ABORT_GRACE_MS} ms after its signal was aborted (${afterwards} more records): pass the signal to every request and stop`,
        );
      }
      if (!step.ok || step.value.done) break;
      afterwards++;
    }
    const problems = tracker.requests
      .filter((r) => r.afterAbort && !r.signal?.aborted)
      .map((r) => `a request to ${r.url} started after the abort without the aborted signal`);
    await waitFor(() => tracker.requests.every((r) => r.settled), Math.max(0, deadline - Date.now()));
    for (const r of tracker.requests)
      if (!r.settled) problems.push(`the request to ${r.url} still hangs after the abort`);
    assertNoProblems("an aborted fetch must stop its requests", problems);
  } finally {
    tracker.restore();
    controller.abort();
  }
}

/** One row of the fault table: a partner fault and the error code it must give. */
export interface FaultCase {
  fault: PartnerFault;
  /** `null`: the fetch must still succeed. */
  code: ConnectorErrorCode | null;
  /** The rule, in English, as the test's name. */
  rule: string;
}

/** What each simulator fault must give. */
export const FAULT_CASES: readonly FaultCase[] = [
  {
    fault: "error500",
    code: "unavailable",
    rule: "a partner answering HTTP 500 fails the fetch with code unavailable and a French message",
  },
  {
    fault: "unauthorized",
    code: "unauthorized",
    rule: "a partner refusing the credentials fails the fetch with code unauthorized and a French message",
  },
  {
    fault: "malformed",
    code: "bad-response",
    rule: "a partner answering malformed data fails the fetch with code bad-response and a French message",
  },
  {
    fault: "timeout",
    code: "unavailable",
    rule: "a partner that does not answer fails the fetch with code unavailable and a French message",
  },
  { fault: "slow", code: null, rule: "a slow partner still gives the tickets" },
];

/**
 * With `fault` on at the simulator, a fetch with `faultConfig` rejects with a ConnectorError of
 * `code` and a non-empty French message (or, for `code` null, still succeeds). The fault is
 * switched off afterwards, whatever happens.
 */
export async function checkFault(
  connector: Connector,
  fixture: ConformanceFixture,
  fault: PartnerFault,
  code: ConnectorErrorCode | null,
  options: CheckOptions = {},
): Promise<void> {
  const setFault = need(fixture.setFault, "setFault()").bind(fixture);
  const config = need(fixture.faultConfig, "faultConfig (short timeouts and few retries)");
  setFault(fault);
  try {
    const run = await settle(() =>
      runFetch(connector, { config, params: need(fixture.params, "params") }, options),
    );
    if (!run.ok && run.error instanceof ConformanceError) throw run.error;
    if (code === null) {
      if (!run.ok)
        throw new ConformanceError(`with the ${fault} fault, the fetch threw ${describeValue(run.error)}`);
      if (run.value.records.length === 0)
        throw new ConformanceError(`with the ${fault} fault, the fetch yielded nothing`);
      assertNoProblems(
        `with the ${fault} fault, the records must be well formed`,
        recordsProblems(run.value.records),
      );
      return;
    }
    if (run.ok)
      throw new ConformanceError(
        `with the ${fault} fault, the fetch succeeded with ${run.value.records.length} records instead of failing with code ${code}`,
      );
    const error = run.error;
    if (!isConnectorError(error))
      throw new ConformanceError(
        `with the ${fault} fault, the fetch threw ${describeValue(error)} instead of a ConnectorError of code ${code}`,
      );
    const problems: string[] = [];
    if (error.code !== code) problems.push(`its code is ${error.code}, expected ${code}`);
    if (!looksFrench(error.message))
      problems.push(`its message is not French: ${JSON.stringify(error.message)}`);
    assertNoProblems(`with the ${fault} fault, the ConnectorError is wrong`, problems);
  } finally {
    setFault(null);
  }
}

/**
 * With the partner refusing the credentials, `checkConfig(fixture.config)` returns at least one
 * French error and does not throw: online connectors must check credentials there.
 */
export async function checkCredentialsChecked(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  if (typeof connector.checkConfig !== "function")
    throw new ConformanceError(
      "an online connector must define checkConfig, and check the credentials there",
    );
  const checkConfig = connector.checkConfig.bind(connector);
  const setFault = need(fixture.setFault, "setFault()").bind(fixture);
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  const controller = new AbortController();
  setFault("unauthorized");
  try {
    const result = await settle(() =>
      withTimeout(
        Promise.resolve().then(() => checkConfig(config, { signal: controller.signal })),
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        "checkConfig",
      ),
    );
    if (!result.ok) {
      if (result.error instanceof ConformanceError) throw result.error;
      throw new ConformanceError(
        `checkConfig threw ${describeValue(result.error)} for refused credentials: it must return the error`,
      );
    }
    const errors = result.value;
    if (!Array.isArray(errors) || errors.length === 0)
      throw new ConformanceError(`checkConfig returned ${describeValue(errors)} for refused credentials`);
    assertNoProblems(
      "checkConfig's errors must be French",
      errors.filter((e) => !looksFrench(e)).map((e) => `not French: ${describeValue(e)}`),
    );
  } finally {
    controller.abort();
    setFault(null);
  }
}

/** Calls `listCatalog` with the fixture's configuration, within the time limit. */
export async function loadCatalog(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<CatalogVenue[]> {
  const listCatalog = connector.listCatalog;
  if (typeof listCatalog !== "function") throw new ConformanceError("the connector has no listCatalog");
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  const controller = new AbortController();
  try {
    const venues = await withTimeout(
      Promise.resolve().then(() => listCatalog.call(connector, { config, signal: controller.signal })),
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      "listCatalog",
    );
    if (!Array.isArray(venues))
      throw new ConformanceError(`listCatalog returned ${describeValue(venues)}, not an array`);
    return venues;
  } catch (err) {
    controller.abort();
    throw err;
  }
}

function idProblems(items: unknown, where: string, seen: Set<string>, kind: string): string[] {
  if (!Array.isArray(items)) return [`${where}: ${kind}s is not an array`];
  const problems: string[] = [];
  items.forEach((item: { id?: unknown; name?: unknown }, i) => {
    const at = `${where} ${kind} #${i + 1}`;
    if (typeof item?.id !== "string" || !item.id)
      problems.push(`${at}: id ${describeValue(item?.id)} is not a non-empty string`);
    else if (seen.has(item.id)) problems.push(`${at}: id ${JSON.stringify(item.id)} is repeated`);
    else seen.add(item.id);
    if (kind !== "date" && (typeof item?.name !== "string" || !item.name.trim()))
      problems.push(`${at}: name is empty`);
  });
  return problems;
}

/**
 * The catalogue is venues → events → dates, with at least one date, and unique ids: venues
 * among venues, events within their venue, dates across the whole catalogue (a date is never
 * proposed twice).
 */
export function checkCatalogTree(venues: readonly CatalogVenue[]): void {
  const dateIds = new Set<string>();
  const problems = idProblems(venues, "catalogue", new Set(), "venue");
  for (const venue of Array.isArray(venues) ? venues : []) {
    const eventIds = new Set<string>();
    problems.push(...idProblems(venue?.events, `venue ${describeValue(venue?.id)}`, eventIds, "event"));
    for (const event of Array.isArray(venue?.events) ? venue.events : [])
      problems.push(...idProblems(event?.dates, `event ${describeValue(event?.id)}`, dateIds, "date"));
  }
  if (problems.length === 0 && dateIds.size === 0) problems.push("the catalogue has no date");
  assertNoProblems("the catalogue must be venues → events → dates with unique ids", problems);
}

function allDates(venues: readonly CatalogVenue[]) {
  return venues.flatMap((v) => (v.events ?? []).flatMap((e) => e.dates ?? []));
}

/** Every date's `startsAt` (and `endsAt`, when given) parses as a date. */
export function checkCatalogDates(venues: readonly CatalogVenue[]): void {
  const problems: string[] = [];
  for (const date of allDates(venues)) {
    if (typeof date.startsAt !== "string" || Number.isNaN(Date.parse(date.startsAt)))
      problems.push(
        `date ${JSON.stringify(date.id)}: startsAt ${describeValue(date.startsAt)} is not a date`,
      );
    if (
      date.endsAt !== undefined &&
      (typeof date.endsAt !== "string" || Number.isNaN(Date.parse(date.endsAt)))
    )
      problems.push(`date ${JSON.stringify(date.id)}: endsAt ${describeValue(date.endsAt)} is not a date`);
  }
  assertNoProblems("the catalogue's dates must parse", problems);
}

/** Every date's `params` pass the connector's `performanceParams`. */
export function checkCatalogParams(connector: Connector, venues: readonly CatalogVenue[]): void {
  const problems: string[] = [];
  for (const date of allDates(venues)) {
    const { errors } = checkConfigValues(connector.performanceParams, date.params);
    for (const e of errors) problems.push(`date ${JSON.stringify(date.id)}: ${e}`);
  }
  assertNoProblems("the catalogue's dates must carry valid performance parameters", problems);
}

/** Fetching the first date's `params` yields records. */
export async function checkCatalogImport(
  connector: Connector,
  fixture: ConformanceFixture,
  venues: readonly CatalogVenue[],
  options: CheckOptions = {},
): Promise<void> {
  const date = allDates(venues)[0];
  if (!date) throw new ConformanceError("the catalogue has no date");
  const { records } = await runFetch(connector, { config: fixture.config, params: date.params }, options);
  if (records.length === 0)
    throw new ConformanceError(
      `fetching the catalogue's first date (${JSON.stringify(date.id)}) yielded nothing`,
    );
  assertNoProblems("the first date's records must be well formed", recordsProblems(records));
}
