import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { GraphqlClient } from "../../../gateway/test/support/graphql-client";
import type { TestGateway } from "../../../gateway/test/support/test-gateway";
import { type Customer, HOUR, PASSWORD, seedCustomer } from "./backoffice";

/**
 * Helpers the scanner's browser tests share: a customer with a door login and controlled
 * performances seeded through the gateway (tickets from a CSV into a file source), then the
 * standalone scanner at `/mfe/scanner/` driven as a door agent would: log in, name the device,
 * import, control, scan.
 */

// ------------------------------------------------------------------ seeding --

export type ControlMode = "single" | "inOut" | "multi";

/** One line of the CSV the file source receives. */
export interface TicketLine {
  barcode: string;
  category?: string;
  holderName?: string;
  cancelled?: boolean;
}

export interface SeededPerformance {
  id: string;
  /** Unique in the test file: what the scanner's lists show and the checkboxes are named by. */
  eventName: string;
  tickets: TicketLine[];
}

export interface ScannerCustomer {
  customer: Customer;
  /**
   * The door login: the `scanner` flag only. One login has one session (a new log-in ends the
   * others): two devices at once need two logins (`addDoor`), and no API session of this one.
   */
  door: string;
  /** The institution's file source (one per type per institution). */
  fileSourceId: string;
  performances: SeededPerformance[];
}

export interface PerformanceSeed {
  controlMode?: ControlMode;
  maxPasses?: number;
  maxPassesPerDay?: number;
  excludedCategories?: string[];
  tickets: TicketLine[];
}

/**
 * A customer institution (its master, a venue), a door login with the scanner flag, and one
 * controlled performance per seed, each its own event, its tickets imported from a CSV.
 */
export async function seedScannerCustomer(
  t: TestGateway,
  root: GraphqlClient,
  label: string,
  seeds: PerformanceSeed[],
): Promise<ScannerCustomer> {
  const [first, ...others] = seeds;
  const customer = await seedCustomer(t, root, label, performanceFields(first));
  const { client } = customer;
  const { createSource } = await client.request(
    `mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`,
    { input: { institutionId: customer.institutionId, type: "file", name: "Fichiers", config: {} } },
  );
  const seeded: ScannerCustomer = {
    customer,
    door: await createDoor(customer, `porte-${customer.n}`),
    fileSourceId: createSource.id,
    performances: [],
  };
  await fillPerformance(t, seeded, customer.performanceId, customer.eventName, first);
  for (const seed of others) await addPerformance(t, seeded, seed);
  return seeded;
}

/** Another door login of the customer (scanner flag only), for a second device at once. */
export async function addDoor(seeded: ScannerCustomer, suffix: string): Promise<string> {
  return createDoor(seeded.customer, `porte-${seeded.customer.n}-${suffix}`);
}

async function createDoor(customer: Customer, username: string): Promise<string> {
  await customer.client.request(`mutation($input: CreateLoginInput!) { createLogin(input: $input) { id } }`, {
    input: {
      username,
      password: PASSWORD,
      institutionId: customer.institutionId,
      flags: { scanner: true, admin: false, backoffice: false },
    },
  });
  return username;
}

/** Another controlled performance of the customer, in an event of its own. */
export async function addPerformance(
  t: TestGateway,
  seeded: ScannerCustomer,
  seed: PerformanceSeed,
): Promise<SeededPerformance> {
  const { customer } = seeded;
  const { client } = customer;
  // Never a prefix of another event's name: the checkboxes are found by it.
  const eventName = `Concert ${seeded.performances.length + 1} de ${customer.name}`;
  const { performance } = await client.request(`query($id: ID!) { performance(id: $id) { venue { id } } }`, {
    id: customer.performanceId,
  });
  const { createEvent } = await client.request(
    `mutation($input: EventInput!) { createEvent(input: $input) { id } }`,
    { input: { venueId: performance.venue.id, name: eventName } },
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
        ...performanceFields(seed),
      },
    },
  );
  return fillPerformance(t, seeded, createPerformance.id, eventName, seed);
}

