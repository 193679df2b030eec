import { ObjectId } from "@mikro-orm/mongodb";
import type { GraphqlClient } from "./support/graphql-client";
import type { TestGateway } from "./support/test-gateway";

/** GraphQL documents and helpers shared by the catalog e2e files. */

export const VENUE_FIELDS = "id name address city archived institution { id name }";
export const EVENT_FIELDS = "id name archived venue { id name } institution { id name }";
export const PERFORMANCE_FIELDS = `id dated startsAt endsAt label importEndsAt controlEnabled controlMode
  maxPasses maxPassesPerDay excludedCategories archived revision
  counters { ticketCount validCount admittedCount insideCount }
  event { id name } venue { id name } institution { id name }`;

export const CREATE_VENUE = `mutation($i: ID!, $input: VenueInput!) { createVenue(institutionId: $i, input: $input) { ${VENUE_FIELDS} } }`;
export const UPDATE_VENUE = `mutation($id: ID!, $input: VenueInput!) { updateVenue(id: $id, input: $input) { ${VENUE_FIELDS} } }`;
export const CREATE_EVENT = `mutation($input: EventInput!) { createEvent(input: $input) { ${EVENT_FIELDS} } }`;
export const UPDATE_EVENT = `mutation($id: ID!, $input: EventInput!) { updateEvent(id: $id, input: $input) { ${EVENT_FIELDS} } }`;
export const CREATE_PERFORMANCE = `mutation($input: CreatePerformanceInput!) { createPerformance(input: $input) { ${PERFORMANCE_FIELDS} } }`;
export const UPDATE_PERFORMANCE = `mutation($id: ID!, $input: PerformanceFieldsInput!) { updatePerformance(id: $id, input: $input) { ${PERFORMANCE_FIELDS} } }`;
export const PERFORMANCE = `query($id: ID!) { performance(id: $id) { ${PERFORMANCE_FIELDS} } }`;

export const DASHBOARD = `query($i: ID!, $b: Boolean!, $f: DashboardFilter, $s: DashboardSort, $p: PageInput) {
  performanceDashboard(institutionId: $i, includeBranch: $b, filter: $f, sort: $s, page: $p) {
    total
    rows {
      performance { id startsAt endsAt importEndsAt controlEnabled archived createdAt }
      institution { name } event { name } venue { name } admitted valid gaugePercent
    } } }`;

const HOUR = 3600_000;

/** The form of a dated performance of three hours. */
export function dated(eventId: string, start: string, extra: Record<string, unknown> = {}) {
  return {
    eventId,
    dated: true,
    startsAt: start,
    endsAt: new Date(new Date(start).getTime() + 3 * HOUR).toISOString(),
    ...extra,
  };
}

/** The form of an undated performance (an exhibition) valid over a period. */
export function undated(eventId: string, from: string, until: string, extra: Record<string, unknown> = {}) {
  return { eventId, dated: false, label: "Exposition", startsAt: from, endsAt: until, ...extra };
}

export async function venueAndEvent(client: GraphqlClient, institutionId: string, name: string) {
  const venue = (
    await client.request(CREATE_VENUE, { i: institutionId, input: { name: `Lieu ${name}`, city: "Lyon" } })
  ).createVenue;
  const event = (await client.request(CREATE_EVENT, { input: { venueId: venue.id, name } })).createEvent;
  return { venue, event };
}

export async function createPerformance(client: GraphqlClient, input: Record<string, unknown>) {
  return (await client.request(CREATE_PERFORMANCE, { input })).createPerformance;
}

/** Every catalog document as stored: two equal dumps prove a refused write left nothing behind. */
export async function dumpCatalog(t: TestGateway): Promise<string> {
  const connection = t.gateway.orm.em.fork().getConnection();
  const all = await Promise.all(
    ["venue", "event", "performance"].map((c) =>
      connection.getCollection(c).find({}).sort({ _id: 1 }).toArray(),
    ),
  );
  return JSON.stringify(all);
}

/** Sets a performance's counters as the scan path will move them. */
export async function setCounters(t: TestGateway, performanceId: string, valid: number, admitted: number) {
  await t.gateway.orm.em
    .fork()
    .getConnection()
    .getCollection("performance")
    .updateOne(
      { _id: new ObjectId(performanceId) },
      { $set: { "counters.validCount": valid, "counters.admittedCount": admitted } },
    );
}
