import type { Browser, BrowserContext, Page } from "playwright-core";
import { ROOT_PASSWORD, startTestGateway, type TestGateway } from "../../gateway/test/support/test-gateway";
import { launchChromium } from "./support/browser";

let t: TestGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestGateway(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});
beforeEach(async () => {
  // Service workers would answer requests before the test's routes see them.
  context = await browser.newContext({ serviceWorkers: "block" });
  page = await context.newPage();
  // E2E_CONSOLE=1 prints the page's console (why a remote failed, say).
  page.on("console", (m) => process.env.E2E_CONSOLE && console.log(m.type(), m.text()));
  page.on("pageerror", (e) => process.env.E2E_CONSOLE && console.log("pageerror", e.message));
});
afterEach(() => context?.close());

async function logIn(username = "root", password = ROOT_PASSWORD): Promise<void> {
  await page.goto(t.baseUrl);
  await page.getByLabel("Login").fill(username);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

const nav = () => page.getByRole("navigation");

describe("the shell in a browser", () => {
  it("logs root in, shows the institution picker with root and the remotes' navigation", async () => {
    await logIn();
    await expectVisible(page.getByTestId("current-institution"), "Institution : root");
    // A newcomer lands on the back office's first page, whichever remote answered first.
    await page.waitForURL((url) => url.pathname === "/backoffice/", { timeout: 15_000 });
    await expectVisible(nav().getByRole("link", { name: "Représentations" }));
    await expectVisible(nav().getByRole("link", { name: "Scanner" }));
    await expectVisible(nav().getByRole("link", { name: "Rapports" }));

    await page.getByRole("button", { name: "Changer d'institution" }).click();
    await expectVisible(page.getByRole("heading", { name: "Choisir une institution" }));
    await page.getByRole("list", { name: "Institution" }).getByRole("button", { name: "root" }).click();
    await expectVisible(page.getByTestId("current-institution"), "Institution : root");
  });

  it("renders the scanner as a page of the shell at /scanner/ (a new device is named first)", async () => {
    await logIn();
    await nav().getByRole("link", { name: "Scanner" }).click();
    await expectVisible(page.getByTestId("device-setup"));
    expect(new URL(page.url()).pathname).toBe("/scanner/");
    // A deep link opens the same page after a reload (the gateway's SPA fallback).
    await page.reload();
    await expectVisible(page.getByTestId("device-setup"));
  });

  it("shows a French message and « Réessayer » when a remote fails, the rest working; retry loads it", async () => {
    await context.route("**/mfe/reports/remoteEntry.js", (route) =>
      route.fulfill({ status: 500, body: "down" }),
    );
    await logIn();
    const failure = nav().locator('[data-remote-failure="reports"]');
    await expectVisible(failure, "Le module « reports » n'a pas pu être chargé.");
    await nav().getByRole("link", { name: "Scanner" }).click();
    await expectVisible(page.getByTestId("device-setup"));

    await context.unroute("**/mfe/reports/remoteEntry.js");
    await failure.getByRole("button", { name: "Réessayer" }).click();
    await nav().getByRole("link", { name: "Rapports" }).click();
    await expectVisible(page.getByText("Les rapports arrive dans une prochaine version de Billetix."));
    expect(await failure.count()).toBe(0);
  });

  it("says so in French when the credentials are wrong", async () => {
    await logIn("root", "not-the-password");
    await expectVisible(page.getByRole("alert"), "Login ou mot de passe incorrect.");
  });

  it("works in English after the switch, and remembers it", async () => {
    await logIn();
    await page.getByRole("button", { name: "Langue : English" }).click();
    await expectVisible(nav().getByRole("link", { name: "Reports" }));
    await expectVisible(page.getByRole("button", { name: "Change institution" }));
    await expectVisible(page.getByRole("button", { name: "Sign out" }));
    await page.reload();
    await expectVisible(page.getByRole("button", { name: "Sign out" }));
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });

  it("returns to login, saying why, when another login ends the session", async () => {
    await logIn();
    await expectVisible(nav().getByRole("link", { name: "Scanner" }));
    await t.asRoot();
    await expectVisible(page.getByRole("status"), "Votre session a été fermée (connexion ailleurs)");
    await expectVisible(page.getByRole("button", { name: "Se connecter" }));
  });

  it("draws the scanner's URL as a QR code", async () => {
    await logIn();
    await page.getByRole("button", { name: "Scanner sur mobile" }).click();
    const qr = page.getByTestId("scanner-qr");
    await expectVisible(qr);
    expect(await qr.getAttribute("aria-label")).toBe(`${t.baseUrl}/mfe/scanner/`);
    expect(await qr.locator("svg path").count()).toBe(1);
    await page.keyboard.press("Escape");
    expect(await page.getByTestId("scanner-qr").count()).toBe(0);
  });
});

describe("the installable app", () => {
  it("has a web manifest with icons, and a service worker that opens the app shell offline", async () => {
    const manifest = (await (await fetch(`${t.baseUrl}/manifest.webmanifest`)).json()) as {
      icons: { sizes: string }[];
    };
    expect(manifest).toMatchObject({ display: "standalone", start_url: "/" });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    const withWorker = await browser.newContext();
    try {
      const p = await withWorker.newPage();
      await p.goto(t.baseUrl);
      await p.getByRole("button", { name: "Se connecter" }).waitFor();
      // Runs in the page: the worker has installed and precached the app shell.
      await p.waitForFunction("navigator.serviceWorker.ready.then(() => true)");
      await withWorker.setOffline(true);
      await p.reload();
      await p.getByText("Hors ligne : les données nécessitent le réseau").waitFor();
      await p.getByRole("button", { name: "Se connecter" }).waitFor();
    } finally {
      await withWorker.close();
    }
  });
});

/** Waits for the element (and its text) to show: no sleeps. */
async function expectVisible(locator: ReturnType<Page["locator"]>, text?: string): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout: 15_000 });
  if (text !== undefined) expect(await locator.first().textContent()).toContain(text);
}