function performanceFields(seed: PerformanceSeed): Record<string, unknown> {
  return {
    controlEnabled: true,
    controlMode: seed.controlMode ?? "single",
    ...(seed.maxPasses === undefined ? {} : { maxPasses: seed.maxPasses }),
    ...(seed.maxPassesPerDay === undefined ? {} : { maxPassesPerDay: seed.maxPassesPerDay }),
  };
}

/** Attaches the file source, uploads the tickets, sets the category filter. */
async function fillPerformance(
  t: TestGateway,
  seeded: ScannerCustomer,
  performanceId: string,
  eventName: string,
  seed: PerformanceSeed,
): Promise<SeededPerformance> {
  const { client } = seeded.customer;
  const { addPerformanceSource } = await client.request(
    `mutation($p: ID!, $s: ID!) { addPerformanceSource(performanceId: $p, sourceId: $s, input: { params: {} }) { id } }`,
    { p: performanceId, s: seeded.fileSourceId },
  );
  const upload = await fetch(
    `${t.baseUrl}/api/performance-sources/${addPerformanceSource.id}/file?name=billets.csv`,
    { method: "POST", headers: { authorization: `Bearer ${client.token}` }, body: ticketsCsv(seed.tickets) },
  );
  if (upload.status !== 200) throw new Error(`CSV upload: HTTP ${upload.status} ${await upload.text()}`);
  if (seed.excludedCategories?.length) {
    await client.request(
      `mutation($id: ID!, $c: [String!]!) { setExcludedCategories(id: $id, categories: $c) { id } }`,
      { id: performanceId, c: seed.excludedCategories },
    );
  }
  const performance = { id: performanceId, eventName, tickets: seed.tickets };
  seeded.performances.push(performance);
  return performance;
}

/** The file connector recognises these headers; « Annulé » says `oui` for a cancelled ticket. */
export function ticketsCsv(tickets: TicketLine[]): string {
  const lines = tickets.map((x) =>
    [x.barcode, x.category ?? "Orchestre", x.holderName ?? "Ana Martin", x.cancelled ? "oui" : ""].join(";"),
  );
  return `Numéro de billet;Catégorie;Nom;Annulé\n${lines.join("\n")}\n`;
}

// ------------------------------------------------------------- the server --

export interface ServerCounters {
  admittedCount: number;
  insideCount: number;
  refusedCount: number;
  anomalyCount: number;
}

export async function serverCounters(client: GraphqlClient, performanceId: string): Promise<ServerCounters> {
  const { performance } = await client.request(
    `query($id: ID!) { performance(id: $id) { counters { admittedCount insideCount refusedCount anomalyCount } } }`,
    { id: performanceId },
  );
  return performance.counters;
}

export interface LoggedScan {
  barcode: string;
  accepted: boolean;
  reason: string;
  direction: string;
  deviceName: string | null;
}

/** The performance's scan log on the server, oldest first. */
export async function serverScans(client: GraphqlClient, performanceId: string): Promise<LoggedScan[]> {
  const { scanLog } = await client.request(
    `query($p: ID!) { scanLog(performanceId: $p, limit: 200) { rows { barcode accepted reason direction deviceName } } }`,
    { p: performanceId },
  );
  return [...scanLog.rows].reverse();
}

/**
 * Waits until `probe` resolves to something `done` accepts (the scanner uploads in the
 * background): polls every 100 ms, fails after `timeoutMs` with the last value seen.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
  what = "the condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`waited ${timeoutMs} ms for ${what}; still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// --------------------------------------------------------- the scanner app --

export const scannerUrl = (t: TestGateway) => `${t.baseUrl}/mfe/scanner/`;

/**
 * A fresh device: a context of its own (its own IndexedDB), the page's clock under the test's
 * hand (Playwright's fake clock, running at normal speed) so a test can step over the scanner's
 * repeat window instead of sleeping. Service workers are blocked unless asked for (an offline
 * reload needs the scanner's).
 */
export async function newDevice(
  browser: Browser,
  options: { serviceWorkers?: "allow" | "block" } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    serviceWorkers: options.serviceWorkers ?? "block",
    locale: "fr-FR",
  });
  await context.clock.install();
  const page = await context.newPage();
  page.on("console", (m) => process.env.E2E_CONSOLE && console.log(m.type(), m.text()));
  page.on("pageerror", (e) => process.env.E2E_CONSOLE && console.log("pageerror", e.message));
  return { context, page };
}

