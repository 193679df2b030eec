import { MongoClient } from "mongodb";
import { MongoClient as MongoClient7 } from "mongodb7";
import { startTestServer, TEST_CLIENT_OPTIONS, type TestDoc, type TestServer } from "./support";

let env: TestServer;

beforeAll(async () => {
  env = await startTestServer();
});

afterAll(async () => {
  await env?.stop();
});

describe("handshake and server information", () => {
  it("hello describes a writable standalone without topologyVersion", async () => {
    const hello = await env.client.db("admin").admin().command({ hello: 1 });
    expect(hello).toMatchObject({
      ok: 1,
      isWritablePrimary: true,
      minWireVersion: 0,
      maxWireVersion: 21,
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      logicalSessionTimeoutMinutes: 30,
    });
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(Number.isInteger(hello.connectionId)).toBe(true);
    expect(hello.topologyVersion).toBeUndefined();
    expect(hello.setName).toBeUndefined();
    expect(hello.compression).toBeUndefined();
    const legacy = await env.client.db("admin").command({ isMaster: 1 });
    expect(legacy).toMatchObject({ ok: 1, ismaster: true, maxWireVersion: 21 });
  });

  it("both drivers see a standalone server", async () => {
    const types: string[] = [];
    const client6 = new MongoClient(env.uri, TEST_CLIENT_OPTIONS);
    const client7 = new MongoClient7(env.uri, TEST_CLIENT_OPTIONS);
    client6.on("serverDescriptionChanged", (e) => types.push(`6:${e.newDescription.type}`));
    client7.on("serverDescriptionChanged", (e) => types.push(`7:${e.newDescription.type}`));
    await env.connect(() => client6);
    await env.connect(() => client7);
    expect((await client6.db("admin").command({ ping: 1 })).ok).toBe(1);
    expect((await client7.db("admin").command({ ping: 1 })).ok).toBe(1);
    expect(types).toContain("6:Standalone");
    expect(types).toContain("7:Standalone");
  });

  it("buildInfo and ping", async () => {
    const admin = env.client.db("admin").admin();
    const info = await admin.buildInfo();
    expect(info).toMatchObject({ ok: 1, version: "7.0.0", versionArray: [7, 0, 0, 0] });
    expect(await admin.ping()).toEqual({ ok: 1 });
  });
});

describe("databases and collections", () => {
  beforeAll(async () => {
    const db = env.client.db("catalog");
    await db.createCollection("alpha");
    await db.collection<TestDoc>("beta").insertOne({ b: 1 });
    await db.collection<TestDoc>("gamma").createIndex({ g: 1 });
    await env.client.db("other_db").collection<TestDoc>("x").insertOne({ x: 1 });
  });

  it("listDatabases lists the databases that hold data", async () => {
    const { databases } = await env.client.db("admin").admin().listDatabases();
    const names = databases.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(["catalog", "other_db"]));
    const { databases: only } = await env.client.db("admin").admin().listDatabases({ nameOnly: true });
    expect(only.map((d) => d.name).sort()).toEqual([...names].sort());
  });

  it("listCollections with a filter and nameOnly", async () => {
    const db = env.client.db("catalog");
    const all = await db.listCollections().toArray();
    expect(all.map((c) => c.name).sort()).toEqual(["alpha", "beta", "gamma"]);
    expect(all.every((c) => c.type === "collection")).toBe(true);
    const filtered = await db.listCollections({ name: "beta" }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: "beta", type: "collection", options: {} });
    const names = await db
      .listCollections({ name: { $in: ["alpha", "gamma", "nope"] } }, { nameOnly: true })
      .toArray();
    expect(names.map((c) => c.name).sort()).toEqual(["alpha", "gamma"]);
    expect(names.every((c) => Object.keys(c).sort().join() === "name,type")).toBe(true);
    const batched = await db.listCollections({}, { nameOnly: true, batchSize: 1 }).toArray();
    expect(batched.map((c) => c.name).sort()).toEqual(["alpha", "beta", "gamma"]);
  });

  it("dropDatabase removes every collection of that database only", async () => {
    const db = env.client.db("catalog");
    expect(await db.dropDatabase()).toBe(true);
    expect(await db.listCollections().toArray()).toEqual([]);
    expect(await db.collection<TestDoc>("beta").countDocuments()).toBe(0);
    const { databases } = await env.client.db("admin").admin().listDatabases();
    expect(databases.map((d) => d.name)).not.toContain("catalog");
    expect(await env.client.db("other_db").collection<TestDoc>("x").countDocuments()).toBe(1);
  });
});
