import { randomBytes } from "node:crypto";
import { ShowEvent } from "../src/catalog/event.entity";
import { Performance } from "../src/catalog/performance.entity";
import { Venue } from "../src/catalog/venue.entity";
import type { Institution } from "../src/institutions/institution.entity";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

/**
 * The permission table: every operation against every kind of actor. The tree is
 * root → A → A1 and root → B; "ok" means the operation succeeded, otherwise the error code.
 */
type Actor = "root" | "masterA" | "adminA" | "userA" | "scanA" | "adminA1" | "masterB";
type Outcome = "ok" | "FORBIDDEN";
type Ids = {
  root: string;
  A: string;
  A1: string;
  B: string;
  victimA: string;
  masterA: string;
  userA: string;
  venueA: string;
  eventA: string;
  performanceA: string;
};

interface Operation {
  name: string;
  run(ids: Ids, unique: string): { query: string; variables?: Record<string, unknown> };
  expected: Record<Actor, Outcome>;
}

const only = (...allowed: Actor[]): Record<Actor, Outcome> =>
  Object.fromEntries(
    (["root", "masterA", "adminA", "userA", "scanA", "adminA1", "masterB"] as Actor[]).map((a) => [
      a,
      allowed.includes(a) ? "ok" : "FORBIDDEN",
    ]),
  ) as Record<Actor, Outcome>;

const flags = (admin: boolean) => ({ admin, backoffice: true, scanner: true });

