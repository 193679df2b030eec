import type { Browser, BrowserContext, Page } from "playwright-core";
import type { GraphqlClient } from "../../gateway/test/support/graphql-client";
import { startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { REPEAT_WINDOW_MS } from "../../mfe-scanner/src/local/types";
import { launchChromium } from "./support/browser";

import {
  addDoor,
  controlPerformances,
  eventually,
  expectCounter,
  expectNothingPending,
  importPerformances,
  newDevice,
  openScanner,
  type ScannerCustomer,
  scan,
  screenshot,
  seedScannerCustomer,
  serverScans,
} from "./support/scanner";

/**
 * The scanner's promise at the doors: two devices on one performance, one of them offline; both
 * admit the same single-pass ticket; when the offline one comes back every scan reaches the
 * server exactly once and the double admission is flagged. Then a device reloads with the network
 * cut and keeps scanning from its service worker's copy of the app.
 */
let t: TestGateway;
let browser: Browser;
let root: GraphqlClient;
let seeded: ScannerCustomer;
const devices: BrowserContext[] = [];

const TICKETS = Array.from({ length: 20 }, (_, i) => ({
  barcode: `OFF${1000 + i}`,
  holderName: `Invité ${i}`,
}));

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestGateway(), launchChromium()]);
  root = await t.asRoot();
  seeded = await seedScannerCustomer(t, root, "Hors ligne", [{ tickets: TICKETS }]);
});
afterAll(async () => {
  for (const context of devices) await context.close().catch(() => undefined);
  await browser?.close();
  await t?.stop();
});

/** One login per door: logging in again elsewhere would end the other door's session. */
const doorLogin = (name: string) => addDoor(seeded, name.toLowerCase().replace(/\W+/g, "-"));

async function device(name: string): Promise<Page> {
  const { context, page } = await newDevice(browser);
  devices.push(context);
  await openScanner(page, t, await doorLogin(name), name);
  const [performance] = seeded.performances;
  await importPerformances(page, [performance.id]);
  await controlPerformances(page, [performance.eventName]);
  return page;
}

const banner = (page: Page) => page.getByTestId("sync-banner");

describe("two doors, one offline", () => {
  it("both admit the same ticket; back online, every scan reaches the server once and the double admission is flagged", async () => {
    const [performance] = seeded.performances;
    const online = await device("Porte A");
    const offline = await device("Porte B");
    const offlineContext = devices[1];

    await offlineContext.setOffline(true);
    await banner(offline).and(offline.locator("[data-state='degraded']")).waitFor({ timeout: 20_000 });

    // The offline door admits two tickets and refuses a repeat, from its local copy.
    await scan(offline, "OFF1000", { outcome: "accepted", reason: "ACCEPTED" });
    await scan(offline, "OFF1001", { outcome: "accepted", reason: "ACCEPTED" });
    // Past the window in which the same code read again is shown again, not recorded.
    await offline.clock.fastForward(REPEAT_WINDOW_MS + 500);
    await scan(offline, "OFF1000", { outcome: "refused", reason: "ALREADY_USED" });
    await screenshot(offline, "offline-degraded");
    expect((await offline.getByTestId("pending-count").textContent())?.trim()).toMatch(/\b3\b/);

    // The online door admits OFF1000 too (it cannot know) and OFF1002.
    await scan(online, "OFF1000", { outcome: "accepted", reason: "ACCEPTED" });
    await scan(online, "OFF1002", { outcome: "accepted", reason: "ACCEPTED" });
    await expectNothingPending(online);
    // Nothing of the offline door has reached the server.
    expect((await serverScans(seeded.customer.client, performance.id)).map((s) => s.barcode).sort()).toEqual([
      "OFF1000",
      "OFF1002",
    ]);

    await offlineContext.setOffline(false);
    await expectNothingPending(offline);
    await banner(offline).and(offline.locator("[data-state='online']")).waitFor({ timeout: 20_000 });

    // Every scan exactly once: 2 from the online door, 3 from the offline one.
    const scans = await eventually(
      () => serverScans(seeded.customer.client, performance.id),
      (list) => list.length >= 5,
      15_000,
      "five scans on the server",
    );
    expect(scans).toHaveLength(5);
    const byDoor = (door: string) =>
      scans
        .filter((s) => s.deviceName === door)
        .map((s) => `${s.barcode}:${s.reason}`)
        .sort();
    expect(byDoor("Porte A")).toEqual(["OFF1000:ACCEPTED", "OFF1002:ACCEPTED"]);
    // The server decided the offline door's OFF1000 after the online one's: already used.
    expect(byDoor("Porte B")).toEqual(["OFF1000:ALREADY_USED", "OFF1000:ALREADY_USED", "OFF1001:ACCEPTED"]);

    // The operator of the offline door sees the double admission.
    const conflict = offline.getByTestId("conflict").filter({ hasText: "OFF1000" });
    await conflict.first().waitFor({ timeout: 15_000 });
    await offline.keyboard.press("Escape"); // the last verdict covers the list
    await screenshot(offline, "conflict");

    // The online door learns the offline door's admission of OFF1001 (subscription or delta pull).
    await expectCounter(online, "admitted", 3);
    await scan(online, "OFF1001", { outcome: "refused", reason: "ALREADY_USED" });
  });
});

describe("the app with the network cut", () => {
  it("reloads from its service worker and keeps scanning; the scans go up when the network returns", async () => {
    const [performance] = seeded.performances;
    const context = await browser.newContext({ locale: "fr-FR" });
    devices.push(context);
    const page = await context.newPage();
    await openScanner(page, t, await doorLogin("Porte C"), "Porte C");
    // The service worker holds the app before the network goes.
    await page.evaluate("navigator.serviceWorker.ready");
    await importPerformances(page, [performance.id]);
    await controlPerformances(page, [performance.eventName]);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("manual-code").waitFor({ state: "visible", timeout: 20_000 });
    await banner(page).and(page.locator("[data-state='degraded']")).waitFor({ timeout: 20_000 });
    await scan(page, "OFF1010", { outcome: "accepted", reason: "ACCEPTED" });
    await scan(page, "INCONNU-42", { outcome: "refused", reason: "UNKNOWN_TICKET" });
    await screenshot(page, "reloaded-offline");
    const before = await serverScans(seeded.customer.client, performance.id);
    expect(before.filter((s) => s.deviceName === "Porte C")).toEqual([]);

    await context.setOffline(false);
    await expectNothingPending(page);
    const after = await eventually(
      async () =>
        (await serverScans(seeded.customer.client, performance.id)).filter((s) => s.deviceName === "Porte C"),
      (list) => list.length >= 2,
      15_000,
      "Porte C's two scans on the server",
    );
    expect(after.map((s) => `${s.barcode}:${s.reason}`).sort()).toEqual([
      "INCONNU-42:UNKNOWN_TICKET",
      "OFF1010:ACCEPTED",
    ]);
  });
});
