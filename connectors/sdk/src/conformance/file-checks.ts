import { isConnectorError } from "../connector-error";
import type { Connector, TicketRecord } from "../contract";
import { type CheckOptions, checkedValues, DEFAULT_TIMEOUT_MS } from "./definition-checks";
import type { ConformanceFixture, SampleFile } from "./fixture";
import { looksFrench } from "./french";
import {
  assertNoProblems,
  ConformanceError,
  ConformanceTimeoutError,
  chunksOf,
  collect,
  describeValue,
  firstDifference,
  settle,
  withTimeout,
} from "./helpers";
import { ABORT_GRACE_MS } from "./online-checks";
import { lastRecordByBarcode, recordsProblems } from "./records";

/** The chunk size of a normal parse, like a stream's. */
const NORMAL_CHUNK = 64 * 1024;

function parseFileOf(connector: Connector): NonNullable<Connector["parseFile"]> {
  const parseFile = connector.parseFile;
  if (typeof parseFile !== "function") throw new ConformanceError("the connector has no parseFile");
  return parseFile.bind(connector);
}

function need<T>(value: T[] | undefined, what: string): T[] {
  if (!value || value.length === 0)
    throw new ConformanceError(`the conformance fixture of a file connector must give ${what}`);
  return value;
}

/**
 * Parses `file` fed in chunks of `chunkSize` bytes, with the fixture's configuration checked
 * against `sourceConfig`, within the time limit.
 */
export async function runParse(
  connector: Connector,
  fixture: ConformanceFixture,
  file: { name: string; content: Uint8Array },
  chunkSize = NORMAL_CHUNK,
  options: CheckOptions = {},
): Promise<TicketRecord[]> {
  const parseFile = parseFileOf(connector);
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  const controller = new AbortController();
  return collect(
    () =>
      parseFile({
        config,
        content: chunksOf(file.content, chunkSize),
        fileName: file.name,
        signal: controller.signal,
      }),
    {
      what: `parseFile of ${file.name} in chunks of ${chunkSize} bytes`,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      onTimeout: () => controller.abort(),
    },
  );
}

/**
 * Each sample file parses to `tickets` well-formed records, and its `cancelled` barcodes come
 * out (last) with state cancelled or duplicated.
 */
export async function checkSampleFiles(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const problems: string[] = [];
  for (const file of need(fixture.files, "sample files")) {
    const parsed = await settle(() => runParse(connector, fixture, file, NORMAL_CHUNK, options));
    if (!parsed.ok) {
      if (parsed.error instanceof ConformanceError) throw parsed.error;
      problems.push(`${file.name}: parseFile threw ${describeValue(parsed.error)}`);
      continue;
    }
    const records = parsed.value;
    if (records.length !== file.tickets)
      problems.push(`${file.name}: ${records.length} records, expected ${file.tickets}`);
    problems.push(...recordsProblems(records).map((p) => `${file.name}: ${p}`));
    const last = lastRecordByBarcode(records);
    for (const barcode of file.cancelled ?? []) {
      const state = last.get(barcode)?.state;
      if (state !== "cancelled" && state !== "duplicated")
        problems.push(
          `${file.name}: ${JSON.stringify(barcode)} should be cancelled or duplicated, got ${describeValue(state)}`,
        );
    }
  }
  assertNoProblems("each sample file must parse to its tickets", problems);
}

/** The chunk sizes a file is fed in to prove the parser streams: 7 bytes, and 1 byte for a file under 2 KB. */
export function oddChunkSizes(file: SampleFile): number[] {
  return file.content.length < 2048 ? [7, 1] : [7];
}

/** Each sample file gives identical records whether fed in 64 KiB, 7-byte or 1-byte chunks. */
export async function checkChunkedParsing(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const problems: string[] = [];
  for (const file of need(fixture.files, "sample files")) {
    const whole = await runParse(connector, fixture, file, NORMAL_CHUNK, options);
    for (const size of oddChunkSizes(file)) {
      const chunked = await settle(() => runParse(connector, fixture, file, size, options));
      if (!chunked.ok) {
        if (chunked.error instanceof ConformanceTimeoutError) throw chunked.error;
        problems.push(`${file.name} in ${size}-byte chunks: parseFile threw ${describeValue(chunked.error)}`);
        continue;
      }
      const difference = firstDifference(whole, chunked.value);
      if (difference) problems.push(`${file.name} in ${size}-byte chunks: ${difference}`);
    }
  }
  assertNoProblems("a file must give the same records however its bytes are chunked", problems);
}

