import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Recovery speed, measured in a plain node child (Jest's sandbox runs this code ~3x slower).
 * The default size keeps the suite quick and only catches gross regressions; for the real
 * figure: `BENCH_DOCS=1000000 npx jest src/storage/durable-store.perf` (prints the result).
 */
const docs = Number(process.env.BENCH_DOCS ?? 200_000);

describe("DurableStore recovery speed", () => {
  it(`replays ${docs} small documents from a snapshot and from a journal`, async () => {
    const fixtures = join(__dirname, "fixtures");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--require", join(fixtures, "register-ts.js"), join(fixtures, "replay-bench.ts")],
      { env: { ...process.env, BENCH_DOCS: String(docs) }, maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout) as Record<string, number>;
    if (process.env.BENCH_DOCS) process.stdout.write(`storage recovery: ${stdout}`);
    expect(result.snapshotReplayDocs).toBe(docs);
    expect(result.journalReplayDocs).toBe(docs);
    // ~300k docs/s on the reference 2-core machine; a floor far below it, for shared CI.
    expect(docs / (result.snapshotReplayMs / 1000)).toBeGreaterThan(50_000);
    expect(docs / (result.journalReplayMs / 1000)).toBeGreaterThan(50_000);
  });
});
