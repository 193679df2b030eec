// The production stack for the access bench, as separate processes: `billetix-db` (its CLI) and
// the gateway (`node gateway/dist/main.js` with MONGODB_URI), each with its own CPU and memory,
// plus the measuring helpers that read them from /proc.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startCommandCounter } from "./command-counter.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
const require = createRequire(import.meta.url);

export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms, CLOCK_MONOTONIC

export class CheckFailed extends Error {}
export function check(cond, msg) {
  if (!cond) throw new CheckFailed(`VERIFY FAILED: ${msg}`);
}

/** Runs a row's verification: its summary text, or FAIL and the reason (other errors go up). */
export async function withCheck(row, fn) {
  try {
    row.check = `✔ ${await fn()}`;
  } catch (e) {
    if (!(e instanceof CheckFailed)) throw e;
    row.check = "FAIL";
    row.failure = e.message;
    console.log(`  ${e.message}`);
  }
}

// ------------------------------------------------------------ /proc readers --
let clkTck = 100;
try {
  clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {}

/** CPU ms (user + system) a process used so far, from /proc/PID/stat. */
export function procCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / clkTck;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process in MiB, from /proc/PID/status (VmRSS). */
export function procRssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU of the gateway, the database and this process from now until `stop(ops)`: % of one core
 * and µs per operation of each.
 */
export function cpuMeter(stack) {
  const t0 = now();
  const g0 = procCpuMs(stack.gateway.pid);
  const d0 = procCpuMs(stack.db.pid);
  const b0 = process.cpuUsage();
  const c0 = stack.commands?.snapshot();
  return (ops) => {
    const wall = now() - t0;
    const g = procCpuMs(stack.gateway.pid) - g0;
    const d = procCpuMs(stack.db.pid) - d0;
    const bu = process.cpuUsage(b0);
    const b = (bu.user + bu.system) / 1000;
    const per = (ms) => (ops ? (1000 * ms) / ops : Number.NaN);
    return {
      wallMs: wall,
      gatewayPct: (100 * g) / wall,
      dbPct: (100 * d) / wall,
      benchPct: (100 * b) / wall,
      gatewayUsPerOp: per(g),
      dbUsPerOp: per(d),
      benchUsPerOp: per(b),
      ...(c0 ? { commands: stack.commands.since(c0, ops) } : {}),
    };
  };
}

/** Samples a process's VmRSS every `everyMs`; `stop()` gives the peak and the sample count. */
export function rssSampler(pid, everyMs = 25) {
  const first = procRssMiB(pid);
  let peak = first;
  let samples = 1;
  const timer = setInterval(() => {
    const v = procRssMiB(pid);
    samples++;
    if (v > peak) peak = v;
  }, everyMs);
  return () => {
    clearInterval(timer);
    const last = procRssMiB(pid);
    return { startMiB: first, peakMiB: Math.max(peak, last), endMiB: last, samples };
  };
}

/**
 * Waits until the gateway and the database are idle (both under `pct` % of a core over 250 ms
 * windows, 3 windows running), at most `maxS` seconds: change-stream events of a bulk load, for
 * example, are still being drained for a while after the inserts returned.
 */
export async function settle(stack, maxS = 30, pct = 8) {
  const t0 = now();
  let quiet = 0;
  while (now() - t0 < maxS * 1000) {
    const m = cpuMeter(stack);
    await new Promise((r) => setTimeout(r, 250));
    const u = m(0);
    quiet = u.gatewayPct < pct && u.dbPct < pct ? quiet + 1 : 0;
    if (quiet >= 3) break;
  }
  return (now() - t0) / 1000;
}

// ---------------------------------------------------------------- children --
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A child process with its last log lines kept and its exit as a promise. */
function track(child, label) {
  const proc = { child, pid: child.pid, label, log: [], exit: undefined };
  const keep = (stream) => {
    let buf = "";
    stream.setEncoding("utf8").on("data", (d) => {
      buf += d;
      const lines = buf.split("\n");
      buf = lines.pop();
      for (const l of lines) {
        proc.log.push(l);
        if (process.env.BENCH_ECHO && l.includes(process.env.BENCH_ECHO)) console.error(`[${label}] ${l}`);
        if (proc.log.length > 200) proc.log.shift();
      }
    });
  };
  keep(child.stdout);
  keep(child.stderr);
  proc.exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      proc.exit = { code, signal };
      resolve(proc.exit);
    });
  });
  return proc;
}

function dbBin() {
  const pkg = require.resolve("@billetix/mongo-embedded/package.json");
  return path.join(path.dirname(pkg), "bin", "billetix-db.js");
}

export const GATEWAY_MAIN = path.join(ROOT, "gateway", "dist", "main.js");

/**
 * Starts `billetix-db` on a fresh folder, then the gateway on it; resolves once `/health`
 * answers 200. `opts.profDir`: run the gateway and the database with `--cpu-prof` into that folder.
 */
/** As the gateway launches its embedded database (`gateway/src/db/embedded-database.ts`). */
const DB_NODE_FLAGS = (process.env.DB_NODE_FLAGS ?? "--max-semi-space-size=64").split(" ").filter(Boolean);