/**
 * Each bad file is refused with a ConnectorError of code `bad-file` whose French message
 * matches the fixture's pattern, the same message whether fed whole or in 7-byte chunks.
 */
export async function checkBadFiles(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const problems: string[] = [];
  for (const file of need(fixture.badFiles, "bad files (junk that must be refused)")) {
    const messages: string[] = [];
    for (const size of [NORMAL_CHUNK, 7]) {
      const at = `${file.name} in ${size}-byte chunks`;
      const parsed = await settle(() => runParse(connector, fixture, file, size, options));
      if (parsed.ok) {
        problems.push(`${at}: accepted with ${parsed.value.length} records`);
        continue;
      }
      const error = parsed.error;
      if (error instanceof ConformanceTimeoutError) throw error;
      if (!isConnectorError(error)) {
        problems.push(`${at}: threw ${describeValue(error)} instead of a ConnectorError of code bad-file`);
        continue;
      }
      if (error.code !== "bad-file") problems.push(`${at}: code ${error.code} instead of bad-file`);
      if (!file.message.test(error.message))
        problems.push(`${at}: message ${JSON.stringify(error.message)} does not match ${file.message}`);
      if (!looksFrench(error.message))
        problems.push(`${at}: message ${JSON.stringify(error.message)} is not French`);
      messages.push(error.message);
    }
    if (messages.length === 2 && messages[0] !== messages[1])
      problems.push(`${file.name}: the message depends on the chunking: ${describeValue(messages)}`);
  }
  assertNoProblems("each bad file must be refused with a clear bad-file error", problems);
}

/**
 * Aborting after the first record ends the parse within {@link ABORT_GRACE_MS}, and a parser
 * that had not read the whole file yet does not read it to its end (it stops, as the gateway
 * stops a cancelled import). The largest sample file is fed in 7-byte chunks.
 */
export async function checkFileAbort(
  connector: Connector,
  fixture: ConformanceFixture,
  options: CheckOptions = {},
): Promise<void> {
  const parseFile = parseFileOf(connector);
  const file = need(fixture.files, "sample files")
    .filter((f) => f.tickets >= 2)
    .sort((a, b) => b.content.length - a.content.length)[0];
  if (!file)
    throw new ConformanceError("the fixture needs a sample file of at least 2 tickets to test the abort");
  const config = checkedValues(connector.sourceConfig, fixture.config, "fixture.config");
  const controller = new AbortController();
  let exhausted = false;
  async function* content(bytes: Uint8Array) {
    yield* chunksOf(bytes, 7);
    exhausted = true;
  }
  const iterator = parseFile({
    config,
    content: content(file.content),
    fileName: file.name,
    signal: controller.signal,
  })[Symbol.asyncIterator]();
  const first = await withTimeout(
    iterator.next(),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    "the first record",
  ).catch((err: unknown) => {
    controller.abort();
    throw err;
  });
  if (first.done) throw new ConformanceError(`parseFile of ${file.name} yielded nothing`);
  const exhaustedAtAbort = exhausted;
  controller.abort();
  const deadline = Date.now() + ABORT_GRACE_MS;
  let afterwards = 0;
  for (;;) {
    const step = await settle(() => withTimeout(iterator.next(), deadline - Date.now(), "the aborted parse"));
    if (!step.ok && step.error instanceof ConformanceTimeoutError) {
      iterator.return?.().then(
        () => {},
        () => {},
      );
      throw new ConformanceError(
        `parseFile of ${file.name} went on for ${ABORT_GRACE_MS} ms after its signal was aborted: check signal.aborted as you read`,
      );
    }
    if (!step.ok || step.value.done) break;
    afterwards++;
  }
  if (exhausted && !exhaustedAtAbort)
    throw new ConformanceError(
      `parseFile of ${file.name} read the file to its end after its signal was aborted (${afterwards} more records): check signal.aborted as you read`,
    );
}
