import {
  CREATE_EVENT,
  CREATE_PERFORMANCE,
  CREATE_VENUE,
  createPerformance,
  dated,
  dumpCatalog,
  PERFORMANCE,
  UPDATE_EVENT,
  UPDATE_PERFORMANCE,
  UPDATE_VENUE,
  undated,
  venueAndEvent,
} from "./catalog.fixtures";
import { FIXTURE_PASSWORD, Fixtures } from "./support/fixtures";
import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let A: string;
let A1: string;
let master: GraphqlClient;
let guichet: GraphqlClient;
let scanner: GraphqlClient;
let other: GraphqlClient;

/** Things of A and A1 the refusal tests act on. */
const ids = { venueA: "", eventA: "", performanceA: "", venueA1: "", performanceA1: "" };

beforeAll(async () => {
  t = await startTestGateway();
  const f = new Fixtures(t);
  const a = await f.institution("Théâtre A");
  const a1 = await f.institution("Salle A1", a);
  const b = await f.institution("Théâtre B");
  A = a.id;
  A1 = a1.id;
  await f.login("master-a", a, { masterOf: a, member: { admin: true, backoffice: true, scanner: true } });
  await f.login("guichet-a", a, { member: { backoffice: true } });
  await f.login("scan-a", a, { member: { scanner: true } });
  await f.login("master-b", b, { masterOf: b, member: { admin: true, backoffice: true, scanner: true } });
  master = await t.login("master-a", FIXTURE_PASSWORD);
  guichet = await t.login("guichet-a", FIXTURE_PASSWORD);
  scanner = await t.login("scan-a", FIXTURE_PASSWORD);
  other = await t.login("master-b", FIXTURE_PASSWORD);

  const inA = await venueAndEvent(master, A, "Fixe");
  ids.venueA = inA.venue.id;
  ids.eventA = inA.event.id;
  ids.performanceA = (await createPerformance(master, dated(inA.event.id, "2026-04-06T17:00:00.000Z"))).id;
  const inA1 = await venueAndEvent(master, A1, "Fixe A1");
  ids.venueA1 = inA1.venue.id;
  ids.performanceA1 = (await createPerformance(master, dated(inA1.event.id, "2026-04-07T17:00:00.000Z"))).id;
});
afterAll(() => t?.stop());

