// import bench (issue: "100k tickets from a CSV file and 100k from a simulator into a
// performance: ≤ 5 s each, memory flat; a re-sync with 1% changes: ≤ 1 s"). The production
// stack as processes — `billetix-db` and `node gateway/dist/main.js` — with the connector
// packages it discovers in node_modules; the bench is the back office and, for the partner rows,
// the partner (the ticketnet simulator runs in this process).
//   1  csv:     a TICKETS-line CSV uploaded to POST /api/performance-sources/:id/file
//   2  partner: a ticketnet source attached to a fresh performance (the import starts at once)
//   3  resync:  500 cancelled + 500 sold at the partner, refreshPerformanceSource; 3b: no change
//   4  xlsx:    the same lines as an .xlsx (exceljs's streaming writer), uploaded as in row 1
// Knobs (env): TICKETS=100000  ONLY=csv,partner,resync,xlsx  CAP_S=120  BENCH_PROF=0
//   KEEP_DATA=0  RESULTS=path.json  BENCH_ECHO=text (echo the gateway's and db's log lines containing it)
// Exit code: 1 when a correctness check fails (or a process dies), 0 otherwise — a missed target
// is reported in the table, not fatal.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MongoClient, ObjectId } from "mongodb";
import { Api, makeCatalog } from "./access/client.mjs";
import {
  CheckFailed,
  check,
  closeRun,
  cpuMeter,
  killStackOnInterrupt,
  now,
  reportDeadStack,
  rssSampler,
  settle,
  startStack,
  stopStack,
  withCheck,
} from "./access/stack.mjs";
import { fmt, fmtK } from "./access/workloads.mjs";
import { writeCsv, writeXlsx } from "./import/files.mjs";
import {
  attach,
  createSource,
  linkStatus,
  performanceState,
  refresh,
  sourceTypes,
  uploadFile,
  waitForImport,
} from "./import/sources.mjs";
import {
  envInt,
  noteRowOutcomes,
  printFailure,
  printLoadAtEnd,
  startRun,
  summariseProfiles,
  writeResults,
} from "./run-context.mjs";

const ROWS = ["csv", "partner", "resync", "xlsx"];
const ROOT_PASSWORD = "bench-root-password";
const FILE_TARGET_MS = 5000;
const PARTNER_TARGET_MS = 5000;
const RESYNC_TARGET_MS = 1000;
/** "Memory flat": the gateway's resident memory grows by at most this much during an import. */
const FLAT_MIB = 64;
/** Untimed imports first, so the timed ones run warm code, as a production gateway does. */
const WARM_TICKETS = 2000;
/** Tickets checked one by one with the driver after each file import. */
const SPOT_CHECKS = 500;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ----------------------------------------------------------------- config --
function readConfig(env = process.env) {
  const int = envInt(env);
  const cfg = {
    tickets: int("TICKETS", 100_000),
    capS: int("CAP_S", 120),
    prof: int("BENCH_PROF", 0) !== 0,
    keepData: int("KEEP_DATA", 0) !== 0,
    only: new Set((env.ONLY || ROWS.join(",")).split(",").map((s) => s.trim())),
    results: env.RESULTS,
  };
  const unknown = [...cfg.only].filter((r) => !ROWS.includes(r));
  if (unknown.length)
    throw new Error(`ONLY: unknown row(s) ${unknown.join(", ")}; rows are ${ROWS.join(",")}`);
  // Row 3 changes 1 % of the partner's tickets: 500 cancelled, 500 sold at 100k.
  if (cfg.tickets < 1000) throw new Error("TICKETS ≥ 1000");
  return cfg;
}