export async function startStack(opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "billetix-bench-access-"));
  const stack = { dir, db: undefined, gateway: undefined };
  try {
    // The database: its stdin stays a pipe we hold, so it stops even if this process is killed.
    const dbProf = opts.profDir
      ? ["--cpu-prof", `--cpu-prof-dir=${opts.profDir}`, "--cpu-prof-name=billetix-db.cpuprofile"]
      : [];
    const dbChild = spawn(
      process.execPath,
      [
        ...dbProf,
        ...DB_NODE_FLAGS,
        dbBin(),
        "--dbpath",
        dir,
        "--port",
        "0",
        "--quiet",
        "--stop-on-stdin-close",
      ],
      { stdio: ["pipe", "pipe", "pipe"] },
    );
    stack.db = track(dbChild, "billetix-db");
    const t0 = now();
    const uri = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("billetix-db not listening after 60 s")), 60_000);
      let out = "";
      dbChild.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (mongodb:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      stack.db.exited.then((e) => {
        clearTimeout(timer);
        reject(new Error(`billetix-db exited (${e.code ?? e.signal}):\n${stack.db.log.join("\n")}`));
      });
    });
    const dbPort = Number(/:(\d+)/.exec(uri.slice("mongodb://".length))[1]);
    stack.mongoUri = `mongodb://127.0.0.1:${dbPort}/?directConnection=true`;
    stack.dbStartMs = now() - t0;
    // COUNT_COMMANDS=1: the gateway talks to the database through a counting proxy.
    let gatewayUri = stack.mongoUri;
    if (opts.countCommands) {
      stack.commands = await startCommandCounter(dbPort);
      gatewayUri = `mongodb://127.0.0.1:${stack.commands.port}/?directConnection=true`;
    }

    // The gateway, configured as in production (warn-level logs).
    const port = await freePort();
    // As `npm start` runs it: a heap limit under 2 GB keeps V8 from growing old space to 4× the
    // live heap before collecting (the gateway's live heap is ~50 MB).
    const args = ["--max-old-space-size=1024"];
    if (opts.profDir) {
      args.push("--cpu-prof", `--cpu-prof-dir=${opts.profDir}`, "--cpu-prof-name=gateway.cpuprofile");
    }
    args.push(GATEWAY_MAIN);
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      MONGODB_URI: gatewayUri,
      DB_NAME: opts.dbName,
      DATA_DIR: path.join(dir, "unused-gateway-data"),
      BILLETIX_ROOT_PASSWORD: opts.rootPassword,
      LOG_LEVEL: "warn",
      COOKIE_SECURE: "false",
    };
    const t1 = now();
    stack.gateway = track(
      spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] }),
      "gateway",
    );
    stack.port = port;
    stack.base = `http://127.0.0.1:${port}`;
    for (;;) {
      if (stack.gateway.exit) {
        throw new Error(
          `the gateway exited (${JSON.stringify(stack.gateway.exit)}) before /health answered:\n${stack.gateway.log.slice(-30).join("\n")}`,
        );
      }
      if (now() - t1 > 120_000) throw new Error("the gateway's /health did not answer 200 within 120 s");
      if ((await healthStatus(stack.base)) === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    stack.gatewayStartMs = now() - t1;
    return stack;
  } catch (e) {
    await killStack(stack);
    throw e;
  }
}

function healthStatus(base) {
  return new Promise((resolve) => {
    const req = http.get(`${base}/health`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
  });
}

async function stopProc(proc, timeoutMs) {
  if (!proc || proc.exit) return proc?.exit;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  const e = await proc.exited;
  clearTimeout(timer);
  return e;
}

/** A clean stop: SIGTERM to the gateway, then to the database; the data folder is deleted. */
export async function stopStack(stack, keepData = false) {
  const result = {};
  try {
    result.gateway = await stopProc(stack.gateway, 30_000);
    result.db = await stopProc(stack.db, 60_000);
  } finally {
    await killStack(stack, keepData);
  }
  return result;
}

/**
 * Ctrl-C or SIGTERM during a run: `also` closes what the bench opened besides the stack, the stack
 * (`currentStack()`, if any) is killed, and the process exits 130. Returns the function that
 * removes the handlers, for the run's `finally`.
 */
export function killStackOnInterrupt(currentStack, keepData, also = () => {}) {
  const onSignal = () => {
    also();
    const stack = currentStack();
    if (stack) void killStack(stack, keepData).finally(() => process.exit(130));
    else process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/** The end of a run, failed or not: each `close` in turn (its errors ignored), then whatever is left of the stack killed. */
export async function closeRun(closes, stack, keepData) {
  for (const close of closes) {
    try {
      await close();
    } catch {}
  }
  if (stack) await killStack(stack, keepData);
}

/** After a failure: when the gateway or the database died, their exits and the gateway's last log lines. */
export function reportDeadStack(stack) {
  if (stack?.gateway?.exit || stack?.db?.exit) {
    console.error(
      `gateway exit ${JSON.stringify(stack.gateway?.exit)}, db exit ${JSON.stringify(stack.db?.exit)}; gateway log:`,
    );
    console.error(stack.gateway.log.slice(-30).join("\n"));
  }
}

/** After a failure: make sure both are gone and the folder too. */
export async function killStack(stack, keepData = false) {
  stack.commands?.close();
  for (const p of [stack.gateway, stack.db]) {
    if (p && !p.exit) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
  }
  if (!keepData && stack.dir) fs.rmSync(stack.dir, { recursive: true, force: true });
}