describe("round trips", () => {
  it("a back-office user creates and edits a venue, trimmed", async () => {
    const created = (
      await guichet.request(CREATE_VENUE, {
        i: A,
        input: { name: "  Théâtre   des Célestins ", address: " 8 place des Célestins ", city: "Lyon" },
      })
    ).createVenue;
    expect(created).toMatchObject({
      name: "Théâtre des Célestins",
      address: "8 place des Célestins",
      city: "Lyon",
      archived: false,
      institution: { id: A, name: "Théâtre A" },
    });

    const updated = (
      await guichet.request(UPDATE_VENUE, { id: created.id, input: { name: "Les Célestins", city: " " } })
    ).updateVenue;
    // The whole form is sent: what is left out is cleared.
    expect(updated).toMatchObject({ id: created.id, name: "Les Célestins", address: null, city: null });
    const { venues } = await guichet.request(`{ venues(institutionId: "${A}") { id name } }`);
    expect(venues).toContainEqual({ id: created.id, name: "Les Célestins" });
  });

  it("creates an event, lists it by institution and by venue, moves it with its performances", async () => {
    const { venue, event } = await venueAndEvent(guichet, A, "Le Misanthrope");
    expect(event).toMatchObject({ name: "Le Misanthrope", venue: { id: venue.id }, institution: { id: A } });
    const show = await createPerformance(guichet, dated(event.id, "2026-05-06T17:00:00.000Z"));

    const byInstitution = (await guichet.request(`{ events(institutionId: "${A}") { id } }`)).events;
    expect(byInstitution).toContainEqual({ id: event.id });
    const byVenue = (await guichet.request(`{ events(venueId: "${venue.id}") { id } }`)).events;
    expect(byVenue).toEqual([{ id: event.id }]);

    const salle2 = (await guichet.request(CREATE_VENUE, { i: A, input: { name: "Salle 2" } })).createVenue;
    const moved = (
      await guichet.request(UPDATE_EVENT, {
        id: event.id,
        input: { venueId: salle2.id, name: " Le Tartuffe " },
      })
    ).updateEvent;
    expect(moved).toMatchObject({ name: "Le Tartuffe", venue: { id: salle2.id } });
    const after = (await guichet.request(PERFORMANCE, { id: show.id })).performance;
    expect(after.venue).toEqual({ id: salle2.id, name: "Salle 2" });
    expect((await guichet.request(`{ events(venueId: "${venue.id}") { id } }`)).events).toEqual([]);
  });

  it("creates dated and undated performances in every control mode, and edits them", async () => {
    const { event } = await venueAndEvent(guichet, A, "Expositions");
    const show = await createPerformance(guichet, dated(event.id, "2026-04-06T17:00:00.000Z"));
    expect(show).toMatchObject({
      dated: true,
      startsAt: "2026-04-06T17:00:00.000Z",
      endsAt: "2026-04-06T20:00:00.000Z",
      importEndsAt: "2026-04-06T20:00:00.000Z",
      label: null,
      controlEnabled: false,
      controlMode: "single",
      maxPasses: null,
      excludedCategories: [],
      archived: false,
      revision: 0,
      counters: { ticketCount: 0, validCount: 0, admittedCount: 0, insideCount: 0 },
      event: { name: "Expositions" },
      institution: { name: "Théâtre A" },
    });

    const expo = await createPerformance(
      guichet,
      undated(event.id, "2026-03-01T00:00:00.000Z", "2026-09-30T22:00:00.000Z", {
        label: " Exposition permanente ",
        controlMode: "multi",
        maxPasses: 10,
        maxPassesPerDay: 2,
        controlEnabled: true,
      }),
    );
    expect(expo).toMatchObject({
      dated: false,
      label: "Exposition permanente",
      startsAt: "2026-03-01T00:00:00.000Z",
      endsAt: "2026-09-30T22:00:00.000Z",
      controlEnabled: true,
      controlMode: "multi",
      maxPasses: 10,
      maxPassesPerDay: 2,
    });

    const inOut = await createPerformance(
      guichet,
      dated(event.id, "2026-04-07T17:00:00.000Z", {
        controlMode: "inOut",
        importEndsAt: "2026-04-07T21:58:00.000Z",
        maxPasses: 3,
      }),
    );
    // Passes only mean something in multi.
    expect(inOut).toMatchObject({
      controlMode: "inOut",
      importEndsAt: "2026-04-07T21:58:00.000Z",
      maxPasses: null,
    });

    const edited = (
      await guichet.request(UPDATE_PERFORMANCE, {
        id: show.id,
        input: {
          dated: false,
          label: "Pass saison",
          startsAt: "2026-09-01T00:00:00.000Z",
          endsAt: "2027-06-30T00:00:00.000Z",
          controlMode: "multi",
          maxPasses: 20,
        },
      })
    ).updatePerformance;
    expect(edited).toMatchObject({
      id: show.id,
      dated: false,
      label: "Pass saison",
      importEndsAt: "2027-06-30T00:00:00.000Z",
      controlMode: "multi",
      maxPasses: 20,
      maxPassesPerDay: null,
    });
    expect((await guichet.request(PERFORMANCE, { id: show.id })).performance).toEqual(edited);
  });

  it("ticks the PDA box and sets the category filter, trimmed, deduplicated, sorted", async () => {
    const p = ids.performanceA;
    const pda = await guichet.request(
      `mutation { setPerformanceControl(id: "${p}", controlEnabled: true) { controlEnabled } }`,
    );
    expect(pda.setPerformanceControl.controlEnabled).toBe(true);
    const filters = await guichet.request(
      `mutation { setExcludedCategories(id: "${p}", categories: [" Invitation ", "Exonéré", "Invitation"]) { excludedCategories } }`,
    );
    expect(filters.setExcludedCategories.excludedCategories).toEqual(["Exonéré", "Invitation"]);
    const cleared = await guichet.request(
      `mutation { setExcludedCategories(id: "${p}", categories: []) { excludedCategories } }`,
    );
    expect(cleared.setExcludedCategories.excludedCategories).toEqual([]);
  });

  it("an unknown id is not found", async () => {
    const err = await master.error(PERFORMANCE, { id: "0123456789abcdef01234567" });
    expect(err).toMatchObject({ message: "Représentation introuvable.", extensions: { code: "NOT_FOUND" } });
  });
});

