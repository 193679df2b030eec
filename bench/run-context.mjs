// What every gateway bench prints and records about its run: the machine, the code, the load,
// and (BENCH_PROF=1) where the processes' CPU went per row.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CheckFailed, GATEWAY_MAIN, ROOT } from "./access/stack.mjs";
import { fmt } from "./access/workloads.mjs";
import { formatSummary, summarizeProfile } from "./cpuprofile-top.mjs";

/** The commit, marked when the code measured differs from it under `paths`. */
export function gitHead(paths = ["gateway/src", "connectors", "packages"]) {
  const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  try {
    const dirty = git("status", "--porcelain", ...paths);
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? ` (uncommitted changes under ${paths.join(", ")})` : ""}`;
  } catch {
    return "unknown";
  }
}

/**
 * A bench's knob reader: `int("TICKETS", 100_000)` is the variable as a non-negative integer
 * (`100_000` spelt with underscores is fine), or the default when it is unset or empty.
 */
export const envInt =
  (env = process.env) =>
  (k, d) => {
    const v = env[k];
    if (v === undefined || v === "") return d;
    const n = Number(v.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${k}=${v}: expected a non-negative integer`);
    return n;
  };

/** Other work on a 2-core machine halves every figure: say so next to the figures. */
export const busyWarning = (load) =>
  load > 0.7 ? " — WARNING: the machine was not idle at the start; the figures are not comparable" : "";

/** Records and prints the load at the end beside the one at the start (`aside` goes between them and the warning). */
export function printLoadAtEnd(header, aside = "") {
  header.loadAvgAtEnd = os.loadavg()[0];
  console.log(
    `load average (1 min): ${fmt(header.loadAvgAtStart, 2)} at start, ${fmt(header.loadAvgAtEnd, 2)} at the end` +
      `${aside}${busyWarning(header.loadAvgAtStart)}`,
  );
}

/** The run's header (machine, code, config, load), printed as the bench starts. */
export function runHeader(bench, cfg, date = new Date()) {
  const cpus = os.cpus();
  const header = {
    bench,
    date: date.toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    commit: gitHead(),
    config: { ...cfg, only: [...cfg.only] },
    loadAvgAtStart: os.loadavg()[0],
  };
  console.log(`# ${bench} bench ${header.date}`);
  console.log(
    `# machine: ${header.cpus} cores (${header.cpuModel}), ${header.memGiB} GiB, ${header.os}, node ${header.node}; code ${header.commit}`,
  );
  console.log(
    `# load average (1 min) at start: ${fmt(header.loadAvgAtStart, 2)}${busyWarning(header.loadAvgAtStart)}`,
  );
  return header;
}

/** Per row, where the gateway's and the database's CPU went, cut to the row's time window. */
export function summariseProfiles(dir, marks) {
  return ["gateway", "billetix-db"].flatMap((name) => {
    const file = path.join(dir, `${name}.cpuprofile`);
    if (!fs.existsSync(file)) return [];
    const prof = JSON.parse(fs.readFileSync(file, "utf8"));
    return Object.entries(marks).map(([row, win]) => {
      const s = summarizeProfile(prof, win);
      return {
        process: name,
        row,
        file,
        text: formatSummary(s, 20),
        top: s.self.slice(0, 40),
        area: s.area.slice(0, 20),
      };
    });
  });
}

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");

/**
 * The start of a gateway bench: its header printed, a run id and time stamp, the results folder,
 * and the gateway built if it is not.
 */
export function startRun(bench, cfg) {
  const date = new Date();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const header = runHeader(bench, cfg, date);
  if (!fs.existsSync(GATEWAY_MAIN)) {
    console.log("gateway/dist is missing: npm run build");
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  return {
    header,
    stamp: date.toISOString().replace(/[:.]/g, "-"),
    runId: randomBytes(4).toString("hex"),
    resultsDir: RESULTS_DIR,
  };
}

/** Writes a run's JSON record (`RESULTS` or the results folder) and says where. */
export function writeResults(file, record) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), file) || file}`);
}

/** A note for each row that missed its target or failed its check, so the summary says why. */
export function noteRowOutcomes(rows, notes) {
  for (const r of rows) {
    if (r.met === false) notes.push(`${r.label}: target missed (${r.target}): ${r.result}`);
    if (r.failure) notes.push(`${r.label}: ${r.failure}`);
  }
}

/** What stopped the run, if anything: a failed check as its message, anything else as an ERROR. */
export function printFailure(failure) {
  if (failure)
    console.error(`\n${failure instanceof CheckFailed ? "" : "ERROR: "}${failure.stack ?? failure}`);
}
