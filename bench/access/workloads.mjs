// The access bench's rows 1–6: each takes the run context, measures, verifies through the driver
// and returns its row (a failed verification throws CheckFailed).
import { createRequire } from "node:module";
import zlib from "node:zlib";
import { ObjectId } from "mongodb";
import { Lat, shuffledRange } from "../stats.mjs";
import { barcodeOf, QUERIES, subscribeCounters, UPLOAD, wsClient } from "./client.mjs";

const UPLOAD_PATH = UPLOAD === "http" ? "POST /api/scanner/scans" : "recordScans mutation";

import { CheckFailed, check, cpuMeter, now, rssSampler, withCheck } from "./stack.mjs";

const require = createRequire(import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- helpers --

/**
 * Closed loop: `workers` loops each take the next index as soon as their previous call is done,
 * until `total` calls are made or `capS` seconds passed. Latency per call.
 */
async function closedLoop(workers, total, capS, fn) {
  let next = 0;
  let done = 0;
  const lat = new Lat();
  const t0 = now();
  const deadline = t0 + capS * 1000;
  let failure;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (!failure) {
        if (now() > deadline) return;
        const i = next++;
        if (i >= total) return;
        const s = now();
        try {
          await fn(i, w);
        } catch (e) {
          failure ??= e;
          return;
        }
        lat.add(now() - s);
        done++;
      }
    }),
  );
  if (failure) throw failure;
  return { ops: done, ms: now() - t0, lat };
}

const perfFilter = (id) => ({ performanceId: new ObjectId(id) });
async function performanceDoc(db, id) {
  return db.collection("performance").findOne({ _id: new ObjectId(id) });
}

/** A scan as a device uploads it. */
const scanOf = (clientScanId, performanceId, barcode) => ({
  clientScanId,
  performanceId,
  barcode,
  direction: "in",
  scannedAt: new Date().toISOString(),
  timeZone: "Europe/Paris",
  deviceAccepted: true,
});

// ------------------------------------------------------ warm-up (untimed) --
/**
 * The gateway's code paths run before any timing, on the warm-up performance: half its tickets
 * through recordScans, 300 more through checkTicket.
 */
export async function warmUp(ctx) {
  const { api, cfg } = ctx;
  const recordN = Math.floor(ctx.warmTickets / 2);
  const checkN = Math.min(300, ctx.warmTickets - recordN);
  const batches = Math.ceil(recordN / cfg.batch);
  await closedLoop(Math.min(10, cfg.devices), batches, 120, async (b, w) => {
    const scans = [];
    for (let j = b * cfg.batch; j < Math.min(recordN, (b + 1) * cfg.batch); j++) {
      scans.push(scanOf(`${ctx.runId}.warm.${j}`, ctx.perf.W, barcodeOf("W", j)));
    }
    await api.recordScans(ctx.devices[w], scans);
  });
  await closedLoop(Math.min(10, cfg.devices), checkN, 120, (i, w) =>
    api.gql(QUERIES.checkTicket, {
      performanceId: ctx.perf.W,
      barcode: barcodeOf("W", recordN + i),
      deviceKey: ctx.devices[w],
    }),
  );
  return recordN + checkN;
}

// ------------------------------------------------ row 4: the latency probe --
/**
 * Row 4, started before row 1 and stopped after it: one subscriber on the loaded performance
 * (counting its events), another on the probe performance, and a probe device sending one-scan
 * batches there every `intervalMs`. Latency = from sending a probe's recordScans to the first
 * counter event whose admittedCount includes it.
 */