describe("archive", () => {
  it("archives and unarchives venues, events and performances", async () => {
    const { venue, event } = await venueAndEvent(guichet, A, "Archivable");
    const p = await createPerformance(guichet, dated(event.id, "2026-06-01T18:00:00.000Z"));
    const listed = async (query: string, id: string) =>
      (Object.values(await guichet.request(query))[0] as { id: string }[]).some((x) => x.id === id);

    await guichet.request(`mutation { archiveVenue(id: "${venue.id}") { archived } }`);
    expect(await listed(`{ venues(institutionId: "${A}") { id } }`, venue.id)).toBe(false);
    expect(await listed(`{ venues(institutionId: "${A}", includeArchived: true) { id } }`, venue.id)).toBe(
      true,
    );
    await guichet.request(`mutation { unarchiveVenue(id: "${venue.id}") { archived } }`);
    expect(await listed(`{ venues(institutionId: "${A}") { id } }`, venue.id)).toBe(true);

    await guichet.request(`mutation { archiveEvent(id: "${event.id}") { archived } }`);
    expect(await listed(`{ events(institutionId: "${A}") { id } }`, event.id)).toBe(false);
    expect(await listed(`{ events(venueId: "${venue.id}", includeArchived: true) { id } }`, event.id)).toBe(
      true,
    );
    await guichet.request(`mutation { unarchiveEvent(id: "${event.id}") { archived } }`);
    expect(await listed(`{ events(institutionId: "${A}") { id } }`, event.id)).toBe(true);

    const archived = await guichet.request(`mutation { archivePerformance(id: "${p.id}") { archived } }`);
    expect(archived.archivePerformance.archived).toBe(true);
    expect(await listed(`{ performances(eventId: "${event.id}") { id } }`, p.id)).toBe(false);
    expect(await listed(`{ performances(eventId: "${event.id}", includeArchived: true) { id } }`, p.id)).toBe(
      true,
    );
    await guichet.request(`mutation { unarchivePerformance(id: "${p.id}") { archived } }`);
    expect(await listed(`{ performances(eventId: "${event.id}") { id } }`, p.id)).toBe(true);
  });
});

type Operation = () => { query: string; variables?: Record<string, unknown> };

const createDated =
  (patch: Record<string, unknown>): Operation =>
  () => ({
    query: CREATE_PERFORMANCE,
    variables: { input: { ...dated(ids.eventA, "2026-04-06T17:00:00.000Z"), ...patch } },
  });
const updateDated =
  (patch: Record<string, unknown>): Operation =>
  () => {
    const { eventId: _, ...form } = dated(ids.eventA, "2026-04-06T17:00:00.000Z");
    return { query: UPDATE_PERFORMANCE, variables: { id: ids.performanceA, input: { ...form, ...patch } } };
  };

