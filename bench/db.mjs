// db bench: the embedded MongoDB-wire server (`billetix-db`, run as a child process as the
// gateway runs it) through the official driver on loopback, with better-sqlite3 in the same run
// as a reference. Workloads:
//   a  insertMany of BENCH_N ticket documents in ordered chunks of CHUNK (unique index first)
//   b0 PINGS {ping: 1} commands from CLIENTS workers: what this client + loopback can do at most
//   b  READS point reads findOne({performanceId, barcode}) from CLIENTS concurrent workers
//   b1 (RAW=1) the same reads from a minimal OP_MSG client: the server's capacity without the driver
//   c  SCANS guarded findOneAndUpdate (passes: 0 → 1) on distinct barcodes, CLIENTS workers
//   c1 (RAW=1) the same guarded updates from the minimal client, on other barcodes
//   d  race: RACE_CLIENTS clients fire the same guarded update on one barcode, RACE_ROUNDS times
//   e  restart on the same folder with the BENCH_N docs (SIGTERM → spawn → listening → 1st query)
//   big  BIG_N small docs, then SIGKILL + restart and SIGTERM + restart (BENCH_BIG=0 skips it)
// Knobs (env): BENCH_N=100000 CHUNK=10000 PINGS=30000 READS=100000 SCANS=50000 CLIENTS=50 RACE_CLIENTS=200
//   RACE_ROUNDS=10 PERFORMANCES=10 CAP_S=120 BENCH_BIG=1 BIG_N=1000000 BIG_BATCH=10000 SQLITE=1
//   RAW=1  ONLY=a,b,c,d,e,big  BENCH_PROF=0  KEEP_DATA=0  RESULTS=path.json  BILLETIX_DB_BIN=path/to/billetix-db.js
// Exit code: 1 when a correctness check fails (or the server dies), 0 otherwise — a missed
// target is reported in the table, not fatal.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BSON, MongoClient, ObjectId } from "mongodb";
import { formatSummary, summarizeProfile } from "./cpuprofile-top.mjs";
import { busyWarning, envInt, gitHead, printLoadAtEnd } from "./run-context.mjs";
import { Lat, mulberry32, shuffledRange } from "./stats.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SQLITE_SPEC = "better-sqlite3@12.9.0";
const REFERENCE_DIR = path.join(HERE, ".reference");

// ----------------------------------------------------------------- config --
function readConfig(env = process.env) {
  const int = envInt(env);
  const cfg = {
    n: int("BENCH_N", 100_000),
    chunk: int("CHUNK", 10_000),
    reads: int("READS", 100_000),
    pings: int("PINGS", 30_000),
    raw: int("RAW", 1) !== 0,
    scans: int("SCANS", 50_000),
    clients: int("CLIENTS", 50),
    raceClients: int("RACE_CLIENTS", 200),
    raceRounds: int("RACE_ROUNDS", 10),
    performances: int("PERFORMANCES", 10),
    capS: int("CAP_S", 120),
    big: int("BENCH_BIG", 1) !== 0,
    bigN: int("BIG_N", 1_000_000),
    bigBatch: int("BIG_BATCH", 10_000),
    sqlite: int("SQLITE", 1) !== 0,
    prof: int("BENCH_PROF", 0) !== 0,
    keepData: int("KEEP_DATA", 0) !== 0,
    only: new Set((env.ONLY || "a,b,c,d,e,big").split(",").map((s) => s.trim())),
    results: env.RESULTS,
  };
  if (cfg.scans + cfg.raceRounds > cfg.n) throw new Error("SCANS + RACE_ROUNDS must not exceed BENCH_N");
  if (cfg.chunk < 1 || cfg.bigBatch < 1 || cfg.clients < 1 || cfg.raceClients < 1 || cfg.performances < 1) {
    throw new Error("CHUNK, BIG_BATCH, CLIENTS, RACE_CLIENTS and PERFORMANCES must be at least 1");
  }
  return cfg;
}

// ---------------------------------------------------------------- helpers --
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms, CLOCK_MONOTONIC
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "-");
const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : "-");

class CheckFailed extends Error {}
function check(cond, msg) {
  if (!cond) throw new CheckFailed(`VERIFY FAILED: ${msg}`);
}

// Unique, scrambled barcodes: a multiplicative hash mod 2^32 is a bijection on i < 2^32.
const barcodeOf = (i) => `BX${((i * 2654435761) >>> 0).toString(36).toUpperCase().padStart(7, "0")}`;
const CATEGORIES = ["A", "B", "C", "VIP"];
const FIRST = ["Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Giulia", "Hugo", "Inès", "Jon"];
const LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau"];

/** The ticket data set, as plain values (each engine builds its own rows from it). */
function makeTickets(n, performances, seed) {
  const rnd = mulberry32(seed);
  const perfs = Array.from({ length: performances }, () => new ObjectId());
  const base = Date.UTC(2026, 10, 1);
  const tickets = new Array(n);
  for (let i = 0; i < n; i++) {
    tickets[i] = {
      perf: i % performances,
      barcode: barcodeOf(i),
      category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)],
      holderName: `${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`,
      seat: `R${1 + Math.floor(rnd() * 40)}-S${1 + Math.floor(rnd() * 60)}`,
      price: 10 + Math.floor(rnd() * 900) / 10,
      createdAt: base + i * 1000,
    };
  }
  return { perfs, tickets };
}
const ticketDoc = (perfs, t) => ({
  performanceId: perfs[t.perf],
  barcode: t.barcode,
  state: "valid",
  category: t.category,
  holderName: t.holderName,
  seat: t.seat,
  price: t.price,
  passes: 0,
  createdAt: new Date(t.createdAt),
});

/**
 * Closed loop: `workers` loops each take the next index as soon as their previous call is done,
 * until `total` calls are made or `capS` seconds passed. Latency per call.
 */
async function closedLoop(workers, total, capS, fn) {
  let next = 0;
  let done = 0;
  const lat = new Lat(total);
  const t0 = now();
  const deadline = t0 + capS * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (;;) {
        if (now() > deadline) return;
        const i = next++;
        if (i >= total) return;
        const s = now();
        await fn(i, w);
        lat.add(now() - s);
        done++;
      }
    }),
  );
  return { ops: done, ms: now() - t0, lat };
}

