import type { Browser, BrowserContext, Page } from "playwright-core";
import type { GraphqlClient } from "../../gateway/test/support/graphql-client";
import { startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { REPEAT_WINDOW_MS } from "../../mfe-scanner/src/local/types";
import { launchChromium } from "./support/browser";
import {
  choosePerformances,
  counter,
  eventually,
  expectCounter,
  importPerformances,
  type LoggedScan,
  newDevice,
  openScanner,
  type PerformanceSeed,
  performanceCheckbox,
  readyToScan,
  resultColour,
  type ScannerCustomer,
  scan,
  scanWithWedge,
  screenshot,
  seedScannerCustomer,
  serverCounters,
  serverScans,
  setDirection,
  shownResult,
} from "./support/scanner";

/**
 * The scanner's decisions as a door agent sees them, in the standalone PWA at /mfe/scanner/ against
 * a real gateway: the guide's « Passage simple », « Entrée/sortie » and « Multipassage », the
 * refusals (cancelled, filtered, unknown), a keyboard-wedge reader, and two performances that
 * share a ticket number. Each verdict is checked on screen, then on the server (scan log and
 * counters). The page's clock is Playwright's: a test steps over the scanner's repeat window
 * (the same code read again within it is shown again, not recorded) instead of sleeping.
 */
let t: TestGateway;
let browser: Browser;
let root: GraphqlClient;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestGateway(), launchChromium()]);
  root = await t.asRoot();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});
beforeEach(async () => {
  ({ context, page } = await newDevice(browser));
});
afterEach(() => context?.close());

const seed = (label: string, seeds: PerformanceSeed[]) => seedScannerCustomer(t, root, label, seeds);

/** A door agent scanning the same ticket again later: past the repeat window. */
const later = () => page.clock.fastForward(REPEAT_WINDOW_MS + 1000);

/** Waits until the server's scan log of the performance holds `n` scans, and returns them. */
const scansOnServer = (seeded: ScannerCustomer, performanceId: string, n: number) =>
  eventually(
    () => serverScans(seeded.customer.client, performanceId),
    (rows) => rows.length >= n,
  );

const summary = (rows: LoggedScan[]) => rows.map((r) => `${r.direction} ${r.barcode} ${r.reason}`);

