// Row 7, the peer: PostgreSQL doing the same check-in workload (shared/peers/postgres-checkin).
// Run from a private copy of its folder (the shared one stays untouched, and a stale `.state`
// of someone else's cluster is not copied), with ONLY=b2,a2 REF=0; or, when not root or PEER=0,
// the figures its README records.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./stack.mjs";

export const peerDir = () =>
  process.env.PEER_DIR
    ? path.resolve(process.env.PEER_DIR)
    : path.resolve(ROOT, "../shared/peers/postgres-checkin");

/** Row ids of the peer's bench → how its workload labels start. */
const PEER_ROWS = { b2: "b')", a2: "a')" };
// What the peer's README recorded on 2026-11-28, if the README cannot be read.
const RECORDED_FALLBACK = {
  b2: { runs: [22_012, 23_519], label: "b') 100 scans/tx, set-based" },
  a2: { runs: [4_010, 3_536], label: "a') 1 scan/tx, 1 call" },
};

/** The figures of the README's table ("| b') … | run 1 ops/s | p50 | p99 | run 2 ops/s | …"). */
export function recordedPeer(dir = peerDir()) {
  const out = structuredClone(RECORDED_FALLBACK);
  let source = "built-in copy of the peer README's figures (2026-11-28)";
  try {
    const text = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    for (const [id, prefix] of Object.entries(PEER_ROWS)) {
      const line = text.split("\n").find((l) => l.startsWith(`| ${prefix}`));
      if (!line) continue;
      const cells = line.split("|").map((c) => c.trim());
      const runs = [cells[2], cells[5]].map((c) => Number(c.replace(/,/g, "")));
      if (runs.every(Number.isFinite)) out[id] = { runs, label: cells[1] };
    }
    source = `${path.join(dir, "README.md")}`;
  } catch {}
  for (const r of Object.values(out)) r.opsPerS = Math.min(...r.runs);
  return { mode: "recorded", source, rows: out };
}

// Our knobs and the peer's own: the peer runs at its defaults whatever this bench was given.
const STRIP = [
  "SCANS",
  "DEVICES",
  "BATCH",
  "CHECKS",
  "TICKETS",
  "PEER",
  "ONLY",
  "REF",
  "CAP_S",
  "RESULTS",
  "BENCH_PROF",
  "KEEP_DATA",
  "CLIENTS",
  "A_SCANS",
  "B_SCANS",
  "C_READS",
  "RACE_ROUNDS",
];

/** Runs the peer now; resolves to its b') and a') rows, or throws (the caller falls back). */
export async function runPeer(dir, logFile, timeoutS = 420) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "billetix-bench-peer-"));
  try {
    fs.cpSync(dir, work, {
      recursive: true,
      filter: (src) => ![".state", "results"].includes(path.basename(src)) || path.dirname(src) !== dir,
    });
    fs.chmodSync(work, 0o755);
    for (const f of fs.readdirSync(work)) {
      const p = path.join(work, f);
      if (fs.statSync(p).isFile()) fs.chmodSync(p, 0o644);
    }
    const env = { ...process.env };
    for (const k of STRIP) delete env[k];
    Object.assign(env, { ONLY: "b2,a2", REF: "0" });
    const log = fs.openSync(logFile, "w");
    const t0 = Date.now();
    const child = spawn("bash", [path.join(work, "run.sh")], {
      cwd: work,
      env,
      stdio: ["ignore", log, log],
      detached: true, // its own process group, so a timeout stops run.sh, node and tee together
    });
    const exit = await new Promise((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {}
      }, timeoutS * 1000);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
    fs.closeSync(log);
    const seconds = (Date.now() - t0) / 1000;
    if (exit.code !== 0) {
      const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
      throw new Error(
        `the peer's run.sh exited ${exit.code ?? exit.signal} after ${seconds.toFixed(0)} s:\n${tail}`,
      );
    }
    const resultsDir = path.join(work, "results");
    const newest = fs
      .readdirSync(resultsDir)
      .filter((f) => /^run-.*\.json$/.test(f))
      .sort()
      .pop();
    if (!newest) throw new Error("the peer wrote no results/run-*.json");
    const json = JSON.parse(fs.readFileSync(path.join(resultsDir, newest), "utf8"));
    fs.copyFileSync(path.join(resultsDir, newest), logFile.replace(/\.txt$/, ".json"));
    const rows = {};
    for (const [id, prefix] of Object.entries(PEER_ROWS)) {
      const r = json.rows.find((x) => x.workload?.startsWith(prefix));
      if (!r) throw new Error(`the peer's results have no ${prefix} row`);
      rows[id] = {
        label: r.workload,
        opsPerS: r.opsPerS,
        p50ms: r.p50ms,
        p99ms: r.p99ms,
        ops: r.ops,
        latency: r.latency,
      };
    }
    return {
      mode: "ran",
      source: `${path.relative(process.cwd(), logFile)} (run.sh from a copy of ${dir}, ${seconds.toFixed(0)} s)`,
      seconds,
      server: json.server?.version?.split(" ").slice(0, 2).join(" "),
      rows,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