// CPU time of a process (ours: process.cpuUsage; the server child: /proc/PID/stat).
let clkTck = 100;
try {
  clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {}
/** [user, system] CPU ms of a process, from /proc/PID/stat (utime, stime). */
function procCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [(Number(f[11]) * 1000) / clkTck, (Number(f[12]) * 1000) / clkTck];
  } catch {
    return [Number.NaN, Number.NaN];
  }
}
/** CPU used by the server child and by this process between the call and `stop(ops)`. */
function cpuMeter(pid) {
  const c0 = process.cpuUsage();
  const [u0, k0] = procCpuMs(pid);
  const t0 = now();
  return (ops) => {
    const wall = now() - t0;
    const c = process.cpuUsage(c0);
    const benchMs = (c.user + c.system) / 1000;
    const [u1, k1] = procCpuMs(pid);
    const serverMs = u1 - u0 + (k1 - k0);
    return {
      serverCpuPct: (100 * serverMs) / wall,
      benchCpuPct: (100 * benchMs) / wall,
      serverUsPerOp: ops ? (1000 * serverMs) / ops : Number.NaN,
      serverSysUsPerOp: ops ? (1000 * (k1 - k0)) / ops : Number.NaN,
      benchUsPerOp: ops ? (1000 * benchMs) / ops : Number.NaN,
      benchSysUsPerOp: ops ? c.system / ops : Number.NaN,
    };
  };
}
const cpuText = (u) =>
  `cpu: server ${fmt(u.serverCpuPct, 0)}% (${fmt(u.serverUsPerOp, 0)} µs/op, kernel ${fmt(u.serverSysUsPerOp, 0)}), ` +
  `bench process ${fmt(u.benchCpuPct, 0)}% (${fmt(u.benchUsPerOp, 0)} µs/op, kernel ${fmt(u.benchSysUsPerOp, 0)}); 100% = one core`;

function dirFiles(dir) {
  try {
    return fs
      .readdirSync(dir)
      .map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }))
      .sort((x, y) => (x.name < y.name ? -1 : 1));
  } catch {
    return [];
  }
}
const filesText = (files) =>
  files.map((f) => `${f.name} ${(f.bytes / 1048576).toFixed(1)} MiB`).join(", ") || "(empty)";

// ------------------------------------------------------------ the server --
const liveChildren = new Set();
const tempDirs = new Set();

function serverBin() {
  // BILLETIX_DB_BIN: another build of the CLI (e.g. an older checkout, to compare)
  if (process.env.BILLETIX_DB_BIN) return path.resolve(process.env.BILLETIX_DB_BIN);
  const pkg = require.resolve("@billetix/mongo-embedded/package.json");
  return path.join(path.dirname(pkg), "bin", "billetix-db.js");
}

