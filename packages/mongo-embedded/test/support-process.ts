import { type ChildProcess, execFile, spawn } from "node:child_process";
import path from "node:path";

/** The package folder (packages/mongo-embedded). */
export const PACKAGE_DIR = path.resolve(__dirname, "..");
/** The launcher that `npm i -g`/`npx billetix-db` would run; it requires dist/cli.js. */
export const CLI_BIN = path.join(PACKAGE_DIR, "bin", "billetix-db.js");

/** Every child this module spawned that has not exited yet. */
const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** SIGKILLs every child still running (for afterAll, whatever state a failed test left). */
export async function killAllSpawned(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

/** What a finished child process left behind. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Compiles the package to dist/ (`tsc -b`, incremental: about a second when up to date), so that a
 * fresh clone without dist/ can spawn the real CLI. Rejects with the compiler's output on failure.
 */
export function buildPackage(timeoutMs: number): Promise<void> {
  const tsc = require.resolve("typescript/bin/tsc");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [tsc, "-b", PACKAGE_DIR],
      { cwd: PACKAGE_DIR, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`tsc -b ${PACKAGE_DIR} failed (${err.message}):\n${stdout}${stderr}`));
        else resolve();
      },
    );
  });
}

/** Runs the CLI to completion (for argument errors): bounded by `timeoutMs`. */
export function runCli(args: string[], timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [CLI_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
    const out = collect(child);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`billetix-db ${args.join(" ")} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: out.stdout(), stderr: out.stderr() });
    });
  });
}

/** A `billetix-db` child process that has printed its `listening on` line. */
export interface DbProcess {
  child: ChildProcess;
  uri: string;
  pid: number;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<ProcessResult>;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and waits (bounded) for the exit. */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<ProcessResult>;
}

/**
 * Spawns `billetix-db --dbpath DIR --port 0` and waits (bounded) for `listening on mongodb://…`.
 * Rejects with the process's output when it exits first.
 */
export function spawnDb(dbPath: string, timeoutMs = 15_000): Promise<DbProcess> {
  const child = track(
    spawn(process.execPath, [CLI_BIN, "--dbpath", dbPath, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const out = collect(child);
  const exited = new Promise<ProcessResult>((resolve) => {
    child.once("close", (code, signal) =>
      resolve({ code, signal, stdout: out.stdout(), stderr: out.stderr() }),
    );
    child.once("error", (err) =>
      resolve({ code: null, signal: null, stdout: out.stdout(), stderr: `${out.stderr()}\n${err.message}` }),
    );
  });
  const stop = async (signal: NodeJS.Signals, stopTimeoutMs = 15_000): Promise<ProcessResult> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return withTimeout(exited, stopTimeoutMs, `billetix-db (pid ${child.pid}) did not exit after ${signal}`);
  };
  return new Promise<DbProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`billetix-db did not print "listening on" within ${timeoutMs} ms:\n${out.stderr()}`));
    }, timeoutMs);
    const onData = () => {
      const match = /^listening on (mongodb:\/\/\S+)$/m.exec(out.stdout());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      resolve({
        child,
        uri: match[1],
        pid: child.pid ?? -1,
        exited,
        stdout: out.stdout,
        stderr: out.stderr,
        stop,
      });
    };
    child.stdout?.on("data", onData);
    void exited.then((result) => {
      clearTimeout(timer);
      reject(
        new Error(
          `billetix-db exited (code ${result.code}, signal ${result.signal}) before listening:\n${result.stderr}`,
        ),
      );
    });
  });
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` until it returns a value other than undefined (bounded). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}
