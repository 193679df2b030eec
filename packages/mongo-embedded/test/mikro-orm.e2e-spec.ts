import "reflect-metadata";
import {
  Collection,
  DriverException,
  Embeddable,
  Embedded,
  Entity,
  ManyToOne,
  MikroORM,
  OneToMany,
  type Opt,
  PrimaryKey,
  Property,
  SerializedPrimaryKey,
  Unique,
  UniqueConstraintViolationException,
} from "@mikro-orm/core";
import { MongoDriver, type MongoEntityManager, ObjectId } from "@mikro-orm/mongodb";
import type { Db, Document } from "mongodb";
import { caught, startTestServer, type TestServer } from "./support";

/** MikroORM 6 (driver mongodb 6.21) against the embedded server, with the ticketing model's shape. */

@Embeddable()
class Address {
  @Property()
  street!: string;

  @Property()
  city!: string;

  constructor(street: string, city: string) {
    this.street = street;
    this.city = city;
  }
}

@Entity({ collection: "venues" })
class Venue {
  @PrimaryKey()
  _id!: ObjectId;

  @SerializedPrimaryKey()
  id!: string;

  @Property()
  name: string;

  @Embedded(() => Address, { object: true })
  address: Address;

  @Property()
  capacity: number;

  @OneToMany(
    () => Event,
    (event) => event.venue,
  )
  events = new Collection<Event>(this);

  constructor(name: string, address: Address, capacity: number) {
    this.name = name;
    this.address = address;
    this.capacity = capacity;
  }
}

@Entity({ collection: "events" })
class Event {
  @PrimaryKey()
  _id!: ObjectId;

  @SerializedPrimaryKey()
  id!: string;

  @Property()
  title: string;

  @ManyToOne(() => Venue)
  venue: Venue;

  @Property()
  tags: string[] & Opt = [];

  @OneToMany(
    () => Performance,
    (performance) => performance.event,
  )
  performances = new Collection<Performance>(this);

  constructor(title: string, venue: Venue) {
    this.title = title;
    this.venue = venue;
  }
}

@Entity({ collection: "performances" })
class Performance {
  @PrimaryKey()
  _id!: ObjectId;

  @SerializedPrimaryKey()
  id!: string;

  @ManyToOne(() => Event)
  event: Event;

  @Property()
  startsAt: Date;

  @Property()
  status: string & Opt = "scheduled";

  @OneToMany(
    () => Ticket,
    (ticket) => ticket.performance,
  )
  tickets = new Collection<Ticket>(this);

  constructor(event: Event, startsAt: Date) {
    this.event = event;
    this.startsAt = startsAt;
  }
}

@Entity({ collection: "tickets" })
@Unique({ name: "performance_barcode", properties: ["performance", "barcode"] })
class Ticket {
  @PrimaryKey()
  _id!: ObjectId;

  @SerializedPrimaryKey()
  id!: string;

  @ManyToOne(() => Performance)
  performance: Performance;

  @Property()
  barcode: string;

  @Property()
  holder: string;

  @Property()
  priceCents: number;

  @Property()
  scanned: boolean & Opt = false;

  @Property({ nullable: true })
  scannedAt?: Date;

  constructor(performance: Performance, barcode: string, holder: string, priceCents: number) {
    this.performance = performance;
    this.barcode = barcode;
    this.holder = holder;
    this.priceCents = priceCents;
  }
}

const DB_NAME = "billetix_orm";
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date("2030-06-01T18:00:00.000Z");

let env: TestServer;
let orm: MikroORM<MongoDriver>;
let raw: Db;
/** Ids of the graph persisted by the first test. */
const ids = { venue: "", event: "", performances: [] as string[] };

function em(): MongoEntityManager {
  return orm.em.fork();
}

beforeAll(async () => {
  env = await startTestServer();
  raw = env.client.db(DB_NAME);
  orm = await MikroORM.init<MongoDriver>({
    driver: MongoDriver,
    clientUrl: env.uri,
    dbName: DB_NAME,
    entities: [Address, Venue, Event, Performance, Ticket],
    driverOptions: { serverSelectionTimeoutMS: 5_000 },
    allowGlobalContext: false,
    ensureIndexes: false,
    debug: process.env.ORM_DEBUG === "1",
  });
});

afterAll(async () => {
  await orm?.close(true);
  await env?.stop();
});