/** Spawns `billetix-db --dbpath DIR --port 0`; resolves once it printed `listening on URI`. */
async function startServer(dbPath, label, cfg, profDir) {
  const args = [];
  if (cfg.prof) {
    args.push("--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=server-${label}.cpuprofile`);
  }
  args.push(serverBin(), "--dbpath", dbPath, "--port", "0");
  const t0 = now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  liveChildren.add(child);
  const srv = { child, label, log: [], exit: undefined, uri: undefined, spawnedAt: t0 };
  const keep = (line) => {
    srv.log.push(line);
    if (srv.log.length > 200) srv.log.shift();
  };
  let errBuf = "";
  child.stderr.setEncoding("utf8").on("data", (d) => {
    errBuf += d;
    const lines = errBuf.split("\n");
    errBuf = lines.pop();
    for (const l of lines) keep(l);
  });
  srv.exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      liveChildren.delete(child);
      srv.exit = { code, signal };
      resolve(srv.exit);
    });
  });
  let outBuf = "";
  srv.uri = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server (${label}) not listening after 300 s`)), 300_000);
    child.stdout.setEncoding("utf8").on("data", (d) => {
      if (srv.uri !== undefined) return;
      outBuf += d;
      const m = /listening on (mongodb:\/\/\S+)/.exec(outBuf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    srv.exited.then((e) => {
      clearTimeout(timer);
      reject(
        new Error(
          `server (${label}) exited (${e.code ?? e.signal}) before listening:\n${[...srv.log, errBuf].join("\n")}`,
        ),
      );
    });
  });
  srv.listeningMs = now() - t0;
  return srv;
}

/** Sends `signal`, waits for the exit; a SIGTERM must end in exit code 0 (a clean stop). */
async function stopServer(srv, signal) {
  const t0 = now();
  if (!srv.exit) srv.child.kill(signal);
  const timer = setTimeout(() => srv.child.kill("SIGKILL"), 120_000);
  const e = await srv.exited;
  clearTimeout(timer);
  const ms = now() - t0;
  if (signal === "SIGTERM") {
    check(
      e.code === 0,
      `server (${srv.label}) did not stop cleanly on SIGTERM: ${JSON.stringify(e)}\n${srv.log.slice(-20).join("\n")}`,
    );
  }
  return ms;
}

/** After a run: a clean SIGTERM stop (checked) — or, after a failure, just make sure it is gone. */
async function shutdown(srv, client, clean) {
  try {
    if (client) await client.close();
  } catch {}
  if (srv.exit) return;
  if (clean) {
    await stopServer(srv, "SIGTERM");
  } else {
    srv.child.kill("SIGKILL");
    await srv.exited;
  }
}

/** The server's own storage counters (serverStatus.billetix.storage), when it reports them. */
async function storageStats(client) {
  try {
    return (await client.db("admin").command({ serverStatus: 1 }))?.billetix?.storage;
  } catch {
    return undefined;
  }
}
function journalFigures(s0, s1) {
  if (!s0 || !s1 || s1.journalRecords === undefined) return undefined;
  const records = s1.journalRecords - s0.journalRecords;
  const fsyncs = s1.fsyncs - s0.fsyncs;
  return {
    records,
    fsyncs,
    recordsPerFsync: records / Math.max(1, fsyncs),
    mib: (s1.journalBytesWritten - s0.journalBytesWritten) / 1048576,
    snapshots: s1.snapshots - s0.snapshots,
  };
}
const journalText = (j) =>
  j
    ? `journal: ${fmtInt(j.records)} records in ${fmtInt(j.fsyncs)} fdatasyncs (${fmt(j.recordsPerFsync, 1)} per fdatasync), ` +
      `${fmt(j.mib, 1)} MiB written, ${j.snapshots} snapshot(s) started`
    : "journal: (the server reports no storage figures)";

const recoveryText = (r) =>
  r
    ? `recovery inside the server: ${fmt(r.recoveryMs / 1000, 2)} s (${fmtInt(r.snapshotDocs)} docs from the snapshot, ` +
      `${fmtInt(r.journalOps)} ops from ${fmtInt(r.journalRecords)} journal records)` +
      (r.indexBuildMs === undefined ? "" : `, then indexes built in ${fmt(r.indexBuildMs / 1000, 2)} s`)
    : "recovery: (the server reports no figures)";

const clientOptions = (pool) => ({ maxPoolSize: pool, serverSelectionTimeoutMS: 30_000 });

/**
 * A minimal OP_MSG client: one connection, one request in flight, BSON in and out, nothing
 * else (no sessions, no server selection, no cursors). Used by rows b1/c1 to measure what the
 * server can do when the client costs little.
 */
class RawConnection {
  static async open(uri) {
    const m = /^mongodb:\/\/\[?([^\]/]+?)\]?:(\d+)/.exec(uri);
    const socket = net.connect(Number(m[2]), m[1]);
    await new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new RawConnection(socket);
  }
  constructor(socket) {
    this.socket = socket;
    this.chunks = [];
    this.bytes = 0;
    this.nextId = 1;
    this.pending = undefined;
    socket.setNoDelay(true);
    socket.on("data", (d) => this.onData(d));
    socket.on("error", (e) => this.pending?.reject(e));
    socket.on("close", () => this.pending?.reject(new Error("raw connection closed")));
  }
  command(doc) {
    const body = BSON.serialize(doc);
    const msg = Buffer.allocUnsafe(21 + body.length);
    msg.writeInt32LE(msg.length, 0);
    msg.writeInt32LE(this.nextId++, 4);
    msg.writeInt32LE(0, 8);
    msg.writeInt32LE(2013, 12); // OP_MSG
    msg.writeUInt32LE(0, 16); // flagBits
    msg[20] = 0; // section kind 0: the command body
    body.copy(msg, 21);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(msg);
    });
  }
  onData(d) {
    this.chunks.push(d);
    this.bytes += d.length;
    while (this.bytes >= 4) {
      const head = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [head];
      const length = head.readInt32LE(0);
      if (this.bytes < length) return;
      const msg = head.subarray(0, length);
      const rest = head.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.bytes = rest.length;
      const p = this.pending;
      this.pending = undefined;
      try {
        if (msg.readInt32LE(12) !== 2013 || msg[20] !== 0) throw new Error("unexpected reply");
        p?.resolve(BSON.deserialize(msg.subarray(21, 21 + msg.readInt32LE(21))));
      } catch (e) {
        p?.reject(e);
      }
    }
  }
  close() {
    this.socket.destroy();
  }
}

async function openRaw(uri, n) {
  const conns = [];
  for (let i = 0; i < n; i += 25) {
    conns.push(
      ...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => RawConnection.open(uri)))),
    );
  }
  return conns;
}

// ---------------------------------------------------------- ours: a–d, e --
async function benchOurs(cfg, data, order, rows, ctx) {
  const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), "billetix-bench-"));
  tempDirs.add(dbPath);
  const { perfs, tickets } = data;
  const marks = {}; // hrtime windows of each workload (µs), to slice a server profile
  const mark = (k, from) => {
    marks[k] = { from: from * 1000, to: now() * 1000 };
  };
  let srv = await startServer(dbPath, "main", cfg, ctx.profDir);
  ctx.servers.push(srv);
  ctx.profiles.push({ label: "main", marks });
  let finished = false;
  console.log(`server: ${srv.uri} (pid ${srv.child.pid}), data folder ${dbPath}`);
  let client = await new MongoClient(srv.uri, clientOptions(cfg.clients)).connect();
  try {
    const db = client.db("bench");
    const coll = db.collection("tickets");
    const warm = db.collection("warm");
    const keyOf = (t) => ({ performanceId: perfs[t.perf], barcode: t.barcode });

    // (a) insertMany ---------------------------------------------------------------------------
    {
      await coll.createIndex({ performanceId: 1, barcode: 1 }, { unique: true });
      await warm.createIndex({ performanceId: 1, barcode: 1 }, { unique: true });
      const warmDocs = Array.from({ length: 2000 }, (_, i) => ({
        ...ticketDoc(perfs, tickets[i % tickets.length]),
        barcode: `WARM${i}`,
      }));
      for (let i = 0; i < warmDocs.length; i += 500) await warm.insertMany(warmDocs.slice(i, i + 500));
      const docs = tickets.map((t) => ticketDoc(perfs, t));
      console.log(`\n(a) insertMany: ${cfg.n} docs, ordered chunks of ${cfg.chunk}, unique index first`);
      const lat = new Lat(Math.ceil(cfg.n / cfg.chunk));
      const st0 = await storageStats(client);
      const cpu = cpuMeter(srv.child.pid);
      const t0 = now();
      let inserted = 0;
      for (let i = 0; i < docs.length; i += cfg.chunk) {
        const s = now();
        const r = await coll.insertMany(docs.slice(i, i + cfg.chunk), { ordered: true });
        lat.add(now() - s);
        inserted += r.insertedCount;
      }
      const ms = now() - t0;
      mark("a", t0);
      const u = cpu(inserted);
      const journal = journalFigures(st0, await storageStats(client));
      check(inserted === cfg.n, `insertMany acknowledged ${inserted} of ${cfg.n}`);
      const count = await coll.countDocuments();
      check(count === cfg.n, `collection holds ${count} docs, expected ${cfg.n}`);
      let dupCode;
      try {
        await coll.insertOne(ticketDoc(perfs, tickets[0]));
      } catch (e) {
        dupCode = e.code;
      }
      check(
        dupCode === 11000,
        `a duplicate (performanceId, barcode) was not refused with E11000 (${dupCode})`,
      );
      const row = addRow(rows, "a", `a) insertMany ${fmtInt(cfg.n)} docs, chunks of ${fmtInt(cfg.chunk)}`, {
        ops: inserted,
        ms,
        lat,
        cpu: u,
        target: "≤ 3 s total",
        met: ms <= 3000,
      });
      row.journal = journal;
      console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
      console.log(`     ${journalText(journal)}`);
      console.log(`     verified: ${count} docs stored, duplicate key refused (E11000)`);
    }

    // (b0) the client's ceiling: the cheapest command, same workers ------------------------------
    if (cfg.only.has("b") && cfg.pings > 0) {
      const admin = client.db("admin");
      await closedLoop(cfg.clients, 3000, cfg.capS, () => admin.command({ ping: 1 }));
      console.log(
        `\n(b0) ceiling of this client: {ping: 1} × ${cfg.pings}, ${cfg.clients} workers (no data touched)`,
      );
      const cpu = cpuMeter(srv.child.pid);
      const t0 = now();
      const r = await closedLoop(cfg.clients, cfg.pings, cfg.capS, () => admin.command({ ping: 1 }));
      mark("b0", t0);
      const u = cpu(r.ops);
      const row = addRow(rows, "b0", `b0) {ping: 1}, ${cfg.clients} workers (driver ceiling)`, {
        ...r,
        cpu: u,
        target: "-",
        met: undefined,
      });
      console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
    }

    // (b) point reads --------------------------------------------------------------------------
    if (cfg.only.has("b")) {
      const rnd = mulberry32(42);
      const keys = Int32Array.from({ length: cfg.reads }, () => Math.floor(rnd() * tickets.length));
      await closedLoop(cfg.clients, 3000, cfg.capS, (i) =>
        coll.findOne(keyOf(tickets[(i * 7919) % tickets.length])),
      );
      const plan = await coll.find(keyOf(tickets[keys[0]])).explain("executionStats");
      const examined = plan?.executionStats?.totalDocsExamined;
      console.log(
        `\n(b) point reads findOne({performanceId, barcode}): ${cfg.reads} random, ${cfg.clients} workers` +
          ` (plan: ${JSON.stringify(plan?.queryPlanner?.winningPlan ?? "?").slice(0, 160)}, docs examined: ${examined})`,
      );
      if (examined !== undefined && examined !== 1)
        ctx.notes.push(`(b) explain: ${examined} docs examined per read`);
      let found = 0;
      const cpu = cpuMeter(srv.child.pid);
      const t0 = now();
      const r = await closedLoop(cfg.clients, cfg.reads, cfg.capS, async (i) => {
        const t = tickets[keys[i]];
        const d = await coll.findOne(keyOf(t));
        if (d?.barcode === t.barcode) found++;
      });
      mark("b", t0);
      const u = cpu(r.ops);
      check(found === r.ops, `point reads found ${found} of ${r.ops}`);
      if (r.ops < cfg.reads) ctx.notes.push(`(b) stopped at the ${cfg.capS} s cap after ${r.ops} reads`);
      const row = addRow(rows, "b", `b) findOne by unique index, ${cfg.clients} workers`, {
        ...r,
        cpu: u,
        target: "≥ 20,000/s",
        met: r.ops / (r.ms / 1000) >= 20_000,
      });
      console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
      console.log(`     verified: ${found}/${r.ops} reads returned their ticket`);
    }

    // (b1) the same reads without the driver -------------------------------------------------------
    if (cfg.only.has("b") && cfg.raw) {
      const conns = await openRaw(srv.uri, cfg.clients);
      try {
        const rnd = mulberry32(43);
        const keys = Int32Array.from({ length: cfg.reads }, () => Math.floor(rnd() * tickets.length));
        const find = (w, t) =>
          conns[w].command({ find: "tickets", filter: keyOf(t), limit: 1, singleBatch: true, $db: "bench" });
        await closedLoop(cfg.clients, 3000, cfg.capS, (i, w) =>
          find(w, tickets[(i * 7919) % tickets.length]),
        );
        console.log(
          `\n(b1) the same reads from a minimal OP_MSG client (no driver), ${cfg.clients} connections`,
        );
        let found = 0;
        const cpu = cpuMeter(srv.child.pid);
        const t0 = now();
        const r = await closedLoop(cfg.clients, cfg.reads, cfg.capS, async (i, w) => {
          const t = tickets[keys[i]];
          const reply = await find(w, t);
          if (reply.ok === 1 && reply.cursor?.firstBatch?.[0]?.barcode === t.barcode) found++;
        });
        mark("b1", t0);
        const u = cpu(r.ops);
        check(found === r.ops, `raw point reads found ${found} of ${r.ops}`);
        const row = addRow(rows, "b1", `b1) same reads, minimal OP_MSG client, ${cfg.clients} conns`, {
          ...r,
          cpu: u,
          target: "(≥ 20,000/s)",
          met: r.ops / (r.ms / 1000) >= 20_000,
        });
        console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
      } finally {
        for (const c of conns) c.close();
      }
    }

    // (c) guarded findOneAndUpdate ----------------------------------------------------------------
    let scanned = 0;
    if (cfg.only.has("c")) {
      await closedLoop(cfg.clients, 2000, cfg.capS, (i) =>
        warm.findOneAndUpdate(
          { performanceId: perfs[tickets[i % tickets.length].perf], barcode: `WARM${i}`, passes: 0 },
          { $inc: { passes: 1 }, $set: { scannedAt: new Date() } },
          { returnDocument: "after" },
        ),
      );
      console.log(`\n(c) guarded findOneAndUpdate on ${cfg.scans} distinct barcodes, ${cfg.clients} workers`);
      let bad = 0;
      const st0 = await storageStats(client);
      const cpu = cpuMeter(srv.child.pid);
      const t0 = now();
      const r = await closedLoop(cfg.clients, cfg.scans, cfg.capS, async (i) => {
        const t = tickets[order[i]];
        const at = new Date();
        const d = await coll.findOneAndUpdate(
          { ...keyOf(t), passes: 0 },
          { $inc: { passes: 1 }, $set: { scannedAt: at } },
          { returnDocument: "after" },
        );
        if (!d || d.barcode !== t.barcode || d.passes !== 1 || d.scannedAt?.getTime() !== at.getTime()) bad++;
      });
      mark("c", t0);
      const u = cpu(r.ops);
      const journal = journalFigures(st0, await storageStats(client));
      scanned = r.ops;
      check(bad === 0, `${bad} guarded updates did not return the updated ticket`);
      const used = await coll.countDocuments({ passes: 1 });
      const over = await coll.countDocuments({ passes: { $gt: 1 } });
      const stamped = await coll.countDocuments({ scannedAt: { $exists: true } });
      check(
        used === r.ops && over === 0 && stamped === r.ops,
        `after ${r.ops} scans: passes=1 on ${used}, passes>1 on ${over}, scannedAt on ${stamped}`,
      );
      const t = tickets[order[0]];
      const again = await coll.findOneAndUpdate(
        { ...keyOf(t), passes: 0 },
        { $inc: { passes: 1 }, $set: { scannedAt: new Date() } },
        { returnDocument: "after" },
      );
      const after = await coll.findOne(keyOf(t));
      check(again === null && after?.passes === 1, `re-running a scan: returned ${JSON.stringify(again)}`);
      if (r.ops < cfg.scans) ctx.notes.push(`(c) stopped at the ${cfg.capS} s cap after ${r.ops} scans`);
      const row = addRow(rows, "c", `c) guarded findOneAndUpdate, ${cfg.clients} workers`, {
        ...r,
        cpu: u,
        target: "≥ 5,000/s durable",
        met: r.ops / (r.ms / 1000) >= 5000,
      });
      row.journal = journal;
      console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
      console.log(`     ${journalText(journal)}`);
      console.log(`     verified: exactly ${used} docs have passes = 1, none more; a re-run returned null`);
    }

    // (c1) the same guarded updates without the driver, on barcodes taken from the end -------------
    let rawScanned = 0;
    if (cfg.only.has("c") && cfg.raw) {
      const total = Math.min(cfg.scans, cfg.n - cfg.scans - cfg.raceRounds);
      const conns = await openRaw(srv.uri, cfg.clients);
      try {
        const fam = (w, t) =>
          conns[w].command({
            findAndModify: "tickets",
            query: { ...keyOf(t), passes: 0 },
            update: { $inc: { passes: 1 }, $set: { scannedAt: new Date() } },
            new: true,
            $db: "bench",
          });
        console.log(
          `\n(c1) the same guarded updates from the minimal OP_MSG client, ${total} other barcodes`,
        );
        let bad = 0;
        const st0 = await storageStats(client);
        const cpu = cpuMeter(srv.child.pid);
        const t0 = now();
        const r = await closedLoop(cfg.clients, total, cfg.capS, async (i, w) => {
          const t = tickets[order[cfg.n - 1 - i]];
          const reply = await fam(w, t);
          if (reply.ok !== 1 || reply.value?.barcode !== t.barcode || reply.value?.passes !== 1) bad++;
        });
        mark("c1", t0);
        const u = cpu(r.ops);
        const journal = journalFigures(st0, await storageStats(client));
        rawScanned = r.ops;
        check(bad === 0, `${bad} raw guarded updates did not return the updated ticket`);
        const used = await coll.countDocuments({ passes: 1 });
        check(
          used === scanned + rawScanned,
          `after c1: passes=1 on ${used}, expected ${scanned + rawScanned}`,
        );
        const row = addRow(rows, "c1", `c1) same updates, minimal OP_MSG client, ${cfg.clients} conns`, {
          ...r,
          cpu: u,
          target: "(≥ 5,000/s)",
          met: r.ops / (r.ms / 1000) >= 5000,
        });
        row.journal = journal;
        console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
        console.log(`     ${journalText(journal)}`);
      } finally {
        for (const c of conns) c.close();
      }
    }

    // (d) race ------------------------------------------------------------------------------------
    let raceWins = 0;
    if (cfg.only.has("d")) {
      console.log(
        `\n(d) race: ${cfg.raceClients} clients fire the same guarded update on one barcode, ${cfg.raceRounds} rounds`,
      );
      const racers = [];
      for (let i = 0; i < cfg.raceClients; i += 25) {
        const part = await Promise.all(
          Array.from({ length: Math.min(25, cfg.raceClients - i) }, () =>
            new MongoClient(srv.uri, clientOptions(1)).connect(),
          ),
        );
        racers.push(...part);
      }
      try {
        // open each racer's pooled connection before the first round
        await Promise.all(racers.map((c) => c.db("bench").collection("tickets").findOne(keyOf(tickets[0]))));
        const lat = new Lat(cfg.raceClients * cfg.raceRounds);
        let attempts = 0;
        let raceMs = 0;
        let allOk = true;
        const st0 = await storageStats(client);
        const cpu = cpuMeter(srv.child.pid);
        const tStart = now();
        for (let round = 0; round < cfg.raceRounds; round++) {
          const t = tickets[order[cfg.scans + round]]; // never scanned in (c)
          const t0 = now();
          const results = await Promise.all(
            racers.map(async (c) => {
              const s = now();
              const d = await c
                .db("bench")
                .collection("tickets")
                .findOneAndUpdate(
                  { ...keyOf(t), passes: 0 },
                  { $inc: { passes: 1 }, $set: { scannedAt: new Date() } },
                  { returnDocument: "after" },
                );
              lat.add(now() - s);
              return d;
            }),
          );
          raceMs += now() - t0;
          attempts += results.length;
          const winners = results.filter((d) => d !== null).length;
          const inDb = await coll.findOne(keyOf(t));
          const ok = winners === 1 && inDb?.passes === 1;
          if (ok) raceWins++;
          allOk &&= ok;
          console.log(
            `  round ${String(round + 1).padStart(2)} ${t.barcode}: ${winners} winner(s) of ${results.length}, passes in DB = ${inDb?.passes}  ${ok ? "OK" : "FAIL"}`,
          );
        }
        mark("d", tStart);
        const u = cpu(attempts);
        const journal = journalFigures(st0, await storageStats(client));
        const row = addRow(rows, "d", `d) race ${cfg.raceClients} clients × 1 barcode × ${cfg.raceRounds}`, {
          ops: attempts,
          ms: raceMs,
          lat,
          cpu: u,
          target: `1 winner × ${cfg.raceRounds}`,
          met: allOk,
        });
        row.journal = journal;
        console.log(`  -> ${row.ours.text}; ${cpuText(u)}`);
        console.log(`     ${journalText(journal)}`);
        check(allOk, `race: not exactly one winner in every round (${raceWins}/${cfg.raceRounds} rounds OK)`);
      } finally {
        await Promise.all(racers.map((c) => c.close()));
      }
    }

    // (e) restart with the data set ---------------------------------------------------------------
    if (cfg.only.has("e")) {
      await client.close();
      client = undefined;
      const files = dirFiles(dbPath);
      const stopMs = await stopServer(srv, "SIGTERM");
      console.log(`\n(e) restart on the same folder (${filesText(files)})`);
      const r = await timedRestart(dbPath, "restart", cfg, ctx, async (c) => {
        const t = tickets[order[0]];
        return c.db("bench").collection("tickets").findOne(keyOf(t));
      });
      srv = r.srv;
      client = r.client;
      const coll2 = client.db("bench").collection("tickets");
      check(
        r.first?.barcode === tickets[order[0]].barcode,
        "first query after restart did not find its ticket",
      );
      const count = await coll2.countDocuments();
      const used = await coll2.countDocuments({ passes: 1 });
      check(count === cfg.n, `after restart: ${count} docs, expected ${cfg.n}`);
      check(
        used === scanned + rawScanned + raceWins,
        `after restart: passes=1 on ${used} docs, expected ${scanned + rawScanned + raceWins}`,
      );
      const ix = await coll2.indexes();
      check(
        ix.some((i) => i.unique && i.key.performanceId === 1 && i.key.barcode === 1),
        "unique index missing after restart",
      );
      const eRow = addRow(rows, "e", `e) restart with ${fmtInt(cfg.n)} docs (SIGTERM, spawn → 1st query)`, {
        seconds: r.firstMs / 1000,
        detail: `stop ${fmt(stopMs / 1000, 2)} s; listening ${fmt(r.srv.listeningMs / 1000, 2)} s`,
        target: "-",
        met: undefined,
      });
      console.log(
        `  -> stop ${fmt(stopMs / 1000, 2)} s; spawn → listening ${fmt(r.srv.listeningMs / 1000, 2)} s; → first query ${fmt(r.firstMs / 1000, 2)} s`,
      );
      eRow.recovery = r.recovery;
      console.log(`     ${recoveryText(r.recovery)}`);
      console.log(`     verified: ${count} docs, ${used} with passes = 1, unique index present`);
    }
    finished = true;
  } finally {
    await shutdown(srv, client, finished);
    if (!cfg.keepData) {
      fs.rmSync(dbPath, { recursive: true, force: true });
      tempDirs.delete(dbPath);
    }
  }
}

/** Spawns a server on `dbPath`; times spawn → listening → connected → first query answered. */
async function timedRestart(dbPath, label, cfg, ctx, firstQuery) {
  const srv = await startServer(dbPath, label, cfg, ctx.profDir);
  ctx.servers.push(srv);
  ctx.profiles.push({ label });
  const client = await new MongoClient(srv.uri, clientOptions(cfg.clients)).connect();
  const first = await firstQuery(client);
  const firstMs = now() - srv.spawnedAt;
  const st = await storageStats(client);
  const recovery = st && {
    recoveryMs: st.recoveryMs,
    snapshotDocs: st.recoveredSnapshotDocs,
    journalRecords: st.recoveredRecords,
    journalOps: st.recoveredOps,
    indexBuildMs: st.indexBuildMs,
  };
  return { srv, client, first, firstMs, recovery };
}

// ------------------------------------------------------------ ours: big --
async function benchBig(cfg, rows, ctx) {
  const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), "billetix-bench-big-"));
  tempDirs.add(dbPath);
  const perfs = Array.from({ length: 4 }, () => new ObjectId());
  const small = (i) => ({ performanceId: perfs[i % perfs.length], barcode: barcodeOf(i), passes: 0 });
  const keyOf = (i) => ({ performanceId: perfs[i % perfs.length], barcode: barcodeOf(i) });
  let srv = await startServer(dbPath, "big", cfg, ctx.profDir);
  ctx.servers.push(srv);
  ctx.profiles.push({ label: "big" });
  let client = await new MongoClient(srv.uri, clientOptions(4)).connect();
  let finished = false;
  const t0All = now();
  try {
    console.log(`\n(big) ${fmtInt(cfg.bigN)} small docs in ordered batches of ${fmtInt(cfg.bigBatch)}`);
    const coll = client.db("bench").collection("small");
    await coll.createIndex({ performanceId: 1, barcode: 1 }, { unique: true });
    const lat = new Lat(Math.ceil(cfg.bigN / cfg.bigBatch));
    const st0 = await storageStats(client);
    const cpu = cpuMeter(srv.child.pid);
    const t0 = now();
    let inserted = 0;
    for (let i = 0; i < cfg.bigN; i += cfg.bigBatch) {
      const batch = Array.from({ length: Math.min(cfg.bigBatch, cfg.bigN - i) }, (_, k) => small(i + k));
      const s = now();
      const r = await coll.insertMany(batch, { ordered: true });
      lat.add(now() - s);
      inserted += r.insertedCount;
    }
    const insertMs = now() - t0;
    const u = cpu(inserted);
    const journal = journalFigures(st0, await storageStats(client));
    check(inserted === cfg.bigN, `big insert acknowledged ${inserted} of ${cfg.bigN}`);
    const bigRow = addRow(
      rows,
      "big-insert",
      `e) insertMany ${fmtInt(cfg.bigN)} small docs, batches of ${fmtInt(cfg.bigBatch)}`,
      {
        ops: inserted,
        ms: insertMs,
        lat,
        cpu: u,
        target: "-",
        met: undefined,
      },
    );
    console.log(
      `  -> ${fmtInt(inserted)} docs in ${fmt(insertMs / 1000, 2)} s = ${fmtInt(inserted / (insertMs / 1000))} docs/s; ${cpuText(u)}`,
    );
    bigRow.journal = journal;
    console.log(`     ${journalText(journal)}`);
    await client.close();
    client = undefined;

    const last = cfg.bigN - 1;
    const verify = async (c, how) => {
      const coll2 = c.db("bench").collection("small");
      const n = await coll2.estimatedDocumentCount();
      const counted = await coll2.countDocuments({ performanceId: perfs[0] });
      const expected0 = Math.ceil(cfg.bigN / perfs.length);
      check(n === cfg.bigN, `after ${how}: ${n} docs, expected every acknowledged one (${cfg.bigN})`);
      check(counted === expected0, `after ${how}: ${counted} docs of performance 0, expected ${expected0}`);
      return n;
    };
    const runOne = async (signal) => {
      const files = dirFiles(dbPath);
      const stopMs = await stopServer(srv, signal);
      const how = `${signal} + restart`;
      const r = await timedRestart(dbPath, `big-${signal.toLowerCase()}`, cfg, ctx, (c) =>
        c.db("bench").collection("small").findOne(keyOf(last)),
      );
      srv = r.srv;
      client = r.client;
      check(r.first?.barcode === barcodeOf(last), `after ${how}: the last acknowledged doc is missing`);
      const n = await verify(client, how);
      const row = addRow(rows, `big-${signal}`, `e) restart ${fmtInt(cfg.bigN)} docs after ${signal}`, {
        seconds: r.firstMs / 1000,
        detail: `listening ${fmt(r.srv.listeningMs / 1000, 2)} s`,
        target: "< 10 s",
        met: r.firstMs < 10_000,
      });
      console.log(
        `  ${signal} (stop ${fmt(stopMs / 1000, 2)} s; folder: ${filesText(files)})\n` +
          `  -> spawn → listening ${fmt(r.srv.listeningMs / 1000, 2)} s; → first query ${fmt(r.firstMs / 1000, 2)} s; verified ${fmtInt(n)} docs`,
      );
      row.recovery = r.recovery;
      console.log(`     ${recoveryText(r.recovery)}`);
      await client.close();
      client = undefined;
    };
    await runOne("SIGKILL");
    await runOne("SIGTERM");
    finished = true;
  } finally {
    await shutdown(srv, client, finished);
    if (!cfg.keepData) {
      fs.rmSync(dbPath, { recursive: true, force: true });
      tempDirs.delete(dbPath);
    }
    ctx.bigSeconds = (now() - t0All) / 1000;
  }
}

// --------------------------------------------------------- better-sqlite3 --
/** better-sqlite3 from bench/.reference, installed there on demand; null (with a line) if it can't be. */
function loadSqlite() {
  const req = createRequire(path.join(REFERENCE_DIR, "noop.js"));
  const tryLoad = () => {
    try {
      const Database = req("better-sqlite3");
      const version = JSON.parse(
        fs.readFileSync(path.join(REFERENCE_DIR, "node_modules", "better-sqlite3", "package.json"), "utf8"),
      ).version;
      new Database(":memory:").close(); // the native addon really loads
      return { Database, version };
    } catch (e) {
      return { error: e };
    }
  };
  let got = tryLoad();
  if (got.Database) return got;
  console.log(
    `sqlite reference: ${SQLITE_SPEC} not in bench/.reference yet; installing (native build, ~2 min) ...`,
  );
  fs.mkdirSync(REFERENCE_DIR, { recursive: true });
  const t0 = now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(
    npm,
    ["install", "--prefix", REFERENCE_DIR, SQLITE_SPEC, "--no-save", "--no-audit", "--no-fund"],
    { encoding: "utf8", timeout: 15 * 60_000 },
  );
  got = res.status === 0 ? tryLoad() : { error: new Error(`npm install exited ${res.status ?? res.error}`) };
  if (got.Database) {
    console.log(`sqlite reference: installed in ${fmt((now() - t0) / 1000, 0)} s`);
    return got;
  }
  const tail = `${res.stdout ?? ""}${res.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n   ");
  console.log(
    `sqlite reference: SKIPPED — could not install/load ${SQLITE_SPEC} into bench/.reference (${got.error.message})\n   ${tail}`,
  );
  return null;
}