describe("validation", () => {
  const NAME_VENUE = "Le nom du lieu doit contenir de 1 à 200 caractères.";
  const NAME_EVENT = "Le nom de l'événement doit contenir de 1 à 200 caractères.";
  const END = "La fin doit être postérieure au début.";
  const LABEL = "Une représentation non datée a un libellé, affiché sur le scanner.";

  it.each<[string, Operation, string, string]>([
    [
      "a blank venue name",
      () => ({ query: CREATE_VENUE, variables: { i: A, input: { name: "   " } } }),
      "name",
      NAME_VENUE,
    ],
    [
      "a venue name over 200 characters",
      () => ({ query: CREATE_VENUE, variables: { i: A, input: { name: "x".repeat(201) } } }),
      "name",
      NAME_VENUE,
    ],
    [
      "a venue address over 300 characters",
      () => ({ query: CREATE_VENUE, variables: { i: A, input: { name: "Lieu", address: "x".repeat(301) } } }),
      "address",
      "L'adresse est trop longue (300 caractères au plus).",
    ],
    [
      "a malformed institution id",
      () => ({ query: CREATE_VENUE, variables: { i: "x", input: { name: "Lieu" } } }),
      "institutionId",
      "Identifiant invalide pour « institutionId ».",
    ],
    [
      "a venue renamed blank",
      () => ({ query: UPDATE_VENUE, variables: { id: ids.venueA, input: { name: " " } } }),
      "name",
      NAME_VENUE,
    ],
    [
      "a blank event name",
      () => ({ query: CREATE_EVENT, variables: { input: { venueId: ids.venueA, name: "\t" } } }),
      "name",
      NAME_EVENT,
    ],
    [
      "an event name over 200 characters",
      () => ({ query: CREATE_EVENT, variables: { input: { venueId: ids.venueA, name: "é".repeat(201) } } }),
      "name",
      NAME_EVENT,
    ],
    [
      "a malformed venue id",
      () => ({ query: CREATE_EVENT, variables: { input: { venueId: "nope", name: "E" } } }),
      "venueId",
      "Identifiant invalide pour « venueId ».",
    ],
    [
      "an event moved to another institution's venue",
      () => ({
        query: UPDATE_EVENT,
        variables: { id: ids.eventA, input: { venueId: ids.venueA1, name: "Fixe" } },
      }),
      "venueId",
      "Le lieu doit appartenir à l'institution de l'événement.",
    ],
    [
      "a malformed event id",
      createDated({ eventId: "123" }),
      "eventId",
      "Identifiant invalide pour « eventId ».",
    ],
    ["an end before the start", createDated({ endsAt: "2026-04-06T16:00:00.000Z" }), "endsAt", END],
    ["an end equal to the start", createDated({ endsAt: "2026-04-06T17:00:00.000Z" }), "endsAt", END],
    ["an undated performance without label", createDated({ dated: false }), "label", LABEL],
    ["an undated performance with a blank label", createDated({ dated: false, label: "  " }), "label", LABEL],
    [
      "a label over 120 characters",
      createDated({ dated: false, label: "x".repeat(121) }),
      "label",
      "Le libellé est trop long (120 caractères au plus).",
    ],
    [
      "a validity period ending before it starts",
      createDated({ dated: false, label: "Expo", endsAt: "2026-03-01T00:00:00.000Z" }),
      "endsAt",
      END,
    ],
    [
      "multi without total passes",
      createDated({ controlMode: "multi" }),
      "maxPasses",
      "En multipassage, indiquez le nombre total de passages par billet.",
    ],
    [
      "zero passes",
      createDated({ controlMode: "multi", maxPasses: 0 }),
      "maxPasses",
      "Le nombre total de passages doit être d'au moins 1.",
    ],
    [
      "zero passes a day",
      createDated({ controlMode: "multi", maxPasses: 3, maxPassesPerDay: 0 }),
      "maxPassesPerDay",
      "Le nombre de passages par jour doit être d'au moins 1.",
    ],
    [
      "more passes a day than in total",
      createDated({ controlMode: "multi", maxPasses: 2, maxPassesPerDay: 3 }),
      "maxPassesPerDay",
      "Le nombre de passages par jour ne peut pas dépasser le nombre total.",
    ],
    [
      "an import end more than a day after the end",
      createDated({ importEndsAt: "2026-04-07T20:00:01.000Z" }),
      "importEndsAt",
      "La fin d'importation ne peut pas dépasser de plus de 24 heures la fin de la représentation.",
    ],
    ["an edit ending before it starts", updateDated({ endsAt: "2026-04-06T16:00:00.000Z" }), "endsAt", END],
    ["an edit to undated without label", updateDated({ dated: false }), "label", LABEL],
    [
      "an edit to multi without passes",
      updateDated({ controlMode: "multi" }),
      "maxPasses",
      "En multipassage, indiquez le nombre total de passages par billet.",
    ],
    [
      "a blank category",
      () => ({
        query: `mutation { setExcludedCategories(id: "${ids.performanceA}", categories: ["VIP", " "]) { id } }`,
      }),
      "categories",
      "Chaque catégorie doit contenir de 1 à 100 caractères.",
    ],
  ])("refuses %s, naming the field in French, writing nothing", async (_case, operation, field, message) => {
    const before = await dumpCatalog(t);
    const { query, variables } = operation();
    const err = await master.error(query, variables);
    expect(err).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", field } });
    expect(await dumpCatalog(t)).toBe(before);
  });

  it("asks which events to list", async () => {
    const err = await master.error("{ events { id } }");
    expect(err).toMatchObject({
      message: "Indiquez l'institution ou le lieu des événements.",
      extensions: { code: "BAD_USER_INPUT", field: "institutionId" },
    });
  });
});

