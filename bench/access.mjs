// access bench (issue 4): the scan path end to end, through the gateway as production runs it —
// `billetix-db` and `node gateway/dist/main.js` as two processes, the bench as the devices.
//   1 recordScans: SCANS scans on distinct barcodes, DEVICES device loops, batches of BATCH
//   2 checkTicket: CHECKS online checks, DEVICES clients, one scan per call
//   3 scanner import: GET /api/scanner/performances/:id/tickets (gzip NDJSON), then a ?since= delta
//   4 scan → counters event latency (graphql-ws), measured during row 1
//   5 Excel export: GET /api/reports/performances/:id/tickets.xlsx, with the gateway's peak RSS
//   6 decide() alone, in this process
//   7 the peer: PostgreSQL on the same check-ins (its b') and a') rows), run after ours
// Knobs (env): TICKETS=100000 SCANS=TICKETS DEVICES=50 BATCH=100 CHECKS=20000 CAP_S=60 PEER=1
//   ONLY=record,check,import,latency,export,decide  BENCH_PROF=0  COUNT_COMMANDS=0  KEEP_DATA=0
//   RESULTS=path.json  UPLOAD=http|graphql (how scans go up: the scanner's JSON route or recordScans)
//   BENCH_ECHO=text (echo the gateway's and db's log lines containing it)
//   PEER_DIR=path/to/postgres-checkin
// Exit code: 1 when a correctness check fails (or a process dies), 0 otherwise — a missed target
// is reported in the table, not fatal.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MongoClient } from "mongodb";
import { Api, loadTickets, makeCatalog, registerDevices } from "./access/client.mjs";
import { peerDir, recordedPeer, runPeer } from "./access/peer.mjs";
import {
  CheckFailed,
  closeRun,
  killStackOnInterrupt,
  now,
  reportDeadStack,
  settle,
  startStack,
  stopStack,
} from "./access/stack.mjs";
import {
  fmt,
  fmtK,
  rowCheck,
  rowDecide,
  rowExport,
  rowImport,
  rowLatency,
  rowRecord,
  warmUp,
} from "./access/workloads.mjs";
import {
  envInt,
  printFailure,
  printLoadAtEnd,
  startRun,
  summariseProfiles,
  writeResults,
} from "./run-context.mjs";

const ROWS = ["record", "check", "import", "latency", "export", "decide"];
const ROOT_PASSWORD = "bench-root-password";

// ----------------------------------------------------------------- config --
function readConfig(env = process.env) {
  const int = envInt(env);
  const tickets = int("TICKETS", 100_000);
  const cfg = {
    tickets,
    scans: int("SCANS", tickets),
    devices: int("DEVICES", 50),
    batch: int("BATCH", 100),
    checks: int("CHECKS", 20_000),
    capS: int("CAP_S", 60),
    peer: int("PEER", 1) !== 0,
    prof: int("BENCH_PROF", 0) !== 0,
    keepData: int("KEEP_DATA", 0) !== 0,
    countCommands: int("COUNT_COMMANDS", 0) !== 0,
    only: new Set((env.ONLY || ROWS.join(",")).split(",").map((s) => s.trim())),
    results: env.RESULTS,
  };
  const unknown = [...cfg.only].filter((r) => !ROWS.includes(r));
  if (unknown.length)
    throw new Error(`ONLY: unknown row(s) ${unknown.join(", ")}; rows are ${ROWS.join(",")}`);
  if (cfg.scans > tickets || cfg.checks > tickets)
    throw new Error("SCANS and CHECKS must not exceed TICKETS");
  if (cfg.devices < 1 || cfg.batch < 1 || cfg.batch > 500 || tickets < 1000) {
    throw new Error("DEVICES ≥ 1, 1 ≤ BATCH ≤ 500 (the gateway's limit) and TICKETS ≥ 1000");
  }
  return cfg;
}

