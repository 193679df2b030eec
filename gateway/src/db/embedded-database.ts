import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";

export interface EmbeddedDatabase {
  uri: string;
  stop(): Promise<void>;
}

const LISTENING = /listening on (mongodb:\/\/\S+)/;

/**
 * Launches the embedded database as a child process on loopback, so the second core does the
 * database work while this one serves GraphQL. The child stops when we stop — and, through its
 * stdin closing, when we die.
 */
export async function launchEmbeddedDatabase(
  dataDir: string,
  log: Logger,
  port = 0,
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const packageDir = path.dirname(require.resolve("@billetix/mongo-embedded/package.json"));
  const child = spawn(
    process.execPath,
    [
      // A larger young generation: the database allocates per command and per document, and
      // with the default 16 MB it spent 14 % of a scan rush collecting (10 % with this).
      "--max-semi-space-size=64",
      path.join(packageDir, "bin", "billetix-db.js"),
      "--dbpath",
      dataDir,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--stop-on-stdin-close",
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    for (const line of chunk.split("\n")) if (line.trim()) log.info({ db: line.trim() }, "embedded database");
  });
  const uri = await waitForListening(child);
  log.info({ uri, dataDir }, "embedded database started");
  return {
    uri,
    stop: () => stopChild(child),
  };
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = LISTENING.exec(out);
      if (match) {
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`the embedded database exited during start-up (code ${code}); see its log above`));
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