function benchSqlite(Database, cfg, data, order, ctx) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "billetix-bench-sqlite-"));
  tempDirs.add(dir);
  const { perfs, tickets } = data;
  const perfHex = perfs.map((p) => p.toHexString());
  const out = {};
  const db = new Database(path.join(dir, "ref.sqlite"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const jm = db.pragma("journal_mode", { simple: true });
    const sync = db.pragma("synchronous", { simple: true });
    check(jm === "wal" && sync === 2, `sqlite not in WAL + synchronous=FULL (${jm}, ${sync})`);
    ctx.sqliteVersion = db.prepare("SELECT sqlite_version() AS v").get().v;
    for (const table of ["tickets", "warm"]) {
      db.exec(`CREATE TABLE ${table} (
        id INTEGER PRIMARY KEY, performance_id TEXT NOT NULL, barcode TEXT NOT NULL, state TEXT NOT NULL,
        category TEXT, holder_name TEXT, seat TEXT, price REAL, passes INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, scanned_at INTEGER);
        CREATE UNIQUE INDEX ${table}_perf_barcode ON ${table} (performance_id, barcode);`);
    }
    const stmts = (table) => ({
      insert: db.prepare(
        `INSERT INTO ${table} (performance_id, barcode, state, category, holder_name, seat, price, passes, created_at)
         VALUES (?, ?, 'valid', ?, ?, ?, ?, 0, ?)`,
      ),
      read: db.prepare(`SELECT * FROM ${table} WHERE performance_id = ? AND barcode = ?`),
      guard: db.prepare(
        `UPDATE ${table} SET passes = passes + 1, scanned_at = ? WHERE performance_id = ? AND barcode = ? AND passes = 0 RETURNING *`,
      ),
    });
    const T = stmts("tickets");
    const W = stmts("warm");
    const insertChunk = (s) =>
      db.transaction((rows) => {
        for (const t of rows) {
          s.insert.run(perfHex[t.perf], t.barcode, t.category, t.holderName, t.seat, t.price, t.createdAt);
        }
      });
    const insT = insertChunk(T);
    const insW = insertChunk(W);

    // (a)
    const warmRows = Array.from({ length: 2000 }, (_, i) => ({
      ...tickets[i % tickets.length],
      barcode: `WARM${i}`,
    }));
    for (let i = 0; i < warmRows.length; i += 500) insW(warmRows.slice(i, i + 500));
    {
      const lat = new Lat(Math.ceil(cfg.n / cfg.chunk));
      const t0 = now();
      for (let i = 0; i < tickets.length; i += cfg.chunk) {
        const s = now();
        insT(tickets.slice(i, i + cfg.chunk));
        lat.add(now() - s);
      }
      const ms = now() - t0;
      const count = db.prepare("SELECT count(*) AS n FROM tickets").get().n;
      check(count === cfg.n, `sqlite: ${count} rows, expected ${cfg.n}`);
      out.a = { ops: cfg.n, ms, lat };
    }
    // (b)
    if (cfg.only.has("b")) {
      for (let i = 0; i < 3000; i++) {
        const t = tickets[(i * 7919) % tickets.length];
        T.read.get(perfHex[t.perf], t.barcode);
      }
      const rnd = mulberry32(42);
      const keys = Int32Array.from({ length: cfg.reads }, () => Math.floor(rnd() * tickets.length));
      const lat = new Lat(cfg.reads);
      let found = 0;
      const t0 = now();
      for (let i = 0; i < cfg.reads; i++) {
        const t = tickets[keys[i]];
        const s = now();
        const row = T.read.get(perfHex[t.perf], t.barcode);
        lat.add(now() - s);
        if (row?.barcode === t.barcode) found++;
      }
      const ms = now() - t0;
      check(found === cfg.reads, `sqlite: point reads found ${found} of ${cfg.reads}`);
      out.b = { ops: cfg.reads, ms, lat };
    }
    // (c)
    if (cfg.only.has("c")) {
      for (let i = 0; i < 2000; i++)
        W.guard.get(Date.now(), perfHex[tickets[i % tickets.length].perf], `WARM${i}`);
      const lat = new Lat(cfg.scans);
      let bad = 0;
      const t0 = now();
      for (let i = 0; i < cfg.scans; i++) {
        const t = tickets[order[i]];
        const s = now();
        const row = T.guard.get(Date.now(), perfHex[t.perf], t.barcode);
        lat.add(now() - s);
        if (row?.passes !== 1) bad++;
      }
      const ms = now() - t0;
      const used = db.prepare("SELECT count(*) AS n FROM tickets WHERE passes = 1").get().n;
      const t = tickets[order[0]];
      const again = T.guard.get(Date.now(), perfHex[t.perf], t.barcode);
      check(
        bad === 0 && used === cfg.scans && again === undefined,
        `sqlite: guarded updates (${bad}, ${used})`,
      );
      out.c = { ops: cfg.scans, ms, lat };
    }
    // (d)
    if (cfg.only.has("d")) {
      const lat = new Lat(cfg.raceClients * cfg.raceRounds);
      let ok = 0;
      const t0 = now();
      for (let round = 0; round < cfg.raceRounds; round++) {
        const t = tickets[order[cfg.scans + round]];
        let winners = 0;
        for (let k = 0; k < cfg.raceClients; k++) {
          const s = now();
          if (T.guard.get(Date.now(), perfHex[t.perf], t.barcode)) winners++;
          lat.add(now() - s);
        }
        if (winners === 1) ok++;
      }
      const ms = now() - t0;
      check(ok === cfg.raceRounds, `sqlite race: ${ok}/${cfg.raceRounds} rounds with one winner`);
      out.d = { ops: cfg.raceClients * cfg.raceRounds, ms, lat };
    }
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
  return out;
}

// ---------------------------------------------------------------- report --
function addRow(rows, key, label, r) {
  const row = { key, workload: label, target: r.target, met: r.met, detail: r.detail };
  if (r.seconds !== undefined) {
    row.ours = { seconds: r.seconds, text: `${fmt(r.seconds, 2)} s` };
    if (r.detail) row.workload += ` [${r.detail}]`;
  } else {
    const s = r.lat.summary();
    const opsPerS = r.ops / (r.ms / 1000);
    row.ours = {
      ops: r.ops,
      seconds: r.ms / 1000,
      opsPerS,
      p50ms: s.p50,
      p99ms: s.p99,
      maxMs: s.max,
      text: `${fmtInt(r.ops)} in ${fmt(r.ms / 1000, 2)} s = ${fmtInt(opsPerS)}/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms`,
    };
    row.workload += ` [${fmt(r.ms / 1000, 2)} s]`;
  }
  if (r.cpu) row.cpu = r.cpu;
  rows.push(row);
  return row;
}

function attachSqlite(rows, sq) {
  for (const row of rows) {
    const r = sq?.[row.key];
    if (!r) continue;
    const s = r.lat.summary();
    row.sqlite = {
      ops: r.ops,
      seconds: r.ms / 1000,
      opsPerS: r.ops / (r.ms / 1000),
      p50ms: s.p50,
      p99ms: s.p99,
    };
    row.ratio = row.ours.opsPerS / row.sqlite.opsPerS;
  }
}

function printTable(rows, cfg) {
  const head = ["workload", "ours ops/s", "p50 ms", "p99 ms", "sqlite ops/s", "ratio", "target", "met?"];
  const body = rows.map((r) => [
    r.workload,
    r.ours.opsPerS !== undefined ? fmtInt(r.ours.opsPerS) : r.ours.text,
    fmt(r.ours.p50ms, 2),
    fmt(r.ours.p99ms, 2),
    r.sqlite ? fmtInt(r.sqlite.opsPerS) : "-",
    r.ratio !== undefined ? `${fmt(r.ratio, 2)}×` : "-",
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "yes" : "NO",
  ]);
  const table = [head, ...body];
  const w = head.map((_, k) => Math.max(...table.map((row) => row[k].length)));
  const line = (row) =>
    `| ${row.map((c, k) => (k === 0 || k >= 6 ? c.padEnd(w[k]) : c.padStart(w[k]))).join(" | ")} |`;
  const lines = [
    line(head),
    `|${w.map((x, k) => (k === 0 || k >= 6 ? `:${"-".repeat(x + 1)}` : `${"-".repeat(x + 1)}:`)).join("|")}|`,
  ];
  for (const row of body) lines.push(line(row));
  const sqRows = rows.filter((r) => r.sqlite);
  lines.push(
    "",
    `a: p50/p99 per insertMany call of ${fmtInt(cfg.chunk)} docs; ops/s = docs/s. b, c: ${cfg.clients} concurrent workers on one`,
    `  MongoClient (maxPoolSize ${cfg.clients}), closed loop, so latency is at saturation (p50 ≈ workers / throughput).`,
    `d: ${cfg.raceClients} MongoClients (one connection each) fire at once; p50/p99 per attempt, ops/s = attempts/s.`,
    "e: seconds from spawning `billetix-db` to the first query answered (after connecting a new client).",
    "ours: `billetix-db` as a child process, official driver 6.21 on loopback, every write fsynced before its reply.",
  );
  if (sqRows.length > 0) {
    lines.push(
      "sqlite: better-sqlite3 in the bench process (no network, no driver), WAL + synchronous=FULL, prepared statements;",
      "  it is synchronous, so its 'concurrency' is just sequential calls: every b/c/d figure is one call after another.",
      "  a: one transaction per chunk; c, d: one autocommit UPDATE … RETURNING * each. ratio = ours ops/s ÷ sqlite ops/s.",
    );
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------- main --
export async function run() {
  const cfg = readConfig();
  const date = new Date();
  const stamp = date.toISOString().replace(/[:.]/g, "-");
  const ctx = {
    notes: [],
    servers: [],
    profiles: [],
    profDir: path.join(HERE, "results", `prof-db-${stamp}`),
  };
  if (cfg.prof) fs.mkdirSync(ctx.profDir, { recursive: true });
  const cpus = os.cpus();
  const mongoPkg = JSON.parse(
    fs.readFileSync(require.resolve("@billetix/mongo-embedded/package.json"), "utf8"),
  );
  const driver = JSON.parse(fs.readFileSync(require.resolve("mongodb/package.json"), "utf8")).version;
  const header = {
    bench: "db",
    date: date.toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    tmpdir: os.tmpdir(),
    driver: `mongodb ${driver}`,
    server: process.env.BILLETIX_DB_BIN
      ? `billetix-db from ${process.env.BILLETIX_DB_BIN}`
      : `${mongoPkg.name} ${mongoPkg.version} @ ${gitHead(["packages/mongo-embedded"])}`,
    config: { ...cfg, only: [...cfg.only] },
  };
  const onSignal = () => {
    for (const c of liveChildren) c.kill("SIGKILL");
    if (!cfg.keepData) for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  console.log(`# db bench ${header.date}`);
  console.log(
    `# machine: ${header.cpus} cores (${header.cpuModel}), ${header.memGiB} GiB, ${header.os}, node ${header.node}`,
  );
  console.log(`# ours: ${header.server}, client ${header.driver}; tmp ${header.tmpdir}`);
  header.loadAvgAtStart = os.loadavg()[0];
  console.log(
    `# load average (1 min) at start: ${fmt(header.loadAvgAtStart, 2)}${busyWarning(header.loadAvgAtStart)}`,
  );

  let sqlite = null;
  // before any timing: an install compiles for ~2 min
  if (cfg.sqlite) sqlite = loadSqlite();
  else console.log("sqlite reference: skipped (SQLITE=0)");
  if (sqlite) header.sqlite = `better-sqlite3 ${sqlite.version}`;

  const data = makeTickets(cfg.n, cfg.performances, 20261128);
  const order = shuffledRange(cfg.n, 7); // scan order: distinct barcodes, random arrival
  const rows = [];
  let failure;
  try {
    await benchOurs(cfg, data, order, rows, ctx);
    if (cfg.big && cfg.only.has("big")) await benchBig(cfg, rows, ctx);
    else ctx.notes.push("the 1M-document restart part was skipped (BENCH_BIG=0 or ONLY without big)");
    if (sqlite) {
      console.log(`\nsqlite reference (${header.sqlite}): a, b, c, d ...`);
      const sq = benchSqlite(sqlite.Database, cfg, data, order, ctx);
      header.sqlite += `, SQLite ${ctx.sqliteVersion}`;
      attachSqlite(rows, sq);
    }
  } catch (e) {
    failure = e;
  } finally {
    for (const c of liveChildren) c.kill("SIGKILL");
    if (!cfg.keepData) for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  if (rows.length > 0) {
    console.log(`\n${printTable(rows, cfg)}`);
    console.log(
      `machine: ${header.cpus} cores (${header.cpuModel}), node ${header.node}; ${header.driver}; ${header.sqlite ?? "sqlite skipped"}`,
    );
    printLoadAtEnd(header, " (this bench itself keeps about 1.5 busy)");
  }
  if (ctx.bigSeconds !== undefined) {
    console.log(`the 1M part took ${fmt(ctx.bigSeconds, 0)} s in all (skip it with BENCH_BIG=0)`);
  }
  for (const n of ctx.notes) console.log(`note: ${n}`);

  // per-workload CPU profiles of the server (BENCH_PROF=1)
  const profiles = [];
  if (cfg.prof) {
    for (const p of ctx.profiles) {
      const file = path.join(ctx.profDir, `server-${p.label}.cpuprofile`);
      if (!fs.existsSync(file)) continue;
      const prof = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const [k, win] of Object.entries(p.marks ?? { all: {} })) {
        const s = summarizeProfile(prof, win);
        console.log(
          `\nserver CPU profile, ${p.label}, workload ${k} (${path.relative(process.cwd(), file)}):`,
        );
        console.log(formatSummary(s, 20));
        profiles.push({ file, workload: k, top: s.self.slice(0, 40), area: s.area.slice(0, 20) });
      }
    }
  }

  if (failure) {
    console.error(`\n${failure instanceof CheckFailed ? "" : "ERROR: "}${failure.stack ?? failure}`);
    for (const srv of ctx.servers) {
      if (srv.exit && srv.exit.code !== 0 && srv.exit.signal !== "SIGKILL") {
        console.error(`server ${srv.label} exited ${JSON.stringify(srv.exit)}; last log lines:`);
        console.error(srv.log.slice(-30).join("\n"));
      }
    }
  }
  const outFile = cfg.results || path.join(HERE, "results", `db-${stamp}.json`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        ...header,
        rows,
        notes: ctx.notes,
        bigSeconds: ctx.bigSeconds,
        failure: failure ? String(failure.message ?? failure) : undefined,
        profiles,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results: ${path.relative(process.cwd(), outFile) || outFile}`);
  return failure ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await run());
}