/** Opens the standalone scanner, logs in and names the device (which registers it). */
export async function openScanner(
  page: Page,
  t: TestGateway,
  username: string,
  deviceName = "Porte A",
  password = PASSWORD,
): Promise<void> {
  await page.goto(scannerUrl(t));
  await page.getByLabel("Identifiant").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  const name = page.getByRole("textbox", { name: /Nom (du|de ce) (terminal|périphérique|appareil)/ });
  await name.waitFor({ state: "visible", timeout: 15_000 });
  await name.fill(deviceName);
  await name.press("Enter");
  await tab(page, "Importer").waitFor({ state: "visible", timeout: 15_000 });
}

/** One of the scanner's tabs (buttons in its navigation): « Scanner », « Importer », « Contrôle ». */
export const tab = (page: Page, name: "Scanner" | "Importer" | "Contrôle"): Locator =>
  page.getByRole("navigation").getByRole("button", { name: new RegExp(`^${name}`) });

/** Imports each performance from the « Importer » tab and waits until its tickets are on the device. */
export async function importPerformances(page: Page, performanceIds: string[]): Promise<void> {
  await tab(page, "Importer").click();
  for (const id of performanceIds) {
    await page.getByTestId(`available-${id}`).getByRole("button", { name: "Importer" }).click();
    await page.getByTestId(`imported-${id}`).waitFor({ state: "visible", timeout: 60_000 });
    await page.getByTestId("import-progress").waitFor({ state: "hidden", timeout: 60_000 });
  }
}

/** Ticks the performances on « Contrôle » and presses « Contrôler »; the scan screen comes next. */
export async function choosePerformances(page: Page, eventNames: string[]): Promise<void> {
  await tab(page, "Contrôle").click();
  for (const name of eventNames) await performanceCheckbox(page, name).check();
  await page.getByRole("button", { name: "Contrôler" }).click();
}

/** « Contrôler » the performances and wait for the scan screen. */
export async function controlPerformances(page: Page, eventNames: string[]): Promise<void> {
  await choosePerformances(page, eventNames);
  await page.getByTestId("manual-code").waitFor({ state: "visible", timeout: 15_000 });
}

/** Log in, name the device, import and control: a door ready to scan. */
export async function readyToScan(
  page: Page,
  t: TestGateway,
  seeded: ScannerCustomer,
  performances = seeded.performances,
): Promise<void> {
  await openScanner(page, t, seeded.door);
  await importPerformances(
    page,
    performances.map((p) => p.id),
  );
  await controlPerformances(
    page,
    performances.map((p) => p.eventName),
  );
}

/** The « Contrôle » tab's checkbox of a performance, named by its event. */
export const performanceCheckbox = (page: Page, eventName: string): Locator =>
  page.getByRole("checkbox", { name: new RegExp(escapeRegExp(eventName)) });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// ---------------------------------------------------------------- scanning --

export type Outcome = "accepted" | "refused" | "anomaly";

export interface ShownResult {
  outcome: string | null;
  reason: string | null;
  decisionMs: number;
  text: string;
}

export const resultLocator = (page: Page) => page.getByTestId("scan-result");

/** The verdict on screen now, or null when there is none. */
export async function shownResult(page: Page): Promise<ShownResult | null> {
  const el = resultLocator(page);
  if ((await el.count()) === 0) return null;
  const [outcome, reason, decisionMs, text] = await Promise.all([
    el.getAttribute("data-outcome"),
    el.getAttribute("data-reason"),
    el.getAttribute("data-decision-ms"),
    el.textContent(),
  ]);
  return { outcome, reason, decisionMs: Number(decisionMs), text: text ?? "" };
}

