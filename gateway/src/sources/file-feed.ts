import { createReadStream } from "node:fs";
import type { RecordFeed } from "./source-sync";

/**
 * The records of an uploaded file, read twice: the first pass only checks that the whole file
 * reads (a bad line anywhere fails the import before anything is written — all or nothing),
 * the second imports it. Both stream from disk: the file is never held whole in memory.
 */
export function fileFeed(path: string, fileName: string, size: number): RecordFeed {
  return (connector, ctx) => {
    const parseFile = connector.parseFile;
    if (!parseFile) throw new Error(`connector ${connector.id} cannot read files`);
    const pass = (from: number, to: number) =>
      parseFile({
        config: ctx.config as never,
        content: readWithProgress(
          path,
          size,
          (share) => ctx.progress(from + share * (to - from)),
          ctx.signal,
        ),
        fileName,
        signal: ctx.signal,
      });
    return (async function* () {
      for await (const _ of pass(0, 0.5)) {
        // Checked, not kept.
      }
      yield* pass(0.5, 1);
    })();
  };
}

async function* readWithProgress(
  path: string,
  size: number,
  progress: (share: number) => void,
  signal: AbortSignal,
): AsyncIterable<Uint8Array> {
  let read = 0;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    progress(size > 0 ? read / size : 1);
    yield chunk;
  }
}
