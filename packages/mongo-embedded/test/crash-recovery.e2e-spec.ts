import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Document, MongoClient } from "mongodb";
import {
  buildPackage,
  type DbProcess,
  killAllSpawned,
  runCli,
  spawnDb,
  withTimeout,
} from "./support-process";

/**
 * The real `billetix-db` process, killed mid-load: every write the server acknowledged must
 * survive the crash, nothing that was never attempted may appear, and the restarted server must
 * accept writes again.
 */

const USAGE =
  "usage: billetix-db --dbpath DIR [--port 27017] [--host 127.0.0.1] [--quiet] [--stop-on-stdin-close]";
/** Fail fast once the server is gone; never retry a write behind the ledger's back. */
const CLIENT_OPTIONS = {
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  // A server that accepts a command and never answers fails the test instead of hanging it.
  socketTimeoutMS: 10_000,
  retryWrites: false,
  retryReads: false,
  maxPoolSize: 4,
} as const;
const CLIENTS = 4;
const WORKERS_PER_CLIENT = 4;
const TICKETS_PER_ROUND = 60;
/** Bound on one round of load: the kill comes after at most ~2,000 acknowledged writes. */
const LOAD_TIMEOUT_MS = 20_000;

interface Entry extends Document {
  _id: string;
  round: number;
  worker: number;
  seq: number;
  payload: string;
}
interface Counter extends Document {
  _id: string;
  n: number;
}
interface Ticket extends Document {
  _id: string;
  used: boolean;
  by?: string;
}

/** Everything the clients attempted, and what the server acknowledged. */
class Ledger {
  readonly attemptedEntries = new Set<string>();
  readonly ackedEntries = new Map<string, Entry>();
  readonly counterAttempts = new Map<string, number>();
  readonly counterAcks = new Map<string, number>();
  /** ticket → the worker whose guarded update the server acknowledged. */
  readonly claims = new Map<string, string>();
  /** Tickets the server reported as already used (a guard that matched nothing). */
  readonly seenUsed = new Set<string>();
  readonly doubleClaims: string[] = [];
  readonly tickets = new Set<string>();

  bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

/** One round of load against `uri` that ends with `signal` sent to the server after `killAfterAcks`. */
async function loadAndSignal(
  db: DbProcess,
  ledger: Ledger,
  round: number,
  killAfterAcks: number,
  signal: NodeJS.Signals,
): Promise<{ acks: number; inFlightAtSignal: number; unexpected: string[] }> {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => new MongoClient(db.uri, CLIENT_OPTIONS).connect()),
  );
  const ticketIds = Array.from({ length: TICKETS_PER_ROUND }, (_, i) => `r${round}-t${i}`);
  await clients[0]
    .db("crash")
    .collection<Ticket>("tickets")
    .insertMany(ticketIds.map((_id) => ({ _id, used: false })));
  for (const id of ticketIds) ledger.tickets.add(id);

  let acks = 0;
  let pending = 0;
  let inFlightAtSignal = 0;
  let signalled = false;
  const unexpected: string[] = [];
  const acknowledged = () => {
    acks++;
    if (!signalled && acks >= killAfterAcks) {
      signalled = true;
      inFlightAtSignal = pending;
      db.child.kill(signal);
    }
  };
  const worker = async (client: MongoClient, worker: number) => {
    const name = `r${round}-w${worker}`;
    const database = client.db("crash");
    const entries = database.collection<Entry>("entries");
    const counters = database.collection<Counter>("counters");
    const tickets = database.collection<Ticket>("tickets");
    // Each worker goes on until the dying server fails one of its writes: that is how each client
    // learns the server is gone. A client that has not noticed sends `endSessions` from close(),
    // and mongodb 6.21 then waits forever for a 'drain' from the destroyed socket.
    for (let seq = 0; ; seq++) {
      pending++;
      try {
        switch (seq % 5) {
          case 0: {
            const doc: Entry = { _id: `${name}-${seq}`, round, worker, seq, payload: "x".repeat(seq % 200) };
            ledger.attemptedEntries.add(doc._id);
            await entries.insertOne(doc);
            ledger.ackedEntries.set(doc._id, doc);
            break;
          }
          case 1: {
            const batch: Entry[] = [0, 1, 2, 3].map((k) => ({
              _id: `${name}-${seq}.${k}`,
              round,
              worker,
              seq,
              payload: `batch ${k}`,
            }));
            for (const doc of batch) ledger.attemptedEntries.add(doc._id);
            await entries.insertMany(batch, { ordered: true });
            for (const doc of batch) ledger.ackedEntries.set(doc._id, doc);
            break;
          }
          case 2:
          case 3: {
            // Even: this worker's own counter; odd: one counter shared by every worker of every round.
            const id = seq % 2 === 0 ? `counter-${name}` : "counter-shared";
            ledger.bump(ledger.counterAttempts, id);
            await counters.updateOne({ _id: id }, { $inc: { n: 1 } }, { upsert: true });
            ledger.bump(ledger.counterAcks, id);
            break;
          }
          default: {
            const ticket = ticketIds[(seq * 7 + worker * 13) % ticketIds.length];
            const won = await tickets.findOneAndUpdate(
              { _id: ticket, used: false },
              { $set: { used: true, by: name } },
              { returnDocument: "after" },
            );
            if (won) {
              if (ledger.claims.has(ticket)) ledger.doubleClaims.push(ticket);
              ledger.claims.set(ticket, name);
            } else {
              ledger.seenUsed.add(ticket);
            }
          }
        }
        pending--;
        acknowledged();
      } catch (err) {
        pending--;
        // Once the signal is sent, failures are expected (the write may or may not have landed).
        if (!signalled) unexpected.push(`${name} op ${seq}: ${(err as Error).message}`);
        return;
      }
    }
  };
  await withTimeout(
    Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: WORKERS_PER_CLIENT }, (_, w) => worker(client, c * WORKERS_PER_CLIENT + w)),
      ),
    ),
    LOAD_TIMEOUT_MS,
    `round ${round}: the load did not end (${acks} acks, signalled: ${signalled}); server stderr:\n${db.stderr()}`,
  );
  await withTimeout(
    Promise.all(clients.map((client) => client.close())),
    10_000,
    `round ${round}: MongoClient.close() hung after the server went away`,
  );
  return { acks, inFlightAtSignal, unexpected };
}