// ------------------------------------------------------------------ table --
function printTable(rows) {
  const head = ["row", "result", "target", "met", "check", "gateway cpu", "db cpu"];
  const cpuCell = (u, key) => {
    if (!u) return "-";
    const per = u[`${key}UsPerOp`];
    return `${fmt(u[`${key}Pct`], 0)}%${Number.isFinite(per) ? ` (${fmt(per, 0)} µs)` : ""}`;
  };
  const body = rows.map((r) => [
    r.label,
    r.result,
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "✔" : "NO",
    r.check === undefined ? "-" : r.check.startsWith("✔") ? "✔" : r.check,
    cpuCell(r.cpu, "gateway"),
    cpuCell(r.cpu, "db"),
  ]);
  const table = [head, ...body];
  const w = head.map((_, k) => Math.max(...table.map((row) => [...row[k]].length)));
  const numeric = new Set([5, 6]);
  const pad = (c, k) => {
    const extra = c.length - [...c].length;
    return numeric.has(k) ? c.padStart(w[k] + extra) : c.padEnd(w[k] + extra);
  };
  const line = (row) => `| ${row.map(pad).join(" | ")} |`;
  return [
    line(head),
    `|${w.map((x, k) => (numeric.has(k) ? `${"-".repeat(x + 1)}:` : `:${"-".repeat(x + 1)}`)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}

const mib = (x) => fmt(x, 0);
const rssText = (m) => `RSS ${mib(m.startMiB)}→${mib(m.peakMiB)} MiB (+${mib(m.peakMiB - m.startMiB)})`;
const cpuLine = (u, what) =>
  `cpu: gateway ${fmt(u.gatewayPct, 0)}% (${fmt(u.gatewayUsPerOp, 1)} µs/${what}), db ${fmt(u.dbPct, 0)}% ` +
  `(${fmt(u.dbUsPerOp, 1)} µs/${what}), bench ${fmt(u.benchPct, 0)}%; 100% = one core`;

// ------------------------------------------------------------------- rows --
/**
 * Rows 1 and 4: a file uploaded through the HTTP route into a fresh performance's file source.
 * The time runs from the request to the JSON reply, which comes once the import is done.
 */
async function rowFile(ctx, { key, label, perf, fileInfo, name, contentType }) {
  const { api, stack, cfg } = ctx;
  const link = await attach(api, perf, ctx.fileSourceId);
  await settle(stack);
  const rss = rssSampler(stack.gateway.pid, 25);
  const dbRss = rssSampler(stack.db.pid, 100);
  const cpu = cpuMeter(stack);
  const t0 = now();
  const upload = uploadFile(api, link.id, fileInfo.file, name, contentType);
  // The gateway reads a file twice (a check pass, then the import) and writes its status at each
  // batch of the second: the first status with records shows when the writes began.
  const firstWriteMs = watchFirstWrite(api, link.id, t0, upload);
  const reply = await upload;
  ctx.marks[key] = { from: t0 * 1000, to: now() * 1000 };
  const u = cpu(fileInfo.lines);
  const firstWrite = await firstWriteMs;
  const memory = rss();
  const dbMemory = dbRss();
  const ms = reply.ms;
  const perS = fileInfo.lines / (ms / 1000);
  const mb = fileInfo.bytes / 1e6;
  const row = {
    key,
    label,
    ms,
    perSecond: perS,
    bytes: fileInfo.bytes,
    memory,
    dbMemory,
    cpu: u,
    reply: reply.body,
    firstWriteMs: firstWrite,
    result:
      `${fmt(ms / 1000, 2)} s, ${fmtK(perS)} tickets/s, ${fmt(mb, 1)} MB; ` +
      `${rssText(memory)}${reply.status === 200 ? "" : `; HTTP ${reply.status}`}`,
    target: `≤ 5 s, RSS ≤ +${FLAT_MIB} MiB`,
    met: reply.status === 200 && ms <= FILE_TARGET_MS && memory.peakMiB - memory.startMiB <= FLAT_MIB,
  };
  console.log(
    `\n${label}: ${fmt(mb, 2)} MB, HTTP ${reply.status} after ${fmt(ms, 0)} ms: ${JSON.stringify(reply.body).slice(0, 200)}`,
  );
  console.log(
    `  first batch written ${fmt(firstWrite, 0)} ms after the request (the check pass and one batch of the import); ` +
      `gateway ${rssText(memory)} (${memory.samples} samples), db ${rssText(dbMemory)}\n  ${cpuLine(u, "ticket")}`,
  );
  await withCheck(row, async () => {
    check(
      reply.status === 200,
      `HTTP ${reply.status}: ${reply.body?.message ?? JSON.stringify(reply.body).slice(0, 300)}`,
    );
    const n = fileInfo.lines;
    const b = reply.body;
    check(
      b.records === n && b.created === n && b.updated === 0 && b.rejected === 0,
      `reply ${JSON.stringify(b).slice(0, 300)}: expected ${n} records, all created, none rejected`,
    );
    await checkFileTickets(ctx, perf, fileInfo);
    const s = (await linkStatus(api, link.id)).status;
    check(
      s.lastRecords === n && s.lastChanged === n && !s.lastError,
      `status ${JSON.stringify(s)}: expected lastRecords = lastChanged = ${n}, no error`,
    );
    return `${fmtK(n)} tickets, ${fmtK(n - fileInfo.cancelled)} valid, ${SPOT_CHECKS} checked field by field`;
  });
  const settled = await settle(stack, cfg.capS);
  console.log(`  idle again ${fmt(settled, 1)} s after the reply`);
  return row;
}

/**
 * Polls a performance source every 100 ms while `until` is pending; resolves to the ms (from
 * `t0`) of the first poll that saw `runningRecords` > 0, or NaN if none did.
 */
async function watchFirstWrite(api, id, t0, until) {
  let over = false;
  until.then(
    () => {
      over = true;
    },
    () => {
      over = true;
    },
  );
  while (!over) {
    const t = now();
    const s = (await linkStatus(api, id)).status;
    if (s.runningRecords > 0) return t - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number.NaN;
}

/** The performance's counters and revision, the ticket documents, and a sample against their lines. */
async function checkFileTickets(ctx, perf, fileInfo) {
  const n = fileInfo.lines;
  const valid = n - fileInfo.cancelled;
  const p = await performanceState(ctx.api, perf);
  check(
    p.counters.ticketCount === n && p.counters.validCount === valid && p.revision === n,
    `performance ${JSON.stringify(p)}: expected ticketCount ${n}, validCount ${valid}, revision ${n}`,
  );
  const tickets = ctx.db.collection("ticket");
  const filter = { performanceId: new ObjectId(perf) };
  const [count, validDocs] = await Promise.all([
    tickets.countDocuments(filter),
    tickets.countDocuments({ ...filter, state: "valid" }),
  ]);
  check(
    count === n && validDocs === valid,
    `${count} ticket documents (${validDocs} valid), expected ${n} (${valid})`,
  );
  const step = Math.max(1, Math.floor(n / SPOT_CHECKS));
  const sample = Array.from({ length: Math.min(SPOT_CHECKS, n) }, (_, k) => (k * step + 7) % n);
  const want = new Map(sample.map((i) => [fileInfo.expected(i).barcode, fileInfo.expected(i)]));
  const got = await tickets.find({ ...filter, barcode: { $in: [...want.keys()] } }).toArray();
  check(got.length === want.size, `${got.length} of ${want.size} sampled barcodes found`);
  for (const t of got) {
    const e = want.get(t.barcode);
    for (const f of ["state", "category", "holderName", "seat", "price"]) {
      check(
        t[f] === e[f],
        `ticket ${t.barcode}: ${f} is ${JSON.stringify(t[f])}, its line says ${JSON.stringify(e[f])}`,
      );
    }
    check(t.passes === 0 && t.revision >= 1 && t.revision <= n, `ticket ${t.barcode}: ${JSON.stringify(t)}`);
  }
}

/**
 * Row 2: a ticketnet source attached to a fresh performance; the gateway imports at once, in an
 * Agenda job. The import time is the gateway's own `lastDurationMs`; the wall time runs from the
 * attach call to the poll that saw the import done (100 ms polls).
 */
async function rowPartner(ctx) {
  const { api, stack, cfg, sim } = ctx;
  await settle(stack);
  const rss = rssSampler(stack.gateway.pid, 25);
  const dbRss = rssSampler(stack.db.pid, 100);
  const cpu = cpuMeter(stack);
  const t0 = now();
  const link = await attach(api, ctx.perf.P, ctx.partnerSourceId, { performanceId: sim.perfId });
  const attachMs = now() - t0;
  const done = await waitForImport(api, link.id, link.status, t0, cfg.capS);
  ctx.marks.partner = { from: t0 * 1000, to: now() * 1000 };
  const n = sim.ticketCount;
  const u = cpu(n);
  const memory = rss();
  const dbMemory = dbRss();
  const s = done.link.status;
  ctx.partnerLink = done.link;
  const row = {
    key: "partner",
    label: `2) partner (ticketnet simulator), ${fmtK(n)} tickets`,
    ms: s.lastDurationMs,
    wallMs: done.ms,
    perSecond: n / (s.lastDurationMs / 1000),
    memory,
    dbMemory,
    cpu: u,
    status: s,
    result:
      `${fmt(s.lastDurationMs / 1000, 2)} s import (${fmt(done.ms / 1000, 2)} s attach→done), ` +
      `${fmtK(n / (s.lastDurationMs / 1000))} tickets/s; ${rssText(memory)}`,
    target: `≤ 5 s, RSS ≤ +${FLAT_MIB} MiB`,
    met: s.lastDurationMs <= PARTNER_TARGET_MS && memory.peakMiB - memory.startMiB <= FLAT_MIB,
  };
  console.log(
    `\n${row.label}: attach ${fmt(attachMs, 0)} ms, done after ${fmt(done.ms, 0)} ms (${done.polls} polls, ` +
      `runningRecords seen up to ${fmtK(done.maxRunningRecords)}); status ${JSON.stringify(s)}`,
  );
  console.log(
    `  gateway ${rssText(memory)} (${memory.samples} samples), db ${rssText(dbMemory)}\n  ${cpuLine(u, "ticket")} (the bench serves the partner)`,
  );
  await withCheck(row, async () => {
    check(!s.lastError, `lastError: ${s.lastError}`);
    check(
      s.lastRecords === n && s.lastChanged === n,
      `status ${JSON.stringify(s)}: expected lastRecords = lastChanged = ${n}`,
    );
    const p = await performanceState(api, ctx.perf.P);
    check(
      p.counters.ticketCount === n && p.counters.validCount === sim.validBarcodes.length && p.revision === n,
      `performance ${JSON.stringify(p)}: expected ticketCount ${n}, validCount ${sim.validBarcodes.length}, revision ${n}`,
    );
    const count = await ctx.db
      .collection("ticket")
      .countDocuments({ performanceId: new ObjectId(ctx.perf.P) });
    check(count === n, `${count} ticket documents, expected ${n}`);
    return `${fmtK(n)} tickets, ${fmtK(sim.validBarcodes.length)} valid`;
  });
  const settled = await settle(stack, cfg.capS);
  console.log(`  idle again ${fmt(settled, 1)} s after the import`);
  return row;
}

/**
 * Rows 3 and 3b: `refreshPerformanceSource` after a change at the partner (`changes` = the
 * cancelled and sold barcodes) or none. The result is the gateway's `lastDurationMs`.
 */
async function rowResync(ctx, { key, label, cancelled, sold }) {
  const { api, stack, cfg } = ctx;
  const changes = cancelled.length + sold.length;
  const before = await linkStatus(api, ctx.partnerLink.id);
  const perfBefore = await performanceState(api, ctx.perf.P);
  await settle(stack);
  const cpu = cpuMeter(stack);
  const t0 = now();
  await refresh(api, ctx.partnerLink.id);
  const done = await waitForImport(api, ctx.partnerLink.id, before.status, t0, cfg.capS);
  ctx.marks[key] = { from: t0 * 1000, to: now() * 1000 };
  const s = done.link.status;
  const u = cpu(s.lastRecords || undefined);
  const row = {
    key,
    label,
    ms: s.lastDurationMs,
    wallMs: done.ms,
    cpu: u,
    status: s,
    result: `${fmt(s.lastDurationMs, 0)} ms import (${fmt(done.ms, 0)} ms refresh→done); ${fmtK(s.lastRecords)} read, ${fmtK(s.lastChanged)} changed`,
    target: "≤ 1 s",
    met: s.lastDurationMs <= RESYNC_TARGET_MS,
  };
  console.log(
    `\n${label}: done after ${fmt(done.ms, 0)} ms (${done.polls} polls); status ${JSON.stringify(s)}`,
  );
  console.log(`  ${cpuLine(u, "ticket read")}`);
  await withCheck(row, async () => {
    check(!s.lastError, `lastError: ${s.lastError}`);
    check(s.lastChanged === changes, `lastChanged ${s.lastChanged}, expected ${changes}`);
    const p = await performanceState(api, ctx.perf.P);
    const want = {
      ticketCount: perfBefore.counters.ticketCount + sold.length,
      validCount: perfBefore.counters.validCount - cancelled.length + sold.length,
      revision: perfBefore.revision + changes,
    };
    check(
      p.counters.ticketCount === want.ticketCount &&
        p.counters.validCount === want.validCount &&
        p.revision === want.revision,
      `performance ${JSON.stringify(p)}: expected ${JSON.stringify(want)}`,
    );
    if (changes > 0) {
      const tickets = ctx.db.collection("ticket");
      const filter = { performanceId: new ObjectId(ctx.perf.P) };
      const [gone, added] = await Promise.all([
        tickets.countDocuments({ ...filter, barcode: { $in: cancelled }, state: "cancelled" }),
        tickets.countDocuments({ ...filter, barcode: { $in: sold }, state: "valid" }),
      ]);
      check(
        gone === cancelled.length && added === sold.length,
        `${gone} of ${cancelled.length} cancelled barcodes cancelled, ${added} of ${sold.length} sold ones valid`,
      );
    }
    return `${fmtK(changes)} changed, counters ${p.counters.ticketCount}/${p.counters.validCount}`;
  });
  await settle(stack, cfg.capS);
  return row;
}

// -------------------------------------------------------------- simulator --
/**
 * The ticketnet partner, in this process: one performance of TICKETS tickets to time, one of
 * WARM_TICKETS for the untimed warm-up. The simulator issues a few of them cancelled or
 * reprinted (about 3 % and 2 %), as a real box office does: the valid ones are counted here.
 */
async function startPartner(cfg) {
  const { startTicketnetSimulator } = await import("@billetix/connector-ticketnet/simulator");
  const sim = await startTicketnetSimulator({ port: 0, seed: 1 });
  const warm = sim.addPerformance({ tickets: WARM_TICKETS });
  const timed = sim.addPerformance({ tickets: cfg.tickets });
  const tickets = sim.tickets(timed.id);
  const validBarcodes = tickets.filter((t) => t.status === "VALID").map((t) => t.barcode);
  return {
    sim,
    url: sim.url,
    credentials: sim.credentials,
    warmPerfId: warm.id,
    perfId: timed.id,
    ticketCount: tickets.length,
    validBarcodes,
  };
}

// ------------------------------------------------------------------- main --
export async function run() {
  const cfg = readConfig();
  const { header, stamp, runId, resultsDir } = startRun("import", cfg);

  const rows = [];
  const notes = [];
  const ctx = { cfg, runId, notes, marks: {} };
  const wantPartner = cfg.only.has("partner") || cfg.only.has("resync");
  const wantFile = cfg.only.has("csv") || cfg.only.has("xlsx");
  const profDir = cfg.prof ? path.join(resultsDir, `prof-import-${stamp}`) : undefined;
  let stack;
  let mongo;
  let partner;
  let failure;
  let profiles = [];
  const offInterrupt = killStackOnInterrupt(
    () => stack,
    cfg.keepData,
    () => partner?.sim.close(),
  );
  try {
    stack = await startStack({ dbName: "billetix_bench_import", rootPassword: ROOT_PASSWORD, profDir });
    ctx.stack = stack;
    console.log(
      `stack: billetix-db pid ${stack.db.pid} (${stack.mongoUri}, listening after ${fmt(stack.dbStartMs, 0)} ms), ` +
        `gateway pid ${stack.gateway.pid} (${stack.base}, /health 200 after ${fmt(stack.gatewayStartMs, 0)} ms); data ${stack.dir}`,
    );
    const api = new Api(stack.base, 8);
    ctx.api = api;
    await api.login("root", ROOT_PASSWORD);
    mongo = await new MongoClient(stack.mongoUri, { maxPoolSize: 4 }).connect();
    ctx.db = mongo.db("billetix_bench_import");

    const types = await sourceTypes(api);
    const needTypes = [...(wantFile ? ["file"] : []), ...(wantPartner ? ["ticketnet"] : [])];
    const missing = needTypes.filter((t) => !types.has(t));
    if (missing.length) {
      throw new Error(
        `the gateway did not load the source type(s) ${missing.join(", ")} (loaded: ${[...types.keys()].join(", ") || "none"}); ` +
          "build the connector packages (npm run build) and see the gateway's log for refused packages:\n" +
          stack.gateway.log.filter((l) => /connector/i.test(l)).join("\n"),
      );
    }
    const names = ["WF", "C", "WX", "X", "WP", "P"];
    const catalog = await makeCatalog(api, names, runId);
    ctx.perf = catalog.performances;
    console.log(
      `catalog: 1 institution, venue, event, ${names.length} performances through GraphQL; source types loaded: ${[...types.keys()].join(", ")}`,
    );

    // The files, written before anything is timed (into the stack's folder: KEEP_DATA keeps them).
    const files = {};
    const tf = now();
    if (cfg.only.has("csv")) {
      files.warmCsv = writeCsv(path.join(stack.dir, "warm.csv"), "V", WARM_TICKETS, 11);
      files.csv = writeCsv(path.join(stack.dir, "billets.csv"), "C", cfg.tickets, 1);
    }
    if (cfg.only.has("xlsx")) {
      files.warmXlsx = await writeXlsx(path.join(stack.dir, "warm.xlsx"), "Y", WARM_TICKETS, 12);
      files.xlsx = await writeXlsx(path.join(stack.dir, "billets.xlsx"), "X", cfg.tickets, 2);
    }
    if (wantFile) {
      console.log(
        `files: ${Object.values(files)
          .map(
            (f) =>
              `${path.basename(f.file)} ${fmtK(f.lines)} lines (${fmtK(f.cancelled)} cancelled) ${fmt(f.bytes / 1e6, 2)} MB`,
          )
          .join(", ")}; written in ${fmt((now() - tf) / 1000, 1)} s`,
      );
      const source = await createSource(api, {
        institutionId: catalog.institutionId,
        type: "file",
        name: "Export billetterie",
        config: {},
      });
      check(!source.configProblems?.length, `file source: ${JSON.stringify(source.configProblems)}`);
      ctx.fileSourceId = source.id;
    }

    // Untimed warm-ups: one small import through each path the timed rows take.
    const tw = now();
    const warmed = [];
    const warmFile = async (perf, f, name, type) => {
      const link = await attach(api, perf, ctx.fileSourceId);
      const r = await uploadFile(api, link.id, f.file, name, type);
      if (r.status !== 200) throw new Error(`warm-up ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      warmed.push(`${name} ${fmt(r.ms, 0)} ms`);
    };
    if (files.warmCsv) await warmFile(ctx.perf.WF, files.warmCsv, "echauffement.csv", "text/csv");
    if (files.warmXlsx) await warmFile(ctx.perf.WX, files.warmXlsx, "echauffement.xlsx", XLSX_TYPE);
    if (wantPartner) {
      partner = await startPartner(cfg);
      ctx.sim = partner;
      console.log(
        `partner: ticketnet simulator at ${partner.url} (in this process), performances ${partner.warmPerfId} ` +
          `(${fmtK(WARM_TICKETS)} tickets) and ${partner.perfId} (${fmtK(cfg.tickets)})`,
      );
      const source = await createSource(api, {
        institutionId: catalog.institutionId,
        type: "ticketnet",
        name: "Ticketnet",
        config: { baseUrl: partner.url, ...partner.credentials },
      });
      check(!source.configProblems?.length, `ticketnet source: ${JSON.stringify(source.configProblems)}`);
      ctx.partnerSourceId = source.id;
      const t0 = now();
      const link = await attach(api, ctx.perf.WP, source.id, { performanceId: partner.warmPerfId });
      const done = await waitForImport(api, link.id, link.status, t0, cfg.capS);
      if (done.link.status.lastError)
        throw new Error(`warm-up partner import: ${done.link.status.lastError}`);
      warmed.push(`partner ${fmt(done.ms, 0)} ms`);
    }
    const settled = await settle(stack, cfg.capS);
    console.log(
      `warm-up (untimed): ${fmtK(WARM_TICKETS)} tickets each — ${warmed.join(", ")}; ${fmt((now() - tw) / 1000, 1)} s, idle after ${fmt(settled, 1)} s`,
    );

    if (cfg.only.has("csv")) {
      rows.push(
        await rowFile(ctx, {
          key: "csv",
          label: `1) CSV file, ${fmtK(cfg.tickets)} lines`,
          perf: ctx.perf.C,
          fileInfo: files.csv,
          name: "billets.csv",
          contentType: "text/csv",
        }),
      );
    }
    if (wantPartner) {
      const row = await rowPartner(ctx);
      if (cfg.only.has("partner")) rows.push(row);
      else notes.push("row 2 ran untimed, as row 3's set-up (ONLY without partner)");
    }
    if (cfg.only.has("resync") && ctx.partnerLink) {
      const { sim } = partner;
      const k = Math.round(cfg.tickets / 200); // 0.5 % cancelled + 0.5 % sold = 1 %
      // Valid tickets spread over the whole performance (every page of the partner's feed).
      const valid = partner.validBarcodes;
      const cancelled = Array.from(
        { length: k },
        (_, i) => valid[Math.floor(((i + 0.5) * valid.length) / k)],
      );
      for (const barcode of cancelled) sim.cancel(barcode);
      const sold = sim.sell(partner.perfId, k);
      rows.push(
        await rowResync(ctx, {
          key: "resync",
          label: `3) re-sync, 1% changed (${fmtK(k)} cancelled + ${fmtK(k)} sold)`,
          cancelled,
          sold,
        }),
      );
      rows.push(
        await rowResync(ctx, { key: "resync0", label: "3b) re-sync, no change", cancelled: [], sold: [] }),
      );
    }
    if (cfg.only.has("xlsx")) {
      rows.push(
        await rowFile(ctx, {
          key: "xlsx",
          label: `4) Excel file, ${fmtK(cfg.tickets)} rows`,
          perf: ctx.perf.X,
          fileInfo: files.xlsx,
          name: "billets.xlsx",
          contentType: XLSX_TYPE,
        }),
      );
    }

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
  } catch (e) {
    failure = e;
    reportDeadStack(stack);
  } finally {
    await closeRun([() => mongo?.close(), () => partner?.sim.close()], stack, cfg.keepData);
    offInterrupt();
  }

  if (rows.length > 0) {
    console.log(`\n${printTable(rows)}`);
    console.log(
      `machine: ${header.cpus} cores (${header.cpuModel}), node ${header.node}; code ${header.commit}; ` +
        "gateway and billetix-db as two processes, the bench (and the partner simulator) as a third, all on the same cores",
    );
    console.log(
      "time: rows 1 and 4 from the upload request to the JSON reply; rows 2–3b the gateway's lastDurationMs (wall time " +
        "from the call in brackets). cpu: % of one core over the row (µs per ticket, per ticket read in 3 and 3b); " +
        "RSS: the gateway's, before → peak (sampled every 25 ms).",
    );
    printLoadAtEnd(header);
  }
  noteRowOutcomes(rows, notes);
  for (const n of notes) console.log(`note: ${n}`);
  for (const p of profiles) {
    console.log(`\n${p.process} CPU profile, row ${p.row} (${path.relative(process.cwd(), p.file)}):`);
    console.log(p.text);
  }
  const checkFailed = rows.some((r) => r.check === "FAIL");
  printFailure(failure);

  const outFile = cfg.results || path.join(resultsDir, `import-${stamp}.json`);
  writeResults(outFile, {
    ...header,
    rows,
    notes,
    marks: ctx.marks,
    failure: failure ? String(failure.message ?? failure) : undefined,
    profiles: profiles.map(({ text, ...p }) => p),
  });
  return failure || checkFailed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await run());
}
