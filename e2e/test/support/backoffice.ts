import type { Locator, Page } from "playwright-core";
import type { GraphqlClient } from "../../../gateway/test/support/graphql-client";
import type { TestGateway } from "../../../gateway/test/support/test-gateway";

/** Helpers the back-office browser tests share: seeding through GraphQL, logging in, waiting. */
export const PASSWORD = "master-password-e2e";
export const HOUR = 3600_000;
let sequence = 0;

export interface Customer {
  /** A number unique in the test file, to name what the test creates. */
  n: number;
  name: string;
  institutionId: string;
  master: string;
  client: GraphqlClient;
  eventName: string;
  eventId: string;
  performanceId: string;
}

/** A customer institution with its master, a venue, an event and a performance on now. */
export async function seedCustomer(
  t: TestGateway,
  root: GraphqlClient,
  label: string,
  performance: Record<string, unknown> = {},
): Promise<Customer> {
  const n = ++sequence;
  const name = `${label} ${n}`;
  const master = `master-${n}`;
  const { institutions } = await root.request(`{ institutions { id depth } }`);
  const { createInstitution } = await root.request(
    `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }`,
    {
      input: {
        parentId: institutions.find((i: { depth: number }) => i.depth === 0).id,
        name,
        master: { username: master, password: PASSWORD },
      },
    },
  );
  const client = await t.login(master, PASSWORD);
  const { createVenue } = await client.request(
    `mutation($i: ID!, $input: VenueInput!) { createVenue(institutionId: $i, input: $input) { id } }`,
    { i: createInstitution.id, input: { name: `Salle ${n}`, city: "Lyon" } },
  );
  const eventName = `Spectacle ${label} ${n}`;
  const { createEvent } = await client.request(
    `mutation($input: EventInput!) { createEvent(input: $input) { id } }`,
    { input: { venueId: createVenue.id, name: eventName } },
  );
  const now = Date.now();
  const { createPerformance } = await client.request(
    `mutation($input: CreatePerformanceInput!) { createPerformance(input: $input) { id } }`,
    {
      input: {
        eventId: createEvent.id,
        dated: true,
        startsAt: new Date(now - HOUR).toISOString(),
        endsAt: new Date(now + 3 * HOUR).toISOString(),
        ...performance,
      },
    },
  );
  return {
    n,
    name,
    institutionId: createInstitution.id,
    master,
    client,
    eventName,
    eventId: createEvent.id,
    performanceId: createPerformance.id,
  };
}

/** Opens the app and logs in through the shell's login page. */
export async function logIn(
  page: Page,
  t: TestGateway,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await page.goto(t.baseUrl);
  await page.getByLabel("Login").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** Waits until the locator shows (and contains `text`): auto-waiting, no sleeps. */
export async function expectVisible(locator: Locator, text?: string | RegExp): Promise<void> {
  const target = text === undefined ? locator.first() : locator.filter({ hasText: text }).first();
  await target.waitFor({ state: "visible", timeout: 15_000 });
}

/** Waits until the locator's whole text matches (live updates, no reload): auto-waiting, no sleeps. */
export async function expectText(locator: Locator, expected: RegExp): Promise<void> {
  try {
    await locator.filter({ hasText: expected }).first().waitFor({ state: "visible", timeout: 15_000 });
  } catch (error) {
    const shown = await locator
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null);
    throw new Error(`expected ${expected}, the screen shows « ${shown} »\n${error}`);
  }
}

/** The dashboard's lines of the performances of `eventName`. */
export const dashboardRow = (page: Page, eventName: string) =>
  page.getByRole("row").filter({ hasText: eventName });