export async function startLatencyProbe(ctx, intervalMs = 100) {
  const { api, stack, perf } = ctx;
  const loadedClient = wsClient(stack.base, api.token);
  const probeClient = wsClient(stack.base, api.token);
  let loadedEvents = 0;
  let loadedLast;
  let probeEvents = 0;
  const loadedSub = await subscribeCounters(loadedClient, perf.R, (c, _at, first) => {
    if (!first) loadedEvents++;
    loadedLast = c;
  });
  const pending = new Map(); // probe number (1-based) → sent at
  const lat = new Lat();
  const httpLat = new Lat();
  let base = 0;
  const probeSub = await subscribeCounters(probeClient, perf.P, (c, at, first) => {
    if (first) {
      base = c.admittedCount;
      return;
    }
    probeEvents++;
    for (const [k, sentAt] of pending) {
      if (base + k <= c.admittedCount) {
        lat.add(at - sentAt);
        pending.delete(k);
      }
    }
  });
  // The probe device behaves as a device does: one upload at a time, the next one ~100 ms after
  // the previous was sent (or as soon as it was answered, when that took longer).
  let stopped = false;
  let sent = 0;
  let refused = 0;
  const errors = [];
  const t0 = now();
  const loop = (async () => {
    while (!stopped && sent < ctx.probeTickets) {
      const k = ++sent;
      const sentAt = now();
      pending.set(k, sentAt);
      try {
        const d = await api.recordScans(ctx.probeDevice, [
          scanOf(`${ctx.runId}.probe.${k}`, perf.P, barcodeOf("P", k - 1)),
        ]);
        httpLat.add(now() - sentAt);
        if (!d.results[0]?.accepted) refused++;
      } catch (e) {
        errors.push(e);
        pending.delete(k);
      }
      await sleep(Math.max(0, sentAt + intervalMs - now()));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    const waitFrom = now();
    while (pending.size > 0 && now() - waitFrom < 10_000) await sleep(20);
    const missing = pending.size;
    loadedSub.stop();
    probeSub.stop();
    await Promise.all([loadedClient.dispose(), probeClient.dispose()]);
    const subError = loadedSub.error() ?? probeSub.error();
    return {
      sent,
      missing,
      refused,
      errors,
      subError,
      lat,
      httpLat,
      loadedEvents,
      loadedLast,
      probeEvents,
      seconds: (now() - t0) / 1000,
    };
  };
}

// ------------------------------------------------------ row 1: recordScans --
export async function rowRecord(ctx) {
  const { api, db, cfg, perf, stack } = ctx;
  const order = shuffledRange(cfg.tickets, 11);
  const batches = Math.ceil(cfg.scans / cfg.batch);
  const payloads = new Map(); // the first batch, to send again
  let bad = 0;
  let firstBad;
  console.log(
    `\n(1) scan uploads (${UPLOAD_PATH}): ${cfg.scans.toLocaleString("en-US")} scans on distinct barcodes, ${cfg.devices} devices, batches of ${cfg.batch}`,
  );
  const stopProbe = ctx.latency ? await startLatencyProbe(ctx) : undefined;
  const cpu = cpuMeter(stack);
  const t0 = now();
  let r;
  let probe;
  try {
    r = await closedLoop(cfg.devices, batches, cfg.capS, async (b, w) => {
      const deviceKey = ctx.devices[w];
      const scans = [];
      for (let j = b * cfg.batch; j < Math.min(cfg.scans, (b + 1) * cfg.batch); j++) {
        scans.push(scanOf(`${ctx.runId}.d${w}.b${b}.${j - b * cfg.batch}`, perf.R, barcodeOf("R", order[j])));
      }
      if (b === 0) payloads.set(0, { deviceKey, scans });
      const { results } = await api.recordScans(deviceKey, scans);
      for (const [k, res] of results.entries()) {
        if (
          res.clientScanId !== scans[k].clientScanId ||
          !res.accepted ||
          res.reason !== "ACCEPTED" ||
          res.conflict ||
          res.replayed
        ) {
          bad++;
          firstBad ??= res;
        }
      }
      if (results.length !== scans.length) bad += scans.length;
    });
  } finally {
    ctx.marks.record = { from: t0 * 1000, to: now() * 1000 };
    if (stopProbe) probe = await stopProbe();
  }
  const u = cpu(r.ops * cfg.batch);
  const scanned = Math.min(cfg.scans, r.ops * cfg.batch);
  const row = {
    key: "record",
    label: `1) ${fmtK(scanned)} scans uploaded (${UPLOAD_PATH}), ${cfg.devices} devices, batches of ${cfg.batch}`,
    ops: scanned,
    ms: r.ms,
    perSecond: scanned / (r.ms / 1000),
    unit: "scans/s",
    latency: r.lat.summary(),
    latencyOf: `per batch of ${cfg.batch}`,
    cpu: u,
  };
  if (r.ops < batches) ctx.notes.push(`(1) stopped at the ${cfg.capS} s cap after ${scanned} scans`);
  console.log(`  -> ${rateText(row)}; ${cpuText(u, "scan")}`);

  // Row 4's figures, measured during this row.
  if (probe) ctx.probe = probe;

  // Checks, through the driver.
  const checks = async () => {
    check(
      bad === 0,
      `${bad} scans did not come back accepted/ACCEPTED, fresh and without conflict: ${JSON.stringify(firstBad)}`,
    );
    const scans = db.collection("scan");
    const tickets = db.collection("ticket");
    const stored = await scans.countDocuments(perfFilter(perf.R));
    const accepted = await scans.countDocuments({ ...perfFilter(perf.R), accepted: true });
    const used = await tickets.countDocuments({ ...perfFilter(perf.R), passes: 1 });
    const over = await tickets.countDocuments({ ...perfFilter(perf.R), passes: { $gt: 1 } });
    const p = await performanceDoc(db, perf.R);
    check(
      stored === scanned && accepted === scanned && used === scanned && over === 0,
      `after ${scanned} scans: ${stored} in scan (${accepted} accepted), passes=1 on ${used}, passes>1 on ${over}`,
    );
    check(
      p.counters?.admittedCount === scanned,
      `counters.admittedCount ${p.counters?.admittedCount}, expected ${scanned}`,
    );
    // The same batch again: every scan replayed, nothing moves.
    const again = payloads.get(0);
    const { results } = await api.recordScans(again.deviceKey, again.scans);
    const replayed = results.filter((x) => x.replayed && x.accepted).length;
    const stored2 = await scans.countDocuments(perfFilter(perf.R));
    const used2 = await tickets.countDocuments({ ...perfFilter(perf.R), passes: 1 });
    const p2 = await performanceDoc(db, perf.R);
    check(
      results.length === again.scans.length && replayed === results.length,
      `re-sent batch: ${replayed} of ${again.scans.length} replayed (and accepted as before)`,
    );
    check(
      stored2 === stored &&
        used2 === used &&
        p2.revision === p.revision &&
        JSON.stringify(p2.counters) === JSON.stringify(p.counters),
      `re-sent batch changed something: scans ${stored}→${stored2}, passes=1 ${used}→${used2}, revision ${p.revision}→${p2.revision}, counters ${JSON.stringify(p.counters)}→${JSON.stringify(p2.counters)}`,
    );
    return `${fmtK(stored)} scans stored, all accepted, ${fmtK(used)} tickets passes=1, admittedCount ${fmtK(p.counters.admittedCount)}; re-sent batch: ${replayed}/${results.length} replayed, nothing moved`;
  };
  await withCheck(row, checks);
  return row;
}

/** Row 4 from what the probe saw during row 1. */
export function rowLatency(ctx) {
  const p = ctx.probe;
  const s = p.lat.summary();
  const h = p.httpLat.summary();
  const row = {
    key: "latency",
    label: `4) scan → counters event, probe every 100 ms during row 1`,
    ops: s.n,
    latency: s,
    latencyOf: "per probe",
    result: `p95 ${fmt(s.p95, 0)} ms (${s.n} probes); row 1's subscriber: ${fmtK(p.loadedEvents)} events`,
    target: "p95 ≤ 250 ms",
    met: s.p95 <= 250,
    loadedEvents: p.loadedEvents,
    probeEvents: p.probeEvents,
    httpLatency: h,
  };
  console.log(
    `\n(4) scan → counter event: ${p.sent} probes (one at a time, ≥ 100 ms apart) in ${fmt(p.seconds, 1)} s; latency p50 ${fmt(s.p50, 1)} ms, p95 ${fmt(s.p95, 1)} ms, ` +
      `p99 ${fmt(s.p99, 1)} ms, max ${fmt(s.max, 1)} ms (the probe's recordScans alone: p50 ${fmt(h.p50, 1)} ms, p95 ${fmt(h.p95, 1)} ms)`,
  );
  console.log(
    `     the loaded performance's subscriber received ${fmtK(p.loadedEvents)} counter events during row 1` +
      ` (last: revision ${p.loadedLast?.revision}, admittedCount ${p.loadedLast?.admittedCount}); the probe's: ${p.probeEvents}`,
  );
  try {
    check(!p.subError, `a subscription failed: ${p.subError?.message}`);
    check(p.errors.length === 0, `${p.errors.length} probe uploads failed: ${p.errors[0]?.message}`);
    check(p.refused === 0, `${p.refused} probes were refused`);
    check(p.missing === 0, `${p.missing} of ${p.sent} probes never showed in a counter event (10 s wait)`);
    row.check = `${p.sent}/${p.sent} probes seen in a counter event, all accepted`;
  } catch (e) {
    if (!(e instanceof CheckFailed)) throw e;
    row.check = "FAIL";
    row.failure = e.message;
  }
  return row;
}

// ------------------------------------------------------ row 2: checkTicket --
export async function rowCheck(ctx) {
  const { api, db, cfg, perf, stack } = ctx;
  const order = shuffledRange(cfg.tickets, 12);
  let bad = 0;
  let firstBad;
  console.log(
    `\n(2) checkTicket: ${cfg.checks.toLocaleString("en-US")} scans on distinct barcodes, ${cfg.devices} clients, one scan each, closed loop`,
  );
  const cpu = cpuMeter(stack);
  const t0 = now();
  const r = await closedLoop(cfg.devices, cfg.checks, cfg.capS, async (i, w) => {
    const d = await api.gql(QUERIES.checkTicket, {
      performanceId: perf.C,
      barcode: barcodeOf("C", order[i]),
      deviceKey: ctx.devices[w],
    });
    const res = d.checkTicket;
    if (!res.accepted || res.reason !== "ACCEPTED" || res.replayed || res.conflict) {
      bad++;
      firstBad ??= res;
    }
  });
  ctx.marks.check = { from: t0 * 1000, to: now() * 1000 };
  const u = cpu(r.ops);
  const row = {
    key: "check",
    label: `2) checkTicket ${fmtK(r.ops)} scans, ${cfg.devices} clients, one scan each`,
    ops: r.ops,
    ms: r.ms,
    perSecond: r.ops / (r.ms / 1000),
    unit: "scans/s",
    latency: r.lat.summary(),
    latencyOf: "per call",
    cpu: u,
  };
  if (r.ops < cfg.checks) ctx.notes.push(`(2) stopped at the ${cfg.capS} s cap after ${r.ops} checks`);
  console.log(`  -> ${rateText(row)}; ${cpuText(u, "scan")}`);
  await withCheck(row, async () => {
    check(bad === 0, `${bad} checks were not a fresh ACCEPTED admission: ${JSON.stringify(firstBad)}`);
    const tickets = db.collection("ticket");
    const scans = db.collection("scan");
    const used = await tickets.countDocuments({ ...perfFilter(perf.C), passes: 1 });
    const over = await tickets.countDocuments({ ...perfFilter(perf.C), passes: { $gt: 1 } });
    const stored = await scans.countDocuments(perfFilter(perf.C));
    const p = await performanceDoc(db, perf.C);
    check(
      used === r.ops && over === 0 && stored === r.ops && p.counters?.admittedCount === r.ops,
      `after ${r.ops} checks: passes=1 on ${used}, passes>1 on ${over}, ${stored} scans stored, admittedCount ${p.counters?.admittedCount}`,
    );
    // A second check of an admitted ticket is refused and admits nobody.
    const again = await api.gql(QUERIES.checkTicket, {
      performanceId: perf.C,
      barcode: barcodeOf("C", order[0]),
      deviceKey: ctx.devices[0],
    });
    const p2 = await performanceDoc(db, perf.C);
    const t = await tickets.findOne({ ...perfFilter(perf.C), barcode: barcodeOf("C", order[0]) });
    check(
      !again.checkTicket.accepted &&
        again.checkTicket.reason === "ALREADY_USED" &&
        p2.counters.admittedCount === r.ops &&
        t.passes === 1,
      `second check of one ticket: ${JSON.stringify(again.checkTicket)}, admittedCount ${p2.counters.admittedCount}, passes ${t.passes}`,
    );
    return `one admission per barcode: ${fmtK(used)} tickets passes=1, none more, admittedCount ${fmtK(r.ops)}; a 2nd check → ALREADY_USED`;
  });
  return row;
}

// --------------------------------------------------- row 3: device import --
/** Downloads a scanner import (gzip NDJSON), parsing it as it arrives; `onRow` for each ticket line. */
async function download(ctx, query, onRow) {
  const t0 = now();
  const res = await ctx.api.get(`/api/scanner/performances/${ctx.perf.I}/tickets${query}`, {
    "accept-encoding": "gzip",
  });
  const tHead = now();
  if (res.statusCode !== 200) {
    const body = await new Promise((resolve) => {
      let s = "";
      res.setEncoding("utf8").on("data", (d) => {
        s += d;
      });
      res.on("end", () => resolve(s));
    });
    throw new CheckFailed(`VERIFY FAILED: import answered ${res.statusCode}: ${body.slice(0, 300)}`);
  }
  check(res.headers["content-encoding"] === "gzip", `import not gzip'd: ${res.headers["content-encoding"]}`);
  let wire = 0;
  let tLast;
  res.on("data", (c) => {
    wire += c.length;
  });
  res.on("end", () => {
    tLast = now();
  });
  const gunzip = zlib.createGunzip();
  res.pipe(gunzip);
  gunzip.setEncoding("utf8");
  let rest = "";
  let header;
  let rows = 0;
  let bytes = 0;
  for await (const chunk of gunzip) {
    bytes += Buffer.byteLength(chunk);
    const lines = (rest + chunk).split("\n");
    rest = lines.pop();
    for (const line of lines) {
      const v = JSON.parse(line);
      if (header === undefined) header = v;
      else {
        rows++;
        onRow(v);
      }
    }
  }
  check(rest === "", `the import ends without a newline: ${rest.slice(0, 80)}`);
  const tParsed = now();
  return {
    header,
    rows,
    wireBytes: wire,
    bytes,
    firstByteMs: tHead - t0,
    lastByteMs: (tLast ?? tParsed) - t0,
    parsedMs: tParsed - t0,
  };
}

export async function rowImport(ctx) {
  const { api, cfg, perf, stack } = ctx;
  console.log(
    `\n(3) device import of ${fmtK(cfg.tickets)} tickets: GET /api/scanner/performances/:id/tickets (gzip NDJSON)`,
  );
  let badRows = 0;
  const cpu = cpuMeter(stack);
  const t0 = now();
  const d = await download(ctx, "", (v) => {
    if (!Array.isArray(v) || v.length !== 8 || v[1] !== "v" || v[3] !== 0 || typeof v[0] !== "string")
      badRows++;
  });
  ctx.marks.import = { from: t0 * 1000, to: now() * 1000 };
  const u = cpu(d.rows);
  const mb = d.wireBytes / 1e6;
  const row = {
    key: "import",
    label: `3) device import of ${fmtK(d.rows)} tickets (gzip NDJSON)`,
    ops: d.rows,
    ms: d.lastByteMs,
    result: `${fmt(d.lastByteMs / 1000, 2)} s to last byte, ${fmt(d.parsedMs / 1000, 2)} s parsed; ${fmt(mb, 2)} MB on the wire`,
    target: "≤ 3 s, ≤ 3 MB",
    met: d.parsedMs <= 3000 && mb <= 3,
    download: d,
    cpu: u,
  };
  console.log(
    `  -> first byte ${fmt(d.firstByteMs, 0)} ms, last byte ${fmt(d.lastByteMs, 0)} ms, fully parsed ${fmt(d.parsedMs, 0)} ms; ` +
      `${fmt(mb, 2)} MB gzip'd (${fmt(d.bytes / 1e6, 1)} MB of NDJSON, ${fmt((8 * d.wireBytes) / 1e6 / (d.lastByteMs / 1000), 0)} Mbit/s); ${cpuText(u, "ticket")}`,
  );
  await withCheck(row, async () => {
    check(
      d.rows === cfg.tickets && badRows === 0,
      `${d.rows} rows (${badRows} malformed), expected ${cfg.tickets}`,
    );
    check(
      d.header?.performanceId === perf.I &&
        d.header.revision === cfg.tickets &&
        d.header.rules?.mode === "single",
      `header ${JSON.stringify(d.header).slice(0, 300)}`,
    );
    // A few scans, then the delta since the revision the import reached: exactly those tickets.
    const k = 5;
    const barcodes = Array.from({ length: k }, (_, i) => barcodeOf("I", i * 997));
    const up = await api.recordScans(
      ctx.devices[0],
      barcodes.map((b, i) => scanOf(`${ctx.runId}.import.${i}`, perf.I, b)),
    );
    check(
      up.results.every((x) => x.accepted),
      `delta scans not accepted: ${JSON.stringify(up.results)}`,
    );
    const got = [];
    const delta = await download(ctx, `?since=${d.header.revision}`, (v) => got.push(v));
    const same = got.length === k && barcodes.every((b) => got.some((v) => v[0] === b && v[3] === 1));
    check(
      same && delta.header.revision === d.header.revision + k,
      `delta since ${d.header.revision}: ${JSON.stringify(got.map((v) => [v[0], v[3], v[7]]))}, header revision ${delta.header.revision}`,
    );
    row.delta = { rows: got.length, ms: delta.parsedMs, bytes: delta.wireBytes };
    return `${fmtK(d.rows)} rows + header (revision ${d.header.revision}); ?since= after ${k} scans → exactly those ${k} (${fmt(delta.parsedMs, 0)} ms)`;
  });
  return row;
}

// ------------------------------------------------------- row 5: xlsx export --
export async function rowExport(ctx) {
  const { api, perf, stack, cfg } = ctx;
  const path = `/api/reports/performances/${perf.R}/tickets.xlsx`;
  console.log(`\n(5) Excel export: GET ${path.replace(perf.R, ":id")} (${fmtK(cfg.tickets)} tickets)`);
  const pid = stack.gateway.pid;
  const stopRss = rssSampler(pid, 25);
  const cpu = cpuMeter(stack);
  const t0 = now();
  const res = await api.get(path);
  const tHead = now();
  const chunks = [];
  let bytes = 0;
  await new Promise((resolve, reject) => {
    res.on("data", (c) => {
      chunks.push(c);
      bytes += c.length;
    });
    res.on("end", resolve);
    res.on("error", reject);
    res.on("aborted", () => reject(new Error("the export was cut mid-stream")));
  });
  const ms = now() - t0;
  ctx.marks.export = { from: t0 * 1000, to: now() * 1000 };
  const rss = stopRss();
  const u = cpu(cfg.tickets);
  const body = Buffer.concat(chunks);
  if (res.statusCode === 404) {
    let code;
    try {
      code = JSON.parse(body.toString("utf8")).code;
    } catch {}
    if (code === undefined) {
      console.log("  -> 404 without an error body: the route does not exist (yet) — not available");
      return {
        key: "export",
        label: "5) Excel export of the tickets (.xlsx)",
        result: "not available (404)",
        target: "≤ 10 s, peak RSS < 300 MB",
        check: "-",
      };
    }
  }
  const mb = bytes / 1e6;
  const row = {
    key: "export",
    label: `5) Excel export of ${fmtK(cfg.tickets)} tickets (.xlsx)`,
    ops: cfg.tickets,
    ms,
    result: `${fmt(ms / 1000, 2)} s to last byte, ${fmt(mb, 2)} MB; peak RSS ${fmt(rss.peakMiB, 0)} MiB`,
    target: "≤ 10 s, peak RSS < 300 MB",
    met: ms <= 10_000 && (rss.peakMiB * 1048576) / 1e6 < 300,
    rss,
    bytes,
    firstByteMs: tHead - t0,
    cpu: u,
  };
  console.log(
    `  -> HTTP ${res.statusCode} ${res.headers["content-type"] ?? ""}; first byte ${fmt(tHead - t0, 0)} ms, last byte ${fmt(ms, 0)} ms, ` +
      `${fmt(mb, 2)} MB; gateway RSS ${fmt(rss.startMiB, 0)} MiB before, peak ${fmt(rss.peakMiB, 0)} MiB (${rss.samples} samples every 25 ms), ` +
      `${fmt(rss.endMiB, 0)} MiB after; ${cpuText(u, "row")}`,
  );
  await withCheck(row, async () => {
    check(
      res.statusCode === 200,
      `export answered ${res.statusCode}: ${body.toString("utf8").slice(0, 300)}`,
    );
    check(
      body[0] === 0x50 && body[1] === 0x4b,
      `the export is not a zip: starts with ${body.subarray(0, 8).toString("hex")}`,
    );
    check(body.includes("xl/worksheets/"), "the zip holds no xl/worksheets/ entry");
    // A 100k-row sheet compresses to a few MB; under 8 bytes a row it cannot hold them all.
    check(
      bytes >= 8 * cfg.tickets && bytes <= 200e6,
      `implausible size for ${cfg.tickets} rows: ${bytes} bytes`,
    );
    return `a zip (PK…, xl/worksheets/), ${fmt(mb, 2)} MB`;
  });
  return row;
}

// ------------------------------------------------ row 6: decide() alone --
export function rowDecide(n = Number(process.env.RULES_N ?? 2_000_000)) {
  const { decide } = require("../../packages/access-rules/dist/index.js");
  const T0 = Date.parse("2026-04-06T17:00:00Z");
  const rules = {
    performanceId: "p1",
    mode: "single",
    excludedCategories: [],
    validFrom: T0 - 3_600_000,
    validUntil: T0 + 86_400_000,
  };
  const tickets = Array.from({ length: 1024 }, (_, i) => ({
    performanceId: "p1",
    barcode: `B${i}`,
    state: "valid",
    category: "Plein tarif",
    passes: 0,
    passesByDay: {},
    inside: false,
  }));
  const scan = { direction: "in", at: T0, timeZone: "Europe/Paris" };
  for (let i = 0; i < 50_000; i++) decide(tickets[i & 1023], rules, scan); // warm-up
  let accepted = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    scan.at = T0 + (i & 4095) * 1000;
    if (decide(tickets[i & 1023], rules, scan).accepted) accepted++;
  }
  const ms = now() - t0;
  const row = {
    key: "decide",
    label: "6) decide() alone, single pass, first entry (one thread)",
    ops: n,
    ms,
    perSecond: n / (ms / 1000),
    unit: "decisions/s",
    result: `${fmtK(n / (ms / 1000))} decisions/s (${fmt((ms * 1e6) / n, 0)} ns each)`,
    check: accepted === n ? "✔ every one accepted" : "FAIL",
  };
  if (accepted !== n) row.failure = `VERIFY FAILED: decide() accepted ${accepted} of ${n} first entries`;
  console.log(`\n(6) decide(): ${row.result}`);
  return row;
}

// ------------------------------------------------------------ formatting --
export const fmtK = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "-");
export const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : "-");
function rateText(row) {
  const l = row.latency;
  return `${fmtK(row.ops)} in ${fmt(row.ms / 1000, 2)} s = ${fmtK(row.perSecond)} ${row.unit}, p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms ${row.latencyOf}`;
}
export const cpuText = (u, what) =>
  `cpu: gateway ${fmt(u.gatewayPct, 0)}% (${fmt(u.gatewayUsPerOp, 0)} µs/${what}), db ${fmt(u.dbPct, 0)}% (${fmt(u.dbUsPerOp, 0)} µs/${what}), ` +
  `bench ${fmt(u.benchPct, 0)}%; 100% = one core` +
  (u.commands ? `\n     gateway → db commands: ${commandsText(u.commands, what)}` : "");

/** `find ticket 1.0/scan, …` (or `×N` in all, for commands rarer than one op in 20). */
export function commandsText(commands, what) {
  const total = commands.reduce((s, c) => s + c.perOp, 0);
  const each = commands
    .slice(0, 14)
    .map((c) => `${c.command} ${c.perOp >= 0.05 ? `${fmt(c.perOp, 2)}/${what}` : `×${c.count}`}`)
    .join(", ");
  return `${fmt(total, 2)} per ${what} (${each})`;
}