/** Reads everything back from a (restarted) server and lists every broken promise. */
async function verify(uri: string, ledger: Ledger): Promise<string[]> {
  const client = await new MongoClient(uri, CLIENT_OPTIONS).connect();
  try {
    const database = client.db("crash");
    const problems: string[] = [];
    const entries = new Map(
      (await database.collection<Entry>("entries").find().toArray()).map((doc) => [doc._id, doc]),
    );
    for (const [id, acked] of ledger.ackedEntries) {
      const found = entries.get(id);
      if (!found) problems.push(`acknowledged entry ${id} is missing`);
      else if (JSON.stringify(found) !== JSON.stringify(acked))
        problems.push(`entry ${id} is ${JSON.stringify(found)}, acknowledged as ${JSON.stringify(acked)}`);
    }
    for (const id of entries.keys()) {
      if (!ledger.attemptedEntries.has(id) && !id.startsWith("after-")) problems.push(`phantom entry ${id}`);
    }
    const counters = new Map(
      (await database.collection<Counter>("counters").find().toArray()).map((doc) => [doc._id, doc.n]),
    );
    for (const [id, attempts] of ledger.counterAttempts) {
      const acked = ledger.counterAcks.get(id) ?? 0;
      const n = counters.get(id) ?? 0;
      if (n < acked || n > attempts)
        problems.push(`counter ${id} = ${n}, acknowledged ${acked}, attempted ${attempts}`);
    }
    for (const id of counters.keys()) {
      if (!ledger.counterAttempts.has(id)) problems.push(`phantom counter ${id}`);
    }
    const tickets = new Map(
      (await database.collection<Ticket>("tickets").find().toArray()).map((doc) => [doc._id, doc]),
    );
    for (const id of ledger.tickets) {
      const ticket = tickets.get(id);
      const claimer = ledger.claims.get(id);
      if (!ticket) problems.push(`acknowledged ticket ${id} is missing`);
      else if (claimer !== undefined && (ticket.used !== true || ticket.by !== claimer))
        problems.push(`ticket ${id} is ${JSON.stringify(ticket)}, acknowledged as claimed by ${claimer}`);
      else if (ledger.seenUsed.has(id) && ticket.used !== true)
        problems.push(`ticket ${id} was reported used, and is unused after the restart`);
    }
    if (tickets.size !== ledger.tickets.size)
      problems.push(`${tickets.size} tickets, expected ${ledger.tickets.size}`);
    for (const id of ledger.doubleClaims) problems.push(`ticket ${id} was claimed twice`);
    return problems;
  } finally {
    await client.close();
  }
}