describe("the scanner's decisions in a browser", () => {
  it("« Passage simple »: admits once, then ALREADY_USED; refuses cancelled, filtered and unknown tickets; the server gets every scan", async () => {
    const seeded = await seed("Passage simple", [
      {
        controlMode: "single",
        excludedCategories: ["Balcon"],
        tickets: [
          { barcode: "S-001", category: "Orchestre", holderName: "Ana Martin" },
          { barcode: "S-002", category: "Balcon", holderName: "Bruno Petit" },
          { barcode: "S-003", category: "Orchestre", cancelled: true },
          { barcode: "S-004", category: "Orchestre" },
        ],
      },
    ]);
    const [performance] = seeded.performances;
    await readyToScan(page, t, seeded);
    expect(await counter(page, "admitted")).toBe(0);

    const accepted = await scan(page, "S-001", { outcome: "accepted", reason: "ACCEPTED" });
    expect(accepted.decisionMs).toBeGreaterThanOrEqual(0);
    await expectCounter(page, "admitted", 1);
    await screenshot(page, "accepted");
    await scan(page, "S-003", { outcome: "refused", reason: "CANCELLED" });
    await scan(page, "S-002", { outcome: "refused", reason: "FILTERED" });
    await scan(page, "INCONNU-9", { outcome: "refused", reason: "UNKNOWN_TICKET" });
    await screenshot(page, "refused");
    await later();
    await scan(page, "S-001", { outcome: "refused", reason: "ALREADY_USED" });
    await expectCounter(page, "admitted", 1);

    const rows = await scansOnServer(seeded, performance.id, 5);
    expect(summary(rows)).toEqual([
      "in S-001 ACCEPTED",
      "in S-003 CANCELLED",
      "in S-002 FILTERED",
      "in INCONNU-9 UNKNOWN_TICKET",
      "in S-001 ALREADY_USED",
    ]);
    expect(rows.every((r) => r.deviceName === "Porte A")).toBe(true);
    expect(await serverCounters(seeded.customer.client, performance.id)).toMatchObject({
      admittedCount: 1,
      refusedCount: 4,
      anomalyCount: 0,
    });
  });

  it("« Entrée/sortie »: in, ALREADY_INSIDE, out, EXIT_WHILE_OUTSIDE (anomaly), in again; the counters follow", async () => {
    const seeded = await seed("Entrée sortie", [
      { controlMode: "inOut", tickets: [{ barcode: "IO-001" }, { barcode: "IO-002" }] },
    ]);
    const [performance] = seeded.performances;
    await readyToScan(page, t, seeded);
    await setDirection(page, "in");

    await scan(page, "IO-001", { outcome: "accepted", reason: "ACCEPTED" });
    const green = await resultColour(page);
    await expectCounter(page, "admitted", 1);
    await expectCounter(page, "inside", 1);
    await later();
    await scan(page, "IO-001", { outcome: "refused", reason: "ALREADY_INSIDE" });
    const red = await resultColour(page);
    await expectCounter(page, "inside", 1);

    await setDirection(page, "out");
    await scan(page, "IO-001", { outcome: "accepted", reason: "EXIT" });
    await expectCounter(page, "inside", 0);
    await later();
    await scan(page, "IO-001", { outcome: "anomaly", reason: "EXIT_WHILE_OUTSIDE" });
    // The person goes out, on orange: neither the admission's colour nor the refusal's.
    const [r, g, b] = await resultColour(page);
    expect([green, red]).not.toContainEqual([r, g, b]);
    expect(r > g && g > b).toBe(true);
    await expectCounter(page, "inside", 0);
    await screenshot(page, "anomaly");

    await setDirection(page, "in");
    await scan(page, "IO-001", { outcome: "accepted", reason: "ACCEPTED" });
    await expectCounter(page, "inside", 1);
    await expectCounter(page, "admitted", 1);
    await screenshot(page, "in-out");

    const rows = await scansOnServer(seeded, performance.id, 5);
    expect(summary(rows)).toEqual([
      "in IO-001 ACCEPTED",
      "in IO-001 ALREADY_INSIDE",
      "out IO-001 EXIT",
      "out IO-001 EXIT_WHILE_OUTSIDE",
      "in IO-001 ACCEPTED",
    ]);
    expect(await serverCounters(seeded.customer.client, performance.id)).toMatchObject({
      admittedCount: 1,
      insideCount: 1,
      refusedCount: 1,
      anomalyCount: 1,
    });
  });

  it("« Multipassage » with 2 passes a day: the third of the day is NO_PASSES_LEFT_TODAY", async () => {
    const seeded = await seed("Multipassage", [
      {
        controlMode: "multi",
        maxPasses: 10,
        maxPassesPerDay: 2,
        tickets: [{ barcode: "M-001" }, { barcode: "M-002" }],
      },
    ]);
    const [performance] = seeded.performances;
    await readyToScan(page, t, seeded);

    await scan(page, "M-001", { outcome: "accepted", reason: "ACCEPTED" });
    // Another ticket in between: two identical verdicts in a row would look like one.
    await scan(page, "M-002", { outcome: "accepted", reason: "ACCEPTED" });
    await later();
    await scan(page, "M-001", { outcome: "accepted", reason: "ACCEPTED" });
    await later();
    await scan(page, "M-001", { outcome: "refused", reason: "NO_PASSES_LEFT_TODAY" });
    await expectCounter(page, "admitted", 2);

    const rows = await scansOnServer(seeded, performance.id, 4);
    expect(summary(rows)).toEqual([
      "in M-001 ACCEPTED",
      "in M-002 ACCEPTED",
      "in M-001 ACCEPTED",
      "in M-001 NO_PASSES_LEFT_TODAY",
    ]);
    expect(await serverCounters(seeded.customer.client, performance.id)).toMatchObject({
      admittedCount: 2,
      refusedCount: 1,
    });
  });

  it("reads a keyboard-wedge burst as one code, and slow typing as no scan at all", async () => {
    const seeded = await seed("Douchette", [
      { tickets: [{ barcode: "WEDGE-0001" }, { barcode: "WEDGE-0002" }] },
    ]);
    const [performance] = seeded.performances;
    await readyToScan(page, t, seeded);

    await scanWithWedge(page, "WEDGE-0001", 5);
    await page
      .locator('[data-testid="scan-result"][data-reason="ACCEPTED"]')
      .filter({ hasText: "WEDGE-0001" })
      .waitFor({ timeout: 10_000 });
    await expectCounter(page, "admitted", 1);

    // A person typing (150 ms between keys) with nothing focused: not a reader, not a scan.
    await scanWithWedge(page, "WEDGE-0002", 150);
    // The next scan's verdict shows, and WEDGE-0002 was neither admitted nor refused meanwhile.
    await scan(page, "INCONNU-7", { outcome: "refused", reason: "UNKNOWN_TICKET" });
    await expectCounter(page, "admitted", 1);
    await scan(page, "WEDGE-0002", { outcome: "accepted", reason: "ACCEPTED" });
    await expectCounter(page, "admitted", 2);

    // Exactly these three reached the server: the burst was one scan, the slow typing none.
    const rows = await scansOnServer(seeded, performance.id, 3);
    expect(summary(rows)).toEqual([
      "in WEDGE-0001 ACCEPTED",
      "in INCONNU-7 UNKNOWN_TICKET",
      "in WEDGE-0002 ACCEPTED",
    ]);
  });

  it("refuses to control together two performances that share a ticket number", async () => {
    const seeded = await seed("Numéro partagé", [
      { tickets: [{ barcode: "DUP-001" }, { barcode: "A-001" }] },
      { tickets: [{ barcode: "DUP-001" }, { barcode: "B-001" }] },
    ]);
    const [first, second] = seeded.performances;
    await openScanner(page, t, seeded.door);
    await importPerformances(page, [first.id, second.id]);
    await choosePerformances(page, [first.eventName, second.eventName]);

    const alert = page.getByRole("alert").filter({ hasText: "DUP-001" });
    await alert.waitFor({ state: "visible", timeout: 10_000 });
    await screenshot(page, "shared-barcode");
    expect(await page.getByTestId("manual-code").isVisible()).toBe(false);

    // One of them alone is fine.
    await performanceCheckbox(page, second.eventName).uncheck();
    await page.getByRole("button", { name: "Contrôler" }).click();
    await page.getByTestId("manual-code").waitFor({ state: "visible", timeout: 10_000 });
    await scan(page, "DUP-001", { outcome: "accepted", reason: "ACCEPTED" });
    expect((await shownResult(page))?.text).toContain("DUP-001");
  });
});
