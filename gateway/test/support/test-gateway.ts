import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type EmbeddedMongo, startEmbeddedMongo } from "@billetix/mongo-embedded";
import pino from "pino";
import type { Clock } from "../../src/common/clock";
import { loadConfig } from "../../src/config";
import type { InlineScheduler } from "../../src/jobs/inline-scheduler";
import { type Gateway, startGateway } from "../../src/server";
import type { ConnectorRegistry } from "../../src/sources/connector-registry";
import { GraphqlClient } from "./graphql-client";

export const ROOT_PASSWORD = "root-password-for-tests";

export interface TestGateway {
  gateway: Gateway;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** Base URL without /graphql. */
  baseUrl: string;
  /** Counts the database commands `work` sends (e.g. to prove a query's round-trips are bounded). */
  countCommands(work: () => Promise<unknown>): Promise<{ count: number; commands: string[] }>;
  /** Runs a recurring job now (the inline job driver). */
  runJob(name: string): Promise<void>;
  anonymous(): GraphqlClient;
  /** Logs in and returns a client carrying the session token. */
  login(username: string, password: string): Promise<GraphqlClient>;
  asRoot(): Promise<GraphqlClient>;
  stop(): Promise<void>;
}

/**
 * A real gateway on port 0 with its own database on a real embedded server. One per test file
 * (each file its own database folder), so files can run in parallel.
 */
export async function startTestGateway(
  options: { clock?: Clock; env?: NodeJS.ProcessEnv; connectors?: ConnectorRegistry } = {},
): Promise<TestGateway> {
  const dbPath = await mkdtemp(path.join(tmpdir(), "billetix-gw-"));
  let database: EmbeddedMongo | undefined;
  try {
    database = await startEmbeddedMongo({ dbPath, port: 0, ttlMonitorIntervalMs: 200 });
    const config = {
      ...loadConfig(options.env ?? {}),
      port: 0,
      host: "127.0.0.1",
      mongoUri: database.uri,
      dbName: `test_${randomBytes(4).toString("hex")}`,
      rootPassword: ROOT_PASSWORD,
    };
    const gateway = await startGateway({
      config,
      // TEST_LOG_LEVEL=error shows what a 500 hides.
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
      clock: options.clock,
      jobs: "inline",
      connectors: options.connectors,
      // countCommands listens to the driver's command events, which exist only when monitored.
      monitorCommands: true,
    });
    const baseUrl = gateway.url.replace(/\/graphql$/, "");
    const db = database;
    const login = async (username: string, password: string) => {
      const client = new GraphqlClient(gateway.url);
      await client.login(username, password);
      return client;
    };
    return {
      gateway,
      url: gateway.url,
      baseUrl,
      countCommands: async (work) => {
        const client = gateway.orm.em.getDriver().getConnection().getClient();
        const commands: string[] = [];
        // getMore is left out: the gateway's change streams (sessions, counters) poll on the same
        // client at their own pace; the work measured here reads pages that fit a first batch.
        const listener = (event: { commandName: string }) => {
          if (event.commandName !== "getMore") commands.push(event.commandName);
        };
        client.on("commandStarted", listener);
        try {
          await work();
        } finally {
          client.off("commandStarted", listener);
        }
        return { count: commands.length, commands };
      },
      runJob: (name) => (gateway.deps.jobs as InlineScheduler).runRecurring(name),
      anonymous: () => new GraphqlClient(gateway.url),
      login,
      asRoot: () => login("root", ROOT_PASSWORD),
      stop: async () => {
        await gateway.stop();
        await db.stop();
        await rm(dbPath, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await database?.stop();
    await rm(dbPath, { recursive: true, force: true });
    throw err;
  }
}
