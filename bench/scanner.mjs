// scanner bench: the scanner PWA (/mfe/scanner/) in headless Chromium against the production stack
// — `billetix-db` and `node gateway/dist/main.js` as two processes, the web apps the gateway serves
// from their dist folders (built by `npm run bench`, never here). The bench is the door agent.
//   1 import:   TICKETS tickets of one controlled performance onto the device, from the click on
//               « Importer » to the performance listed as imported (its progress bar gone)
//   2 storage:  navigator.storage.estimate() after the import (the origin's IndexedDB)
//   3 decide:   SCANS codes typed in « Numéro du billet » + Enter (INPUT=wedge: as a keyboard
//               wedge's burst), distinct existing tickets and UNKNOWN_PCT % unknown ones in a
//               seeded random order; each verdict's own `data-decision-ms` (code read → outcome
//               durable in IndexedDB), p50/p95/p99/max
//   4 upload:   every scan reaches the server (scan log and counters), the pending count back to 0
// Knobs (env): TICKETS=100000 SCANS=2000 UNKNOWN_PCT=10 INPUT=manual|wedge SEED=7 CAP_S=120
//   KEEP_DATA=0 RESULTS=path.json CHROMIUM_PATH=/usr/bin/chromium BENCH_ECHO=text
// Exit code: 1 when a correctness check fails (or a process dies), 0 otherwise — a missed target
// is reported in the table, not fatal.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MongoClient } from "mongodb";
import { chromium } from "playwright-core";
import { Api, barcodeOf, loadTickets, makeCatalog } from "./access/client.mjs";
import {
  check,
  closeRun,
  cpuMeter,
  killStackOnInterrupt,
  now,
  ROOT,
  reportDeadStack,
  settle,
  startStack,
  stopStack,
  withCheck,
} from "./access/stack.mjs";
import { fmt, fmtK } from "./access/workloads.mjs";
import {
  envInt,
  gitHead,
  noteRowOutcomes,
  printFailure,
  printLoadAtEnd,
  startRun,
  writeResults,
} from "./run-context.mjs";
import { Lat, mulberry32, shuffledRange } from "./stats.mjs";

const ROOT_PASSWORD = "bench-root-password";
const DB_NAME = "billetix_bench_scanner";
const DOOR_PASSWORD = "bench-door-password";
const IMPORT_TARGET_MS = 10_000;
const DECISION_P99_TARGET_MS = 20;
const PREFIX = "SC";

// ----------------------------------------------------------------- config --
function readConfig(env = process.env) {
  const int = envInt(env);
  const cfg = {
    tickets: int("TICKETS", 100_000),
    scans: int("SCANS", 2000),
    unknownPct: int("UNKNOWN_PCT", 10),
    input: env.INPUT || "manual",
    seed: int("SEED", 7),
    capS: int("CAP_S", 120),
    keepData: int("KEEP_DATA", 0) !== 0,
    chromium: env.CHROMIUM_PATH || "/usr/bin/chromium",
    only: new Set(["import", "decide", "storage", "upload"]),
    results: env.RESULTS,
  };
  if (!["manual", "wedge"].includes(cfg.input)) throw new Error(`INPUT=${cfg.input}: manual or wedge`);
  if (cfg.unknownPct > 100) throw new Error("UNKNOWN_PCT ≤ 100");
  const known = cfg.scans - Math.round((cfg.scans * cfg.unknownPct) / 100);
  if (cfg.tickets < 1 || known > cfg.tickets) throw new Error("TICKETS ≥ 1 and the known scans ≤ TICKETS");
  return cfg;
}

