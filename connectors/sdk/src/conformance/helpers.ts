import { isDeepStrictEqual } from "node:util";
import { isConnectorError } from "../connector-error";

/** A broken rule, in English, for the connector's developer. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
}

/** The connector took longer than the kit allows: it would hang the gateway's sync too. */
export class ConformanceTimeoutError extends ConformanceError {}

/** Throws a {@link ConformanceError} listing `problems` under `rule`, when there are any. */
export function assertNoProblems(rule: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
  if (problems.length > 10) shown.push(`  - … and ${problems.length - 10} more`);
  throw new ConformanceError(`${rule}:\n${shown.join("\n")}`);
}

/** Resolves as `promise` does, or rejects with a {@link ConformanceTimeoutError} after `ms`. */
export async function withTimeout<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConformanceTimeoutError(`${what} did not finish within ${ms} ms`)),
      Math.max(0, ms),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CollectOptions {
  /** For the messages: what is iterated ("fetchTickets", "parseFile of a.csv"). */
  what: string;
  /** For the whole iteration. */
  timeoutMs: number;
  /** Called on time-out, before the rejection: abort the connector's signal there. */
  onTimeout?(): void;
}

/**
 * Reads an async iterable to its end within a time limit, so a connector that never ends fails
 * its test instead of hanging jest. `make` is called inside, so a connector that throws
 * synchronously, or returns something that is not iterable, rejects too.
 */
export async function collect<T>(make: () => AsyncIterable<T>, options: CollectOptions): Promise<T[]> {
  const iterable = make();
  if (typeof iterable?.[Symbol.asyncIterator] !== "function")
    throw new ConformanceError(`${options.what} must return an async iterable (an async generator)`);
  const iterator = iterable[Symbol.asyncIterator]();
  const items: T[] = [];
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      const step = await withTimeout(iterator.next(), deadline - Date.now(), options.what);
      if (step.done) return items;
      items.push(step.value);
    }
  } catch (err) {
    if (err instanceof ConformanceTimeoutError) {
      options.onTimeout?.();
      // Not awaited: a connector stuck in a request may never settle it.
      iterator.return?.().then(
        () => {},
        () => {},
      );
      throw new ConformanceTimeoutError(
        `${options.what} did not finish within ${options.timeoutMs} ms (${items.length} records so far)`,
      );
    }
    throw err;
  }
}

/** The outcome of a promise, without throwing: `error` holds what it rejected with. */
export async function settle<T>(
  promise: () => PromiseLike<T> | T,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Waits until `condition` holds, polling on timers (not a fixed sleep): false once `ms` have passed. */
export async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** A short, safe description of anything a connector threw or returned, for messages. */
export function describeValue(value: unknown): string {
  if (isConnectorError(value)) return `ConnectorError(${value.code}, ${JSON.stringify(value.message)})`;
  if (value instanceof Error) return `${value.name}(${JSON.stringify(value.message)})`;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

/** The first place where two record lists differ, or undefined when they are deeply equal. */
export function firstDifference(
  expected: readonly unknown[],
  actual: readonly unknown[],
): string | undefined {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (!isDeepStrictEqual(expected[i], actual[i]))
      return `record #${i + 1}: expected ${describeValue(expected[i])}, got ${describeValue(actual[i])} (${expected.length} vs ${actual.length} records)`;
  }
  return undefined;
}

/** Feeds `content` as a stream of fresh `Uint8Array`s (not Buffers, as the contract says) of `size` bytes. */
export async function* chunksOf(content: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < content.length; start += size) {
    const end = Math.min(content.length, start + size);
    const chunk = new Uint8Array(end - start);
    chunk.set(content.subarray(start, end));
    yield chunk;
  }
}
