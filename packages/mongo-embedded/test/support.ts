import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { type Document, MongoClient, type ObjectId } from "mongodb";
import { type EmbeddedMongo, type EmbeddedMongoOptions, startEmbeddedMongo } from "../src/server";

/** Test documents: any `_id` (the driver's default schema insists on ObjectId). */
export interface TestDoc extends Document {
  _id?: string | number | ObjectId | Document;
}

/** What every driver client (6.x or 7.x) offers for the helper to manage it. */
export interface ClosableClient {
  connect(): Promise<unknown>;
  close(): Promise<void>;
}

export interface TestServer {
  server: EmbeddedMongo;
  uri: string;
  dbPath: string;
  /** A connected `mongodb` 6.x client. */
  client: MongoClient;
  /** Connects one more client (any driver); `stop()` closes it. */
  connect<C extends ClosableClient>(create: (uri: string) => C): Promise<C>;
  /** Closes every client, stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/** Client options for tests: fail fast instead of waiting 30 s for a server that is gone. */
export const TEST_CLIENT_OPTIONS = { serverSelectionTimeoutMS: 5_000 } as const;

/** Starts a server on a free port with a fresh data folder, and connects a driver 6.x client. */
export async function startTestServer(options: Partial<EmbeddedMongoOptions> = {}): Promise<TestServer> {
  const dbPath = await mkdtemp(path.join(os.tmpdir(), "mongo-embedded-e2e-"));
  const server = await startEmbeddedMongo({ ...options, dbPath, port: 0 });
  const clients: ClosableClient[] = [];
  const connect = async <C extends ClosableClient>(create: (uri: string) => C): Promise<C> => {
    const client = create(server.uri);
    clients.push(client);
    await client.connect();
    return client;
  };
  const client = await connect((uri) => new MongoClient(uri, TEST_CLIENT_OPTIONS));
  let stopped: Promise<void> | undefined;
  return {
    server,
    uri: server.uri,
    dbPath,
    client,
    connect,
    stop() {
      stopped ??= (async () => {
        await Promise.allSettled(clients.map((c) => c.close()));
        await server.stop();
        await rm(dbPath, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** An error as the drivers throw it: the server's reply fields are copied onto it. */
export type ThrownError = Error & Record<string, unknown>;

/** Awaits something that must fail and returns what it threw (fails the test if it resolved). */
export async function caught(run: Promise<unknown> | (() => Promise<unknown>)): Promise<ThrownError> {
  let value: unknown;
  try {
    value = await (typeof run === "function" ? run() : run);
  } catch (err) {
    if (err instanceof Error) return err as ThrownError;
    throw new Error(`a non-Error was thrown: ${String(err)}`);
  }
  throw new Error(`expected a failure, got ${inspect(value)}`);
}