export const INSTITUTION_OPERATIONS: Operation[] = [
  {
    name: "see institution A",
    run: (ids) => ({ query: `{ institution(id: "${ids.A}") { id } }` }),
    expected: only("root", "masterA", "adminA", "userA", "scanA"),
  },
  {
    name: "create a sub-institution under A",
    run: (ids, u) => ({
      query: "mutation($i: CreateInstitutionInput!) { createInstitution(input: $i) { id } }",
      variables: { i: { parentId: ids.A, name: `Sous ${u}` } },
    }),
    expected: only("root", "masterA"),
  },
  {
    name: "create a customer (main institution) under root",
    run: (ids, u) => ({
      query: "mutation($i: CreateInstitutionInput!) { createInstitution(input: $i) { id } }",
      variables: {
        i: {
          parentId: ids.root,
          name: `Client ${u}`,
          master: { username: `m-${u}`, password: "password-1" },
        },
      },
    }),
    expected: only("root"),
  },
  {
    name: "rename A1",
    run: (ids, u) => ({ query: `mutation { renameInstitution(id: "${ids.A1}", name: "A1 ${u}") { id } }` }),
    expected: only("root", "masterA"),
  },
  {
    name: "list the users of A",
    run: (ids) => ({ query: `{ institutionMembers(institutionId: "${ids.A}") { admin } }` }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "list the logins addable to A",
    run: (ids) => ({ query: `{ addableLogins(institutionId: "${ids.A}") { id } }` }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "create a login in A",
    run: (ids, u) => ({
      query: "mutation($i: CreateLoginInput!) { createLogin(input: $i) { admin } }",
      variables: {
        i: { institutionId: ids.A, username: `u-${u}`, password: "password-1", flags: flags(false) },
      },
    }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "make another user of A admin",
    run: (ids) => ({
      query: `mutation($f: MembershipFlagsInput!) { updateMembership(institutionId: "${ids.A}", loginId: "${ids.victimA}", flags: $f) { admin } }`,
      variables: { f: flags(true) },
    }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "replace the password of a user of A",
    run: (ids) => ({
      query: `mutation { setLoginPassword(loginId: "${ids.victimA}", password: "password-2") { id } }`,
    }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "replace the password of A's master (escalation)",
    run: (ids) => ({
      query: `mutation { setLoginPassword(loginId: "${ids.masterA}", password: "${FIXTURE_PASSWORD}") { id } }`,
    }),
    expected: only("root", "masterA"),
  },
  {
    name: "disable a user of A",
    run: (ids) => ({
      query: `mutation { setLoginDisabled(loginId: "${ids.victimA}", disabled: false) { id } }`,
    }),
    expected: only("root", "masterA", "adminA"),
  },
  {
    name: "grant master over A",
    run: (ids) => ({
      query: `mutation { grantMaster(loginId: "${ids.victimA}", institutionId: "${ids.A}") { id } }`,
    }),
    expected: only("root"),
  },
  {
    name: "create a venue in A",
    run: (ids, u) => ({
      query: `mutation($i: VenueInput!) { createVenue(institutionId: "${ids.A}", input: $i) { id } }`,
      variables: { i: { name: `Lieu ${u}` } },
    }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "list the venues of A",
    run: (ids) => ({ query: `{ venues(institutionId: "${ids.A}") { id } }` }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "open A's performance dashboard",
    run: (ids) => ({ query: `{ performanceDashboard(institutionId: "${ids.A}") { total } }` }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "open the whole branch's dashboard from A",
    run: (ids) => ({
      query: `{ performanceDashboard(institutionId: "${ids.A}", includeBranch: true) { total } }`,
    }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "create an event at A's venue",
    run: (ids, u) => ({
      query: `mutation($i: EventInput!) { createEvent(input: $i) { id } }`,
      variables: { i: { venueId: ids.venueA, name: `Spectacle ${u}` } },
    }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "create a performance of A's event",
    run: (ids) => ({
      query: `mutation($i: CreatePerformanceInput!) { createPerformance(input: $i) { id } }`,
      variables: {
        i: {
          eventId: ids.eventA,
          dated: true,
          startsAt: "2027-01-10T19:00:00Z",
          endsAt: "2027-01-10T22:00:00Z",
        },
      },
    }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "tick the PDA box of A's performance",
    run: (ids) => ({
      query: `mutation { setPerformanceControl(id: "${ids.performanceA}", controlEnabled: true) { id } }`,
    }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "see A's performance",
    run: (ids) => ({ query: `{ performance(id: "${ids.performanceA}") { id } }` }),
    expected: only("root", "masterA", "adminA", "userA"),
  },
  {
    name: "see the billing usage of branch A",
    run: (ids) => ({ query: `{ billingUsage(branchId: "${ids.A}") { month } }` }),
    expected: only("root", "masterA"),
  },
  {
    name: "see the billing summary of branch A",
    run: (ids) => ({ query: `{ billingSummary(branchId: "${ids.A}") { loginCount } }` }),
    expected: only("root", "masterA"),
  },
  {
    name: "remember A as the last institution",
    run: (ids) => ({ query: `mutation { switchInstitution(institutionId: "${ids.A}") { id } }` }),
    expected: only("root", "masterA", "adminA", "userA", "scanA"),
  },
];

const usernames: Record<Actor, string> = {
  root: "root",
  masterA: "master-a",
  adminA: "admin-a",
  userA: "user-a",
  scanA: "scan-a",
  adminA1: "admin-a1",
  masterB: "master-b",
};

let t: TestGateway;
let ids: Ids;
const clients = {} as Record<Actor, GraphqlClient>;

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  const root = await f.root();
  const A = await f.institution("A");
  const A1 = await f.institution("A1", A);
  const B = await f.institution("B");
  const member = (flagsIn: { admin?: boolean; backoffice?: boolean; scanner?: boolean }) => ({
    member: flagsIn,
  });
  const masterA = await f.login("master-a", A, {
    masterOf: A,
    ...member({ admin: true, backoffice: true, scanner: true }),
  });
  await f.login("admin-a", A, member({ admin: true, backoffice: true }));
  const userA = await f.login("user-a", A, member({ backoffice: true }));
  await f.login("scan-a", A, member({ scanner: true }));
  await f.login("admin-a1", A1, member({ admin: true, backoffice: true }));
  await f.login("master-b", B, { masterOf: B, ...member({ admin: true, backoffice: true, scanner: true }) });
  const victimA = await f.login("victim-a", A, member({ backoffice: true }));
  const catalog = t.gateway.orm.em.fork();
  const venue = catalog.create(Venue, { institutionId: A._id, name: "Lieu A" });
  const event = catalog.create(ShowEvent, {
    institutionId: A._id,
    venueId: venue._id,
    name: "Spectacle A",
    searchName: "spectacle a",
  });
  const performance = catalog.create(Performance, {
    institutionId: A._id,
    venueId: venue._id,
    eventId: event._id,
    startsAt: new Date("2027-01-01T19:00:00Z"),
    endsAt: new Date("2027-01-01T22:00:00Z"),
    purgeAfter: new Date("2029-01-01T22:00:00Z"),
  });
  await catalog.flush();
  ids = {
    root: root.id,
    A: A.id,
    A1: A1.id,
    B: B.id,
    victimA: victimA.id,
    masterA: masterA.id,
    userA: userA.id,
    venueA: venue.id,
    eventA: event.id,
    performanceA: performance.id,
  };
  for (const [actor, username] of Object.entries(usernames) as [Actor, string][]) {
    clients[actor] = actor === "root" ? await t.asRoot() : await t.login(username, FIXTURE_PASSWORD);
  }
});
afterAll(() => t?.stop());

const rows = INSTITUTION_OPERATIONS.flatMap((op) =>
  (Object.entries(op.expected) as [Actor, Outcome][]).map(
    ([actor, outcome]) => [op.name, actor, outcome, op] as const,
  ),
);

describe("permission table", () => {
  it.each(rows)("%s — %s → %s", async (_name, actor, outcome, op) => {
    const { query, variables } = op.run(ids, randomBytes(3).toString("hex"));
    // An earlier row may have replaced this actor's password (ending its session): log in again.
    if (!(await clients[actor].request("{ me { login { id } } }")).me) {
      clients[actor] =
        actor === "root" ? await t.asRoot() : await t.login(usernames[actor], FIXTURE_PASSWORD);
    }
    const res = await clients[actor].raw(query, variables);
    if (outcome === "ok") {
      expect(res.errors).toBeUndefined();
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe(outcome);
      expect(res.errors?.[0]?.message).toMatch(/^Vous n'avez pas les droits pour /);
    }
  });

  it("a master of branch B never sees branch A in its institution list", async () => {
    const { institutions } = await clients.masterB.request("{ institutions { name } }");
    expect(institutions.map((i: Institution) => i.name)).toEqual(["B"]);
  });

  it("an admin of A1 sees only A1", async () => {
    const { institutions } = await clients.adminA1.request("{ institutions { id } }");
    expect(institutions.map((i: Institution) => i.id)).toEqual([ids.A1]);
  });

  it("a user cannot make itself admin, nor an admin change its own rights", async () => {
    const SELF = `mutation($i: ID!, $l: ID!) { updateMembership(institutionId: $i, loginId: $l, flags: { admin: true, backoffice: true }) { admin } }`;
    const userA = await clients.userA.error(SELF, { i: ids.A, l: ids.userA });
    expect(userA.extensions?.code).toBe("FORBIDDEN");
    const adminA = await t.login("admin-a", FIXTURE_PASSWORD);
    const adminId = (await adminA.request("{ me { login { id } } }")).me.login.id;
    const own = await adminA.error(
      `mutation($i: ID!, $l: ID!) { updateMembership(institutionId: $i, loginId: $l, flags: { admin: true, backoffice: true, scanner: true }) { admin } }`,
      { i: ids.A, l: adminId },
    );
    expect(own).toMatchObject({
      message: "Vous n'avez pas les droits pour modifier vos propres droits.",
      extensions: { code: "FORBIDDEN" },
    });
    clients.adminA = adminA;
  });

  it("anonymous callers are refused everything but login", async () => {
    const anonymous = t.anonymous();
    for (const op of INSTITUTION_OPERATIONS) {
      const { query, variables } = op.run(ids, randomBytes(3).toString("hex"));
      const res = await anonymous.raw(query, variables);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });
});
