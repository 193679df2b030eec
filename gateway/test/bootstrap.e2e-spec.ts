import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type EmbeddedMongo, startEmbeddedMongo } from "@billetix/mongo-embedded";
import pino from "pino";
import { loadConfig } from "../src/config";
import { startGateway } from "../src/server";
import { GraphqlClient } from "./support/graphql-client";

let dbPath: string;
let database: EmbeddedMongo;
beforeAll(async () => {
  dbPath = await mkdtemp(path.join(tmpdir(), "billetix-boot-"));
  database = await startEmbeddedMongo({ dbPath, port: 0 });
});
afterAll(async () => {
  await database?.stop();
  await rm(dbPath, { recursive: true, force: true });
});

const start = (env: NodeJS.ProcessEnv = {}) =>
  startGateway({
    config: { ...loadConfig(env), port: 0, host: "127.0.0.1", mongoUri: database.uri, dbName: "boot" },
    log: pino({ level: "silent" }),
    jobs: "inline",
  });

describe("bootstrap on an empty database", () => {
  it("generates root's password once, and it opens root's session; a restart keeps it", async () => {
    const first = await start();
    const password = first.generatedRootPassword;
    expect(password).toEqual(expect.any(String));
    expect(password?.length).toBeGreaterThanOrEqual(16);
    const client = new GraphqlClient(first.url);
    await client.login("root", password as string);
    await first.stop();

    const second = await start({ BILLETIX_ROOT_PASSWORD: "ignored-now-that-root-exists" });
    expect(second.generatedRootPassword).toBeUndefined();
    await new GraphqlClient(second.url).login("root", password as string);
    await second.stop();
  });

  it("refuses a configured root password that is too short, naming the variable", async () => {
    const other = startGateway({
      config: {
        ...loadConfig({ BILLETIX_ROOT_PASSWORD: "short" }),
        port: 0,
        host: "127.0.0.1",
        mongoUri: database.uri,
        dbName: "boot2",
      },
      log: pino({ level: "silent" }),
      jobs: "inline",
    });
    await expect(other).rejects.toThrow(/au moins 8 caractères/);
  });
});