describe("schema", () => {
  it("createSchema and ensureIndexes are idempotent (each run twice)", async () => {
    await orm.schema.createSchema();
    await orm.schema.createSchema();
    await orm.schema.ensureIndexes();
    await orm.schema.ensureIndexes();
    const collections = (await raw.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(collections).toEqual(["events", "performances", "tickets", "venues"]);
    const indexes = await raw.collection("tickets").listIndexes().toArray();
    expect(indexes.map(({ key, name, unique }) => ({ key, name, unique }))).toEqual([
      { key: { _id: 1 }, name: "_id_", unique: undefined },
      { key: { performance: 1, barcode: 1 }, name: "performance_barcode", unique: true },
    ]);
  });
});

describe("unit of work", () => {
  it("persists a Venue → Event → Performance → Ticket graph in one flush", async () => {
    const fork = em();
    const venue = new Venue("Zénith", new Address("211 av. Jean Jaurès", "Paris"), 6_300);
    const event = new Event("Festival d'été", venue);
    const performances = [0, 1, 2].map((day) => new Performance(event, new Date(T0.getTime() + day * DAY)));
    performances.forEach((performance, p) => {
      for (let t = 0; t < 4; t++) {
        performance.tickets.add(new Ticket(performance, `BC-${p}-${t}`, `holder ${p}.${t}`, 2_500 + t * 500));
      }
    });
    fork.persist(venue);
    await fork.flush();
    ids.venue = venue.id;
    ids.event = event.id;
    ids.performances = performances.map((p) => p.id);

    expect(await raw.collection("venues").findOne({ _id: new ObjectId(venue.id) })).toEqual({
      _id: new ObjectId(venue.id),
      name: "Zénith",
      address: { street: "211 av. Jean Jaurès", city: "Paris" },
      capacity: 6_300,
    });
    expect(await raw.collection("events").findOne({ _id: new ObjectId(event.id) })).toEqual({
      _id: new ObjectId(event.id),
      title: "Festival d'été",
      venue: new ObjectId(venue.id),
      tags: [],
    });
    expect(
      await raw
        .collection("performances")
        .find({}, { sort: { startsAt: 1 } })
        .toArray(),
    ).toEqual(
      performances.map((p, day) => ({
        _id: new ObjectId(p.id),
        event: new ObjectId(event.id),
        startsAt: new Date(T0.getTime() + day * DAY),
        status: "scheduled",
      })),
    );
    const ticket = await raw.collection("tickets").findOne({ barcode: "BC-1-2" });
    expect(ticket).toEqual({
      _id: expect.any(ObjectId),
      performance: new ObjectId(performances[1].id),
      barcode: "BC-1-2",
      holder: "holder 1.2",
      priceCents: 3_500,
      scanned: false,
    });
    expect(await raw.collection("tickets").countDocuments()).toBe(12);
  });

  it("find with populate loads the whole graph", async () => {
    const [venue] = await em().find(Venue, { id: ids.venue }, { populate: ["events.performances.tickets"] });
    expect(venue.address).toBeInstanceOf(Address);
    expect({ ...venue.address }).toEqual({ street: "211 av. Jean Jaurès", city: "Paris" });
    expect(venue.events.getItems().map((e) => e.title)).toEqual(["Festival d'été"]);
    const performances = venue.events
      .getItems()[0]
      .performances.getItems()
      .sort((a, b) => +a.startsAt - +b.startsAt);
    expect(performances.map((p) => p.startsAt)).toEqual(
      [0, 1, 2].map((d) => new Date(T0.getTime() + d * DAY)),
    );
    expect(performances[0].startsAt).toBeInstanceOf(Date);
    expect(
      performances.map((p) =>
        p.tickets
          .getItems()
          .map((t) => t.barcode)
          .sort(),
      ),
    ).toEqual([0, 1, 2].map((p) => [0, 1, 2, 3].map((t) => `BC-${p}-${t}`)));
    expect(performances[2].tickets.getItems().every((t) => t.performance === performances[2])).toBe(true);
  });

  it("count, $in, $gte on dates, orderBy, limit/offset", async () => {
    const fork = em();
    expect(await fork.count(Ticket)).toBe(12);
    expect(await fork.count(Ticket, { performance: ids.performances[1] })).toBe(4);
    expect(await fork.count(Ticket, { priceCents: { $gte: 3_000 }, scanned: false })).toBe(9);
    const upcoming = await fork.find(
      Performance,
      { startsAt: { $gte: new Date(T0.getTime() + DAY) }, event: ids.event },
      { orderBy: { startsAt: "desc" } },
    );
    expect(upcoming.map((p) => p.id)).toEqual([ids.performances[2], ids.performances[1]]);
    const picked = await fork.find(
      Ticket,
      { barcode: { $in: ["BC-0-0", "BC-2-3", "BC-9-9"] } },
      { orderBy: { barcode: "asc" }, populate: ["performance"] },
    );
    expect(picked.map((t) => [t.barcode, t.performance.startsAt])).toEqual([
      ["BC-0-0", T0],
      ["BC-2-3", new Date(T0.getTime() + 2 * DAY)],
    ]);
    const page = await fork.find(Ticket, {}, { orderBy: { barcode: "asc" }, limit: 3, offset: 4 });
    expect(page.map((t) => t.barcode)).toEqual(["BC-1-0", "BC-1-1", "BC-1-2"]);
    const one = await fork.findOne(Ticket, {
      performance: { $in: [ids.performances[2], ids.performances[0]] },
      barcode: { $in: ["BC-2-1", "BC-1-1"] },
    });
    expect(one?.holder).toBe("holder 2.1");
    expect(await fork.findOne(Ticket, { barcode: "nope" })).toBeNull();
  });

  it("changes are flushed as $set: a field written elsewhere meanwhile survives", async () => {
    const fork = em();
    const [a, b] = await fork.find(
      Ticket,
      { barcode: { $in: ["BC-0-1", "BC-0-2"] } },
      { orderBy: { barcode: "asc" } },
    );
    await raw
      .collection("tickets")
      .updateOne({ barcode: "BC-0-1" }, { $set: { note: "written by the gate" } });
    const scannedAt = new Date("2030-06-01T18:05:00.000Z");
    a.scanned = true;
    a.scannedAt = scannedAt;
    await fork.flush();
    expect(
      await raw
        .collection("tickets")
        .findOne({ barcode: "BC-0-1" }, { projection: { _id: 0, performance: 0 } }),
    ).toEqual({
      barcode: "BC-0-1",
      holder: "holder 0.1",
      priceCents: 3_000,
      scanned: true,
      scannedAt,
      note: "written by the gate",
    });
    // Two changed entities in one flush go through an unordered bulk write.
    a.holder = "new holder";
    b.priceCents = 9_999;
    await fork.flush();
    const after = await raw
      .collection("tickets")
      .find(
        { barcode: { $in: ["BC-0-1", "BC-0-2"] } },
        { projection: { _id: 0, barcode: 1, holder: 1, priceCents: 1 }, sort: { barcode: 1 } },
      )
      .toArray();
    expect(after).toEqual([
      { barcode: "BC-0-1", holder: "new holder", priceCents: 3_000 },
      { barcode: "BC-0-2", holder: "holder 0.2", priceCents: 9_999 },
    ]);
    // Back to undefined → $unset.
    a.scannedAt = undefined;
    await fork.flush();
    expect(
      await raw
        .collection("tickets")
        .findOne({ barcode: "BC-0-1" }, { projection: { _id: 0, scannedAt: 1 } }),
    ).toEqual({});
  });

  it("em.nativeUpdate and em.nativeDelete report exact counts", async () => {
    const fork = em();
    expect(
      await fork.nativeUpdate(
        Ticket,
        { performance: ids.performances[2], scanned: false },
        { holder: "comp" },
      ),
    ).toBe(4);
    expect(await raw.collection("tickets").countDocuments({ holder: "comp" })).toBe(4);
    expect(await fork.nativeUpdate(Ticket, { barcode: "nope" }, { holder: "x" })).toBe(0);
    expect(await fork.nativeDelete(Ticket, { barcode: { $in: ["BC-2-2", "BC-2-3", "nope"] } })).toBe(2);
    expect(await fork.count(Ticket)).toBe(10);
  });

  it("em.remove deletes on flush", async () => {
    const fork = em();
    const ticket = await fork.findOneOrFail(Ticket, { barcode: "BC-2-1" });
    fork.remove(ticket);
    await fork.flush();
    expect(await raw.collection("tickets").countDocuments({ barcode: "BC-2-1" })).toBe(0);
    expect(await em().count(Ticket)).toBe(9);
  });
});

describe("upserts and constraints", () => {
  it("em.upsert inserts, then updates on the unique (performance, barcode) key", async () => {
    const performance = ids.performances[0];
    const created = await em().upsert(Ticket, {
      performance,
      barcode: "UP-1",
      holder: "first",
      priceCents: 1_000,
      scanned: false,
    });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(await raw.collection("tickets").findOne({ barcode: "UP-1" })).toEqual({
      _id: new ObjectId(created.id),
      performance: new ObjectId(performance),
      barcode: "UP-1",
      holder: "first",
      priceCents: 1_000,
      scanned: false,
    });
    const updated = await em().upsert(Ticket, {
      performance,
      barcode: "UP-1",
      holder: "second",
      priceCents: 1_500,
      scanned: false,
    });
    expect(updated.id).toBe(created.id);
    expect(await raw.collection("tickets").countDocuments({ barcode: "UP-1" })).toBe(1);
    expect(
      await raw
        .collection("tickets")
        .findOne({ barcode: "UP-1" }, { projection: { _id: 0, holder: 1, priceCents: 1 } }),
    ).toEqual({
      holder: "second",
      priceCents: 1_500,
    });
  });

  it("em.upsertMany mixes inserts and updates", async () => {
    // An ObjectId, not the string form: MikroORM 6.6 matches the reloaded rows against the input
    // in memory and does not equate a string FK with an ObjectId (its own limitation).
    const performance = new ObjectId(ids.performances[1]);
    const rows = await em().upsertMany(Ticket, [
      { performance, barcode: "BC-1-0", holder: "renamed", priceCents: 2_500, scanned: true },
      { performance, barcode: "UP-2", holder: "new a", priceCents: 100, scanned: false },
      { performance, barcode: "UP-3", holder: "new b", priceCents: 200, scanned: false },
    ]);
    expect(rows.map((t) => t.barcode)).toEqual(["BC-1-0", "UP-2", "UP-3"]);
    expect(rows.every((t) => /^[0-9a-f]{24}$/.test(t.id))).toBe(true);
    const stored = await raw
      .collection("tickets")
      .find({ performance: performance }, { projection: { performance: 0 }, sort: { barcode: 1 } })
      .toArray();
    expect(stored.map(({ _id, ...rest }) => ({ id: String(_id), ...rest }))).toEqual([
      { id: rows[0].id, barcode: "BC-1-0", holder: "renamed", priceCents: 2_500, scanned: true },
      { id: expect.any(String), barcode: "BC-1-1", holder: "holder 1.1", priceCents: 3_000, scanned: false },
      { id: expect.any(String), barcode: "BC-1-2", holder: "holder 1.2", priceCents: 3_500, scanned: false },
      { id: expect.any(String), barcode: "BC-1-3", holder: "holder 1.3", priceCents: 4_000, scanned: false },
      { id: rows[1].id, barcode: "UP-2", holder: "new a", priceCents: 100, scanned: false },
      { id: rows[2].id, barcode: "UP-3", holder: "new b", priceCents: 200, scanned: false },
    ]);
  });

  it("a duplicate (performance, barcode) surfaces as UniqueConstraintViolationException", async () => {
    const fork = em();
    const performance = fork.getReference(Performance, new ObjectId(ids.performances[0]));
    fork.persist(new Ticket(performance, "BC-0-0", "forger", 1));
    const err = await caught(fork.flush());
    expect(err).toBeInstanceOf(UniqueConstraintViolationException);
    expect(err.code).toBe(11000);
    expect(await raw.collection("tickets").countDocuments({ barcode: "BC-0-0" })).toBe(1);
    expect(await raw.collection("tickets").countDocuments({ holder: "forger" })).toBe(0);
    // The same barcode on another performance is fine.
    const other = em();
    other.persist(
      new Ticket(other.getReference(Performance, new ObjectId(ids.performances[1])), "BC-0-0", "ok", 1),
    );
    await other.flush();
    expect(await raw.collection("tickets").countDocuments({ barcode: "BC-0-0" })).toBe(2);
  });
});

describe("isolation and transactions", () => {
  it("em.fork() isolates identity maps and unflushed changes", async () => {
    const a = em();
    const b = em();
    const inA = await a.findOneOrFail(Ticket, { barcode: "BC-1-1" });
    const inB = await b.findOneOrFail(Ticket, { barcode: "BC-1-1" });
    expect(inA).not.toBe(inB);
    expect(await a.findOneOrFail(Ticket, { barcode: "BC-1-1" })).toBe(inA);
    inA.holder = "changed in a";
    expect(inB.holder).toBe("holder 1.1");
    expect((await em().findOneOrFail(Ticket, { barcode: "BC-1-1" })).holder).toBe("holder 1.1");
    await a.flush();
    // b keeps its own copy until it refreshes; a fresh fork sees the flushed value.
    expect(inB.holder).toBe("holder 1.1");
    expect((await em().findOneOrFail(Ticket, { barcode: "BC-1-1" })).holder).toBe("changed in a");
    expect((await b.findOneOrFail(Ticket, { barcode: "BC-1-1" }, { refresh: true })).holder).toBe(
      "changed in a",
    );
    // Nothing of a's pending state leaks into b's flush.
    await b.flush();
    expect(await raw.collection("tickets").countDocuments({ holder: "changed in a" })).toBe(1);
  });

  it("em.transactional fails cleanly (code 20: no transactions on this server) and writes nothing", async () => {
    const before: Document[] = await raw.collection("venues").find().toArray();
    const err = await caught(
      em().transactional(async (tx) => {
        tx.persist(new Venue("Olympia", new Address("28 bd des Capucines", "Paris"), 2_000));
      }),
    );
    expect(err).toBeInstanceOf(DriverException);
    expect(err.code).toBe(20);
    expect(err.message).toContain("Transaction numbers are only allowed on a replica set member or mongos");
    expect(await raw.collection("venues").find().toArray()).toEqual(before);
    // The connection is still usable afterwards.
    expect(await em().count(Venue)).toBe(1);
  });
});