/** The restarted server takes new writes and reads them back. */
async function acceptsWrites(uri: string, tag: string): Promise<Document | null> {
  const client = await new MongoClient(uri, CLIENT_OPTIONS).connect();
  try {
    const entries = client.db("crash").collection<{ _id: string; tag: string }>("entries");
    await entries.insertOne({ _id: `after-${tag}`, tag });
    await client
      .db("crash")
      .collection<Counter>("counters")
      .updateOne({ _id: "counter-shared" }, { $inc: { n: 0 } });
    return await entries.findOne({ _id: `after-${tag}` });
  } finally {
    await client.close();
  }
}

let dbPath: string;
let current: DbProcess | undefined;
const ledger = new Ledger();

beforeAll(async () => {
  // A fresh clone has no dist/: the CLI runs compiled code, so build it (incremental when up to date).
  await buildPackage(150_000);
  dbPath = await mkdtemp(path.join(os.tmpdir(), "billetix-crash-"));
}, 180_000);

afterAll(async () => {
  await killAllSpawned();
  if (dbPath) await rm(dbPath, { recursive: true, force: true });
});

describe("billetix-db killed mid-load", () => {
  // Different kill moments (random within each range): right after start-up, early, deep into the load.
  const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low));
  const rounds = [between(5, 50), between(200, 600), between(2_000, 4_000)].map((killAfterAcks, i) => ({
    round: i + 1,
    killAfterAcks,
  }));

  it.each(rounds)(
    "round $round: SIGKILL after $killAfterAcks acknowledged writes loses none of them",
    async ({ round, killAfterAcks }) => {
      current ??= await spawnDb(dbPath);
      const { acks, inFlightAtSignal, unexpected } = await loadAndSignal(
        current,
        ledger,
        round,
        killAfterAcks,
        "SIGKILL",
      );
      expect(unexpected).toEqual([]);
      expect(acks).toBeGreaterThanOrEqual(killAfterAcks);
      // The kill lands mid-load: other workers' writes are on the wire.
      expect(inFlightAtSignal).toBeGreaterThan(0);
      const killed = await current.stop("SIGKILL");
      expect(killed.signal).toBe("SIGKILL");

      current = await spawnDb(dbPath);
      expect(await verify(current.uri, ledger)).toEqual([]);
      expect(await acceptsWrites(current.uri, `round-${round}`)).toEqual({
        _id: `after-round-${round}`,
        tag: `round-${round}`,
      });
    },
  );
});

describe("billetix-db lifecycle", () => {
  it("SIGTERM mid-load exits 0, and the restart finds every acknowledged write", async () => {
    current ??= await spawnDb(dbPath);
    const { inFlightAtSignal, unexpected } = await loadAndSignal(current, ledger, 4, 300, "SIGTERM");
    expect(unexpected).toEqual([]);
    expect(inFlightAtSignal).toBeGreaterThan(0);
    const stopped = await current.stop("SIGTERM");
    expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 0, signal: null });
    expect(stopped.stderr).toContain("[billetix-db] SIGTERM: stopping");

    current = await spawnDb(dbPath);
    expect(await verify(current.uri, ledger)).toEqual([]);
    expect(await acceptsWrites(current.uri, "sigterm")).toEqual({ _id: "after-sigterm", tag: "sigterm" });
  });

  it("a second server on the same dbPath is refused while the first runs", async () => {
    current ??= await spawnDb(dbPath);
    const second = await runCli(["--dbpath", dbPath, "--port", "0"], 15_000);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(
      `[billetix-db] cannot start: ${dbPath} is in use by process ${current.pid} (lock file ${path.join(dbPath, "billetix.lock")})`,
    );
    // The first server is unharmed.
    expect(await acceptsWrites(current.uri, "second")).toEqual({ _id: "after-second", tag: "second" });
    expect(await verify(current.uri, ledger)).toEqual([]);
  });

  it("without --dbpath the CLI prints its usage and exits 2", async () => {
    expect(await runCli([], 15_000)).toEqual({ code: 2, signal: null, stdout: "", stderr: `${USAGE}\n` });
    expect(await runCli(["--dbpath", dbPath, "--port", "nope"], 15_000)).toEqual({
      code: 2,
      signal: null,
      stdout: "",
      stderr: `${USAGE}\n`,
    });
  });
});