// ------------------------------------------------------------------ table --
const fmtRatio = (x) => fmt(x, x < 0.1 ? 3 : 2);
function printTable(rows, peer) {
  const head = ["row", "result", "p50 ms", "p99 ms", "target", "met", "check", "gateway cpu", "db cpu"];
  const cpuCell = (u, key) => (u ? `${fmt(u[`${key}Pct`], 0)}% (${fmt(u[`${key}UsPerOp`], 0)} µs)` : "-");
  const body = rows.map((r) => [
    r.label,
    r.result ?? `${fmtK(r.perSecond)} ${r.unit} [${fmt(r.ms / 1000, 1)} s]`,
    fmt(r.latency?.p50, 1),
    fmt(r.latency?.p99, 1),
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "✔" : "NO",
    r.check === undefined ? "-" : r.check.startsWith("✔") ? "✔" : r.check,
    cpuCell(r.cpu, "gateway"),
    cpuCell(r.cpu, "db"),
  ]);
  const table = [head, ...body];
  const w = head.map((_, k) => Math.max(...table.map((row) => [...row[k]].length)));
  const pad = (c, k, right) =>
    right ? c.padStart(w[k] + c.length - [...c].length) : c.padEnd(w[k] + c.length - [...c].length);
  const numeric = new Set([1, 2, 3, 7, 8]);
  const line = (row) => `| ${row.map((c, k) => pad(c, k, numeric.has(k))).join(" | ")} |`;
  const lines = [
    line(head),
    `|${w.map((x, k) => (numeric.has(k) ? `${"-".repeat(x + 1)}:` : `:${"-".repeat(x + 1)}`)).join("|")}|`,
    ...body.map(line),
  ];
  if (peer) {
    const ours = Object.fromEntries(rows.map((r) => [r.key, r]));
    const label = peer.mode === "ran" ? "ran now" : "recorded, not run";
    lines.push(
      "",
      `| ours | scans/s | peer: PostgreSQL (${label}) | scans/s | p50 ms | p99 ms | ours ÷ peer |`,
      "|:--|--:|:--|--:|--:|--:|--:|",
    );
    for (const [key, id] of [
      ["record", "b2"],
      ["check", "a2"],
    ]) {
      const o = ours[key];
      const p = peer.rows[id];
      const pText = p.runs ? p.runs.map(fmtK).join(" / ") : fmtK(p.opsPerS);
      lines.push(
        `| ${o?.label ?? `(${key} not run)`} | ${o ? fmtK(o.perSecond) : "-"} | ${p.label} | ${pText} | ${fmt(p.p50ms, 1)} | ${fmt(p.p99ms, 1)} | ` +
          `${o ? `${fmtRatio(o.perSecond / p.opsPerS)}×` : "-"} |`,
      );
    }
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------- main --
export async function run() {
  const cfg = readConfig();
  const { header, stamp, runId, resultsDir } = startRun("access", cfg);

  const rows = [];
  const notes = [];
  const ctx = { cfg, runId, notes, marks: {}, latency: cfg.only.has("latency") && cfg.only.has("record") };
  if (cfg.only.has("latency") && !cfg.only.has("record"))
    notes.push("row 4 runs during row 1: ONLY without record skips it");
  const profDir = cfg.prof ? path.join(resultsDir, `prof-access-${stamp}`) : undefined;
  let stack;
  let mongo;
  let failure;
  let profiles = [];
  const offInterrupt = killStackOnInterrupt(() => stack, cfg.keepData);
  try {
    const needsGateway = ROWS.filter((r) => r !== "decide").some((r) => cfg.only.has(r));
    if (needsGateway) {
      stack = await startStack({
        dbName: "billetix_bench",
        rootPassword: ROOT_PASSWORD,
        profDir,
        countCommands: cfg.countCommands,
      });
      ctx.stack = stack;
      console.log(
        `stack: billetix-db pid ${stack.db.pid} (${stack.mongoUri}, listening after ${fmt(stack.dbStartMs, 0)} ms), ` +
          `gateway pid ${stack.gateway.pid} (${stack.base}, /health 200 after ${fmt(stack.gatewayStartMs, 0)} ms); data ${stack.dir}`,
      );
      const api = new Api(stack.base, cfg.devices + 16);
      ctx.api = api;
      await api.login("root", ROOT_PASSWORD);

      // The catalog through the API; the tickets with the driver.
      const want = {
        W: true,
        R: cfg.only.has("record") || cfg.only.has("export"),
        C: cfg.only.has("check"),
        I: cfg.only.has("import"),
        P: ctx.latency,
      };
      const names = Object.keys(want).filter((k) => want[k]);
      const catalog = await makeCatalog(api, names, runId);
      ctx.perf = catalog.performances;
      ctx.devices = Array.from(
        { length: cfg.devices },
        (_, i) => `bench-${runId}-dev${String(i).padStart(3, "0")}`,
      );
      ctx.probeDevice = `bench-${runId}-probe`;
      await registerDevices(api, catalog.institutionId, [...ctx.devices, ctx.probeDevice]);
      mongo = await new MongoClient(stack.mongoUri, { maxPoolSize: 4 }).connect();
      const db = mongo.db("billetix_bench");
      ctx.db = db;
      ctx.warmTickets = 2000;
      ctx.probeTickets = 3000;
      const sizes = {
        W: ctx.warmTickets,
        R: cfg.tickets,
        C: cfg.tickets,
        I: cfg.tickets,
        P: ctx.probeTickets,
      };
      console.log(
        `catalog: 1 institution, venue, event, ${names.length} performances (${names.join(", ")}) through GraphQL, ` +
          `${cfg.devices + 1} devices registered`,
      );
      // Each performance's tickets are loaded right before the row that uses them (a fresh
      // performance each time), then the stack is left to drain the change events of the load.
      const loaded = new Set();
      const ensureLoaded = async (...keys) => {
        const todo = keys.filter((k) => !loaded.has(k));
        if (todo.length === 0) return;
        const t0 = now();
        for (const k of todo) {
          await loadTickets(db, ctx.perf[k], k, sizes[k]);
          loaded.add(k);
        }
        const loadS = (now() - t0) / 1000;
        const settled = await settle(stack);
        const total = await db.collection("ticket").estimatedDocumentCount();
        console.log(
          `tickets: ${todo.map((k) => `${fmtK(sizes[k])} for ${k}`).join(", ")} loaded with the driver in ${fmt(loadS, 1)} s ` +
            `(${fmtK(total)} in the collection), idle again after ${fmt(settled, 1)} s`,
        );
      };
      await ensureLoaded("W");
      const tw = now();
      const warmScans = await warmUp(ctx);
      await settle(stack);
      console.log(
        `warm-up (untimed): ${fmtK(warmScans)} scans on its own performance in ${fmt((now() - tw) / 1000, 1)} s`,
      );

      const step = async (key, needs, fn) => {
        if (!cfg.only.has(key)) return;
        await ensureLoaded(...needs);
        const row = await fn(ctx);
        rows.push(row);
        await settle(stack);
      };
      await step("record", ctx.latency ? ["R", "P"] : ["R"], rowRecord);
      if (ctx.probe) rows.push(rowLatency(ctx));
      await step("check", ["C"], rowCheck);
      await step("import", ["I"], rowImport);
      await step("export", ["R"], rowExport);
      rows.sort((a, b) => a.label.localeCompare(b.label));

      api.close();
      await mongo.close();
      mongo = undefined;
      const stopped = await stopStack(stack, cfg.keepData);
      if (stopped.gateway?.code !== 0) {
        notes.push(`the gateway did not stop cleanly on SIGTERM: ${JSON.stringify(stopped.gateway)}`);
        throw new CheckFailed(
          `VERIFY FAILED: gateway exit ${JSON.stringify(stopped.gateway)}\n${stack.gateway.log.slice(-20).join("\n")}`,
        );
      }
      stack = undefined;
      if (profDir) profiles = summariseProfiles(profDir, ctx.marks);
    }
    if (cfg.only.has("decide")) rows.push(rowDecide());
  } catch (e) {
    failure = e;
    reportDeadStack(stack);
  } finally {
    await closeRun([() => mongo?.close()], stack, cfg.keepData);
    offInterrupt();
  }

  // Row 7: the peer, after ours (it needs both cores too).
  let peer;
  if (!failure && (cfg.only.has("record") || cfg.only.has("check"))) {
    const dir = peerDir();
    const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
    if (cfg.peer && isRoot && fs.existsSync(path.join(dir, "run.sh"))) {
      const logFile = path.join(resultsDir, `access-peer-${stamp}.txt`);
      console.log(
        `\n(7) the peer: ${dir}/run.sh with ONLY=b2,a2 REF=0 (log: ${path.relative(process.cwd(), logFile)}) ...`,
      );
      try {
        peer = await runPeer(dir, logFile);
        console.log(
          `  -> ${peer.server ?? "PostgreSQL"}: b') ${fmtK(peer.rows.b2.opsPerS)} scans/s, a') ${fmtK(peer.rows.a2.opsPerS)} scans/s, in ${fmt(peer.seconds, 0)} s`,
        );
      } catch (e) {
        notes.push(
          `the peer could not run (${String(e.message).split("\n")[0]}); its README's figures are shown instead`,
        );
        console.log(`  -> ${e.message}`);
      }
    } else if (cfg.peer && !isRoot)
      notes.push("not root: the peer (which installs and starts PostgreSQL) was not run");
    else if (!cfg.peer) notes.push("PEER=0: the peer was not run");
    else notes.push(`no peer at ${dir}`);
    peer ??= recordedPeer(dir);
    for (const [key, id] of [
      ["record", "b2"],
      ["check", "a2"],
    ]) {
      const row = rows.find((r) => r.key === key);
      if (!row) continue;
      const p = peer.rows[id];
      const ratio = row.perSecond / p.opsPerS;
      row.peer = { ...p, mode: peer.mode, ratio };
      if (key === "record") {
        row.target = `> peer b' (${fmtK(p.opsPerS)}/s); < 5,000/s is a defect`;
        row.met = row.perSecond > p.opsPerS;
        if (row.perSecond < 5000)
          notes.push(`row 1 is under 5,000 scans/s: a defect by the issue's own terms`);
      } else {
        row.target = `≥ peer a' (${fmtK(p.opsPerS)}/s)`;
        row.met = row.perSecond >= p.opsPerS;
      }
    }
  }

  if (rows.length > 0) {
    console.log(`\n${printTable(rows, peer)}`);
    console.log(
      `machine: ${header.cpus} cores (${header.cpuModel}), node ${header.node}; code ${header.commit}; ` +
        `gateway and billetix-db as two processes, the bench as a third (all on the same cores)`,
    );
    console.log(
      "p50/p99: row 1 per batch, row 2 per call, row 4 per probe (its target is on p95); cpu: % of one core over the row " +
        "(µs per scan, ticket or row); 100 % = one core.",
    );
    if (peer) {
      console.log(
        peer.mode === "ran"
          ? `peer: ${peer.server ?? "PostgreSQL"} run after ours on the same machine — ${peer.source}`
          : `peer: figures recorded in ${peer.source} (runs 1 / 2; the ratio uses the lower one)`,
      );
    }
    printLoadAtEnd(header);
  }
  for (const r of rows) if (r.failure) notes.push(`${r.label}: ${r.failure}`);
  for (const n of notes) console.log(`note: ${n}`);
  for (const p of profiles) {
    console.log(`\n${p.process} CPU profile, row ${p.row} (${path.relative(process.cwd(), p.file)}):`);
    console.log(p.text);
  }
  const checkFailed = rows.some((r) => r.check === "FAIL");
  printFailure(failure);

  const outFile = cfg.results || path.join(resultsDir, `access-${stamp}.json`);
  const jsonRows = rows.map((r) => {
    const { download, ...rest } = r;
    return download ? { ...rest, download: { ...download, header: undefined } } : rest;
  });
  writeResults(outFile, {
    ...header,
    rows: jsonRows,
    peer,
    notes,
    failure: failure ? String(failure.message ?? failure) : undefined,
    profiles: profiles.map(({ text, ...p }) => p),
  });
  return failure || checkFailed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await run());
}