describe("permissions", () => {
  const operations: [string, Operation][] = [
    ["list venues", () => ({ query: `{ venues(institutionId: "${A}") { id } }` })],
    ["list events", () => ({ query: `{ events(institutionId: "${A}") { id } }` })],
    ["list a venue's events", () => ({ query: `{ events(venueId: "${ids.venueA}") { id } }` })],
    ["list performances", () => ({ query: `{ performances(eventId: "${ids.eventA}") { id } }` })],
    ["see a performance", () => ({ query: PERFORMANCE, variables: { id: ids.performanceA } })],
    ["open the dashboard", () => ({ query: `{ performanceDashboard(institutionId: "${A}") { total } }` })],
    ["create a venue", () => ({ query: CREATE_VENUE, variables: { i: A, input: { name: "X" } } })],
    ["edit a venue", () => ({ query: UPDATE_VENUE, variables: { id: ids.venueA, input: { name: "X" } } })],
    ["archive a venue", () => ({ query: `mutation { archiveVenue(id: "${ids.venueA}") { id } }` })],
    [
      "create an event",
      () => ({ query: CREATE_EVENT, variables: { input: { venueId: ids.venueA, name: "X" } } }),
    ],
    [
      "edit an event",
      () => ({
        query: UPDATE_EVENT,
        variables: { id: ids.eventA, input: { venueId: ids.venueA, name: "X" } },
      }),
    ],
    ["archive an event", () => ({ query: `mutation { archiveEvent(id: "${ids.eventA}") { id } }` })],
    ["create a performance", createDated({})],
    ["edit a performance", updateDated({})],
    [
      "tick the PDA box",
      () => ({
        query: `mutation { setPerformanceControl(id: "${ids.performanceA}", controlEnabled: false) { id } }`,
      }),
    ],
    [
      "filter categories",
      () => ({
        query: `mutation { setExcludedCategories(id: "${ids.performanceA}", categories: ["X"]) { id } }`,
      }),
    ],
    [
      "archive a performance",
      () => ({ query: `mutation { archivePerformance(id: "${ids.performanceA}") { id } }` }),
    ],
  ];

  it.each(operations)("a scanner-only login may not %s", async (_case, operation) => {
    const before = await dumpCatalog(t);
    const { query, variables } = operation();
    expect((await scanner.error(query, variables)).extensions?.code).toBe("FORBIDDEN");
    expect(await dumpCatalog(t)).toBe(before);
  });

  it.each(operations)("another branch's master may not %s", async (_case, operation) => {
    const before = await dumpCatalog(t);
    const { query, variables } = operation();
    const err = await other.error(query, variables);
    expect(err.extensions?.code).toBe("FORBIDDEN");
    expect(err.message).toMatch(/^Vous n'avez pas les droits pour .*spectacles/);
    expect(await dumpCatalog(t)).toBe(before);
  });

  it("nobody logged in may not see the catalog", async () => {
    const err = await t.anonymous().error(`{ venues(institutionId: "${A}") { id } }`);
    expect(err).toMatchObject({
      message: "Vous devez être connecté.",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("a back-office user of A may not touch the shows of its sub-institution A1; A's master may", async () => {
    const edit = `mutation { setPerformanceControl(id: "${ids.performanceA1}", controlEnabled: true) { controlEnabled } }`;
    expect((await guichet.error(edit)).extensions?.code).toBe("FORBIDDEN");
    expect((await guichet.error(CREATE_VENUE, { i: A1, input: { name: "X" } })).extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await master.request(edit)).setPerformanceControl.controlEnabled).toBe(true);
  });

  it("a performance cannot be created under another branch's event", async () => {
    const err = await other.error(CREATE_PERFORMANCE, {
      input: dated(ids.eventA, "2026-04-06T17:00:00.000Z"),
    });
    expect(err.extensions?.code).toBe("FORBIDDEN");
  });
});
