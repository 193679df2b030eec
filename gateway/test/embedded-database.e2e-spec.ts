import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import pino from "pino";
import { launchEmbeddedDatabase } from "../src/db/embedded-database";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "billetix-child-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe("the embedded database as a child process", () => {
  it("starts on a free loopback port, keeps data across restarts, and stops", async () => {
    const first = await launchEmbeddedDatabase(dataDir, pino({ level: "silent" }));
    expect(first.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    const client = await MongoClient.connect(first.uri);
    await client
      .db("x")
      .collection("c")
      .insertOne({ _id: 1 } as never);
    await client.close();
    await first.stop();

    const second = await launchEmbeddedDatabase(dataDir, pino({ level: "silent" }));
    const again = await MongoClient.connect(second.uri);
    expect(await again.db("x").collection("c").countDocuments()).toBe(1);
    await again.close();
    await second.stop();
  });

  it("stops by itself when its parent dies (its stdin closes), releasing the data folder", async () => {
    // A parent that launches the database, prints its URI, then is SIGKILLed.
    const script = `
      const { launchEmbeddedDatabase } = require(${JSON.stringify(require.resolve("../dist/db/embedded-database"))});
      launchEmbeddedDatabase(${JSON.stringify(dataDir)}, require("pino")({ level: "silent" })).then((db) => console.log(db.uri));
    `;
    const parent = spawn(process.execPath, ["-e", script], {
      cwd: path.join(__dirname, ".."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) => parent.stdout.once("data", () => resolve()));
    parent.kill("SIGKILL");
    // The folder's lock is free again once the orphan stopped: a new database can open it.
    let db: Awaited<ReturnType<typeof launchEmbeddedDatabase>> | undefined;
    for (let attempt = 0; attempt < 50 && !db; attempt++) {
      db = await launchEmbeddedDatabase(dataDir, pino({ level: "silent" })).catch(() => undefined);
      if (!db) await new Promise((r) => setTimeout(r, 100));
    }
    expect(db).toBeDefined();
    await db?.stop();
  });
});
