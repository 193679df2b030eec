import { ConnectorError } from "@billetix/connector-sdk";

/**
 * A promise that rejects with the signal's reason once it is aborted, and a way to stop
 * listening. Raced against each read, so a stalled upload does not keep an aborted parse waiting.
 */
export function abortion(signal: AbortSignal): { aborted: Promise<never>; dispose(): void } {
  let dispose = () => {};
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    dispose = () => signal.removeEventListener("abort", onAbort);
  });
  // Only ever seen through a race.
  aborted.catch(() => {});
  return { aborted, dispose };
}

/**
 * The file's bytes, checked as they come: stops when `signal` is aborted, and throws as soon as
 * more than `maxBytes` have come. The bytes up to the limit are passed on first, so what was
 * read before the error does not depend on how the file was chunked.
 */
export async function* boundedBytes(
  content: AsyncIterable<Uint8Array>,
  maxBytes: number,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const iterator = content[Symbol.asyncIterator]();
  const { aborted, dispose } = abortion(signal);
  let total = 0;
  let finished = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      const step = await Promise.race([iterator.next(), aborted]);
      if (step.done) {
        finished = true;
        return;
      }
      const chunk = step.value;
      if (total + chunk.length > maxBytes) {
        if (maxBytes > total) yield chunk.subarray(0, maxBytes - total);
        const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
        throw new ConnectorError(
          "bad-file",
          `Le fichier dépasse la taille maximale de ${String(mb).replace(".", ",")} Mo fixée pour cette source.`,
        );
      }
      total += chunk.length;
      if (chunk.length > 0) yield chunk;
    }
  } finally {
    dispose();
    // The source may be stalled: ask it to stop without waiting for it.
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}

/** The first bytes of a stream, at least `count` of them unless it is shorter, and the stream from there on. */
export async function peek(
  bytes: AsyncIterator<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const step = await bytes.next();
    if (step.done) {
      done = true;
      break;
    }
    chunks.push(step.value);
    length += step.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const step = await bytes.next();
      if (step.done) return;
      yield step.value;
    }
  }
  return { head, rest: rest() };
}