/** The verdict's background colour as `[r, g, b]` (green, red, orange at the door). */
export async function resultColour(page: Page): Promise<[number, number, number]> {
  // The browser's global, typed here: the tests compile without the DOM library.
  type Styles = { getComputedStyle(el: unknown): { backgroundColor: string } };
  const css = await resultLocator(page).evaluate(
    (el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor,
  );
  const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return [r, g, b];
}

/** Types a code in « Numéro du billet » and presses « Valider ». */
export async function scanManually(page: Page, code: string): Promise<void> {
  const field = page.getByTestId("manual-code");
  await field.fill(code);
  await page.getByRole("button", { name: "Valider", exact: true }).click();
}

/**
 * A keyboard-wedge reader (USB or Bluetooth scanner): the code as fast keystrokes then Enter, with
 * nothing focused (the page's body gets them). `delayMs` is the gap between keys.
 */
export async function scanWithWedge(page: Page, code: string, delayMs = 5): Promise<void> {
  await page.evaluate("document.activeElement?.blur()");
  await page.keyboard.type(code, { delay: delayMs });
  await page.keyboard.press("Enter");
}

/**
 * Scans `code` (manually by default) and waits for its verdict. The previous verdict must differ
 * from the one expected (reason or text), or a stale screen would pass for the new one: put a
 * different scan in between.
 */
export async function scan(
  page: Page,
  code: string,
  expected: { outcome: Outcome; reason: string },
  how: "manual" | "wedge" = "manual",
): Promise<ShownResult> {
  const before = await shownResult(page);
  if (before?.reason === expected.reason && before.text.includes(code))
    throw new Error(
      `the screen already shows ${expected.reason} for ${code}: scan something else first, or the wait proves nothing`,
    );
  if (how === "manual") await scanManually(page, code);
  else await scanWithWedge(page, code);
  return expectResult(page, code, expected);
}

/** Waits for the verdict on `code` (its text names the ticket) with this outcome and reason. */
export async function expectResult(
  page: Page,
  code: string,
  expected: { outcome: Outcome; reason: string },
): Promise<ShownResult> {
  const selector = `[data-testid="scan-result"][data-outcome="${expected.outcome}"][data-reason="${expected.reason}"]`;
  try {
    await page.locator(selector).filter({ hasText: code }).waitFor({ state: "visible", timeout: 10_000 });
  } catch (error) {
    throw new Error(
      `expected ${expected.outcome} ${expected.reason} for ${code}; the screen shows ${JSON.stringify(await shownResult(page))}\n${error}`,
    );
  }
  const shown = await shownResult(page);
  if (!shown) throw new Error("the result vanished");
  return shown;
}

/** The number a counter shows (`counter-admitted`, `counter-inside`). */
export async function counter(page: Page, name: "admitted" | "inside"): Promise<number> {
  const text = await page.getByTestId(`counter-${name}`).textContent();
  const match = /\d[\d\s\u202f]*/.exec(text ?? "");
  if (!match) throw new Error(`counter-${name} shows no number: « ${text} »`);
  return Number(match[0].replace(/\D/g, ""));
}

/** Waits until the counter shows `value`. */
export async function expectCounter(page: Page, name: "admitted" | "inside", value: number): Promise<void> {
  await eventually(
    () => counter(page, name),
    (shown) => shown === value,
    10_000,
    `counter-${name} = ${value}`,
  );
}

/** Taps the verdict away, as an agent does before touching what it covers. */
export async function closeResult(page: Page): Promise<void> {
  const result = resultLocator(page);
  if (await result.isVisible()) {
    await result.click();
    await result.waitFor({ state: "detached", timeout: 5000 });
  }
}

/** Switches the direction to « Entrée » (`in`) or « Sortie » (`out`). */
export async function setDirection(page: Page, direction: "in" | "out"): Promise<void> {
  await closeResult(page);
  const button = page.getByTestId("direction-switch");
  if ((await button.getAttribute("data-direction")) !== direction) await button.click();
  await page
    .locator(`[data-testid="direction-switch"][data-direction="${direction}"]`)
    .waitFor({ timeout: 5000 });
}

/** Waits until the server acknowledged every scan of the device (the pending count says 0). */
export async function expectNothingPending(page: Page): Promise<void> {
  await eventually(
    async () => (await page.getByTestId("pending-count").textContent())?.trim() ?? "",
    (text) => /^\D*\b0\b\D*$/.test(text),
    15_000,
    "pending-count = 0",
  );
}

/** A screenshot of the scanner, under e2e/test-output/ (ignored by git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(__dirname, "..", "..", "test-output", `scanner-${name}.png`) });
}