// ------------------------------------------------------------------ table --
function printTable(rows) {
  const head = ["row", "result", "p50 ms", "p95 ms", "p99 ms", "max ms", "target", "met", "check"];
  const ms = (l, k) => (l ? fmt(l[k], 1) : "-");
  const body = rows.map((r) => [
    r.label,
    r.result,
    ms(r.latency, "p50"),
    ms(r.latency, "p95"),
    ms(r.latency, "p99"),
    ms(r.latency, "max"),
    r.target ?? "-",
    r.met === undefined ? "-" : r.met ? "✔" : "NO",
    r.check === undefined ? "-" : r.check.startsWith("✔") ? "✔" : r.check,
  ]);
  const table = [head, ...body];
  const w = head.map((_, k) => Math.max(...table.map((row) => [...row[k]].length)));
  const numeric = new Set([2, 3, 4, 5]);
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

// ---------------------------------------------------------------- the app --
const REMOTE_ENTRY = path.join(ROOT, "mfe-scanner", "dist", "remoteEntry.js");

async function launch(cfg) {
  if (!fs.existsSync(cfg.chromium))
    throw new Error(`${cfg.chromium} is missing: run scripts/ensure-chromium.sh (npm test does)`);
  return chromium.launch({
    executablePath: cfg.chromium,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Logs in at /mfe/scanner/ and names the device (which registers it). */
async function openScanner(page, base, username, password) {
  await page.goto(`${base}/mfe/scanner/`);
  await page.getByLabel("Identifiant").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  const name = page.getByRole("textbox", { name: /Nom (du|de ce) (terminal|périphérique|appareil)/ });
  await name.waitFor({ state: "visible", timeout: 30_000 });
  await name.fill("Banc d'essai");
  await name.press("Enter");
  await tab(page, "Importer").waitFor({ state: "visible", timeout: 30_000 });
}

/** One of the scanner's tabs (buttons in its navigation). */
const tab = (page, name) =>
  page.getByRole("navigation").getByRole("button", { name: new RegExp(`^${name}`) });

/** The origin's storage as the browser counts it (IndexedDB, caches), in bytes. */
const storageEstimate = (page) =>
  page.evaluate(async () => {
    const e = await navigator.storage.estimate();
    return { usage: e.usage, quota: e.quota, details: e.usageDetails ?? null };
  });

// ------------------------------------------------------------------- rows --
/** Row 1: « Importer » clicked → the performance listed as imported. */
async function rowImport(ctx) {
  const { page, cfg, perfId, stack } = ctx;
  await tab(page, "Importer").click();
  const button = page.getByTestId(`available-${perfId}`).getByRole("button", { name: "Importer" });
  await button.waitFor({ state: "visible", timeout: 30_000 });
  await settle(stack);
  const cpu = cpuMeter(stack);
  const progress = [];
  const bar = page.getByTestId("import-progress");
  const t0 = now();
  await button.click();
  // Listed as imported, and the progress bar gone (the import's job over).
  const done = page
    .getByTestId(`imported-${perfId}`)
    .waitFor({ state: "visible", timeout: cfg.capS * 1000 })
    .then(() => bar.waitFor({ state: "hidden", timeout: cfg.capS * 1000 }));
  // The progress bar, sampled while it lasts: proof the screen moves during a long import.
  let over = false;
  const stop = () => {
    over = true;
  };
  done.then(stop, stop);
  while (!over) {
    const v = await bar.getAttribute("value", { timeout: 200 }).catch(() => null);
    if (v !== null) progress.push({ atMs: now() - t0, value: Number(v) });
    await Promise.race([done.catch(() => {}), new Promise((r) => setTimeout(r, 250))]);
  }
  await done;
  const ms = now() - t0;
  const u = cpu(cfg.tickets);
  const perS = cfg.tickets / (ms / 1000);
  const row = {
    key: "import",
    label: `1) import of ${fmtK(cfg.tickets)} tickets`,
    ms,
    perSecond: perS,
    cpu: u,
    progressSamples: progress.length,
    result: `${fmt(ms / 1000, 2)} s, ${fmtK(perS)} tickets/s`,
    target: "≤ 10 s",
    met: ms <= IMPORT_TARGET_MS,
  };
  console.log(
    `\n${row.label}: ${fmt(ms, 0)} ms; progress bar seen ${progress.length} times` +
      `${progress.length ? ` (last ${progress.at(-1).value})` : ""}; cpu: gateway ${fmt(u.gatewayPct, 0)}%, ` +
      `db ${fmt(u.dbPct, 0)}%, bench ${fmt(u.benchPct, 0)}% (the browser is not counted)`,
  );
  await withCheck(row, async () => {
    const text = (await page.getByTestId(`imported-${perfId}`).textContent()) ?? "";
    const shown = text.replace(/[\s\u202f,.]/g, "");
    check(
      shown.includes(String(cfg.tickets)),
      `the imported row says « ${text.trim()} », not ${cfg.tickets} tickets`,
    );
    return `${fmtK(cfg.tickets)} tickets listed`;
  });
  return row;
}

/**
 * Row 3: SCANS verdicts, each read from the screen with its own decision time. Each scan mounts
 * a new verdict: the bench marks the one it read, so the next one unmarked is the next verdict.
 */
async function rowDecide(ctx) {
  const { page, cfg, codes } = ctx;
  const latency = new Lat(codes.length);
  const wrong = [];
  /** Wedge bursts the page did not get whole: the driver sends each key on its own, and a pause
   * over the reader's 50 ms between two of them (a busy machine) splits the code, as it should. */
  const split = [];
  /** What the screen showed, to compare with the server: verdicts, and tickets admitted. */
  const seen = { verdicts: 0, accepted: 0 };
  ctx.seen = seen;
  const field = page.getByTestId("manual-code");
  const fresh = page.locator('[data-testid="scan-result"][data-reason]:not([data-bench-read])');
  if (cfg.input === "wedge") await page.evaluate("document.activeElement?.blur()");
  const t0 = now();
  for (const { code, known } of codes) {
    if (cfg.input === "manual") {
      // Enter in the field submits its form, as « Valider » does, one round trip fewer.
      await field.fill(code);
      await field.press("Enter");
    } else {
      await page.keyboard.type(code);
      await page.keyboard.press("Enter");
    }
    let shown;
    try {
      shown = await fresh.evaluate(
        (el) => {
          el.setAttribute("data-bench-read", "");
          return {
            reason: el.getAttribute("data-reason"),
            decisionMs: Number(el.getAttribute("data-decision-ms")),
            text: el.textContent ?? "",
          };
        },
        undefined,
        { timeout: cfg.input === "wedge" ? 3000 : 10_000 },
      );
    } catch (e) {
      if (cfg.input !== "wedge") throw e;
      split.push(`${code}: no verdict`);
      continue;
    }
    seen.verdicts++;
    if (shown.reason === "ACCEPTED") seen.accepted++;
    if (!shown.text.includes(code)) {
      if (cfg.input === "wedge") split.push(`${code}: read as « ${shown.text} »`);
      else wrong.push(`${code}: the verdict shows « ${shown.text} »`);
      continue;
    }
    latency.add(shown.decisionMs);
    const want = known ? "ACCEPTED" : "UNKNOWN_TICKET";
    if (shown.reason !== want) wrong.push(`${code}: ${shown.reason}, expected ${want}`);
  }
  const wallMs = now() - t0;
  const l = latency.summary();
  const row = {
    key: "decide",
    label: `3) decisions, ${fmtK(codes.length)} scans (${cfg.input})`,
    latency: l,
    wallMs,
    split: split.length,
    result:
      `${fmtK(l.n)} verdicts; ${fmt(wallMs / codes.length, 1)} ms a scan with the driver` +
      (split.length ? `; ${fmtK(split.length)} bursts split by the driver` : ""),
    target: `p99 < ${DECISION_P99_TARGET_MS} ms`,
    met: l.p99 < DECISION_P99_TARGET_MS,
  };
  console.log(
    `\n${row.label}: data-decision-ms p50 ${fmt(l.p50, 1)}, p95 ${fmt(l.p95, 1)}, p99 ${fmt(l.p99, 1)}, ` +
      `max ${fmt(l.max, 1)} ms; ${fmt(wallMs / 1000, 1)} s in all (typing, clicking and reading the screen included)`,
  );
  if (split.length) console.log(`  split bursts (not counted): ${split.slice(0, 5).join("; ")}`);
  await withCheck(row, async () => {
    check(wrong.length === 0, `${wrong.length} wrong verdicts: ${wrong.slice(0, 5).join("; ")}`);
    check(
      l.n + split.length === codes.length && Number.isFinite(l.max),
      `${l.n} decision times read for ${codes.length} scans, some not numbers`,
    );
    return "every verdict as expected";
  });
  return row;
}

/** Row 4: the device's scans on the server: its pending count back to 0, the log and counters. */
async function rowUpload(ctx) {
  const { page, cfg, api, perfId } = ctx;
  const t0 = now();
  const pending = page.getByTestId("pending-count");
  let text = "";
  while (now() - t0 < cfg.capS * 1000) {
    text = ((await pending.textContent({ timeout: 1000 }).catch(() => "")) ?? "").trim();
    if (/^\D*\b0\b\D*$/.test(text)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = now() - t0;
  const { verdicts, accepted } = ctx.seen;
  const row = {
    key: "upload",
    label: "4) the scans on the server",
    ms,
    result: `pending « ${text} » ${fmt(ms / 1000, 1)} s after the last verdict`,
  };
  await withCheck(row, async () => {
    check(/^\D*\b0\b\D*$/.test(text), `pending-count still « ${text} » after ${cfg.capS} s`);
    const { scanLog, performance } = await api.gql(
      `query($p: ID!) { scanLog(performanceId: $p, limit: 1) { totalCount }
        performance(id: $p) { counters { admittedCount refusedCount } } }`,
      { p: perfId },
    );
    check(
      scanLog.totalCount === verdicts,
      `the scan log holds ${scanLog.totalCount} scans, the screen showed ${verdicts} verdicts`,
    );
    check(
      performance.counters.admittedCount === accepted &&
        performance.counters.refusedCount === verdicts - accepted,
      `counters ${JSON.stringify(performance.counters)}: the screen admitted ${accepted} and refused ${verdicts - accepted}`,
    );
    return `${fmtK(verdicts)} scans logged, ${fmtK(accepted)} admitted`;
  });
  return row;
}

// ------------------------------------------------------------------- main --
/** Distinct known tickets and unknown codes, in a seeded random order. */
function scanCodes(cfg) {
  const unknown = Math.round((cfg.scans * cfg.unknownPct) / 100);
  const picks = shuffledRange(cfg.tickets, cfg.seed).slice(0, cfg.scans - unknown);
  const codes = [
    ...picks.map((i) => ({ code: barcodeOf(PREFIX, i), known: true })),
    ...Array.from({ length: unknown }, (_, i) => ({ code: `XX${String(i).padStart(7, "0")}`, known: false })),
  ];
  const rnd = mulberry32(cfg.seed + 1);
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [codes[i], codes[j]] = [codes[j], codes[i]];
  }
  return codes;
}

export async function run() {
  const cfg = readConfig();
  const { header, stamp, runId, resultsDir } = startRun("scanner", cfg);
  // What is measured here is mostly the scanner's own code: say whether it is the commit's.
  header.commit = gitHead(["mfe-scanner/src", "gateway/src", "packages"]);
  console.log(`# code measured: ${header.commit}`);
  const rows = [];
  const notes = [];
  let stack;
  let mongo;
  let browser;
  let failure;
  const offInterrupt = killStackOnInterrupt(
    () => stack,
    cfg.keepData,
    () => void browser?.close(),
  );
  try {
    if (!fs.existsSync(REMOTE_ENTRY))
      throw new Error(`${path.relative(ROOT, REMOTE_ENTRY)} is missing: npm run build (npm run bench does)`);
    stack = await startStack({ dbName: DB_NAME, rootPassword: ROOT_PASSWORD });
    console.log(
      `stack: billetix-db pid ${stack.db.pid}, gateway pid ${stack.gateway.pid} (${stack.base}); data ${stack.dir}`,
    );
    const api = new Api(stack.base, 8);
    await api.login("root", ROOT_PASSWORD);
    const catalog = await makeCatalog(api, ["S"], runId);
    const perfId = catalog.performances.S;
    const door = `bench-door-${runId}`;
    await api.gql(`mutation($input: CreateLoginInput!) { createLogin(input: $input) { id } }`, {
      input: {
        username: door,
        password: DOOR_PASSWORD,
        institutionId: catalog.institutionId,
        flags: { scanner: true, admin: false, backoffice: false },
      },
    });
    mongo = await new MongoClient(stack.mongoUri, { maxPoolSize: 4 }).connect();
    const seedT0 = now();
    await loadTickets(mongo.db(DB_NAME), perfId, PREFIX, cfg.tickets);
    console.log(
      `seeded ${fmtK(cfg.tickets)} tickets with the driver in ${fmt((now() - seedT0) / 1000, 2)} s`,
    );

    browser = await launch(cfg);
    const context = await browser.newContext({ serviceWorkers: "block", locale: "fr-FR" });
    const page = await context.newPage();
    page.on("pageerror", (e) => notes.push(`page error: ${e.message}`));
    await openScanner(page, stack.base, door, DOOR_PASSWORD);
    const ctx = { cfg, api, stack, page, perfId, codes: scanCodes(cfg) };

    rows.push(await rowImport(ctx));
    const storage = await storageEstimate(page);
    rows.push({
      key: "storage",
      label: "2) storage after the import",
      storage,
      result: `${fmt(storage.usage / 2 ** 20, 1)} MiB (navigator.storage.estimate), ${fmt(storage.usage / cfg.tickets, 0)} B a ticket`,
    });
    console.log(`\n${rows.at(-1).label}: ${JSON.stringify(storage)}`);

    await tab(page, "Contrôle").click();
    await page.getByRole("checkbox", { name: /Le bench/ }).check();
    await page.getByRole("button", { name: "Contrôler" }).click();
    await page.getByTestId("manual-code").waitFor({ state: "visible", timeout: 30_000 });
    rows.push(await rowDecide(ctx));
    rows.push(await rowUpload(ctx));

    await browser.close();
    browser = undefined;
    api.close();
    await mongo.close();
    mongo = undefined;
    const stopped = await stopStack(stack, cfg.keepData);
    stack = undefined;
    if (stopped.gateway?.code !== 0)
      notes.push(`the gateway did not stop cleanly on SIGTERM: ${JSON.stringify(stopped.gateway)}`);
  } catch (e) {
    failure = e;
    reportDeadStack(stack);
  } finally {
    await closeRun([() => browser?.close(), () => mongo?.close()], stack, cfg.keepData);
    offInterrupt();
  }

  if (rows.length > 0) {
    console.log(`\n${printTable(rows)}`);
    console.log(
      `machine: ${header.cpus} cores (${header.cpuModel}), node ${header.node}; code ${header.commit}; ` +
        "headless Debian Chromium, the gateway and billetix-db on the same cores",
    );
    console.log(
      "import: from the click on « Importer » to the performance listed as imported; decisions: each verdict's " +
        "data-decision-ms (code read → outcome durable in IndexedDB), not the driver's round trips.",
    );
    printLoadAtEnd(header);
  }
  noteRowOutcomes(rows, notes);
  for (const n of notes) console.log(`note: ${n}`);
  printFailure(failure);

  writeResults(cfg.results || path.join(resultsDir, `scanner-${stamp}.json`), {
    ...header,
    rows,
    notes,
    failure: failure ? String(failure.message ?? failure) : undefined,
  });
  return failure || rows.some((r) => r.check === "FAIL") ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await run());
}
