import { spawn } from "node:child_process";
import { join } from "node:path";
import { openRecording, putIds, removeTempDirs, tempDir } from "./fixtures/store-helpers";

afterEach(removeTempDirs);

const fixtures = join(__dirname, "fixtures");

/** Runs the commit loop on `dir` and SIGKILLs it once `acks` commits were acknowledged. */
async function runAndKill(dir: string, acks: number): Promise<number[]> {
  const child = spawn(
    process.execPath,
    ["--require", join(fixtures, "register-ts.js"), join(fixtures, "commit-loop.ts"), dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const acked: number[] = [];
  let stderr = "";
  let buffered = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("ack ")) acked.push(Number(line.slice(4)));
    }
    if (acked.length >= acks) child.kill("SIGKILL");
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, sig) => resolve(sig)),
  );
  if (signal !== "SIGKILL") throw new Error(`the child ended on its own (${signal}): ${stderr}`);
  return acked;
}

describe("DurableStore under kill -9", () => {
  it("keeps every acknowledged commit, in order, across repeated kills mid-stream", async () => {
    const dir = tempDir();
    const everAcked: number[] = [];
    let snapshots = 0;
    // Kill after different amounts of work, so the kill lands in different places (mid-group,
    // mid-snapshot, right after a rotation...). Each round continues the data of the last.
    for (const acks of [150, 700, 1500, 400]) {
      const acked = await runAndKill(dir, acks);
      everAcked.push(...acked);
      const { store, ops, logs } = await openRecording(dir);
      const ids = putIds(ops) as number[];
      // Commit order is id order: recovery must give exactly a prefix 0..n-1 of it...
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i));
      // ...that holds every acknowledged one.
      expect(ids.length).toBeGreaterThan(Math.max(...everAcked));
      snapshots = Math.max(snapshots, store.stats().lastSnapshotSeq);
      if (process.env.KILL_DEBUG) console.log(acks, ids.length, Math.max(...everAcked), store.stats(), logs);
      await store.close();
    }
    // The rounds did go through snapshots and rotations, not just one journal.
    expect(snapshots).toBeGreaterThan(2);
  });
});
